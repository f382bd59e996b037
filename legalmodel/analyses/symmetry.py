"""Exact classes of override edges: overrides whose idle-override questions are the same
question, up to a renaming that a syntactic comparison proves, so that one of them (the
class's representative) is decided and its answer holds for every member.

An `overrides forbid in A–B kap.` makes an edge P → Q to every secrecy provision Q in the
range, each pinned to one value of the slices' fact (the kind of information). Whether
dropping P → Q changes a verdict is a question about the situations of Q's value v only (Q
is triggered nowhere else), and there the only provisions that can be triggered are those
pinned to v (v's *own*) and those pinned to no single value (the *shared* ones); of the
shared ones, only those whose box meets P's can be triggered where P is, which a witness
needs. Two edges P → Q (Q the i-th own provision of v) and P → Q' (the i-th of w) are in
one class when:

- P's box allows both v and w, or neither;
- v's and w's own provisions are alike: the same modalities, actions, overrides among
  themselves and of shared provisions, and conditions that are the same once the facts no
  shared provision and no assumption reads (the own facts) are numbered in order of first
  mention, comparisons of the slices' fact are replaced by their value at v (or w), and each
  own integer fact is cut into the intervals where no comparison of it changes (a comparison
  is then the tuple of its truth on each interval);
- each own provision is overridden by the same shared provisions among those whose box
  meets P's, and every shared provision that asks whether an own one applies asks it of the
  same own provisions (by number).

Then a renaming of the own facts (an interval to the same-numbered interval) maps every
situation of v in P's box to one of w where the same provisions are triggered and in force
and the same verdicts hold, with P → Q dropped or not, and back: one edge changes a
verdict somewhere iff the other does. Nothing else in the spec can differ between them: the
assumptions, the shared provisions' conditions and the other values' provisions (triggered
nowhere in v or w) are the same, or not read there. Where the spec leaves no such argument
(no slices' fact, or a shared provision or an assumption that reads it), there are no
classes and every edge is asked by itself (`Symmetry.classes`).

Coarser *witness classes* (`Symmetry.witness_classes`) drop the last condition: their
members may differ in who else overrides their own provisions and who asks about them. A
situation where the evaluator shows that dropping the representative changes a verdict
shows the same for a member, renamed to the member's value, where the shared provisions
that apply there override the same of the own provisions that apply there, and every
shared provision that may apply there (its box allows the situation) asks the same of the
own provisions (`Symmetry.carries`): then the same provisions are triggered and in force,
with the override dropped or not. This carries only "matters"; an idle override is
decided by its exact class.

Idle-override findings show no situation, so nothing transferred is ever printed as
evidence; what the representative's answer rests on was asked of the solver or replayed by
the evaluator.
"""

from __future__ import annotations

from ..law import model as m
from ..semantics.boxes import EMPTY, disjoint
from ..frozen import frozen_dataclass

Edge = tuple[str, str]


# Classes are formed only where the shared provisions override, on average, at least this
# many own provisions of each value they reach: working out the values' shapes is paid for
# by the overrides a class answers together. A law cut into groups has a few per value and
# its classes held one override each; rules across chapters give tens to hundreds
# (docs/performance.md). 8 lies between; no value between was measured.
MIN_EDGES_PER_VALUE = 8


