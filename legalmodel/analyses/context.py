"""The query context of the analyses: every question the analyses ask goes through it, and it
owns what makes them fast and their answers readable.

It holds the spec's encodings (the whole spec's, built only when asked of, and the slices'),
the solver sessions and their bounds, the evaluator's shortcuts (the first situation of a
box), the search for least and general evidence (solver.session), question counting and
progress, and the findings collected so far. An analysis (assumptions, provisions, pairs,
gaps, overrides, goals, examples) is a function of a context; analyse.py schedules them.

A model becomes evidence only through `evidence`, which decodes it, has certify.py replay it
with the plain evaluator, and generalises it to the facts that matter: a conjunction of fact
conditions under which the finding holds whatever the other facts are (checked by the
solver), so several counterexamples differ in what matters rather than in irrelevant facts.
Each question has three outcomes: holds (unsat), violated (a model), or unknown (the time
limit), and unknown is reported as such, never as holding.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import z3

from ..i18n import sentence
from ..law import model as m
from ..law.model import relevant_facts
from ..results import CheckResult, Condition, Evidence, ExampleResult, Finding, GoalResult
from ..semantics.boxes import EMPTY, by_value_of, first_in, pivot, provision_boxes
from ..semantics.encode import Encoding, any_of, negate
from ..semantics.evaluate import Evaluation, assumptions_hold, evaluate
from ..solver.parallel import in_worker
from ..solver.session import Session, Unknown, cuts_with
from ..solver.slices import WHOLE, Part, Slices
from ..syntax.source import SourceFile
from .certify import Disagreement, certified_evidence, certify

ERROR, WARNING, NOTE, INFO = "error", "warning", "note", "info"

MAX_WITNESSES = 3
# the provisions in every slice (Slices.wild) from which QueryContext.narrowed narrows: on
# generate.py's laws (one such provision) narrowing cost more than it saved
# (docs/performance.md, issue 24)
NARROW_FROM = 64
MAX_WIDENING = 32  # a slice's fact with more values than this is not widened (a question per value left out)
# the solver of a task that asks the whole spec's, several, or none (analyse.Analyser._plan)
ANY_SOLVER = -1


@dataclass
class Report:
    """What the analyses have found so far; `result` freezes it."""

    spec: m.CheckedSpec
    findings: list[Finding] = field(default_factory=list)
    goals: list[GoalResult] = field(default_factory=list)
    examples: list[ExampleResult] = field(default_factory=list)
    questions: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for --timings
    extra: list = field(default_factory=list)  # the results of Analyser.run's `extra` tasks, in order

    def result(self) -> CheckResult:
        return CheckResult(self.spec, tuple(self.findings), tuple(self.goals), tuple(self.examples),
                           self.questions, dict(self.timings))


def spec_sources(spec: m.CheckedSpec) -> list[SourceFile]:
    """The source files a spec's spans point into, once each."""
    items = [*spec.provisions.values(), *spec.goals, *spec.examples, *spec.assumptions]
    return list({id(x.span.source): x.span.source for x in items if x.span.source is not None}.values())


