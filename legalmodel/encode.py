"""The Z3 encoding: a checked spec as formulas over one Z3 variable per fact.

Owns the symbol table (fact → Z3 constant, provision → its `triggered` and `in force`
constants, action → its verdict formulas), the constraints every situation satisfies (fact
domains, assumptions and the definitions of the provision constants), decoding a model back
into a situation, and the one place solvers are made (`make_solver`: fixed seed, a time
limit per question).

Boolean terms are built with `all_of`, `any_of`, `negate`, `implies` and `same`: the terms
z3.And, z3.Or, z3.Not, z3.Implies and `==` build, without the Python API's coercions and
sort checks (every operand here is already a Boolean term), which made up most of the time
of a check on the real law.
"""

from __future__ import annotations

import z3

from . import model as m

def _items(args) -> list:
    if len(args) == 1 and not isinstance(args[0], z3.ExprRef):
        return list(args[0])
    return list(args)


def _array(items):
    return (z3.Ast * len(items))(*[x.as_ast() for x in items])


def all_of(*args) -> z3.BoolRef:
    """The conjunction of Boolean terms (a list, or several arguments); true when none."""
    items = _items(args)
    if not items:
        return z3.BoolVal(True)
    ctx = items[0].ctx
    return z3.BoolRef(z3.Z3_mk_and(ctx.ref(), len(items), _array(items)), ctx)


def any_of(*args) -> z3.BoolRef:
    """The disjunction of Boolean terms (a list, or several arguments); false when none."""
    items = _items(args)
    if not items:
        return z3.BoolVal(False)
    ctx = items[0].ctx
    return z3.BoolRef(z3.Z3_mk_or(ctx.ref(), len(items), _array(items)), ctx)


def negate(term: z3.BoolRef) -> z3.BoolRef:
    return z3.BoolRef(z3.Z3_mk_not(term.ctx.ref(), term.as_ast()), term.ctx)


def implies(premise: z3.BoolRef, conclusion: z3.BoolRef) -> z3.BoolRef:
    return z3.BoolRef(z3.Z3_mk_implies(premise.ctx.ref(), premise.as_ast(), conclusion.as_ast()), premise.ctx)


def same(left: z3.ExprRef, right: z3.ExprRef) -> z3.BoolRef:
    """`left == right` for two terms of one sort (Boolean equality is `iff`)."""
    return z3.BoolRef(z3.Z3_mk_eq(left.ctx.ref(), left.as_ast(), right.as_ast()), left.ctx)


_CMP = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def make_solver(timeout_ms: int | None) -> z3.Solver:
    """Every solver legalmodel uses: deterministic seed, bounded time per check."""
    solver = z3.Solver()
    solver.set("random_seed", 0)
    # try `true` first for each Boolean: a model then tends to trigger many provisions at
    # once, so a sweep (analyse._sweep) sees most of them in a few questions (192 → 61 on the
    # generated 100-provision spec). What is printed does not depend on it: evidence starts
    # from Session.least and conflicts from solving.preferred_core.
    solver.set("phase_selection", 1)
    if timeout_ms:
        solver.set("timeout", int(timeout_ms))
    return solver


def assert_term(solver: z3.Solver, term: z3.BoolRef) -> None:
    """`solver.add(term)` for a Boolean term, without the API's cast."""
    z3.Z3_solver_assert(solver.ctx.ref(), solver.solver, term.as_ast())


def check_under(solver: z3.Solver, literals) -> z3.CheckSatResult:
    """`solver.check(*literals)` for Boolean literals, without the API's cast of each one."""
    literals = list(literals)
    result = z3.Z3_solver_check_assumptions(solver.ctx.ref(), solver.solver, len(literals), _array(literals))
    return z3.CheckSatResult(result)


