"""The editor's questions answered from a folder's Snapshot (index.py): diagnostics, hover,
definitions and references, completion, the outline, formatting, code actions and rename.

Functions of data to lsprotocol values, with no server state; the solver is never asked
here (findings and a provision's impact come in computed, from server.py's worker).
"""

from __future__ import annotations

import re

from lsprotocol import types as t

from ..results import Finding
from ..syntax.citations import Citation
from ..syntax import surface
from ..syntax import tree as s
from ..syntax.diagnostics import Diagnostic
from ..syntax.source import Span
from .index import Index, Lines, Occurrence, Snapshot
from ..frozen import frozen_dataclass

SOURCE = "legalmodel"
KEYWORDS = tuple(sorted({
    "law", "enum", "fact", "bool", "assume", "action", "default", "provision", "permit", "forbid", "oblige",
    "when", "overrides", "except", "applies", "outside", "scope", "goal", "possibly", "is", "whenever",
    "expected", "to", "fail", "until", "from", "example", "given", "expect", "amendment", "insert",
    "reword", "repeal", "contract", "unchanged", "where", "only", "widens", "narrows", "accept", "and",
    "or", "not", "implies", "iff", "in", "true", "false", "permitted", "forbidden", "obligatory",
    "undecided", "contradictory", "verified", "summary", "unverified", "force", "kap.", "§", "§§",
}))
# the keywords of each surface, as completion offers them: a Swedish file (`språk sv`) is
# offered the Swedish ones, phrases whole (`går före`)
SURFACE_KEYWORDS = {
    surface.ENGLISH: KEYWORDS,
    surface.SWEDISH: tuple(sorted({*surface.keyword_phrases(surface.SWEDISH), "kap.", "§", "§§"})),
}
NAME = re.compile(r"[^\W\d]\w*")
SUGGESTION = re.compile(r"`([^`]+)`")
JUSTIFICATION_PLACEHOLDER = "TODO: say why this finding is accepted"


class Positions:
    """Lines of each file of a snapshot, made once per text."""

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot
        self._lines: dict[str, Lines] = {}

    def lines(self, path: str) -> Lines:
        found = self._lines.get(path)
        if found is None:
            state = self.snapshot.files.get(path)
            found = self._lines[path] = Lines(state.source.text if state else "")
        return found

    def range(self, path: str, start: int, end: int) -> t.Range:
        lines = self.lines(path)
        a, b = lines.position(start), lines.position(max(start, end))
        return t.Range(t.Position(*a), t.Position(*b))

    def span_range(self, span: Span) -> t.Range:
        if span.source is None or span.line == 0:
            return t.Range(t.Position(0, 0), t.Position(0, 0))
        if span.source.path in self.snapshot.files:
            return self.range(span.source.path, span.start, span.end)
        lines = Lines(span.source.text)  # a file outside the snapshot (a resolver's note)
        return t.Range(t.Position(*lines.position(span.start)), t.Position(*lines.position(span.end)))

    def offset(self, path: str, position: t.Position) -> int:
        return self.lines(path).offset(position.line, position.character)


# ---- diagnostics ----------------------------------------------------------------------------

# a file that declares its language begins so (comments aside, which a declaration may follow:
# then declared_language, cached per text, is asked only of files that may declare one)
_DECLARES = re.compile(r"\s*(?:#[^\n]*\n\s*)*(?:språk|language)\b")


def suggestions(d: Diagnostic) -> list[str]:
    """The names a diagnostic's help suggests (`did you mean `x`?`, `menade du `x`?`), where it
    suggests any."""
    from ..syntax.diagnostics import is_suggestion

    if not is_suggestion(d.help):
        return []
    return SUGGESTION.findall(d.help)


