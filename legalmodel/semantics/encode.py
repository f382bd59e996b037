"""The Z3 encoding: a checked spec as formulas over one Z3 variable per fact.

Owns the symbol table (fact → Z3 constant, provision → its `triggered` and `in force`
constants, action → its verdict formulas), the constraints every situation satisfies (fact
domains, assumptions and the definitions of the provision constants), decoding a model back
into a situation, and the one place solvers are made (`make_solver`: fixed seed, a time
limit per question).

Boolean terms are built with `all_of`, `any_of`, `negate`, `implies` and `same`: the terms
z3.And, z3.Or, z3.Not, z3.Implies and `==` build, without the Python API's coercions and
sort checks (every operand here is already a Boolean term), which made up most of the time
of a check on the real law. The provisions' definitions are written as SMT-LIB text
instead (`Smt`, `assert_all`), which Z3 reads into the same terms in one call.
"""

from __future__ import annotations

import ctypes
import hashlib
from collections.abc import Mapping
from functools import cached_property

import z3

from ..law import model as m
from ..solver.cancel import begin_question, end_question
from ..frozen import frozen_dataclass


def _raw(name: str):
    """The C function behind one of the Python API's z3core wrappers, called without the
    wrapper's check of the context's error code after every call (a second call through
    ctypes each time). Only for calls whose failure their own result tells (Z3_model_eval's
    flag, Z3_get_numeral_int64's flag) or that cannot fail on the terms given."""
    wrapper = getattr(z3, name)
    elementaries = (wrapper.__defaults__ or (None,))[-1]
    return getattr(elementaries, "f", wrapper)


_model_eval = _raw("Z3_model_eval")
_numeral_int64 = _raw("Z3_get_numeral_int64")
_numeral_string = _raw("Z3_get_numeral_string")
_bool_value = _raw("Z3_get_bool_value")
_vector_get = _raw("Z3_ast_vector_get")
_solver_assert = _raw("Z3_solver_assert")
_inc_ref = _raw("Z3_inc_ref")


def _boolean(ast, ctx: z3.Context) -> z3.BoolRef:
    """A Boolean term built here, as a z3.BoolRef whose reference is taken through the C
    function, without the wrapper's error check and the lookups of z3.AstRef.__init__ (a report
    makes and frees some 800,000 of them). Taking a reference to a live term cannot fail. Made
    as a z3.BoolRef itself, not a subclass: Python would let a subclass's `==` take the other
    operand's place (`a == b` built as `b == a`)."""
    term = _new(z3.BoolRef)
    term.ast = ast
    term.ctx = ctx
    _inc_ref(ctx.ref(), ast)
    return term


_new = object.__new__


def _items(args) -> list:
    if len(args) == 1 and not isinstance(args[0], z3.ExprRef):
        return list(args[0])
    return list(args)


def _array(items):
    return (z3.Ast * len(items))(*[x.ast for x in items])  # `.ast`: as_ast() without a call


def all_of(*args) -> z3.BoolRef:
    """The conjunction of Boolean terms (a list, or several arguments); true when none."""
    items = _items(args)
    if not items:
        return z3.BoolVal(True)
    ctx = items[0].ctx
    return _boolean(z3.Z3_mk_and(ctx.ref(), len(items), _array(items)), ctx)


def any_of(*args) -> z3.BoolRef:
    """The disjunction of Boolean terms (a list, or several arguments); false when none."""
    items = _items(args)
    if not items:
        return z3.BoolVal(False)
    ctx = items[0].ctx
    return _boolean(z3.Z3_mk_or(ctx.ref(), len(items), _array(items)), ctx)


def negate(term: z3.BoolRef) -> z3.BoolRef:
    return _boolean(z3.Z3_mk_not(term.ctx.ref(), term.ast), term.ctx)


def implies(premise: z3.BoolRef, conclusion: z3.BoolRef) -> z3.BoolRef:
    return _boolean(z3.Z3_mk_implies(premise.ctx.ref(), premise.ast, conclusion.ast), premise.ctx)


def same(left: z3.ExprRef, right: z3.ExprRef) -> z3.BoolRef:
    """`left == right` for two terms of one sort (Boolean equality is `iff`)."""
    return _boolean(z3.Z3_mk_eq(left.ctx.ref(), left.ast, right.ast), left.ctx)


def _compare(make):
    def compare(left: z3.ExprRef, right: z3.ExprRef) -> z3.BoolRef:
        return _boolean(make(left.ctx.ref(), left.ast, right.ast), left.ctx)
    return compare


# comparisons of two terms of one sort, built as the C API builds them (the Python operators
# check and coerce their operands first, which cost most of the time of encoding a large law)
_CMP = {
    "=": same,
    "!=": lambda a, b: negate(same(a, b)),
    "<": _compare(z3.Z3_mk_lt),
    "<=": _compare(z3.Z3_mk_le),
    ">": _compare(z3.Z3_mk_gt),
    ">=": _compare(z3.Z3_mk_ge),
}


