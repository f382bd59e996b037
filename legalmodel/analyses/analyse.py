"""The analyses of design.md over all situations, each finding with concrete evidence.

Every question is asked of one solver per spec (background constraints asserted once,
assumptions passed as guarded literals, each question in a push/pop scope), and is phrased
so that `unsat` means the property holds. Each question has three outcomes: holds, violated
(with a model), or unknown (time limit), and unknown is reported as such, never as holding.

A model becomes evidence only through `Analyser.evidence`, which decodes it, re-evaluates the
situation with the plain evaluator, and stops with `Disagreement` if the two back ends differ.
Evidence is generalised to the facts that matter: a conjunction of fact conditions under
which the finding holds whatever the other facts are (checked by the solver), so several
counterexamples differ in what matters rather than in irrelevant facts.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from functools import cached_property

import z3

from ..law import model as m
from ..semantics.boxes import EMPTY, box_of, disjoint, first_in, given_box, intersect, meeting_pairs, provision_boxes
from ..semantics.encode import Encoding, all_of, any_of, assert_term, boolean, check_under, negate
from ..syntax.source import SourceFile
from ..results import (CheckResult, Condition, Evidence, ExampleResult, ExpectationResult, Finding,  # noqa: F401
                      GoalResult, cannot_help_text)
from ..solver.session import WHOLE, Part, Session, Slices, Unknown, cuts_with
from ..semantics.evaluate import Evaluation, assumptions_hold, evaluate, override_matters
from ..law.model import relevant_facts  # noqa: F401  (the analyses' and the differ's)
from ..solver.parallel import in_worker, run_tasks, usable_cores

ERROR, WARNING, NOTE, INFO = "error", "warning", "note", "info"

MAX_WITNESSES = 3
MAX_PAIRS_PER_ACTION = 50
MAX_WIDENING = 32  # a slice's fact with more values than this is not widened (a question per value left out)



GIVES = {m.PERMIT: m.PERMITTED, m.OBLIGE: m.OBLIGATORY}


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


class Disagreement(RuntimeError):
    """The solver and the evaluator disagree: a bug in legalmodel, never an output."""


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


# ---- the analyser -----------------------------------------------------------------------------

class Analyser:
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
        process that asks only slices never needs these (10,000 provisions: 0.1 s before
        the processes split)."""
        return m.spec_cuts(self.spec)

    @cached_property
    def session(self) -> Session:
        return Session(self.enc, self.enc.solver_background(), [f for _a, f in self.enc.assumptions], self.timeout_ms,
                       self.slices.tally)

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
                 about: frozenset = frozenset()) -> Evidence:
        """Decode a model, re-evaluate it, and (given `build`) generalise it to the facts that
        matter. `build(enc)` builds the property in an encoding: the whole spec's, or a
        slice's. With a slice as `part`, every situation where the property holds lies in it;
        evidence asked of the whole spec is found in the slice of its first situation, where
        it is much cheaper. `about` names the facts the property mentions itself (a goal's
        condition), beyond those of the provisions it asks about."""
        # the whole spec's solver is built only where the question is asked of it or the
        # slice's condition needs it: a process that finds evidence only in slices never
        # builds it (in the generated 10,000-provision check, the process that needed it for
        # nothing spent 0.33 s on it, in a run whose analyses took 7.3 s)
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
            return self._evidence(situation, (), part, label)
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
        return self._evidence(situation, conditions, part, label)

    def _confirm(self, situation: dict, part: Part, expect, what: str) -> None:
        """The evaluator's word on a situation the solver found; a disagreement is a bug."""
        if not assumptions_hold(self.spec, situation) or not expect(evaluate(self.spec, situation, part.among)):
            raise Disagreement(
                f"the solver found a situation for {what}, but the evaluator does not confirm it: {situation}")

    def _evidence(self, situation: dict, conditions: tuple, part: Part, label: str) -> Evidence:
        evaluation = evaluate(self.spec, situation, part.among)
        return Evidence(
            situation=situation,
            conditions=conditions,
            verdicts=dict(evaluation.verdicts),
            in_force=tuple(sorted(evaluation.in_force, key=self.spec.position.__getitem__)),
            triggered=tuple(sorted(evaluation.triggered, key=self.spec.position.__getitem__)),
            label=label,
        )

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

    # ---- findings ---------------------------------------------------------------------------

    def add(self, finding: Finding) -> None:
        self.report.findings.append(finding)

    def unknown(self, subject: str, span, what: str, reason: str, action: str | None = None) -> None:
        """A question not decided in time. `what` names the question, and is part of the
        finding's identity: two undecided questions about one subject have two ids."""
        self.add(Finding("unknown", ERROR,
                         f"could not decide {what} within the time limit ({reason})",
                         subject, span, action, details=(f"time limit per question: {self.timeout_ms} ms",),
                         identity=(what,)))

    def run(self, jobs: int = 1, extra: tuple = ()) -> Report:
        """Every analysis in turn; `progress` is told each step and how far it is, and None
        when all are done. With `jobs` above 1 the analyses' pieces (each goal, each example,
        runs of overrides, `extra`) are shared among that many processes (parallel.run_tasks)
        and their findings put back in the order one process gives them. `extra`: pairs
        (step name, task) of more work to share, such as a check's contracts; their results
        go to `report.extra`, in order."""
        import time

        started = time.perf_counter()
        impossible = self.impossible_assumptions()
        self.report.timings["assumptions"] = time.perf_counter() - started
        plan = [] if impossible else self._plan()
        plan += [(name, task, self.report.extra.append, ANY_SOLVER) for name, task in extra]
        questions = self.slices.questions()
        first, last = self._longest(plan)
        try:
            results = run_tasks([self._timed(name, task) for name, task, _finish, _solver in plan], jobs,
                                shared=self._shared(), first=first, last=last,
                                solver_of=[solver for _name, _task, _finish, solver in plan])
        finally:
            self.progress(None, 0, 0)
        for (name, _task, finish, _solver), (value, seconds, asked) in zip(plan, results):
            finish(value)
            self.report.timings[name] = self.report.timings.get(name, 0.0) + seconds
            questions += asked
        self.report.questions = questions
        return self.report

    def _longest(self, plan: list) -> tuple[list[int], list[int]]:
        """The tasks of the plan expected to take longest, to be handed out first
        (parallel.run_tasks), as (those for this process, those for the others): the goals no
        slice holds, asked of the whole spec (its solver is built for them), and the sweeps
        over every provision, which build the solver of every slice. This process then takes
        the other tasks from the front of the plan and the others from its end, so that the
        first slices' solvers are built here and the last ones' there, where the sweeps built
        them all (at 10,000 provisions, 35 of 41 were built twice when both took from the
        front)."""
        goals = [i for i, (name, _task, _finish, _solver) in enumerate(plan) if name == "goals"]
        whole = [i for i, goal in zip(goals, self.spec.goals)
                 if self.slices.value_for(box_of(self.spec, goal.condition)) is WHOLE]
        sweeps = [i for i, (name, _task, _finish, _solver) in enumerate(plan)
                  if name in ("dead provisions", "contradictions", "collisions")]
        return whole, sweeps

    def _plan(self) -> list:
        """The analyses as tasks: (step name, task, what to do with its result, the solver it
        asks), in order. The solver is a slice group's (Slices.solver_of), or ANY_SOLVER for
        a task that asks the whole spec's or many (parallel.run_tasks deals the tasks of one
        solver together)."""
        spec = self.spec
        plan = [(name, lambda step=step: self._captured(step), self._absorb, ANY_SOLVER)
                for name, step in (("dead provisions", self.dead_provisions), ("contradictions", self.contradictions),
                                   ("collisions", self.collisions), ("gaps", self.gaps))]
        plan += self._idle_override_tasks()
        plan += [("goals", lambda goal=goal: self._captured(self.goal, goal), self._absorb,
                  self._solver_for(self.slices.value_for(box_of(spec, goal.condition)))) for goal in spec.goals]
        plan += [("examples", lambda example=example: self._captured(self.example, example), self._absorb,
                  self._solver_for(self.slices.value_for(given_box(spec, dict(example.given)))))
                 for example in spec.examples]
        return plan

    def _solver_for(self, value) -> int:
        """The slice group whose solver a task about one slice (a value of Slices.key, or
        WHOLE) asks, for dealing (_plan), or ANY_SOLVER; it places no slice in a group."""
        group = self.slices.group_of(value)
        return ANY_SOLVER if group is None else group

    def _timed(self, name: str, task):
        """A task that also returns the seconds it took and the questions it asked."""
        def timed():
            import time

            if self.step != name:
                self.step = name
                self.progress(name, 0, 0)
            started, asked = time.perf_counter(), self.slices.questions()
            value = task()
            return value, time.perf_counter() - started, self.slices.questions() - asked
        return timed

    def _captured(self, step, *args) -> tuple[list, list, list]:
        """What a step adds to the report (findings, goals, examples), taken out of it: the
        step may run in another process, and is put back in order by _absorb."""
        report = self.report
        marks = len(report.findings), len(report.goals), len(report.examples)
        step(*args)
        out = report.findings[marks[0]:], report.goals[marks[1]:], report.examples[marks[2]:]
        del report.findings[marks[0]:], report.goals[marks[1]:], report.examples[marks[2]:]
        return out

    def _absorb(self, captured: tuple[list, list, list]) -> None:
        findings, goals, examples = captured
        self.report.findings.extend(findings)
        self.report.goals.extend(goals)
        self.report.examples.extend(examples)

    def _shared(self) -> list:
        """What results may name rather than copy (parallel.run_tasks): the spec's goals and
        examples, and its source files."""
        return [*self.spec.goals, *self.spec.examples, *spec_sources(self.spec)]

    def impossible_assumptions(self) -> bool:
        """When the assumptions (with the ranges of the facts) admit no situation at all, every
        other analysis would hold vacuously: report that alone, naming a minimal set of
        assumptions that cannot all hold, and say nothing more."""
        if not self.spec.assumptions:  # every fact's range is non-empty (the resolver sees to it)
            return False
        if assumptions_hold(self.spec, self.firsts):
            return False  # the evaluator shows a situation: the first one (the solver is not yet needed)
        try:
            if self.possible():
                return False
        except Unknown as u:
            self.unknown("assumptions", self.spec.assumptions[0].span if self.spec.assumptions else None,
                         "whether the assumptions admit any situation", u.reason)
            return True
        spec = self.spec
        blamed = [spec.assumptions[i] for i in (self.session.blame() or range(len(spec.assumptions)))]
        details = tuple(f"the assumption {('“' + a.label + '” ') if a.label else ''}at {a.span.location()}"
                        for a in blamed) or ("the ranges of the facts admit no value",)
        self.add(Finding("impossible-assumptions", ERROR,
                         "the assumptions admit no situation: these cannot all hold, so nothing else can be checked",
                         "assumptions", blamed[0].span if blamed else None, details=details))
        self.report.questions = self.session.questions
        return True

    def _sweep(self, candidates: list[str], constants: str, seen_in) -> tuple[list[str], list[str]]:
        """Which candidates hold in some situation (`constants` names the encoding's map of
        them, "triggered" or "in_force"; `seen_in(evaluation)` the candidates an evaluation
        shows). Returns (never seen, undecided)."""
        return self._sweep_formulas(
            candidates, lambda enc, p: getattr(enc, constants)[p],
            lambda p, evaluation: p in seen_in(evaluation), lambda p: self.boxes[p])

    def dead_provisions(self) -> None:
        """Dead: triggered in no situation. Never in force: triggered somewhere, in force nowhere.
        A provision in force somewhere is triggered there, so where each is in force is asked
        first, and whether it applies at all only of those never seen in force: most laws
        have few of them, and the second sweep costs nearly nothing."""
        spec = self.spec
        position = spec.position

        def one_by_one(undecided, constants, found, unknown) -> None:
            for pid in undecided:  # the batched question timed out: ask one by one
                try:
                    if not self.possible(getattr(self.enc, constants)[pid]):
                        found.append(pid)
                except Unknown as u:
                    unknown[pid] = u.reason

        not_in_force, undecided = self._sweep(list(spec.provisions), "in_force", lambda e: e.in_force)
        unknown_in_force: dict[str, str] = {}
        one_by_one(undecided, "in_force", not_in_force, unknown_in_force)
        dead, undecided = self._sweep(sorted([*not_in_force, *unknown_in_force], key=position.__getitem__),
                                      "triggered", lambda e: e.triggered)
        unknown_triggered: dict[str, str] = {}
        one_by_one(undecided, "triggered", dead, unknown_triggered)
        for pid, reason in unknown_triggered.items():
            self.unknown(pid, spec.provisions[pid].span, f"whether {pid} can apply", reason)
        for pid, reason in unknown_in_force.items():
            if pid not in dead and pid not in unknown_triggered:
                self.unknown(pid, spec.provisions[pid].span, f"whether {pid} is ever in force", reason)
        for pid in sorted(dead, key=position.__getitem__):
            p = spec.provisions[pid]
            blamed = [spec.assumptions[i] for i in (self.session.blame(self.enc.triggered[pid]) or [])]
            details = tuple(
                f"it contradicts the assumption {('“' + a.label + '” ') if a.label else ''}at {a.span.location()}"
                for a in blamed) or ("the condition contradicts itself or the ranges of its facts",)
            self.add(Finding("dead-provision", WARNING,
                             f"{pid} can never apply: no situation meets its condition",
                             pid, p.span, p.action, (pid,), (), details))
        never = [pid for pid in not_in_force if pid not in dead and pid not in unknown_triggered]
        for pid in sorted(never, key=position.__getitem__):
            p = spec.provisions[pid]
            relevant = self.relevant_facts({p.action})
            part = self.part_for(self.boxes[pid])
            witness = self.sat(part.enc.triggered[pid], part=part)
            ev = self.evidence(witness, lambda e: pid in e.triggered and pid not in e.in_force,
                               f"{pid} triggered but overridden", lambda enc: enc.triggered[pid], relevant, part=part)
            over = [q for q in spec.overridden_by[pid] if q in ev.in_force]
            self.add(Finding("never-in-force", WARNING,
                             f"{pid} applies only where another provision sets it aside",
                             pid, p.span, p.action, (pid, *over), (ev,),
                             (f"wherever it applies, it is overridden (here by {', '.join(over)})",),
                             identity=(pid,)))

    def contradictions(self) -> None:
        self._pairs("contradiction", ERROR, m.OBLIGE, m.FORBID,
                    lambda o, f: True,
                    lambda o, f: f"{o.id} obliges `{o.action}` where {f.id} forbids it")

    def collisions(self) -> None:
        def unstated(p: m.Provision, q: m.Provision) -> bool:
            return (q.id not in p.overrides and q.id not in p.excepts
                    and p.id not in q.overrides and p.id not in q.excepts)

        self._pairs("collision", WARNING, m.PERMIT, m.FORBID, unstated,
                    lambda p, q: f"{p.id} permits `{p.action}` where {q.id} forbids it, "
                                 "and neither names the other")

    def _pairs(self, kind, severity, first_modality, second_modality, relevant_pair, message) -> None:
        """Pairs of provisions on one action both in force somewhere, found by a sweep (in
        the slice where the two can meet), each reported with evidence, at most
        MAX_PAIRS_PER_ACTION per action: the first in the order of the provisions."""
        spec = self.spec
        for action in spec.actions:
            firsts = [p.id for p in spec.provisions_for(action) if p.modality == first_modality]
            seconds = [p.id for p in spec.provisions_for(action) if p.modality == second_modality]
            # pairs whose conditions exclude each other (by their boxes) never meet: not asked
            pairs = [(a, b) for a, b in meeting_pairs(spec, self.boxes, firsts, seconds)
                     if relevant_pair(spec.provisions[a], spec.provisions[b])]
            if not pairs:
                continue
            relevant = self.relevant_facts({action})
            found: dict = {}  # pair → a model of a situation where both are in force

            def seen(hit, model) -> None:
                for key in hit:
                    found.setdefault(key, model)

            _never, undecided = self._sweep_formulas(
                pairs, lambda enc, k: all_of(enc.in_force[k[0]], enc.in_force[k[1]]),
                lambda k, evaluation: k[0] in evaluation.in_force and k[1] in evaluation.in_force,
                lambda k: intersect(self.boxes[k[0]], self.boxes[k[1]]), seen=seen)
            # the first pairs in the spec's order, not the first the solver's models showed:
            # which models it returns depends on what the process solved before
            reported = [key for key in pairs if key in found][:MAX_PAIRS_PER_ACTION]
            for key in reported:
                a, b = spec.provisions[key[0]], spec.provisions[key[1]]
                ev = self.evidence(found[key], lambda e, k=key: k[0] in e.in_force and k[1] in e.in_force,
                                   f"{kind} of {key[0]} and {key[1]}",
                                   lambda enc, k=key: all_of(enc.in_force[k[0]], enc.in_force[k[1]]),
                                   relevant, part=self.part_for(intersect(self.boxes[key[0]], self.boxes[key[1]])))
                details = ()
                if kind == "collision":
                    details = (f"the verdict there is {ev.verdicts[action]}; if that is the intended outcome, "
                               f"state it: add `except {b.citation.swedish()}` to {a.id}, "
                               f"or make {a.id} override it",)
                self.add(Finding(kind, severity, message(a, b), a.id, a.span, action, key, (ev,), details))
            if undecided and len(reported) < MAX_PAIRS_PER_ACTION:
                self.unknown(action, spec.actions[action].span, f"{kind}s on `{action}`",
                             self.slices.whole.session.solver.reason_unknown() or "unknown")

    def gaps(self) -> None:
        spec = self.spec
        for action, a in spec.actions.items():
            if a.default is not None:
                continue
            relevant = self.relevant_facts({action})
            try:
                evs = self.witnesses(lambda enc: enc.verdict_is(action, m.UNDECIDED),
                                     lambda e: e.verdicts[action] == m.UNDECIDED, f"a gap in `{action}`", relevant)
            except Unknown as u:
                self.unknown(action, a.span, f"whether `{action}` has gaps", u.reason)
                continue
            if evs:
                self.add(Finding("gap", ERROR,
                                 f"no provision decides `{action}` in these situations, and it has no default",
                                 action, a.span, action, (), tuple(evs),
                                 (f"add a provision that covers them, or give `{action}` a default",)))

    def _idle_override_tasks(self) -> list:
        """An override P → Q is idle when dropping it changes no verdict in any situation (P
        is never in force where Q applies, or where it is, Q would change nothing). One
        question per override whose boxes meet: a sweep first for where P and Q meet at all
        cost more than it saved, as in a law whose overrides are written where they matter
        nearly every override meets. As tasks for _plan: one per solver the questions go to,
        and a last one that reports what they found."""
        edges, idle, where = self._meeting_overrides()
        unknown: dict = {}

        def take(found: tuple[set, dict]) -> None:
            idle.update(found[0])
            unknown.update(found[1])

        tasks = []
        done = len(idle)
        for group in self._by_solver([e for e in edges if e not in idle], where):
            tasks.append(("idle overrides", lambda group=group, done=done: self._idle_among(group, done, len(edges)),
                          take, self._solver_for(group[0][0])))
            done += len(group)
        return tasks + [("idle overrides", lambda: None, lambda _none: self._report_idle(idle, unknown), ANY_SOLVER)]

    def _meeting_overrides(self) -> tuple[list, set, dict]:
        """Every override (P, Q); those idle by their boxes alone (the overrider's condition
        excludes the overridden one's); and the slice where the others' boxes meet."""
        edges = [(pid, qid) for pid, p in self.spec.provisions.items() for qid in p.overrides]
        idle = {e for e in edges if disjoint(self.boxes[e[0]], self.boxes[e[1]])}
        return edges, idle, {e: self.slices.value_where_both(self.boxes[e[0]], self.boxes[e[1]])
                             for e in edges if e not in idle}

    def _by_solver(self, meeting: list, where: dict) -> list[list[tuple]]:
        """The overrides whose boxes meet, as (slice value, override) grouped by the solver
        their questions go to (Slices.solver_of), in their order."""
        groups: dict = {}
        for edge in meeting:
            value = where[edge]
            groups.setdefault(self.slices.solver_of(value), []).append((value, edge))
        return list(groups.values())

    def _idle_among(self, group: list[tuple], done: int, total: int) -> tuple[set, dict]:
        """Which of these overrides (asked of one solver, each in the slice where the two
        meet) are idle, and which could not be decided (with why); `done` and `total` place
        them among all overrides, for progress.

        One question each, asked of the same formula: the solver gets once the spec's
        provisions as they would be in force were any one of these overrides dropped (a
        literal per override says whether it is), and the question for an override assumes
        that its literal is true and the others false, and that a verdict changes. Building
        the changed verdicts anew for each override cost as much as the solver's answer
        (generated 10,000 provisions, after the sweeps: 9.9 s → 5.8 s). As a sweep, each
        model showed about one override that matters, and the disjunction of them all made
        each question many times harder (generated 100 provisions: 0.6 → 4.9 s).

        Most overrides are written where they matter, and the evaluator shows it at the first
        situation where both provisions' boxes meet (_matters_at_first): only the others are
        asked (generated 10,000 provisions: 88 of 18,389)."""
        spec = self.spec
        group = [(value, edge) for value, edge in group if not self._matters_at_first(edge)]
        if not group:
            return set(), {}
        enc, session = self.slices.encoding_of(group[0][0])
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
                self.progress("idle overrides", done + i, total)
                part = self.slices.part(value)
                part.session.questions += 1
                answer = check_under(solver, [*part.session.lits, dropped[edge],
                                              *[kept[other] for _v, other in group if other != edge]])
                if answer == z3.unsat:
                    idle.add(edge)
                elif answer == z3.unknown:
                    unknown[edge] = solver.reason_unknown() or "unknown"
                self.report.questions = self.slices.questions()
        finally:
            solver.pop()
        return idle, unknown

    def _matters_at_first(self, edge: tuple[str, str]) -> bool:
        """Whether the evaluator shows that an override matters at the first situation where
        both provisions' boxes meet: dropping it changes a verdict there."""
        first = self._first_situation(intersect(self.boxes[edge[0]], self.boxes[edge[1]]))
        return first is not None and override_matters(self.spec, *first, edge)

    def _first_situation(self, box) -> tuple[dict, tuple[str, ...] | None] | None:
        """The first situation in a box (boxes.first_in), for the evaluator to check, with
        the provisions of its slice (Slices.among); None where the box is empty or the
        assumptions exclude that situation."""
        if box is EMPTY:
            return None
        situation = first_in(self.spec, box, self.firsts)
        if not assumptions_hold(self.spec, situation):
            return None
        return situation, self.slices.among(self.slices.value_for(box))

    def _at_first_in(self, box) -> Evaluation | None:
        """The evaluation at the first situation in a box (_first_situation), or None."""
        first = self._first_situation(box)
        return None if first is None else evaluate(self.spec, *first)

    def _report_idle(self, idle: set, unknown: dict) -> None:
        for pid, p in self.spec.provisions.items():
            for qid in p.overrides:
                if (pid, qid) in unknown:
                    self.unknown(pid, p.span, f"whether overriding {qid} matters", unknown[(pid, qid)])
            shown = [qid for qid in p.overrides if (pid, qid) in idle]
            if shown:
                self.add(Finding("idle-override", NOTE,
                                 f"{pid} overrides {', '.join(shown)}, but this changes no situation's verdict",
                                 pid, p.span, p.action, (pid, *shown), (),
                                 ("wherever both apply, the outcome is the same without the override",)))

    def _sweep_formulas(self, keys: list, formula, holds, box, seen=None) -> tuple[list, list]:
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
                        evaluation = self._at_first_in(box(k))
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

    # ---- goals and examples ---------------------------------------------------------------

    def goals(self, witnesses: bool = True) -> None:
        """Whether each goal holds, with witnesses (counterexamples of a failed goal, an
        example of a `possibly` goal). Without `witnesses`, one question per goal settles its
        status and only the statuses are meant to be read (a diff compares them)."""
        for goal in self.spec.goals:
            self.goal(goal, witnesses)

    def goal(self, goal: m.Goal, witnesses: bool = True) -> None:
        """Whether one goal holds (see goals)."""
        spec = self.spec
        box = box_of(spec, goal.condition)
        if not witnesses:
            shown = self._goal_shown_at_first(goal, box)
            if shown is not None:
                self.report.goals.append(GoalResult(goal, _goal_status(goal, shown)))
                return
        part = self.part_for(box)
        condition = part.enc.expr(goal.condition)
        good = part.enc.verdict_in(goal.action, goal.verdicts)

        def wanted(enc):
            return all_of(enc.expr(goal.condition), enc.verdict_in(goal.action, goal.verdicts))

        def unwanted(enc):
            return all_of(enc.expr(goal.condition), negate(enc.verdict_in(goal.action, goal.verdicts)))

        relevant = self.relevant_facts({goal.action}, goal.condition)
        about = frozenset(m.facts_in(goal.condition))
        part.session.bound(about)
        try:
            if not witnesses:
                evs = []
                holds = (not self.possible(unwanted(part.enc), part=part) if goal.kind == "all"
                         else self.possible(condition, good, part=part))
            elif goal.kind == "all":
                evs = self.witnesses(
                    unwanted, lambda e: e.verdicts[goal.action] not in goal.verdicts and e.holds(goal.condition),
                    f"goal “{goal.title}”", relevant, part=part, about=about, box=box)
                holds = not evs
            else:
                model = self.sat(condition, good, part=part)
                holds = model is not None
                evs = [self.evidence(model, lambda e: e.verdicts[goal.action] in goal.verdicts and e.holds(goal.condition),
                                     f"goal “{goal.title}”", wanted, relevant, part=part,
                                     about=about)] if holds else []
        except Unknown as u:
            self.report.goals.append(GoalResult(goal, "unknown"))
            self.unknown(goal.title, goal.span, f"goal “{goal.title}”", u.reason)
            return
        cannot_help = ()
        if holds:
            if goal.expected_to_fail:
                self.add(Finding("goal-holds-unexpectedly", WARNING,
                                 f"goal “{goal.title}” is marked as expected to fail, but it holds",
                                 goal.title, goal.span, goal.action, (), tuple(evs),
                                 ("remove `expected to fail` so the record stays true",)))
        else:
            cannot_help = excluded_helpers(spec, goal, evs)
            what = ("in these situations the verdict is not " + _verdict_words(goal.verdicts)
                    if goal.kind == "all" else "no situation gives the wanted verdict")
            if not goal.expected_to_fail:
                self.add(Finding("failed-goal", ERROR, f"goal “{goal.title}” fails: {what}",
                                 goal.title, goal.span, goal.action,
                                 tuple(sorted({d for ev in evs for d in ev.in_force
                                               if spec.provisions[d].action == goal.action})),
                                 tuple(evs), tuple(cannot_help_text(h) for h in cannot_help),
                                 identity=()))
        self.report.goals.append(GoalResult(goal, _goal_status(goal, holds), tuple(evs), cannot_help))

    def _goal_shown_at_first(self, goal: m.Goal, box) -> bool | None:
        """Whether a goal holds, where the evaluator shows it: a counterexample to an `all`
        goal, or a situation with a wanted verdict for a `some` one, at the first situation
        of its condition's box or of that box met with the box of one of the first
        GOAL_GUESSES provisions on its action that give such a verdict and can apply there
        (in its slice) (_first_situation).
        None where none of them shows it, and the solver is asked."""
        spec = self.spec
        sought = {v for v in m.VERDICTS if (v in goal.verdicts) == (goal.kind != "all")}
        among = self.slices.among(self.slices.value_for(box))
        candidates = (spec.provisions[pid] for pid in among) if among is not None else spec.provisions_for(goal.action)
        meeting = (intersect(box, self.boxes[p.id]) for p in candidates
                   if p.action == goal.action and _VERDICT_OF[p.modality] in sought)
        for guess in [box, *itertools.islice((b for b in meeting if b is not EMPTY), GOAL_GUESSES)]:
            evaluation = self._at_first_in(guess)
            if evaluation is not None and evaluation.holds(goal.condition) and evaluation.verdicts[goal.action] in sought:
                return goal.kind != "all"
        return None

    def _settled_by(self, given: dict) -> Evaluation | None:
        """An evaluation with the verdicts the given facts settle, when the evaluator shows
        that they settle them: the given facts lie in one slice, and every situation that
        gives its provisions' other facts any values (at most SETTLE_COMBINATIONS of them),
        the rest at their first value, meets the assumptions and has the same verdicts. None
        otherwise, and the solver is asked."""
        spec = self.spec
        among = self.slices.among(self.slices.value_for(given_box(spec, given)))
        if among is None:
            return None
        named = sorted({fact for pid in among for fact in spec.named_by(pid)[0]} - set(given),
                       key=list(spec.facts).index)
        values = [spec.facts[fact].type.values() for fact in named]
        if math.prod(len(v) for v in values) > SETTLE_COMBINATIONS:
            return None
        settled = None
        for combination in itertools.product(*values):
            situation = {**self.firsts, **given, **dict(zip(named, combination))}
            if not assumptions_hold(spec, situation):
                return None
            evaluation = evaluate(spec, situation, among)
            if settled is None:
                settled = evaluation
            elif evaluation.verdicts != settled.verdicts:
                return None
        return settled

    def examples(self, witnesses: bool = True) -> None:
        """Whether each example's expectations pass, with a witness for each verdict a failed
        or unsettled expectation allows. Without `witnesses`, only the statuses are meant to
        be read (a diff compares them)."""
        for example in self.spec.examples:
            self.example(example, witnesses)

    def example(self, example: m.Example, witnesses: bool = True) -> None:
        """Whether one example's expectations pass (see examples)."""
        spec = self.spec
        given = dict(example.given)
        results = []
        settled = self._settled_by(given)
        if settled is not None and (not witnesses or all(settled.verdicts[a] == v for a, v in example.expectations)):
            # no question: each verdict is what it is wherever the given facts hold (a failure
            # is shown with witnesses, which the solver finds)
            results = [ExpectationResult(a, v, "passes" if settled.verdicts[a] == v else "fails")
                       for a, v in example.expectations]
            self.report.examples.append(ExampleResult(example, tuple(results)))
            return
        part = self.part_for(given_box(spec, given))
        part.session.bound(given)
        enc = part.enc
        given_formula = enc.situation_formula(given) if given else z3.BoolVal(True)
        try:
            possible = self.sat(given_formula, part=part)
        except Unknown as u:
            self.unknown(example.title, example.span, f"example “{example.title}”", u.reason)
            return
        if possible is None:
            self.add(Finding("impossible-example", ERROR,
                             f"example “{example.title}” describes no possible situation: "
                             "its facts contradict the assumptions",
                             example.title, example.span))
            self.report.examples.append(ExampleResult(example, (ExpectationResult(None, None, "impossible"),)))
            return
        for action, expected in example.expectations:
            relevant = self.relevant_facts({action})
            result = {"action": action, "expected": expected}
            try:
                if not self.possible(given_formula, negate(enc.verdict_is(action, expected)), part=part):
                    result["status"] = "passes"
                    results.append(_expectation(result))
                    continue
                keeps_given = lambda e: all(e.situation[f] == v for f, v in given.items())  # noqa: E731
                if not witnesses:
                    result["status"] = ("underdetermined" if self.possible(
                        given_formula, enc.verdict_is(action, expected), part=part) else "fails")
                    results.append(_expectation(result))
                    continue
                evidence = []  # one witness for each verdict the given facts allow
                for verdict in [expected] + [v for v in m.VERDICTS if v != expected]:
                    model = self.sat(given_formula, enc.verdict_is(action, verdict), part=part)
                    if model is None:
                        continue
                    evidence.append(self.evidence(
                        model, lambda e, v=verdict: e.verdicts[action] == v and keeps_given(e),
                        f"example “{example.title}”", lambda e, v=verdict: e.verdict_is(action, v),
                        relevant, given, label=f"gives {verdict}", part=part))
                possible = [e.verdicts[action] for e in evidence]
                depends = sorted({c.fact for ev in evidence for c in ev.conditions}, key=list(spec.facts).index)
                result["evidence"] = tuple(evidence)
                if expected not in possible:
                    result["status"] = "fails"
                    said = possible[0] if len(possible) == 1 else (
                        " or ".join(possible) + ", depending on " + ", ".join(f"`{d}`" for d in depends))
                    if len(possible) > 1:
                        result["depends_on"] = depends
                    self.add(Finding(
                        "failed-example", ERROR,
                        f"example “{example.title}” expects `{action}` {expected}, but it is {said}",
                        example.title, example.span, action,
                        tuple(sorted({d for ev in evidence for d in ev.in_force
                                      if spec.provisions[d].action == action})),
                        tuple(evidence), identity=()))
                else:
                    result["status"] = "underdetermined"
                    result["depends_on"] = depends
                    self.add(Finding(
                        "underdetermined-example", ERROR,
                        f"example “{example.title}” does not settle `{action}`: "
                        f"the verdict depends on {', '.join('`' + d + '`' for d in depends)}",
                        example.title, example.span, action, (), tuple(evidence),
                        ("state these facts in `given`",)))
            except Unknown as u:
                result["status"] = "unknown"
                self.unknown(example.title, example.span, f"example “{example.title}” on `{action}`",
                             u.reason, action)
            results.append(_expectation(result))
        self.report.examples.append(ExampleResult(example, tuple(results)))


