"""The formatter: a spec file rewritten in one canonical layout, keeping its comments.

Works from the syntax tree, so formatting cannot change what a spec means: the tree of the
formatted text equals the tree of the original (spans are outside equality). Citations are
written in the Swedish form, lists grouped the way a statute writes them (`24 kap. 2 a och
8 §§`), conditions with the fewest parentheses their precedence needs. Comments are kept:
a comment on a line of its own stays before the item it precedes; a comment at the end of a
line of code, or inside an item, moves to the line before that item.

The keywords are the file's own surface (surface.py), or another one with `to`: the same
tree printed with the other table of keywords, so a conversion keeps everything the tree and
the comments hold, in their order.
"""

from __future__ import annotations

from . import tree as s
from .citations import ORDINAL_STYCKET
from .source import SourceFile
from .surface import ENGLISH, declaration_line, phrases

INDENT = "  "
EN = phrases(ENGLISH)  # the keywords a text is written with: English unless a target says


# ---- comments ----------------------------------------------------------------------------------

def comments_of(text: str) -> list[tuple[int, str, bool]]:
    """(line, comment text, whether code precedes it on its line), outside strings."""
    out = []
    for number, line in enumerate(text.split("\n"), 1):  # the parser's lines (source.py)
        in_string = False
        i = 0
        while i < len(line):
            ch = line[i]
            if in_string:
                if ch == "\\":
                    i += 2
                    continue
                if ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch == "#" or line.startswith("//", i):
                out.append((number, line[i:].rstrip(), bool(line[:i].strip())))
                break
            i += 1
    return out


# ---- pieces --------------------------------------------------------------------------------------

def quote(text: str | None) -> str:
    return '"' + (text or "").replace("\\", "\\\\").replace('"', '\\"') + '"'


def _para(key: tuple[int, str]) -> str:
    number, letter = key
    return f"{number} {letter}" if letter else str(number)


def _stycke_punkt(stycke, punkt) -> str:
    out = ""
    if stycke is not None:
        word = ORDINAL_STYCKET.get(stycke)
        out += f" {word} stycket" if word else f" {stycke} st."
    if punkt is not None:
        out += f" {punkt} p."
    return out


def citation_text(c: s.CitationSyntax) -> str:
    chapter = f"{c.chapter} kap. " if c.chapter is not None else ""
    letter = f" {c.letter}" if c.letter else ""
    law = f" {c.law}" if c.law else ""
    return f"{chapter}{c.paragraph}{letter} §{_stycke_punkt(c.stycke, c.punkt)}{law}"


def selectors_text(items: tuple[s.SelectorSyntax, ...]) -> str:
    """Selector items in the statute's own list form, grouped by chapter and law."""
    groups: list[list[s.SelectorSyntax]] = []
    for item in items:
        last = groups[-1][-1] if groups else None
        same = (last is not None and item.paragraphs is not None and last.paragraphs is not None
                and item.law == last.law and item.chapters == last.chapters)
        if same:
            groups[-1].append(item)
        else:
            groups.append([item])
    texts = []
    for group in groups:
        first = group[0]
        law = f" {first.law}" if first.law else ""
        if first.paragraphs is None:
            low, high = first.chapters
            texts.append((f"{low} kap." if low == high else f"{low}–{high} kap.") + law)
            continue
        chapter = f"{first.chapters[0]} kap. " if first.chapters else ""
        parts = []
        for item in group:
            low, high = item.paragraphs
            text = _para(low) if low == high else f"{_para(low)}–{_para(high)}"
            if item.stycke is not None or item.punkt is not None:
                text += " §" + _stycke_punkt(item.stycke, item.punkt)
            parts.append(text)
        last = group[-1]
        single = len(group) == 1 and last.paragraphs[0] == last.paragraphs[1]
        closed = last.stycke is not None or last.punkt is not None
        body = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]
        texts.append(chapter + body + ("" if closed else (" §" if single else " §§")) + law)
    if len(texts) >= 3:  # the statute's own form: "…, 36 kap. 3 § samt 40 kap. 2 och 5 §§"
        return ", ".join(texts[:-1]) + " samt " + texts[-1]
    return " och ".join(texts) if len(texts) == 2 and all(" kap." in t for t in texts) else ", ".join(texts)


PRECEDENCE = {s.Iff: 1, s.Implies: 2, s.Or: 3, s.And: 4, s.Not: 5, s.Compare: 6, s.InSet: 6}  # atoms: 7


