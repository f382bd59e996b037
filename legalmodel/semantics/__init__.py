"""Stage 3, the meaning of a checked law, implemented twice and kept apart: the plain
evaluator of one situation (evaluate) and the Z3 encoding of all situations (encode); and the
boxes that bound where a provision can apply (boxes), which both may use to skip work."""