_INDEX: dict[tuple[str, ...], dict[str, int]] = {}  # an enumeration's members → their positions


_BOOLEANS: dict[tuple[z3.Context, str], z3.BoolRef] = {}


def boolean(name: str, ctx: z3.Context | None = None) -> z3.BoolRef:
    """A Boolean constant of this name (z3.Bool, without the Python API's checks), made once
    per name: the indicator literals of a search (`lit:3`, `first:age`) are asked for again
    by every search, thousands of times in a diff of hundreds of regions."""
    ctx = ctx or z3.main_ctx()
    term = _BOOLEANS.get((ctx, name))
    if term is None:
        symbol = z3.Z3_mk_string_symbol(ctx.ref(), name)
        term = _BOOLEANS[ctx, name] = z3.BoolRef(z3.Z3_mk_const(ctx.ref(), symbol, z3.Z3_mk_bool_sort(ctx.ref())), ctx)
    return term


def make_solver(timeout_ms: int | None, quantified: bool = False) -> z3.Solver:
    """Every solver legalmodel uses: deterministic seed, bounded time per check.

    Every formula is quantifier-free linear integer arithmetic over the facts (a Boolean is
    a Boolean, an enumeration a number), so the solver is set up for that logic (QF_LIA)
    instead of guessing the logic from the first question: a question of a law's slice then
    takes a third of the time. `quantified`: the formulas have quantifiers (explain's
    "every completion"), so Z3 picks its own setup."""
    solver = z3.Solver() if quantified else z3.SolverFor("QF_LIA")
    solver.set("random_seed", 0)
    # try `true` first for each Boolean: a model then tends to trigger many provisions at
    # once, so a sweep (QueryContext.sweep) sees most of them in a few questions. What is
    # printed does not depend on it: evidence starts from Session.least and conflicts from
    # search.preferred_core.
    solver.set("phase_selection", 1)
    # a model is read once, fact by fact: simplifying it first ("compacting") costs more than
    # the reading
    solver.set("model.compact", False)
    if quantified:  # asked through Z3's own API (explain's every completion), with its own timer
        if timeout_ms:
            solver.set("timeout", int(timeout_ms))
    else:  # asked through check_under: the limit is kept by solver.cancel's watchdog
        solver.limit_ms = int(timeout_ms) if timeout_ms else None
        solver.timed_out = False  # whether the last question ran out of time
    return solver


def make_optimizer(timeout_ms: int | None) -> z3.Optimize:
    """Z3's optimiser, set up as make_solver sets up a solver: deterministic seed, bounded
    time per check."""
    optimizer = z3.Optimize()
    optimizer.set("random_seed", 0)
    if timeout_ms:
        optimizer.set("timeout", int(timeout_ms))
    return optimizer


def assert_term(solver: z3.Solver, term: z3.BoolRef) -> None:
    """`solver.add(term)` for a Boolean term, without the API's cast, nor the wrapper's check
    of the error code: Z3 refuses only a term that is not Boolean, and a BoolRef is."""
    _solver_assert(solver.ctx.ref(), solver.solver, term.ast)


@frozen_dataclass
class Smt:
    """Constraints as SMT-LIB assertions, with the constants they name and their sorts, for Z3
    to read and assert in one call (Z3_solver_from_string). A constant declared there is the
    constant of that name and sort the API makes, so the terms are the same as those built
    one by one through the API, which takes twice as long."""

    declared: tuple[tuple[str, str], ...]  # (quoted symbol, sort)
    assertions: str


def assert_all(solver: z3.Solver, constraints) -> None:
    """Assert Boolean terms and Smt texts. The texts are read in one call, where the first of
    them stands (Z3 keeps a solver's declarations from one call to the next, and one constant
    may not be declared twice), the terms in their order around it."""
    texts = [item for item in constraints if isinstance(item, Smt)]
    for item in constraints:
        if not isinstance(item, Smt):
            assert_term(solver, item)
        elif item is texts[0]:
            declared = dict(pair for text in texts for pair in text.declared)
            z3.Z3_solver_from_string(solver.ctx.ref(), solver.solver, "\n".join(
                [f"(declare-const {name} {sort})" for name, sort in declared.items()]
                + [text.assertions for text in texts]))


def _symbol(name: str) -> str:
    """A name as an SMT-LIB quoted symbol. The language's names and citations hold no `|`
    or `\\`, which a quoted symbol cannot; nor do the encodings' prefixes."""
    if "|" in name or "\\" in name:
        raise AssertionError(f"a name SMT-LIB cannot quote: {name!r}")
    return f"|{name}|"


