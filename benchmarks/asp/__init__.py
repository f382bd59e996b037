"""An answer-set-programming (clingo) baseline of `legalmodel check`: a second, independent
implementation of the questions `check` answers, for measuring legalmodel against and as a
third oracle in the property tests (tests/test_asp_oracle.py). docs/asp-baseline.md says
what it answers and what it does not.

    translate.py   a checked spec → one ground program whose answer sets are its situations
    solve.py       clingo's brave consequences of it → the answers (`Answers`)
    compare.py     the same answers read from `check --format json`, and where the two differ

It reads the law model legalmodel resolves (`legalmodel.load`/`loads`, then `law.spec`) and
shares no code with legalmodel's evaluator, Z3 encoding or boxes.
"""
