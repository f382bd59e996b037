"""Findings about the amending acts themselves, not about what the law decides: a paragraph
that several acts in force on the same day change (history.py finds them)."""

from __future__ import annotations

from ..law.history import History, same_day_changes
from ..results import Finding


def same_day_findings(history: History, as_of: str | None) -> list[Finding]:
    out = []
    for c in same_day_changes(history, as_of):
        acts = ", ".join(f"{name} {verb}" for name, verb in c.changes)
        out.append(Finding(
            "same-day-amendments", "warning",
            f"{len({n for n, _v in c.changes})} acts in force on {c.date} change {c.paragraph}: {acts}",
            c.paragraph, c.span, provisions=(c.paragraph,),
            details=("they are applied in the order of their SFS numbers, so every wording but the last is in "
                     "force for no day at all",
                     "check the order the statute book gives, or the acts' dates in force"),
            identity=(c.paragraph, c.date, *(n for n, _v in c.changes)),
        ))
    return out
