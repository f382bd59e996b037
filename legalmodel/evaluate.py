"""The plain evaluator: the semantics of design.md, for one concrete situation.

Independent of the Z3 encoding on purpose: the two are checked against each other by the
property tests, and every situation the analyses print is re-evaluated here first.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import model as m


@dataclass(frozen=True)
class Evaluation:
    """What the spec says about one situation."""

    situation: dict
    triggered: frozenset[str]
    in_force: frozenset[str]
    verdicts: dict[str, str]

    def holds(self, condition: m.Expr) -> bool:
        """Whether a condition (which may ask `applies(...)`) is true in this situation."""
        return bool(value_of(condition, self.situation, _TriggeredView(self.triggered)))

    def deciding(self, spec: m.CheckedSpec, action: str) -> tuple[str, ...]:
        """The provisions in force that produce the verdict on `action`."""
        verdict = self.verdicts[action]
        wanted = {
            m.CONTRADICTORY: (m.OBLIGE, m.FORBID),
            m.OBLIGATORY: (m.OBLIGE,),
            m.FORBIDDEN: (m.FORBID,),
            m.PERMITTED: (m.PERMIT,),
        }.get(verdict, ())
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
    """The value of a typed expression in a situation."""
    if isinstance(expr, m.Const):
        return expr.value
    if isinstance(expr, m.FactRef):
        return situation[expr.fact]
    if isinstance(expr, m.NotE):
        return not value_of(expr.operand, situation, triggered)
    if isinstance(expr, m.AndE):
        return all(value_of(x, situation, triggered) for x in expr.operands)
    if isinstance(expr, m.OrE):
        return any(value_of(x, situation, triggered) for x in expr.operands)
    if isinstance(expr, m.ImpliesE):
        return (not value_of(expr.premise, situation, triggered)) or value_of(expr.conclusion, situation, triggered)
    if isinstance(expr, m.IffE):
        return value_of(expr.left, situation, triggered) == value_of(expr.right, situation, triggered)
    if isinstance(expr, m.CmpE):
        a = value_of(expr.left, situation, triggered)
        b = value_of(expr.right, situation, triggered)
        return {
            "=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
        }[expr.op]
    if isinstance(expr, m.InE):
        a = value_of(expr.operand, situation, triggered)
        inside = any(a == c.value for c in expr.values)
        return not inside if expr.negated else inside
    if isinstance(expr, m.AppliesE):
        return any(triggered[p] for p in expr.provisions)
    raise AssertionError(f"unknown expression {expr!r}")


class _Untriggered(dict):
    """Triggered provisions while they are worked out; one outside a slice is not triggered."""

    def __missing__(self, pid: str) -> bool:
        return False


class _TriggeredView(dict):
    def __init__(self, triggered: frozenset[str]):
        super().__init__()
        self._triggered = triggered

    def __getitem__(self, pid: str) -> bool:
        return pid in self._triggered


def assumptions_hold(spec: m.CheckedSpec, situation: dict) -> bool:
    return all(value_of(a.condition, situation, {}) for a in spec.assumptions)


def evaluate(spec: m.CheckedSpec, situation: dict, among: list[str] | None = None) -> Evaluation:
    """Triggered provisions, provisions in force, and the verdict on every action.

    `among` limits the work to those provisions, listed in the spec's order of evaluation
    (`CheckedSpec.order`), for a situation in which no other provision can apply (a situation
    inside a slice of the spec, boxes.py): the others count as not triggered."""
    members = spec.provisions if among is None else set(among)
    order = spec.order if among is None else among
    triggered: dict[str, bool] = {} if among is None else _Untriggered()
    for pid in order:
        triggered[pid] = bool(value_of(spec.provisions[pid].condition, situation, triggered))

    in_force: dict[str, bool] = {}
    for root in (spec.provisions if among is None else among):
        stack = [root]
        while stack:
            pid = stack[-1]
            if pid in in_force:
                stack.pop()
                continue
            overriders = [q for q in spec.overridden_by[pid] if q in members]
            pending = [q for q in overriders if q not in in_force]
            if pending:
                stack.extend(pending)
                continue
            in_force[pid] = triggered[pid] and not any(in_force[q] for q in overriders)
            stack.pop()

    verdicts = {}
    for name, action in spec.actions.items():
        modalities = {spec.provisions[pid].modality for pid, on in in_force.items()
                      if on and spec.provisions[pid].action == name}
        verdicts[name] = _verdict_from(modalities, action.default)
    return Evaluation(
        dict(situation),
        frozenset(p for p, t in triggered.items() if t),
        frozenset(p for p, f in in_force.items() if f),
        verdicts,
    )


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
