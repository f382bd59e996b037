"""The surfaces of the language: its keywords in English (the grammar's own) and in Swedish.

Owns the keyword table (every keyword and operator word of grammar/legalmodel.lark, with the
Swedish phrase for it), the Swedish grammar derived from the English one by that table, the
file's language declaration (`språk sv`, `language en`), and the words each surface reserves.

A surface changes words only: both grammars have the same rules, so a file parses to the
same syntax tree in either, and `fmt --to` converts between them by printing that tree with
the other table (format.py). The Swedish grammar is derived from the English grammar text,
not kept beside it, so a rule added to the grammar is in both surfaces at once; a keyword
the table lacks stays English in Swedish files until the table gains it (a test fails).
"""

from __future__ import annotations

import functools
import re
from functools import lru_cache

from ..i18n import Words, sentence
from ..frozen import frozen_dataclass

ENGLISH = "en"
SWEDISH = "sv"
LANGUAGES = (ENGLISH, SWEDISH)


@frozen_dataclass(slots=True)
class Keyword:
    """One keyword or operator phrase: as the English grammar writes it, in Swedish, and why
    that Swedish word (for the language reference's table)."""

    english: str
    swedish: str
    why: str


# In the order of docs/language.md. A phrase of several words is one keyword: the formatter
# writes it whole, and a drafter may not put a comment between its words.
KEYWORDS: tuple[Keyword, ...] = (
    Keyword("language", "språk", "the declaration that picks the surface: `språk sv`"),
    Keyword("law", "lag", "the statute's own word"),
    Keyword("enum", "uppräkning", "a list of the values a fact can take, as a statute enumerates them"),
    Keyword("fact", "faktum", "a circumstance the rules turn on; shorter than `omständighet`"),
    Keyword("bool", "ja/nej", "what a drafter calls a question answered yes or no"),
    Keyword("assume", "antag", "imperative, as in a proof: `antag att …`"),
    Keyword("action", "handling", "the act the rules decide on"),
    Keyword("default", "annars", "the verdict where no provision decides: `annars tillåten`"),
    Keyword("provision", "bestämmelse", "the drafter's word for a rule of a statute"),
    Keyword("forbid", "förbjuder", "the provision speaks: `förbjuder lämna_uppgift när …`"),
    Keyword("permit", "tillåter", "as `sekretess hindrar inte` reads: the act is allowed"),
    Keyword("oblige", "ålägger", "a duty, as `ska lämna` imposes one"),
    Keyword("when", "när", "the condition of a provision"),
    Keyword("overrides", "går före", "the usual phrase for one rule prevailing over another"),
    Keyword("except", "utom", "`utom 26 kap. 1–6 §§`, as the statute lists its exceptions"),
    Keyword("in force", "i kraft", "`i kraft 2025-04-01`, from `träder i kraft`"),
    Keyword("verified", "kontrollerad", "checked against the statute text"),
    Keyword("summary", "sammanfattad", "taken from an official summary"),
    Keyword("unverified", "okontrollerad", "not checked"),
    Keyword("outside scope", "utanför modellen", "what the spec leaves out on purpose"),
    Keyword("in", "i", "set membership, `mottagare i {…}`, and `går före förbjuder i 26 kap.`"),
    Keyword("and", "och", "plain Swedish; inside citations `och` still joins paragraphs"),
    Keyword("or", "eller", "plain Swedish"),
    Keyword("not", "inte", "plain Swedish; `¬` as in English"),
    Keyword("implies", "medför", "`a medför b`, as in `medför att`"),
    Keyword("iff", "precis när", "`a precis när b`: a holds exactly when b does"),
    Keyword("true", "sant", "the truth values of logic in Swedish"),
    Keyword("false", "falskt", "the truth values of logic in Swedish"),
    Keyword("applies", "gäller", "as statutes ask it: `om sekretess gäller enligt 26 kap. 1 §`"),
    Keyword("goal", "mål", "what the law is meant to achieve"),
    Keyword("expected to fail", "väntas inte uppnås", "`mål … väntas inte uppnås till 2020-08-01`"),
    Keyword("until", "till", "up to a date, not including it"),
    Keyword("is", "är", "`lämna_uppgift är tillåten`"),
    Keyword("whenever", "alltid när", "a goal over every situation where the condition holds"),
    Keyword("possibly", "möjligen", "a goal over some situation"),
    Keyword("permitted", "tillåten", "the verdicts agree with `en handling`"),
    Keyword("forbidden", "förbjuden", "the verdicts agree with `en handling`"),
    Keyword("obligatory", "obligatorisk", "the verdicts agree with `en handling`"),
    Keyword("undecided", "oavgjord", "no provision decides: a gap"),
    Keyword("contradictory", "motstridig", "a duty and a prohibition at once"),
    Keyword("example", "exempel", "a test case the spec carries"),
    Keyword("from", "från", "the first date an example is checked"),
    Keyword("given", "givet", "the facts of the case, as `givet att …`"),
    Keyword("expect", "då", "then: `givet …` / `då lämna_uppgift tillåten`"),
    Keyword("accept", "godta", "imperative, as `antag`: the finding is accepted"),
    Keyword("reads", "läses", "how a fact reads in prose: `läses samtycke sv \"…\"`, as a text is read"),
    Keyword("amendment", "ändring", "as in `Lag om ändring i …`"),
    Keyword("to", "i", "`ändring … i OSL`, as the act's title says"),
    Keyword("insert", "införs", "an amending act's own word: `införs en ny paragraf`"),
    Keyword("reword", "ny lydelse", "an amending act's own word: `ska ha följande lydelse`"),
    Keyword("repeal", "upphävs", "an amending act's own word"),
    Keyword("contract", "kontrakt", "a promise about the amendment that the check holds it to"),
    Keyword("unchanged where", "oförändrat där", "`kontrakt oförändrat där …`"),
    Keyword("only widens", "vidgar endast", "`kontrakt vidgar endast lämna_uppgift`"),
    Keyword("only narrows", "inskränker endast", "`kontrakt inskränker endast lämna_uppgift`"),
)

