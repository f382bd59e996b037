"""Asking Z3: a solver session (session) with its search for least and general situations
(search) and its regions and their algebra (regions), the spec cut into slices each asked of a
small solver (slices), and sharing questions among processes (parallel)."""
