"""Asking Z3: a solver session with its least and general situations and the algebra of
regions (session), the spec cut into slices each asked of a small solver (slices), and
sharing questions among processes (parallel)."""
