"""Explanations: why a situation comes out as it does, and what would change it.

For a full situation the evaluator gives the trace: every provision on the action, whether
its condition held (with each part of the condition and the fact values behind it), whether
it was set aside and by which provision, and which provision decided. For a partial
situation the solver first says whether the verdict is settled; if not, it names the facts
the outcome depends on and gives one completion for each possible verdict, found as `check`
finds evidence (context.QueryContext.evidence: in the slice of the law it lies in). If it is, the
trace is of the partial situation itself: each provision and each part of a condition holds
in every completion, in none, or depending on facts not stated, and a fact not given is
shown as not stated, never with a value some completion happens to give it.

The smallest change of a full situation is the fewest facts to change so that the verdict
is different (Z3's optimiser beyond three facts). Of a partial situation it is the fewest
given facts to change so that the verdict is *settled* as a different one: the same in
every completion of the facts still not stated (an exists-forall question to Z3), so the
change claims nothing about facts nobody gave. The changed situation is re-evaluated before
it is shown.
"""

from __future__ import annotations


from itertools import combinations

import z3

from ..i18n import Words, _, said, sentence
from ..law import model as m
from ..law.model import relevant_facts
from .certify import Disagreement
from .context import QueryContext
from ..semantics.encode import Encoding, all_of, any_of, assert_term, implies, make_optimizer, make_solver, negate
from ..semantics.evaluate import Evaluation, assumptions_hold, evaluate, value_of
from ..results import (ActionExplanation, ConditionPart, Counterfactual, Explanation,  # noqa: F401
                      ProvisionTrace)
from ..solver.session import NO_LIMIT_MS, Unknown

GIVES = {m.PERMITTED: m.PERMIT, m.FORBIDDEN: m.FORBID, m.OBLIGATORY: m.OBLIGE}


# ---- conditions as text, with their values ------------------------------------------------------

def expr_text(e: m.Expr) -> str:
    """A condition written back in the spec's own syntax."""
    return _SPEC_TEXT(e)


class _SpecText(m.ExprFold):
    """A condition in the spec's syntax; a compound part of a compound is bracketed."""

    def wrapped(self, e: m.Expr) -> str:
        text = self(e)
        return f"({text})" if isinstance(e, (m.AndE, m.OrE, m.ImpliesE, m.IffE)) else text

    def const(self, e: m.Const) -> str:
        if isinstance(e.value, bool):
            return "true" if e.value else "false"
        return str(e.value)

    def fact(self, e: m.FactRef) -> str:
        return e.fact

    def negation(self, e: m.NotE) -> str:
        return f"not {self.wrapped(e.operand)}"

    def conjunction(self, e: m.AndE) -> str:
        return " and ".join(self.wrapped(x) for x in e.operands)

    def disjunction(self, e: m.OrE) -> str:
        return " or ".join(self.wrapped(x) for x in e.operands)

    def implication(self, e: m.ImpliesE) -> str:
        return f"{self.wrapped(e.premise)} implies {self.wrapped(e.conclusion)}"

    def equivalence(self, e: m.IffE) -> str:
        return f"{self.wrapped(e.left)} iff {self.wrapped(e.right)}"

    def comparison(self, e: m.CmpE) -> str:
        return f"{self(e.left)} {e.op} {self(e.right)}"

    def membership(self, e: m.InE) -> str:
        values = ", ".join(self(v) for v in e.values)
        return f"{self(e.operand)} {'not in' if e.negated else 'in'} {{{values}}}"

    def applies(self, e: m.AppliesE) -> str:
        return f"applies({', '.join(e.provisions)})"


_SPEC_TEXT = _SpecText()


def condition_parts(e: m.Expr, situation: dict, triggered: dict) -> list[ConditionPart]:
    """The top-level conjuncts (or the whole condition) with their truth values."""
    parts = e.operands if isinstance(e, m.AndE) else (e,)
    out = []
    for p in parts:
        facts = tuple((f, situation[f]) for f in sorted(m.facts_in(p), key=list(situation).index))
        out.append(ConditionPart(expr_text(p), bool(value_of(p, situation, triggered)), facts))
    return out


# ---- the explainer -------------------------------------------------------------------------

