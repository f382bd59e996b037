"""The spec cut into slices by the values of one fact (the kind of information, the recipient),
each slice asked of a small solver that holds little more than its own provisions: `Slices`
owns the cut, the grouping of slices onto solvers and building them when first asked; `Part`
is one part to ask (a slice, or the whole spec)."""

from __future__ import annotations

from functools import cached_property

import z3

from ..law import model as m
from ..results import Condition
from ..semantics.boxes import EMPTY, intersect, pivot
from ..semantics.encode import Encoding, assert_term, boolean, facts_of, implies
from .session import Deadline, Session
from ..frozen import frozen_dataclass

WHOLE = object()  # the part that is not a slice


@frozen_dataclass
class Part:
    """A part of the spec to ask questions of: its encoding, its solver session, and the
    provisions that can apply in it (None: all of them)."""

    enc: Encoding
    session: Session
    among: tuple[str, ...] | None  # in the spec's order of evaluation (CheckedSpec.order)
    region: dict | None = None  # the slice's box: one fact with one value
    mentioned: frozenset[str] | None = None  # the facts its provisions, assumptions and box name
    cuts: dict | None = None  # model.spec_cuts of what its questions name (None: the whole spec's)

    def within(self, conditions: tuple[Condition, ...], relevant: list[str], fixed: dict) -> tuple[Condition, ...]:
        """Conditions generalised inside the slice, with the slice's own condition added: in
        the slice, its fact can take no other value, so the generalisation drops it, but the
        conditions are read of the whole spec. In the order of `relevant`."""
        if not self.region:
            return conditions
        (fact, allowed), = self.region.items()
        if fact in fixed or fact not in relevant or any(c.fact == fact for c in conditions):
            return conditions
        (value,) = allowed
        t = self.enc.facts[fact].type
        added = Condition(fact, "bool", value=value) if isinstance(t, m.BoolType) else Condition(
            fact, "set", members=(value,))
        position = {f: i for i, f in enumerate(relevant)}
        return tuple(sorted((*conditions, added), key=lambda c: position[c.fact]))

    def sat(self, *formulas) -> z3.ModelRef | None:
        return self.session.sat(*formulas)

    def possible(self, *formulas) -> bool:
        return self.session.possible(*formulas)


# the provisions of their own that the slices sharing one solver hold at most: each solver
# takes memory, and a question costs more the more a solver holds; since the evaluator
# answers most questions, building solvers costs more than asking them, so groups are large
# (docs/performance.md: slice groups)
GROUP_PROVISIONS = 256