class Encoding:
    """Z3 constants and definitions for one spec."""

    def __init__(self, spec: m.CheckedSpec, vocabulary: dict[str, m.Fact] | None = None, prefix: str = ""):
        """`vocabulary` gives the facts' types when two specs share one set of fact variables
        (a diff over the union of their facts); `prefix` keeps each spec's provision constants apart."""
        self.spec = spec
        self.facts = vocabulary if vocabulary is not None else spec.facts
        self.vars: dict[str, z3.ExprRef] = {}
        self.domain: list[z3.BoolRef] = []
        for name, fact in self.facts.items():
            t = fact.type
            if isinstance(t, m.BoolType):
                self.vars[name] = z3.Bool(f"fact:{name}")
            else:
                v = z3.Int(f"fact:{name}")
                self.vars[name] = v
                low, high = (t.low, t.high) if isinstance(t, m.IntType) else (0, len(t.members) - 1)
                self.domain.append(all_of(v >= low, v <= high))
        self.assumptions = [(a, self.expr(a.condition)) for a in spec.assumptions]
        self.triggered = {pid: z3.Bool(f"{prefix}triggered:{pid}") for pid in spec.provisions}
        self.in_force = {pid: z3.Bool(f"{prefix}in_force:{pid}") for pid in spec.provisions}
        self.definitions: list[z3.BoolRef] = []
        for pid, p in spec.provisions.items():
            self.definitions.append(same(self.triggered[pid], self.expr(p.condition)))
            overriders = [self.in_force[q] for q in spec.overridden_by[pid]]
            self.definitions.append(same(self.in_force[pid], all_of(self.triggered[pid], negate(any_of(overriders))))
                                    if overriders else same(self.in_force[pid], self.triggered[pid]))
        self._verdicts: dict[tuple[str, str], z3.BoolRef] = {}
        self._equals: dict[tuple[str, object], z3.BoolRef] = {}
        self.any_in_force: dict[tuple[str, str], z3.BoolRef] = {}
        for action in spec.actions:
            for modality in (m.OBLIGE, m.FORBID, m.PERMIT):
                const = z3.Bool(f"{prefix}{modality}:{action}")
                members = [self.in_force[p.id] for p in spec.provisions_for(action) if p.modality == modality]
                self.definitions.append(same(const, any_of(members)))
                self.any_in_force[(action, modality)] = const

    # ---- expressions ------------------------------------------------------------------------

    def enum_index(self, fact: str, value: str) -> int:
        return self.facts[fact].type.members.index(value)

    def expr(self, e: m.Expr) -> z3.ExprRef:
        return self._expr(e, None)

    def _const(self, c: m.Const, partner: m.Expr | None):
        if isinstance(c.value, bool):
            return z3.BoolVal(c.value)
        if isinstance(c.value, int):
            return z3.IntVal(c.value)
        assert isinstance(partner, m.FactRef), "enumeration values are compared with facts"
        return z3.IntVal(self.enum_index(partner.fact, c.value))

    def _expr(self, e: m.Expr, partner: m.Expr | None) -> z3.ExprRef:
        if isinstance(e, m.Const):
            return self._const(e, partner)
        if isinstance(e, m.FactRef):
            return self.vars[e.fact]
        if isinstance(e, m.NotE):
            return negate(self.expr(e.operand))
        if isinstance(e, m.AndE):
            return all_of([self.expr(x) for x in e.operands])
        if isinstance(e, m.OrE):
            return any_of([self.expr(x) for x in e.operands])
        if isinstance(e, m.ImpliesE):
            return implies(self.expr(e.premise), self.expr(e.conclusion))
        if isinstance(e, m.IffE):
            return same(self.expr(e.left), self.expr(e.right))
        if isinstance(e, m.CmpE):
            left = self._expr(e.left, e.right)
            right = self._expr(e.right, e.left)
            return _CMP[e.op](left, right)
        if isinstance(e, m.InE):
            operand = self._expr(e.operand, None)
            inside = any_of([operand == self._const(c, e.operand) for c in e.values]) if e.values else z3.BoolVal(False)
            return negate(inside) if e.negated else inside
        if isinstance(e, m.AppliesE):
            return any_of([self.triggered[p] for p in e.provisions]) if e.provisions else z3.BoolVal(False)
        raise AssertionError(f"unknown expression {e!r}")

    # ---- verdicts ---------------------------------------------------------------------------

    def verdict_is(self, action: str, verdict: str, in_force: dict[str, z3.BoolRef] | None = None) -> z3.BoolRef:
        """The formula true exactly where the verdict on `action` is `verdict` (given another
        `in_force` map, the verdict those provisions would give)."""
        if in_force is None:
            key = (action, verdict)
            if key not in self._verdicts:
                self._verdicts[key] = self._verdict_is(action, verdict, None)
            return self._verdicts[key]
        return self._verdict_is(action, verdict, in_force)

    def _verdict_is(self, action: str, verdict: str, in_force) -> z3.BoolRef:
        if in_force is None:
            o = self.any_in_force[(action, m.OBLIGE)]
            f = self.any_in_force[(action, m.FORBID)]
            p = self.any_in_force[(action, m.PERMIT)]
        else:
            provisions = self.spec.provisions_for(action)

            def aggregate(modality):
                items = [in_force[x.id] for x in provisions if x.modality == modality]
                return any_of(items) if items else z3.BoolVal(False)

            o, f, p = aggregate(m.OBLIGE), aggregate(m.FORBID), aggregate(m.PERMIT)
        default = self.spec.actions[action].default
        none = all_of(negate(o), negate(f), negate(p))
        if verdict == m.CONTRADICTORY:
            return all_of(o, f)
        if verdict == m.OBLIGATORY:
            return all_of(o, negate(f))
        if verdict == m.FORBIDDEN:
            base = all_of(negate(o), f)
            return any_of(base, none) if default == m.FORBIDDEN else base
        if verdict == m.PERMITTED:
            base = all_of(negate(o), negate(f), p)
            return any_of(base, none) if default == m.PERMITTED else base
        if verdict == m.UNDECIDED:
            return none if default is None else z3.BoolVal(False)
        raise AssertionError(verdict)

    def verdict_in(self, action: str, verdicts, in_force=None) -> z3.BoolRef:
        return any_of([self.verdict_is(action, v, in_force) for v in sorted(verdicts)]) if verdicts else z3.BoolVal(False)

    # ---- situations -------------------------------------------------------------------------

    def background(self) -> list[z3.BoolRef]:
        """Domains and definitions: true in every situation (assumptions are added apart)."""
        return self.domain + self.definitions

    def equals(self, fact: str, value) -> z3.BoolRef:
        """`fact = value` (built once per fact and value: evidence asks it many times)."""
        key = (fact, value)
        term = self._equals.get(key)
        if term is None:
            t = self.facts[fact].type
            if isinstance(t, m.EnumType):
                term = self.vars[fact] == self.enum_index(fact, value)
            else:
                term = self.vars[fact] == value
            self._equals[key] = term
        return term

    def situation_formula(self, situation: dict) -> z3.BoolRef:
        return all_of([self.equals(f, v) for f, v in situation.items()])

    def decode(self, model: z3.ModelRef) -> dict:
        """A full situation from a Z3 model; unconstrained facts get their first value."""
        out = {}
        for name, fact in self.facts.items():
            value = model.eval(self.vars[name], model_completion=True)
            t = fact.type
            if isinstance(t, m.BoolType):
                out[name] = z3.is_true(value)
            elif isinstance(t, m.IntType):
                out[name] = value.as_long()
            else:
                out[name] = t.members[value.as_long()]
        return out