class Symmetry:
    """The slices' own and shared provisions of a spec, and each value's shape (module
    docstring), worked out once; `exact` is False where the spec leaves no argument, or
    where classes would save less than they cost (MIN_EDGES_PER_VALUE)."""

    def __init__(self, spec: m.CheckedSpec, boxes: dict, key: str | None):
        self.spec, self.boxes, self.key = spec, boxes, key
        own, shared = _split(spec, boxes, key)
        self.exact = own is not None and _worth_classes(spec, own, shared)
        if not self.exact:
            return
        self.own, self.shared = own, shared
        fixed = {key} | {f for a in spec.assumptions for f in m.facts_in(a.condition)}
        for pid in shared:
            fixed |= spec.named_by(pid)[0]
        self.place = {pid: (value, i) for value, pids in own.items() for i, pid in enumerate(pids)}
        self.shared_set = frozenset(shared)
        askers = _askers(spec, shared)
        shapes, cores = _Interned(), _Interned()
        self.slice_ids, self.core_ids, self.asked = {}, {}, {}
        for value, pids in own.items():
            shape = _slice_shape(spec, key, value, pids, fixed, self.shared_set, askers)
            self.slice_ids[value] = shapes(shape)
            self.core_ids[value] = cores(shape[:2])  # the own provisions and facts, not who asks
            self.asked[value] = {} if shape[0] == "alone" else _asked_by(shape[2])
        # the askers' boxes on the facts the renaming keeps (not the slices' fact): a
        # situation outside one is outside it after the renaming too
        self.asker_boxes = [(asker, {f: allowed for f, allowed in boxes[asker].items() if f in fixed and f != key})
                            for asker in dict.fromkeys(a for found in askers.values() for a, _n, _named in found)]
        self._overrides: dict = {}

    def classes(self, edges=None) -> dict[Edge, Edge]:
        """Each override edge (of `edges`, or all) that is not its class's representative →
        that representative (the first edge of the class in the spec's order of provisions
        and their overrides): the same idle-override question, up to the renaming. Edges
        absent are asked by themselves."""
        if not self.exact:
            return {}
        spec, boxes, key, place, shared = self.spec, self.boxes, self.key, self.place, self.shared
        # each value's shared overriders of its own provisions, the same tuples as one object,
        # so that an overrider narrows each distinct one once and compares them by identity
        distinct: dict = {}
        overriders = {value: distinct.setdefault(found, found) for value, found in (
            (value, tuple(frozenset(y for y in spec.overridden_by[q] if y in self.shared_set) for q in pids))
            for value, pids in self.own.items())}
        restricted = _Interned()
        representative: dict = {}
        meeting_by_box: dict = {}
        rep_of: dict[Edge, Edge] = {}
        for pid, qids in self._overrides_of_shared(edges):
            box = boxes[pid]
            allowed = box.get(key)
            meeting = _meeting(shared, boxes, box, meeting_by_box)
            per_overriders: dict = {}
            per_value: dict = {}
            for qid in qids:
                found = place.get(qid)
                if found is None:
                    continue
                value, i = found
                slice_key = per_value.get(value)
                if slice_key is None:
                    sets = overriders[value]
                    narrowed = per_overriders.get(id(sets))
                    if narrowed is None:
                        narrowed = per_overriders[id(sets)] = restricted(tuple(ys & meeting for ys in sets))
                    slice_key = per_value[value] = (allowed is None or value in allowed, self.slice_ids[value], narrowed)
                edge = (pid, qid)
                first = representative.setdefault((pid, slice_key, i), edge)
                if first is not edge:
                    rep_of[edge] = first
        return rep_of

    def _overrides_of_shared(self, edges=None):
        """(shared provision, the provisions it overrides) of the edges, or of the spec."""
        if edges is None:
            return ((pid, p.overrides) for pid, p in self.spec.provisions.items()
                    if pid in self.shared_set and p.overrides)
        grouped: dict = {}
        for pid, qid in edges:
            if pid in self.shared_set:
                grouped.setdefault(pid, []).append(qid)
        return grouped.items()

    def witness_classes(self) -> dict[Edge, list[Edge]]:
        """Coarser classes, whose members may differ in who else overrides and who asks
        about their own provisions: each representative → its other members, in order.
        A situation where the representative matters shows that a member does too only
        where `carries` says so."""
        if not self.exact:
            return {}
        key, place = self.key, self.place
        members: dict[Edge, list[Edge]] = {}
        for pid, qids in self._overrides_of_shared():
            allowed = self.boxes[pid].get(key)
            overridden = self.overridden_by_one(pid)
            per_value: dict = {}
            first: dict = {}
            for qid in qids:
                found = place.get(qid)
                if found is None:
                    continue
                value, i = found
                slice_key = per_value.get(value)
                if slice_key is None:
                    slice_key = per_value[value] = (
                        allowed is None or value in allowed, self.core_ids[value],
                        frozenset(j for j, q in enumerate(self.own[value]) if q in overridden))
                edge = (pid, qid)
                rep = first.setdefault((slice_key, i), edge)
                if rep is edge:
                    members[edge] = []
                else:
                    members[rep].append(edge)
        return members

    def overridden_by_one(self, pid: str) -> frozenset:
        found = self._overrides.get(pid)
        if found is None:
            found = self._overrides[pid] = frozenset(self.spec.provisions[pid].overrides)
        return found

    def witness(self, edge: Edge, triggered: frozenset, situation: dict) -> "Witness":
        """What of a situation where dropping the representative `edge` changes a verdict a
        member must share for it to change one too (`carries`): the shared provisions
        triggered there, the own ones (by number), and the askers that may apply there."""
        value, _i = self.place[edge[1]]
        own = self.own[value]
        shared = tuple(x for x in triggered if x in self.shared_set)
        numbers = frozenset(j for j, q in enumerate(own) if q in triggered)
        may_ask = tuple(asker for asker, box in self.asker_boxes if _admits(box, situation))
        return Witness(value, shared, numbers, may_ask)

    def carries(self, witness: "Witness", member: Edge) -> bool:
        """Whether the representative's situation, renamed to the member's value (its own
        facts taking the representative's own facts' values, interval for interval), is one
        where dropping the member changes a verdict: the same shared provisions apply there
        (every asker that may apply asks the same of the member's own provisions), and those
        that apply override the same of the own provisions that apply. The member is in the
        representative's witness class, so the own provisions are alike."""
        value, _i = self.place[member[1]]
        asked, theirs = self.asked[witness.value], self.asked[value]
        if any(asked.get(a) != theirs.get(a) for a in witness.may_ask):
            return False
        mine, other = self.own[witness.value], self.own[value]
        for t in witness.shared:
            overridden = self.overridden_by_one(t)
            if any((mine[j] in overridden) != (other[j] in overridden) for j in witness.numbers):
                return False
        return True


