"""The plain evaluator: the semantics of docs/semantics.md, for one concrete situation.

Independent of the Z3 encoding on purpose: the two are checked against each other by the
property tests, and every situation the analyses print is re-evaluated here first.
"""

from __future__ import annotations

import operator
import weakref

from ..law import model as m
from ..frozen import frozen_dataclass


@frozen_dataclass
class Evaluation:
    """What the spec says about one situation."""

    situation: dict
    triggered: frozenset[str]
    in_force: frozenset[str]
    verdicts: dict[str, str]

    def holds(self, condition: m.Expr) -> bool:
        """Whether a condition (which may ask `applies(...)`) is true in this situation."""
        return bool(value_of(condition, self.situation, _Untriggered.fromkeys(self.triggered, True)))

    def deciding(self, spec: m.CheckedSpec, action: str) -> tuple[str, ...]:
        """The provisions in force that produce the verdict on `action`."""
        wanted = m.DECIDING.get(self.verdicts[action], ())
        provisions = spec.provisions
        return tuple(pid for pid in sorted(self.in_force, key=spec.position.__getitem__)
                     if provisions[pid].action == action and provisions[pid].modality in wanted)


class SituationError(ValueError):
    """A situation that is not one of the spec's: a missing fact or a value out of its domain."""


def check_situation(spec: m.CheckedSpec, situation: dict) -> None:
    for name, fact in spec.facts.items():
        if name not in situation:
            raise SituationError(f"no value for `{name}`")
        value = situation[name]
        t = fact.type
        if isinstance(t, m.BoolType):
            ok = isinstance(value, bool)
        elif isinstance(t, m.IntType):
            ok = isinstance(value, int) and not isinstance(value, bool) and t.low <= value <= t.high
        else:
            ok = value in t.members
        if not ok:
            raise SituationError(f"`{value!r}` is not a value of `{name}` ({t.describe()})")


def value_of(expr: m.Expr, situation: dict, triggered: dict[str, bool]):
    """The value of a typed expression in a situation (`triggered`: whether each provision it
    asks about with `applies` is triggered)."""
    return _compiled_once(expr)(situation, triggered)


_ONCE: dict[int, tuple] = {}
_ONCE_LIMIT = 4096


def _compiled_once(expr: m.Expr):
    """`compiled(expr)`, kept for the same expression object: a goal's condition is tested on
    every situation a search looks at. Keyed by identity, as hashing a frozen tree walks it
    each time; the entry holds the expression, so its identity cannot be reused while kept."""
    kept = _ONCE.get(id(expr))
    if kept is not None and kept[0] is expr:
        return kept[1]
    if len(_ONCE) >= _ONCE_LIMIT:
        _ONCE.clear()
    function = compiled(expr)
    _ONCE[id(expr)] = (expr, function)
    return function


_COMPARE = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
            ">=": operator.ge}


class _Compile(m.ExprFold):
    """An expression as a function of (situation, triggered), each node a closure: the tree
    is walked once, here, and a spec's conditions once per spec (_Program), not on every
    evaluation. The property tests hold it to the Z3 encoding."""

    def const(self, e: m.Const):
        value = e.value
        return lambda situation, triggered: value

    def fact(self, e: m.FactRef):
        fact = e.fact
        return lambda situation, triggered: situation[fact]

    def negation(self, e: m.NotE):
        inner = self(e.operand)
        return lambda situation, triggered: not inner(situation, triggered)

    def conjunction(self, e: m.AndE):
        return _joined(tuple(self(x) for x in e.operands), True)

    def disjunction(self, e: m.OrE):
        return _joined(tuple(self(x) for x in e.operands), False)

    def implication(self, e: m.ImpliesE):
        premise, conclusion = self(e.premise), self(e.conclusion)
        return lambda situation, triggered: (not premise(situation, triggered)) or conclusion(situation, triggered)

    def equivalence(self, e: m.IffE):
        left, right = self(e.left), self(e.right)
        return lambda situation, triggered: left(situation, triggered) == right(situation, triggered)

    def comparison(self, e: m.CmpE):
        compare = _COMPARE[e.op]
        if isinstance(e.left, m.FactRef) and isinstance(e.right, m.Const):  # the usual shape
            fact, value = e.left.fact, e.right.value
            return lambda situation, triggered: compare(situation[fact], value)
        left, right = self(e.left), self(e.right)
        return lambda situation, triggered: compare(left(situation, triggered), right(situation, triggered))

    def membership(self, e: m.InE):
        operand, values, negated = self(e.operand), frozenset(c.value for c in e.values), e.negated
        return lambda situation, triggered: (operand(situation, triggered) in values) != negated

    def applies(self, e: m.AppliesE):
        provisions = e.provisions
        if len(provisions) == 1:
            (provision,) = provisions
            return lambda situation, triggered: triggered[provision]
        if len(provisions) <= MANY_ASKED:
            return lambda situation, triggered: any(triggered[p] for p in provisions)
        asked = frozenset(provisions)

        def any_triggered(situation, triggered):
            # a duty on `applies(forbid in A–B kap.)` names hundreds of provisions, of which
            # the few worked out so far are looked up in C (a provision not a key of
            # `triggered` is not triggered)
            if len(triggered) > 8 * len(asked):
                return any(triggered[p] for p in provisions)
            return any(triggered[p] for p in asked.intersection(triggered))
        return any_triggered


