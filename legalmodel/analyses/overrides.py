"""Idle overrides. An override P → Q is idle iff, with the override dropped (and every other
kept), `some verdict changes` is unsat: P is never in force where Q applies, or where it is,
Q would change nothing. Those the evaluator does not show to matter are asked of one
formula per run of a solver's overrides, with a literal per override saying whether it is
dropped: whether dropping exactly one of them changes a verdict, until none does."""

from __future__ import annotations

import z3

from ..i18n import sentence
from ..law import model as m
from ..results import Finding
from ..semantics.boxes import EMPTY, disjoint, intersect
from ..semantics.encode import all_of, any_of, assert_term, boolean, check_under, negate, reason_unknown
from ..semantics.evaluate import Evaluation, assumptions_hold, evaluate, override_matters, override_matters_at, value_of
from ..solver.slices import WHOLE
from .certify import Disagreement
from .context import ANY_SOLVER, NOTE, QueryContext  # noqa: F401
from .symmetry import Symmetry


def idle_override_tasks(ctx: QueryContext) -> list:
    """An override P → Q is idle when dropping it changes no verdict in any situation (P
    is never in force where Q applies, or where it is, Q would change nothing). Every
    override whose boxes meet is decided (_idle_among): a sweep first for where P and Q
    meet at all cost more than it saved, as in a law whose overrides are written where
    they matter nearly every override meets. Not asked: an override another overrider
    always in force where it applies makes idle (_dominated), one whose witness class's
    representative shows it matters (_shown_by_witnesses), and one in a class of others
    that are the same question (symmetry.py), which takes its representative's answer. As
    tasks for _plan: one per run of the overrides one solver is asked (_by_solver), and a
    last one that reports what they found."""
    dominated = _dominated(ctx)
    symmetry = Symmetry(ctx.spec, ctx.boxes, ctx.slices.key)
    shown = _shown_by_witnesses(ctx, symmetry, dominated)
    transferred = symmetry.classes(e for pid, p in ctx.spec.provisions.items() for e in ((pid, q) for q in p.overrides)
                                   if e not in shown and e not in dominated)
    edges, idle, where = _meeting_overrides(
        ctx, lambda edge: edge in transferred or edge in shown or edge in dominated)
    done = len(idle)  # of the edges asked: those idle by their boxes (the dominated are not asked)
    idle.update(dominated)
    unknown: dict = {}

    def take(found: tuple[set, dict]) -> None:
        idle.update(found[0])
        unknown.update(found[1])

    tasks = []
    for group in _by_solver(ctx, [e for e in edges if e not in idle], where):
        tasks.append(("idle overrides", lambda group=group, done=done: _idle_among(ctx, group, done, len(edges)),
                      take, ctx.solver_for(group[0][0])))
        done += len(group)
    return tasks + [("idle overrides", lambda: None, lambda _none: _report_idle(ctx, idle, unknown, transferred),
                     ANY_SOLVER)]


def _dominated(ctx: QueryContext) -> set:
    """The overrides P → Q idle because another overrider D of Q is in force wherever P
    applies: D's condition is a conjunction of comparisons of one fact each, and every
    value P's box allows that fact makes the comparison true (the evaluator's word on
    each), so D is triggered wherever P is; and nothing that overrides D can apply where P
    does. Dropping P → Q then leaves Q set aside by D. A general clause that overrides all
    secrecy where a rule for one recipient does too is idle this way over hundreds of
    sections: one look at the pair, not a question per section."""
    spec, boxes = ctx.spec, ctx.boxes
    # the candidates D, by a fact their box pins to one value (P's box must pin it there
    # too), or with none
    pinned: dict = {}
    anywhere: list = []
    for did, d in spec.provisions.items():
        if not d.overrides or boxes[did] is EMPTY or (atoms := _one_fact_atoms(d.condition)) is None:
            continue
        candidate = (did, atoms, frozenset(d.overrides))
        one = next(((f, v) for f, allowed in boxes[did].items()
                    if not isinstance(allowed, tuple) and len(allowed) == 1 for v in allowed), None)
        (anywhere if one is None else pinned.setdefault(one, [])).append(candidate)
    if not pinned and not anywhere:
        return set()
    found: set = set()
    for pid, p in spec.provisions.items():
        box = boxes[pid]
        if not p.overrides or box is EMPTY:
            continue
        facts = box.keys()
        near = [c for f, allowed in box.items() if not isinstance(allowed, tuple) and len(allowed) == 1
                for v in allowed for c in pinned.get((f, v), ())]
        dominators = [overrides for did, atoms, overrides in near + anywhere
                      if did != pid and all(fact in facts for fact, _atom in atoms)
                      and _always_true(spec, atoms, box)
                      and all(disjoint(boxes[y], box) for y in spec.overridden_by[did])]
        if dominators:
            found.update((pid, qid) for qid in p.overrides if any(qid in overrides for overrides in dominators))
    return found


