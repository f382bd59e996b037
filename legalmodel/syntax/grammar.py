"""The grammar's text: grammar/legalmodel.lark, which parse.py compiles and law/names.py reads
the keywords from. It lives apart from parse.py so that reading the keywords (on every run, warm
cache or not) does not import Lark."""

from __future__ import annotations

from pathlib import Path


def grammar_text() -> str:
    """The grammar, from the installed package or, in a source checkout, from grammar/."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "grammar" / "legalmodel.lark", here.parent.parent / "grammar" / "legalmodel.lark"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise RuntimeError("the legalmodel grammar file is missing from this installation")