# `applies` of more provisions than this is worked out over those already settled
MANY_ASKED = 16


compiled = _Compile()


def _joined(parts: tuple, conjunction: bool):
    """The conjunction (or disjunction) of compiled parts, short-circuiting as `and` (`or`)
    does. Two or three parts, the usual case, are called directly: a generator for each
    evaluation cost a third of the evaluator's time."""
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        if conjunction:
            return lambda situation, triggered: a(situation, triggered) and b(situation, triggered)
        return lambda situation, triggered: a(situation, triggered) or b(situation, triggered)
    if len(parts) == 3:
        a, b, c = parts
        if conjunction:
            return lambda situation, triggered: a(situation, triggered) and b(situation, triggered) and c(situation, triggered)
        return lambda situation, triggered: a(situation, triggered) or b(situation, triggered) or c(situation, triggered)
    if conjunction:
        return lambda situation, triggered: all(f(situation, triggered) for f in parts)
    return lambda situation, triggered: any(f(situation, triggered) for f in parts)


# plans kept at once (_Program.plan): where rules cut across chapters there is one per slice
# and recipient, and keeping them all made memory grow with the law; a plan is cheap to make
# again
MAX_PLANS = 2048


class _Program:
    """A spec compiled for evaluation: its conditions and assumptions as functions, and for
    each set of provisions evaluated (all, or a slice's), the order to work them out in."""

    def __init__(self, spec: m.CheckedSpec):
        self.conditions: dict = {}  # compiled when a plan first needs them
        self.assumptions = tuple(compiled(a.condition) for a in spec.assumptions)
        self._plans: dict = {}
        self._whole: _Whole | None = None
        self._dependents: tuple | None = None  # built when a neighbour is first evaluated
        self._assumptions_on: dict[str, tuple] = {}
        self._dependent_sets: dict[str, frozenset[str]] = {}
        self.cuts: dict | None = None  # m.spec_cuts, worked out when first asked
        self._dependents_by_guard: dict[str, tuple] = {}
        self._guarded_on: dict[str, frozenset[str]] = {}

    def whole(self, spec: m.CheckedSpec) -> _Whole:
        """The whole spec's index for evaluate, built on its first use."""
        if self._whole is None:
            self._whole = _Whole(spec, self)
        return self._whole

    def links(self, spec: m.CheckedSpec) -> tuple[dict, dict, dict]:
        """(fact → the provisions that mention it, provision → those that ask about it with
        `applies`, and the dependents found so far), built on first use."""
        if self._dependents is None:
            mentions: dict[str, list[str]] = {}
            asked_by: dict[str, list[str]] = {}
            for pid in spec.order:
                facts, asks = spec.named_by(pid)
                for name in facts:
                    mentions.setdefault(name, []).append(pid)
                for asked in asks:
                    asked_by.setdefault(asked, []).append(pid)
            self._dependents = (mentions, asked_by, {})
        return self._dependents

    def dependents(self, spec: m.CheckedSpec, fact: str) -> tuple[str, ...]:
        """The provisions whose condition can change with `fact`, in the spec's order: those
        that mention it, and those that ask with `applies` about one that can change."""
        mentions, asked_by, found = self.links(spec)
        if fact not in found:
            reached = set(mentions.get(fact, ()))
            todo = list(reached)
            while todo:
                for pid in asked_by.get(todo.pop(), ()):
                    if pid not in reached:
                        reached.add(pid)
                        todo.append(pid)
            found[fact] = tuple(pid for pid in spec.order if pid in reached)
        return found[fact]

    def dependents_set(self, spec: m.CheckedSpec, fact: str) -> frozenset[str]:
        found = self._dependent_sets.get(fact)
        if found is None:
            found = self._dependent_sets[fact] = frozenset(self.dependents(spec, fact))
        return found

    def dependents_by_guard(self, spec: m.CheckedSpec, fact: str) -> tuple[tuple[str, ...], dict]:
        """The dependents of `fact` without a guard, and the others filed under their guard's
        fact and values (as _Whole files every provision)."""
        found = self._dependents_by_guard.get(fact)
        if found is None:
            guards = self.whole(spec).guards
            unguarded: list[str] = []
            by_guard: dict[str, dict[object, list[str]]] = {}
            for pid in self.dependents(spec, fact):
                guard = guards.get(pid)
                if guard is None:
                    unguarded.append(pid)
                    continue
                for value in guard[1]:
                    by_guard.setdefault(guard[0], {}).setdefault(value, []).append(pid)
            found = self._dependents_by_guard[fact] = (tuple(unguarded), by_guard)
        return found

    def guarded_on(self, spec: m.CheckedSpec, fact: str) -> frozenset[str]:
        """The provisions whose guard (_guard) is on `fact`, whatever its values."""
        found = self._guarded_on.get(fact)
        if found is None:
            by_value = self.whole(spec).index.get(fact, {})
            found = self._guarded_on[fact] = frozenset(pid for pids in by_value.values() for pid in pids)
        return found

    def assumptions_on(self, spec: m.CheckedSpec, fact: str) -> tuple:
        """The compiled assumptions that mention `fact`."""
        found = self._assumptions_on.get(fact)
        if found is None:
            found = self._assumptions_on[fact] = tuple(
                holds for holds, a in zip(self.assumptions, spec.assumptions) if fact in m.facts_in(a.condition))
        return found

    def condition(self, spec: m.CheckedSpec, pid: str):
        if pid not in self.conditions:
            self.conditions[pid] = compiled(spec.provisions[pid].condition)
        return self.conditions[pid]

    def plan(self, spec: m.CheckedSpec, among: tuple[str, ...] | None) -> tuple:
        """(conditions in the order of evaluation, provisions each after its overriders with
        those overriders, and per action its provisions' modalities), for `among`."""
        key = None if among is None else tuple(among)
        found = self._plans.get(key)
        if found is None:
            members = spec.provisions if among is None else set(among)
            order = spec.order if among is None else among
            overriders = {pid: tuple(q for q in spec.overridden_by[pid] if q in members) for pid in order}
            force_order = m.overriders_first(spec, list(spec.provisions) if among is None else list(among))
            by_action: dict[str, list] = {name: [] for name in spec.actions}
            for pid in force_order:
                p = spec.provisions[pid]
                by_action[p.action].append((pid, p.modality))
            if len(self._plans) >= MAX_PLANS:  # the oldest goes: the analyses visit slices in turn
                del self._plans[next(iter(self._plans))]
            found = self._plans[key] = (
                tuple((pid, self.condition(spec, pid)) for pid in order),
                tuple((pid, overriders[pid]) for pid in force_order),
                tuple((name, action.default, tuple(by_action[name])) for name, action in spec.actions.items()))
        return found


