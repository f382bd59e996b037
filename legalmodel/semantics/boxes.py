"""Necessary conditions of a provision, read off its condition without a solver.

A *box* maps some facts to the values a condition allows them: a set of values for a boolean
or an enumeration fact, an interval for an integer. A condition's box is necessary, not
sufficient: wherever the condition holds, every fact lies in its box (the box may be larger
than the condition). So two provisions whose boxes are disjoint (some fact has no value in
both) are never triggered in the same situation, whatever the assumptions say.

Secrecy law is written this way: a provision covers one kind of information, one recipient,
one age group. The analyses use boxes to leave out, without asking the solver, the pairs of
provisions that cannot meet (a permit for one kind of information and a forbid for another),
which would otherwise make the questions grow with the square of the provisions.
"""

from __future__ import annotations

from ..law import model as m

# A box: fact -> frozenset of values (bool, enum) or (low, high) (integers); a fact that is
# absent is unconstrained. EMPTY is the box of a condition that never holds.
Box = dict
EMPTY = None


def box_of(spec: m.CheckedSpec, expr: m.Expr) -> Box | None:
    """The necessary box of `expr` (None when it can never hold)."""
    return _box(spec, expr, False)


def given_box(spec: m.CheckedSpec, given: dict) -> Box:
    """The box of a partial situation: each fact given at its value."""
    return {f: (v, v) if isinstance(spec.facts[f].type, m.IntType) else frozenset([v]) for f, v in given.items()}


def disjoint(a: Box | None, b: Box | None) -> bool:
    """Whether no situation lies in both boxes."""
    if a is EMPTY or b is EMPTY:
        return True
    for fact, allowed in a.items():
        other = b.get(fact)
        if other is not None and _meet(allowed, other) is EMPTY:
            return True
    return False


def intersect(a: Box | None, b: Box | None) -> Box | None:
    """The box of the situations in both."""
    return _intersect([a, b])


def first_in(spec: m.CheckedSpec, box: Box, firsts: dict) -> dict:
    """A situation in a (non-empty) box: each fact its first value the box allows (false
    before true, the lowest number, the first member), and the facts it leaves free their
    first value (`firsts`, every fact's). A guess at a situation where the box's condition
    holds, for the evaluator to check: where the condition is a conjunction, as a
    provision's mostly is, it is one."""
    situation = dict(firsts)
    for name, allowed in box.items():
        t = spec.facts[name].type
        if isinstance(t, m.IntType):
            situation[name] = allowed[0]
        elif isinstance(t, m.BoolType):
            situation[name] = False not in allowed
        elif len(allowed) <= _FEW:  # by position: a box of one kind of a thousand is met often
            situation[name] = min(allowed, key=_positions(t).__getitem__)
        else:
            situation[name] = next(v for v in t.members if v in allowed)
    return situation


_FEW = 16  # an enumeration's allowed values looked up by position rather than found in order


def _positions(t: m.EnumType) -> dict:
    """An enumeration's members → their positions (built once per type, _per_type)."""
    return _per_type(t, "positions", lambda: {v: i for i, v in enumerate(t.members)})


def provision_boxes(spec: m.CheckedSpec) -> dict[str, Box | None]:
    """The box of each provision's condition, with `applies(...)` read as the union of the
    boxes of the provisions it names."""
    boxes: dict[str, Box | None] = {}
    for pid in spec.order:  # every provision after those it asks about
        boxes[pid] = _box(spec, spec.provisions[pid].condition, False, boxes)
    return boxes


def _meet(a, b):
    if isinstance(a, tuple):
        low, high = max(a[0], b[0]), min(a[1], b[1])
        return (low, high) if low <= high else EMPTY
    both = a & b
    return both if both else EMPTY


def _join(a, b):
    if isinstance(a, tuple):
        return (min(a[0], b[0]), max(a[1], b[1]))
    return a | b


def _intersect(boxes: list) -> Box | None:
    out: Box = {}
    for box in boxes:
        if box is EMPTY:
            return EMPTY
        for fact, allowed in box.items():
            if fact in out:
                met = _meet(out[fact], allowed)
                if met is EMPTY:
                    return EMPTY
                out[fact] = met
            else:
                out[fact] = allowed
    return out


def _union(boxes: list) -> Box | None:
    live = [b for b in boxes if b is not EMPTY]
    if not live:
        return EMPTY
    out = dict(live[0])
    for box in live[1:]:
        for fact in list(out):
            if fact in box:
                out[fact] = _join(out[fact], box[fact])
            else:
                del out[fact]
    return out


_PER_TYPE: dict[tuple[int, str], tuple] = {}  # (id of a type, what) → (the type, it)


def _per_type(t: m.FactType, what: str, build):
    """Something worked out from a fact's type, built once per type and found by the type's
    identity: an enumeration can have a thousand members, which hashing the type would go
    through each time, and a law of ten thousand provisions asks at each provision."""
    entry = _PER_TYPE.get((id(t), what))
    if entry is None or entry[0] is not t:
        if len(_PER_TYPE) >= 1024:  # the types of specs no longer read
            _PER_TYPE.clear()
        entry = _PER_TYPE[id(t), what] = (t, build())
    return entry[1]


def _full(spec: m.CheckedSpec, fact: str):
    """Every value of a fact: an interval, or a set."""
    t = spec.facts[fact].type
    return _per_type(t, "all", lambda: (t.low, t.high) if isinstance(t, m.IntType) else frozenset(t.values()))


def _restrict(spec: m.CheckedSpec, fact: str, allowed) -> Box | None:
    """The box allowing `fact` only `allowed` (a set of values, or an interval)."""
    met = _meet(_full(spec, fact), allowed)
    return EMPTY if met is EMPTY else {fact: met}


