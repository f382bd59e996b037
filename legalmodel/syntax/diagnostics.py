"""Diagnostics for bad input: data here, rendering in report.py.

Every stage collects its diagnostics and raises one `SpecErrors` at its boundary, so a user
sees all the problems a stage found in one run. Messages follow one rule: lowercase, no
final period, the user's own words in backticks, advice in `help`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .source import NOWHERE, Span
from ..frozen import frozen_dataclass


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@frozen_dataclass(slots=True)
class Diagnostic:
    """One problem with the input, anchored at a span."""

    code: str
    message: str
    span: Span = NOWHERE
    help: str | None = None
    expected: tuple[str, ...] = ()
    notes: tuple[tuple[str, Span], ...] = ()
    severity: Severity = Severity.ERROR

    @property
    def file(self) -> str:
        return self.span.path

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column


class SpecError(Exception):
    """Bad input: raised once per stage with every diagnostic that stage collected."""

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("; ".join(d.message for d in self.diagnostics))


@dataclass
class DiagnosticSink:
    """Collects diagnostics during one stage and raises them together at its end."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, span: Span = NOWHERE, **kw) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, **kw))

    def raise_if_any(self) -> None:
        if self.diagnostics:
            from .surface import localise  # advice quotes keywords as the file writes them

            ordered = sorted(
                self.diagnostics, key=lambda d: (d.span.path, d.span.line, d.span.column)
            )
            raise SpecError([localise(d) for d in ordered])


SpecErrors = SpecError  # the name the stages use: each raises all its diagnostics at once


def suggest(name: str, candidates) -> str | None:
    """The closest names in scope, phrased as help, or None."""
    import difflib

    from ..i18n import sentence

    close = difflib.get_close_matches(name, sorted(set(candidates)), n=3, cutoff=0.6)
    if not close:
        return None
    if len(close) == 1:
        return sentence("did you mean `{name}`?", name=close[0])
    return sentence("did you mean one of {names}?", names=", ".join(f"`{c}`" for c in close))


# how a help that suggests names begins, in each language the catalogues speak (suggest)
SUGGESTING = ("did you mean", "menade du")


def is_suggestion(help_text: str | None) -> bool:
    """Whether a help suggests the names it quotes (`did you mean `x`?`, `menade du `x`?`):
    the editor offers each as a change."""
    return bool(help_text) and help_text.startswith(SUGGESTING)