_programs: dict[int, tuple[weakref.ref, _Program]] = {}


def _program(spec: m.CheckedSpec) -> _Program:
    """The spec's compiled program, built on its first evaluation and kept while the spec
    lives (the program holds no reference to it)."""
    entry = _programs.get(id(spec))
    if entry is None or entry[0]() is not spec:
        key = id(spec)
        _programs[key] = entry = (weakref.ref(spec, lambda _ref: _programs.pop(key, None)), _Program(spec))
    return entry[1]


class _Untriggered(dict):
    """Triggered provisions while they are worked out; one outside a slice is not triggered."""

    def __missing__(self, pid: str) -> bool:
        return False


def assumptions_hold(spec: m.CheckedSpec, situation: dict) -> bool:
    return all(holds(situation, {}) for holds in _program(spec).assumptions)


def evaluate(spec: m.CheckedSpec, situation: dict, among: list[str] | None = None) -> Evaluation:
    """Triggered provisions, provisions in force, and the verdict on every action.

    `among` limits the work to those provisions, listed in the spec's order of evaluation
    (`CheckedSpec.order`), for a situation in which no other provision can apply (a situation
    inside a slice of the spec, boxes.py): the others count as not triggered."""
    if among is None:
        return _program(spec).whole(spec).evaluate(spec, situation)
    conditions, force_order, actions = _program(spec).plan(spec, among)
    triggered = _triggered(conditions, situation, among)
    in_force = _in_force(force_order, triggered)
    verdicts = {name: _verdict_among(provisions, default, in_force) for name, default, provisions in actions}
    return Evaluation(
        dict(situation),
        frozenset(p for p, t in triggered.items() if t),
        frozenset(p for p, f in in_force.items() if f),
        verdicts,
    )