def _or_text(items: list[str]) -> str:
    return f"(or {' '.join(items)})" if items else "false"


def check_under(solver: z3.Solver, literals) -> z3.CheckSatResult:
    """`solver.check(*literals)` for Boolean literals, without the API's cast of each one,
    within the solver's time limit (make_solver). Raises solver.cancel.Cancelled where the
    request asking it was cancelled."""
    literals = list(literals)
    context = solver.ctx.ref()
    asking = begin_question(context, solver.limit_ms)
    try:
        result = z3.Z3_solver_check_assumptions(context, solver.solver, len(literals), _array(literals))
    finally:
        solver.timed_out = end_question(asking)
    return z3.CheckSatResult(result)


def reason_unknown(solver: z3.Solver) -> str:
    """Why the last question check_under asked of `solver` was not decided ("" where Z3 gives
    no reason): "timeout" where it ran out of its time limit."""
    return "timeout" if solver.timed_out else solver.reason_unknown()


def unsat_core_ids(solver: z3.Solver) -> set[int]:
    """The identities (ast_id) of the assumption literals in the unsat core of the last check."""
    ctx = solver.ctx.ref()
    core = z3.Z3_solver_get_unsat_core(ctx, solver.solver)
    z3.Z3_ast_vector_inc_ref(ctx, core)
    try:  # the vector's own items: the call cannot fail
        return {_vector_get(ctx, core, i).value for i in range(z3.Z3_ast_vector_size(ctx, core))}
    finally:
        z3.Z3_ast_vector_dec_ref(ctx, core)


def ast_id(term: z3.ExprRef) -> int:
    """An identity of a term while it lives: its address (Z3 makes each term once, so the same
    term is at the same address), read without a call into Z3 (Z3_get_ast_id was one per
    literal per search, some 300,000 in an impact)."""
    return term.ast.value


class ModelReader:
    """How the facts' values are read off a model (with model completion, so a fact the model
    leaves open takes false or 0): the Booleans at once, as the bits of one integer term (the
    sum of 2^i for each true one), the numbers one by one. One evaluation in Z3 instead of
    one per fact, which is what reading a model cost (a call through ctypes, and the
    wrapper's second, per fact per model). A few facts of many are read one by one. Each
    value is read before the next call that makes a term, while Z3 keeps it alive itself
    (the context's last result), so it needs no reference of ours."""

    def __init__(self, variables: dict[str, z3.ExprRef], booleans: set[str]):
        """`variables`: each fact's Z3 constant; `booleans`: the facts that are Boolean."""
        self.variables = variables
        self.booleans = [name for name in variables if name in booleans]
        self.numbers = [(name, variables[name].as_ast()) for name in variables if name not in booleans]
        self._bits: z3.ArithRef | None = None  # built when first read (kept alive here)

    def _packed(self):
        if self._bits is None:
            ctx = self.variables[self.booleans[0]].ctx
            bits = [z3.If(self.variables[name], z3.IntVal(1 << i, ctx), z3.IntVal(0, ctx))
                    for i, name in enumerate(self.booleans)]
            self._bits = z3.Sum(bits) if len(bits) > 1 else bits[0]
        return self._bits.as_ast()

    def read(self, model: z3.ModelRef, names=None) -> dict[str, bool | int]:
        """The values of the facts in the model, or of those `names` (a sequence): an
        enumeration's as the position of its member."""
        ctx = model.ctx.ref()
        handle = model.model
        result = (z3.Ast * 1)()
        out: dict[str, bool | int] = {}
        if names is not None and len(names) * 8 < len(self.variables):
            for name in names:  # a few: one by one
                if not _model_eval(ctx, handle, self.variables[name].as_ast(), True, result):
                    raise RuntimeError("Z3 could not evaluate a term in its model")
                out[name] = (_bool_value(ctx, result[0]) == z3.Z3_L_TRUE if name in self._boolean_set
                             else self._number(ctx, result[0]))
            return out
        if self.booleans:
            if not _model_eval(ctx, handle, self._packed(), True, result):
                raise RuntimeError("Z3 could not evaluate a term in its model")
            text = _numeral_string(ctx, result[0])
            try:
                bits = int(text)
            except ValueError:
                raise RuntimeError(f"Z3 gave no number for the facts' bits: {text!r}") from None
            for i, name in enumerate(self.booleans):
                out[name] = bool(bits >> i & 1)
        for name, term in self.numbers:
            if not _model_eval(ctx, handle, term, True, result):
                raise RuntimeError("Z3 could not evaluate a term in its model")
            out[name] = self._number(ctx, result[0])
        return out

    @cached_property
    def _boolean_set(self) -> frozenset[str]:
        return frozenset(self.booleans)

    @staticmethod
    def _number(ctx, value) -> int:
        number = ctypes.c_int64()
        if _numeral_int64(ctx, value, ctypes.byref(number)):
            return number.value
        return int(z3.Z3_get_numeral_string(ctx, value))  # beyond 64 bits, or no numeral: checked


