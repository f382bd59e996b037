"""A law's history for people: its amendments and proposals, and every wording of each
provision with the dates it was in force, its act, title, certainty and place."""

from __future__ import annotations

from ..i18n import _, ngettext, quoted
from ..results import LawHistory


def render_history(listing: LawHistory, whole: bool = True) -> str:
    """`whole`: the list of acts first (a listing of one provision has none). In the current
    language; the acts' names, titles and the spec's certainty words are the drafters'."""
    lines = []
    if whole:
        amendments = ngettext("{n} amendment", "{n} amendments", len(listing.amendments)).format(
            n=len(listing.amendments))
        proposals = ngettext("{n} proposal", "{n} proposals", len(listing.proposals)).format(n=len(listing.proposals))
        lines.append(f"{listing.name}: {amendments}, {proposals}")
        for a in listing.amendments:
            lines.append(f"  {a.date}  {a.name}  {quoted(a.title)}  ({a.location})")
        proposal = _("proposal")
        for a in listing.proposals:
            lines.append(f"  {proposal.ljust(10)}  {quoted(a.title)}  ({a.location})")
        lines.append("")
    citation = None
    before_the_base, in_force = _("before the base"), _("in force")
    for w in listing.wordings:
        if w.citation != citation:
            lines.append(w.citation)
            citation = w.citation
        span = f"{w.since or before_the_base} – {w.until or in_force}"
        certainty = w.certainty or _("certainty not stated")
        act = _("base") if w.act == "base" else w.act
        lines.append(f"  {span.ljust(32)} {act.ljust(14)} {quoted(w.title)} ({certainty}; {w.location})")
    return "\n".join(lines).rstrip() + "\n"
