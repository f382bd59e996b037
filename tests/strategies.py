"""Hypothesis strategies: random, well-formed spec TEXT (and the plan it was written from),
situations of a checked spec, and malformed variants of spec text.

A generated spec goes through the real parser and resolver. Next to the text, the generator
keeps a `SpecPlan`: what the text is meant to say (the facts and their domains, every
provision's condition as an expression tree, the override edges the selectors and `except`
lists are meant to produce, goals, examples). The plan gives the tests an oracle that does
not share code with legalmodel: the text must mean what the plan says.

Well-formedness by construction:
- fact domains are small (the product of all domains is at most `MAX_SITUATIONS`), so every
  situation can be enumerated;
- a provision's `applies(...)` names only provisions declared before it, checked by our own
  selector matching (a selector that would also name a later provision is not used);
- a provision overrides only provisions declared before it: every selector (citation,
  range, chapter, modality) may select later ones too, and exactly those are put in its
  `except` list, so the override graph is acyclic;
- every selector selects at least one provision, except those inside an `outside scope`
  declaration (which the resolver must accept deliberately);
- with two laws, every citation that has no enclosing provision names its law.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from hypothesis import strategies as st

MAX_SITUATIONS = 192

VERDICTS = ("contradictory", "obligatory", "forbidden", "permitted", "undecided")
ORDINALS = ("första", "andra", "tredje", "fjärde")

LAW_NAMES = ("OSL", "SoL")
LAW_TITLES = {"OSL": "Offentlighets- och sekretesslag (2009:400)", "SoL": "Socialtjänstlag (2001:453)"}
ENUM_NAMES = ("Myndighet", "Kategori", "Grund")
ENUM_MEMBERS = {
    "Myndighet": ("polisen", "säkerhetspolisen", "skolan", "annan"),
    "Kategori": ("hälsa", "ekonomi", "annan"),  # `annan` is shared on purpose
    "Grund": ("samtycke", "nödläge", "lagkrav"),
}
FACT_BASES = ("ålder", "risk", "samtycke_givet", "brott", "fara", "barn", "vård", "men", "begäran",
              "skäl", "misstanke", "mottagare")
ACTION_NAMES = ("lämna_uppgift", "underrätta", "röja")
CHAPTERS = (10, 25, 26)
TITLES = ("Socialtjänstsekretess", "Unga under 21", "Generalklausulen", "Sekretessbrytande regel",
          "Uppgiftsskyldighet", "Nödläge", 'Särskilt \\"skydd\\"', "Hälso- och sjukvård", "")


# ---- the plan ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class FactPlan:
    name: str
    kind: str  # "bool", "int", "enum"
    values: tuple  # the domain, in the order the spec's type lists it
    enum: str | None = None

    @property
    def low(self):
        return self.values[0]

    @property
    def high(self):
        return self.values[-1]


@dataclass(frozen=True)
class Sel:
    """One item of a citation list: law, chapters, paragraph range (None: whole chapters), stycke."""

    law: str
    chapters: tuple[int, int]
    paragraphs: tuple[tuple[int, str], tuple[int, str]] | None = None
    stycke: int | None = None

    def matches(self, c: "Cite") -> bool:
        if c.law != self.law or not self.chapters[0] <= c.chapter <= self.chapters[1]:
            return False
        if self.paragraphs is not None and not self.paragraphs[0] <= (c.paragraph, c.letter) <= self.paragraphs[1]:
            return False
        return self.stycke is None or self.stycke == c.stycke


@dataclass(frozen=True)
class Cite:
    law: str
    chapter: int
    paragraph: int
    letter: str = ""
    stycke: int | None = None

    @property
    def id(self) -> str:
        """The provision id the resolver gives it: the Swedish form, with the law."""
        text = f"{self.chapter} kap. {self.paragraph}{' ' + self.letter if self.letter else ''} §"
        if self.stycke is not None:
            text += f" {ORDINALS[self.stycke - 1]} stycket"
        return f"{text} {self.law}"

    def exact(self) -> Sel:
        key = (self.paragraph, self.letter)
        return Sel(self.law, (self.chapter, self.chapter), (key, key), self.stycke)


@dataclass(frozen=True)
class E:
    """An expression of the plan. `op` is one of: fact, lit, not, and, or, implies, iff, cmp,
    in, applies. Operands of `cmp` are ("fact", name) | ("int", v) | ("bool", v) |
    ("enum", v) | ("expr", E). `paren` asks for redundant parentheses; `spell` picks a
    spelling of the operator (words or symbols)."""

    op: str
    args: tuple
    paren: bool = False
    spell: int = 0


@dataclass(frozen=True)
class ProvisionPlan:
    index: int
    cite: Cite
    modality: str
    action: str
    condition: E | None
    overrides: frozenset[str]  # provision ids the resolved provision must override
    excepts: frozenset[str]  # provision ids its `except` list selects
    applies: frozenset[str]  # provision ids its condition asks about

    @property
    def id(self) -> str:
        return self.cite.id


@dataclass(frozen=True)
class GoalPlan:
    title: str
    kind: str  # "all" / "some"
    action: str
    verdicts: frozenset[str]  # after negation
    condition: E | None
    expected_to_fail: bool
    until: str | None


@dataclass(frozen=True)
class ExamplePlan:
    title: str
    given: tuple[tuple[str, object], ...]
    expectations: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SpecPlan:
    text: str
    laws: tuple[str, ...]
    facts: tuple[FactPlan, ...]
    assumptions: tuple[E, ...]
    actions: tuple[tuple[str, str | None], ...]  # (name, default)
    provisions: tuple[ProvisionPlan, ...]
    goals: tuple[GoalPlan, ...]
    examples: tuple[ExamplePlan, ...]
    outside: tuple[Sel, ...] = field(default=())

    def fact(self, name: str) -> FactPlan:
        return next(f for f in self.facts if f.name == name)


# ---- rendering ------------------------------------------------------------------------------

NOT_WORDS = ("not", "¬")
AND_WORDS = ("and", "∧")
OR_WORDS = ("or", "∨")
IMPLIES_WORDS = ("implies", "→", "⇒")
IFF_WORDS = ("iff", "↔", "⇔")
CMP_SPELLINGS = {"=": ("=",), "!=": ("!=", "≠"), "<": ("<",), "<=": ("<=", "≤"), ">": (">",), ">=": (">=", "≥")}
DASHES = ("–", "-", "..")

# precedence: higher binds tighter
LEVEL = {"iff": 1, "implies": 2, "or": 3, "and": 4, "not": 5, "cmp": 6, "in": 6,
         "fact": 7, "lit": 7, "applies": 7}


def _pick(words, spell: int) -> str:
    return words[spell % len(words)]


def _value_text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def render_expr(e: E, ctx: int = 0) -> str:
    text = _render(e)
    if e.paren or LEVEL[e.op] < ctx:
        return f"({text})"
    return text


def _render_operand(o) -> str:
    kind, value = o
    if kind == "expr":
        return render_expr(value, 7)
    if kind == "fact":
        return value
    return _value_text(value)


def _render(e: E) -> str:
    op, a = e.op, e.args
    if op == "fact":
        return a[0]
    if op == "lit":
        return _value_text(a[0])
    if op == "not":
        return f"{_pick(NOT_WORDS, e.spell)} {render_expr(a[0], 5)}"
    if op == "and":
        return f" {_pick(AND_WORDS, e.spell)} ".join(render_expr(x, 5) for x in a)
    if op == "or":
        return f" {_pick(OR_WORDS, e.spell)} ".join(render_expr(x, 4) for x in a)
    if op == "implies":
        return f"{render_expr(a[0], 3)} {_pick(IMPLIES_WORDS, e.spell)} {render_expr(a[1], 2)}"
    if op == "iff":
        return f"{render_expr(a[0], 2)} {_pick(IFF_WORDS, e.spell)} {render_expr(a[1], 2)}"
    if op == "cmp":
        cmp, left, right = a
        return f"{_render_operand(left)} {_pick(CMP_SPELLINGS[cmp], e.spell)} {_render_operand(right)}"
    if op == "in":
        operand, values, negated = a
        inner = ", ".join(_value_text(v) for v in values) + ("," if e.spell % 3 == 2 else "")
        neg = f"{_pick(NOT_WORDS, e.spell)} " if negated else ""
        return f"{_render_operand(operand)} {neg}in {{{inner}}}"
    if op == "applies":
        return f"applies({a[0]})"
    raise AssertionError(op)


def _para(key: tuple[int, str]) -> str:
    n, letter = key
    return f"{n} {letter}" if letter else str(n)


def _stycke_text(stycke: int | None, spell: int) -> str:
    if stycke is None:
        return ""
    return f" {ORDINALS[stycke - 1]} stycket" if spell % 2 == 0 else f" {stycke} st."


def render_sel(sel: Sel, form: str, show_law: bool, spell: int = 0) -> str:
    """One selector in one of the citation forms the grammar knows."""
    dash = DASHES[spell % len(DASHES)]
    law = f" {sel.law}" if show_law else ""
    if sel.paragraphs is None:
        a, b = sel.chapters
        return (f"{a} kap." if a == b else f"{a}{dash}{b} kap.") + law
    low, high = sel.paragraphs
    chapter = sel.chapters[0]
    if form == "short":  # `OSL 26:1 a`, `OSL 26:1–3 b`, `OSL 26:1–26:3`
        text = f"{sel.law} {chapter}:{_para(low)}"
        if low != high:
            end = f"{chapter}:{_para(high)}" if spell % 4 == 3 else _para(high)
            text += f"{dash}{end}"
        return text + _stycke_text(sel.stycke, spell)
    if low == high:
        return f"{chapter} kap. {_para(low)} §{_stycke_text(sel.stycke, spell)}{law}"
    return f"{chapter} kap. {_para(low)}{dash}{_para(high)} §§{law}"


SEPARATOR_WORDS = (", ", " och ", " samt ")


def render_sel_list(items: list[tuple[Sel, str, bool, int]]) -> str:
    """A citation list. Consecutive Swedish-form paragraph items of one chapter and law (and
    no stycke) may be written as one statute-style group: `26 kap. 1, 2 a och 4–6 §§ OSL`."""
    out: list[str] = []
    i = 0
    while i < len(items):
        sel, form, show_law, spell = items[i]
        group = [items[i]]
        if form == "group" and sel.paragraphs is not None and sel.stycke is None:
            j = i + 1
            while j < len(items):
                s2, f2, l2, _ = items[j]
                if (f2 == "group" and s2.paragraphs is not None and s2.stycke is None
                        and s2.law == sel.law and s2.chapters == sel.chapters and l2 == show_law):
                    group.append(items[j])
                    j += 1
                else:
                    break
        if len(group) > 1:
            parts = []
            for s2, _f, _l, sp in group:
                low, high = s2.paragraphs
                parts.append(_para(low) if low == high else f"{_para(low)}{DASHES[sp % 3]}{_para(high)}")
            seps = [SEPARATOR_WORDS[g[3] % 3] for g in group[1:]]
            body = parts[0] + "".join(sp + p for sp, p in zip(seps, parts[1:]))
            out.append(f"{sel.chapters[0]} kap. {body} §§" + (f" {sel.law}" if show_law else ""))
        else:
            out.append(render_sel(sel, "short" if form == "short" else "swedish", show_law, spell))
        i += len(group)
    text = out[0]
    for k, part in enumerate(out[1:]):
        text += SEPARATOR_WORDS[(len(part) + k) % 3] + part
    return text


# ---- generation -----------------------------------------------------------------------------

class _Ctx:
    """What an expression may mention: facts, and provisions for `applies`."""

    def __init__(self, facts, cites, laws, context_law, applicable, allow_applies=True):
        self.facts = facts
        self.cites = cites  # all provision citations, in declaration order
        self.laws = laws
        self.context_law = context_law  # the law unqualified citations mean (None: the spec's only law)
        self.applicable = applicable  # indexes `applies` may name
        self.allow_applies = allow_applies
        self.applied: set[str] = set()


def _show_law(draw, ctx: _Ctx, law: str) -> bool:
    if ctx.context_law is None:
        return len(ctx.laws) > 1 or draw(st.booleans())
    return law != ctx.context_law or draw(st.booleans())


def _selector_for(draw, cites: list[Cite], target: int, kinds=("exact", "range", "chapter", "chapters")) -> Sel:
    """A selector that selects provision `target` (and maybe others)."""
    c = cites[target]
    kind = draw(st.sampled_from(kinds))
    if kind == "exact":
        return c.exact()
    if kind == "range":
        lo_n = draw(st.integers(1, c.paragraph))
        hi_n = draw(st.integers(c.paragraph, 6))
        hi_l = "b" if hi_n == c.paragraph else draw(st.sampled_from(("", "a")))
        return Sel(c.law, (c.chapter, c.chapter), ((lo_n, ""), (hi_n, hi_l)))
    if kind == "chapter":
        return Sel(c.law, (c.chapter, c.chapter))
    lo = draw(st.sampled_from([x for x in CHAPTERS if x <= c.chapter]))
    hi = draw(st.sampled_from([x for x in CHAPTERS if x >= c.chapter]))
    return Sel(c.law, (lo, hi))


def selected(sel: Sel, cites: list[Cite]) -> set[int]:
    return {i for i, c in enumerate(cites) if sel.matches(c)}


def _sel_item(draw, ctx: _Ctx, sel: Sel) -> tuple[Sel, str, bool, int]:
    forms = ["swedish", "group"]
    if sel.chapters[0] == sel.chapters[1] and sel.paragraphs is not None:
        forms.append("short")
    form = draw(st.sampled_from(forms))
    show = True if form == "short" else _show_law(draw, ctx, sel.law)
    return (sel, form, show, draw(st.integers(0, 11)))


def _applies(draw, ctx: _Ctx) -> E | None:
    if not ctx.allow_applies or not ctx.applicable:
        return None
    items, chosen = [], set()
    for _ in range(draw(st.integers(1, 2))):
        target = draw(st.sampled_from(ctx.applicable))
        sel = _selector_for(draw, ctx.cites, target)
        hit = selected(sel, ctx.cites)
        if not hit <= set(ctx.applicable):
            sel = ctx.cites[target].exact()
            hit = selected(sel, ctx.cites)
            if not hit <= set(ctx.applicable):
                continue
        items.append(_sel_item(draw, ctx, sel))
        chosen |= hit
    if not items:
        return None
    ids = frozenset(ctx.cites[i].id for i in chosen)
    ctx.applied |= ids
    return E("applies", (render_sel_list(items), ids))


def _int_const(draw, f: FactPlan) -> int:
    return draw(st.integers(f.low, f.high))


def _atom(draw, ctx: _Ctx) -> E:
    kinds = ["fact", "cmp", "in", "applies", "lit", "boolcmp"]
    kind = draw(st.sampled_from(kinds))
    spell = draw(st.integers(0, 5))
    if kind == "applies":
        e = _applies(draw, ctx)
        if e is not None:
            return e
        kind = "fact"
    if kind == "lit":
        return E("lit", (draw(st.booleans()),))
    if kind == "boolcmp":  # `(a and b) = true`, `applies(…) != false`, `b1 = b2`
        left = draw(st.sampled_from(("sub", "fact")))
        sub = _expr(draw, ctx, 1) if left == "sub" else None
        bools = [f for f in ctx.facts if f.kind == "bool"]
        if sub is None and not bools:
            sub = _expr(draw, ctx, 0)
        lhs = ("expr", sub) if sub is not None else ("fact", draw(st.sampled_from(bools)).name)
        rhs = draw(st.one_of(st.booleans().map(lambda b: ("bool", b)),
                             st.sampled_from(bools).map(lambda f: ("fact", f.name)) if bools else st.nothing()))
        op = draw(st.sampled_from(("=", "!=")))
        if draw(st.booleans()):
            lhs, rhs = rhs, lhs
        return E("cmp", (op, lhs, rhs), spell=spell)
    f = draw(st.sampled_from(ctx.facts))
    if kind == "fact" and f.kind == "bool":
        return E("fact", (f.name,))
    if kind == "in" or (kind == "fact" and f.kind != "bool" and draw(st.booleans())):
        values = draw(st.lists(st.sampled_from(f.values), min_size=1, max_size=3, unique=True))
        return E("in", (("fact", f.name), tuple(values), draw(st.booleans())), spell=spell)
    # a comparison
    if f.kind == "int":
        op = draw(st.sampled_from(("=", "!=", "<", "<=", ">", ">=")))
        others = [g for g in ctx.facts if g.kind == "int" and g.name != f.name]
        if others and draw(st.integers(0, 3)) == 0:
            rhs = ("fact", draw(st.sampled_from(others)).name)
        else:
            rhs = ("int", _int_const(draw, f))
        lhs = ("fact", f.name)
    elif f.kind == "enum":
        op = draw(st.sampled_from(("=", "!=")))
        same = [g for g in ctx.facts if g.kind == "enum" and g.enum == f.enum and g.name != f.name]
        if same and draw(st.integers(0, 3)) == 0:
            rhs = ("fact", draw(st.sampled_from(same)).name)
        else:
            rhs = ("enum", draw(st.sampled_from(f.values)))
        lhs = ("fact", f.name)
    else:
        op = draw(st.sampled_from(("=", "!=")))
        lhs, rhs = ("fact", f.name), ("bool", draw(st.booleans()))
    if draw(st.booleans()):
        lhs, rhs = rhs, lhs
        op = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)  # keep the meaning readable
    return E("cmp", (op, lhs, rhs), spell=spell)


def _expr(draw, ctx: _Ctx, depth: int) -> E:
    ops = ["atom"] if depth <= 0 else ["atom", "not", "and", "or", "implies", "iff"]
    op = draw(st.sampled_from(ops))
    paren = draw(st.integers(0, 7)) == 0
    spell = draw(st.integers(0, 5))
    if op == "atom":
        e = _atom(draw, ctx)
        return E(e.op, e.args, paren, e.spell)
    if op == "not":
        return E("not", (_expr(draw, ctx, depth - 1),), paren, spell)
    if op in ("and", "or"):
        n = draw(st.integers(2, 3))
        return E(op, tuple(_expr(draw, ctx, depth - 1) for _ in range(n)), paren, spell)
    return E(op, (_expr(draw, ctx, depth - 1), _expr(draw, ctx, depth - 1)), paren, spell)


@st.composite
def _facts(draw, enums: list[str]) -> list[FactPlan]:
    n = draw(st.integers(1, 6))
    facts: list[FactPlan] = []
    product = 1
    bases = draw(st.permutations(FACT_BASES))
    for i in range(n):
        kind = draw(st.sampled_from(("bool", "int", "enum")))
        name = f"{bases[i]}_{i}"
        if kind == "int":
            low = draw(st.sampled_from((0, 0, 1, 18)))
            size = draw(st.integers(2, 6))
            plan = FactPlan(name, "int", tuple(range(low, low + size)))
        elif kind == "enum":
            enum = draw(st.sampled_from(enums))
            plan = FactPlan(name, "enum", ENUM_MEMBERS[enum], enum)
        else:
            plan = FactPlan(name, "bool", (False, True))
        if product * len(plan.values) > MAX_SITUATIONS:
            plan = FactPlan(name, "bool", (False, True))
            if product * 2 > MAX_SITUATIONS:
                break
        product *= len(plan.values)
        facts.append(plan)
    return facts


def _ws(draw) -> str:
    """Layout carries no meaning: a space or a line break with indentation."""
    return draw(st.sampled_from((" ", "\n  ", "\n\t", " ")))


@st.composite
def spec_plans(draw, assumption_applies: bool = False) -> SpecPlan:
    """A well-formed spec and its plan. With `assumption_applies`, one assumption asks
    whether a provision applies (`assume applies(26 kap. 1 §) implies …`)."""
    laws = list(LAW_NAMES[: draw(st.integers(1, 2))])
    enums = list(ENUM_NAMES[: draw(st.integers(1, 3))])
    facts = draw(_facts(enums))
    actions = [(name, draw(st.sampled_from((None, "permitted", "forbidden"))))
               for name in ACTION_NAMES[: draw(st.integers(1, 2))]]
    action_names = [a for a, _ in actions]

    # citations: unique coordinates, declaration order as drawn
    coords = st.tuples(st.sampled_from(laws), st.sampled_from(CHAPTERS), st.integers(1, 6),
                       st.sampled_from(("", "", "a", "b")), st.sampled_from((None, None, None, None, 1, 2)))
    raw = draw(st.lists(coords, min_size=1, max_size=8, unique=True))
    cites = [Cite(*c) for c in raw]
    n = len(cites)

    outside: list[Sel] = []
    if draw(st.integers(0, 5)) == 0:
        outside.append(Sel(laws[0], (40, 40)))

    # assumptions: over facts only (see the module docstring of test_properties)
    assumptions = []
    for _ in range(draw(st.integers(0, 2))):
        ctx = _Ctx(facts, cites, laws, None, [], allow_applies=False)
        assumptions.append((draw(st.one_of(st.none(), st.sampled_from(("ett antagande", "fakta hänger ihop")))),
                            _expr(draw, ctx, draw(st.integers(0, 1)))))
    if assumption_applies:
        ctx = _Ctx(facts, cites, laws, None, list(range(n)))
        asked = _applies(draw, ctx)
        other = _expr(draw, _Ctx(facts, cites, laws, None, [], allow_applies=False), 0)
        shape = draw(st.sampled_from(("alone", "implies", "or")))
        expr = asked if shape == "alone" else E(shape, (asked, other))
        assumptions.insert(draw(st.integers(0, len(assumptions))), ("antagande om tillämplighet", expr))

    provisions: list[ProvisionPlan] = []
    provision_texts: list[str] = []
    modalities = [draw(st.sampled_from(("forbid", "permit", "oblige"))) for _ in range(n)]
    acts = [draw(st.sampled_from(action_names)) for _ in range(n)]
    for i, c in enumerate(cites):
        ctx = _Ctx(facts, cites, laws, c.law, list(range(i)))
        condition = None if draw(st.integers(0, 6)) == 0 else _expr(draw, ctx, draw(st.integers(0, 2)))
        # overrides
        clauses: list[str] = []
        chosen: set[int] = set()
        for _ in range(draw(st.sampled_from((0, 0, 1, 1, 2)))):
            if n > 1 and draw(st.integers(0, 2)) > 0:
                items = []
                for _ in range(draw(st.integers(1, 3))):
                    target = draw(st.sampled_from([j for j in range(n) if j != i]))
                    sel = _selector_for(draw, cites, target)
                    items.append(_sel_item(draw, ctx, sel))
                    chosen |= selected(sel, cites) - {i}
                if outside and c.law == laws[0] and draw(st.booleans()):
                    items.append((Sel(laws[0], (40, 40), ((2, ""), (2, ""))), "swedish", False, 0))
                clauses.append(f"overrides {render_sel_list(items)}")
            else:
                modality = draw(st.sampled_from(("forbid", "permit", "oblige")))
                same = {j for j in range(n) if j != i and modalities[j] == modality and acts[j] == acts[i]}
                text = f"overrides {modality}"
                if n > 1 and draw(st.booleans()):
                    items, scope = [], set()
                    for _ in range(draw(st.integers(1, 2))):
                        target = draw(st.sampled_from(range(n)))
                        sel = _selector_for(draw, cites, target)
                        items.append(_sel_item(draw, ctx, sel))
                        scope |= selected(sel, cites)
                    same &= scope
                    text += f" in {render_sel_list(items)}"
                if same:  # a modality that selects no other provision is an error (resolve.py)
                    chosen |= same
                    clauses.append(text)
        must_except = {j for j in chosen if j > i}
        extra = set(draw(st.lists(st.sampled_from(range(n)), max_size=2))) if draw(st.integers(0, 3)) == 0 else set()
        extra.discard(i)
        except_items, excepted = [], set()
        for j in sorted(must_except | extra, key=lambda j: (cites[j].law, cites[j].chapter, cites[j].paragraph)):
            sel = cites[j].exact()
            except_items.append(_sel_item(draw, ctx, sel))
            excepted |= selected(sel, cites)
        overrides = frozenset(cites[j].id for j in chosen - excepted)
        assert all(j < i for j in chosen - excepted)

        # the text
        head = render_sel(c.exact(), draw(st.sampled_from(("swedish", "short"))),
                          len(laws) > 1 or draw(st.booleans()), draw(st.integers(0, 5)))
        if head.startswith(c.law + " "):  # the short form always names its law
            pass
        title = draw(st.sampled_from(TITLES))
        provenance = ""
        if draw(st.integers(0, 3)) == 0:
            parts = draw(st.lists(st.sampled_from(("SFS 2009:400", "SFS  2020:575", "in force 2020-08-01",
                                                   "verified", "summary", "prop. 2019/20:123",
                                                   '"en anteckning"')), min_size=1, max_size=3, unique=True))
            if sum(p.startswith("SFS") for p in parts) > 1:
                parts = [p for p in parts if not p.startswith("SFS")] + ["SFS 2009:400"]
            provenance = " (" + ", ".join(parts) + ")"
        body = f"{modalities[i]} {acts[i]}"
        if condition is not None:
            body += f"{_ws(draw)}when {render_expr(condition)}"
        for clause in clauses:
            body += f"{_ws(draw)}{clause}"
        if except_items:
            body += f"{_ws(draw)}except {render_sel_list(except_items)}"
        provision_texts.append(f'provision {head} "{title}"{provenance}\n  {body}')
        provisions.append(ProvisionPlan(i, c, modalities[i], acts[i], condition, overrides,
                                        frozenset(cites[j].id for j in excepted), frozenset(ctx.applied)))

    # goals
    goals: list[GoalPlan] = []
    goal_texts: list[str] = []
    for g in range(draw(st.integers(0, 3))):
        ctx = _Ctx(facts, cites, laws, None, list(range(n)))
        kind = draw(st.sampled_from(("all", "some")))
        action = draw(st.sampled_from(action_names))
        listed = draw(st.lists(st.sampled_from(VERDICTS), min_size=1, max_size=2, unique=True))
        negated = draw(st.integers(0, 4)) == 0
        verdicts = frozenset(VERDICTS) - set(listed) if negated else frozenset(listed)
        condition = None if draw(st.integers(0, 4)) == 0 else _expr(draw, ctx, draw(st.integers(0, 2)))
        expected = draw(st.integers(0, 3)) == 0
        until = draw(st.sampled_from((None, None, "2030-01-01"))) if expected else None
        title = f"mål {g}: {draw(st.sampled_from(('polisen får veta', 'barn skyddas', 'inget glapp')))}"
        text = f'goal "{title}"'
        if expected:
            text += " expected to fail" + (f" until {until}" if until else "")
            if draw(st.booleans()):
                text += ' "känt problem"'
        verdict_text = (" not " if negated else " ") + f" {draw(st.sampled_from(OR_WORDS))} ".join(listed)
        if kind == "all":
            text += f"\n  {action} is{verdict_text}"
            if condition is not None:
                text += f" whenever {render_expr(condition)}"
        else:
            text += f"\n  possibly {action} is{verdict_text}"
            if condition is not None:
                text += f" when {render_expr(condition)}"
        goals.append(GoalPlan(title, kind, action, verdicts, condition, expected, until))
        goal_texts.append(text)

    # examples
    examples: list[ExamplePlan] = []
    example_texts: list[str] = []
    for x in range(draw(st.integers(0, 3))):
        stated = draw(st.lists(st.sampled_from(facts), max_size=len(facts), unique_by=lambda f: f.name))
        given, parts = [], []
        for f in stated:
            value = draw(st.sampled_from(f.values))
            given.append((f.name, value))
            if f.kind == "bool" and draw(st.booleans()):
                parts.append(f.name if value else f"{draw(st.sampled_from(NOT_WORDS))} {f.name}")
            else:
                parts.append(f"{f.name} = {_value_text(value)}")
        expected_actions = draw(st.lists(st.sampled_from(action_names), min_size=1, unique=True))
        expectations = tuple((a, draw(st.sampled_from(VERDICTS))) for a in expected_actions)
        title = f"exempel {x}"
        text = f'example "{title}"'
        if parts:
            text += "\n  given " + ", ".join(parts)
        for a, v in expectations:
            text += f"\n  expect {a} {v}"
        examples.append(ExamplePlan(title, tuple(given), expectations))
        example_texts.append(text)

    # the vocabulary, in any order (the resolver declares every kind before using it)
    vocabulary = [f'law {law} "{LAW_TITLES[law]}"' for law in laws]
    for enum in enums:
        members = ENUM_MEMBERS[enum]
        described = draw(st.booleans())
        body = ", ".join(f'{m} "{m.capitalize()}"' if described and k == 0 else m for k, m in enumerate(members))
        desc = ' "en uppräkning"' if draw(st.booleans()) else ""
        vocabulary.append(f"enum {enum}{desc} {{ {body}{',' if draw(st.booleans()) else ''} }}")
    for f in facts:
        t = {"bool": "bool", "int": f"{f.low}..{f.high}", "enum": f.enum}[f.kind]
        vocabulary.append(f'fact {f.name}: {t} "vad {f.name} betyder"')
    for label, expr in assumptions:
        vocabulary.append("assume " + (f'"{label}" ' if label else "") + render_expr(expr))
    for name, default in actions:
        vocabulary.append(f'action {name} "att {name}"' + (f" default {default}" if default else ""))
    for sel in outside:
        vocabulary.append(f'outside scope {render_sel(sel, "swedish", True)} "inte modellerat här"')
    if draw(st.booleans()):
        vocabulary = draw(st.permutations(vocabulary))
    items = list(vocabulary) + provision_texts + goal_texts + example_texts
    comments = ("# en kommentar", "// en annan kommentar", "")
    text = ""
    for item in items:
        text += item + "\n" + draw(st.sampled_from(comments + ("\n",))) + "\n"
    return SpecPlan(
        text=text,
        laws=tuple(laws),
        facts=tuple(facts),
        assumptions=tuple(e for _l, e in assumptions),
        actions=tuple(actions),
        provisions=tuple(provisions),
        goals=tuple(goals),
        examples=tuple(examples),
        outside=tuple(outside),
    )


def spec_texts() -> st.SearchStrategy[str]:
    return spec_plans().map(lambda p: p.text)


# ---- the plan's own meaning (an oracle that shares no code with legalmodel) -------------------

def plan_value(e: E, situation: dict, triggered: dict[str, bool]):
    op, a = e.op, e.args
    if op == "fact":
        return situation[a[0]]
    if op == "lit":
        return a[0]
    if op == "not":
        return not plan_value(a[0], situation, triggered)
    if op == "and":
        return all(plan_value(x, situation, triggered) for x in a)
    if op == "or":
        return any(plan_value(x, situation, triggered) for x in a)
    if op == "implies":
        return (not plan_value(a[0], situation, triggered)) or plan_value(a[1], situation, triggered)
    if op == "iff":
        return plan_value(a[0], situation, triggered) == plan_value(a[1], situation, triggered)
    if op == "applies":
        return any(triggered[p] for p in a[1])
    if op == "in":
        operand, values, negated = a
        return (_operand_value(operand, situation, triggered) in values) != negated
    if op == "cmp":
        cmp, left, right = a
        x, y = _operand_value(left, situation, triggered), _operand_value(right, situation, triggered)
        return {"=": x == y, "!=": x != y, "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[cmp]
    raise AssertionError(op)


def _operand_value(o, situation, triggered):
    kind, value = o
    if kind == "fact":
        return situation[value]
    if kind == "expr":
        return bool(plan_value(value, situation, triggered))
    return value


@dataclass(frozen=True)
class PlanOutcome:
    triggered: frozenset[str]
    in_force: frozenset[str]
    verdicts: dict


def plan_outcome(plan: SpecPlan, situation: dict) -> PlanOutcome:
    """design.md's semantics, computed from the plan: triggered in declaration order
    (`applies` names only earlier provisions), in force from the last provision back
    (overrides point only to earlier ones), then the verdict rules in their order."""
    triggered: dict[str, bool] = {}
    for p in plan.provisions:
        triggered[p.id] = True if p.condition is None else bool(plan_value(p.condition, situation, triggered))
    overridden_by = {p.id: [q.id for q in plan.provisions if p.id in q.overrides] for p in plan.provisions}
    in_force: dict[str, bool] = {}
    for p in reversed(plan.provisions):
        in_force[p.id] = triggered[p.id] and not any(in_force[q] for q in overridden_by[p.id])
    verdicts = {}
    for action, default in plan.actions:
        mods = {p.modality for p in plan.provisions if p.action == action and in_force[p.id]}
        if {"oblige", "forbid"} <= mods:
            verdicts[action] = "contradictory"
        elif "oblige" in mods:
            verdicts[action] = "obligatory"
        elif "forbid" in mods:
            verdicts[action] = "forbidden"
        elif "permit" in mods:
            verdicts[action] = "permitted"
        else:
            verdicts[action] = default or "undecided"
    return PlanOutcome(frozenset(k for k, v in triggered.items() if v),
                       frozenset(k for k, v in in_force.items() if v), verdicts)


def plan_situations(plan: SpecPlan):
    """Every assignment of the plan's facts (assumptions not applied)."""
    names = [f.name for f in plan.facts]
    for values in itertools.product(*(f.values for f in plan.facts)):
        yield dict(zip(names, values))