def expr_text(e, min_level: int = 0, w: dict[str, str] = EN) -> str:
    """A condition with parentheses exactly where the tree needs them (`min_level` is the
    weakest operator that may stand here without them), with the keywords `w`."""
    level = PRECEDENCE.get(type(e), 7)
    if isinstance(e, s.NameRef):
        text = e.name
    elif isinstance(e, s.IntLit):
        text = str(e.value)
    elif isinstance(e, s.BoolLit):
        text = w["true"] if e.value else w["false"]
    elif isinstance(e, s.Not):
        text = f"{w['not']} " + expr_text(e.operand, level, w)
    elif isinstance(e, s.And):
        text = f" {w['and']} ".join(expr_text(x, level + 1, w) for x in e.operands)
    elif isinstance(e, s.Or):
        # `(a and b) or c`: the brackets are not needed, but a statute reader expects them
        text = f" {w['or']} ".join(f"({expr_text(x, 0, w)})" if isinstance(x, s.And) else expr_text(x, level + 1, w)
                                   for x in e.operands)
    elif isinstance(e, s.Implies):
        # right-associative: a implies (b implies c) needs no parentheses on the right
        text = f"{expr_text(e.premise, level + 1, w)} {w['implies']} {expr_text(e.conclusion, level, w)}"
    elif isinstance(e, s.Iff):
        text = f"{expr_text(e.left, level + 1, w)} {w['iff']} {expr_text(e.right, level + 1, w)}"
    elif isinstance(e, s.Compare):
        text = f"{expr_text(e.left, 7, w)} {e.op} {expr_text(e.right, 7, w)}"
    elif isinstance(e, s.InSet):
        values = ", ".join(expr_text(v, 7, w) for v in e.values)
        member = f"{w['not']} {w['in']}" if e.negated else w["in"]
        text = f"{expr_text(e.operand, 7, w)} {member} {{{values}}}"
    elif isinstance(e, s.Applies):
        text = f"{w['applies']}({selectors_text(e.selectors)})"
    elif isinstance(e, s.AppliesModality):
        within = f" {w['in']} {selectors_text(e.within)}" if e.within else ""
        text = f"{w['applies']}({w[e.modality]}{within})"
    else:
        raise AssertionError(e)
    return f"({text})" if level < min_level else text


def provenance_text(p: s.Provenance, w: dict[str, str] = EN) -> str:
    parts = []
    if p.sfs:
        parts.append(p.sfs)
    parts.extend(p.preparatory_works)
    if p.in_force:
        parts.append(f"{w['in force']} {p.in_force}")
    if p.certainty:
        parts.append(w[p.certainty])
    parts.extend(quote(n) for n in p.notes)
    return f" ({', '.join(parts)})" if parts else ""


def provision_body(p: s.ProvisionDecl, indent: str, w: dict[str, str] = EN) -> list[str]:
    lines = [f"{citation_text(p.citation)} {quote(p.title)}{provenance_text(p.provenance, w)}"]
    rule = f"{w[p.modality]} {p.action.text}"
    if p.condition is not None:
        rule += f" {w['when']} {expr_text(p.condition, 0, w)}"
    lines.append(indent + INDENT + rule)
    for o in p.overrides:
        if isinstance(o, s.ModalityOverride):
            within = f" {w['in']} {selectors_text(o.within)}" if o.within else ""
            lines.append(indent + INDENT + f"{w['overrides']} {w[o.modality]}{within}")
        else:
            lines.append(indent + INDENT + f"{w['overrides']} {selectors_text(o.selectors)}")
    if p.excepts:
        lines.append(indent + INDENT + f"{w['except']} {selectors_text(p.excepts)}")
    return lines


