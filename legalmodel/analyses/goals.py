"""Goals. An `all` goal holds iff `condition ∧ ¬(verdict in wanted)` is unsat (its failures
are shown as up to MAX_WITNESSES counterexamples); a `possibly` goal holds iff
`condition ∧ verdict in wanted` is sat (with that situation as its example)."""

from __future__ import annotations

import itertools

from ..i18n import sentence
from ..law import model as m
from ..results import Finding, GoalResult, cannot_help_text
from ..semantics.boxes import EMPTY, box_of, intersect
from ..semantics.encode import all_of, negate
from ..solver.session import Unknown
from .context import ERROR, WARNING, QueryContext

GIVES = {m.PERMIT: m.PERMITTED, m.OBLIGE: m.OBLIGATORY}
_VERDICT_OF = {m.PERMIT: m.PERMITTED, m.FORBID: m.FORBIDDEN, m.OBLIGE: m.OBLIGATORY}
# how many provisions' boxes a goal's status without witnesses tries for a situation that
# settles it before it asks the solver (_goal_shown_at_first)
GOAL_GUESSES = 8


def goals(ctx: QueryContext, witnesses: bool = True) -> None:
    """Whether each goal holds, with witnesses (counterexamples of a failed goal, an
    example of a `possibly` goal). Without `witnesses`, one question per goal settles its
    status and only the statuses are meant to be read (a diff compares them)."""
    for g in ctx.spec.goals:
        goal(ctx, g, witnesses)


def goal(ctx: QueryContext, goal: m.Goal, witnesses: bool = True) -> None:
    """Whether one goal holds (see goals)."""
    spec = ctx.spec
    box = box_of(spec, goal.condition)
    if not witnesses:
        shown = _goal_shown_at_first(ctx, goal, box)
        if shown is not None:
            ctx.report.goals.append(GoalResult(goal, _goal_status(goal, shown)))
            return
    part = ctx.part_for(box)
    condition = part.enc.expr(goal.condition)
    good = part.enc.verdict_in(goal.action, goal.verdicts)

    def wanted(enc):
        return all_of(enc.expr(goal.condition), enc.verdict_in(goal.action, goal.verdicts))

    def unwanted(enc):
        return all_of(enc.expr(goal.condition), negate(enc.verdict_in(goal.action, goal.verdicts)))

    relevant = ctx.relevant_facts({goal.action}, goal.condition)
    about = frozenset(m.facts_in(goal.condition))
    part.session.bound(about)
    try:
        if not witnesses:
            evs = []
            holds = (not ctx.possible(unwanted(part.enc), part=part) if goal.kind == "all"
                     else ctx.possible(condition, good, part=part))
        elif goal.kind == "all":
            evs = ctx.witnesses(
                unwanted, lambda e: e.verdicts[goal.action] not in goal.verdicts and e.holds(goal.condition),
                f"goal “{goal.title}”", relevant, part=part, about=about, box=box)
            holds = not evs
        else:
            model = ctx.sat(condition, good, part=part)
            holds = model is not None
            evs = [ctx.evidence(model, lambda e: e.verdicts[goal.action] in goal.verdicts and e.holds(goal.condition),
                                 f"goal “{goal.title}”", wanted, relevant, part=part,
                                 about=about)] if holds else []
    except Unknown as u:
        ctx.report.goals.append(GoalResult(goal, "unknown"))
        ctx.unknown(goal.title, goal.span, sentence("goal “{title}”", title=goal.title), u.reason)
        return
    cannot_help = ()
    if holds:
        if goal.expected_to_fail:
            ctx.add(Finding("goal-holds-unexpectedly", WARNING,
                             f"goal “{goal.title}” is marked as expected to fail, but it holds",
                             goal.title, goal.span, goal.action, (), tuple(evs),
                             ("remove `expected to fail` so the record stays true",)))
    else:
        cannot_help = excluded_helpers(spec, goal, evs)
        what = ("in these situations the verdict is not " + _verdict_words(goal.verdicts)
                if goal.kind == "all" else "no situation gives the wanted verdict")
        if not goal.expected_to_fail:
            ctx.add(Finding("failed-goal", ERROR, f"goal “{goal.title}” fails: {what}",
                             goal.title, goal.span, goal.action,
                             tuple(sorted({d for ev in evs for d in ev.in_force
                                           if spec.provisions[d].action == goal.action})),
                             tuple(evs), tuple(cannot_help_text(h) for h in cannot_help),
                             identity=()))
    ctx.report.goals.append(GoalResult(goal, _goal_status(goal, holds), tuple(evs), cannot_help))


def _goal_shown_at_first(ctx: QueryContext, goal: m.Goal, box) -> bool | None:
    """Whether a goal holds, where the evaluator shows it: a counterexample to an `all`
    goal, or a situation with a wanted verdict for a `some` one, at the first situation
    of its condition's box or of that box met with the box of one of the first
    GOAL_GUESSES provisions on its action that give such a verdict and can apply there
    (in its slice) (_first_situation).
    None where none of them shows it, and the solver is asked."""
    spec = ctx.spec
    sought = {v for v in m.VERDICTS if (v in goal.verdicts) == (goal.kind != "all")}
    among = ctx.slices.among(ctx.slices.value_for(box))
    candidates = (spec.provisions[pid] for pid in among) if among is not None else spec.provisions_for(goal.action)
    meeting = (intersect(box, ctx.boxes[p.id]) for p in candidates
               if p.action == goal.action and _VERDICT_OF[p.modality] in sought)
    for guess in [box, *itertools.islice((b for b in meeting if b is not EMPTY), GOAL_GUESSES)]:
        evaluation = ctx.at_first_in(guess)
        if evaluation is not None and evaluation.holds(goal.condition) and evaluation.verdicts[goal.action] in sought:
            return goal.kind != "all"
    return None


def excluded_helpers(spec: m.CheckedSpec, goal: m.Goal, evidence) -> tuple[tuple[str, str], ...]:
    """Why a failed goal cannot be met by a provision that would give the wanted verdict: pairs
    (helper, blocker) where the helper permits or obliges the goal's act, the blocker forbids it
    in force in some counterexample, and the helper's own `except` names the blocker. Such a
    helper cannot help there whatever its condition (10 kap. 27 § OSL and 26 kap. 1–6 §§)."""
    pairs: list[tuple[str, str]] = []
    for ev in evidence:
        for blocker in ev.in_force:
            b = spec.provisions[blocker]
            if b.action != goal.action or b.modality != m.FORBID:
                continue
            for p in spec.provisions_for(goal.action):
                if GIVES.get(p.modality) in goal.verdicts and blocker in p.excepts and (p.id, blocker) not in pairs:
                    pairs.append((p.id, blocker))
    return tuple(pairs)


def _goal_status(goal: m.Goal, holds: bool) -> str:
    if holds:
        return "holds-unexpectedly" if goal.expected_to_fail else "holds"
    return "fails-as-expected" if goal.expected_to_fail else "fails"


def _verdict_words(verdicts) -> str:
    ordered = [v for v in m.VERDICTS if v in verdicts]
    return " or ".join(ordered)