def _one_fact_atoms(condition: m.Expr) -> list | None:
    """A condition's conjuncts as (fact, conjunct), where each names one fact and asks
    no `applies`; None otherwise."""
    conjuncts = condition.operands if isinstance(condition, m.AndE) else (condition,)
    atoms = []
    for conjunct in conjuncts:
        named = {node for node in m.nodes(conjunct) if isinstance(node, (m.FactRef, m.AppliesE))}
        if len(named) != 1 or not isinstance(fact := next(iter(named)), m.FactRef):
            return None
        atoms.append((fact.fact, conjunct))
    return atoms


MAX_VALUES_TRIED = 4096  # a number's values tried one by one (_always_true); wider: not known


def _always_true(spec: m.CheckedSpec, atoms: list, box: dict) -> bool:
    """Whether each conjunct holds for every value the box allows its fact."""
    for fact, atom in atoms:
        allowed = box[fact]
        if isinstance(allowed, tuple) and allowed[1] - allowed[0] > MAX_VALUES_TRIED:
            return False
        values = range(allowed[0], allowed[1] + 1) if isinstance(allowed, tuple) else allowed
        if not all(value_of(atom, {fact: v}, {}) for v in values):
            return False
    return True


def _shown_by_witnesses(ctx: QueryContext, symmetry: Symmetry, dominated: set) -> set:
    """The overrides shown to matter by the situation of their witness class's
    representative (Symmetry.witness_classes): where the evaluator shows that the
    representative matters at the first situation where both its provisions' boxes meet
    (_matters_at_first), every member that situation carries over to (Symmetry.carries)
    matters too. One evaluation for a class rather than one for each override."""
    shown: set = set()
    narrow = ctx.narrowed
    for rep, members in symmetry.witness_classes().items():
        if not members or rep in dominated:
            continue  # nothing to carry over to, or idle: asked as any other
        first = ctx.first_situation(intersect(ctx.boxes[rep[0]], ctx.boxes[rep[1]]))
        if first is None:
            continue
        situation, among = first
        among = narrow(situation, among)
        evaluation = evaluate(ctx.spec, situation, among)
        if not override_matters_at(ctx.spec, evaluation, among, rep):
            continue
        witness = symmetry.witness(rep, evaluation.triggered, situation)
        shown.add(rep)
        shown.update(edge for edge in members if symmetry.carries(witness, edge))
    if shown & dominated:
        raise Disagreement("an override shown to matter is also idle because another overrider is always in "
                           f"force where it applies: {min(shown & dominated)}")
    return shown


def _meeting_overrides(ctx: QueryContext, skipped) -> tuple[list, set, dict]:
    """Every override (P, Q) to be asked (not `skipped`: shown to matter, or taking its
    class's answer); those idle by their boxes alone (the overrider's condition excludes
    the overridden one's); and the slice where the others' boxes meet."""
    edges = [(pid, qid) for pid, p in ctx.spec.provisions.items() for qid in p.overrides
             if not skipped((pid, qid))]
    idle = {e for e in edges if disjoint(ctx.boxes[e[0]], ctx.boxes[e[1]])}
    return edges, idle, {e: ctx.slices.value_where_both(ctx.boxes[e[0]], ctx.boxes[e[1]])
                         for e in edges if e not in idle}


# the own provisions of the slices whose overrides one formula of _idle_among covers, each
# counted once per slice (docs/performance.md, issue 24, fourth round)
RUN_PROVISIONS = 64


