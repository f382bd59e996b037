"""The semantic diff of two specs, the impact of one provision, and amendment contracts.

Both specs are encoded over one shared vocabulary (the union of their facts; a fact in both
must be of the same kind, and ranges and enumerations are widened to cover both), with each
spec's provision constants kept apart. For every action and every pair of verdicts
(old → new) the situations that change are described as a cover: a list of regions, each a
conjunction of fact conditions and exceptions (Session.widen). The cover is complete (the
loop stops only when no changed situation lies outside the regions found) and exact (the
solver proved each region lies inside the changed situations). Each region carries a witness,
re-evaluated by the plain evaluator on both sides, the provisions that decided there on each
side, and those that decide elsewhere in it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property

from ..i18n import sentence
from ..law import model as m
from ..law.model import relevant_facts
from . import examples, goals
from .certify import Disagreement
from .context import QueryContext, spec_sources
from ..syntax.diagnostics import Diagnostic, SpecErrors
from ..semantics.boxes import EMPTY, by_value_of, pivot, provision_boxes
from ..semantics.encode import Encoding, all_of, any_of, facts_of
from ..solver.parallel import in_worker, run_tasks
from ..semantics.evaluate import Evaluation, assumptions_hold, evaluate, verdict
from ..results import (ContractResult, DiffResult, ExampleChange, GoalChange,  # noqa: F401
                      Region)
from ..solver.session import Session, Unknown, cuts_with
from ..solver.slices import Part
from ..frozen import frozen_dataclass

MAX_ITEMS = 200
ALLOWED = frozenset({m.PERMITTED, m.OBLIGATORY})


def union_vocabulary(old: m.CheckedSpec, new: m.CheckedSpec) -> dict[str, m.Fact]:
    """The facts of both specs; ranges and enumerations widened to cover both sides."""
    out: dict[str, m.Fact] = {}
    problems = []
    for name in list(old.facts) + [f for f in new.facts if f not in old.facts]:
        a, b = old.facts.get(name), new.facts.get(name)
        if a is None or b is None:
            out[name] = a or b
            continue
        ta, tb = a.type, b.type
        if isinstance(ta, m.BoolType) and isinstance(tb, m.BoolType):
            out[name] = a
        elif isinstance(ta, m.IntType) and isinstance(tb, m.IntType):
            out[name] = replace(a, type=m.IntType(min(ta.low, tb.low), max(ta.high, tb.high)))
        elif isinstance(ta, m.EnumType) and isinstance(tb, m.EnumType):
            members = ta.members + tuple(x for x in tb.members if x not in ta.members)
            out[name] = replace(a, type=m.EnumType(ta.name, members))
        else:
            problems.append(Diagnostic(
                "diff", sentence("the fact `{name}` is {old} in one spec and {new} in the other", name=name,
                                 old=ta.describe(), new=tb.describe()),
                b.span, help=sentence("a diff compares specs over the same facts; rename one of them")))
    if problems:
        raise SpecErrors(problems)
    return out


def _restrict(situation: dict, spec: m.CheckedSpec) -> dict:
    return {k: v for k, v in situation.items() if k in spec.facts}


def differing_provisions(old: m.CheckedSpec, new: m.CheckedSpec) -> list[str]:
    """The provisions of either spec that the other lacks, or has with another modality,
    action, condition or set of overriders. Where none of them is triggered in either spec,
    every provision is in force alike in both, and no verdict differs."""
    def meaning(spec: m.CheckedSpec, pid: str):
        p = spec.provisions[pid]
        return p.modality, p.action, p.condition, frozenset(spec.overridden_by[pid])

    ids = list(old.provisions) + [pid for pid in new.provisions if pid not in old.provisions]
    return [pid for pid in ids if pid not in old.provisions or pid not in new.provisions
            or meaning(old, pid) != meaning(new, pid)]


def changing_actions(old: m.CheckedSpec, new: m.CheckedSpec) -> set[str]:
    """The actions of both specs whose verdict can differ in some situation, read off the
    provisions without a solver. A verdict depends only on which provisions are in force and
    on the action's default; a provision is in force alike in both specs when it has the same
    modality, action, condition and overriders in both, and every provision its condition asks
    about (`applies`) and every one that overrides it is alike too. An action none of whose
    provisions differ in this sense, and whose default is the same, keeps its verdict in every
    situation (assumptions only say which situations there are). Most amending acts touch a few
    provisions, and an act that only rewords them changes no action at all."""
    differs = differing_provisions(old, new)
    # what depends on a provision: the provisions that ask about it, and those it overrides
    # (alike in both specs wherever the dependent provision itself is alike)
    dependents: dict[str, list[str]] = {}
    for spec in (old, new):
        for pid, p in spec.provisions.items():
            for asked in m.applied_in(p.condition):
                dependents.setdefault(asked, []).append(pid)
            for overrider in spec.overridden_by[pid]:
                dependents.setdefault(overrider, []).append(pid)
    affected = set(differs)
    stack = list(differs)
    while stack:
        for pid in dependents.get(stack.pop(), ()):
            if pid not in affected:
                affected.add(pid)
                stack.append(pid)
    actions = {spec.provisions[pid].action for pid in affected for spec in (old, new) if pid in spec.provisions}
    actions |= {a for a in old.actions if a in new.actions and old.actions[a].default != new.actions[a].default}
    return {a for a in actions if a in old.actions and a in new.actions}


@frozen_dataclass
class DiffPart:
    """Both specs, or one slice of both, to ask a diff's questions of: a session over both
    encodings; in a slice, the provisions of each spec that can apply there (in their order of
    evaluation), the facts its questions can name, and the value of the fact it pins."""

    session: Session
    old_enc: Encoding
    new_enc: Encoding
    old_among: tuple[str, ...] | None = None
    new_among: tuple[str, ...] | None = None
    read: frozenset[str] | None = None
    pin: Part | None = None  # a slice's part of the old spec, whose `within` adds the slice's condition
    cuts: dict | None = None  # model.spec_cuts of a slice's provisions (None: of both whole specs)


class Replays:
    """The evaluator's word at the points the searches of one cover replay (`holds_at` of
    Differ._change: generalise's and widen's guesses), each point evaluated once. The
    regions of one cover start from nearby least situations, so their guesses meet the same
    points again (half of them in the impact of a large provision). A point is kept as its
    values, under the tuple of its facts' names (one object for the points that share it),
    and at most LIMIT values are kept: beyond, the answers are dropped and evaluated anew."""

    LIMIT = 1 << 21

    def __init__(self):
        self._names: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._answers: dict[tuple, bool | None] = {}
        self._kept = 0

    def answer(self, point: dict, replay) -> bool | None:
        """`replay(point)`, asked once per point."""
        names = tuple(point)
        key = (self._names.setdefault(names, names), tuple(point.values()))
        if key in self._answers:
            return self._answers[key]
        if self._kept + len(names) > self.LIMIT:
            self._names.clear()
            self._answers.clear()
            self._kept = 0
        answer = self._answers[key] = replay(point)
        self._kept += len(names)
        return answer


class Differ:
    def __init__(self, old: m.CheckedSpec, new: m.CheckedSpec, timeout_ms: int | None,
                 old_label: str = "before", new_label: str = "after", progress=None, slice_share: float = 0.5):
        """`slice_share`: the largest part of both specs' provisions a slice may hold to be
        used (0: never slice), as for check (solver.session.Slices)."""
        self.old, self.new = old, new
        self.timeout_ms = timeout_ms
        told = progress or (lambda step, done, total: None)
        # a worker process (parallel.run_tasks) keeps quiet: the terminal is the parent's
        self.progress = lambda step, done, total: None if in_worker() else told(step, done, total)
        self.vocabulary = union_vocabulary(old, new)
        self.changing = changing_actions(old, new)
        self.result = DiffResult(old_label, new_label, old, new, self.vocabulary)
        self.slice_share = slice_share
        self._tally = [0]  # questions of every session
        self._slices: dict = {}
        self._member_index: dict = {}  # see _members (keyed by id: the specs are self.old and self.new)
        self._relevant_facts: dict[str, list[str]] = {}  # see _relevant

    @cached_property
    def old_enc(self) -> Encoding:
        return Encoding(self.old, self.vocabulary, "old:")

    @cached_property
    def new_enc(self) -> Encoding:
        return Encoding(self.new, self.vocabulary, "new:")

    @cached_property
    def session(self) -> Session:
        """Both specs over the shared facts, built only when a question is asked: a diff or a
        contract where no verdict can change (changing_actions) asks none."""
        assumptions = [f for _a, f in self.old_enc.assumptions] + [f for _a, f in self.new_enc.assumptions]
        background = self.old_enc.domain + self.old_enc.solver_definitions() + self.new_enc.solver_definitions()
        return Session(self.old_enc, background, assumptions, self.timeout_ms, self._tally)

    @property
    def questions(self) -> int:
        return self._tally[0]

    # ---- slices ----------------------------------------------------------------------------

    @cached_property
    def _cut(self) -> tuple | None:
        """How a change can be cut into slices, as check cuts a spec (solver.session.Slices): the
        fact, the values every situation where a verdict changes has one of, and each spec's
        provision boxes. A verdict changes only where a provision that differs
        (differing_provisions) is triggered, so only in the values their boxes allow the
        fact. None when some differing provision allows every value, or a slice would hold
        more than `slice_share` of the provisions."""
        if self.slice_share <= 0:
            return None
        boxes = (provision_boxes(self.old), provision_boxes(self.new))
        key = pivot(self.old, boxes[0], list(self.old.provisions))
        if key is None or key not in self.new.facts or isinstance(self.vocabulary[key].type, m.IntType):
            return None
        values: set = set()
        for pid in differing_provisions(self.old, self.new):
            for spec, spec_boxes in zip((self.old, self.new), boxes):
                box = spec_boxes.get(pid, EMPTY)
                if box is EMPTY:
                    continue
                if key not in box:
                    return None
                values |= box[key]
        total = len(self.old.provisions) + len(self.new.provisions)
        for value in values:
            held = sum(len(self._members(spec, spec_boxes, key, value)) for spec, spec_boxes in zip((self.old, self.new), boxes))
            if held > self.slice_share * total:
                return None
        order = list(self.vocabulary[key].type.values())
        return key, sorted(values, key=order.index), boxes

    def _members(self, spec: m.CheckedSpec, boxes: dict, key: str, value) -> list[str]:
        """The provisions of `spec` that can apply where `key` has `value`, in the order of
        evaluation: those whose box allows every value of `key`, and those that allow this one
        (indexed once per spec: a law of 10,000 provisions is asked of a hundred values)."""
        index_key = (id(spec), key)
        if index_key not in self._member_index:
            position = {pid: i for i, pid in enumerate(spec.order)}
            self._member_index[index_key] = (position, *by_value_of(boxes, key, spec.order))
        position, wild, by_value = self._member_index[index_key]
        return sorted([*wild, *by_value.get(value, ())], key=position.__getitem__)

    @cached_property
    def _bases(self) -> tuple[Encoding, Encoding]:
        """Each spec's facts, ranges and assumptions, with no provision: what slices share."""
        return Encoding(self.old, self.vocabulary, "old:", members=[]), Encoding(self.new, self.vocabulary, "new:", members=[])

    @cached_property
    def _rule_cuts(self) -> tuple[dict, dict]:
        return m.rule_cuts(self.old), m.rule_cuts(self.new)

    def parts(self, action: str) -> list[DiffPart]:
        """Where to look for the situations whose verdict on `action` changes: both whole
        specs, or the slices of both that hold every such situation."""
        if self._cut is None or self.old.actions[action].default != self.new.actions[action].default:
            return [DiffPart(self.session, self.old_enc, self.new_enc)]
        key, values, _boxes = self._cut
        return [self._slice(key, value) for value in values]

    def _slice(self, key: str, value) -> DiffPart:
        if value not in self._slices:
            _key, _values, boxes = self._cut
            region = {key: frozenset([value])}
            encodings, among, read = [], [], set()
            for spec, spec_boxes, prefix, base in zip((self.old, self.new), boxes, ("old:", "new:"), self._bases):
                members = self._members(spec, spec_boxes, key, value)
                read |= facts_of(spec, members, region)
                encodings.append(Encoding(spec, self.vocabulary, prefix, members=members, region=region, whole=base,
                                          bounded=read))
                among.append(tuple(members))
            old_enc, new_enc = encodings
            session = Session(old_enc, old_enc.solver_background() + new_enc.solver_definitions(),
                              [f for _a, f in old_enc.assumptions] + [f for _a, f in new_enc.assumptions],
                              self.timeout_ms, self._tally)
            session.bounded = set(read)
            self._slices[value] = DiffPart(session, old_enc, new_enc, among[0], among[1], frozenset(read),
                                           Part(old_enc, session, among[0], region),
                                           m.spec_cuts(self.old, self.new, members=tuple(among), rules=self._rule_cuts))
        return self._slices[value]

    # ---- evidence --------------------------------------------------------------------------

    def _change(self, model, action, v_old, v_new, prop, relevant, avoid=(), cuts=None,
                part: DiffPart | None = None, condition: m.Expr | None = None, floor: dict | None = None,
                widen: bool = False, replays: Replays | None = None) -> Region:
        """The change a model shows: `action` going `v_old` → `v_new` (where `condition`
        holds, in the new spec, if given), as `prop` says it in the solver. `floor`: the
        first situation of the region before, in the same part (Session.least). `widen`:
        the region is grown with exceptions where that takes in more of the change
        (Session.widen; not in a slice, whose pinned fact they would have to respect), and
        every provision that decides somewhere in it is named. `replays`: the evaluator's
        answers at points of the searches, shared by the regions of one cover (for the same
        action, verdicts, part and `condition`)."""
        part = part or DiffPart(self.session, self.old_enc, self.new_enc)
        session = part.session
        if part.cuts is not None and cuts is not None:
            cuts = part.cuts
        read = None if part.read is None else part.read | {f for cs in avoid for c in cs for f in c.facts}
        session.bound(read or ())
        pinned = {} if part.pin is None else {f: v for f, (v,) in part.pin.region.items()}  # nothing to seek

        def replay(point: dict) -> bool | None:
            """Whether the change is there, None where the solver's questions cannot be."""
            if any(point[f] != v for f, v in pinned.items()):
                return None
            # each spec reads only its own facts of the point
            if not assumptions_hold(self.old, point) or not (
                    self._same_assumptions or assumptions_hold(self.new, point)):
                return None
            if verdict(self.old, point, part.old_among, action) != v_old:
                return False
            if condition is None:
                return verdict(self.new, point, part.new_among, action) == v_new
            after = evaluate(self.new, point, part.new_among)
            return after.verdicts[action] == v_new and after.holds(condition)
        replays = replays or Replays()

        def holds_at(point: dict) -> bool | None:
            return replays.answer(point, replay)

        def wanted_at(point: dict) -> bool:  # the change, outside the regions before
            return holds_at(point) is True and not any(all(c.admits(point) for c in cs) for cs in avoid)
        # not in a slice: its questions are small, and the evaluator's look at each run of
        # facts cost more than the questions it saved (docs/performance.md)
        situation = session.least(part.old_enc.decode(model, read=read), [prop, *[session.outside(c) for c in avoid]],
                                  pinned, read=read, cuts=cuts_with(cuts, [c for cs in avoid for c in cs]),
                                  floor=floor, holds=wanted_at if part.pin is None else None)
        # the witness is replayed on each whole spec, not on the slice it was found in
        e_old = evaluate(self.old, _restrict(situation, self.old))
        e_new = evaluate(self.new, _restrict(situation, self.new))
        if e_old.verdicts[action] != v_old or e_new.verdicts[action] != v_new:
            raise Disagreement(f"the solver found `{action}` going {v_old} → {v_new} where the evaluator "
                               f"says {e_old.verdicts[action]} → {e_new.verdicts[action]}: {situation}")
        if read is not None:
            relevant = [f for f in relevant if f in read]
        conditions = session.generalise(situation, prop, relevant, {}, cuts, lambda p: holds_at(p) is False)
        if widen and part.pin is None:
            conditions = session.widen(situation, conditions, prop, relevant, cuts, holds_at)
        in_region = ()
        if widen:
            region = session.cube_formula(conditions)
            in_region = tuple(self._deciding_in(session, region, conditions, enc, spec, action, v,
                                                e.deciding(spec, action))
                              for enc, spec, v, e in ((part.old_enc, self.old, v_old, e_old),
                                                      (part.new_enc, self.new, v_new, e_new)))
        if part.pin is not None:  # the slice's own condition: outside the slice, no verdict changes
            conditions = part.pin.within(conditions, relevant, {})
        change = self._make_change(action, v_old, v_new, conditions, situation, e_old, e_new)
        return replace(change, old_deciding_in_region=in_region[0], new_deciding_in_region=in_region[1]) \
            if in_region else change

    @staticmethod
    def _deciding_in(session, region, conditions: tuple, enc: Encoding, spec: m.CheckedSpec, action: str,
                     verdict_there: str, at_witness: tuple[str, ...]) -> tuple[str, ...]:
        """The provisions that decide the verdict somewhere in a region where it is
        `verdict_there` throughout: those at its witness, and each other one the solver finds
        in force in some situation of it (a region grown with exceptions can span several
        provisions' ground: 26 kap. 1 § and 3 § giving way to one duty). Each is named only
        once the evaluator, on the whole spec, shows it in force at the solver's situation, and
        that situation inside the region.

        Asked as a sweep: a situation of the region where any of those not yet found is in
        force, and every one the evaluator shows in force there is found, until none is
        left that can be: one unsat question shows it of all the rest, where they were asked
        one by one. A model is read in full: working out which facts the provisions left
        turn on cost more than reading them all (docs/performance.md, issue 24)."""
        found = set(at_witness)
        left = [pid for pid in enc.deciders(action, verdict_there) if pid not in found]
        while left:
            model = session.sat(region, any_of([enc.in_force[pid] for pid in left]))
            if model is None:
                break
            point = enc.decode(model)
            there = evaluate(spec, _restrict(point, spec))
            shown = [pid for pid in left if pid in there.in_force]
            if not shown or not all(c.admits(point) for c in conditions):
                raise Disagreement(f"the solver finds one of {', '.join(left)} deciding `{action}` as {verdict_there} "
                                   f"in a region where the evaluator does not confirm it: {point}")
            found.update(shown)
            left = [pid for pid in left if pid not in there.in_force]
        return tuple(sorted(found, key=spec.position.__getitem__))

    def _make_change(self, action, v_old, v_new, conditions, situation, e_old: Evaluation, e_new: Evaluation):
        return Region(action, v_old, v_new, conditions, situation,
                      e_old.deciding(self.old, action), e_new.deciding(self.new, action),
                      _in_force_on(self.old, e_old, action), _in_force_on(self.new, e_new, action))

    # ---- the cover -------------------------------------------------------------------------

    def verdict_change_tasks(self, actions: list[str] | None = None) -> list[tuple]:
        """The cover of the situations where a verdict changes, as tasks (parallel.run_tasks):
        one per action and pair of verdicts, each with what to do with its result, in order."""
        common = [a for a in self.old.actions if a in self.new.actions]
        self.result.added_actions = [a for a in self.new.actions if a not in self.old.actions]
        self.result.removed_actions = [a for a in self.old.actions if a not in self.new.actions]
        tasks = []
        for action in actions or common:
            if action not in self.changing:
                continue
            for v_old in m.VERDICTS:
                for v_new in m.VERDICTS:
                    if v_old != v_new:
                        tasks.append((lambda key=(action, v_old, v_new): self._cover(*key), self._take_cover))
        return tasks

    @cached_property
    def _same_assumptions(self) -> bool:
        """Whether both specs assume the same (an impact's two sides always do): then where
        the old spec's assumptions hold, the new one's do, and they are evaluated once."""
        return self.old.assumptions is self.new.assumptions or (
            [a.condition for a in self.old.assumptions] == [a.condition for a in self.new.assumptions])

    @cached_property
    def _cuts(self) -> dict:
        return m.spec_cuts(self.old, self.new)  # the verdicts' questions name both specs' conditions

    def _cover(self, action: str, v_old: str, v_new: str) -> tuple:
        """The regions where the verdict on `action` goes from v_old to v_new: (key, changes,
        whether more regions were left out, why the solver gave up or None)."""
        key = (action, v_old, v_new)
        relevant = self._relevant(action)
        parts = self.parts(action)
        items: list[Region] = []
        incomplete = False
        try:
            for n, part in enumerate(parts):
                prop = all_of(part.old_enc.verdict_is(action, v_old), part.new_enc.verdict_is(action, v_new))

                floor: list[dict | None] = [None]  # the first situation of the region before
                replays = Replays()

                def item(model, earlier, _prefer, part=part, prop=prop, floor=floor, replays=replays):
                    self.progress(f"`{action}` {v_old} → {v_new}: {len(items) + len(earlier) + 1} regions", 0, 0)
                    # each region's situations lie outside those before: none comes before
                    # the first situation of the one before
                    change = self._change(model, action, v_old, v_new, prop, relevant, earlier, self._cuts, part,
                                          floor=floor[0], widen=True, replays=replays)
                    floor[0] = None if part.session.stopped_early else change.situation
                    return change

                found = part.session.regions(prop, item, MAX_ITEMS - len(items))
                items.extend(found)
                if len(items) == MAX_ITEMS:
                    incomplete = part.session.possible(prop, *[part.session.outside(c.conditions) for c in found]) or any(
                        p.session.possible(all_of(p.old_enc.verdict_is(action, v_old), p.new_enc.verdict_is(action, v_new)))
                        for p in parts[n + 1:])
                    break
        except Unknown as u:
            return key, [], False, u.reason
        return key, items, incomplete, None

    def _relevant(self, action: str) -> list[str]:
        """The facts that can matter to the verdict on `action` in either spec, in the order of
        the shared facts (worked out once per action: each of the 20 pairs of verdicts asks,
        and in a large law it is not cheap)."""
        if action not in self._relevant_facts:
            names = set(relevant_facts(self.old, {action})) | set(relevant_facts(self.new, {action}))
            self._relevant_facts[action] = [f for f in self.vocabulary if f in names]
        return self._relevant_facts[action]

    def _take_cover(self, cover: tuple) -> None:
        (action, v_old, v_new), items, incomplete, unknown = cover
        if unknown is not None:
            self.result.unknown.append(f"`{action}` {v_old} → {v_new}: {unknown}")
            return
        if incomplete:
            self.result.incomplete.append((action, v_old, v_new))
        if items:
            self.result.covers[(action, v_old, v_new)] = items

    # ---- goals and examples on both sides ------------------------------------------------

    def goals_and_examples_tasks(self, timeout_ms: int | None) -> list[tuple]:
        """Whether each goal holds and each example passes on each side, as two tasks (one
        per spec) and what to do with their results: compare them, once both are in."""
        sides = []

        def side(spec):
            a = QueryContext(spec, timeout_ms)
            goals.goals(a, witnesses=False)  # only whether each holds is compared
            examples.examples(a, witnesses=False)
            return ({g.goal.title: _holds(g) for g in a.report.goals}, _example_results(a.report),
                    a.report.questions)

        def take(result) -> None:
            sides.append(result)
            if len(sides) == 2:
                self._compare_sides(*sides)
        return [(lambda: side(self.old), take), (lambda: side(self.new), take)]

    def _compare_sides(self, old_side: tuple, new_side: tuple) -> None:
        old_goals, old_ex, old_questions = old_side
        new_goals, new_ex, new_questions = new_side
        for title in list(old_goals) + [t for t in new_goals if t not in old_goals]:
            before = old_goals.get(title)
            after = new_goals.get(title)
            self.result.goals.append(GoalChange(title, before, after, _goal_change(before, after)))
        for key in list(old_ex) + [k for k in new_ex if k not in old_ex]:
            before, after = old_ex.get(key), new_ex.get(key)
            self.result.examples.append(ExampleChange(key[0], key[1], before, after,
                                                      _example_change(before, after)))
        self.result.questions += old_questions + new_questions

    # ---- contracts ---------------------------------------------------------------------------

    def contract(self, source: str, kind: str, text: str, condition: m.Expr | None = None,
                 action: str | None = None) -> ContractResult:
        """unsat of the broken-contract region means the contract holds. Only actions whose
        verdict can change at all (changing_actions) are asked about."""
        if kind == "unchanged":
            common = [a for a in self.old.actions if a in self.new.actions]
            checks = [(a, v1, v2) for a in common for v1 in m.VERDICTS for v2 in m.VERDICTS if v1 != v2]
        else:
            if action not in self.old.actions or action not in self.new.actions:
                return ContractResult(source, text, False, reason=f"`{action}` is not an action of both specs")
            checks = []
            for v1 in m.VERDICTS:
                for v2 in m.VERDICTS:
                    lost = v1 in ALLOWED and v2 not in ALLOWED
                    gained = v1 not in ALLOWED and v2 in ALLOWED
                    if (kind == "widens" and lost) or (kind == "narrows" and gained):
                        checks.append((action, v1, v2))
        checks = [(a, v1, v2) for a, v1, v2 in checks if a in self.changing]

        def broken(a, v1, v2):
            region = all_of(self.old_enc.verdict_is(a, v1), self.new_enc.verdict_is(a, v2))
            return all_of(self.new_enc.expr(condition), region) if kind == "unchanged" else region

        if not checks:
            return ContractResult(source, text, True)
        try:  # most contracts hold: one question settles that, and only a broken one is asked pair by pair
            if not self.session.possible(any_of([broken(*check) for check in checks])):
                return ContractResult(source, text, True)
        except Unknown:
            pass  # asked pair by pair, as if the one question had not been asked
        for a, v1, v2 in checks:
            region = broken(a, v1, v2)
            try:
                model = self.session.sat(region)
            except Unknown as u:
                return ContractResult(source, text, None, reason=u.reason)
            if model is not None:
                relevant_names = set(relevant_facts(self.old, {a})) | set(relevant_facts(self.new, {a}))
                if condition is not None:
                    relevant_names |= m.facts_in(condition)
                relevant = [f for f in self.vocabulary if f in relevant_names]
                return ContractResult(source, text, False, self._change(
                    model, a, v1, v2, region, relevant, condition=condition if kind == "unchanged" else None))
        return ContractResult(source, text, True)


