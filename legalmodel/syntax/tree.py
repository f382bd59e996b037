"""The syntax tree: what a spec file says, before any name is resolved.

Frozen, slotted dataclasses; children in tuples; spans out of equality. Built by parse.py
from Lark's tree; no Lark object leaves that module.
"""

from __future__ import annotations

from .source import Span, SourceFile, pickle_by_fields, span_field
from ..frozen import frozen_dataclass

MAX_NESTING = 200
MAX_FILE_BYTES = 20_000_000
# the longest line a spec may have, in characters: twenty times the longest in specs/ and docs/
# (999); Lark's lexer tries its text pattern from every quote, so a very long line with a
# string left open costs time and memory that grow with its square
MAX_LINE_CHARS = 20_000

# the keywords that begin an item (a declaration, an amendment's instruction, an acceptance)
ITEM_KEYWORDS = ("law", "enum", "fact", "assume", "action", "provision", "outside", "goal", "example",
                 "amendment", "insert", "reword", "repeal", "contract", "accept", "reads")


@frozen_dataclass(slots=True)
class Name:
    text: str
    span: Span = span_field()


# ---- citations as written -----------------------------------------------------------------

@frozen_dataclass(slots=True)
class CitationSyntax:
    """One provision's citation as written; `law` is None when the text names no law."""

    law: str | None
    chapter: int | None
    paragraph: int
    letter: str = ""
    stycke: int | None = None
    punkt: int | None = None
    span: Span = span_field()


@frozen_dataclass(slots=True)
class SelectorSyntax:
    """One item of a citation list as written: a paragraph, a range, a chapter or chapters."""

    law: str | None
    chapters: tuple[int, int] | None
    paragraphs: tuple[tuple[int, str], tuple[int, str]] | None
    stycke: int | None = None
    punkt: int | None = None
    span: Span = span_field()


# ---- expressions ----------------------------------------------------------------------------

@frozen_dataclass(slots=True)
class NameRef:
    name: str
    span: Span = span_field()


@frozen_dataclass(slots=True)
class IntLit:
    value: int
    span: Span = span_field()


@frozen_dataclass(slots=True)
class BoolLit:
    value: bool
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Not:
    operand: "Expr"
    span: Span = span_field()


@frozen_dataclass(slots=True)
class And:
    operands: tuple["Expr", ...]
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Or:
    operands: tuple["Expr", ...]
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Implies:
    premise: "Expr"
    conclusion: "Expr"
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Iff:
    left: "Expr"
    right: "Expr"
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Compare:
    """`left op right`; op is one of = != < <= > >= (Unicode forms are normalised)."""

    op: str
    left: "Expr"
    right: "Expr"
    span: Span = span_field()


@frozen_dataclass(slots=True)
class InSet:
    operand: "Expr"
    values: tuple["Expr", ...]
    negated: bool = False
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Applies:
    """`applies(26 kap. 1 §)`: true when some provision the list names is triggered."""

    selectors: tuple[SelectorSyntax, ...]
    span: Span = span_field()


@frozen_dataclass(slots=True)
class AppliesModality:
    """`applies(oblige)` or `applies(oblige in 15 kap. SoL)`: true when some provision of that
    modality, on the same act as the provision that asks, is triggered (optionally only those
    the list names). Written inside provisions, where the act is known."""

    modality: str
    within: tuple[SelectorSyntax, ...]
    span: Span = span_field()


Expr = NameRef | IntLit | BoolLit | Not | And | Or | Implies | Iff | Compare | InSet | Applies | AppliesModality


# ---- declarations ---------------------------------------------------------------------------

@frozen_dataclass(slots=True)
class LawDecl:
    name: Name
    title: str
    span: Span = span_field()


@frozen_dataclass(slots=True)
class EnumValue:
    name: Name
    description: str | None
    span: Span = span_field()


@frozen_dataclass(slots=True)
class EnumDecl:
    name: Name
    description: str | None
    values: tuple[EnumValue, ...]
    span: Span = span_field()


@frozen_dataclass(slots=True)
class BoolTypeSyntax:
    span: Span = span_field()


@frozen_dataclass(slots=True)
class IntRangeSyntax:
    low: int
    high: int
    span: Span = span_field()


@frozen_dataclass(slots=True)
class NamedTypeSyntax:
    name: Name
    span: Span = span_field()


TypeSyntax = BoolTypeSyntax | IntRangeSyntax | NamedTypeSyntax


@frozen_dataclass(slots=True)
class FactDecl:
    name: Name
    type: TypeSyntax
    description: str
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Assumption:
    label: str | None
    condition: Expr
    span: Span = span_field()