def _by_solver(ctx: QueryContext, meeting: list, where: dict) -> list[list[tuple]]:
    """The overrides whose boxes meet, as (slice value, override) grouped by the solver
    their questions go to (Slices.solver_of), in their order; a solver's overrides in runs
    of slice values whose own provisions, counted once per value, number at most
    GROUP_PROVISIONS (a value's first override places it in a run). _idle_among gives each
    run one formula of what dropping one of its overrides changes: where a duty on
    `applies(forbid in A–B kap.)` is an own provision of every kind in its range, one
    formula for a solver's every kind made each question several times harder."""
    groups: dict = {}
    for edge in meeting:
        value = where[edge]
        groups.setdefault(ctx.slices.solver_of(value), []).append((value, edge))
    runs: list[list[tuple]] = []
    for group in groups.values():
        run_of: dict = {}
        size, first_run = 0, len(runs)
        for value, edge in group:
            if value not in run_of:
                own = ctx.slices.own_count(value)
                if len(runs) == first_run or size + own > RUN_PROVISIONS:
                    runs.append([])
                    size = 0
                size += own
                run_of[value] = len(runs) - 1
            runs[run_of[value]].append((value, edge))
    return runs


def _idle_among(ctx: QueryContext, group: list[tuple], done: int, total: int) -> tuple[set, dict]:
    """Which of these overrides (a run of one solver's, _by_solver) are idle, and which
    could not be decided (with why); `done` and `total` place them among all overrides,
    for progress.

    The evaluator first: an override it shows to matter at the first situation where both
    provisions' boxes meet, or near it (_matters_at_first), is not asked. The solver gets
    once the spec's provisions as they would be in force were any one of the others
    dropped (a literal per override says whether it is), and that a verdict changes.
    Building the changed verdicts anew for each override cost as much as the solver's
    answer. It is then asked whether dropping exactly one of them, any, changes a verdict
    (_any_of_them), until none is left that does; where such a question runs out of time,
    the rest are asked a batch at a time (_disjoint_batches), a batch's literals true and
    the others false."""
    spec = ctx.spec
    narrow = ctx.narrowed
    group = [(value, edge) for value, edge in group if not _matters_at_first(ctx, edge, narrow)]
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
    where = dict((edge, value) for value, edge in group)
    asked = 0

    def dropping(edges) -> z3.CheckSatResult:
        """Whether a verdict changes somewhere with exactly these overrides dropped."""
        chosen = set(edges)
        session.questions += 1
        lits = ctx.slices.part(where[edges[0]]).session.lits if len(edges) == 1 else session.lits
        return check_under(solver, [*lits, *[dropped[e] for e in edges],
                                    *[kept[other] for _v, other in group if other not in chosen]])

    solver.push()
    try:
        assert_term(solver, changes)
        remaining = [edge for _value, edge in group]
        if len(remaining) >= ANY_OF_FROM:
            def progress(left: int) -> None:
                ctx.progress("idle overrides", done + len(group) - left, total)
            remaining = _any_of_them(ctx, enc, session, group, dropped, kept, idle,
                                     sliced=group[0][0] is not WHOLE, progress=progress)
            asked += len(group) - len(remaining)
        for batch in _disjoint_batches(ctx, remaining):
            while batch:
                ctx.progress("idle overrides", done + asked, total)
                answer = dropping(batch)
                ctx.report.questions = ctx.slices.questions()
                if answer == z3.unsat:  # none of them changes a verdict anywhere
                    idle.update(batch)
                    asked += len(batch)
                    break
                if answer == z3.unknown:
                    for edge in batch:  # too hard together: each on its own, the last word on it
                        answer = dropping([edge]) if len(batch) > 1 else answer
                        ctx.report.questions = ctx.slices.questions()
                        if answer == z3.unsat:
                            idle.add(edge)
                        elif answer == z3.unknown:
                            unknown[edge] = reason_unknown(solver) or "unknown"
                    asked += len(batch)
                    break
                matters = _mattering(ctx, enc, solver.model(), batch, sliced=group[0][0] is not WHOLE)
                if not matters:
                    raise Disagreement("the solver found a situation where dropping an override changes a verdict, "
                                       "and the evaluator does not confirm it")
                asked += len(matters)
                batch = [edge for edge in batch if edge not in matters]
    finally:
        solver.pop()
    return idle, unknown


# overrides left to ask of one run from which _idle_among first asks whether any one of them
# matters
ANY_OF_FROM = 2