# ---- situations of a checked spec -------------------------------------------------------------

def fact_values(fact) -> list:
    return list(fact.type.values())


def all_situations(spec) -> list[dict]:
    """Every assignment of values to a checked spec's facts (assumptions not applied)."""
    names = list(spec.facts)
    domains = [fact_values(spec.facts[n]) for n in names]
    return [dict(zip(names, values)) for values in itertools.product(*domains)]


def situations(spec) -> st.SearchStrategy[dict]:
    """Situations of a checked spec: any value for every fact. Most satisfy the assumptions
    (drawn from those that do); some are free assignments, which may break them."""
    from legalmodel.semantics.evaluate import assumptions_hold

    free = st.fixed_dictionaries({name: st.sampled_from(fact_values(f)) for name, f in spec.facts.items()})
    valid = [s for s in all_situations(spec) if assumptions_hold(spec, s)]
    if not valid:
        return free
    return st.one_of(st.sampled_from(valid), free)


# ---- malformed input ------------------------------------------------------------------------

KEYWORDS = ("law", "enum", "fact", "assume", "action", "provision", "outside", "scope", "goal", "example",
            "amendment", "insert", "reword", "repeal", "contract", "accept", "overrides", "except", "when",
            "whenever", "possibly", "given", "expect", "default", "applies", "forbid", "permit", "oblige",
            "permitted", "forbidden", "obligatory", "undecided", "contradictory", "and", "or", "not",
            "implies", "iff", "in", "true", "false", "bool", "kap.", "§", "§§", "st.", "p.", "och", "samt",
            "första", "stycket", "..", "–", "-", ":", ",", "{", "}", "(", ")", '"', "=", "!=", "<=", "≥",
            "¬", "∧", "→", "⇔", "0..5", "26 kap. 1 §", "OSL 10:18 a", "SFS 2020:575", "2020-08-01",
            "COL-0123abcd", "\\", "#", "//", "\n", "\t", "\r", "\x00", "\u2028", "\ufeff", "é", "😀")
