"""Whether the assumptions admit any situation at all: unsat of the assumptions alone means
none does, and every other analysis would hold vacuously; a minimal set that cannot all hold
is named."""

from __future__ import annotations

from ..results import Finding
from ..i18n import sentence
from ..semantics.evaluate import assumptions_hold
from ..solver.session import Unknown
from .context import ERROR, QueryContext


def impossible_assumptions(ctx: QueryContext) -> bool:
    """When the assumptions (with the ranges of the facts) admit no situation at all, every
    other analysis would hold vacuously: report that alone, naming a minimal set of
    assumptions that cannot all hold, and say nothing more."""
    if not ctx.spec.assumptions:  # every fact's range is non-empty (the resolver sees to it)
        return False
    if assumptions_hold(ctx.spec, ctx.firsts):
        return False  # the evaluator shows a situation: the first one (the solver is not yet needed)
    try:
        if ctx.possible():
            return False
    except Unknown as u:
        ctx.unknown("assumptions", ctx.spec.assumptions[0].span if ctx.spec.assumptions else None,
                     sentence("whether the assumptions admit any situation"), u.reason)
        return True
    spec = ctx.spec
    blamed = [spec.assumptions[i] for i in (ctx.session.blame() or range(len(spec.assumptions)))]
    details = tuple(sentence("the assumption “{label}” at {place}", label=a.label, place=a.span.location())
                    if a.label else sentence("the assumption at {place}", place=a.span.location())
                    for a in blamed) or (sentence("the ranges of the facts admit no value"),)
    ctx.add(Finding("impossible-assumptions", ERROR,
                     "the assumptions admit no situation: these cannot all hold, so nothing else can be checked",
                     "assumptions", blamed[0].span if blamed else None, details=details))
    ctx.report.questions = ctx.session.questions
    return True