@lru_cache(maxsize=None)
def phrases(language: str) -> dict[str, str]:
    """English phrase → the phrase a file of `language` writes for it."""
    if language == SWEDISH:
        return {k.english: k.swedish for k in KEYWORDS}
    return {k.english: k.english for k in KEYWORDS}


@lru_cache(maxsize=None)
def keyword_words(language: str) -> frozenset[str]:
    """Every word a surface's keywords are made of: reserved in files of that surface."""
    from .grammar import grammar_text

    if language == SWEDISH:
        words = set()
        for k in KEYWORDS:
            if k.english != "language" and "/" not in k.swedish:  # `ja/nej` is no word a name can be
                words.update(k.swedish.split())
        words.update(word for word in _grammar_words(grammar_text()) if word not in _english_words())
        return frozenset(words)
    return frozenset(_grammar_words(grammar_text()))


def _grammar_words(text: str) -> set[str]:
    return set(re.findall(r'"([A-Za-z]+)"', text))


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    return frozenset(word for k in KEYWORDS for word in k.english.split())


def missing_keywords(grammar: str) -> list[str]:
    """The grammar's keyword words no phrase of the table covers (a test keeps this empty)."""
    return sorted(_grammar_words(grammar) - _english_words())


@lru_cache(maxsize=None)
def keyword_phrases(language: str) -> tuple[str, ...]:
    """The keyword phrases of a surface, for completion and suggestions."""
    table = phrases(language)
    return tuple(sorted(set(table.values())))