INTERESTING_CHARS = '(){}[],.:;§–-"\\\n\t #/=<>!&|¬∧∨→⇒↔≠≤≥…0123456789abckpä_ \r\x00\u2028\ufeff'


def _snippets(plan: SpecPlan) -> list[str]:
    """Whole items built from the spec's own vocabulary: valid-looking text that exercises
    the later stages (resolver, amendments, contracts), and some that must be refused."""
    law = plan.laws[0]
    action = plan.actions[0][0]
    fact = plan.facts[0].name
    cite = plan.provisions[0].cite
    here = render_sel(cite.exact(), "swedish", True)
    other = f"{cite.chapter} kap. {cite.paragraph} § {law}"
    return [
        f'assume applies({here})',
        f'assume "antagande" {fact} = {fact}',
        f'provision 99 kap. 1 § {law} "a" forbid {action} overrides 99 kap. 2 § {law}\n'
        f'provision 99 kap. 2 § {law} "b" permit {action} overrides 99 kap. 1 § {law}',
        f'provision 98 kap. 1 § {law} "c" permit {action} when applies(98 kap. 1 § {law})',
        f'provision {here} "dubbel" forbid {action}',
        f'provision 97 kap. 1 § {law} "d" forbid {action} overrides 50 kap. 1 § {law}',
        f'provision 97 kap. 2 § {law} "e" permit {action} overrides forbid in 51 kap.',
        'fact stort_tal: 0..99999999999999999999999 "ett stort tal"',
        'fact tomt: 5..2 "ett tomt intervall"',
        f'fact {fact}: bool "dubbel"',
        'enum Tom { x1, x1 }',
        f'action {fact} "samma namn som ett faktum"',
        'action ny_handling "ny" default undecided',
        f'goal "g" {action} is permitted whenever okänt_namn',
        f'goal "g2" expected to fail until 2020-01-01 possibly {action} is obligatory',
        f'example "e" given {fact} = 1000 expect {action} permitted',
        f'example "e2" given {fact} = {fact} expect {action} permitted expect {action} forbidden',
        'accept COL-0123abcd "godtaget"',
        f'outside scope 60 kap. {law} "utanför"',
        f'amendment "Ändring" (SFS 2020:575, in force 2020-08-01) to {law}\n'
        f'insert 95 kap. 1 § "ny" permit {action} when {fact} = {fact}\n'
        f'reword {other} "ny lydelse" forbid {action}\n'
        f'contract only widens {action}\n'
        f'contract unchanged where {fact} = {fact}',
        f'amendment "Förslag" to {law}\nrepeal {other}\ncontract only narrows {action}',
        f'amendment "Fel" (in force 2021-01-01) to OKÄND\ninsert 1 kap. 1 § "x" forbid {action}',
        f'reword {other} "utan ändringslag" forbid {action}',
        f'provision 96 kap. 1 § {law} "f" forbid {action} when ' + " and ".join([fact + " = " + fact] * 300),
    ]