def error_diagnostic(d: Diagnostic, pos: Positions, to_uri) -> t.Diagnostic:
    from .. import i18n
    from ..syntax.surface import declared_language

    # in the file's own language where it declares one (`språk sv`), else the locale's
    source = d.span.source
    declared = declared_language(source.text) if source is not None and _DECLARES.match(source.text) else None
    with i18n.speaking(i18n.for_declared(declared)):
        message = i18n.said(d.message) + (f"\n{i18n.said(d.help)}" if d.help else "")
        notes = [(i18n.said(note), span) for note, span in d.notes]
    rng = pos.span_range(d.span)
    if rng.start == rng.end:  # an empty range is hard to see: underline one character
        rng = t.Range(rng.start, t.Position(rng.start.line, rng.start.character + 1))
    related = [t.DiagnosticRelatedInformation(t.Location(to_uri(span.path), pos.span_range(span)), note)
               for note, span in notes if span.source is not None]
    return t.Diagnostic(rng, message, severity=t.DiagnosticSeverity.Error if d.severity.value == "error"
                        else t.DiagnosticSeverity.Warning, code=d.code, source=SOURCE,
                        related_information=related or None,
                        data={"suggestions": suggestions(d)} if suggestions(d) else None)


SEVERITY = {"error": t.DiagnosticSeverity.Error, "warning": t.DiagnosticSeverity.Warning,
            "note": t.DiagnosticSeverity.Information, "info": t.DiagnosticSeverity.Information}


def finding_diagnostic(f: Finding, pos: Positions, to_uri, spec) -> t.Diagnostic:
    """A finding under its provision, goal or example: its id as the code, each evidence
    situation (the witness first) and each provision involved as related information."""
    span = f.span if isinstance(f.span, Span) else None
    rng = pos.span_range(span) if span is not None else t.Range(t.Position(0, 0), t.Position(0, 0))
    if span is not None and span.end > span.start:  # the first line only: a provision's block is long
        lines = pos.lines(span.path) if span.path in pos.snapshot.files else Lines(span.source.text)
        line_end = lines.starts[rng.start.line + 1] - 1 if rng.start.line + 1 < len(lines.starts) else len(lines.text)
        rng = t.Range(rng.start, t.Position(*lines.position(min(span.end, line_end))))
    related = []
    where = t.Location(to_uri(span.path), rng) if span is not None else None
    for n, ev in enumerate(f.evidence, 1):
        verdicts = ", ".join(f"`{a}` {v}" for a, v in ev.verdicts.items())
        text = f"{'witness' if n == 1 else f'situation {n}'}: where {ev.cube_text()}" + (
            f" → {verdicts}" if verdicts else "")
        if where is not None:
            related.append(t.DiagnosticRelatedInformation(where, text))
    for pid in f.provisions:
        p = spec.provisions.get(pid) if spec is not None else None
        if p is not None and p.span.source is not None:
            related.append(t.DiagnosticRelatedInformation(
                t.Location(to_uri(p.span.path), pos.span_range(p.span)), f"{pid} “{p.title}”"))
    message = f.message + "".join(f"\n{d}" for d in f.details)
    return t.Diagnostic(rng, message, severity=SEVERITY.get(f.severity, t.DiagnosticSeverity.Warning),
                        code=f.id, source=SOURCE, related_information=related or None,
                        data={"finding": f.id})


# ---- hover -------------------------------------------------------------------------------------

def _type_text(decl: s.FactDecl, index: Index) -> str:
    ty = decl.type
    if isinstance(ty, s.BoolTypeSyntax):
        return "bool (true or false)"
    if isinstance(ty, s.IntRangeSyntax):
        return f"a whole number from {ty.low} to {ty.high}"
    enum = index.declarations.get(("enum", ty.name.text))
    if isinstance(enum, s.EnumDecl):
        return f"`{ty.name.text}`, one of " + ", ".join(f"`{v.name.text}`" for v in enum.values)
    return f"`{ty.name.text}`"


