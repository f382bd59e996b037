"""legalmodel: write the provisions of a law as a spec, and let a solver check it.

    .lm files --parse (Lark, LALR)--> syntax tree with spans        parse.py, syntax.py
              --resolve & check-->    CheckedSpec                   resolve.py, model.py
              --encode-->             Z3 formulas          \\        encode.py
              --evaluate-->           concrete evaluator    > analyses --> results --> reports
                                                                    evaluate.py, analyse.py, results.py, report*.py
    pipeline.py chains the stages; api.py is the library's front (docs/api.md); cli.py the
    command line on top of it.

    >>> import legalmodel
    >>> law = legalmodel.load("specs/tutorial")
    >>> law.check().status
    'consistent'
"""

__version__ = "0.1.0"

from .api import DEFAULT_TIMEOUT, Law, check_paths, diff, fmt, history, load, loads  # noqa: E402
from .syntax.diagnostics import Diagnostic, SpecError  # noqa: E402
from .pipeline import UsageError  # noqa: E402
from .results import (ActionExplanation, CheckResult, Condition, ContractResult, Counterfactual,  # noqa: E402
                      DiffResult, Evidence, ExampleChange, ExampleResult, ExpectationResult, Explanation,
                      Finding, GoalChange, GoalResult, HistoryAct, InvalidSpec, LawHistory, Region,
                      Verdict, VerdictChange, Wording)

__all__ = [
    "ActionExplanation", "CheckResult", "Condition", "ContractResult", "Counterfactual", "DEFAULT_TIMEOUT",
    "Diagnostic", "DiffResult", "Evidence", "ExampleChange", "ExampleResult", "ExpectationResult",
    "Explanation", "Finding", "GoalChange", "GoalResult", "HistoryAct", "InvalidSpec", "Law", "LawHistory",
    "Region", "SpecError", "UsageError", "Verdict", "VerdictChange", "Wording", "check_paths", "diff",
    "fmt", "history", "load", "loads",
]