def item_lines(item, indent: str = "", w: dict[str, str] = EN) -> list[str]:
    if isinstance(item, s.LawDecl):
        return [f"{indent}{w['law']} {item.name.text} {quote(item.title)}"]
    if isinstance(item, s.EnumDecl):
        head = f"{indent}{w['enum']} {item.name.text}" + (f" {quote(item.description)}" if item.description else "")
        values = [f"{indent}{INDENT}{v.name.text}" + (f" {quote(v.description)}" if v.description else "") + ","
                  for v in item.values]
        return [head + " {"] + values + [indent + "}"]
    if isinstance(item, s.FactDecl):
        t = item.type
        if isinstance(t, s.BoolTypeSyntax):
            ty = w["bool"]
        elif isinstance(t, s.IntRangeSyntax):
            ty = f"{t.low}..{t.high}"
        else:
            ty = t.name.text
        return [f"{indent}{w['fact']} {item.name.text}: {ty} {quote(item.description)}"]
    if isinstance(item, s.Assumption):
        label = f" {quote(item.label)}" if item.label is not None else ""
        return [f"{indent}{w['assume']}{label} {expr_text(item.condition, 0, w)}"]
    if isinstance(item, s.ActionDecl):
        default = f" {w['default']} {w[item.default]}" if item.default else ""
        return [f"{indent}{w['action']} {item.name.text} {quote(item.description)}{default}"]
    if isinstance(item, s.ProvisionDecl):
        body = provision_body(item, indent, w)
        return [f"{indent}{w['provision']} {body[0]}"] + body[1:]
    if isinstance(item, s.OutsideScope):
        return [f"{indent}{w['outside scope']} {selectors_text(item.selectors)} {quote(item.reason)}"]
    if isinstance(item, s.GoalDecl):
        head = f"{indent}{w['goal']} {quote(item.title)}"
        if item.expected_to_fail:
            head += f" {w['expected to fail']}"
            if item.expected_until:
                head += f" {w['until']} {item.expected_until}"
            if item.expected_reason is not None:
                head += f" {quote(item.expected_reason)}"
        verdicts = (f"{w['not']} " if item.negated else "") + f" {w['or']} ".join(w[v] for v in item.verdicts)
        if item.kind == "all":
            body = f"{item.action.text} {w['is']} {verdicts}"
            if item.condition is not None:
                body += f" {w['whenever']} {expr_text(item.condition, 0, w)}"
        else:
            body = f"{w['possibly']} {item.action.text} {w['is']} {verdicts}"
            if item.condition is not None:
                body += f" {w['when']} {expr_text(item.condition, 0, w)}"
        return [head, indent + INDENT + body]
    if isinstance(item, s.ExampleDecl):
        lines = [f"{indent}{w['example']} {quote(item.title)}"
                 + (f" {w['from']} {item.since}" if item.since else "")
                 + (f" {w['until']} {item.until}" if item.until else "")]
        if item.given:
            lines.append(indent + INDENT + f"{w['given']} " + ", ".join(
                f"{g.fact.text} = {expr_text(g.value, 7, w)}" for g in item.given))
        for x in item.expectations:
            lines.append(indent + INDENT + f"{w['expect']} {x.action.text} {w[x.verdict]}")
        return lines
    if isinstance(item, s.AmendmentDecl):
        return [f"{indent}{w['amendment']} {quote(item.title)}{provenance_text(item.provenance, w)} "
                f"{w['to']} {item.law.text}"]
    if isinstance(item, (s.InsertOp, s.RewordOp)):
        word = w["insert"] if isinstance(item, s.InsertOp) else w["reword"]
        body = provision_body(item.provision, indent, w)
        return [f"{indent}{word} {body[0]}"] + body[1:]
    if isinstance(item, s.RepealOp):
        return [f"{indent}{w['repeal']} {selectors_text(item.selectors)}"]
    if isinstance(item, s.ContractDecl):
        if item.kind == "unchanged":
            return [f"{indent}{w['contract']} {w['unchanged where']} {expr_text(item.condition, 0, w)}"]
        return [f"{indent}{w['contract']} {w['only ' + item.kind]} {item.action.text}"]
    if isinstance(item, s.AcceptDecl):
        return [f"{indent}{w['accept']} {item.finding} {quote(item.justification)}"]
    if isinstance(item, s.ReadsDecl):
        negative = f", {w['not']} {quote(item.negative)}" if item.negative is not None else ""
        return [f"{indent}{w['reads']} {item.name.text} {item.language.text} {quote(item.positive)}{negative}"]
    raise AssertionError(item)


ONE_LINE = (s.LawDecl, s.FactDecl, s.Assumption, s.ActionDecl, s.OutsideScope, s.RepealOp,
            s.ContractDecl, s.AcceptDecl, s.ReadsDecl)
AMENDMENT_PARTS = (s.InsertOp, s.RewordOp, s.RepealOp, s.ContractDecl)


def target_language(spec: s.SpecFile, to: str | None) -> tuple[str, bool]:
    """The surface a file is written in, and whether its text declares it: `fmt` keeps what
    the file says; `fmt --to` another surface declares Swedish and leaves English, the
    default, undeclared, so that converting there and back gives the file's `fmt` text."""
    if to is None or to == spec.language:
        return spec.language, spec.declared
    return to, to != ENGLISH