@frozen_dataclass
class Witness:
    value: object
    shared: tuple[str, ...]
    numbers: frozenset
    may_ask: tuple[str, ...]


def _admits(box: dict, situation: dict) -> bool:
    for fact, allowed in box.items():
        value = situation[fact]
        if isinstance(allowed, tuple):
            if not allowed[0] <= value <= allowed[1]:
                return False
        elif value not in allowed:
            return False
    return True


def _asked_by(asked: frozenset) -> dict:
    """asker → the (number of its `applies`, own numbers it names) it asks of one value."""
    found: dict = {}
    for asker, n, numbers in asked:
        found.setdefault(asker, set()).add((n, numbers))
    return {asker: frozenset(pairs) for asker, pairs in found.items()}


def _meeting(shared: list[str], boxes: dict, box: dict, known: dict) -> frozenset:
    """The shared provisions whose boxes meet `box`, found once per distinct box."""
    signature = tuple(sorted(box.items()))
    found = known.get(signature)
    if found is None:
        found = known[signature] = frozenset(y for y in shared if not disjoint(boxes[y], box))
    return found


class _Interned(dict):
    """Equal values → one small number each, so that keys built of them hash cheaply."""

    def __call__(self, value) -> int:
        return self.setdefault(value, len(self))


def _split(spec: m.CheckedSpec, boxes: dict, key: str | None) -> tuple[dict | None, list[str]]:
    """The own provisions of each value of the slices' fact (in the spec's order), and the
    shared ones; (None, []) where no class can be argued: no such fact, or one that a shared
    provision or an assumption reads (the renaming must fix what they read)."""
    if key is None or isinstance(spec.facts[key].type, m.IntType):
        return None, []
    if any(key in m.facts_in(a.condition) for a in spec.assumptions):
        return None, []
    own: dict = {}
    shared: list[str] = []
    for pid in spec.provisions:
        box = boxes[pid]
        if box is EMPTY:
            continue  # triggered nowhere: it takes part in no question
        allowed = box.get(key)
        if allowed is not None and len(allowed) == 1:
            (value,) = allowed
            own.setdefault(value, []).append(pid)
        elif key in spec.named_by(pid)[0]:
            return None, []
        else:
            shared.append(pid)
    return own, shared


