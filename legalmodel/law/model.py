"""The checked model: a spec with every name resolved and every condition typed.

Only resolve.py builds a `CheckedSpec`; the encoder, the evaluator and the analyses accept
nothing else. Expressions here are typed: a `FactRef` knows its fact, a `Const` its value
(bool, int, or the name of an enumeration value).
"""

from __future__ import annotations

from dataclasses import field, replace
from functools import cached_property

from enum import StrEnum

from ..syntax.citations import Citation
from ..syntax.source import Span, span_field
from ..frozen import frozen_dataclass



class Verdict(StrEnum):
    """What the law says of an act in a situation. A `StrEnum`: each member is its word, so
    it compares equal to the plain string and is written as it."""

    CONTRADICTORY = "contradictory"
    OBLIGATORY = "obligatory"
    FORBIDDEN = "forbidden"
    PERMITTED = "permitted"
    UNDECIDED = "undecided"

    def __repr__(self) -> str:  # as the word it is, so results print as they read
        return repr(self.value)


PERMITTED = Verdict.PERMITTED
FORBIDDEN = Verdict.FORBIDDEN
OBLIGATORY = Verdict.OBLIGATORY
UNDECIDED = Verdict.UNDECIDED
CONTRADICTORY = Verdict.CONTRADICTORY
VERDICTS = tuple(Verdict)  # in order of precedence: the first that applies is the verdict

FORBID, PERMIT, OBLIGE = "forbid", "permit", "oblige"
# the modalities of the provisions in force that produce each verdict (its deciding provisions)
DECIDING = {CONTRADICTORY: (OBLIGE, FORBID), OBLIGATORY: (OBLIGE,), FORBIDDEN: (FORBID,), PERMITTED: (PERMIT,)}

# the id of a finding of kind `unknown` (analyse.Finding.id): a question not decided in
# time, which can never be accepted
UNKNOWN_ID_PREFIX = "UNK-"


# ---- types -------------------------------------------------------------------------------------

@frozen_dataclass(slots=True)
class BoolType:
    def describe(self) -> str:
        return "bool"

    def values(self):
        return (False, True)


@frozen_dataclass(slots=True)
class IntType:
    low: int
    high: int

    def describe(self) -> str:
        return f"{self.low}..{self.high}"

    def values(self):
        return range(self.low, self.high + 1)


@frozen_dataclass(slots=True)
class EnumType:
    name: str
    members: tuple[str, ...]
    descriptions: tuple[str | None, ...] = field(default=(), compare=False)

    def describe(self) -> str:
        return self.name

    def values(self):
        return self.members


FactType = BoolType | IntType | EnumType


# ---- typed expressions -------------------------------------------------------------------------

@frozen_dataclass(slots=True)
class FactRef:
    fact: str
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Const:
    value: bool | int | str
    span: Span = span_field()


@frozen_dataclass(slots=True)
class NotE:
    operand: "Expr"
    span: Span = span_field()


@frozen_dataclass(slots=True)
class AndE:
    operands: tuple["Expr", ...]
    span: Span = span_field()


@frozen_dataclass(slots=True)
class OrE:
    operands: tuple["Expr", ...]
    span: Span = span_field()


@frozen_dataclass(slots=True)
class ImpliesE:
    premise: "Expr"
    conclusion: "Expr"
    span: Span = span_field()


@frozen_dataclass(slots=True)
class IffE:
    left: "Expr"
    right: "Expr"
    span: Span = span_field()


@frozen_dataclass(slots=True)
class CmpE:
    """Comparison; `=`/`!=` on any type, ordering only on integers."""

    op: str
    left: "Expr"
    right: "Expr"
    span: Span = span_field()


@frozen_dataclass(slots=True)
class InE:
    operand: "Expr"
    values: tuple[Const, ...]
    negated: bool = False
    span: Span = span_field()


@frozen_dataclass(slots=True)
class AppliesE:
    """True when any of the named provisions is triggered."""

    provisions: tuple[str, ...]
    span: Span = span_field()


Expr = FactRef | Const | NotE | AndE | OrE | ImpliesE | IffE | CmpE | InE | AppliesE

TRUE = Const(True)