def wording_on(snapshot: Snapshot, pid: str) -> list[str]:
    """What the spec says of a provision on the snapshot's date: its title and rule, and the
    act, date and certainty of the wording in force then (Law.history)."""
    from ..pipeline import UsageError

    law = snapshot.law
    lines = []
    p = law.spec.provisions.get(pid) if law is not None else None
    as_of = law.as_of if law is not None else None
    when = f"on {as_of}" if as_of else "as last amended"
    if p is not None:
        lines.append(f"**{pid}** “{p.title}”")
        lines.append(f"```legalmodel\n{p.span.text().strip()}\n```")
    elif law is not None:
        lines.append(f"**{pid}**: not in force {when}")
    if snapshot.history is not None:
        from ..api import law_history

        try:
            history = law_history(snapshot.history, pid)
        except (UsageError, ValueError):
            history = None
        if history is not None:
            for w in history.wordings:
                current = (w.since is None or as_of is None or w.since <= as_of) and (
                    w.until is None or (as_of is not None and as_of < w.until))
                if as_of is None:
                    current = w.until is None
                mark = "→ " if current else ""
                span = f"{w.since or 'from the start'} to {w.until or 'today'}"
                lines.append(f"- {mark}{span}: {w.act}, certainty {w.certainty or 'not stated'}"
                             + (f" (“{w.title}”)" if w.title and p is not None and w.title != p.title else ""))
    return lines


def hover(snapshot: Snapshot, path: str, position: t.Position, pos: Positions, impact_text=None) -> t.Hover | None:
    offset = pos.offset(path, position)
    found = snapshot.index.at(path, offset)
    if not found:
        return None
    parts = []
    for occ in found[:5]:
        decl = snapshot.index.declarations.get((occ.kind, occ.key))
        if occ.kind == "fact" and isinstance(decl, s.FactDecl):
            parts.append(f"**fact** `{occ.key}`: {_type_text(decl, snapshot.index)}\n\n{decl.description}")
        elif occ.kind == "value" and decl is not None:
            enum, value = decl
            parts.append(f"**value** `{occ.key}` of `{enum.name.text}`"
                         + (f"\n\n{value.description}" if value.description else ""))
        elif occ.kind == "enum" and isinstance(decl, s.EnumDecl):
            parts.append(f"**enum** `{occ.key}`: " + ", ".join(f"`{v.name.text}`" for v in decl.values)
                         + (f"\n\n{decl.description}" if decl.description else ""))
        elif occ.kind == "action" and isinstance(decl, s.ActionDecl):
            parts.append(f"**action** `{occ.key}`"
                         + (f", {decl.default} by default" if decl.default else "") + f"\n\n{decl.description}")
        elif occ.kind == "law" and isinstance(decl, s.LawDecl):
            parts.append(f"**law** `{occ.key}`: {decl.title}")
        elif occ.kind == "provision":
            text = "\n\n".join(wording_on(snapshot, occ.key))
            if impact_text is not None and len(found) == 1:
                text += "\n\n" + impact_text(occ.key)
            parts.append(text)
    if not parts:
        return None
    first = found[0]
    return t.Hover(t.MarkupContent(t.MarkupKind.Markdown, "\n\n---\n\n".join(parts)),
                   pos.range(path, first.start, first.end))


def impact_sentence(result, pid: str, as_of: str | None) -> str:
    """Where a provision still decides (Law.impact), in a sentence."""
    when = f"on {as_of}" if as_of else "as last amended"
    if not result.changes:
        return f"*Impact {when}:* taking {pid} out changes no verdict: it is redundant here."
    parts = []
    for c in result.changes:
        cube = c.regions[0].cube_text() if c.regions else "some situations"
        more = f" (and {len(c.regions) - 1} more region{'s' if len(c.regions) > 2 else ''})" if len(c.regions) > 1 else ""
        parts.append(f"`{c.action}` would go from {c.before} to {c.after} where {cube}{more}")
    return f"*Impact {when}:* it still decides: without it, " + "; ".join(parts) + "."


# ---- definitions, references, rename -------------------------------------------------------------

def _locations(occs: list[Occurrence], pos: Positions, to_uri) -> list[t.Location]:
    seen = set()
    out = []
    for o in sorted(occs, key=lambda o: (o.path, o.start)):
        if (o.path, o.start, o.end) in seen:
            continue
        seen.add((o.path, o.start, o.end))
        out.append(t.Location(to_uri(o.path), pos.range(o.path, o.start, o.end)))
    return out