_VERDICT_OF = {m.PERMIT: m.PERMITTED, m.FORBID: m.FORBIDDEN, m.OBLIGE: m.OBLIGATORY}
# the solver of a task of the plan that asks the whole spec's, several, or none (Analyser._plan)
ANY_SOLVER = -1
# how many situations the evaluator tries to show that an example's given facts settle its
# verdicts (Analyser._settled_by)
SETTLE_COMBINATIONS = 64
# how many provisions' boxes a goal's status without witnesses tries for a situation that
# settles it before it asks the solver (Analyser._goal_shown_at_first)
GOAL_GUESSES = 8


def _expectation(result: dict) -> ExpectationResult:
    """An expectation's result, from the entries an example's question set found."""
    depends = result.get("depends_on")
    return ExpectationResult(result["action"], result["expected"], result["status"], result.get("evidence", ()),
                             None if depends is None else tuple(depends))


def _goal_status(goal: m.Goal, holds: bool) -> str:
    if holds:
        return "holds-unexpectedly" if goal.expected_to_fail else "holds"
    return "fails-as-expected" if goal.expected_to_fail else "fails"


def _verdict_words(verdicts) -> str:
    ordered = [v for v in m.VERDICTS if v in verdicts]
    return " or ".join(ordered)


def spec_sources(spec: m.CheckedSpec) -> list[SourceFile]:
    """The source files a spec's spans point into, once each."""
    items = [*spec.provisions.values(), *spec.goals, *spec.examples, *spec.assumptions]
    return list({id(x.span.source): x.span.source for x in items if x.span.source is not None}.values())