def _worth_classes(spec: m.CheckedSpec, own: dict, shared: list[str]) -> bool:
    """Whether the shared provisions override at least MIN_EDGES_PER_VALUE own provisions
    per value they reach."""
    value_of = {pid: value for value, pids in own.items() for pid in pids}
    reached = [value_of[qid] for pid in shared for qid in spec.provisions[pid].overrides if qid in value_of]
    return bool(reached) and len(reached) >= MIN_EDGES_PER_VALUE * len(set(reached))


def _askers(spec: m.CheckedSpec, shared: list[str]) -> dict[str, list[tuple[str, int, frozenset]]]:
    """Provision → the (shared provision, number of its `applies` in a fixed walk, the
    provisions that `applies` names) that ask whether it applies."""
    askers: dict = {}
    for pid in shared:
        walk = (node for node in m.nodes(spec.provisions[pid].condition) if isinstance(node, m.AppliesE))
        for n, node in enumerate(walk):
            named = frozenset(node.provisions)
            for q in named:
                askers.setdefault(q, []).append((pid, n, named))
    return askers


def _slice_shape(spec: m.CheckedSpec, key: str, value, pids: list[str], fixed: set,
                 shared: frozenset, askers: dict) -> tuple:
    """What the own provisions of one value are, up to the renaming of own facts (module
    docstring), and which shared provisions ask whether they apply; a tuple that is equal
    for two values only where that renaming exists."""
    number = {pid: i for i, pid in enumerate(pids)}
    renamed: dict[str, int] = {}
    cuts: dict[str, set] = {}
    for pid in pids:
        for node in m.nodes(spec.provisions[pid].condition):
            if isinstance(node, m.FactRef) and node.fact not in fixed:
                renamed.setdefault(node.fact, len(renamed))
                if isinstance(spec.facts[node.fact].type, m.IntType):
                    cuts.setdefault(node.fact, set())
            elif isinstance(node, (m.CmpE, m.InE)) and not _collect_cuts(spec, node, fixed, cuts):
                # an own number compared with another fact: its intervals say too little,
                # so this value is a class of its own
                return ("alone", value)
    cells = {fact: _cells(spec.facts[fact].type, found) for fact, found in cuts.items()}
    canon = _Canon(spec, key, value, fixed, renamed, cells, number, shared)
    provisions = tuple((p.modality, p.action, canon(p.condition),
                        tuple(sorted(number[q] for q in p.overrides if q in number)),
                        frozenset(q for q in p.overrides if q in shared))
                       for p in (spec.provisions[pid] for pid in pids))
    facts = tuple(_fact_shape(spec.facts[fact].type, cells.get(fact)) for fact in renamed)
    asked = frozenset((asker, n, frozenset(number[q] for q in pids if q in named))
                      for pid in pids for asker, n, named in askers.get(pid, ()))
    return provisions, facts, asked


def _fact_shape(t, cells) -> tuple:
    if isinstance(t, m.IntType):
        return ("int", len(cells))
    if isinstance(t, m.EnumType):
        return ("enum", t.name, t.members)
    return ("bool",)


_CHANGES = {">=": lambda c: (c,), "<": lambda c: (c,), ">": lambda c: (c + 1,), "<=": lambda c: (c + 1,),
            "=": lambda c: (c, c + 1), "!=": lambda c: (c, c + 1), "in": lambda c: (c, c + 1)}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


