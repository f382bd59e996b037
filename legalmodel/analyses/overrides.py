"""Idle overrides. An override P → Q is idle iff, with the override dropped (and every other
kept), `some verdict changes` is unsat: P is never in force where Q applies, or where it is,
Q would change nothing. One question per override whose boxes meet, all asked of one formula
per solver with a literal per override saying whether it is dropped."""

from __future__ import annotations

import z3

from ..law import model as m
from ..results import Finding
from ..semantics.boxes import disjoint, intersect
from ..semantics.encode import all_of, any_of, assert_term, boolean, check_under, negate
from ..semantics.evaluate import override_matters
from .context import ANY_SOLVER, NOTE, QueryContext  # noqa: F401


def idle_override_tasks(ctx: QueryContext) -> list:
    """An override P → Q is idle when dropping it changes no verdict in any situation (P
    is never in force where Q applies, or where it is, Q would change nothing). One
    question per override whose boxes meet: a sweep first for where P and Q meet at all
    cost more than it saved, as in a law whose overrides are written where they matter
    nearly every override meets. As tasks for _plan: one per solver the questions go to,
    and a last one that reports what they found."""
    edges, idle, where = _meeting_overrides(ctx)
    unknown: dict = {}

    def take(found: tuple[set, dict]) -> None:
        idle.update(found[0])
        unknown.update(found[1])

    tasks = []
    done = len(idle)
    for group in _by_solver(ctx, [e for e in edges if e not in idle], where):
        tasks.append(("idle overrides", lambda group=group, done=done: _idle_among(ctx, group, done, len(edges)),
                      take, ctx.solver_for(group[0][0])))
        done += len(group)
    return tasks + [("idle overrides", lambda: None, lambda _none: _report_idle(ctx, idle, unknown), ANY_SOLVER)]


def _meeting_overrides(ctx: QueryContext) -> tuple[list, set, dict]:
    """Every override (P, Q); those idle by their boxes alone (the overrider's condition
    excludes the overridden one's); and the slice where the others' boxes meet."""
    edges = [(pid, qid) for pid, p in ctx.spec.provisions.items() for qid in p.overrides]
    idle = {e for e in edges if disjoint(ctx.boxes[e[0]], ctx.boxes[e[1]])}
    return edges, idle, {e: ctx.slices.value_where_both(ctx.boxes[e[0]], ctx.boxes[e[1]])
                         for e in edges if e not in idle}


def _by_solver(ctx: QueryContext, meeting: list, where: dict) -> list[list[tuple]]:
    """The overrides whose boxes meet, as (slice value, override) grouped by the solver
    their questions go to (Slices.solver_of), in their order."""
    groups: dict = {}
    for edge in meeting:
        value = where[edge]
        groups.setdefault(ctx.slices.solver_of(value), []).append((value, edge))
    return list(groups.values())


def _idle_among(ctx: QueryContext, group: list[tuple], done: int, total: int) -> tuple[set, dict]:
    """Which of these overrides (asked of one solver, each in the slice where the two
    meet) are idle, and which could not be decided (with why); `done` and `total` place
    them among all overrides, for progress.

    One question each, asked of the same formula: the solver gets once the spec's
    provisions as they would be in force were any one of these overrides dropped (a
    literal per override says whether it is), and the question for an override assumes
    that its literal is true and the others false, and that a verdict changes. Building
    the changed verdicts anew for each override cost as much as the solver's answer. As a
    sweep, each model showed about one override that matters, and the disjunction of them
    all made each question many times harder.

    Most overrides are written where they matter, and the evaluator shows it at the first
    situation where both provisions' boxes meet (_matters_at_first): only the others are
    asked: at 10,000 generated provisions, a handful."""
    spec = ctx.spec
    group = [(value, edge) for value, edge in group if not _matters_at_first(ctx, edge)]
    if not group:
        return set(), {}
    enc, session = ctx.slices.encoding_of(group[0][0])
    dropped = {edge: boolean(f"drop:{edge[0]}>{edge[1]}") for _value, edge in group}
    kept = {edge: negate(literal) for edge, literal in dropped.items()}
    members = set(enc.in_force)
    affected: set[str] = set()  # what dropping one of them can bring into force or set aside
    stack = [qid for _pid, qid in dropped]
    while stack:
        x = stack.pop()
        if x in members and x not in affected:
            affected.add(x)
            stack.extend(spec.provisions[x].overrides)
    alt: dict[str, z3.BoolRef] = {}
    for x in m.overriders_first(spec, sorted(affected)):
        overriders = [all_of(alt.get(y, enc.in_force[y]), kept[(y, x)]) if (y, x) in kept
                      else alt.get(y, enc.in_force[y]) for y in spec.overridden_by[x] if y in members]
        alt[x] = all_of(enc.triggered[x], negate(any_of(overriders))) if overriders else enc.triggered[x]
    changes = any_of([enc.verdict_changes(a, *enc.aggregates_with(a, alt))
                      for a in sorted({spec.provisions[x].action for x in affected})])
    idle: set[tuple[str, str]] = set()
    unknown: dict[tuple[str, str], str] = {}
    solver = session.solver
    solver.push()
    try:
        assert_term(solver, changes)
        for i, (value, edge) in enumerate(group):
            ctx.progress("idle overrides", done + i, total)
            part = ctx.slices.part(value)
            part.session.questions += 1
            answer = check_under(solver, [*part.session.lits, dropped[edge],
                                          *[kept[other] for _v, other in group if other != edge]])
            if answer == z3.unsat:
                idle.add(edge)
            elif answer == z3.unknown:
                unknown[edge] = solver.reason_unknown() or "unknown"
            ctx.report.questions = ctx.slices.questions()
    finally:
        solver.pop()
    return idle, unknown


def _matters_at_first(ctx: QueryContext, edge: tuple[str, str]) -> bool:
    """Whether the evaluator shows that an override matters at the first situation where
    both provisions' boxes meet: dropping it changes a verdict there."""
    first = ctx.first_situation(intersect(ctx.boxes[edge[0]], ctx.boxes[edge[1]]))
    return first is not None and override_matters(ctx.spec, *first, edge)


def _report_idle(ctx: QueryContext, idle: set, unknown: dict) -> None:
    for pid, p in ctx.spec.provisions.items():
        for qid in p.overrides:
            if (pid, qid) in unknown:
                ctx.unknown(pid, p.span, f"whether overriding {qid} matters", unknown[(pid, qid)])
        shown = [qid for qid in p.overrides if (pid, qid) in idle]
        if shown:
            ctx.add(Finding("idle-override", NOTE,
                             f"{pid} overrides {', '.join(shown)}, but this changes no situation's verdict",
                             pid, p.span, p.action, (pid, *shown), (),
                             ("wherever both apply, the outcome is the same without the override",)))