# ---- one way to walk a condition -------------------------------------------------------------
# Each construct once: which of its fields hold sub-expressions (read by `children`, `nodes` and
# `rebuilt`), and which method of an ExprFold says what it means. A new construct is added to
# `Expr`, to these two tables and as a method of ExprFold; every fold then fails, naming itself
# and the construct, until it says what the construct means (tests/test_walk.py checks that
# each fold of the package does).
_SUBTERMS: dict[type, tuple[str, ...]] = {
    FactRef: (), Const: (), AppliesE: (), NotE: ("operand",), AndE: ("operands",), OrE: ("operands",),
    ImpliesE: ("premise", "conclusion"), IffE: ("left", "right"), CmpE: ("left", "right"), InE: ("operand",),
}
FOLD_METHODS: dict[type, str] = {
    Const: "const", FactRef: "fact", NotE: "negation", AndE: "conjunction", OrE: "disjunction",
    ImpliesE: "implication", IffE: "equivalence", CmpE: "comparison", InE: "membership", AppliesE: "applies",
}


def _children_getter(fields: tuple[str, ...]):
    if not fields:
        return lambda e: ()
    if fields == ("operands",):
        return lambda e: e.operands
    if len(fields) == 1:
        (name,) = fields
        return lambda e: (getattr(e, name),)
    first, second = fields
    return lambda e: (getattr(e, first), getattr(e, second))


_CHILDREN = {kind: _children_getter(fields) for kind, fields in _SUBTERMS.items()}


def children(e: Expr) -> tuple[Expr, ...]:
    """The sub-expressions of `e` (the values of `x in {…}` are its own, not sub-expressions;
    the provisions `applies` names are not part of the expression)."""
    return _CHILDREN[type(e)](e)


def nodes(*exprs: Expr):
    """Every node of the expressions, the expressions themselves included."""
    stack = list(exprs)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(_CHILDREN[type(node)](node))


def rebuilt(e: Expr, change) -> Expr:
    """`e` with `change` applied to each of its sub-expressions (and `e` itself where it has none)."""
    fields = _SUBTERMS[type(e)]
    if not fields:
        return e
    if fields == ("operands",):
        return replace(e, operands=tuple(change(x) for x in e.operands))
    return replace(e, **{name: change(getattr(e, name)) for name in fields})


class ExprFold:
    """A meaning of conditions, given construct by construct: `fold(e, *context)` calls the
    method for `e`'s construct with `e` and the context, and the method folds the parts it
    needs (`self(part, …)`), carrying down what it must (a comparison's other side, a
    negation). The evaluator, the Z3 and SMT-LIB encoders, the boxes and the printers are each
    one fold: they share this walk and nothing of each other's meaning."""

    _methods: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._methods = {kind: getattr(cls, name) for kind, name in FOLD_METHODS.items()}

    def __call__(self, e: Expr, *context):
        return self._methods[type(e)](self, e, *context)

    def _missing(self, e: Expr):
        raise NotImplementedError(f"{type(self).__name__} does not say what {type(e).__name__} means")

    def const(self, e: Const, *context):
        self._missing(e)

    def fact(self, e: FactRef, *context):
        self._missing(e)

    def negation(self, e: NotE, *context):
        self._missing(e)

    def conjunction(self, e: AndE, *context):
        self._missing(e)

    def disjunction(self, e: OrE, *context):
        self._missing(e)

    def implication(self, e: ImpliesE, *context):
        self._missing(e)

    def equivalence(self, e: IffE, *context):
        self._missing(e)

    def comparison(self, e: CmpE, *context):
        self._missing(e)

    def membership(self, e: InE, *context):
        self._missing(e)

    def applies(self, e: AppliesE, *context):
        self._missing(e)


def overriders_first(spec: "CheckedSpec", nodes: list[str]) -> list[str]:
    """The provisions `nodes`, from the order given, reordered so that each comes after those
    among them that override it (overrides have no cycles: the resolver sees to it)."""
    members = set(nodes)
    order: list[str] = []
    done: set[str] = set()
    for root in nodes:
        stack = [root]
        while stack:
            x = stack[-1]
            if x in done:
                stack.pop()
                continue
            pending = [y for y in spec.overridden_by[x] if y in members and y not in done]
            if pending:
                stack.extend(pending)
                continue
            done.add(x)
            order.append(x)
            stack.pop()
    return order