def format_spec(spec: s.SpecFile, to: str | None = None) -> str:
    """The canonical text of a parsed spec file, with its comments, in its own surface or
    (with `to`) in another one."""
    from .surface import read_declaration

    language, declared = target_language(spec, to)
    w = phrases(language)
    text = read_declaration(spec.source).text if spec.declared else spec.source.text
    comments = comments_of(text)
    source_lines = text.split("\n")
    out: list[str] = []
    previous = None
    in_amendment = False
    ci = 0
    for item in spec.items:
        if isinstance(item, s.AmendmentDecl):
            in_amendment = True
        indent = INDENT if in_amendment and not isinstance(item, s.AmendmentDecl) else ""
        end_line = item.span.end_line or item.span.line
        leading = []
        while ci < len(comments) and comments[ci][0] <= end_line:
            leading.append(comments[ci])
            ci += 1
        same_group = (previous is not None and type(previous) is type(item) and isinstance(item, ONE_LINE)
                      and not leading)
        amendment_line = previous is not None and isinstance(item, AMENDMENT_PARTS) and isinstance(
            previous, (s.AmendmentDecl, *ONE_LINE)) and not leading and isinstance(item, ONE_LINE)
        # a fact's phrasings stay with it, as one block
        same_group = same_group or (isinstance(item, s.ReadsDecl) and not leading
                                    and isinstance(previous, (s.FactDecl, s.EnumDecl)))
        if out and not same_group and not amendment_line:
            out.append("")
        for line, text, trailing in leading:
            out.append(indent + text)
            if not trailing and line < len(source_lines) and not source_lines[line].strip():
                out.append("")  # keep the blank line that separated a comment from what follows
        out.extend(item_lines(item, indent, w))
        previous = item
    rest = comments[ci:]
    if rest:
        if out:
            out.append("")
        out.extend(comment for _line, comment, _trailing in rest)
    if declared:
        out = [declaration_line(language)] + ([""] + out if out else [])
    return "\n".join(out) + "\n" if out else ""


def format_text(text: str, path: str = "<input>", to: str | None = None) -> str:
    """Format spec text, in its own surface or (with `to`) in another; raises SpecErrors if
    it does not parse or, converted, would be misread."""
    if to is None:
        from .parse import parse_source

        return format_spec(parse_source(SourceFile(path, text)))
    return format_checked(SourceFile(path, text), to)


# ---- formatting a file, safely ---------------------------------------------------------------------

def format_checked(source: SourceFile, to: str | None = None) -> str:
    """The canonical text of a source, only if it says what the source says: the formatted
    text must parse to the same syntax and keep every comment, else SpecErrors (code
    `format`, exit 2) and nothing is written. A formatter bug then costs a refusal, not a spec.
    With `to`, the text is written with that surface's keywords; a name that is a keyword
    there is refused (code `reserved`) before anything is written."""
    from .diagnostics import Diagnostic, SpecErrors
    from ..pipeline import parse_file
    from .source import Span
    from .surface import clashes

    parsed = parse_file(source)  # from the parse cache when this exact text was parsed before
    if to is not None and to != parsed.language:
        problems = clashes(parsed, to)
        if problems:
            raise SpecErrors(problems)
    formatted = format_spec(parsed, to)
    if formatted == source.text:  # nothing changes, so nothing can be lost: no second parse
        return formatted
    try:  # stored in the parse cache: a check of the file as written reads it from there
        again = parse_file(SourceFile(source.path, formatted))
    except SpecErrors:
        again = None
    kept = sorted(text for _line, text, _trailing in comments_of(formatted))
    if again is None or again.items != parsed.items or kept != sorted(t for _l, t, _x in comments_of(source.text)):
        from ..i18n import sentence

        said = (sentence("formatting this file would change what it says, so it was left as it is")
                if again is None or again.items != parsed.items else
                sentence("formatting this file would change its comments, so it was left as it is"))
        raise SpecErrors([Diagnostic("format", said, Span(source, 0, 0, 1, 1),
                                     help=sentence("please report this with the file: it is a bug in "
                                                   "`legalmodel fmt`"))])
    return formatted


def format_file(path, folder=None, to: str | None = None) -> tuple[str, bool]:
    """A spec file's canonical text (with `to`, in that surface), and whether it differs from
    the file's bytes (line ends and a byte order mark count: fmt writes LF and no mark). Reads
    as pipeline.read_source does, standard input included."""
    from ..pipeline import decode_source, read_spec_bytes

    data, name = read_spec_bytes(path, folder=folder)
    formatted = format_checked(decode_source(data, name), to)
    return formatted, formatted.encode("utf-8") != data
