"""Explanations: why a situation comes out as it does, and what would change it.

For a full situation the evaluator gives the trace: every provision on the action, whether
its condition held (with each part of the condition and the fact values behind it), whether
it was set aside and by which provision, and which provision decided. For a partial
situation the solver first says whether the verdict is settled; if not, it names the facts
the outcome depends on and gives one completion for each possible verdict. The smallest
change of facts that would change the verdict is found with Z3's optimiser (fewest facts
changed), and the changed situation is re-evaluated before it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import z3

from . import model as m
from .analyse import Disagreement, relevant_facts
from .encode import Encoding, negate
from .evaluate import Evaluation, assumptions_hold, evaluate, value_of
from .solving import Session, Unknown

GIVES = {m.PERMITTED: m.PERMIT, m.FORBIDDEN: m.FORBID, m.OBLIGATORY: m.OBLIGE}


# ---- conditions as text, with their values ------------------------------------------------------

def expr_text(e: m.Expr, spec: m.CheckedSpec | None = None) -> str:
    """A condition written back in the spec's own syntax."""
    if isinstance(e, m.Const):
        if isinstance(e.value, bool):
            return "true" if e.value else "false"
        return str(e.value)
    if isinstance(e, m.FactRef):
        return e.fact
    if isinstance(e, m.NotE):
        return f"not {_wrap(e.operand, spec)}"
    if isinstance(e, m.AndE):
        return " and ".join(_wrap(x, spec) for x in e.operands)
    if isinstance(e, m.OrE):
        return " or ".join(_wrap(x, spec) for x in e.operands)
    if isinstance(e, m.ImpliesE):
        return f"{_wrap(e.premise, spec)} implies {_wrap(e.conclusion, spec)}"
    if isinstance(e, m.IffE):
        return f"{_wrap(e.left, spec)} iff {_wrap(e.right, spec)}"
    if isinstance(e, m.CmpE):
        return f"{expr_text(e.left, spec)} {e.op} {expr_text(e.right, spec)}"
    if isinstance(e, m.InE):
        values = ", ".join(expr_text(v, spec) for v in e.values)
        return f"{expr_text(e.operand, spec)} {'not in' if e.negated else 'in'} {{{values}}}"
    if isinstance(e, m.AppliesE):
        return f"applies({', '.join(e.provisions)})"
    raise AssertionError(e)


def _wrap(e: m.Expr, spec) -> str:
    text = expr_text(e, spec)
    return f"({text})" if isinstance(e, (m.AndE, m.OrE, m.ImpliesE, m.IffE)) else text


@dataclass(frozen=True)
class ConditionPart:
    """One part of a condition, whether it held, and the facts it read."""

    text: str
    holds: bool
    facts: tuple[tuple[str, object], ...]


def condition_parts(e: m.Expr, situation: dict, triggered: dict) -> list[ConditionPart]:
    """The top-level conjuncts (or the whole condition) with their truth values."""
    parts = e.operands if isinstance(e, m.AndE) else (e,)
    out = []
    for p in parts:
        facts = tuple((f, situation[f]) for f in sorted(m.facts_in(p), key=list(situation).index))
        out.append(ConditionPart(expr_text(p), bool(value_of(p, situation, triggered)), facts))
    return out


# ---- results ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProvisionTrace:
    id: str
    title: str
    modality: str
    triggered: bool
    in_force: bool
    set_aside_by: tuple[str, ...]
    parts: tuple[ConditionPart, ...]


@dataclass(frozen=True)
class Counterfactual:
    changes: tuple[tuple[str, object, object], ...]  # fact, from, to
    verdict: str
    deciding: tuple[str, ...]
    situation: dict


@dataclass
class ActionExplanation:
    action: str
    settled: bool
    verdict: str | None
    possible: tuple[str, ...]
    depends_on: tuple[str, ...] = ()
    situation: dict | None = None
    deciding: tuple[str, ...] = ()
    trace: tuple[ProvisionTrace, ...] = ()
    completions: list[dict] = field(default_factory=list)  # per verdict: situation, conditions, deciding
    why_not: list[dict] = field(default_factory=list)
    counterfactual: Counterfactual | None = None
    unknown: str | None = None


@dataclass
class Explanation:
    spec: m.CheckedSpec
    given: dict
    full: bool
    actions: list[ActionExplanation]


# ---- the explainer -------------------------------------------------------------------------