def definition(snapshot: Snapshot, path: str, position: t.Position, pos: Positions, to_uri) -> list[t.Location]:
    offset = pos.offset(path, position)
    occs = []
    for occ in snapshot.index.at(path, offset):
        occs += [o for o in snapshot.index.of(occ.kind, occ.key) if o.definition]
    return _locations(occs, pos, to_uri)


def references(snapshot: Snapshot, path: str, position: t.Position, pos: Positions, to_uri,
               include_declaration: bool = True) -> list[t.Location]:
    offset = pos.offset(path, position)
    occs = []
    for occ in snapshot.index.at(path, offset):
        occs += [o for o in snapshot.index.of(occ.kind, occ.key) if include_declaration or not o.definition]
    return _locations(occs, pos, to_uri)


RENAMABLE = ("fact", "value")


def rename_target(snapshot: Snapshot, path: str, position: t.Position, pos: Positions) -> Occurrence | None:
    for occ in snapshot.index.at(path, pos.offset(path, position)):
        if occ.kind in RENAMABLE:
            return occ
    return None


def rename(snapshot: Snapshot, path: str, position: t.Position, new_name: str, pos: Positions,
           to_uri) -> t.WorkspaceEdit | None:
    """Every occurrence of a fact or enum value, in every file of the folder, renamed; None
    where the new name is not a name or is taken."""
    target = rename_target(snapshot, path, position, pos)
    if target is None:
        return None
    state = snapshot.files.get(path)
    language = surface.declared_language(state.source.text) if state else surface.ENGLISH
    if not NAME.fullmatch(new_name) or new_name in KEYWORDS or new_name in surface.keyword_words(language):
        raise ValueError(f"`{new_name}` is not a name a spec can use (a letter, then letters, digits or _)")
    taken = {k for (kind, k) in snapshot.index.declarations if kind in ("fact", "value", "enum", "action")}
    if new_name != target.key and new_name in taken:
        raise ValueError(f"`{new_name}` is already a name in this spec")
    changes: dict[str, list[t.TextEdit]] = {}
    for o in snapshot.index.of(target.kind, target.key):
        text = snapshot.files[o.path].source.text[o.start:o.end] if o.path in snapshot.files else ""
        if text != target.key:  # a citation span or a stale place: never edit what is not the name
            continue
        changes.setdefault(to_uri(o.path), []).append(t.TextEdit(pos.range(o.path, o.start, o.end), new_name))
    return t.WorkspaceEdit(changes=changes)


# ---- completion ---------------------------------------------------------------------------------

# what the word before the cursor asks for: the kinds offered first after it
AFTER = {
    "overrides": "provision", "except": "provision", "applies": "provision", "scope": "provision",
    "repeal": "provision", "expect": "action", "permit": "action", "forbid": "action", "oblige": "action",
    "widens": "action", "narrows": "action", "possibly": "action", "given": "fact", "when": "fact",
    "whenever": "fact", "where": "fact", "and": "fact", "or": "fact", "not": "fact", "implies": "fact",
    "iff": "fact", "=": "value", "!=": "value", "≠": "value", "{": "value",
    # the Swedish surface
    "före": "provision", "utom": "provision", "gäller": "provision", "modellen": "provision",
    "upphävs": "provision", "då": "action", "tillåter": "action", "förbjuder": "action", "ålägger": "action",
    "endast": "action", "möjligen": "action", "givet": "fact", "när": "fact", "där": "fact", "och": "fact",
    "eller": "fact", "inte": "fact", "medför": "fact",
}
CITING = re.compile(r"(?<!\w)(?:overrides|except|applies\s*\(|repeal|outside\s+scope"
                    r"|går\s+före|utom|gäller\s*\(|upphävs|utanför\s+modellen)[\w\s.§–,\-]*$")
TYPED = re.compile(r"[^\W\d]\w*$")  # the name being typed, if any
LAST = re.compile(r"(\w+|!=|[=≠{])$")


