"""Gaps: an act without a default has a gap iff `verdict = undecided` is sat; up to
MAX_WITNESSES situations are shown, each in a different region of the facts that matter."""

from __future__ import annotations

from ..law import model as m
from ..i18n import sentence
from ..results import Finding
from ..solver.session import Unknown
from .context import ERROR, QueryContext


def gaps(ctx: QueryContext) -> None:
    spec = ctx.spec
    for action, a in spec.actions.items():
        if a.default is not None:
            continue
        relevant = ctx.relevant_facts({action})
        try:
            evs = ctx.witnesses(lambda enc: enc.verdict_is(action, m.UNDECIDED),
                                 lambda e: e.verdicts[action] == m.UNDECIDED, f"a gap in `{action}`", relevant)
        except Unknown as u:
            ctx.unknown(action, a.span, sentence("whether `{action}` has gaps", action=action), u.reason)
            continue
        if evs:
            ctx.add(Finding("gap", ERROR,
                             f"no provision decides `{action}` in these situations, and it has no default",
                             action, a.span, action, (), tuple(evs),
                             (f"add a provision that covers them, or give `{action}` a default",)))