class QueryContext:
    def __init__(self, spec: m.CheckedSpec, timeout_ms: int | None = 10_000, progress=None,
                 slice_share: float = 0.5):
        import time

        started = time.perf_counter()
        self.spec = spec
        self.timeout_ms = timeout_ms
        self.report = Report(spec)
        self.boxes = provision_boxes(spec)  # necessary conditions: which provisions can meet
        self.vocabulary = Encoding(spec, members=[])  # the facts' variables, shared by every encoding of the spec
        self.slices = Slices(spec, self.vocabulary, lambda: (self.enc, self.session), self.boxes, timeout_ms, slice_share)
        self.firsts = self.vocabulary.firsts()  # every fact's first value
        self._relevant: dict[frozenset, list[str]] = {}
        self._narrowed: dict = {}  # QueryContext.narrowed's lists
        self._assumed = {f for a in spec.assumptions for f in m.facts_in(a.condition)}  # facts the assumptions name
        self.report.timings["encode"] = time.perf_counter() - started
        told = progress or (lambda step, done, total: None)
        # a worker process (parallel.run_tasks) keeps quiet: the terminal is the parent's
        self.progress = lambda step, done, total: None if in_worker() else told(step, done, total)
        self.step = ""  # the analysis running, for progress

    @cached_property
    def enc(self) -> Encoding:
        """The whole spec's encoding, built when first needed: where the slices and the
        evaluator answer everything, never."""
        return Encoding(self.spec, whole=self.vocabulary)

    @cached_property
    def cuts(self) -> dict:
        """Where the integer facts' comparisons change in the whole spec (Session.generalise),
        worked out where evidence is asked of the whole spec: a slice has its own, and a
        process that asks only slices never needs these."""
        return m.spec_cuts(self.spec)

    @cached_property
    def session(self) -> Session:
        session = Session(self.enc, self.enc.solver_background(), [f for _a, f in self.enc.assumptions],
                          self.timeout_ms, self.slices.tally)
        session.deadline = self.slices.deadline
        return session

    @property
    def deadline(self):
        """The time limit every solver of the spec shares while it runs (Session.Deadline)."""
        return self.slices.deadline

    def sat(self, *formulas, part: Part | None = None) -> z3.ModelRef | None:
        try:
            return (part or self.slices.whole).sat(*formulas)
        finally:
            self.report.questions = self.slices.questions()

    def possible(self, *formulas, part: Part | None = None) -> bool:
        try:
            return (part or self.slices.whole).possible(*formulas)
        finally:
            self.report.questions = self.slices.questions()

    def part_for(self, box) -> Part:
        """The slice that holds every situation in `box` (the whole spec when none does)."""
        return self.slices.part(self.slices.value_for(box))

    @property
    def assume_lits(self):
        return self.session.assume_lits

    def relevant_facts(self, actions, extra: m.Expr | None = None) -> list[str]:
        """relevant_facts, with the part that depends on the actions alone worked out once."""
        key = frozenset(actions)
        if key not in self._relevant:
            self._relevant[key] = relevant_facts(self.spec, actions)
        if extra is None:
            return self._relevant[key]
        found = set(self._relevant[key]) | set(relevant_facts(self.spec, (), extra))
        return [f for f in self.spec.facts if f in found]

    def evidence(self, model: z3.ModelRef, expect, what: str, build=None,
                 relevant: list[str] | None = None, fixed: dict | None = None, label: str = "",
                 avoid: list = (), prefer: list = (), part: Part | None = None,
                 about: frozenset = frozenset(), exact: bool = False) -> Evidence:
        """Decode a model, re-evaluate it, and (given `build`) generalise it to the facts that
        matter. `build(enc)` builds the property in an encoding: the whole spec's, or a
        slice's. With a slice as `part`, every situation where the property holds lies in it;
        evidence asked of the whole spec is found in the slice of its first situation, where
        it is much cheaper. `about` names the facts the property mentions itself (a goal's
        condition), beyond those of the provisions it asks about. `exact`: where a time limit
        cut the search for the first situation or for the facts that matter short, raise
        Unknown rather than give conditions narrower than the facts that matter."""
        # the whole spec's solver is built only where the question is asked of it or the
        # slice's condition needs it: a process that finds evidence only in slices never
        # builds it, which in a large law is a noticeable share of a check
        asked_of = part = part or self.slices.whole
        fixed = fixed or {}

        def read_in(part: Part) -> set[str] | None:
            # in a slice, only what its provisions, the assumptions, the property, the
            # conditions to avoid, the given facts and the prefix mention can matter
            if part.among is None:
                return None
            return part.mentioned | about | {c.fact for cs in avoid for c in cs} | set(fixed) | set(prefix)

        prefix: dict = {}  # the facts up to the slice's, as the whole spec makes them first
        situation = part.enc.decode(model, read=read_in(part))
        self._confirm(situation, part, expect, what)
        if build is None:
            return certified_evidence(self.spec, situation, (), expect, what, part.among, label, avoid)
        prop = build(part.enc)
        key = self.slices.key
        wanted = [prop, *[part.session.outside(c) for c in avoid], *prefer]
        if self.slices.is_whole(part) and self.slices.sliced and key not in fixed:
            start = part.session.least(situation, wanted, fixed, until=key)
            target = self.part_for({key: frozenset([start[key]])})
            if target is not part:
                names = list(self.spec.facts)
                prefix = {f: start[f] for f in names[:names.index(key) + 1] if f not in fixed}
                part, prop = target, build(target.enc)
                wanted = [prop, *[part.session.outside(c) for c in avoid], *prefer,
                          *[part.enc.equals(f, v) for f, v in prefix.items()]]
                # a situation of the slice to start from (start's other facts are not read)
                fixing = [part.enc.situation_formula(fixed)] if fixed else []
                part.session.bound(read_in(part))
                situation = part.enc.decode(part.sat(*wanted, *fixing), read=read_in(part))
        session = part.session
        read = read_in(part)
        session.bound(read or ())
        if read is not None and relevant is not None:
            relevant = [f for f in relevant if f in read]
        pinned = {f: v for f, (v,) in (part.region or {}).items() if f not in fixed}  # the slice's value: nothing to seek
        cuts = self.cuts if part.cuts is None else part.cuts  # a slice has its own
        situation = session.least(situation, wanted, {**fixed, **pinned}, read=read,
                                  cuts=cuts_with(cuts, [c for cs in avoid for c in cs]))
        self._confirm(situation, part, expect, what)
        relevant = relevant or [f for f in self.spec.facts if read is None or f in read]
        region = part.region or {}

        def fails_at(point: dict) -> bool:  # the point lies where the solver's questions do
            return (all(point[f] in allowed for f, allowed in region.items()) and assumptions_hold(self.spec, point)
                    and not expect(evaluate(self.spec, point, part.among)))
        conditions = session.generalise(situation, prop, relevant, fixed, cuts, fails_at)
        if exact and (session.stopped_early or session.generalised_partly):
            raise Unknown(session.unknown_reason())
        within = part.within(conditions, relevant, fixed)
        if within != conditions:
            # the slice's own condition was added: keep it only where the whole spec needs it
            # (the assumptions may give it, or the property may hold on other values too).
            # Where the question itself was asked of the slice, its property holds only
            # there, and with no assumption on the slice's fact any situation of the
            # conditions moved to another value of it lies outside: the condition is needed
            # there, and no other value keeps the property
            if asked_of is part and key not in self._assumed:
                conditions = within
            else:
                whole = self.slices.whole
                outside = [negate(build(whole.enc)), whole.session.cube_formula(conditions),
                           whole.enc.situation_formula(fixed) if fixed else z3.BoolVal(True)]
                if self.possible(*outside):
                    conditions = self._widen_slice_condition(within, situation, outside)
        self.report.questions = self.slices.questions()
        return certified_evidence(self.spec, situation, conditions, expect, what, part.among, label, avoid)

    def _confirm(self, situation: dict, part: Part, expect, what: str) -> None:
        """The evaluator's word on a situation the solver found (certify.py)."""
        certify(self.spec, situation, expect, what, part.among)

    def _widen_slice_condition(self, conditions: tuple[Condition, ...], situation: dict, outside: list) -> tuple:
        """Widen the slice's condition of evidence found in a slice to every value of its fact
        where the other conditions still give the property, as the whole spec's generalisation
        would: the values where they do not are found one question each (`outside` holds
        where the property fails under the other conditions). A fact of more than
        MAX_WIDENING values (a law of thousands of provisions, one value each) stays at the
        slice's one value: the questions would cost more than the rest of the evidence."""
        key = self.slices.key
        t = self.spec.facts[key].type
        if not isinstance(t, m.EnumType) or len(t.members) > MAX_WIDENING:
            return conditions
        whole = self.slices.whole
        failing: list = []
        while True:
            others = negate(any_of([whole.enc.equals(key, v) for v in [situation[key], *failing]]))
            model = self.sat(*outside, others)
            if model is None:
                break
            failing.append(whole.enc.decode(model)[key])
        members = tuple(v for v in t.members if v not in failing)
        return tuple(replace(c, members=members) if c.fact == key else c for c in conditions)

    def witnesses(self, build, expect, what: str, relevant: list[str], fixed: dict | None = None,
                  limit: int = MAX_WITNESSES, part: Part | None = None, about: frozenset = frozenset(),
                  box: dict | None = None) -> list[Evidence]:
        """Up to `limit` situations where the property `build(enc)` builds holds, each in a
        different region of the facts that matter (each next one lies outside the conditions
        of those before). `box`: a box the property's situations lie in, if one is known."""
        part = part or self.slices.whole
        try:
            return part.session.regions(
                build(part.enc), lambda model, earlier, prefer: self.evidence(model, expect, what, build, relevant, fixed,
                                                                   avoid=earlier, prefer=prefer, part=part,
                                                                   about=about),
                limit, fixed, diversify=True, box=box)
        finally:
            self.report.questions = self.slices.questions()

    def add(self, finding: Finding) -> None:
        self.report.findings.append(finding)

    def unknown(self, subject: str, span, what: str, reason: str, action: str | None = None) -> None:
        """A question not decided in time. `what` names the question, and is part of the
        finding's identity: two undecided questions about one subject have two ids."""
        self.add(Finding("unknown", ERROR,
                         sentence("could not decide {what} within the time limit ({reason})", what=what, reason=reason),
                         subject, span, action,
                         details=(sentence("time limit per question: {ms} ms", ms=self.timeout_ms),),
                         identity=(str(what),)))

    def sweep(self, candidates: list[str], constants: str, seen_in) -> tuple[list[str], list[str]]:
        """Which candidates hold in some situation (`constants` names the encoding's map of
        them, "triggered" or "in_force"; `seen_in(evaluation)` the candidates an evaluation
        shows). Returns (never seen, undecided)."""
        return self.sweep_formulas(
            candidates, lambda enc, p: getattr(enc, constants)[p],
            lambda p, evaluation: p in seen_in(evaluation), lambda p: self.boxes[p])

    def sweep_formulas(self, keys: list, formula, holds, box, seen=None) -> tuple[list, list]:
        """Which keys' formulas hold in some situation: ask for a situation where any not yet
        seen holds, read off with the evaluator every one that holds there, and repeat: a few
        questions instead of one per key. `formula(enc, key)` builds a key's formula in an
        encoding, `holds(key, evaluation)` reads it off an evaluation, and `box(key)` is a
        box every situation where it holds lies in, which picks the slice it is asked in.
        `seen(keys, model)` is told the keys each model shows; without it, the keys that hold
        at the first situation of their box (boxes.first_in), by the evaluator, are not asked
        about. Returns (never holding, undecided because a question timed out)."""
        remaining = set(keys)
        groups: dict = {}
        for k in keys:
            groups.setdefault(self.slices.value_for(box(k)), []).append(k)
        order = [v for v in groups if v is not WHOLE] + ([WHOLE] if WHOLE in groups else [])
        undecided: list = []
        if seen is None:  # the evaluator at the first situation of each key's box shows most of them
            for value in order:
                for k in groups[value]:
                    if k in remaining:
                        evaluation = self.at_first_in(box(k))
                        if evaluation is not None:
                            remaining.difference_update([j for j in groups[value] if holds(j, evaluation)])
        for value in order:
            asked = [k for k in groups[value] if k in remaining]
            if not asked:
                continue  # nothing left to ask: its solver is not built
            self.progress(self.step, len(keys) - len(remaining), len(keys))
            part = self.slices.part(value)
            while asked:
                try:
                    model = part.sat(any_of([formula(part.enc, k) for k in asked]))
                except Unknown:
                    undecided.extend(asked)
                    remaining.difference_update(asked)
                    break
                finally:
                    self.report.questions = self.slices.questions()
                if model is None:
                    break
                evaluation = evaluate(self.spec, part.enc.decode(model, read=part.mentioned), part.among)
                # in a slice, only its own keys and those of the whole can hold
                looked_at = asked if value is WHOLE else asked + [k for k in groups.get(WHOLE, ()) if k in remaining]
                present = {k for k in looked_at if holds(k, evaluation)}
                if not present & set(asked):
                    raise Disagreement("the solver found a situation the evaluator does not confirm")
                remaining -= present
                if seen is not None:
                    seen([k for k in looked_at if k in present], model)
                asked = [k for k in asked if k in remaining]
        never = [k for k in keys if k in remaining]
        return never, [k for k in keys if k in set(undecided)]

    def first_situation(self, box) -> tuple[dict, tuple[str, ...] | None] | None:
        """The first situation in a box (boxes.first_in), for the evaluator to check, with
        the provisions of its slice (Slices.among); None where the box is empty or the
        assumptions exclude that situation."""
        if box is EMPTY:
            return None
        situation = first_in(self.spec, box, self.firsts)
        if not assumptions_hold(self.spec, situation):
            return None
        return situation, self.slices.among(self.slices.value_for(box))

    def at_first_in(self, box) -> Evaluation | None:
        """The evaluation at the first situation in a box (_first_situation), or None."""
        first = self.first_situation(box)
        if first is None:
            return None
        situation, among = first
        return evaluate(self.spec, situation, self.narrowed(situation, among))

    @cached_property
    def _narrowing(self) -> list[tuple[str, frozenset, dict]]:
        """For each fact `narrowed` narrows by: the provisions whose boxes leave it free, and
        per value those whose boxes pin it and allow the value."""
        wild = self.slices.wild
        # with few provisions in every slice, a plan per pair of values costs more than it saves
        if len(wild) < NARROW_FROM:
            return []
        index = []
        for fact in (self.slices.key, pivot(self.spec, self.boxes, wild)):
            if fact is None:
                continue
            free, pinning = by_value_of(self.boxes, fact, self.boxes)
            index.append((fact, frozenset(free), {value: frozenset(pids) for value, pids in pinning.items()}))
        return index

    def narrowed(self, situation: dict, among: tuple[str, ...] | None) -> tuple[str, ...] | None:
        """The provisions of `among` (a slice's, or the whole spec's where None) whose boxes
        allow a situation's values of two facts: the slices' fact and the one the provisions
        outside any slice pin most (boxes.pivot; the recipient, where rules cut across
        chapters). A provision whose box does not allow the situation is not triggered in
        it, so evaluating only the others gives the same evaluation as evaluating them all;
        where hundreds of rules cut across chapters, it is a fraction of them. One list per
        pair of values, kept (so the evaluator's plan for it is made once)."""
        index = self._narrowing
        if not index:
            return among
        key = (among, *[situation[fact] for fact, _free, _pinning in index])
        found = self._narrowed.get(key)
        if found is None:
            allowed = [(free, pinning.get(situation[fact], ())) for fact, free, pinning in index]
            found = self._narrowed[key] = tuple(
                pid for pid in (self.spec.order if among is None else among)
                if all(pid in free or pid in pinned for free, pinned in allowed))
        return found

    def solver_for(self, value) -> int:
        """The slice group whose solver a task about one slice (a value of Slices.key, or
        WHOLE) asks, for dealing (_plan), or ANY_SOLVER; it places no slice in a group."""
        group = self.slices.group_of(value)
        return ANY_SOLVER if group is None else group