def _int_atom(spec: m.CheckedSpec, node, fixed: set) -> tuple[str, str, list[int]] | None:
    """(fact, op, constants) of a comparison or membership of an own integer fact with
    constants, with the fact on the left; None for anything else."""
    if isinstance(node, m.InE):
        operand = node.operand
        if isinstance(operand, m.FactRef) and operand.fact not in fixed \
                and isinstance(spec.facts[operand.fact].type, m.IntType):
            return operand.fact, "in", [c.value for c in node.values]
        return None
    left, right, op = node.left, node.right, node.op
    if isinstance(left, m.Const) and isinstance(right, m.FactRef):
        left, right, op = right, left, _FLIPPED[op]
    if isinstance(left, m.FactRef) and isinstance(right, m.Const) and left.fact not in fixed \
            and isinstance(spec.facts[left.fact].type, m.IntType):
        return left.fact, op, [right.value]
    return None


def _collect_cuts(spec: m.CheckedSpec, node, fixed: set, cuts: dict) -> bool:
    """Add the points where an own integer fact's comparison with constants changes truth
    (x ≥ c and x < c at c, x > c and x ≤ c at c + 1, x = c at both). False where the node
    compares an own integer fact with anything else."""
    atom = _int_atom(spec, node, fixed)
    if atom is not None:
        fact, op, constants = atom
        found = cuts.setdefault(fact, set())
        for c in constants:
            found.update(_CHANGES[op](c))
        return True
    return not any(isinstance(x, m.FactRef) and x.fact not in fixed and isinstance(spec.facts[x.fact].type, m.IntType)
                   for x in m.children(node))


def _cells(t: m.IntType, cuts: set) -> tuple[int, ...]:
    """The first value of each interval of the fact's range that the cuts make."""
    return (t.low, *sorted(c for c in cuts if t.low < c <= t.high))


_OPS = {"<": int.__lt__, "<=": int.__le__, ">": int.__gt__, ">=": int.__ge__, "=": int.__eq__, "!=": int.__ne__}


class _Canon:
    """A condition of one value's own provision as a tuple: own facts by number, own integer
    comparisons by their truth on each interval, the slices' fact by its value, `applies`
    by the own provisions' numbers and the shared provisions' names (the others are
    triggered nowhere in the value's situations)."""

    def __init__(self, spec, key, value, fixed, renamed, cells, number, shared):
        self.spec, self.key, self.value, self.fixed = spec, key, value, fixed
        self.renamed, self.cells, self.number, self.shared = renamed, cells, number, shared

    def __call__(self, e: m.Expr) -> tuple:
        if isinstance(e, m.Const):
            return ("c", e.value)
        if isinstance(e, m.FactRef):
            if e.fact == self.key:
                return ("c", self.value)
            return ("f", self.renamed[e.fact]) if e.fact not in self.fixed else ("F", e.fact)
        if isinstance(e, m.AppliesE):
            return ("applies", frozenset(self.number[q] for q in e.provisions if q in self.number),
                    frozenset(q for q in e.provisions if q in self.shared))
        if isinstance(e, (m.CmpE, m.InE)):
            atom = _int_atom(self.spec, e, self.fixed)
            if atom is not None:
                fact, op, constants = atom
                if op == "in":
                    truth = tuple((x in constants) != e.negated for x in self.cells[fact])
                else:
                    truth = tuple(_OPS[op](x, constants[0]) for x in self.cells[fact])
                return ("cells", self.renamed[fact], truth)
            if isinstance(e, m.InE):
                if isinstance(e.operand, m.FactRef) and e.operand.fact == self.key:
                    return ("c", (self.value in [c.value for c in e.values]) != e.negated)
                return ("in", self(e.operand), tuple(c.value for c in e.values), e.negated)
            if isinstance(e.left, m.FactRef) and e.left.fact == self.key and isinstance(e.right, m.Const):
                return ("c", (self.value == e.right.value) == (e.op == "="))
            if isinstance(e.right, m.FactRef) and e.right.fact == self.key and isinstance(e.left, m.Const):
                return ("c", (self.value == e.left.value) == (e.op == "="))
            return ("cmp", e.op, self(e.left), self(e.right))
        if isinstance(e, (m.NotE, m.AndE, m.OrE, m.ImpliesE, m.IffE)):
            return (type(e).__name__, *[self(x) for x in m.children(e)])
        return ("as written", e)  # a construct this does not know: only itself is alike