class Explainer:
    def __init__(self, spec: m.CheckedSpec, timeout_ms: int | None = 10_000, slice_share: float = 0.5):
        """`slice_share`: as for QueryContext (0: never ask a slice; tests compare both)."""
        self.spec = spec
        self.timeout_ms = timeout_ms
        # the analyser's encoding, solver and slices: a completion's situation and conditions
        # are evidence as `check` finds it, asked of the slice it lies in when there is one
        self.analyser = QueryContext(spec, timeout_ms, slice_share=slice_share)
        self.enc = self.analyser.enc
        self.session = self.analyser.session
        self._quantified = None  # the encoding the smallest change of a partial situation quantifies over

    def trace(self, situation: dict, action: str) -> tuple[Evaluation, tuple[ProvisionTrace, ...]]:
        ev = evaluate(self.spec, situation)
        triggered = {p: p in ev.triggered for p in self.spec.provisions}
        traces = []
        for p in self.spec.provisions_for(action):
            aside = tuple(q for q in self.spec.overridden_by[p.id] if q in ev.in_force)
            traces.append(ProvisionTrace(p.id, p.title, p.modality, p.id in ev.triggered, p.id in ev.in_force,
                                         aside, tuple(condition_parts(p.condition, situation, triggered))))
        return ev, tuple(traces)

    def _explain(self, given: dict, actions: list[str] | None, why_not: str | None, brief: bool,
                 parts: bool) -> Explanation:
        spec = self.spec
        full = all(f in given for f in spec.facts)
        if full and not assumptions_hold(spec, given):
            raise ValueError(_("this situation contradicts the spec's assumptions"))
        given_formula = self.enc.situation_formula(given) if given else z3.BoolVal(True)
        out = Explanation(spec, dict(given), full, [])
        try:
            if not full and not self.session.possible(given_formula):
                raise ValueError(_("no situation has these facts: they contradict the spec's assumptions"))
        except Unknown as u:
            out.actions.extend(ActionExplanation(a, False, None, (), unknown=u.reason)
                               for a in actions or list(spec.actions))
            return out
        for action in actions or list(spec.actions):
            out.actions.append(self._explain_action(action, given, given_formula, full, why_not, brief, parts))
        return out

    def explain(self, given: dict, actions: list[str] | None = None, why_not: str | None = None,
                brief: bool = False, parts: bool = True) -> Explanation:
        """Explain a situation (full or partial) for some acts (all, by default). The time
        limit bounds the whole explanation, every question of it together: where it runs
        out, an act's answer is `unknown` (or only its smallest change is), never an answer
        cut short. `brief`: the verdicts and the deciding provisions only (no completions, so
        no `depends_on`; no trace, why-not or smallest change): a row of a table of many dates.
        `parts`: whether a partial situation's trace says of each part of a condition whether
        it holds (the most questions of a trace; without them its `parts` are empty)."""
        deadline = self.analyser.deadline
        if self.timeout_ms:
            deadline.start(self.timeout_ms / 1000, "explanation")
        try:
            return self._explain(given, actions, why_not, brief, parts)
        finally:
            deadline.stop()

    def _explain_action(self, action, given, given_formula, full, why_not, brief=False,
                        parts=True) -> ActionExplanation:
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
        if brief and not full:
            # no completions: finding each one's certified evidence was most of the cost, and
            # a table row needs only the verdicts and who decides
            if result.settled:
                try:
                    result.deciding, result.maybe_deciding = self._partial_deciding(action, result.verdict,
                                                                                    given_formula)
                except Unknown as u:
                    return ActionExplanation(action, False, None, (), unknown=u.reason)
            return result
        completions = []
        for v in possible:
            prop = enc.verdict_is(action, v)
            if full:
                situation, conditions = dict(given), ()
            else:
                try:
                    model = self.session.sat(given_formula, prop)
                    # exact: conditions a time limit left narrower than the facts that matter
                    # would name facts the outcome does not depend on
                    evidence = self.analyser.evidence(
                        model,
                        lambda e, v=v: e.verdicts[action] == v and all(e.situation[f] == x for f, x in given.items()),
                        f"`{action}` {v}", lambda enc, v=v: enc.verdict_is(action, v), relevant, dict(given),
                        exact=True)
                except Unknown as u:
                    return ActionExplanation(action, False, None, (), unknown=u.reason)
                situation, conditions = evidence.situation, evidence.conditions
            # the trace is shown for a complete situation only (a partial one's is partial_trace)
            ev, trace = self.trace(situation, action) if full else (evaluate(spec, situation), None)
            if ev.verdicts[action] != v:
                raise Disagreement(f"the solver says `{action}` can be {v} here, the evaluator says "
                                   f"{ev.verdicts[action]}: {situation}")
            completions.append({"verdict": v, "situation": situation, "conditions": conditions,
                                "deciding": ev.deciding(spec, action), "trace": trace})
        result.completions = completions
        if result.settled:
            first = completions[0]
            result.situation = first["situation"]
            try:
                if full:
                    result.deciding = first["deciding"]
                    result.trace = first["trace"]
                else:
                    result.trace = self.partial_trace(action, given, given_formula, parts)
                    result.deciding, result.maybe_deciding = _deciding(result.trace, result.verdict)
                if brief:
                    return result
                if why_not:
                    result.why_not = self._why_not(action, why_not, result, given_formula, full)
            except Unknown as u:
                return ActionExplanation(action, False, None, (), unknown=u.reason)
            try:
                result.counterfactual = (self._counterfactual(action, result.verdict, given) if full
                                         else self._settling_change(action, result.verdict, given))
            except Unknown as u:  # the verdict stands; only the smallest change is not known
                result.smallest_change_unknown = u.reason
        else:
            result.depends_on = tuple(sorted({c.fact for comp in completions for c in comp["conditions"]},
                                             key=list(spec.facts).index))
        return result

    # ---- a partial situation: what holds in every completion ---------------------------------

    def _determined(self, given_formula, term) -> bool | None:
        """True where `term` holds in every completion of the given facts, False where it holds
        in none, None where it depends on the facts not stated."""
        if not self.session.possible(given_formula, term):
            return False
        return None if self.session.possible(given_formula, negate(term)) else True

    def partial_trace(self, action: str, given: dict, given_formula, parts: bool = True) -> tuple[ProvisionTrace, ...]:
        """The trace of a partial situation: for each provision on `action` and each part of its
        condition, whether it holds in every completion, in none, or depending on facts not
        stated; a fact not given has the value None."""
        enc, order = self.enc, list(self.spec.facts)
        traces = []
        for p in self.spec.provisions_for(action):
            triggered = self._determined(given_formula, enc.triggered[p.id])
            in_force = False if triggered is False else self._determined(given_formula, enc.in_force[p.id])
            aside: tuple[str, ...] = ()
            if triggered is not False and in_force is not True:
                aside = tuple(q for q in self.spec.overridden_by[p.id]
                              if self.session.possible(given_formula, enc.triggered[p.id], enc.in_force[q]))
            shown = []
            for part in (p.condition.operands if isinstance(p.condition, m.AndE) else (p.condition,)) if parts else ():
                facts = tuple((f, given.get(f)) for f in sorted(m.facts_in(part), key=order.index))
                shown.append(ConditionPart(expr_text(part), self._determined(given_formula, enc.expr(part)), facts))
            traces.append(ProvisionTrace(p.id, p.title, p.modality, triggered, in_force, aside, tuple(shown)))
        return tuple(traces)

    def _partial_deciding(self, action: str, verdict: str, given_formula) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The deciding provisions of a settled verdict in a partial situation, as
        partial_trace and _deciding find them, asking only of the provisions that can give it."""
        wanted = m.DECIDING.get(verdict, ())
        sure, maybe = [], []
        for p in self.spec.provisions_for(action):
            if p.modality not in wanted:
                continue
            in_force = self._determined(given_formula, self.enc.in_force[p.id])
            (sure if in_force is True else maybe if in_force is None else []).append(p.id)
        return tuple(sure), tuple(maybe)

    # ---- why not ------------------------------------------------------------------------------

    def _why_not(self, action: str, wanted: str, result: ActionExplanation, given_formula, full: bool) -> list[dict]:
        """For each provision that could give `wanted`, why it did not (in a partial situation:
        in no completion of the given facts)."""
        if wanted == result.verdict:
            return [{"provision": None, "reason": sentence("`{action}` is already {verdict}", action=action,
                                                            verdict=Words(wanted)), "failed": []}]
        modality = GIVES.get(wanted)
        enc, provisions = self.enc, self.spec.provisions
        out = []
        for t in result.trace:
            if modality is None or t.modality != modality:
                continue
            p = provisions[t.id]
            if t.triggered is False:
                failed = [x for x in t.parts if x.holds is False]
                reason = sentence("its condition does not hold")
                if not failed:  # no one part fails on the given facts: they do together
                    failed = [x for x in t.parts if x.holds is None]
                    reason = sentence("its condition cannot hold together with the given facts")
                out.append({"provision": t.id, "reason": reason,
                            "failed": [{"part": x.text, "facts": dict(x.facts)} for x in failed]})
                continue
            aside = outranked = None
            # where it applies but is not in force: the provisions that set it aside
            if t.in_force is False or (t.in_force is None and t.set_aside_by):
                aside = sentence("it is set aside by {provisions}", provisions=_one_or_more(t.set_aside_by, full))
            # where it is in force: a stronger provision in force beside it
            if t.in_force is not False:
                against = {m.PERMIT: (m.FORBID, m.OBLIGE), m.FORBID: (m.OBLIGE,), m.OBLIGE: (m.FORBID,)}[modality]
                if full:
                    stronger = [x for x in result.trace if x.in_force and x.modality in against]
                else:
                    stronger = [x for x in result.trace if x.modality in against and x.in_force is not False
                                and self.session.possible(given_formula, enc.in_force[t.id], enc.in_force[x.id])]
                names = _one_or_more([sentence("{provision} (forbids)", provision=x.id) if x.modality == m.FORBID
                                      else sentence("{provision} (obliges)", provision=x.id) for x in stronger], full)
                outranked = (sentence("{provisions} outranks it", provisions=names) if modality == m.PERMIT
                             else sentence("{provisions} is in force too: a contradiction", provisions=names))
                named = [x.id for x in stronger if x.id in p.excepts]
                if named:
                    outranked = sentence("{outranked}; it names {named} in `except`, so it deliberately does not set "
                                         "it aside", outranked=outranked, named=", ".join(named))
            if aside and outranked:
                text = sentence("{aside}; where it is not, {outranked}", aside=aside, outranked=outranked)
            elif aside:
                text = aside
            elif t.triggered is None:
                text = outranked
            else:
                text = sentence("it applies, but {outranked}", outranked=outranked)
            if t.triggered is None:
                unstated = sorted({f for x in t.parts if x.holds is None for f, v in x.facts if v is None},
                                  key=list(self.spec.facts).index)
                text = (sentence("whether it applies depends on facts not stated ({facts}); where it does, {text}",
                                 facts=", ".join(f"`{f}`" for f in unstated), text=text) if unstated
                        else sentence("whether it applies depends on facts not stated; where it does, {text}", text=text))
            out.append({"provision": t.id, "reason": text, "failed": []})
        if modality is not None and not out:
            out.append({"provision": None, "reason": sentence("no provision can make `{action}` {verdict}", action=action,
                                                               verdict=Words(wanted)), "failed": []})
        if modality is None:
            default = self.spec.actions[action].default
            reason = (sentence("`{action}` is {verdict} only where no provision decides and it has no default (its "
                               "default is {default})", action=action, verdict=Words(wanted), default=Words(default))
                      if default else sentence("`{action}` is {verdict} only where no provision decides", action=action,
                                               verdict=Words(wanted)))
            out.append({"provision": None, "reason": reason, "failed": []})
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
        in every run) and the new values are the first that work; beyond that, Z3's optimiser.
        None where no change of the given facts gives another verdict; Unknown where the
        time limit struck first."""
        if not given:
            return None
        names = list(given)
        other = negate(self.enc.verdict_is(action, verdict))
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
        opt = make_optimizer(self.analyser.deadline.limit_ms(self.timeout_ms))
        opt.add(*self.enc.background())
        opt.add(*[f for _a, f in self.enc.assumptions])
        opt.add(negate(self.enc.verdict_is(action, verdict)))
        for fact, value in given.items():
            opt.add_soft(self.enc.equals(fact, value), 1)
        result = opt.check()
        if result == z3.unknown:
            raise Unknown(self.analyser.deadline.why(opt.reason_unknown()))
        if result != z3.sat:
            return None
        situation = self.enc.decode(opt.model())
        ev = evaluate(self.spec, situation)
        if ev.verdicts[action] == verdict or not assumptions_hold(self.spec, situation):
            raise Disagreement(f"the optimiser's changed situation keeps `{action}` {verdict}: {situation}")
        changes = tuple((f, given[f], situation[f]) for f in given if situation[f] != given[f])
        return Counterfactual(changes, ev.verdicts[action], ev.deciding(self.spec, action), situation)

    # ---- the smallest change of a partial situation ------------------------------------------

    def _every_completion(self, action: str, verdict: str, free: tuple[str, ...]) -> z3.BoolRef:
        """A formula over the fact variables (the facts in `free` aside): every completion of
        the facts in `free` that meets the assumptions gives `verdict` on `action`. Asked of a
        second encoding of the spec whose free facts and provision constants are bound."""
        if self._quantified is None or self._quantified[0] != free:
            q = Encoding(self.spec, prefix="every:")
            fresh = {f: (z3.Bool if isinstance(self.spec.facts[f].type, m.BoolType) else z3.Int)(f"every:fact:{f}")
                     for f in free}
            bound = [*fresh.values(), *q.triggered.values(), *q.in_force.values(), *q.any_in_force.values(),
                     *q.shared_constants()]
            self._quantified = (free, q, [(q.vars[f], fresh[f]) for f in free], bound)
        _free, q, pairs, bound = self._quantified
        body = implies(all_of(q.background() + [f for _a, f in q.assumptions]), q.verdict_is(action, verdict))
        if pairs:
            body = z3.substitute(body, *pairs)
        return z3.ForAll(bound, body) if bound else body

    def _settling_change(self, action: str, verdict: str, given: dict) -> Counterfactual | None:
        """The fewest given facts to change so that the verdict on `action` is settled as a
        different one, whatever the facts not stated: sets of facts tried smallest first and
        in the order given, each changed value the nearest (a number) or the first (in the
        order of its values) that works. None when no change does; Unknown where the time
        limit struck first."""
        if not given:
            return None
        spec, enc = self.spec, self.enc
        free = tuple(f for f in spec.facts if f not in given)
        names = list(given)
        solver = make_solver(self.timeout_ms, quantified=True)
        for term in enc.background():
            assert_term(solver, term)
        for _a, formula in enc.assumptions:
            assert_term(solver, formula)

        def possible(*formulas) -> bool:
            solver.set("timeout", self.analyser.deadline.limit_ms(self.timeout_ms) or NO_LIMIT_MS)
            solver.push()
            try:
                for f in formulas:
                    assert_term(solver, f)
                result = solver.check()
            finally:
                solver.pop()
            if result == z3.unknown:
                raise Unknown(self.analyser.deadline.why(solver.reason_unknown()))
            return result == z3.sat

        def differs(f):
            return negate(enc.equals(f, given[f]))

        others = [v for v in m.VERDICTS if v != verdict and self.session.possible(enc.verdict_is(action, v))]
        settled = {v: self._every_completion(action, v, free) for v in others}
        if not settled:
            return None
        any_settled = any_of(list(settled.values()))
        if not possible(any_settled):
            return None
        size = next(k for k in range(1, len(names) + 1)
                    if possible(any_settled, z3.AtMost(*[differs(f) for f in names], k)))
        for changed in combinations(names, size):
            kept = [enc.equals(f, v) for f, v in given.items() if f not in changed]
            moved = [differs(f) for f in changed]
            if not possible(any_settled, *kept, *moved):
                continue
            new_verdict = next(v for v in others if possible(settled[v], *kept, *moved))
            every = settled[new_verdict]
            chosen: dict = {}
            for f in changed:
                rest = [differs(g) for g in changed if g not in chosen and g != f]
                fixed = [enc.equals(g, v) for g, v in chosen.items()]
                chosen[f] = self._first_value(f, given[f], lambda *extra: possible(every, *kept, *fixed, *rest,
                                                                                   *extra))
            situation = {f: chosen.get(f, v) for f, v in given.items()}
            return self._changed_partial(action, verdict, new_verdict, given, situation)
        return None

    def _first_value(self, fact: str, old, works) -> object:
        """The value a changed fact takes: for a number the nearest to its old value that works
        (below on a tie), else the first in the order of its values. `works(extra)` says
        whether the change can be completed with the extra constraint."""
        t = self.spec.facts[fact].type
        enc = self.enc
        if not isinstance(t, m.IntType):
            return next(v for v in t.values() if v != old and works(enc.equals(fact, v)))
        var = enc.vars[fact]
        best = None
        if old > t.low and works(var < old):
            lo, hi = t.low, old - 1  # the largest value below that works
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if works(var >= mid, var < old):
                    lo = mid
                else:
                    hi = mid - 1
            best = lo
        if old < t.high and works(var > old):
            lo, hi = old + 1, t.high  # the smallest value above that works
            while lo < hi:
                mid = (lo + hi) // 2
                if works(var <= mid, var > old):
                    hi = mid
                else:
                    lo = mid + 1
            if best is None or lo - old < old - best:
                best = lo
        return best

    def _changed_partial(self, action: str, verdict: str, new_verdict: str, given: dict, situation: dict
                         ) -> Counterfactual:
        """The changed partial situation, checked without quantifiers (some completion, and none
        with another verdict) and on its first completion by the evaluator."""
        enc = self.enc
        formula = enc.situation_formula(situation)
        model = self.session.sat(formula)
        if model is None or self.session.possible(formula, negate(enc.verdict_is(action, new_verdict))):
            raise Disagreement(f"the changed situation does not settle `{action}` as {new_verdict}: {situation}")
        first = self.session.least(enc.decode(model), [formula], situation)
        ev = evaluate(self.spec, first)
        if ev.verdicts[action] != new_verdict or new_verdict == verdict or not assumptions_hold(self.spec, first):
            raise Disagreement(f"the solver says `{action}` is {new_verdict} in every completion of {situation}, "
                               f"the evaluator says {ev.verdicts[action]} in {first}")
        sure, maybe = _deciding(self.partial_trace(action, situation, formula), new_verdict)
        changes = tuple((f, given[f], situation[f]) for f in given if situation[f] != given[f])
        return Counterfactual(changes, new_verdict, sure, dict(situation), complete=False, maybe_deciding=maybe)