def facts_in(expr: Expr) -> set[str]:
    """The facts an expression mentions directly (not through `applies`)."""
    return {node.fact for node in nodes(expr) if isinstance(node, FactRef)}


def applied_in(expr: Expr) -> set[str]:
    """The provisions an expression asks about with `applies(...)`."""
    return {pid for node in nodes(expr) if isinstance(node, AppliesE) for pid in node.provisions}


def names_in(expr: Expr) -> tuple[frozenset[str], frozenset[str]]:
    """(facts_in(expr), applied_in(expr)), in one walk of the expression."""
    facts: set[str] = set()
    provisions: set[str] = set()
    for node in nodes(expr):
        kind = type(node)
        if kind is FactRef:
            facts.add(node.fact)
        elif kind is AppliesE:
            provisions.update(node.provisions)
    return frozenset(facts), frozenset(provisions)


def cuts_in(exprs, cuts: dict | None = None) -> dict:
    """Where each integer fact's comparisons can change their truth: for every constant c it
    is compared with, c and c + 1 (a comparison is the same for every value between two cuts).
    A fact compared with another fact maps to None: any value may be a cut. Adds to `cuts`."""
    cuts = {} if cuts is None else cuts
    own: set[str] = set()  # the facts whose set of cuts is this call's (the others' are copied first)
    for node in nodes(*exprs):
        if not isinstance(node, (CmpE, InE)):
            continue
        sides = (node.left, node.right) if isinstance(node, CmpE) else (node.operand, *node.values)
        facts = [x.fact for x in sides if isinstance(x, FactRef)]
        constants = [x.value for x in sides if isinstance(x, Const) and type(x.value) is int]
        for fact in facts:
            if len(facts) > 1:
                cuts[fact] = None
            elif cuts.get(fact, ()) is not None:
                if fact not in own:
                    cuts[fact] = set(cuts.get(fact, ()))
                    own.add(fact)
                cuts[fact].update(c for v in constants for c in (v, v + 1))
    return cuts


def rule_cuts(spec: "CheckedSpec") -> dict:
    """cuts_in of a spec's assumptions and goals: the part of spec_cuts that every slice of
    the spec shares (a law of a thousand slices and a hundred goals need it once, not a
    thousand times)."""
    return cuts_in([a.condition for a in spec.assumptions] + [g.condition for g in spec.goals])


def spec_cuts(*specs: "CheckedSpec", members: tuple[list[str], ...] | None = None,
              rules: tuple[dict, ...] | None = None) -> dict:
    """cuts_in over everything a question about the specs' verdicts and goals can name: the
    conditions of their provisions (only `members`, one list per spec, in a slice where no
    other can apply), assumptions and goals (`rules`: their rule_cuts, one per spec, when
    already known)."""
    cuts: dict = {}
    for n, spec in enumerate(specs):
        pids = spec.provisions if members is None else members[n]
        for fact, found in (rule_cuts(spec) if rules is None else rules[n]).items():
            cuts[fact] = None if found is None or cuts.get(fact, ()) is None else set(cuts.get(fact, ())) | found
        cuts_in([spec.provisions[pid].condition for pid in pids], cuts)
    return {f: (None if c is None else tuple(sorted(c))) for f, c in cuts.items()}


# ---- declarations ------------------------------------------------------------------------------

@frozen_dataclass(slots=True)
class Fact:
    name: str
    type: FactType
    description: str
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Phrasing:
    """How a fact or an enum value reads in one language: a bool fact's true case
    (`positive`) and false case (`negative`, None: derived from the true case); any other
    fact's noun phrase, or an enum value's name in prose (`positive` only)."""

    positive: str
    negative: str | None = None


LANGUAGES = ("en", "sv")


@frozen_dataclass(slots=True)
class Assumption:
    label: str | None
    condition: Expr
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Action:
    name: str
    description: str
    default: str | None
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Provenance:
    sfs: str | None = None
    preparatory_works: tuple[str, ...] = ()
    in_force: str | None = None
    certainty: str | None = None
    notes: tuple[str, ...] = ()