def item_keywords(language: str) -> tuple[str, ...]:
    """The first words of the keywords that begin an item, in a surface."""
    from .tree import ITEM_KEYWORDS

    table = phrases(language)
    english_phrases = {p.split()[0]: p for p in table}
    out = []
    for word in ITEM_KEYWORDS:
        phrase = "outside scope" if word == "outside" else word
        out.append(table.get(phrase, english_phrases.get(word, word)).split()[0])
    return tuple(out)


def item_starts() -> dict[str, str]:
    """Every word or phrase that begins an item, in either surface → its surface."""
    out = {}
    for language in (SWEDISH, ENGLISH):
        table = phrases(language)
        for word in item_keywords(language):
            out[word] = language
        for english in ("outside scope", "reword"):
            out[table[english]] = language
    return out


def describe_phrase(word: str, language: str) -> str:
    """A keyword word as a reader should see it in an error: the whole phrase it begins in
    the Swedish surface (`utanför` → `utanför modellen`), the word itself otherwise."""
    if language != SWEDISH or any(k.swedish == word for k in KEYWORDS):
        return word
    whole = [k.swedish for k in KEYWORDS if " " in k.swedish and k.swedish.split()[0] == word]
    return whole[0] if len(whole) == 1 else word


def translate_word(word: str, to: str) -> str | None:
    """The keyword of the surface `to` that a keyword word of the other surface stands for:
    `provision` → `bestämmelse` (to sv), `förbjuder` → `forbid` (to en). None if the word is
    no keyword of the other surface, or is a word of both."""
    if to == SWEDISH:
        hits = sorted({k.swedish for k in KEYWORDS if word in k.english.split()})
        if word in keyword_words(SWEDISH):
            return None
    else:
        hits = sorted({k.english for k in KEYWORDS if word in k.swedish.split()})
        if word in keyword_words(ENGLISH):
            return None
    return " or ".join(f"`{h}`" for h in hits) if hits else None


# ---- the Swedish grammar ----------------------------------------------------------------------

_TERMINAL_DEF = re.compile(r'^(?P<name>[A-Z_]+)(?P<priority>\.\d+)?: "(?P<word>[a-z]+)"[ \t]*$', re.M)
_LITERAL_RUN = re.compile(r'"[a-z]+"(?:[ \t]+"[a-z]+")*')


def _sv_literals(phrase: str) -> str:
    return " ".join(f'"{w}"' for w in phrase.split())


def swedish_grammar(english: str) -> str:
    """The Swedish grammar: the English one with every keyword replaced by its Swedish phrase.

    A named terminal of one word stays a string (Lark makes it a keyword of NAME); one of
    several words becomes a pattern that allows spaces between them, with priority over NAME.
    A run of quoted words in a rule is read as the table's phrases, longest first.
    """
    table = phrases(SWEDISH)
    extra: list[str] = []

    def terminal(m: re.Match) -> str:
        word = m["word"]
        if word not in table:
            return m[0]
        swedish = table[word]
        if " " in swedish:
            pattern = r"[ \t]+".join(re.escape(w) for w in swedish.split())
            return f"{m['name']}.2: /{pattern}(?!\\w)/"
        return f'{m["name"]}{m["priority"] or ""}: "{swedish}"'

    def run(m: re.Match) -> str:
        words = re.findall(r'"([a-z]+)"', m[0])
        out, i = [], 0
        while i < len(words):
            for size in range(len(words) - i, 0, -1):
                phrase = " ".join(words[i:i + size])
                if phrase in table:
                    swedish = table[phrase]
                    if "/" in swedish:  # not a word: its own terminal, tried before NAME
                        name = "SV_" + re.sub(r"\W", "_", phrase.upper())
                        extra.append(f'{name}.2: "{swedish}"')
                        out.append(name)
                    else:
                        out.append(_sv_literals(swedish))
                    i += size
                    break
            else:  # not in the table: the English word, until the table has it
                out.append(f'"{words[i]}"')
                i += 1
        return " ".join(out)

    lines = []
    for line in english.split("\n"):
        if _TERMINAL_DEF.match(line):
            lines.append(_TERMINAL_DEF.sub(terminal, line))
        elif re.match(r"^\s*//", line) or re.match(r"^[A-Z_]+(\.\d+)?:", line):
            lines.append(line)  # comments, and terminals of patterns (citations) are the same
        else:
            lines.append(_LITERAL_RUN.sub(run, line))
    return "\n".join(lines + sorted(set(extra))) + "\n"