def completion(snapshot: Snapshot, before: str = "") -> list[t.CompletionItem]:
    """Keywords (of the file's surface: `before` is its text up to the cursor), facts,
    enumeration values, actions, enumerations and citations; those the word before the
    cursor asks for first (citations after `overrides`, acts after `expect`, values after
    `=`, …)."""
    index = snapshot.index
    keywords = SURFACE_KEYWORDS[surface.declared_language(before)]
    tail = before[-200:]
    m = LAST.search(TYPED.sub("", tail).rstrip(" \t"))
    wanted = AFTER.get(m.group(1)) if m else None
    line = tail[tail.rfind("\n") + 1:]
    if CITING.search(line):  # in a list of citations, however far it has got
        wanted = "provision"
    rank = {kind: ("0" if kind == wanted else str(n)) for n, kind in
            enumerate(("fact", "value", "action", "enum", "provision"), 1)}
    items = [t.CompletionItem(k, kind=t.CompletionItemKind.Keyword, sort_text=f"9{k}") for k in keywords]
    for name in index.names("fact"):
        decl = index.declarations[("fact", name)]
        items.append(t.CompletionItem(name, kind=t.CompletionItemKind.Variable, detail=_type_text(decl, index),
                                      documentation=decl.description, sort_text=f"{rank['fact']}{name}"))
    for name in index.names("value"):
        enum, value = index.declarations[("value", name)]
        items.append(t.CompletionItem(name, kind=t.CompletionItemKind.EnumMember, detail=f"value of {enum.name.text}",
                                      documentation=value.description, sort_text=f"{rank['value']}{name}"))
    for name in index.names("action"):
        decl = index.declarations[("action", name)]
        items.append(t.CompletionItem(name, kind=t.CompletionItemKind.Function, detail="action",
                                      documentation=decl.description, sort_text=f"{rank['action']}{name}"))
    for name in index.names("enum"):
        items.append(t.CompletionItem(name, kind=t.CompletionItemKind.Enum, detail="enum",
                                      sort_text=f"{rank['enum']}{name}"))
    for pid in index.names("provision"):
        decl = index.declarations[("provision", pid)]
        items.append(t.CompletionItem(pid, kind=t.CompletionItemKind.Reference, detail=decl.title,
                                      sort_text=f"{rank['provision']}{pid}"))
    return items


# ---- the outline ---------------------------------------------------------------------------------

def _symbol(name, detail, kind, rng, sel, children=None) -> t.DocumentSymbol:
    return t.DocumentSymbol(name=name or "?", kind=kind, range=rng, selection_range=sel, detail=detail,
                            children=children or None)


def _union(ranges: list[t.Range]) -> t.Range:
    start = min((r.start for r in ranges), key=lambda p: (p.line, p.character))
    end = max((r.end for r in ranges), key=lambda p: (p.line, p.character))
    return t.Range(start, end)