def neighbour(spec: m.CheckedSpec, before: Evaluation, fact: str, value) -> Evaluation | None:
    """The whole spec's evaluation of `before`'s situation with `fact` set to `value`, or None
    where that situation breaks an assumption; `before` must be the whole spec's evaluation of
    a situation that meets every assumption (see neighbours)."""
    return next(neighbours(spec, before, fact, (value,)))


def neighbours(spec: m.CheckedSpec, before: Evaluation, fact: str, values):
    """For each of `values` in turn, neighbour(spec, before, fact, value), worked out only
    when asked for (a caller may stop at the first that differs). Only the assumptions and
    the provisions that can change with the fact (_Program.dependents) are worked out again,
    in the spec's order (each after those it asks about); the others are triggered as before.
    Where none of them changes, nothing else can: what is in force and the verdicts follow
    from which provisions are triggered. What does not depend on the value is gathered once."""
    program = _program(spec)
    assumptions = program.assumptions_on(spec, fact)
    whole = program.whole(spec)
    unguarded, by_guard = program.dependents_by_guard(spec, fact)
    # a dependent whose guard (_guard) the changed situation fails is not triggered now; the
    # others, and those triggered before, are worked out again
    fixed = set(unguarded)
    fixed.update(before.triggered & program.dependents_set(spec, fact))
    own_guard: dict = {}
    for guard_fact, by_value in by_guard.items():
        if guard_fact == fact:
            own_guard = by_value
        elif guard_fact in before.situation:
            fixed.update(by_value.get(before.situation[guard_fact], ()))
        else:
            fixed.update(pid for pids in by_value.values() for pid in pids)
    position = whole.position.__getitem__
    for value in values:
        changed = {**before.situation, fact: value}
        if not all(holds(changed, {}) for holds in assumptions):
            yield None
            continue
        guarded = own_guard.get(value, ())
        candidates = fixed.union(guarded) if guarded else fixed
        triggered = _Untriggered.fromkeys(before.triggered, True)
        flipped = False
        for pid in sorted(candidates, key=position):
            now = triggered[pid] = bool(program.condition(spec, pid)(changed, triggered))
            flipped = flipped or now != (pid in before.triggered)
        if not flipped:
            yield Evaluation(changed, before.triggered, before.in_force, before.verdicts)
        else:
            yield whole.settled(changed, frozenset(p for p, t in triggered.items() if t))


def cuts(spec: m.CheckedSpec) -> dict:
    """Where each integer fact's comparisons in the spec can change their truth
    (model.spec_cuts): between two cuts, every value evaluates alike."""
    program = _program(spec)
    if program.cuts is None:
        program.cuts = m.spec_cuts(spec)
    return program.cuts