def _any_of_them(ctx: QueryContext, enc, session, group: list[tuple], dropped: dict, kept: dict, idle: set,
                 sliced: bool, progress) -> list[tuple[str, str]]:
    """Which of a run's overrides matter, asked as one question of "exactly one of them
    dropped" (the solver chooses which) until none is left that changes a verdict: each
    model names the one dropped, the evaluator confirms that it matters at the model's
    situation, and it is kept from then on. An unsat answer shows every one left idle,
    and they are added to `idle`. Returns the overrides left undecided where a question
    ran out of time (asked again one batch at a time), else none; `progress(left)` is told
    how many are left before each question.

    In the cross-cutting generator's laws, most overrides the evaluator does not show to
    matter at the first situation where their provisions meet are idle, and their
    overridden provisions mostly share one kind of information, so the batches of
    _disjoint_batches hold one each: a question per override (docs/performance.md)."""
    solver = session.solver
    edges = [edge for _value, edge in group]
    literals = [dropped[edge] for edge in edges]
    one = boolean(f"one dropped:{edges[0][0]}>{edges[0][1]}")
    assert_term(solver, z3.Implies(one, z3.And(z3.AtMost(*literals, 1), z3.Or(*literals))))
    remaining, shown = list(edges), []
    while remaining:
        progress(len(remaining))
        session.questions += 1
        answer = check_under(solver, [*session.lits, one, *[kept[edge] for edge in shown]])
        ctx.report.questions = ctx.slices.questions()
        if answer == z3.unsat:
            idle.update(remaining)
            return []
        if answer == z3.unknown:
            return remaining
        model = solver.model()
        chosen = next(edge for edge in remaining if z3.is_true(model.eval(dropped[edge], model_completion=True)))
        if not _mattering(ctx, enc, model, [chosen], sliced):
            raise Disagreement("the solver found a situation where dropping an override changes a verdict, "
                               "and the evaluator does not confirm it")
        shown.append(chosen)
        remaining.remove(chosen)
    return []


