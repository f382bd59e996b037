"""Parsing: spec text to the syntax tree of syntax.py.

Owns the grammar (loaded once, LALR with Lark's contextual lexer), the one Transformer that
builds the tree, the reading of statute-style citation lists, and the translation of Lark's
errors into diagnostics that say what was expected. No Lark object leaves this module.

After a syntax error the file is split at lines that begin an item (`provision`, `fact`, …)
and each part is parsed on its own, so one run reports every broken item.
"""

from __future__ import annotations

import difflib
import functools
import re
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from ..i18n import N_, Words, sentence
from . import tree as s
from .citations import ORDINAL_NUMBER
from .diagnostics import is_suggestion, Diagnostic, SpecErrors
from . import surface
from .grammar import grammar_text
from .source import SourceFile, Span

from .tree import ITEM_KEYWORDS, MAX_FILE_BYTES, MAX_LINE_CHARS, MAX_NESTING  # noqa: F401  (their home is syntax.py)


_OPTIONS = dict(parser="lalr", lexer="contextual", propagate_positions=True, maybe_placeholders=True, start="start")


@lru_cache(maxsize=2)
def parser(language: str = "en") -> Lark:
    """The parser of a surface (surface.py), with its LALR tables from the cache folder when
    they are stored there.

    Building the tables takes about a third of a second; loading them a few ms. Lark's own
    cache is not used (`cache=False`): it unpickles its file before checking it and falls back
    to a fixed name in the shared temporary folder. The tables are stored instead as a
    signed entry of cache.py, which is checked before it is unpickled.
    """
    import hashlib
    import io

    from lark import __version__ as lark_version

    from . import cache

    text = grammar_text() if language == surface.ENGLISH else surface.swedish_grammar(grammar_text())
    digest = hashlib.sha256(repr((text, lark_version, sorted(_OPTIONS.items()))).encode("utf-8")).hexdigest()
    name = f"grammar-{digest[:32]}.lark"
    stored = cache.read_entry(name) if cache.folder() is not None else None
    if stored is not None:
        try:
            return Lark.load(io.BytesIO(stored))
        except Exception:  # a stored table from a Lark that reads it differently: build it again
            pass
    built = Lark(text, cache=False, **_OPTIONS)
    if cache.folder() is not None:
        tables = io.BytesIO()
        built.save(tables)
        cache.write_entry(name, tables.getvalue())
    return built


# ---- readable names for what the parser expected -----------------------------------------

TERMINAL_WORDS = {
    "NAME": N_("a name"),
    "STRING": N_('a text in double quotes ("…")'),
    "INT": N_("a number"),
    "DATE": N_("a date (YYYY-MM-DD)"),
    "FINDING_ID": N_("a finding id (`COL-1a2b3c4d`)"),
    "SFS_REF": N_("an SFS number (`SFS 2020:575`)"),
    "PROP_REF": N_("a proposition (`prop. 2019/20:123`)"),
    "CHAPTER": N_("a chapter (`10 kap.`)"),
    "CHAPTER_RANGE": N_("a range of chapters (`21–40 kap.`)"),
    "SHORT_REF": N_("a short citation (`10:18`)"),
    "SECTION": "`§`",
    "SECTIONS": "`§§`",
    "LETTER": N_("a paragraph letter"),
    "ORDINAL": N_("an ordinal (`första`)"),
    "COMMA": "`,`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "COLON": "`:`",
    "EQUAL": "`=`",
    "DOTS": "`..`",
    "$END": N_("the end of the file"),
    "DASH": "`–`",
    "OCH": "`och`",
    "SAMT": "`samt`",
    "ST": "`st.`",
    "P": "`p.`",
    "STYCKET": "`stycket`",
    "PUNKTEN": "`punkten`",
}


def describe_terminal(name: str, language: str = surface.ENGLISH) -> str:
    if name in TERMINAL_WORDS:
        return TERMINAL_WORDS[name]  # in English: said in the reader's language by reports/check.py
    try:
        pattern = parser(language).get_terminal(name).pattern
        if pattern.type == "str":
            return f"`{surface.describe_phrase(pattern.value, language)}`"
        english = parser().get_terminal(name).pattern  # a keyword of several words: its phrase
        if english.type == "str":
            return f"`{surface.phrases(language).get(english.value, english.value)}`"
    except (KeyError, AttributeError):
        pass
    return f"`{name.lower()}`"


def expected_words(expected, language: str = surface.ENGLISH) -> tuple[str, ...]:
    words = sorted({describe_terminal(t, language) for t in expected if not t.startswith("__")})
    return tuple(words)


# ---- the transformer -------------------------------------------------------------------------