_TOKEN = re.compile(r"\s+|\w+|\S", re.UNICODE)


@st.composite
def _mutate(draw, text: str, plan: SpecPlan) -> str | bytes:
    kind = draw(st.sampled_from((
        "snippet", "snippet", "delete", "insert", "duplicate", "truncate", "token-delete", "token-duplicate", "token-swap",
        "token-replace", "snippet", "deep", "unicode", "bytes", "inject-bytes", "empty", "layout",
    )))
    n = len(text)
    if kind == "delete" and n:
        i = draw(st.integers(0, n - 1))
        j = draw(st.integers(i + 1, min(n, i + 12)))
        return text[:i] + text[j:]
    if kind == "insert":
        i = draw(st.integers(0, n))
        piece = draw(st.text(alphabet=st.one_of(st.sampled_from(INTERESTING_CHARS), st.characters()),
                             min_size=1, max_size=6))
        return text[:i] + piece + text[i:]
    if kind == "duplicate" and n:
        i = draw(st.integers(0, n - 1))
        j = draw(st.integers(i + 1, min(n, i + 40)))
        return text[:j] + text[i:j] + text[j:]
    if kind == "truncate":
        return text[: draw(st.integers(0, n))]
    if kind.startswith("token"):
        tokens = _TOKEN.findall(text)
        if not tokens:
            return text
        i = draw(st.integers(0, len(tokens) - 1))
        if kind == "token-delete":
            del tokens[i]
        elif kind == "token-duplicate":
            tokens.insert(i, tokens[i])
        elif kind == "token-swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        else:
            tokens[i] = draw(st.sampled_from(KEYWORDS))
            if draw(st.booleans()):
                tokens[i] = " " + tokens[i] + " "
        return "".join(tokens)
    if kind == "snippet":
        snippet = draw(st.sampled_from(_snippets(plan)))
        lines = text.split("\n")
        at = draw(st.integers(0, len(lines)))
        return "\n".join(lines[:at] + [snippet] + lines[at:])
    if kind == "deep":
        depth = draw(st.sampled_from((50, 199, 200, 201, 1000, 5000, 30000)))
        fact = plan.facts[0].name
        shape = draw(st.sampled_from(("parens", "unbalanced", "not", "implies", "nested-and", "closing")))
        if shape == "parens":
            cond = "(" * depth + f"{fact} = {fact}" + ")" * depth
        elif shape == "unbalanced":
            cond = "(" * depth + fact
        elif shape == "closing":
            cond = fact + ")" * depth
        elif shape == "not":
            cond = "not " * depth + f"{fact} = {fact}"
        elif shape == "implies":
            cond = " implies ".join([f"{fact} = {fact}"] * depth)
        else:
            cond = "(" * depth + f"{fact} = {fact}" + f" and {fact} = {fact})" * depth
        if "when " in text and draw(st.booleans()):
            i = text.index("when ") + len("when ")
            return text[:i] + cond + " and " + text[i:]
        return text + f'\nassume {cond}\n'
    if kind == "unicode":
        return draw(st.text(max_size=200))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "inject-bytes":
        data = text.encode("utf-8")
        i = draw(st.integers(0, len(data)))
        bad = draw(st.sampled_from((b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x80", b"\xfe\xff",
                                    b"\xef\xbb\xbf")))
        return data[:i] + bad + data[i:]
    if kind == "empty":
        return draw(st.sampled_from(("", " ", "\n\n", "# bara en kommentar\n", "\ufeff", "\ufeff\n")))
    if kind == "layout":
        style = draw(st.sampled_from(("crlf", "cr", "tabs", "bom", "one-line", "long-line")))
        if style == "crlf":
            return text.replace("\n", "\r\n")
        if style == "cr":
            return text.replace("\n", "\r")
        if style == "tabs":
            return text.replace("  ", "\t")
        if style == "bom":
            return "\ufeff" + text
        if style == "one-line":
            return re.sub(r"(#|//)[^\n]*", "", text).replace("\n", " ")
        return text.replace("\n", " " * 5000 + "\n", 1)
    return text