def interact(spec: m.CheckedSpec, fact: str, other: str) -> bool:
    """Whether what a change of `other` does can depend on the value of `fact`: they are the
    same fact, a provision's condition can change with both (their dependents meet), or an
    assumption names both. Where they do not interact and a change of `fact` triggers the
    same provisions, each change of `other` evaluates as it did before."""
    if fact == other:
        return True
    program = _program(spec)
    if program.dependents_set(spec, fact) & program.dependents_set(spec, other):
        return True
    mentioned = program.assumptions_on(spec, fact)
    return any(holds in mentioned for holds in program.assumptions_on(spec, other))


class Interaction:
    """Whether two facts interact at a situation: `interact`, with only the provisions that
    can be triggered around it counted. A provision whose guard (_guard) the situation fails
    is triggered in none of the situations that change the two facts, unless its guard is on
    one of them or on a number (the numbers are what relevance.plausible moves), so a
    provision that depends on a fact only through it, by `applies`, does not depend on that
    fact there. Where rules cut across chapters, every duty that asks whether some secrecy
    in a range of chapters applies depends on the facts of every kind of information in the
    range; at a situation of one kind, on that kind's alone. The facts the situation's
    guards read (not numbers) must keep their values while the object is asked."""

    def __init__(self, spec: m.CheckedSpec, situation: dict):
        self.spec, self.situation = spec, situation
        self.program = _program(spec)
        self.guards = self.program.whole(spec).guards
        self.numbers = frozenset(name for name, fact in spec.facts.items() if isinstance(fact.type, m.IntType))
        self.guard_facts = frozenset(fact for fact, _values in self.guards.values())
        self._found: dict = {}
        self._live: dict = {}  # free facts → the live provisions with theirs (_live_with)
        # the provisions whose guard the situation meets, or that have none or one on a number
        # (the evaluator's index, _Whole): the others can be triggered only where a fact
        # their guard reads changes
        whole = self.program.whole(spec)
        live = set(whole.unguarded)
        for fact, by_value in whole.index.items():
            if fact in self.numbers:
                live.update(self.program.guarded_on(spec, fact))
            else:
                live.update(by_value.get(situation[fact], ()))
        self.live = frozenset(live)

    def __call__(self, fact: str, other: str) -> bool:
        if fact == other:
            return True
        spec, program = self.spec, self.program
        mentioned = program.assumptions_on(spec, fact)
        if any(holds in mentioned for holds in program.assumptions_on(spec, other)):
            return True
        free = frozenset({fact, other}) & self.guard_facts
        return not self._dependents(fact, free).isdisjoint(self._dependents(other, free))

    def values_to_try(self, fact: str, other: str) -> frozenset | None:
        """The values of `other` at which a change of `fact` (a number) can change what
        another value of `other` does, where the change of `fact` leaves the same provisions
        triggered; None for every value. A situation that changes `other` to a value outside
        evaluates alike with `fact` changed or not: the first provision triggered
        differently would mention `fact`, depend on `other` and be triggered there, and a
        provision guarded on `other` (_guard) is triggered only at its guard's values."""
        spec, program = self.spec, self.program
        mentioned = program.assumptions_on(spec, fact)
        if any(holds in mentioned for holds in program.assumptions_on(spec, other)):
            return None
        mentions = program.links(spec)[0]
        on_other = program.dependents_set(spec, other)
        guards = self.guards
        values: set = set()
        for pid in mentions.get(fact, ()):
            if pid not in on_other:
                continue
            guard = guards.get(pid)
            if guard is not None and guard[0] == other:
                values.update(guard[1])
            elif pid in self.live or guard[0] == fact:
                return None
        return frozenset(values)

    def _live_with(self, free: frozenset) -> frozenset[str]:
        """The live provisions, with those guarded on the facts `free` counted as live."""
        if not free:
            return self.live
        found = self._live.get(free)
        if found is None:
            found = self._live[free] = self.live.union(*(self.program.guarded_on(self.spec, f) for f in free))
        return found

    def _dependents(self, fact: str, free: frozenset) -> frozenset[str]:
        """The provisions that can be triggered around the situation (guards on `free` and
        on numbers count as met) and whose condition can change with `fact` there."""
        found = self._found.get((fact, free))
        if found is None:
            program = self.program
            mentions, asked_by, _found = program.links(self.spec)
            live = self._live_with(free)
            reached = set(live.intersection(mentions.get(fact, ())))
            # a level at a time, in set operations: a kind's provisions are each asked
            # about by the same dozens of duties that cut across chapters
            level = reached
            while level:
                asking: set = set()
                for pid in level:
                    askers = asked_by.get(pid)
                    if askers:
                        asking.update(askers)
                asking.intersection_update(live)
                asking.difference_update(reached)
                reached.update(asking)
                level = asking
            found = self._found[(fact, free)] = frozenset(reached)
        return found