class CitationError(Exception):
    """A token the grammar accepts but the language does not: a malformed citation (code
    `citation`) or a date that is not in the calendar (code `date`)."""

    def __init__(self, message: str, token: Token | None, help: str | None = None, code: str = "citation"):
        super().__init__(message)
        self.message = message
        self.token = token
        self.help = help
        self.code = code


# the tree holds a modality, verdict or certainty in its English word, whatever the surface
CANONICAL = {k.swedish: k.english for k in surface.KEYWORDS}

CMP_NORMAL = {"=": "=", "!=": "!=", "≠": "!=", "<=": "<=", "≤": "<=", ">=": ">=", "≥": ">=", "<": "<", ">": ">"}


@v_args(meta=True)
class ToSyntax(Transformer):
    """Lark tree → syntax.py nodes. One method per grammar rule."""

    def DATE(self, tok: Token) -> Token:
        """A date must be one of the calendar's: 2020-02-30 is a syntax error, not a day."""
        import datetime

        try:
            datetime.date.fromisoformat(str(tok))
        except ValueError:
            raise CitationError(sentence('`{tok}` is not a date in the calendar', tok=tok), tok,
                                help=sentence('write a real date as YYYY-MM-DD, for example 2020-08-01'), code="date") from None
        if str(tok) < "1000-01-01":
            raise CitationError(sentence('`{tok}` is not a date a law can bear', tok=tok), tok,
                                help=sentence('write the year in full, for example 2020-08-01'), code="date")
        return tok

    def __init__(self, source: SourceFile):
        super().__init__()
        self.source = source

    # spans
    def span(self, meta) -> Span:
        if getattr(meta, "empty", True):
            return Span(self.source, 0, 0, 1, 1)
        return Span(self.source, meta.start_pos, meta.end_pos, meta.line, meta.column,
                    meta.end_line, meta.end_column)

    def tok_span(self, tok: Token) -> Span:
        return Span(self.source, tok.start_pos, tok.end_pos, tok.line, tok.column,
                    tok.end_line, tok.end_column)

    def name(self, tok: Token) -> s.Name:
        return s.Name(str(tok), self.tok_span(tok))

    @staticmethod
    def string(tok: Token | None) -> str | None:
        if tok is None:
            return None
        body = str(tok)[1:-1]
        return re.sub(r"\\(.)", r"\1", body)

    # items
    def start(self, meta, items):
        return tuple(items)

    def law_decl(self, meta, c):
        return s.LawDecl(self.name(c[0]), self.string(c[1]), self.span(meta))

    def outside_decl(self, meta, c):
        return s.OutsideScope(c[0], self.string(c[1]), self.span(meta))

    def enum_decl(self, meta, c):
        name, description, *values = c
        values = tuple(v for v in values if v is not None)
        return s.EnumDecl(self.name(name), self.string(description), values, self.span(meta))

    def enum_value(self, meta, c):
        return s.EnumValue(self.name(c[0]), self.string(c[1]), self.span(meta))

    def fact_decl(self, meta, c):
        return s.FactDecl(self.name(c[0]), c[1], self.string(c[2]), self.span(meta))

    def bool_type(self, meta, c):
        return s.BoolTypeSyntax(self.span(meta))

    def int_type(self, meta, c):
        return s.IntRangeSyntax(int(c[0]), int(c[1]), self.span(meta))

    def named_type(self, meta, c):
        return s.NamedTypeSyntax(self.name(c[0]), self.span(meta))

    def assume_decl(self, meta, c):
        return s.Assumption(self.string(c[0]), c[1], self.span(meta))

    def action_decl(self, meta, c):
        default = c[3] if len(c) > 3 else None
        return s.ActionDecl(self.name(c[0]), self.string(c[1]), default, self.span(meta))

    def provision(self, meta, c):
        from dataclasses import replace

        return replace(c[1], span=self.span(meta))

    def provision_body(self, meta, c):
        cites, title, provenance, modality, action, _when, condition, *rest = c
        overrides = tuple(x for x in rest[:-1] if x is not None)
        excepts = rest[-1] if rest and rest[-1] is not None else ()
        citation = header_citation(cites, self)
        return s.ProvisionDecl(
            citation, self.string(title), provenance or s.Provenance(), modality,
            self.name(action), condition, overrides, excepts, self.span(meta),
        )

    def amendment_decl(self, meta, c):
        _kw, title, provenance, law = c
        return s.AmendmentDecl(self.string(title), provenance or s.Provenance(), self.name(law), self.span(meta))

    def reads_decl(self, meta, c):
        return s.ReadsDecl(self.name(c[1]), self.name(c[2]), self.string(c[3]), self.string(c[4]), self.span(meta))

    def accept_decl(self, meta, c):
        return s.AcceptDecl(str(c[1]), self.string(c[2]), self.span(meta))

    def insert_op(self, meta, c):
        return s.InsertOp(c[1], self.span(meta))

    def reword_op(self, meta, c):
        return s.RewordOp(c[1], self.span(meta))

    def repeal_op(self, meta, c):
        return s.RepealOp(c[1], self.span(meta))

    def contract_unchanged(self, meta, c):
        return s.ContractDecl("unchanged", condition=c[1], span=self.span(meta))

    def contract_widens(self, meta, c):
        return s.ContractDecl("widens", action=self.name(c[1]), span=self.span(meta))

    def contract_narrows(self, meta, c):
        return s.ContractDecl("narrows", action=self.name(c[1]), span=self.span(meta))

    def provenance(self, meta, items):
        sfs, props, in_force, certainty, notes = None, [], None, None, []
        for kind, value, tok in items:
            if kind == "sfs":
                if sfs is not None:
                    raise CitationError(sentence('a provision has one SFS number for its wording'), tok,
                                        help=sentence('list the preparatory works with `prop.` instead'))
                sfs = " ".join(value.split())
            elif kind == "prop":
                props.append(" ".join(value.split()))
            elif kind == "in_force":
                in_force = value
            elif kind == "certainty":
                certainty = value
            else:
                notes.append(value)
        return s.Provenance(sfs, tuple(props), in_force, certainty, tuple(notes), self.span(meta))

    def prov_sfs(self, meta, c):
        return ("sfs", str(c[0]), c[0])

    def prov_prop(self, meta, c):
        return ("prop", str(c[0]), c[0])

    def prov_in_force(self, meta, c):
        return ("in_force", str(c[0]), c[0])

    def prov_certainty(self, meta, c):
        return ("certainty", c[0], None)

    def prov_note(self, meta, c):
        return ("note", self.string(c[0]), c[0])

    def override_modality(self, meta, c):
        within = c[2] if c[2] is not None else ()
        return s.ModalityOverride(c[1], within, self.span(meta))

    def override_citations(self, meta, c):
        return s.CitationOverride(c[1], self.span(meta))

    def except_clause(self, meta, c):
        return c[1]

    def cite_seq(self, meta, tokens):
        return selectors_from_tokens(list(tokens), self)

    def modality(self, meta, c):
        return CANONICAL.get(str(c[0]), str(c[0]))

    def verdict(self, meta, c):
        return CANONICAL.get(str(c[0]), str(c[0]))

    def certainty(self, meta, c):
        return CANONICAL.get(str(c[0]), str(c[0]))

    def cmp_op(self, meta, c):
        return CMP_NORMAL[str(c[0])]

    # expressions
    def iff(self, meta, c):
        return s.Iff(c[0], c[1], self.span(meta))

    def implies(self, meta, c):
        return s.Implies(c[0], c[1], self.span(meta))

    def or_(self, meta, c):
        return s.Or(tuple(c), self.span(meta))

    def and_(self, meta, c):
        return s.And(tuple(c), self.span(meta))

    def not_(self, meta, c):
        return s.Not(c[0], self.span(meta))

    def compare(self, meta, c):
        return s.Compare(c[1], c[0], c[2], self.span(meta))

    def in_set(self, meta, c):
        return s.InSet(c[0], c[1], False, self.span(meta))

    def not_in_set(self, meta, c):
        return s.InSet(c[0], c[1], True, self.span(meta))

    def value_list(self, meta, c):
        return tuple(x for x in c if x is not None)

    def name_ref(self, meta, c):
        return s.NameRef(str(c[0]), self.tok_span(c[0]))

    def int_lit(self, meta, c):
        return s.IntLit(int(c[0]), self.tok_span(c[0]))

    def true_lit(self, meta, c):
        return s.BoolLit(True, self.tok_span(c[0]))

    def false_lit(self, meta, c):
        return s.BoolLit(False, self.tok_span(c[0]))

    def applies(self, meta, c):
        return s.Applies(c[1], self.span(meta))

    def applies_modality(self, meta, c):
        return s.AppliesModality(c[1], c[2] if c[2] is not None else (), self.span(meta))

    # goals and examples
    def goal(self, meta, c):
        _kw, title, expected, body = c
        until, reason = expected if expected is not None else (None, None)
        return s.GoalDecl(
            self.string(title), body["kind"], body["action"], body["verdicts"], body["negated"],
            body["condition"], expected is not None, self.string(reason), until,
            self.span(meta),
        )

    def expected_failure(self, meta, c):
        _until_kw, date, reason = c
        return (str(date) if date is not None else None, reason)

    def goal_all(self, meta, c):
        action, (negated, verdicts), _kw, condition = c
        return {"kind": "all", "action": self.name(action), "verdicts": verdicts,
                "negated": negated, "condition": condition}

    def goal_some(self, meta, c):
        _kw, action, (negated, verdicts), _when, condition = c
        return {"kind": "some", "action": self.name(action), "verdicts": verdicts,
                "negated": negated, "condition": condition}

    def verdict_set(self, meta, c):
        negation, *verdicts = c
        return (negation is not None, tuple(verdicts))

    def negation(self, meta, c):
        return True

    def example(self, meta, c):
        _kw, title, _from, since, _until, until, _given_kw, given, *expectations = c
        return s.ExampleDecl(self.string(title), given or (), tuple(expectations),
                             str(since) if since else None, str(until) if until else None, self.span(meta))

    def given_list(self, meta, c):
        return tuple(c)

    def given_value(self, meta, c):
        return s.Given(self.name(c[0]), c[1], self.span(meta))

    def given_true(self, meta, c):
        return s.Given(self.name(c[0]), s.BoolLit(True, self.tok_span(c[0])), self.span(meta))

    def given_false(self, meta, c):
        return s.Given(self.name(c[0]), s.BoolLit(False, self.tok_span(c[0])), self.span(meta))

    def expectation(self, meta, c):
        return s.Expectation(self.name(c[1]), c[2], self.span(meta))


