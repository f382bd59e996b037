"""Asking Z3: a solver session with its least and general situations and the algebra of
regions (session), and sharing questions among processes (parallel)."""