class Explainer:
    def __init__(self, spec: m.CheckedSpec, timeout_ms: int | None = 10_000):
        self.spec = spec
        self.timeout_ms = timeout_ms
        self.enc = Encoding(spec)
        self.session = Session(self.enc, self.enc.background(), [f for _a, f in self.enc.assumptions], timeout_ms)

    def trace(self, situation: dict, action: str) -> tuple[Evaluation, tuple[ProvisionTrace, ...]]:
        ev = evaluate(self.spec, situation)
        triggered = {p: p in ev.triggered for p in self.spec.provisions}
        traces = []
        for p in self.spec.provisions_for(action):
            aside = tuple(q for q in self.spec.overridden_by[p.id] if q in ev.in_force)
            traces.append(ProvisionTrace(p.id, p.title, p.modality, p.id in ev.triggered, p.id in ev.in_force,
                                         aside, tuple(condition_parts(p.condition, situation, triggered))))
        return ev, tuple(traces)

    def explain(self, given: dict, actions: list[str] | None = None, why_not: str | None = None) -> Explanation:
        spec = self.spec
        full = all(f in given for f in spec.facts)
        if full and not assumptions_hold(spec, given):
            raise ValueError("this situation contradicts the spec's assumptions")
        given_formula = self.enc.situation_formula(given) if given else z3.BoolVal(True)
        if not full and not self.session.possible(given_formula):
            raise ValueError("no situation has these facts: they contradict the spec's assumptions")
        out = Explanation(spec, dict(given), full, [])
        for action in actions or list(spec.actions):
            out.actions.append(self._explain_action(action, given, given_formula, full, why_not))
        return out

    def _explain_action(self, action, given, given_formula, full, why_not) -> ActionExplanation:
        spec, enc = self.spec, self.enc
        relevant = relevant_facts(spec, {action})
        try:
            if full:
                possible = (evaluate(spec, given).verdicts[action],)
            else:
                possible = tuple(v for v in m.VERDICTS
                                 if self.session.possible(given_formula, enc.verdict_is(action, v)))
        except Unknown as u:
            return ActionExplanation(action, False, None, (), unknown=u.reason)
        result = ActionExplanation(action, len(possible) == 1, possible[0] if len(possible) == 1 else None, possible)
        completions = []
        for v in possible:
            prop = enc.verdict_is(action, v)
            if full:
                situation, conditions = dict(given), ()
            else:
                model = self.session.sat(given_formula, prop)
                situation = self.session.least(enc.decode(model), [given_formula, prop], given)
                conditions = self.session.generalise(situation, prop, relevant, given)
            ev, trace = self.trace(situation, action)
            if ev.verdicts[action] != v:
                raise Disagreement(f"the solver says `{action}` can be {v} here, the evaluator says "
                                   f"{ev.verdicts[action]}: {situation}")
            completions.append({"verdict": v, "situation": situation, "conditions": conditions,
                                "deciding": ev.deciding(spec, action), "trace": trace})
        result.completions = completions
        if result.settled:
            first = completions[0]
            result.situation = first["situation"]
            result.deciding = first["deciding"]
            result.trace = first["trace"]
            if why_not:
                result.why_not = self._why_not(action, why_not, first["trace"], first["situation"])
            result.counterfactual = self._counterfactual(action, result.verdict, given)
        else:
            result.depends_on = tuple(sorted({c.fact for comp in completions for c in comp["conditions"]},
                                             key=list(spec.facts).index))
        return result

    def _why_not(self, action: str, wanted: str, trace, situation) -> list[dict]:
        """For each provision that could give `wanted`, why it did not."""
        modality = GIVES.get(wanted)
        out = []
        for t in trace:
            if modality is None or t.modality != modality:
                continue
            if not t.triggered:
                failed = [p for p in t.parts if not p.holds]
                out.append({"provision": t.id, "reason": "its condition does not hold",
                            "failed": [{"part": p.text, "facts": dict(p.facts)} for p in failed]})
            elif not t.in_force:
                out.append({"provision": t.id, "reason": "it is set aside by " + ", ".join(t.set_aside_by),
                            "failed": []})
            else:
                outranking = {m.PERMIT: (m.FORBID, m.OBLIGE), m.FORBID: (m.OBLIGE,), m.OBLIGE: ()}[modality]
                stronger = [x for x in trace if x.in_force and x.modality in outranking]
                p = self.spec.provisions[t.id]
                named = [x.id for x in stronger if x.id in p.excepts]
                reason = "it applies, but " + " and ".join(f"{x.id} ({'forbids' if x.modality == m.FORBID else 'obliges'})"
                                                         for x in stronger) + " outranks it"
                if named:
                    reason += f"; it names {', '.join(named)} in `except`, so it deliberately does not set it aside"
                out.append({"provision": t.id, "reason": reason, "failed": []})
        if modality is not None and not out:
            out.append({"provision": None, "reason": f"no provision can make `{action}` {wanted}", "failed": []})
        if modality is None:
            default = self.spec.actions[action].default
            out.append({"provision": None, "reason": f"`{action}` is {wanted} only where no provision decides"
                        + (f" and it has no default (its default is {default})" if default else ""), "failed": []})
        return out

    def _nearest(self, fact: str, value: int, situation: dict, other, kept: dict) -> dict:
        """Move a changed number as close to its given value as the change allows (“aged 20”
        rather than “aged 0”): the largest working value below it or the smallest above it,
        whichever is nearer (below on a tie); the other facts as found for it."""
        var = self.enc.vars[fact]
        t = self.spec.facts[fact].type
        fixed = [self.enc.equals(f, v) for f, v in kept.items()]
        best = None
        below = value > t.low and self.session.possible(other, *fixed, var < value)
        if below:
            lo, hi = t.low, value - 1  # the largest feasible value below
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if self.session.possible(other, *fixed, var >= mid, var < value):
                    lo = mid
                else:
                    hi = mid - 1
            best = lo
        above = value < t.high and self.session.possible(other, *fixed, var > value)
        if above:
            lo, hi = value + 1, t.high  # the smallest feasible value above
            while lo < hi:
                mid = (lo + hi) // 2
                if self.session.possible(other, *fixed, var <= mid, var > value):
                    hi = mid
                else:
                    lo = mid + 1
            if best is None or lo - value < value - best:
                best = lo
        if best is None:
            return situation
        model = self.session.sat(other, *fixed, self.enc.equals(fact, best))
        return self.session.least(self.enc.decode(model), [other], {**kept, fact: best})

    def _counterfactual(self, action: str, verdict: str, given: dict) -> Counterfactual | None:
        """The fewest given facts to change so that the verdict can be different. Up to three
        facts, the sets of facts are tried in the order given (so ties are broken the same way
        in every run) and the new values are the first that work; beyond that, Z3's optimiser."""
        if not given:
            return None
        names = list(given)
        other = negate(self.enc.verdict_is(action, verdict))
        try:
            for k in range(1, min(len(names), 3) + 1):
                for changed in combinations(names, k):
                    kept = {f: v for f, v in given.items() if f not in changed}
                    model = self.session.sat(other, *[self.enc.equals(f, v) for f, v in kept.items()])
                    if model is None:
                        continue
                    situation = self.session.least(self.enc.decode(model), [other], kept)
                    for f in changed:
                        if isinstance(self.spec.facts[f].type, m.IntType):
                            situation = self._nearest(f, given[f], situation, other, kept)
                    ev = evaluate(self.spec, situation)
                    if ev.verdicts[action] == verdict or not assumptions_hold(self.spec, situation):
                        raise Disagreement(f"the changed situation keeps `{action}` {verdict}: {situation}")
                    changes = tuple((f, given[f], situation[f]) for f in given if situation[f] != given[f])
                    return Counterfactual(changes, ev.verdicts[action], ev.deciding(self.spec, action), situation)
        except Unknown:
            return None
        opt = z3.Optimize()
        if self.timeout_ms:
            opt.set("timeout", int(self.timeout_ms))
        opt.add(*self.enc.background())
        opt.add(*[f for _a, f in self.enc.assumptions])
        opt.add(negate(self.enc.verdict_is(action, verdict)))
        for fact, value in given.items():
            opt.add_soft(self.enc.equals(fact, value), 1)
        result = opt.check()
        if result != z3.sat:
            return None
        situation = self.enc.decode(opt.model())
        ev = evaluate(self.spec, situation)
        if ev.verdicts[action] == verdict or not assumptions_hold(self.spec, situation):
            raise Disagreement(f"the optimiser's changed situation keeps `{action}` {verdict}: {situation}")
        changes = tuple((f, given[f], situation[f]) for f in given if situation[f] != given[f])
        return Counterfactual(changes, ev.verdicts[action], ev.deciding(self.spec, action), situation)


