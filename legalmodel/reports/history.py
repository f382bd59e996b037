"""A law's history for people: its amendments and proposals, and every wording of each
provision with the dates it was in force, its act, title, certainty and place."""

from __future__ import annotations

from ..i18n import _
from ..results import LawHistory


def _count(n: int, noun: str) -> str:
    """`1 amendment`, `2 amendments`, `0 proposals`."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def render_history(listing: LawHistory, whole: bool = True) -> str:
    """`whole`: the list of acts first (a listing of one provision has none)."""
    lines = []
    if whole:
        lines.append(f"{listing.name}: {_count(len(listing.amendments), 'amendment')}, "
                     f"{_count(len(listing.proposals), 'proposal')}")
        for a in listing.amendments:
            lines.append(f"  {a.date}  {a.name}  “{a.title}”  ({a.location})")
        for a in listing.proposals:
            lines.append(f"  proposal    “{a.title}”  ({a.location})")
        lines.append("")
    citation = None
    for w in listing.wordings:
        if w.citation != citation:
            lines.append(w.citation)
            citation = w.citation
        span = f"{w.since or _('before the base')} – {w.until or _('in force')}"
        certainty = w.certainty or _('certainty not stated')
        lines.append(f"  {span.ljust(32)} {w.act.ljust(14)} “{w.title}” ({certainty}; {w.location})")
    return "\n".join(lines).rstrip() + "\n"