# provisions of the largest spec analysed (of the two versions, for a diff): up to
# PARALLEL_UP_TO, one process per usable core; up to TWO_PROCESSES_UP_TO, at most two; above,
# one (unless told otherwise)
PARALLEL_UP_TO = 2_000
TWO_PROCESSES_UP_TO = 20_000


def default_jobs(*specs: m.CheckedSpec) -> int:
    """The processes `check` (or `diff`) shares its questions among unless told. Each
    process builds its own solvers, and they take most of the memory, so the larger the
    specs, the fewer. A diff is sized by its larger version, not by both: its solvers hold
    the provisions that differ and each version's goals, and it needs less memory than a
    check of one version. Generated 10,000 provisions (2 cores, 2026-12-02, peak of the
    processes' proportional set sizes added): `check` with two processes 0.70 GiB; `diff` of
    two versions with two processes 0.53 GiB, 3.9-4.2 s against 4.9 s with one."""
    cores = usable_cores()
    largest = max(len(spec.provisions) for spec in specs)
    return cores if largest <= PARALLEL_UP_TO else min(cores, 2) if largest <= TWO_PROCESSES_UP_TO else 1


def analyse(spec: m.CheckedSpec, timeout_ms: int | None = 10_000, progress=None, slice_share: float = 0.5,
            jobs: int = 1, extra: tuple = ()) -> Report:
    """Run every analysis on a checked spec; `progress(step, done, total)` is told how far it
    is. `slice_share` says when a slice of the spec is small enough to ask (solving.Slices);
    `jobs` and `extra` are Analyser.run's."""
    return Analyser(spec, timeout_ms, progress, slice_share).run(jobs, extra)
