"""Findings about the amending acts themselves, not about what the law decides: a paragraph
that several acts in force on the same day change (history.py finds them)."""

from __future__ import annotations

from ..law.history import History, same_day_changes
from ..i18n import N_, Words, sentence
from ..results import Finding

# what an act does to the paragraph (history.same_day_changes), as the finding says it
_ACT_DOES = {"repeals it": N_("{act} repeals it"), "inserts it": N_("{act} inserts it"),
             "rewords it": N_("{act} rewords it")}


def same_day_findings(history: History, as_of: str | None) -> list[Finding]:
    out = []
    for c in same_day_changes(history, as_of):
        acts = tuple(Words(_ACT_DOES[verb], (("act", name),)) for name, verb in c.changes)
        out.append(Finding(
            "same-day-amendments", "warning",
            sentence("{count} acts in force on {date} change {paragraph}: {acts}",
                     count=len({n for n, _v in c.changes}), date=c.date, paragraph=c.paragraph, acts=acts),
            c.paragraph, c.span, provisions=(c.paragraph,),
            details=(sentence("they are applied in the order of their SFS numbers, so every wording but the last is "
                              "in force for no day at all"),
                     sentence("check the order the statute book gives, or the acts' dates in force")),
            identity=(c.paragraph, c.date, *(n for n, _v in c.changes)),
        ))
    return out