# ---- citation lists --------------------------------------------------------------------------

SEPARATORS = {"COMMA", "OCH", "SAMT"}
RANGE_MARKS = {"DASH", "DOTS"}


def _number(tok: Token) -> int:
    return int(re.match(r"\d+", str(tok)).group())


class _Cursor:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.i = 0

    def peek(self, k: int = 0) -> Token | None:
        j = self.i + k
        return self.tokens[j] if j < len(self.tokens) else None

    def kind(self, k: int = 0) -> str | None:
        tok = self.peek(k)
        return tok.type if tok is not None else None

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok


def _paragraph(cur: _Cursor) -> tuple[int, str]:
    tok = cur.take()
    letter = ""
    if cur.kind() == "LETTER":
        letter = str(cur.take())
    return (int(tok), letter)


def _stycke_punkt(cur: _Cursor) -> tuple[int | None, int | None]:
    stycke = punkt = None
    if cur.kind() == "ORDINAL" and cur.kind(1) == "STYCKET":
        stycke = ORDINAL_NUMBER[str(cur.take())]
        cur.take()
    elif cur.kind() == "INT" and cur.kind(1) == "ST":
        stycke = int(cur.take())
        cur.take()
    if cur.kind() == "ORDINAL" and cur.kind(1) == "PUNKTEN":
        punkt = ORDINAL_NUMBER[str(cur.take())]
        cur.take()
    elif cur.kind() == "INT" and cur.kind(1) == "P":
        punkt = int(cur.take())
        cur.take()
    return stycke, punkt