# ---- the language declaration -----------------------------------------------------------------

_DECLARATION = re.compile(r"^(?P<indent>[ \t]*)(?P<keyword>språk|language)[ \t]+(?P<value>[^\s#/]+)"
                          r"(?=[ \t]*(?:$|#|//))")
_IGNORABLE = re.compile(r"^[ \t\f]*(?:(?:#|//).*)?$")


@frozen_dataclass(slots=True)
class Declaration:
    """What a file says of its surface: the language, whether it said so, and the text the
    parser reads (the declaration blanked out, so every offset, line and column is kept)."""

    language: str
    declared: bool
    text: str
    line: int | None = None


def read_declaration(source) -> Declaration:
    """The surface a file declares on its first line of code (`språk sv`, `language en`),
    English when it declares none. Raises SpecErrors for an unknown language or a declaration
    anywhere else in the file."""
    from .diagnostics import Diagnostic, SpecErrors
    from .source import Span

    text = source.text
    if "språk" not in text and "language" not in text:  # the common case, without a scan
        return Declaration(ENGLISH, False, text)
    found: Declaration | None = None
    problems = []
    offset = 0
    seen_code = False
    for number, line in enumerate(text.split("\n"), 1):
        m = _DECLARATION.match(line)
        if m is not None:
            start = offset + m.start("keyword")
            span = Span(source, start, offset + m.end(), number, m.start("keyword") + 1)
            value = m["value"]
            if seen_code:
                problems.append(Diagnostic(
                    "language", sentence("`{keyword} {value}` declares the file's language, which must come before every item", keyword=m['keyword'], value=value), span,
                    help=sentence('move it to the top of the file, above the first item')))
            elif value not in LANGUAGES:
                problems.append(Diagnostic(
                    "language", sentence('`{value}` is not a language legalmodel has keywords in', value=value), span,
                    expected=("`sv`", "`en`"),
                    help=sentence('write `språk sv` for the Swedish keywords, or `language en` (the default) for the English ones')))
            else:
                blanked = text[:offset] + " " * len(line[:m.end()]) + text[offset + m.end():]
                found = Declaration(value, True, blanked, number)
            seen_code = True
        elif not _IGNORABLE.match(line):
            seen_code = True
        offset += len(line) + 1
    if problems:
        raise SpecErrors(problems)
    return found or Declaration(ENGLISH, False, text)


def phrase_at(span, english: str) -> str:
    """A keyword as the file holding `span` writes it, for advice that quotes a keyword:
    `except` in an English file, `utom` in a Swedish one."""
    source = getattr(span, "source", None)
    language = declared_language(source.text) if source is not None else ENGLISH
    return phrases(language).get(english, english)


@lru_cache(maxsize=64)
def declared_language(text: str) -> str:
    """The surface of a text, without raising: English where the declaration is broken."""
    from .diagnostics import SpecErrors
    from .source import SourceFile

    try:
        return read_declaration(SourceFile("<text>", text)).language
    except SpecErrors:
        return ENGLISH


def spec_language(spec) -> str:
    """The surface a checked spec's files are written in: Swedish when every file that
    declares a fact, an action or a provision is Swedish, else English. Blocks printed for
    pasting into the spec (`check --as-examples`) are written in it."""
    sources = {}
    for declared in (*spec.facts.values(), *spec.actions.values(), *spec.provisions.values()):
        source = getattr(getattr(declared, "span", None), "source", None)
        if source is not None:
            sources[id(source)] = source
    languages = {declared_language(source.text) for source in sources.values()}
    return SWEDISH if languages == {SWEDISH} else ENGLISH