def _guard(expr: m.Expr) -> tuple[str, frozenset] | None:
    """A fact and the values it must have for a condition to hold, read off one of its
    top-level conjuncts (`kind = k3`, `kind in {…}`, `b`, `not b`); None where no conjunct
    says one."""
    for part in (expr.operands if isinstance(expr, m.AndE) else (expr,)):
        if isinstance(part, m.CmpE) and part.op == "=" and isinstance(part.left, m.FactRef) \
                and isinstance(part.right, m.Const):
            return part.left.fact, frozenset([part.right.value])
        if isinstance(part, m.InE) and not part.negated and isinstance(part.operand, m.FactRef):
            return part.operand.fact, frozenset(c.value for c in part.values)
        if isinstance(part, m.FactRef):
            return part.fact, frozenset([True])
        if isinstance(part, m.NotE) and isinstance(part.operand, m.FactRef):
            return part.operand.fact, frozenset([False])
    return None


class _Whole:
    """The whole spec, evaluated without visiting every provision: each provision's guard
    (_guard) files it under the values of one fact, so a situation's candidates are the
    provisions filed under its values and those without a guard. A provision left out has a
    false conjunct, so it is not triggered, and what is not triggered is not in force; the
    rest is worked out in the orders `plan` uses. This is the evaluator's own index, apart
    from boxes.py, so a replay on the whole spec does not trust the slices' boxes."""

    def __init__(self, spec: m.CheckedSpec, program: "_Program"):
        # conditions are compiled when a situation first makes their provision a candidate:
        # most situations touch few provisions, and compiling all of a large spec's would
        # cost more than the replays it serves
        self.conditions = program.conditions  # shared with the program's plans
        force_order = m.overriders_first(spec, list(spec.provisions))
        self.position = {pid: i for i, pid in enumerate(spec.order)}
        self.force_position = {pid: i for i, pid in enumerate(force_order)}
        self.overriders = {pid: tuple(spec.overridden_by[pid]) for pid in force_order}
        self.modality = {pid: (p.action, p.modality) for pid, p in spec.provisions.items()}
        self.defaults = tuple((name, action.default) for name, action in spec.actions.items())
        self.unguarded: list[str] = []
        self.index: dict[str, dict[object, list[str]]] = {}
        self.guards: dict[str, tuple[str, frozenset]] = {}
        for pid in spec.order:
            guard = _guard(spec.provisions[pid].condition)
            if guard is None:
                self.unguarded.append(pid)
                continue
            self.guards[pid] = guard
            fact, values = guard
            for value in values:
                self.index.setdefault(fact, {}).setdefault(value, []).append(pid)

    def evaluate(self, spec: m.CheckedSpec, situation: dict) -> Evaluation:
        candidates = set(self.unguarded)
        for fact, by_value in self.index.items():
            if fact in situation:
                candidates.update(by_value.get(situation[fact], ()))
            else:  # not given: its provisions are evaluated, and read it as they always did
                candidates.update(pid for pids in by_value.values() for pid in pids)
        triggered = _Untriggered()
        for pid in sorted(candidates, key=self.position.__getitem__):
            condition = self.conditions.get(pid)
            if condition is None:
                condition = self.conditions[pid] = compiled(spec.provisions[pid].condition)
            triggered[pid] = bool(condition(situation, triggered))
        return self.settled(dict(situation), frozenset(p for p, t in triggered.items() if t))

    def settled(self, situation: dict, triggered: frozenset[str]) -> Evaluation:
        """The evaluation of a situation whose triggered provisions are known: which of them
        are in force, and the verdicts."""
        in_force: set[str] = set()
        modalities: dict[str, set] = {}
        overriders = self.overriders
        # overriders come first in force_position, so each is settled before what it overrides;
        # a secrecy provision under rules that cut across chapters has hundreds of them, looked
        # up by the set's isdisjoint in C, not one by one in Python (kept as tuples: sets of
        # them all cost more memory than they saved time)
        for pid in sorted(triggered, key=self.force_position.__getitem__):
            if in_force.isdisjoint(overriders[pid]):
                in_force.add(pid)
                action, modality = self.modality[pid]
                modalities.setdefault(action, set()).add(modality)
        verdicts = {name: _verdict_from(modalities.get(name, ()), default) for name, default in self.defaults}
        return Evaluation(situation, triggered, frozenset(in_force), verdicts)