def _law_suffix(cur: _Cursor) -> str | None:
    if cur.kind() == "NAME" and cur.kind(1) != "SHORT_REF":
        return str(cur.take())
    return None


def selectors_from_tokens(tokens: list[Token], tx: ToSyntax) -> tuple[s.SelectorSyntax, ...]:
    """Read a statute-style citation list into selector items.

    `24 kap. 2 a och 8 §§, 25 kap. 1–8 §§, OSL 26:1` → five items; the law named after a
    group (`… §§ OSL`) applies to every item of that group.
    """
    cur = _Cursor(tokens)
    items: list[s.SelectorSyntax] = []

    def span_of(first: Token, last: Token) -> Span:
        return Span(tx.source, first.start_pos, last.end_pos, first.line, first.column,
                    last.end_line, last.end_column)

    while cur.peek() is not None:
        first = cur.peek()
        group: list[tuple[dict, Token, Token]] = []
        if first.type == "NAME" and cur.kind(1) == "SHORT_REF":
            law = str(cur.take())
            ref = cur.take()
            chapter, number = (int(x) for x in str(ref).split(":"))
            letter = str(cur.take()) if cur.kind() == "LETTER" else ""
            low = high = (number, letter)
            if cur.kind() in RANGE_MARKS:
                cur.take()
                end = cur.peek()
                if end is None or end.type not in ("INT", "SHORT_REF"):
                    raise CitationError(sentence('expected the last paragraph of the range'), end or ref)
                cur.take()
                if end.type == "SHORT_REF":
                    end_chapter, end_number = (int(x) for x in str(end).split(":"))
                    if end_chapter != chapter:
                        raise CitationError(sentence('a range of paragraphs cannot cross chapters'), end,
                                            help=sentence('write `{chapter}–{end_chapter} kap.` for whole chapters', chapter=chapter, end_chapter=end_chapter))
                else:
                    end_number = int(end)
                high = (end_number, str(cur.take()) if cur.kind() == "LETTER" else "")
            stycke, punkt = _stycke_punkt(cur)
            last = cur.tokens[cur.i - 1]
            items.append(s.SelectorSyntax(law, (chapter, chapter), (low, high), stycke, punkt,
                                          span_of(first, last)))
        elif first.type == "CHAPTER_RANGE":
            cur.take()
            low, high = (int(x) for x in re.findall(r"\d+", str(first)))
            if low > high:
                raise CitationError(sentence('the chapter range `{first}` runs backwards', first=first), first)
            law = _law_suffix(cur)
            items.append(s.SelectorSyntax(law, (low, high), None, span=span_of(first, cur.tokens[cur.i - 1])))
        elif first.type in ("CHAPTER", "INT"):
            chapter = None
            if first.type == "CHAPTER":
                cur.take()
                chapter = _number(first)
                if cur.kind() != "INT":
                    law = _law_suffix(cur)
                    items.append(s.SelectorSyntax(law, (chapter, chapter), None,
                                                  span=span_of(first, cur.tokens[cur.i - 1])))
                    if cur.peek() is not None:
                        if cur.kind() not in SEPARATORS:
                            raise CitationError(sentence('unexpected `{peek}` in a citation', peek=cur.peek()), cur.peek())
                        cur.take()
                        if cur.peek() is None:
                            raise CitationError(sentence('the citation list ends with a separator'), cur.tokens[-1])
                    continue
            closed = False
            while True:
                start_tok = cur.peek()
                if start_tok is None or start_tok.type != "INT":
                    raise CitationError(sentence('expected a paragraph number'), start_tok or cur.tokens[-1])
                low = _paragraph(cur)
                high = low
                if cur.kind() in RANGE_MARKS:
                    cur.take()
                    if cur.kind() != "INT":
                        raise CitationError(sentence('expected the last paragraph of the range'),
                                            cur.peek() or cur.tokens[-1])
                    high = _paragraph(cur)
                    if high < low:
                        raise CitationError(sentence('this range of paragraphs runs backwards'), start_tok)
                stycke = punkt = None
                closed = False
                if cur.kind() in ("SECTION", "SECTIONS"):
                    cur.take()
                    closed = True
                    stycke, punkt = _stycke_punkt(cur)
                if (stycke or punkt) and low != high:
                    raise CitationError(sentence('a stycke or punkt belongs to one paragraph, not a range'), start_tok)
                group.append(({"chapter": chapter, "low": low, "high": high,
                               "stycke": stycke, "punkt": punkt}, start_tok, cur.tokens[cur.i - 1]))
                if cur.kind() in SEPARATORS and cur.kind(1) == "INT" and not (
                        cur.kind(2) in ("ST", "P")):
                    cur.take()
                    continue
                break
            if not closed:
                bad = cur.peek() or cur.tokens[cur.i - 1]
                raise CitationError(sentence('expected `§` or `§§` after the paragraph numbers'), bad,
                                    help=sentence('write paragraphs as the statute does: `26 kap. 1 §`, `24 kap. 2 a och 8 §§`'))
            law = _law_suffix(cur)
            group_end = cur.tokens[cur.i - 1]
            for index, (fields, a, b) in enumerate(group):
                ch = fields["chapter"]
                start = first if index == 0 else a  # the first item's text includes `26 kap.`
                end = group_end if index == len(group) - 1 else b  # the last one's, the law's name
                items.append(s.SelectorSyntax(
                    law, (ch, ch) if ch is not None else None, (fields["low"], fields["high"]),
                    fields["stycke"], fields["punkt"], span_of(start, end)))
        else:
            raise CitationError(sentence('unexpected `{first}` in a citation', first=first), first,
                                help=sentence('a citation looks like `10 kap. 18 a §`, `OSL 10:18 a` or `26 kap. 1–6 §§`'))
        if cur.peek() is not None:
            if cur.kind() not in SEPARATORS:
                raise CitationError(sentence('unexpected `{peek}` in a citation list', peek=cur.peek()), cur.peek(),
                                    help=sentence('separate citations with `,`, `och` or `samt`'))
            cur.take()
            if cur.peek() is None:
                raise CitationError(sentence('the citation list ends with a separator'), cur.tokens[-1])
    return tuple(items)