def _compare(spec: m.CheckedSpec, fact: str, op: str, value) -> Box | None:
    t = spec.facts[fact].type
    if isinstance(t, m.IntType):
        if op == "=":
            return _restrict(spec, fact, (value, value))
        if op == "<":
            return _restrict(spec, fact, (t.low, value - 1))
        if op == "<=":
            return _restrict(spec, fact, (t.low, value))
        if op == ">":
            return _restrict(spec, fact, (value + 1, t.high))
        if op == ">=":
            return _restrict(spec, fact, (value, t.high))
        return {}  # != cuts a hole an interval cannot show
    if op == "=":
        return _restrict(spec, fact, frozenset([value]))
    if op == "!=":
        return _restrict(spec, fact, _full(spec, fact) - {value})
    return {}


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "!=", "!=": "="}


def _box(spec: m.CheckedSpec, e: m.Expr, negated: bool, applied: dict | None = None) -> Box | None:
    """The box of `e` (of `not e` when `negated`); {} when nothing simple is necessary."""
    return _Box(spec, applied)(e, negated)


class _Box(m.ExprFold):
    """A condition's box; the context `negated` says the box of its negation is wanted.
    `applied` holds the boxes of the provisions an `applies` may name (None: none known)."""

    def __init__(self, spec: m.CheckedSpec, applied: dict | None):
        self.spec, self.applied = spec, applied

    def const(self, e: m.Const, negated: bool):
        return EMPTY if bool(e.value) == negated else {}

    def fact(self, e: m.FactRef, negated: bool):
        return _restrict(self.spec, e.fact, frozenset([not negated]))

    def negation(self, e: m.NotE, negated: bool):
        return self(e.operand, not negated)

    def conjunction(self, e: m.AndE, negated: bool):
        parts = [self(x, negated) for x in e.operands]
        return _union(parts) if negated else _intersect(parts)

    def disjunction(self, e: m.OrE, negated: bool):
        parts = [self(x, negated) for x in e.operands]
        return _intersect(parts) if negated else _union(parts)

    def implication(self, e: m.ImpliesE, negated: bool):  # p → q is ¬p ∨ q
        parts = [self(e.premise, not negated), self(e.conclusion, negated)]
        return _intersect(parts) if negated else _union(parts)

    def equivalence(self, e: m.IffE, negated: bool):
        return {}  # nothing simple

    def comparison(self, e: m.CmpE, negated: bool):
        op = _NEGATE[e.op] if negated else e.op
        if isinstance(e.left, m.FactRef) and isinstance(e.right, m.Const):
            return _compare(self.spec, e.left.fact, op, e.right.value)
        if isinstance(e.right, m.FactRef) and isinstance(e.left, m.Const):
            return _compare(self.spec, e.right.fact, _FLIP[op], e.left.value)
        return {}

    def membership(self, e: m.InE, negated: bool):
        if not isinstance(e.operand, m.FactRef):
            return {}
        spec, fact = self.spec, e.operand.fact
        inside = e.negated == negated
        values = frozenset(c.value for c in e.values)
        if isinstance(spec.facts[fact].type, m.IntType):
            if not inside:
                return {}
            return _union([_restrict(spec, fact, (v, v)) for v in values])
        return _restrict(spec, fact, values if inside else _full(spec, fact) - values)

    def applies(self, e: m.AppliesE, negated: bool):
        if negated or self.applied is None:
            return {}
        return _union([self.applied[p] for p in e.provisions])


def meeting_pairs(spec: m.CheckedSpec, boxes: dict, firsts: list[str], seconds: list[str]) -> list[tuple[str, str]]:
    """The pairs (a, b) of `firsts` × `seconds` whose boxes are not disjoint, in the order of
    `firsts` and then of `seconds`. Found through an index on the enumeration or boolean fact
    that most of them pin to few values, so that a law with thousands of provisions, each on
    its own kind of information, is not paired up one by one."""
    key = pivot(spec, boxes, firsts + seconds)
    rank = {pid: i for i, pid in enumerate(seconds)}
    by_value: dict = {}
    wild: list[str] = []
    for b in seconds:
        box = boxes[b]
        if box is EMPTY:
            continue
        if key is None or key not in box:
            wild.append(b)
        else:
            for value in box[key]:
                by_value.setdefault(value, []).append(b)
    out = []
    for a in firsts:
        box = boxes[a]
        if box is EMPTY:
            continue
        if key is None or key not in box:
            candidates = seconds
        else:
            found = set(wild)
            for value in box[key]:
                found.update(by_value.get(value, ()))
            candidates = sorted(found, key=rank.__getitem__)
        out.extend((a, b) for b in candidates if not disjoint(box, boxes[b]))
    return out


def by_value_of(boxes: dict, fact: str, pids) -> tuple[list[str], dict]:
    """The provisions among `pids` (in their order) whose boxes leave `fact` free, and per
    value of it those whose boxes pin it and allow that value; a provision that can never
    apply (an empty box) in neither."""
    free: list[str] = []
    pinning: dict = {}
    for pid in pids:
        box = boxes[pid]
        if box is EMPTY:
            continue
        if fact not in box:
            free.append(pid)
        else:
            for value in box[fact]:
                pinning.setdefault(value, []).append(pid)
    return free, pinning


def pivot(spec: m.CheckedSpec, boxes: dict, pids: list[str]) -> str | None:
    """The non-integer fact that the most provisions pin to at most half of its values."""
    counts: dict[str, int] = {}
    for pid in pids:
        box = boxes[pid]
        if box is EMPTY:
            continue
        for fact, allowed in box.items():
            if not isinstance(allowed, tuple) and 2 * len(allowed) <= len(_full(spec, fact)):
                counts[fact] = counts.get(fact, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda f: (-counts[f], list(spec.facts).index(f)))