def document_symbols(snapshot: Snapshot, path: str, pos: Positions) -> list[t.DocumentSymbol]:
    """The outline of one file: each law, its chapters and their paragraphs (provisions of
    an amendment under the amendment), then the other declarations in order."""
    from ..syntax.format import citation_text

    state = snapshot.files.get(path)
    syntax = state.syntax if state is not None and state.syntax is not None else None
    if syntax is None:
        return []
    laws = [i for i in syntax.items if isinstance(i, s.LawDecl)]
    sole = laws[0].name.text if len(laws) == 1 else None
    all_laws = snapshot.index.names("law")
    sole = sole or (all_laws[0] if len(all_laws) == 1 else None)
    chapters: dict[str, dict[int | None, list[t.DocumentSymbol]]] = {}
    others: list[t.DocumentSymbol] = []
    amendment: t.DocumentSymbol | None = None
    K = t.SymbolKind

    def r(span: Span) -> t.Range:
        return pos.span_range(span)

    for item in syntax.items:
        if isinstance(item, s.ProvisionDecl):
            c = item.citation
            law = c.law or sole or "?"
            name = Citation(law, None, c.paragraph, c.letter, c.stycke, c.punkt).swedish(with_law=False)
            sym = _symbol(name, item.title, K.Function, r(item.span), r(c.span))
            chapters.setdefault(law, {}).setdefault(c.chapter, []).append(sym)
        elif isinstance(item, s.AmendmentDecl):
            amendment = _symbol(item.title, f"{item.provenance.sfs or 'proposal'} to {item.law.text}",
                                K.Event, r(item.span), r(item.span), [])
            others.append(amendment)
        elif isinstance(item, (s.InsertOp, s.RewordOp, s.RepealOp, s.ContractDecl)) and amendment is not None:
            if isinstance(item, (s.InsertOp, s.RewordOp)):
                word = "insert" if isinstance(item, s.InsertOp) else "reword"
                name = f"{word} {citation_text(item.provision.citation)}"
                sym = _symbol(name, item.provision.title, K.Function, r(item.span), r(item.provision.citation.span))
            else:
                sym = _symbol(item.span.text().split("\n")[0][:60], None, K.Property, r(item.span), r(item.span))
            amendment.children = (amendment.children or []) + [sym]
            amendment.range = _union([amendment.range, sym.range])
        elif isinstance(item, s.LawDecl):
            continue
        elif isinstance(item, s.EnumDecl):
            values = [_symbol(v.name.text, v.description, K.EnumMember, r(v.span), r(v.name.span)) for v in item.values]
            others.append(_symbol(item.name.text, item.description, K.Enum, r(item.span), r(item.name.span), values))
        elif isinstance(item, s.FactDecl):
            others.append(_symbol(item.name.text, item.description, K.Variable, r(item.span), r(item.name.span)))
        elif isinstance(item, s.ActionDecl):
            others.append(_symbol(item.name.text, item.description, K.Method, r(item.span), r(item.name.span)))
        elif isinstance(item, s.GoalDecl):
            others.append(_symbol(f"goal “{item.title}”", None, K.Boolean, r(item.span), r(item.span)))
        elif isinstance(item, s.ExampleDecl):
            others.append(_symbol(f"example “{item.title}”", None, K.Object, r(item.span), r(item.span)))
        elif isinstance(item, s.AcceptDecl):
            others.append(_symbol(f"accept {item.finding}", item.justification, K.Key, r(item.span), r(item.span)))
    out = []
    declared = {l.name.text: l for l in laws}
    for law in sorted(set(chapters) | set(declared), key=lambda n: (n not in declared, n)):
        kids = []
        for chapter, provisions in sorted(chapters.get(law, {}).items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
            if chapter is None:
                kids.extend(provisions)
            else:
                rng = _union([p.range for p in provisions])
                kids.append(_symbol(f"{chapter} kap.", None, K.Namespace, rng, provisions[0].selection_range,
                                    provisions))
        decl = declared.get(law)
        ranges = [k.range for k in kids] + ([r(decl.span)] if decl else [])
        rng = _union(ranges)
        sel = r(decl.name.span) if decl else kids[0].selection_range
        out.append(_symbol(law, decl.title if decl else None, K.Module, rng, sel, kids))
    return out + others


# ---- formatting ---------------------------------------------------------------------------------

def formatting(snapshot: Snapshot, path: str, pos: Positions) -> list[t.TextEdit] | None:
    """The whole file as `legalmodel fmt` writes it; nothing where it does not parse or
    where fmt refuses (it never changes what a file says)."""
    from ..syntax.diagnostics import SpecError
    from ..syntax.format import format_checked

    state = snapshot.files.get(path)
    if state is None or state.syntax is None:
        return None
    try:
        formatted = format_checked(state.source)
    except SpecError:
        return None
    if formatted == state.source.text:
        return []
    lines = pos.lines(path)
    end = lines.position(len(lines.text))
    return [t.TextEdit(t.Range(t.Position(0, 0), t.Position(*end)), formatted)]


# ---- code actions -------------------------------------------------------------------------------

def _append_edit(snapshot: Snapshot, path: str, text: str, pos: Positions) -> t.TextEdit:
    """An edit that adds a block at the end of a file, after one blank line."""
    source = snapshot.files[path].source.text
    lines = pos.lines(path)
    end = t.Position(*lines.position(len(source)))
    prefix = "" if not source else ("\n" if source.endswith("\n") else "\n\n")
    return t.TextEdit(t.Range(end, end), prefix + text)


def witness_example(f: Finding, spec) -> str | None:
    """The finding's witness as an `example` block that passes where it is pasted (the
    facts that can matter to the act, the verdicts the spec gives there), as
    `check --as-examples` writes it."""
    from ..law.model import relevant_facts
    from ..reports.examples import example_block

    ev = f.witness
    if ev is None or spec is None:
        return None
    actions = [f.action] if f.action in spec.actions else list(spec.actions)
    facts = set()
    for a in actions:
        facts |= set(relevant_facts(spec, {a}))
    given = {k: ev.situation[k] for k in spec.facts if k in facts and k in ev.situation}
    expectations = {a: ev.verdicts[a] for a in actions if a in ev.verdicts}
    if not expectations:
        return None
    title = f"{f.kind}: {f.subject} ({f.id})".replace('"', "'").replace("\\", "/")
    return example_block(title, given, expectations)


def in_surface_of(snapshot: Snapshot, path: str, block: str) -> str:
    """A block written with the English keywords (an example, an acceptance), in the keywords
    of the file it is added to: a Swedish file (`språk sv`) reads no English keyword."""
    from ..syntax.diagnostics import SpecError
    from ..syntax.format import format_text

    state = snapshot.files.get(path)
    if state is None or surface.declared_language(state.source.text) != surface.SWEDISH:
        return block
    try:
        converted = format_text(block, path, to=surface.SWEDISH)
    except SpecError:  # cannot happen for the blocks made here; then the block as it is
        return block
    return converted.split("\n", 2)[2]  # without the declaration and its blank line


@frozen_dataclass
class FindingPlace:
    finding: Finding
    path: str


def code_actions(snapshot: Snapshot, path: str, diagnostics: list[t.Diagnostic], findings: dict[str, FindingPlace],
                 pos: Positions, to_uri) -> list[t.CodeAction]:
    uri = to_uri(path)
    out: list[t.CodeAction] = []
    spec = snapshot.law.spec if snapshot.law is not None else None
    for d in diagnostics:
        data = d.data if isinstance(d.data, dict) else {}
        for name in data.get("suggestions", ()) or ():
            if not isinstance(name, str):
                continue
            out.append(t.CodeAction(f"Change to `{name}`", kind=t.CodeActionKind.QuickFix, diagnostics=[d],
                                    is_preferred=len(data["suggestions"]) == 1,
                                    edit=t.WorkspaceEdit(changes={uri: [t.TextEdit(d.range, name)]})))
        place = findings.get(data.get("finding")) if isinstance(data.get("finding"), str) else None
        if place is None or place.path not in snapshot.files:
            continue
        f = place.finding
        block = witness_example(f, spec)
        if block is not None:
            out.append(t.CodeAction(f"Add the witness of {f.id} as an example", kind=t.CodeActionKind.QuickFix,
                                    diagnostics=[d], edit=t.WorkspaceEdit(changes={
                                        to_uri(place.path): [_append_edit(
                                            snapshot, place.path, in_surface_of(snapshot, place.path, block), pos)]})))
        if not f.id.startswith("UNK-"):  # an undecided question cannot be accepted (resolve.py)
            line = f'accept {f.id} "{JUSTIFICATION_PLACEHOLDER}"\n'
            out.append(t.CodeAction(f"Accept {f.id} (write the justification)", kind=t.CodeActionKind.QuickFix,
                                    diagnostics=[d], edit=t.WorkspaceEdit(changes={
                                        to_uri(place.path): [_append_edit(
                                            snapshot, place.path, in_surface_of(snapshot, place.path, line), pos)]})))
    return out