def header_citation(items: tuple[s.SelectorSyntax, ...], tx: ToSyntax) -> s.CitationSyntax:
    """A provision's own citation: exactly one paragraph, optionally a stycke or punkt."""
    if len(items) != 1 or items[0].paragraphs is None or items[0].paragraphs[0] != items[0].paragraphs[1]:
        first = items[0].span if items else None
        raise CitationError(sentence('a provision is cited as exactly one paragraph, like `10 kap. 18 a §`'),
                            _FakeToken(first) if first else None)
    item = items[0]
    number, letter = item.paragraphs[0]
    chapter = item.chapters[0] if item.chapters else None
    return s.CitationSyntax(item.law, chapter, number, letter, item.stycke, item.punkt, item.span)


class _FakeToken:
    """Adapter so a span can be reported like a token."""

    def __init__(self, span: Span):
        self.line, self.column = span.line, span.column
        self.start_pos, self.end_pos = span.start, span.end
        self.value = span.text()

    def __str__(self):
        return self.value


# ---- entry points ----------------------------------------------------------------------------

def _tree_depth_problem(tree: Tree) -> Tree | None:
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return node
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, depth + 1))
    return None


def parse_source(source: SourceFile, language: str | None = None) -> s.SpecFile:
    """Parse one file; raise SpecErrors with every syntax error found. With `language`, the
    text is a part of a file whose declaration was read already (the language server's
    parts), in that surface."""
    if not source.text.strip():
        return s.SpecFile(source, ())
    long_lines = _long_lines(source)
    if long_lines:
        raise SpecErrors(long_lines)
    if language is None:
        declaration = surface.read_declaration(source)
    else:
        declaration = surface.Declaration(language, False, source.text)
    language, text = declaration.language, declaration.text
    if not text.strip():
        return s.SpecFile(source, (), language, declaration.declared)
    try:
        tree = parser(language).parse(text)
    except UnexpectedInput:
        raise SpecErrors(_all_syntax_errors(source, declaration)) from None
    deep = _tree_depth_problem(tree)
    if deep is not None:
        meta = deep.meta
        span = Span(source, getattr(meta, "start_pos", 0), getattr(meta, "end_pos", 0),
                    getattr(meta, "line", 1), getattr(meta, "column", 1))
        raise SpecErrors([Diagnostic("nesting", sentence('this condition is nested more than {levels} levels deep', levels=MAX_NESTING),
                                     span, help=sentence('split it into simpler conditions'))])
    try:
        items = ToSyntax(source).transform(tree)
    except VisitError as err:
        if isinstance(err.orig_exc, CitationError):
            # read the file item by item, so every such error in it is reported in one run
            raise SpecErrors(_all_syntax_errors(source, declaration)
                             or [_citation_diagnostic(source, err.orig_exc)]) from None
        raise
    return s.SpecFile(source, items, language, declaration.declared)