# ---- reading `--given fact=value` ------------------------------------------------------------

def parse_given(spec: m.CheckedSpec, items: list[str]) -> dict:
    """`ålder=25`, `mottagare=polisen`, `konkret_risk` (true), `not olämpligt` (false)."""
    from .diagnostics import suggest

    out = {}
    for raw in items:
        text = raw.strip()
        if "=" in text:
            name, value = (x.strip() for x in text.split("=", 1))
        elif text.startswith("not "):
            name, value = text[4:].strip(), "false"
        else:
            name, value = text, "true"
        if name not in spec.facts:
            hint = suggest(name, spec.facts)
            raise ValueError(f"unknown fact `{name}`" + (f"; {hint}" if hint else ""))
        t = spec.facts[name].type
        if isinstance(t, m.BoolType):
            if value.lower() not in ("true", "false", "yes", "no", "ja", "nej"):
                raise ValueError(f"`{name}` is true or false, not `{value}`")
            out[name] = value.lower() in ("true", "yes", "ja")
        elif isinstance(t, m.IntType):
            try:
                number = int(value)
            except ValueError:
                raise ValueError(f"`{name}` is a number ({t.low}..{t.high}), not `{value}`") from None
            if not t.low <= number <= t.high:
                raise ValueError(f"{number} is outside `{name}`'s range {t.low}..{t.high}")
            out[name] = number
        else:
            if value not in t.members:
                hint = suggest(value, t.members)
                raise ValueError(f"`{value}` is not a value of `{name}` ({', '.join(t.members)})"
                                 + (f"; {hint}" if hint else ""))
            out[name] = value
    return out


def example_block(title: str, given: dict, expectations: dict) -> str:
    """A situation and its verdicts as an `example` block, ready to paste into a spec."""
    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)

    lines = [f'example "{title}"']
    if given:
        lines.append("  given " + ", ".join(f"{k} = {value(v)}" for k, v in given.items()))
    for action, verdict in expectations.items():
        lines.append(f"  expect {action} {verdict}")
    return "\n".join(lines) + "\n"