class Slices:
    """The spec cut into slices by the values of one fact, each slice asked of a small solver.

    The fact is the one most provisions pin to few values (the kind of information, the
    recipient: boxes.pivot). The slice for a value holds the situations where the fact has
    that value, and only the provisions whose box allows it; the others are false there. A
    question whose situations all lie in one slice is asked of a solver that holds little
    more than that slice, however large the law: the questions of a law with thousands of
    provisions, each on its own kind of information, then cost about the same each, instead
    of growing with the law. Yes/no answers are the same either way. Evidence found in a
    slice has the same first situation as in the whole spec; the conditions that describe it
    may name the slice's value where the whole spec would not need it
    (context.QueryContext.evidence keeps that condition only where the whole spec needs it).

    A solver costs milliseconds to set up and megabytes to keep, so slices share them:
    consecutive values whose own provisions number at most GROUP_PROVISIONS together are one
    group, whose solver holds their provisions, and each slice's questions assume a literal
    that pins the fact to its value (Session.pinned). A law of ten thousand provisions on
    1,250 kinds of information keeps about 160 solvers, not 1,250."""

    def __init__(self, spec: m.CheckedSpec, vocabulary: Encoding, whole, boxes: dict, timeout_ms: int | None,
                 share: float = 0.5):
        """`vocabulary` is an encoding of the facts and no provision (Encoding(spec,
        members=[])), whose variables the slices and the whole spec's encoding share; `whole()`
        builds the whole spec's encoding and session, when a question first needs them (the
        slices do not), counting its questions in `tally`. `share`: the largest part of the
        spec's provisions a slice may hold to be used (0: no slices; 1: a slice wherever a
        question lies in one value; tests use both)."""
        self.share = share
        self.spec = spec
        self.timeout_ms = timeout_ms
        self.vocabulary = vocabulary
        self._whole = whole
        self.tally = [0]  # the questions of every solver of the spec
        self.deadline = Deadline()  # shared by every solver of the spec
        self.key = pivot(spec, boxes, list(spec.provisions))
        self._order_index = {pid: i for i, pid in enumerate(spec.order)}
        self._by_value: dict = {}
        self._wild: list[str] = []
        self._among: dict = {}  # value → among(value), kept: the analyses ask it per situation
        for pid in spec.provisions:
            box = boxes[pid]
            if box is EMPTY:
                continue
            if self.key is None or self.key not in box:
                self._wild.append(pid)
            else:
                for value in box[self.key]:
                    self._by_value.setdefault(value, []).append(pid)
        self._parts: dict = {}
        self._sliced: bool | None = None
        self._groups: list[list] = []  # the values of each group, in the order they are met
        self._group_of: dict = {}
        # the provisions of the last group's values, each once: a provision whose box allows
        # many values (a duty on `applies(forbid in A–B kap.)`) is an own provision of every
        # kind in its range; counted once per kind, it left room for few kinds in a group,
        # and many solvers held the same rules
        self._group_members: set[str] = set()
        self._hosts: dict[int, tuple[Encoding, Session, dict]] = {}  # built when first asked
        self._built: set[int] = set()  # the groups whose solver was built (and is closed to new values)
        self._rule_cuts = m.rule_cuts(spec)
        for value in self._by_value:
            if self.value_for({self.key: frozenset([value])}) is not WHOLE:
                self._group(value)

    @cached_property
    def whole(self) -> Part:
        """The whole spec as a part: its encoding and session (built when first asked)."""
        enc, session = self._whole()
        return Part(enc, session, None)

    @property
    def whole_built(self) -> bool:
        """Whether the whole spec's encoding and session have been built (by `whole`)."""
        return "whole" in self.__dict__

    def is_whole(self, part: Part) -> bool:
        """Whether `part` is the whole spec's, without building it to compare."""
        return self.whole_built and self.whole is part

    def _group(self, value) -> int:
        """The group a value's slice is in: the last one, or a new one when it is full."""
        if value not in self._group_of:
            own = self._by_value.get(value, ())
            new = [pid for pid in own if pid not in self._group_members]
            if not self._groups or len(self._group_members) + len(new) > GROUP_PROVISIONS \
                    or len(self._groups) - 1 in self._built:
                self._groups.append([])
                self._group_members = set()
                new = own
            self._groups[-1].append(value)
            self._group_members.update(new)
            self._group_of[value] = len(self._groups) - 1
        return self._group_of[value]

    @property
    def sliced(self) -> bool:
        """Whether some value of the fact has a slice (much smaller than the spec)."""
        if self._sliced is None:
            self._sliced = any(self.value_for({self.key: frozenset([v])}) is not WHOLE for v in self._by_value)
        return self._sliced

    @property
    def wild(self) -> list[str]:
        """The provisions whose box does not pin the fact: they are in every slice."""
        return self._wild

    def value_for(self, box) -> object:
        """The slice every situation in `box` lies in (a value of the fact), or WHOLE when
        there is none or the slice would not be much smaller than the spec."""
        if self.key is None or box is EMPTY or self.key not in box or len(box[self.key]) != 1:
            return WHOLE
        (value,) = box[self.key]
        if len(self._by_value.get(value, ())) + len(self._wild) > self.share * len(self.spec.provisions):
            return WHOLE
        return value

    def value_where_both(self, a, b) -> object:
        """value_for(intersect(a, b)) for two boxes that meet (not disjoint), without building
        their intersection: only the fact's values in it matter (a law of 10,000 provisions
        asks it of 18,000 overrides before its processes split)."""
        key = self.key
        if key is None:
            return WHOLE
        return self.value_for(intersect(*[{key: box[key]} if key in box else {} for box in (a, b)]))

    def among(self, value) -> tuple[str, ...] | None:
        """The provisions that can apply in a slice, in the order of evaluation (Part.among),
        without building its solver; None for WHOLE."""
        if value is WHOLE:
            return None
        found = self._among.get(value)
        if found is None:
            own = self._by_value.get(value, []) + self._wild
            found = self._among[value] = tuple(sorted(own, key=self._order_index.__getitem__))
        return found

    def part(self, value) -> Part:
        if value is WHOLE:
            return self.whole
        if value not in self._parts:
            enc, host, pins = self._host(self._group(value))
            own = sorted(self._by_value.get(value, []) + self._wild, key=self.spec.position.__getitem__)
            region = {self.key: frozenset([value])}
            self._parts[value] = Part(enc, host.pinned(pins[value]), self.among(value),
                                      region, frozenset(facts_of(self.spec, own, region)),
                                      m.spec_cuts(self.spec, members=(self._by_value.get(value, []),),
                                                  rules=(self._shared_cuts,)))
        return self._parts[value]

    @cached_property
    def _shared_cuts(self) -> dict:
        """The cuts every slice shares: of the assumptions and goals, and of the provisions in
        every slice (wild), worked out once: where rules cut across chapters, every slice
        walked their conditions again."""
        shared = {f: None if c is None else set(c) for f, c in self._rule_cuts.items()}
        return m.cuts_in([self.spec.provisions[pid].condition for pid in self._wild], shared)

    def own_count(self, value) -> int:
        """The provisions whose box pins the fact to some values, this one among them (a
        slice's own; WHOLE: none)."""
        return 0 if value is WHOLE else len(self._by_value.get(value, ()))

    def group_of(self, value) -> int | None:
        """The group a slice's value is in, without placing it in one (None: in none yet, or
        WHOLE)."""
        return None if value is WHOLE else self._group_of.get(value)

    def solver_of(self, value) -> object:
        """Which solver a slice's questions are asked of: its group's (an index), or WHOLE."""
        return WHOLE if value is WHOLE else self._group(value)

    def encoding_of(self, value) -> tuple[Encoding, Session]:
        """The encoding and the session (before any pin) of the solver a slice's questions
        are asked of: its group's, built when first asked, or the whole spec's."""
        if value is WHOLE:
            return self.whole.enc, self.whole.session
        enc, host, _pins = self._host(self._group(value))
        return enc, host

    def _host(self, index: int) -> tuple[Encoding, Session, dict]:
        """A group's encoding and solver, and the literal that pins each of its values."""
        if index not in self._hosts:
            values = self._groups[index]
            own = {pid for value in values for pid in self._by_value.get(value, ())}
            members = sorted(own | set(self._wild), key=self.spec.position.__getitem__)
            region = {self.key: frozenset(values)}
            bounded = facts_of(self.spec, members, region)
            enc = Encoding(self.spec, members=members, region=region, whole=self.vocabulary, bounded=bounded)
            host = Session(enc, enc.solver_background(), [f for _a, f in enc.assumptions], self.timeout_ms,
                           self.tally)
            host.bounded = bounded
            host.deadline = self.deadline
            pins = {}
            for value in values:  # at the solver's first level, before any question
                pins[value] = boolean(f"slice:{self.key}={value}")
                assert_term(host.solver, implies(pins[value], enc.equals(self.key, value)))
            self._hosts[index] = (enc, host, pins)
            self._built.add(index)
        return self._hosts[index]

    def release(self, index: int) -> None:
        """Let a group's solver, encoding and slices go (their Z3 objects with them), once
        its questions are done: a law of thousands of provisions has dozens of groups, and
        holding every solver until the end made memory grow with the law. A question asked
        of the group later builds them again."""
        self._hosts.pop(index, None)
        for value in self._groups[index] if index < len(self._groups) else ():
            self._parts.pop(value, None)

    def questions(self) -> int:
        return self.tally[0]