def _holds(entry) -> str | None:
    if entry is None:
        return None
    return {"holds": "holds", "holds-unexpectedly": "holds", "fails": "fails",
            "fails-as-expected": "fails"}.get(entry.status, entry.status)


def _goal_change(before, after) -> str:
    if before is None:
        return "added"
    if after is None:
        return "removed"
    if before == after:
        return "still holds" if after == "holds" else ("still fails" if after == "fails" else after)
    if after == "holds":
        return "met"
    if before == "holds":
        return "broken"
    return f"{before} → {after}"


def _example_results(report) -> dict:
    out = {}
    for e in report.examples:
        for r in e.results:
            out[(e.example.title, r.action or "")] = r.status
    return out


def _example_change(before, after) -> str:
    if before is None:
        return "added"
    if after is None:
        return "removed"
    if before == after:
        return "still passes" if after == "passes" else f"still {after}"
    if after == "passes":
        return "now passes"
    if before == "passes":
        return "now " + after
    return f"{before} → {after}"


def diff(old: m.CheckedSpec, new: m.CheckedSpec, timeout_ms: int | None = 10_000,
         old_label: str = "before", new_label: str = "after", contracts=(), with_goals: bool = True,
         progress=None, slice_share: float = 0.5, jobs: int = 1, extra=()) -> DiffResult:
    """Every situation whose verdict changes from `old` to `new`, goals and examples on both
    sides, and the given contracts: (source, ContractDecl-like kind, text, condition, action).
    `progress(step, done, total)` is told how far it is, and None when it is done;
    `slice_share` says when a slice of both specs is small enough to ask (Differ). With
    `jobs` above 1, the questions of each pair of verdicts, of each side's goals and examples,
    of each contract and the `extra` tasks (each returning a list of ContractResult, added
    after `contracts`) are shared among that many processes (parallel.run_tasks); the result
    is the same."""
    d = Differ(old, new, timeout_ms, old_label, new_label, progress, slice_share)
    tasks = d.verdict_change_tasks()
    if with_goals:
        tasks += d.goals_and_examples_tasks(timeout_ms)
    tasks += [(lambda c=c: [d.contract(*c)], d.result.contracts.extend) for c in contracts]
    tasks += [(task, d.result.contracts.extend) for task in extra]

    def counted(task):  # the questions a task asks of the differ's solvers, in whichever process
        def run():
            before = d.questions
            value = task()
            return value, d.questions - before
        return run
    try:
        results = run_tasks([counted(task) for task, _finish in tasks], jobs,
                            shared=[*old.goals, *new.goals, *spec_sources(old), *spec_sources(new)])
    finally:
        d.progress(None, 0, 0)
    for (_task, finish), (value, questions) in zip(tasks, results):
        finish(value)
        d.result.questions += questions
    return d.result