def _long_lines(source: SourceFile) -> list[Diagnostic]:
    """A diagnostic for every line longer than MAX_LINE_CHARS, found without the parser
    (whose time on such a line is what the limit bounds)."""
    out = []
    start = 0
    for line, text in enumerate(source.text.split("\n"), 1):  # linear: a regex for long runs is not
        if len(text) <= MAX_LINE_CHARS:
            start += len(text) + 1
            continue
        out.append(Diagnostic("long-line", sentence('this line is {count:,} characters long; a line of a spec may hold at most {most:,}', count=len(text), most=MAX_LINE_CHARS),
                              Span(source, start + MAX_LINE_CHARS, start + MAX_LINE_CHARS + 1, line,
                                   MAX_LINE_CHARS + 1),
                              help=sentence('shorten the text, or break the item over several lines (a condition may continue on the next line; a text in quotes may not)')))
        start += len(text) + 1
    return out


def _citation_diagnostic(source: SourceFile, err: CitationError) -> Diagnostic:
    tok = err.token
    if tok is None:
        span = Span(source, 0, 0, 1, 1)
    else:
        span = Span(source, tok.start_pos, tok.end_pos, tok.line, tok.column)
    return Diagnostic(err.code, err.message, span, help=err.help)


def _chunks(text: str, language: str = surface.ENGLISH) -> list[tuple[int, int, str]]:
    """Split text at lines that begin an item: (offset, first line, chunk text)."""
    starts = [0]
    offset = 0
    pattern = re.compile(r"\s*(" + "|".join(surface.item_keywords(language)) + r")\b")
    for line in re.findall(r"[^\n]*\n|[^\n]+", text):  # lines end at LF only, as for Lark (source.py)
        if offset and pattern.match(line):
            starts.append(offset)
        offset += len(line)
    starts.append(len(text))
    chunks = []
    line = 1
    for a, b in zip(starts, starts[1:]):  # lines counted chunk by chunk: from the start each time was quadratic
        chunk = text[a:b]
        chunks.append((a, line, chunk))
        line += chunk.count("\n")
    return chunks