def _disjoint_batches(ctx: QueryContext, edges: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The overrides, in batches whose overridden provisions can never apply together (their
    boxes pin the slices' fact to values no other of the batch allows), in their order.

    Dropping a batch of such overrides at once changes a verdict in a situation iff dropping
    the one of them whose overridden provision applies there does: an override is read only
    in its overridden provision's being in force, and that provision is not in force, with
    the override or without, where it does not apply. So one unsat question shows a whole
    batch idle, and a model shows, by the evaluator, which of the batch matters. Rules that
    cut across chapters override the secrecy of hundreds of kinds of information, one
    override each: asked one by one, they were most of the questions of a check."""
    key = ctx.slices.key
    batches: list[list[tuple[str, str]]] = []
    taken: list[set] = []  # per batch: the values of the fact its overridden provisions allow
    for edge in edges:
        box = ctx.boxes[edge[1]]
        values = box.get(key) if key is not None and box else None
        if values is None:  # allows every value: a batch of its own
            batches.append([edge])
            taken.append(None)
            continue
        for batch, used in zip(batches, taken):
            if used is not None and used.isdisjoint(values):
                batch.append(edge)
                used.update(values)
                break
        else:
            batches.append([edge])
            taken.append(set(values))
    return batches


def _mattering(ctx: QueryContext, enc, model: z3.ModelRef, batch: list[tuple[str, str]],
               sliced: bool) -> list[tuple[str, str]]:
    """The overrides of a batch that, by the evaluator, change a verdict in the model's
    situation when dropped (in the slice of its value of the slices' fact, where there is one)."""
    key = ctx.slices.key
    among, read = None, None
    if sliced:
        value = enc.decode(model, read={key})[key]
        part = ctx.slices.part(value)
        among, read = part.among, part.mentioned
        # only the override whose overridden provision allows this value can matter here
        batch = [edge for edge in batch if key not in ctx.boxes[edge[1]] or value in ctx.boxes[edge[1]][key]]
    situation = enc.decode(model, read=read)
    return [edge for edge in batch if override_matters(ctx.spec, situation, among, edge)]


def _matters_at_first(ctx: QueryContext, edge: tuple[str, str], narrow) -> bool:
    """Whether the evaluator shows that an override matters at the first situation where
    both provisions' boxes meet: dropping it changes a verdict there. `narrow`
    (QueryContext.narrowed) leaves out of the evaluation the provisions that cannot apply
    there."""
    meeting = intersect(ctx.boxes[edge[0]], ctx.boxes[edge[1]])
    first = ctx.first_situation(meeting)
    if first is None:
        return False
    situation, among = first
    narrowed = narrow(situation, among)
    evaluation = evaluate(ctx.spec, situation, narrowed)
    if override_matters_at(ctx.spec, evaluation, narrowed, edge):
        return True
    return _matters_near(ctx, edge, meeting, evaluation, among, narrow)


# how many provisions in the way _matters_near sets aside, one after another, before the
# solver is asked
SET_ASIDE = 3


def _matters_near(ctx: QueryContext, edge: tuple[str, str], meeting: dict, evaluation: Evaluation, among,
                  narrow) -> bool:
    """Whether the evaluator shows that an override P → Q matters near a situation where it
    does not (`evaluation`, among the provisions `narrow` leaves of `among`): where P and Q
    are triggered, but another overrider of Q, or another provision in force on the act
    with Q's modality, or an overrider of P, stands in the way, that provision is set aside
    by giving one fact of its box a value that the two provisions' boxes allow (`meeting`)
    and its box does not (so it is not triggered), as long as the assumptions hold; up to
    SET_ASIDE times, each time asking the evaluator again. Only "matters" is shown this
    way: the situation is one of the spec's, and the evaluator's word on it is exact.
    Where rules cut across chapters, the first situation often triggers another rule for
    the same recipient and judgement, and such overrides were asked of the solver for
    that alone."""
    spec, boxes = ctx.spec, ctx.boxes
    pid, qid = edge
    q = spec.provisions[qid]
    for _round in range(SET_ASIDE):
        if pid not in evaluation.triggered or qid not in evaluation.triggered:
            return False  # the boxes are necessary only: nothing to set aside
        in_the_way = [y for y in spec.overridden_by[qid] if y != pid and y in evaluation.in_force]
        in_the_way += [y for y in spec.overridden_by[pid] if y in evaluation.in_force]
        in_the_way += [y for y in evaluation.in_force if y not in (pid, qid)
                       and spec.provisions[y].action == q.action and spec.provisions[y].modality == q.modality]
        changed = None
        for y in sorted(dict.fromkeys(in_the_way), key=spec.position.__getitem__):
            changed = _outside(spec, boxes[y], meeting, evaluation.situation)
            if changed is not None:
                break
        if changed is None or not assumptions_hold(spec, changed):
            return False
        narrowed = narrow(changed, among)
        evaluation = evaluate(spec, changed, narrowed)
        if override_matters_at(spec, evaluation, narrowed, edge):
            return True
    return False


# at most this many values kept: _outside orders them by the type rather than walk the type
FEW_KEPT = 8


def _outside(spec: m.CheckedSpec, box, keep: dict, situation: dict) -> dict | None:
    """The situation with the first fact of `box` (in the box's order, which its condition
    gives) given a value `keep` allows and the box does not (the first such value), or None
    where there is none."""
    if box is EMPTY:
        return None
    for name, allowed in box.items():
        kept = keep.get(name)
        t = spec.facts[name].type
        if isinstance(t, m.IntType):
            low, high = kept if kept is not None else (t.low, t.high)
            value = low if low < allowed[0] else (allowed[1] + 1 if allowed[1] < high else None)
        elif isinstance(t, m.EnumType) and kept is not None and len(kept) <= FEW_KEPT:
            # an enumeration of thousands of kinds of information, `keep` one of them: look
            # only at what it keeps, in the type's order
            value = min((v for v in kept if v not in allowed), key=t.members.index, default=None)
        else:
            value = next((v for v in t.values() if v not in allowed and (kept is None or v in kept)), None)
        if value is not None:
            return {**situation, name: value}
    return None


def _report_idle(ctx: QueryContext, idle: set, unknown: dict, transferred: dict) -> None:
    """The idle overrides, one finding per overrider, and the undecided ones; an override
    in a class (symmetry.py) has its representative's answer."""
    for pid, p in ctx.spec.provisions.items():
        answered = [transferred.get((pid, qid), (pid, qid)) for qid in p.overrides]
        for qid, edge in zip(p.overrides, answered):
            if edge in unknown:
                ctx.unknown(pid, p.span, sentence("whether overriding {provision} matters", provision=qid),
                            unknown[edge])
        shown = [qid for qid, edge in zip(p.overrides, answered) if edge in idle]
        if shown:
            ctx.add(Finding("idle-override", NOTE,
                             f"{pid} overrides {', '.join(shown)}, but this changes no situation's verdict",
                             pid, p.span, p.action, (pid, *shown), (),
                             ("wherever both apply, the outcome is the same without the override",)))