def _one_or_more(names, full: bool):
    """Provisions that act together (a full situation) or in some completions (a partial one)."""
    names = tuple(names)
    if full or len(names) < 2:
        return names
    return sentence("one or more of {provisions}, depending on facts not stated", provisions=names)


def _deciding(trace, verdict: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The provisions that decide a settled verdict in a partial situation: those in force in
    every completion, and those in force in some completions only."""
    wanted = {m.CONTRADICTORY: (m.OBLIGE, m.FORBID), m.OBLIGATORY: (m.OBLIGE,), m.FORBIDDEN: (m.FORBID,),
              m.PERMITTED: (m.PERMIT,)}.get(verdict, ())
    sure = tuple(t.id for t in trace if t.in_force is True and t.modality in wanted)
    maybe = tuple(t.id for t in trace if t.in_force is None and t.modality in wanted)
    return sure, maybe


# ---- reading `--given fact=value` ------------------------------------------------------------

def parse_given(spec: m.CheckedSpec, items: list[str]) -> dict:
    """`ålder=25`, `mottagare=polisen`, `konkret_risk` (true), `not olämpligt` (false)."""
    from ..syntax.diagnostics import suggest

    out = {}
    seen: dict[str, str] = {}
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
            raise ValueError(_("unknown fact `{name}`; {hint}").format(name=name, hint=said(hint)) if hint
                             else _("unknown fact `{name}`").format(name=name))
        if name in seen:
            raise ValueError(_('the fact `{name}` is given twice (`--given {seen}` and `--given {text}`); give each fact once').format(name=name, seen=seen[name], text=text))
        seen[name] = text
        t = spec.facts[name].type
        if isinstance(t, m.BoolType):
            if value.lower() not in ("true", "false", "yes", "no", "ja", "nej"):
                raise ValueError(_('`{name}` is true or false, not `{value}`').format(name=name, value=value))
            out[name] = value.lower() in ("true", "yes", "ja")
        elif isinstance(t, m.IntType):
            try:
                number = int(value)
            except ValueError:
                raise ValueError(_('`{name}` is a number ({low}..{high}), not `{value}`').format(name=name, low=t.low, high=t.high, value=value)) from None
            if not t.low <= number <= t.high:
                raise ValueError(_("{number} is outside `{name}`'s range {low}..{high}").format(number=number, name=name, low=t.low, high=t.high))
            out[name] = number
        else:
            if value not in t.members:
                hint = suggest(value, t.members)
                raise ValueError(_("`{value}` is not a value of `{name}` ({values})").format(
                    value=value, name=name, values=", ".join(t.members)) + (f"; {said(hint)}" if hint else ""))
            out[name] = value
    return out