@st.composite
def malformed_inputs(draw) -> bytes:
    """A generated spec, changed by one to three random mutations; as the bytes of a file."""
    plan = draw(spec_plans())
    current: str | bytes = plan.text
    for _ in range(draw(st.integers(1, 3))):
        if isinstance(current, bytes):
            break
        current = draw(_mutate(current, plan))
    return current if isinstance(current, bytes) else current.encode("utf-8", errors="surrogatepass")


# ---- specs whose rules cut across chapters (benchmarks/generate_crosscutting.py, small) -------

@st.composite
def crosscutting_texts(draw) -> str:
    """A small spec of the shape real secrecy law has: per-kind secrecy (each provision pinned
    to one value of `kind`, in a chapter of its own or sharing one), short chains of exceptions,
    and rules that cut across chapters, conditioned on the recipient and other facts, not the
    kind: permissions that override `forbid in A–B kap.` with an `except` list, duties that
    ask `applies(forbid in A–B kap.)`, and general clauses that override `forbid` except some
    chapters. Domains stay small enough to enumerate every situation; there are many
    override edges into provisions that never meet (one kind each), which is what the
    analyses batch, and many pairs, which is what they stop asking at the report's cap.
    Kinds often share a chapter and differ only in which circumstance or threshold their
    rules read (`y` is read by no rule across chapters): the classes of overrides asked as
    one (analyses/symmetry.py), and the exceptions and thresholds that must split them."""
    n_kinds = draw(st.integers(2, 5))
    if draw(st.booleans()):
        chapters = [21 + draw(st.integers(0, 2)) * (0 if i == 0 else 1) + i for i in range(n_kinds)]
    else:  # kinds that share chapters, as most do in a large law: the same rules across them
        chapters = [21 + draw(st.integers(0, 1)) for _ in range(n_kinds)]
    chapters = sorted(chapters)
    text = ['law L "en lag"',
            f"enum Kind {{ {', '.join(f'k{i}' for i in range(n_kinds))}, annan }}",
            "enum Mottagare { polisen, skolan, kommunen }",
            'fact kind: Kind "vilken sekretess"', 'fact mottagare: Mottagare "vem som får uppgiften"']
    text += [f'fact b{i}: bool "omständighet {i}"' for i in range(3)]
    text.append('fact x: 0..3 "ett tal"')
    text.append('fact y: 0..4 "ett tal som bara en sorts regler läser"')
    default = draw(st.sampled_from(("", " default permitted", " default forbidden")))
    text.append(f'action lämna "lämna uppgiften"{default}')
    provisions: list[str] = []
    secrecy: dict[int, list[str]] = {}
    section: dict[int, int] = {}

    def cite(chapter: int) -> str:
        section[chapter] = section.get(chapter, 0) + 1
        return f"{chapter} kap. {section[chapter]} §"

    def bool_atom() -> str:
        b = draw(st.integers(0, 2))
        return f"b{b}" if draw(st.booleans()) else f"not b{b}"

    for k, chapter in enumerate(chapters):
        first = cite(chapter)
        secrecy.setdefault(chapter, []).append(first)
        condition = f"kind = k{k}" + (f" and {bool_atom()}" if draw(st.booleans()) else "")
        provisions.append(f'provision {first} "sekretess {k}"\n  forbid lämna when {condition}')
        if draw(st.booleans()):
            stricter = cite(chapter)
            secrecy[chapter].append(stricter)
            strict = draw(st.sampled_from((f"x >= {draw(st.integers(1, 3))}", f"y >= {draw(st.integers(1, 4))}")))
            provisions.append(f'provision {stricter} "strängare sekretess {k}"\n'
                              f"  forbid lämna when kind = k{k} and {strict}")
            breaking = cite(chapter)
            # kinds alike but for a threshold: the same intervals of `y`, or not
            threshold = (f" and y {draw(st.sampled_from(('>=', '<', '>', '<=', '=', '!=')))} {draw(st.integers(0, 4))}"
                         if draw(st.booleans()) else "")
            provisions.append(f'provision {breaking} "brytande {k}"\n'
                              f"  permit lämna when kind = k{k}{f' and {bool_atom()}' if draw(st.booleans()) else ''}"
                              f"{threshold}\n"
                              f"  overrides {first}\n  except {stricter}")
    low = chapters[0]
    for r in range(draw(st.integers(1, 4))):
        a = draw(st.sampled_from(chapters))  # a range names chapters that have provisions
        b = draw(st.sampled_from([ch for ch in chapters if ch >= a]))
        span = f"{a}–{b} kap." if b > a else f"{a} kap."
        recipient = draw(st.sampled_from(("polisen", "skolan", "kommunen")))
        condition = f"mottagare = {recipient}" + (f" and {bool_atom()}" if draw(st.booleans()) else "")
        shape = draw(st.sampled_from(("range", "range", "duty", "general")))
        inside = [c for ch in range(a, b + 1) for c in secrecy.get(ch, ())]
        if shape == "range":
            body = f"permit lämna when {condition}\n  overrides forbid in {span}"
            excepted = draw(st.lists(st.sampled_from(inside), unique=True, max_size=2)) if inside else []
            if excepted and len(excepted) < len(inside):
                body += f"\n  except {', '.join(excepted)}"
        elif shape == "duty":
            if not inside:
                continue
            body = f"oblige lämna when {condition} and applies(forbid in {span})\n  overrides forbid in {span}"
        else:
            left_alone = sorted(set(draw(st.lists(st.sampled_from(chapters), max_size=1))))
            body = f"permit lämna when {condition}\n  overrides forbid"
            if left_alone and len(left_alone) < len(set(chapters)):
                body += f"\n  except {', '.join(f'{ch} kap.' for ch in left_alone)}"
        provisions.append(f'provision 10 kap. {r + 1} § "tvärgående {r}"\n  {body}')
    if draw(st.booleans()):  # the general clause for everyone, leaving the first chapter alone
        provisions.append('provision 1 kap. 27 § "generalklausul"\n  permit lämna when b2 and x = 3\n'
                          f"  overrides forbid\n  except {low} kap.")
    if draw(st.booleans()):
        provisions = draw(st.permutations(provisions))  # declaration order is not chapter order
    return "\n".join(text) + "\n\n" + "\n\n".join(provisions) + "\n"