def declaration_line(language: str) -> str:
    return "språk sv" if language == SWEDISH else "language en"


# ---- conversion -------------------------------------------------------------------------------

def names_of(node) -> list:
    """Every name a syntax node holds, with its span: (text, span)."""
    from dataclasses import fields, is_dataclass

    from . import tree as s

    out = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, s.Name):
            out.append((item.text, item.span))
        elif isinstance(item, s.NameRef):
            out.append((item.name, item.span))
        elif isinstance(item, (tuple, list)):
            stack.extend(reversed(item))
        elif is_dataclass(item):
            if isinstance(item, (s.SelectorSyntax, s.CitationSyntax)) and item.law:
                out.append((item.law, item.span))
            for f in fields(item):
                if f.name not in ("span", "source"):
                    stack.append(getattr(item, f.name))
    return out


def clashes(spec, to: str) -> list:
    """Diagnostics for every name of a parsed file that is a keyword word of the surface `to`:
    such a file cannot be written in that surface without a rename."""
    from .diagnostics import Diagnostic

    reserved = keyword_words(to)
    out = []
    for name, span in names_of(spec.items):
        if name in reserved:
            surface = sentence("Swedish") if to == SWEDISH else sentence("English")
            out.append(Diagnostic(
                "reserved", sentence('`{name}` is a keyword in {surface}, so this file cannot be written in {surface} while a name is spelt so', name=name, surface=surface), span,
                help=sentence('rename `{name}` everywhere in the spec, then convert the file again', name=name)))
    return sorted(out, key=lambda d: (d.span.line, d.span.column))


# ---- advice in the file's own keywords --------------------------------------------------------

_CODE = re.compile(r"`([^`]+)`")
_QUOTED = re.compile(r'("[^"]*")')


@lru_cache(maxsize=1)
def _english_phrase_pattern() -> re.Pattern:
    english = sorted((k.english for k in KEYWORDS if k.english != "language"), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in english) + r")(?!\w)")


@lru_cache(maxsize=64)
def _names_among_english_words(text: str) -> frozenset[str]:
    """The English keyword words a Swedish file uses: there they can only be names."""
    code = re.sub(r'"[^"\n]*"|(#|//)[^\n]*', " ", text)
    return frozenset(w for w in re.findall(r"[^\W\d]\w*", code) if w in _english_words())


def localise_code(text: str | None, source) -> str | None:
    """The keywords quoted in `text` (between backticks, outside double quotes) written as the
    file of `source` writes them: advice such as "name the provision in `except`" reads
    `utom` in a Swedish file. A word the file uses as a name is left as it is."""
    if not text or source is None or "`" not in text or declared_language(source.text) != SWEDISH:
        return text
    table = phrases(SWEDISH)
    names = _names_among_english_words(source.text)
    pattern = _english_phrase_pattern()

    def keyword(m: re.Match) -> str:
        phrase = " ".join(m.group(0).split())
        return m.group(0) if phrase in names else table.get(phrase, m.group(0))

    def code(m: re.Match) -> str:
        parts = _QUOTED.split(m.group(1))
        return "`" + "".join(p if p.startswith('"') else pattern.sub(keyword, p) for p in parts) + "`"

    return _CODE.sub(code, text)


def localise(diagnostic):
    """A diagnostic whose message, help and notes quote keywords as its file writes them."""
    from dataclasses import replace

    source = diagnostic.span.source
    if source is None or declared_language(source.text) != SWEDISH:
        return diagnostic

    def local(text):
        if isinstance(text, Words):  # kept so: said in the reader's language, keywords as the file has them
            return text.localised(functools.partial(localise_code, source=source))
        return localise_code(text, source)

    return replace(diagnostic, message=local(diagnostic.message), help=local(diagnostic.help),
                   notes=tuple((local(text), span) for text, span in diagnostic.notes))