def verdict(spec: m.CheckedSpec, situation: dict, among: list[str] | None, action: str) -> str:
    """`evaluate(spec, situation, among).verdicts[action]`, without the rest of the evaluation
    (a diff asks it of thousands of situations)."""
    conditions, force_order, actions = _program(spec).plan(spec, among)
    in_force = _in_force(force_order, _triggered(conditions, situation, among))
    return next(_verdict_among(provisions, default, in_force) for name, default, provisions in actions if name == action)


def override_matters(spec: m.CheckedSpec, situation: dict, among: list[str] | None, override: tuple[str, str]) -> bool:
    """Whether some verdict in this situation differs when the override (P, Q) is dropped (P
    no longer sets Q aside), the same provisions being triggered. `among` as for evaluate."""
    conditions, force_order, actions = _program(spec).plan(spec, among)
    triggered = _triggered(conditions, situation, among)
    overrider, overridden = override
    if not (triggered[overrider] and triggered[overridden]):
        return False  # where either does not apply, the override changes nothing
    with_it, without_it = _in_force(force_order, triggered), _in_force(force_order, triggered, override)
    return any(_verdict_among(provisions, default, with_it) != _verdict_among(provisions, default, without_it)
               for _name, default, provisions in actions)


def override_matters_at(spec: m.CheckedSpec, evaluation: Evaluation, among: list[str] | None,
                        override: tuple[str, str]) -> bool:
    """override_matters at a situation already evaluated: `evaluation` is
    evaluate(spec, situation, among). Only what is in force without the override is worked
    out: an analysis that evaluates a situation anyway need not trigger its provisions again."""
    overrider, overridden = override
    if overrider not in evaluation.triggered or overridden not in evaluation.triggered:
        return False
    _conditions, force_order, actions = _program(spec).plan(spec, among)
    without_it = _in_force(force_order, _Members(evaluation.triggered), override)
    verdicts = evaluation.verdicts
    return any(_verdict_among(provisions, default, without_it) != verdicts[name]
               for name, default, provisions in actions)


class _Members:
    """A set of provisions read as _in_force reads which are triggered."""

    __slots__ = ("members",)

    def __init__(self, members: frozenset[str]):
        self.members = members

    def __getitem__(self, pid: str) -> bool:
        return pid in self.members


def _triggered(conditions, situation: dict, among) -> dict[str, bool]:
    triggered: dict[str, bool] = {} if among is None else _Untriggered()
    for pid, condition in conditions:
        triggered[pid] = bool(condition(situation, triggered))
    return triggered


def _in_force(force_order, triggered: dict[str, bool], without: tuple[str, str] | None = None) -> dict[str, bool]:
    """Which provisions are in force, given which are triggered; `without` an override (P, Q)
    that is dropped."""
    overrider, overridden = without or (None, None)
    in_force: dict[str, bool] = {}
    for pid, overriders in force_order:
        in_force[pid] = triggered[pid] and not any(in_force[q] for q in overriders if q != overrider or pid != overridden)
    return in_force


def _verdict_among(provisions, default: str | None, in_force: dict[str, bool]) -> str:
    """The verdict on an action, from its (provision, modality) pairs and what is in force."""
    return _verdict_from({modality for pid, modality in provisions if in_force[pid]}, default)


def _verdict_from(modalities, default: str | None) -> str:
    if m.OBLIGE in modalities and m.FORBID in modalities:
        return m.CONTRADICTORY
    if m.OBLIGE in modalities:
        return m.OBLIGATORY
    if m.FORBID in modalities:
        return m.FORBIDDEN
    if m.PERMIT in modalities:
        return m.PERMITTED
    return default or m.UNDECIDED