def without_provision(spec: m.CheckedSpec, pid: str) -> m.CheckedSpec:
    """The spec with one provision taken out: overrides of it and `applies` of it drop away
    (`applies` of only that provision becomes false)."""
    provisions = {}
    for q, p in spec.provisions.items():
        if q == pid:
            continue
        provisions[q] = replace(p, condition=_drop_applies(p.condition, pid),
                                overrides=tuple(x for x in p.overrides if x != pid),
                                excepts=tuple(x for x in p.excepts if x != pid))
    overridden_by = {q: tuple(x for x in spec.overridden_by[q] if x != pid) for q in provisions}
    return replace(spec, provisions=provisions, overridden_by=overridden_by,
                   order=tuple(x for x in spec.order if x != pid),
                   goals=tuple(replace(g, condition=_drop_applies(g.condition, pid)) for g in spec.goals))


def _drop_applies(expr: m.Expr, pid: str) -> m.Expr:
    if isinstance(expr, m.AppliesE):
        return replace(expr, provisions=tuple(p for p in expr.provisions if p != pid))
    return m.rebuilt(expr, lambda part: _drop_applies(part, pid))


def _in_force_on(spec: m.CheckedSpec, evaluation: Evaluation, action: str) -> tuple[str, ...]:
    """The provisions on `action` in force, in the spec's order."""
    return tuple(pid for pid in sorted(evaluation.in_force, key=spec.position.__getitem__)
                 if spec.provisions[pid].action == action)