def _all_syntax_errors(source: SourceFile, declaration: surface.Declaration) -> list[Diagnostic]:
    diagnostics = []
    language = declaration.language
    for offset, first_line, chunk in _chunks(declaration.text, language):
        if not chunk.strip():
            continue
        try:
            tree = parser(language).parse(chunk)
            deep = _tree_depth_problem(tree)
            if deep is not None:  # too deep to transform: say so, at the chunk's place
                meta = deep.meta
                start = offset + getattr(meta, "start_pos", 0)
                diagnostics.append(Diagnostic(
                    "nesting", sentence('this condition is nested more than {levels} levels deep', levels=MAX_NESTING),
                    Span(source, start, offset + getattr(meta, "end_pos", 0),
                         first_line + getattr(meta, "line", 1) - 1, getattr(meta, "column", 1)),
                    help=sentence('split it into simpler conditions')))
                continue
            ToSyntax(SourceFile(source.path, chunk)).transform(tree)
        except UnexpectedInput as err:
            diagnostics.append(_syntax_diagnostic(source, err, offset, first_line, chunk, declaration))
        except VisitError as err:
            if isinstance(err.orig_exc, CitationError):
                shifted = _shift_token(err.orig_exc.token, offset, first_line)
                diagnostics.append(_citation_diagnostic(
                    source, CitationError(err.orig_exc.message, shifted, err.orig_exc.help, err.orig_exc.code)))
            else:
                raise
    if not diagnostics:  # the whole failed but every part parsed: report the whole's error
        try:
            parser(language).parse(declaration.text)
        except UnexpectedInput as err:
            diagnostics.append(_syntax_diagnostic(source, err, 0, 1, declaration.text, declaration))
    return diagnostics


def _shift_token(tok, offset: int, first_line: int):
    if tok is None:
        return None

    class Shifted:
        pass

    out = Shifted()
    out.start_pos = tok.start_pos + offset
    out.end_pos = tok.end_pos + offset
    out.line = tok.line + first_line - 1
    out.column = tok.column
    out.value = str(tok)
    return out


SYNTAX_HINTS = (
    (re.compile(r"^==$"), N_("use `=` to compare, not `==`")),
    (re.compile(r"^&&?$"), N_("write `and` instead of `&&`")),
    (re.compile(r"^\|\|?$"), N_("write `or` instead of `||`")),
    (re.compile(r"^!$"), N_("write `not` instead of `!`")),
    (re.compile(r"^'"), N_('texts are written in double quotes: "…"')),
)


def _syntax_diagnostic(source: SourceFile, err: UnexpectedInput, offset: int, first_line: int,
                       chunk: str, declaration: surface.Declaration) -> Diagnostic:
    language = declaration.language
    line = getattr(err, "line", 1)
    column = getattr(err, "column", 1)
    if isinstance(err, UnexpectedEOF) or line in (None, -1):
        lines = chunk.rstrip().split("\n")
        line, column = len(lines), len(lines[-1]) + 1
    pos = getattr(err, "pos_in_stream", None)
    if pos is None or pos < 0:
        pos = len(chunk.rstrip())
    abs_line = line + first_line - 1
    start = offset + pos
    help_text = None
    if isinstance(err, UnexpectedCharacters):
        bad = chunk[pos:pos + 2] if pos < len(chunk) else ""
        char = chunk[pos] if pos < len(chunk) else ""
        width = 1
        expected = expected_words(err.allowed or (), language)
        message = sentence("unexpected character `{char}`", char=char) if char.strip() else sentence("unexpected character")
        for pattern, hint in SYNTAX_HINTS:
            if pattern.match(bad) or pattern.match(char):
                help_text = Words(hint).localised(functools.partial(surface.localise_code, source=source))
                break
    elif isinstance(err, UnexpectedToken):
        tok = err.token
        text = str(tok)
        width = max(1, len(text))
        expected = expected_words(err.accepts or err.expected or (), language)
        if tok.type == "$END":
            at_end = offset + len(chunk) >= len(source.text.rstrip())
            message = sentence("the file ends in the middle of an item") if at_end else sentence("this item is incomplete")
            width = 1
        else:
            message = sentence("unexpected `{text}`", text=text)
        before = chunk[pos - 1] if 0 < pos <= len(chunk) else ""
        for pattern, hint in SYNTAX_HINTS:
            if pattern.match(text) or pattern.match(before + text):
                help_text = Words(hint).localised(functools.partial(surface.localise_code, source=source))
        help_text = help_text or _other_surface(text, declaration) or _hint_for_expected(err, expected, language)
    else:
        width = 1
        expected = expected_words(getattr(err, "expected", ()) or (), language)
        message = sentence("the file ends in the middle of an item")
    if expected and help_text is None and len(expected) <= 4:
        help_text = None
    width += _rest_of_phrase(help_text, chunk, pos + width)
    span = Span(source, start, start + width, abs_line, column)
    return Diagnostic("syntax", message, span, help=help_text, expected=expected)