def first_value(t: m.FactType):
    """The first value of a fact's type: false, the lowest number, the first member."""
    return False if isinstance(t, m.BoolType) else t.low if isinstance(t, m.IntType) else t.members[0]


class _Constants(Mapping):
    """One kind of provision constant (`triggered:`, `in_force:`) of the provisions encoded,
    each made when first asked for: definitions read as text (Smt) name the rest only there.
    In a slice, a provision that is not a member is false."""

    def __init__(self, label: str, pids: list[str], sliced: bool):
        self.label = label
        self._pids = dict.fromkeys(pids)
        self._made: dict[str, z3.BoolRef] = {}
        self.sliced = sliced

    def __getitem__(self, pid: str) -> z3.BoolRef:
        term = self._made.get(pid)
        if term is None:
            if pid not in self._pids:
                if self.sliced:
                    return z3.BoolVal(False)
                raise KeyError(pid)
            term = self._made[pid] = boolean(self.label + pid)
        return term

    def __contains__(self, pid) -> bool:
        return pid in self._pids

    def __iter__(self):
        return iter(self._pids)

    def __len__(self) -> int:
        return len(self._pids)


def facts_of(spec: m.CheckedSpec, members: list[str], region: dict | None) -> set[str]:
    """The facts the assumptions, the `members`' conditions and the box `region` name."""
    found = set(region or ())
    for a in spec.assumptions:
        found |= m.facts_in(a.condition)
    for pid in members:
        found |= spec.named_by(pid)[0]
    return found


# A set of wide overriders gets a constant of its own (Encoding.shared_overriders) only from
# this size: rules over ranges of chapters make sets of hundreds, which written out for each
# provision filled the memory; a chain of exceptions makes sets of a few, cheaper written out
# than defined once (docs/performance.md)
MIN_SHARED_OVERRIDERS = 8