@frozen_dataclass(slots=True)
class Provision:
    """A resolved provision; `id` is its citation in Swedish form, unique in the spec."""

    id: str
    citation: Citation
    title: str
    provenance: Provenance
    modality: str
    action: str
    condition: Expr
    overrides: tuple[str, ...]
    excepts: tuple[str, ...]
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Goal:
    title: str
    kind: str  # "all" or "some"
    action: str
    verdicts: frozenset[str]
    condition: Expr
    expected_to_fail: bool = False
    expected_reason: str | None = None
    span: Span = span_field()
    wording: str = field(default="", compare=False)


@frozen_dataclass(slots=True)
class Example:
    title: str
    given: tuple[tuple[str, bool | int | str], ...]
    expectations: tuple[tuple[str, str], ...]
    span: Span = span_field()


@frozen_dataclass
class CheckedSpec:
    """A spec that resolved and type-checked: the only input to encode, evaluate and analyse."""

    name: str
    laws: dict[str, str]
    facts: dict[str, Fact]
    assumptions: tuple[Assumption, ...]
    actions: dict[str, Action]
    provisions: dict[str, Provision]
    goals: tuple[Goal, ...]
    examples: tuple[Example, ...]
    overridden_by: dict[str, tuple[str, ...]]
    order: tuple[str, ...]  # provisions, every one after those it asks about with applies()
    as_of: str | None = None  # the date the law is taken on; None: as last amended
    acceptances: tuple = ()  # (finding id, justification, span) the drafters accept
    # how facts and enum values read in prose: (name, language) → Phrasing (`reads`)
    phrasings: dict = field(default_factory=dict, compare=False)
    language: str | None = None  # the spec's `language`, when it declares one

    def provisions_for(self, action: str) -> list[Provision]:
        """The provisions on `action`, in the spec's order."""
        return list(self._by_action.get(action, ()))

    @cached_property
    def position(self) -> dict[str, int]:
        """Each provision's place among the provisions, in the order they are declared."""
        return {pid: i for i, pid in enumerate(self.provisions)}

    def named_by(self, pid: str) -> tuple[frozenset[str], frozenset[str]]:
        """The facts a provision's condition mentions (facts_in) and the provisions it asks
        about (applied_in), worked out once: a law of 10,000 provisions is walked for them
        by the relevant facts of an action, each slice's solver and each condition's term."""
        found = self._named.get(pid)
        if found is None:
            found = self._named[pid] = names_in(self.provisions[pid].condition)
        return found

    @cached_property
    def _named(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        return {}

    @cached_property
    def _by_action(self) -> dict[str, list[Provision]]:
        # asked once per piece of evidence (who decided): a law of 10,000 provisions made
        # that a walk of them all each time
        by_action: dict[str, list[Provision]] = {}
        for p in self.provisions.values():
            by_action.setdefault(p.action, []).append(p)
        return by_action


def relevant_facts(spec: "CheckedSpec", actions, extra: Expr | None = None) -> list[str]:
    """Facts that can influence the verdicts on `actions` (and the condition `extra`):
    those in the conditions of their provisions, of the provisions that override them, and
    of the provisions they ask about with `applies`. In declaration order."""
    found = in_force_facts(spec, [p.id for action in actions for p in spec.provisions_for(action)])
    if extra is not None:
        found |= facts_in(extra) | in_force_facts(spec, (), applied_in(extra))
    return [f for f in spec.facts if f in found]


def in_force_facts(spec: "CheckedSpec", pids, triggered=()) -> set[str]:
    """The facts whether the provisions `pids` are in force (and whether `triggered` ones
    apply) can turn on: those their conditions name, those of the provisions they ask about
    with `applies`, and, for each provision that can set one aside, the same again."""
    found: set[str] = set()
    seen: set[tuple[str, bool]] = set()
    # (provision, whether its being in force matters, or only its being triggered)
    stack = [(pid, True) for pid in pids] + [(pid, False) for pid in triggered]
    while stack:
        pid, in_force_matters = stack.pop()
        if (pid, in_force_matters) in seen:
            continue
        seen.add((pid, in_force_matters))
        facts, applied = spec.named_by(pid)
        found |= facts
        stack.extend((q, False) for q in applied)
        if in_force_matters:
            stack.extend((q, True) for q in spec.overridden_by[pid])
    return found