@frozen_dataclass(slots=True)
class ActionDecl:
    name: Name
    description: str
    default: str | None
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Provenance:
    """Where a provision's wording comes from and how sure we are of it."""

    sfs: str | None = None
    preparatory_works: tuple[str, ...] = ()
    in_force: str | None = None
    certainty: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = span_field()


@frozen_dataclass(slots=True)
class ModalityOverride:
    """`overrides forbid` or `overrides forbid in 21–40 kap.`"""

    modality: str
    within: tuple[SelectorSyntax, ...]
    span: Span = span_field()


@frozen_dataclass(slots=True)
class CitationOverride:
    """`overrides 26 kap. 1 §, 25 kap. 1 §`"""

    selectors: tuple[SelectorSyntax, ...]
    span: Span = span_field()


OverrideClause = ModalityOverride | CitationOverride


@frozen_dataclass(slots=True)
class ProvisionDecl:
    citation: CitationSyntax
    title: str
    provenance: Provenance
    modality: str
    action: Name
    condition: Expr | None
    overrides: tuple[OverrideClause, ...]
    excepts: tuple[SelectorSyntax, ...]
    span: Span = span_field()


@frozen_dataclass(slots=True)
class OutsideScope:
    """Citations the spec names in lists but deliberately does not model."""

    selectors: tuple[SelectorSyntax, ...]
    reason: str
    span: Span = span_field()


@frozen_dataclass(slots=True)
class GoalDecl:
    """`A is V whenever C` (kind "all") or `possibly A is V when C` (kind "some")."""

    title: str
    kind: str
    action: Name
    verdicts: tuple[str, ...]
    negated: bool
    condition: Expr | None
    expected_to_fail: bool = False
    expected_reason: str | None = None
    expected_until: str | None = None
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Given:
    fact: Name
    value: Expr
    span: Span = span_field()


@frozen_dataclass(slots=True)
class Expectation:
    action: Name
    verdict: str
    span: Span = span_field()


@frozen_dataclass(slots=True)
class ExampleDecl:
    title: str
    given: tuple[Given, ...]
    expectations: tuple[Expectation, ...]
    since: str | None = None  # the example applies to the law on dates from `since`
    until: str | None = None  # … up to, not including, `until`
    span: Span = span_field()


# ---- amendments --------------------------------------------------------------------------------

@frozen_dataclass(slots=True)
class AmendmentDecl:
    """`amendment "title" (SFS …, in force …) to OSL`: the items after it belong to it."""

    title: str
    provenance: Provenance
    law: Name
    span: Span = span_field()


@frozen_dataclass(slots=True)
class InsertOp:
    """"ska införas en ny paragraf": a provision the law did not have."""

    provision: ProvisionDecl
    span: Span = span_field()


@frozen_dataclass(slots=True)
class RewordOp:
    """"ska ha följande lydelse": a provision's new wording."""

    provision: ProvisionDecl
    span: Span = span_field()


@frozen_dataclass(slots=True)
class RepealOp:
    """"ska upphöra att gälla": provisions that cease to apply."""

    selectors: tuple[SelectorSyntax, ...]
    span: Span = span_field()


@frozen_dataclass(slots=True)
class ContractDecl:
    """What an amendment promises: `unchanged where C`, `only widens A`, `only narrows A`."""

    kind: str  # "unchanged", "widens", "narrows"
    condition: Expr | None = None
    action: Name | None = None
    span: Span = span_field()


@frozen_dataclass(slots=True)
class AcceptDecl:
    """`accept COL-1a2b3c4d "why"`: a finding examined and accepted, with its justification."""

    finding: str
    justification: str
    span: Span = span_field()


@frozen_dataclass(slots=True)
class ReadsDecl:
    """`reads samtycke sv "den enskilde har samtyckt", not "den enskilde har inte samtyckt"`:
    how a fact or an enum value reads in prose in one language (`negative`: a bool fact's
    false case, when the spec gives it)."""

    name: Name
    language: Name
    positive: str
    negative: str | None = None
    span: Span = span_field()


Item = (
    LawDecl | EnumDecl | FactDecl | Assumption | ActionDecl | ProvisionDecl | OutsideScope
    | GoalDecl | ExampleDecl | AmendmentDecl | InsertOp | RewordOp | RepealOp | ContractDecl | AcceptDecl
    | ReadsDecl
)


@frozen_dataclass(slots=True)
class SpecFile:
    """One file's items; `language` is the surface its keywords are in (surface.py), and
    `declared` whether the file says so (`språk sv`, `language en`) or is English by default."""

    source: SourceFile
    items: tuple[Item, ...]
    language: str = "en"
    declared: bool = False


pickle_by_fields(globals())