class Encoding:
    """Z3 constants and definitions for one spec (or one slice of it)."""

    def __init__(self, spec: m.CheckedSpec, vocabulary: dict[str, m.Fact] | None = None, prefix: str = "",
                 members: list[str] | None = None, region: dict | None = None, whole: "Encoding | None" = None,
                 bounded: set[str] | None = None):
        """`vocabulary` gives the facts' types when two specs share one set of fact variables
        (a diff over the union of their facts); `prefix` keeps each spec's provision constants apart.

        `members` and `region` make a *slice*: the encoding of the situations inside `region`
        (a box, boxes.py), where no provision but the `members` can apply. Every other
        provision is false there (as a constant, not a variable), so a question about those
        situations is asked of a solver that holds only the provisions that can matter; `whole`
        is the encoding of the whole spec, whose fact variables a slice shares. `bounded` names
        the facts whose ranges a slice's solver holds (None: all): those its questions can name;
        a hundred ranges cost a solver more than its provisions."""
        self.spec = spec
        self.facts = vocabulary if vocabulary is not None else spec.facts
        self._by_modality: dict[tuple[str, str], list[str]] = {}
        self._firsts: dict | None = None  # every fact's first value, for decode
        if whole is not None:
            self.vars, self._equals, self._firsts, self._values = whole.vars, whole._equals, whole.firsts(), whole._values
            self._literals = whole._literals
            self._model_reader = whole._reader
            self.assumptions, self.domain_of = whole.assumptions, whole.domain_of
            self.domain = [term for name, term in whole.domain_of.items() if bounded is None or name in bounded]
        else:
            self.vars = {}
            self._equals: dict[tuple[str, object], z3.BoolRef] = {}
            self._values: dict[tuple[type, object], z3.ExprRef] = {}
            self._literals: dict[str, z3.BoolRef] = {}  # see literal
            self._model_reader: ModelReader | None = None  # see _reader
            for name, fact in self.facts.items():
                make = z3.Bool if isinstance(fact.type, m.BoolType) else z3.Int
                self.vars[name] = make(f"fact:{name}")
            self.domain_of: dict[str, z3.BoolRef] = {}  # the range of each fact that is not a boolean
            for name in self.facts:
                t = self.facts[name].type
                if not isinstance(t, m.BoolType):
                    v = self.vars[name]
                    low, high = (t.low, t.high) if isinstance(t, m.IntType) else (0, len(t.members) - 1)
                    self.domain_of[name] = all_of(v >= low, v <= high)
            self.domain = list(self.domain_of.values())
            self.assumptions = [(a, self.expr(a.condition)) for a in spec.assumptions]
        self._base = whole
        pids = list(spec.provisions) if members is None else members
        self._pids = pids
        self._region = region
        self.triggered = _Constants(f"{prefix}triggered:", pids, members is not None)
        self.in_force = _Constants(f"{prefix}in_force:", pids, members is not None)
        self._verdicts: dict[tuple[str, str], z3.BoolRef] = {}
        self._trees: dict[tuple[str, str], list[list[z3.BoolRef]]] = {}
        self._aggregates = {(action, modality): f"{prefix}{modality}:{action}"
                            for action in spec.actions for modality in (m.OBLIGE, m.FORBID, m.PERMIT)}
        self.any_in_force: dict[tuple[str, str], z3.BoolRef] = {key: boolean(name) for key, name in self._aggregates.items()}
        self._texts: dict[str, str] = {}  # see _condition_text
        self._wide: dict[str, tuple[str, ...]] = {}  # see _wide_overriders
        self._shared: dict | None = None  # see shared_overriders

    def solver_definitions(self) -> list:
        """What the provision constants mean, as a solver is given them (assert_all): a slice's
        region as a term, then every definition as SMT-LIB text (Smt). Each provision is
        triggered where its condition holds and in force where it is triggered and none of its
        overriders is; an action's aggregate for a modality is in force where one of its
        provisions is."""
        return ([self.region_formula(self._region)] if self._region else []) + [self._definitions_text]

    @cached_property
    def definitions(self) -> list[z3.BoolRef]:
        """`solver_definitions` as terms (explain's quantified question wants them): the text
        read by Z3's parser, which makes the terms the API would."""
        text = self._definitions_text
        declared = "".join(f"(declare-const {name} {sort})" for name, sort in text.declared)
        return [t for t in self.solver_definitions() if not isinstance(t, Smt)] + list(
            z3.parse_smt2_string(declared + text.assertions))

    @cached_property
    def _definitions_text(self) -> Smt:
        """The definitions as SMT-LIB text, with the constants they name (a test compares
        them with the terms the API builds, node for node)."""
        facts = {f for pid in self._pids for f in self.spec.named_by(pid)[0]}
        triggered = {pid: _symbol(self.triggered.label + pid) for pid in self._pids}
        in_force = {pid: _symbol(self.in_force.label + pid) for pid in self._pids}
        lines = []
        shared = self.shared_overriders()
        for name, members in shared.values():
            lines.append(f"(assert (= {_symbol(name)} {_or_text([in_force[q] for q in members])}))")
        for pid in self._pids:
            lines.append(f"(assert (= {triggered[pid]} {self._condition_text(pid)}))")
            overriders = self.overriders_of(pid, shared)
            lines.append(f"(assert (= {in_force[pid]} (and {triggered[pid]} (not {_or_text(overriders)}))))"
                         if overriders else f"(assert (= {in_force[pid]} {triggered[pid]}))")
        for (action, modality), name in self._aggregates.items():
            members = [in_force[pid] for pid in self._members(action, modality)]
            lines.append(f"(assert (= {_symbol(name)} {_or_text(members)}))")
        declared = [(_symbol(f"fact:{f}"), "Bool" if isinstance(self.facts[f].type, m.BoolType) else "Int")
                    for f in self.facts if f in facts]
        declared += [(name, "Bool") for name in (*triggered.values(), *in_force.values())]
        declared += [(_symbol(name), "Bool") for name in self._aggregates.values()]
        declared += [(_symbol(name), "Bool") for name, _members in shared.values()]
        return Smt(tuple(declared), "\n".join(lines))

    def _wide_overriders(self, pid: str) -> tuple[str, ...]:
        """The overriders of `pid` encoded here that override other provisions too (a rule
        over a range of chapters), in the order of overridden_by."""
        wide = self._wide.get(pid)
        if wide is None:
            provisions, members = self.spec.provisions, self.in_force
            wide = self._wide[pid] = tuple(q for q in self.spec.overridden_by[pid]
                                           if q in members and len(provisions[q].overrides) > 1)
        return wide

    def shared_overriders(self) -> dict[frozenset, tuple[str, tuple[str, ...]]]:
        """The sets of wide overriders (_wide_overriders), of MIN_SHARED_OVERRIDERS or more,
        that two or more provisions have in common, each → the name of its Boolean constant ("one of them is in force") and its
        members, in the order of the first provision that has it. A rule that overrides
        `forbid in A–B kap.` is an overrider of every secrecy provision of those chapters,
        and the secrecy provisions of a chapter mostly share the same ones: each such set
        is then written and clausified once, not once per provision. The name is the
        set's digest, so that two encodings of one prefix (a slice group's, the whole
        spec's) never give one name to two sets."""
        if self._shared is not None:
            return self._shared
        found: dict[frozenset, tuple[str, ...]] = {}
        seen: set[frozenset] = set()
        for pid in self._pids:
            wide = self._wide_overriders(pid)
            if len(wide) < MIN_SHARED_OVERRIDERS:
                continue
            key = frozenset(wide)
            if key in seen:
                found.setdefault(key, wide)
            seen.add(key)
        self._shared = {key: (f"{self.in_force.label[:-len('in_force:')]}overridden:" + hashlib.blake2b(
            "\n".join(sorted(key)).encode(), digest_size=8).hexdigest(), members) for key, members in found.items()}
        return self._shared

    def shared_constants(self) -> list[z3.BoolRef]:
        """The constants of the shared overrider sets (shared_overriders), which the
        definitions define as the provision constants are: a formula that binds every
        provision constant (explain's "every completion") binds these too."""
        return [boolean(name) for name, _members in self.shared_overriders().values()]

    def overriders_of(self, pid: str, shared: dict) -> list[str]:
        """The terms (SMT-LIB symbols) whose disjunction sets `pid` aside: its shared set's
        constant (shared_overriders) in place of the wide overriders, then the others."""
        in_force = self.in_force
        wide = self._wide_overriders(pid)
        own = shared.get(frozenset(wide)) if len(wide) >= MIN_SHARED_OVERRIDERS else None
        if own is None:
            return [_symbol(in_force.label + q) for q in self.spec.overridden_by[pid] if q in in_force]
        taken = set(wide)
        return [_symbol(own[0]), *[_symbol(in_force.label + q) for q in self.spec.overridden_by[pid]
                                   if q in in_force and q not in taken]]

    # ---- expressions ------------------------------------------------------------------------

    def enum_index(self, fact: str, value: str) -> int:
        members = self.facts[fact].type.members
        index = _INDEX.get(members)
        if index is None:  # an enumeration of a thousand kinds of information is looked up often
            index = _INDEX[members] = {v: i for i, v in enumerate(members)}
        return index[value]

    def expr(self, e: m.Expr) -> z3.ExprRef:
        return _Term(self)(e, None)

    def _const(self, c: m.Const, partner: m.Expr | None):
        if isinstance(c.value, bool):
            return self._value(c.value)
        if isinstance(c.value, int):
            return self._value(c.value)
        assert isinstance(partner, m.FactRef), "enumeration values are compared with facts"
        return self._value(self.enum_index(partner.fact, c.value))

    def _value(self, value: bool | int) -> z3.ExprRef:
        """A Boolean or integer value as a term, built once (z3.IntVal is slow)."""
        key = (type(value), value)
        term = self._values.get(key)
        if term is None:
            term = self._values[key] = z3.BoolVal(value) if isinstance(value, bool) else z3.IntVal(value)
        return term

    def _condition_text(self, pid: str) -> str:
        """A provision's condition as SMT-LIB text: one that asks no `applies` is the same in a
        slice as in the whole spec, and is written once, by the whole spec's encoding."""
        text = self._texts.get(pid)
        if text is None:
            if self._base is not None and not self.spec.named_by(pid)[1]:
                text = self._base._condition_text(pid)
            else:
                text = _SmtText(self)(self.spec.provisions[pid].condition, None)
            self._texts[pid] = text
        return text

    # ---- verdicts ---------------------------------------------------------------------------

    def verdict_is(self, action: str, verdict: str) -> z3.BoolRef:
        """The formula true exactly where the verdict on `action` is `verdict`."""
        key = (action, verdict)
        if key not in self._verdicts:
            o, f, p = (self.any_in_force[(action, x)] for x in (m.OBLIGE, m.FORBID, m.PERMIT))
            self._verdicts[key] = self.verdict_from(action, verdict, o, f, p)
        return self._verdicts[key]

    def verdict_from(self, action: str, verdict: str, o, f, p) -> z3.BoolRef:
        """The verdict on `action` is `verdict`, given whether an oblige, a forbid and a permit
        on it are in force (o, f, p), and its default."""
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

    def verdict_changes(self, action: str, o2, f2, p2) -> z3.BoolRef:
        """True where the verdict on `action` would differ were (o2, f2, p2) whether an oblige, a
        forbid and a permit on it are in force: the same set as "some verdict holds with one
        and not the other" (verdict_from), written with the aggregates that differ only. An
        oblige in force decides alone, with a forbid (contradictory) or without (obligatory);
        without one, what a forbid and a permit decide depends on the default."""
        o1, f1, p1 = (self.any_in_force[(action, x)] for x in (m.OBLIGE, m.FORBID, m.PERMIT))
        default = self.spec.actions[action].default

        def xor(a, b):
            return None if a is b else z3.BoolRef(z3.Z3_mk_xor(a.ctx.ref(), a.as_ast(), b.as_ast()), a.ctx)

        parts = [xor(o1, o2)]
        if default == m.FORBIDDEN:  # without an oblige: permitted where a permit and no forbid, else forbidden
            if f2 is not f1:
                parts.append(all_of(o1, xor(f1, f2)))
            if f2 is not f1 or p2 is not p1:
                parts.append(all_of(negate(o1), xor(all_of(negate(f1), p1), all_of(negate(f2), p2))))
        else:  # without an oblige: forbidden where a forbid; else a permit decides, unless the default permits
            parts.append(xor(f1, f2))
            if default != m.PERMITTED and p2 is not p1:
                parts.append(all_of(negate(o1), negate(f1), xor(p1, p2)))
        return any_of([x for x in parts if x is not None])

    def aggregates_with(self, action: str, changed: dict[str, z3.BoolRef]) -> tuple[z3.BoolRef, ...]:
        """(o, f, p) for `action` were the provisions in `changed` in force where their term
        there holds instead. Each aggregate is kept as a balanced tree of disjunctions, so only
        the nodes above a changed provision are built again: the cost grows with the log of the
        provisions on the action, not with their number (an idle-override question asks this
        for each override)."""
        out = []
        for modality in (m.OBLIGE, m.FORBID, m.PERMIT):
            members = self._members(action, modality)
            if not any(pid in changed for pid in members):
                out.append(self.any_in_force[(action, modality)])
                continue
            levels = self._tree(action, modality)
            dirty = {i: changed[pid] for i, pid in enumerate(members) if pid in changed}
            for level in range(1, len(levels)):
                below = levels[level - 1]
                parents = {}
                for i in sorted({i // 2 for i in dirty}):
                    left = dirty.get(2 * i, below[2 * i])
                    right = dirty.get(2 * i + 1, below[2 * i + 1]) if 2 * i + 1 < len(below) else None
                    parents[i] = left if right is None else any_of(left, right)
                dirty = parents
            out.append(dirty[0])
        return tuple(out)

    def deciders(self, action: str, verdict: str) -> list[str]:
        """The provisions encoded that, in force, produce `verdict` on `action`
        (Evaluation.deciding)."""
        return [pid for modality in m.DECIDING.get(verdict, ()) for pid in self._members(action, modality)]

    def _members(self, action: str, modality: str) -> list[str]:
        key = (action, modality)
        if key not in self._by_modality:
            provisions = self.spec.provisions
            self._by_modality[key] = [pid for pid in self.in_force
                                      if provisions[pid].action == action and provisions[pid].modality == modality]
        return self._by_modality[key]

    def region_formula(self, region: dict) -> z3.BoolRef:
        """The formula of a box: every fact it names within its values."""
        parts = []
        for fact in sorted(region, key=list(self.facts).index):
            allowed = region[fact]
            var = self.vars[fact]
            if isinstance(allowed, tuple):
                parts.append(all_of(var >= allowed[0], var <= allowed[1]))
            else:
                parts.append(any_of([self.equals(fact, v) for v in self.facts[fact].type.values() if v in allowed]))
        return all_of(parts)

    def _tree(self, action: str, modality: str) -> list[list[z3.BoolRef]]:
        key = (action, modality)
        if key not in self._trees:
            level = [self.in_force[pid] for pid in self._members(action, modality)]
            levels = [level]
            while len(level) > 1:
                level = [any_of(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
                         for i in range(0, len(level), 2)]
                levels.append(level)
            self._trees[key] = levels
        return self._trees[key]

    def verdict_in(self, action: str, verdicts) -> z3.BoolRef:
        return any_of([self.verdict_is(action, v) for v in sorted(verdicts)])

    # ---- situations -------------------------------------------------------------------------

    def background(self) -> list[z3.BoolRef]:
        """Domains and definitions: true in every situation (assumptions are added apart)."""
        return self.domain + self.definitions

    def solver_background(self) -> list:
        """`background` as a solver is given it (assert_all; see solver_definitions)."""
        return self.domain + self.solver_definitions()

    def equals(self, fact: str, value) -> z3.BoolRef:
        """`fact = value` (built once per fact and value: evidence asks it many times)."""
        key = (fact, value)
        term = self._equals.get(key)
        if term is None:
            t = self.facts[fact].type
            term = same(self.vars[fact], self._value(self.enum_index(fact, value) if isinstance(t, m.EnumType) else value))
            self._equals[key] = term
        return term

    def literal(self, fact: str, value: bool) -> z3.BoolRef:
        """A Boolean fact, or its negation (`not fact`, built once per fact: the searches ask
        for it with every least situation and every region)."""
        var = self.vars[fact]
        if value:
            return var
        term = self._literals.get(fact)
        if term is None:
            term = self._literals[fact] = negate(var)
        return term

    def situation_formula(self, situation: dict) -> z3.BoolRef:
        return all_of([self.equals(f, v) for f, v in situation.items()])

    def firsts(self) -> dict:
        """Every fact's first value (built once, shared with the slices)."""
        if self._firsts is None:
            self._firsts = {name: first_value(fact.type) for name, fact in self.facts.items()}
        return self._firsts

    def decode(self, model: z3.ModelRef, read: set[str] | None = None) -> dict:
        """A full situation from a Z3 model; unconstrained facts get their first value. `read`
        names the only facts to read, the others taking their first value: in a slice, the
        facts a question can depend on (much faster when the law has thousands of facts)."""
        if read is None:
            out = {}
            names = None
        else:
            out = dict(self.firsts())
            names = [name for name in read if name in out]
        values = self._reader.read(model, names)
        facts = self.facts
        for name in (facts if names is None else names):
            t = facts[name].type
            out[name] = t.members[values[name]] if isinstance(t, m.EnumType) else values[name]
        return out

    @property
    def _reader(self) -> ModelReader:
        """One per set of fact variables (a slice shares its whole spec's)."""
        if self._model_reader is None:
            booleans = {name for name, fact in self.facts.items() if isinstance(fact.type, m.BoolType)}
            self._model_reader = ModelReader(self.vars, booleans)
        return self._model_reader


class _Term(m.ExprFold):
    """A condition as a Z3 term over an encoding's variables. The context `partner` is the other
    side of a comparison, which tells an enumeration value's number (its fact's members)."""

    def __init__(self, encoding: "Encoding"):
        self.encoding = encoding

    def const(self, e: m.Const, partner: m.Expr | None):
        return self.encoding._const(e, partner)

    def fact(self, e: m.FactRef, partner):
        return self.encoding.vars[e.fact]

    def negation(self, e: m.NotE, partner):
        return negate(self(e.operand, None))

    def conjunction(self, e: m.AndE, partner):
        return all_of([self(x, None) for x in e.operands])

    def disjunction(self, e: m.OrE, partner):
        return any_of([self(x, None) for x in e.operands])

    def implication(self, e: m.ImpliesE, partner):
        return implies(self(e.premise, None), self(e.conclusion, None))

    def equivalence(self, e: m.IffE, partner):
        return same(self(e.left, None), self(e.right, None))

    def comparison(self, e: m.CmpE, partner):
        return _CMP[e.op](self(e.left, e.right), self(e.right, e.left))

    def membership(self, e: m.InE, partner):
        operand = self(e.operand, None)
        if not e.values:
            inside = z3.BoolVal(False)
        else:
            inside = any_of([same(operand, self.encoding._const(c, e.operand)) for c in e.values])
        return negate(inside) if e.negated else inside

    def applies(self, e: m.AppliesE, partner):
        triggered = self.encoding.triggered
        return any_of([triggered[p] for p in e.provisions]) if e.provisions else z3.BoolVal(False)


class _SmtText(m.ExprFold):
    """The SMT-LIB text of the term _Term builds (the same operators, in the same order)."""

    def __init__(self, encoding: "Encoding"):
        self.encoding = encoding

    def const(self, e: m.Const, partner: m.Expr | None) -> str:
        if isinstance(e.value, bool):
            return "true" if e.value else "false"
        if isinstance(e.value, int):  # Z3 reads `-5` as the number the API makes (SMT-LIB has none)
            return str(e.value)
        assert isinstance(partner, m.FactRef), "enumeration values are compared with facts"
        return str(self.encoding.enum_index(partner.fact, e.value))

    def fact(self, e: m.FactRef, partner) -> str:
        return _symbol(f"fact:{e.fact}")

    def negation(self, e: m.NotE, partner) -> str:
        return f"(not {self(e.operand, None)})"

    def conjunction(self, e: m.AndE, partner) -> str:
        return f"(and {' '.join([self(x, None) for x in e.operands])})" if e.operands else "true"

    def disjunction(self, e: m.OrE, partner) -> str:
        return _or_text([self(x, None) for x in e.operands])

    def implication(self, e: m.ImpliesE, partner) -> str:
        return f"(=> {self(e.premise, None)} {self(e.conclusion, None)})"

    def equivalence(self, e: m.IffE, partner) -> str:
        return f"(= {self(e.left, None)} {self(e.right, None)})"

    def comparison(self, e: m.CmpE, partner) -> str:
        left, right = self(e.left, e.right), self(e.right, e.left)
        return f"(not (= {left} {right}))" if e.op == "!=" else f"({e.op} {left} {right})"

    def membership(self, e: m.InE, partner) -> str:
        operand = self(e.operand, None)
        inside = _or_text([f"(= {operand} {self(c, e.operand)})" for c in e.values])
        return f"(not {inside})" if e.negated else inside

    def applies(self, e: m.AppliesE, partner) -> str:
        triggered = self.encoding.triggered
        return _or_text([_symbol(triggered.label + p) if p in triggered else "false" for p in e.provisions])