def _keyword_meant(word: str, accepts: set[str], language: str = surface.ENGLISH) -> str | None:
    """The keyword a misspelt word most likely was: among the keywords the parser accepts
    here (and the words that begin an item, where an item may begin), in the file's surface."""
    if not re.fullmatch(r"[^\W\d]\w*", word):
        return None
    keywords = set()
    for name in accepts:
        described = describe_terminal(name, language)
        if (re.fullmatch(r"`[^\W\d_][\w ]*`", described) and name not in TERMINAL_WORDS
                and not name.startswith("__")):
            keywords.add(described.strip("`"))
    items = set(surface.item_keywords(language))
    if "$END" in accepts or {k.split()[0] for k in keywords} & items:
        keywords |= items
    keywords.discard(word)
    # a phrase of several words is matched by its first word: `gå före` means `går före`,
    # and `går förre` (whose first word is right) means it too
    firsts = {k.split()[0]: k for k in keywords if " " in k}
    if word in firsts:
        return firsts[word]
    candidates = {k for k in keywords if " " not in k} | set(firsts)
    candidates.discard(word)
    match = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.75)
    return firsts.get(match[0], match[0]) if match else None


def _rest_of_phrase(help_text: str | None, chunk: str, after: int) -> int:
    """How far past a misspelt first word the span reaches when the suggestion is a phrase:
    over the words that follow and look like the phrase's others (`gå före`, `går förre`), so
    that the suggestion replaces the whole (the editor's "change to" does)."""
    m = re.search(r"`([^`]+)`\?$", help_text or "") if is_suggestion(help_text) else None
    if m is None or " " not in m.group(1):
        return 0
    reach = 0
    for wanted in m.group(1).split()[1:]:
        word = re.match(r"[ \t]+([^\W\d]\w*)", chunk[after + reach:])
        if word is None or difflib.SequenceMatcher(None, word.group(1), wanted).ratio() < 0.6:
            break
        reach += word.end()
    return reach


def _other_surface(word: str, declaration: surface.Declaration) -> str | None:
    """Help for a keyword of the other surface: a file uses one set of keywords."""
    if declaration.language == surface.SWEDISH:
        meant = surface.translate_word(word, surface.SWEDISH)
        if meant:
            return sentence("`{word}` is an English keyword, but this file is written with the Swedish ones "
                     "(`språk sv`, line {line}): write {meant}", word=word, line=declaration.line, meant=meant)
    else:
        meant = surface.translate_word(word, surface.ENGLISH)
        if meant:
            return sentence("`{word}` is a Swedish keyword, but this file is written with the English ones: write "
                     "{meant}, or declare the Swedish keywords with `språk sv` as the file's first line", word=word, meant=meant)
    return None


def _hint_for_expected(err: UnexpectedToken, expected: tuple[str, ...],
                       language: str = surface.ENGLISH) -> str | None:
    accepts = set(err.accepts or err.expected or ())
    tok = err.token
    meant = _keyword_meant(str(tok), accepts, language)
    if meant is not None:
        return sentence("did you mean `{name}`?", name=meant)
    words = surface.phrases(language)
    if accepts == {"STRING"} or ("STRING" in accepts and len(accepts) <= 2):
        if language == surface.SWEDISH:
            return sentence('add a description in double quotes, like `"vad det betyder"`')
        return sentence('add a description in double quotes, like `"what this means"`')
    if tok.type == "NAME" and "COLON" in accepts:
        return sentence("a fact is declared as `{fact} name: type \"description\"`", fact=words['fact'])
    if "MODALITY" in accepts or {"FORBID", "PERMIT", "OBLIGE"} <= accepts:
        return sentence("a provision says `{forbid}`, `{permit}` or `{oblige}`, then the action", forbid=words['forbid'], permit=words['permit'], oblige=words['oblige'])
    return None


def parse_text(text: str, path: str = "<input>") -> s.SpecFile:
    return parse_source(SourceFile(path, text))


def parse_citation(text: str) -> s.CitationSyntax:
    """Parse a citation given on the command line, in either form."""
    spec = f'outside scope {text} ""'
    source = SourceFile("<citation>", spec)
    try:
        parsed = parse_source(source)
    except SpecErrors:
        raise SpecErrors([Diagnostic("citation", sentence('`{text}` is not a citation', text=text),
                                     help=sentence('write it like `10 kap. 18 a §` or `OSL 10:18 a`'))]) from None
    items = parsed.items[0].selectors if parsed.items else ()
    if len(items) != 1 or items[0].paragraphs is None or items[0].paragraphs[0] != items[0].paragraphs[1]:
        raise SpecErrors([Diagnostic("citation", sentence('`{text}` names more than one paragraph', text=text))])
    item = items[0]
    number, letter = item.paragraphs[0]
    return s.CitationSyntax(item.law, item.chapters[0] if item.chapters else None, number, letter,
                            item.stycke, item.punkt)
