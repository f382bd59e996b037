"""A spec folder as an editor sees it: its files (open buffers over the files on disk), each
parsed, the whole resolved where it can be, and an index of every name and citation in it.

No editor protocol here: positions are (0-based line, UTF-16 column) pairs, as LSP counts
them, and everything else is the library's own data. A file that does not parse keeps its
last good syntax in the index, so that go-to-definition and completion still work while a
line is half written.
"""

from __future__ import annotations

import bisect
import hashlib
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..syntax import tree as s
from ..syntax.citations import Citation, Selector
from ..syntax.diagnostics import Diagnostic, SpecError
from ..syntax.source import SourceFile, Span
from .incremental import IncrementalParser
from ..frozen import frozen_dataclass

SUFFIX = ".lm"
MAX_FOLDER_FILES = 500  # a folder with more spec files than this is read as the open file alone


# ---- positions ----------------------------------------------------------------------------

class Lines:
    """Offsets ↔ (line, UTF-16 column) for one text; lines end at LF (SourceFile made them so)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        at = text.find("\n")
        while at != -1:
            self.starts.append(at + 1)
            at = text.find("\n", at + 1)

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return line, _utf16_len(self.text[start:offset])

    def offset(self, line: int, character: int) -> int:
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        units = 0
        at = start
        while at < end and units < character:  # count UTF-16 units: a character past U+FFFF is two
            units += 2 if ord(self.text[at]) > 0xFFFF else 1
            at += 1
        return at


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


# ---- the index ----------------------------------------------------------------------------

@frozen_dataclass(slots=True)
class Occurrence:
    """One place a symbol is written: `kind` is law, enum, fact, value, action or provision;
    `key` its name (a provision's: its citation in Swedish form, `26 kap. 1 § OSL`)."""

    path: str
    start: int
    end: int
    kind: str
    key: str
    definition: bool


@dataclass
class Index:
    """Every occurrence of every symbol, and each symbol's declaration as written."""

    occurrences: list[Occurrence] = field(default_factory=list)
    declarations: dict[tuple[str, str], object] = field(default_factory=dict)  # (kind, key) → syntax
    by_path: dict[str, list[Occurrence]] = field(default_factory=dict)

    def add(self, span: Span, kind: str, key: str, definition: bool = False, decl=None) -> None:
        if span.source is None:
            return
        occ = Occurrence(span.source.path, span.start, span.end, kind, key, definition)
        self.occurrences.append(occ)
        self.by_path.setdefault(occ.path, []).append(occ)
        if definition and decl is not None:
            self.declarations.setdefault((kind, key), decl)

    def at(self, path: str, offset: int) -> list[Occurrence]:
        """The occurrences under an offset (or just before it, the cursor at a word's end),
        the narrowest first."""
        found = [o for o in self.by_path.get(path, ()) if o.start <= offset <= o.end]
        found.sort(key=lambda o: (o.end - o.start, o.kind, o.key))
        if not found:
            return []
        narrowest = found[0].end - found[0].start
        return [o for o in found if o.end - o.start == narrowest]

    def of(self, kind: str, key: str) -> list[Occurrence]:
        return [o for o in self.occurrences if o.kind == kind and o.key == key]

    def names(self, kind: str) -> list[str]:
        return sorted({k for (k_kind, k) in self.declarations if k_kind == kind})


def build_index(files: list[s.SpecFile]) -> Index:
    """The index of a spec's files. Citations are matched as the resolver matches them (a
    citation without a law means the provision's own law, or the spec's one law), so that a
    range like `26 kap. 1–6 §§` refers to each provision it covers."""
    index = Index()
    laws = [i.name.text for f in files for i in f.items if isinstance(i, s.LawDecl)]
    sole_law = laws[0] if len(set(laws)) == 1 else None
    citations: dict[str, Citation] = {}

    def provisions_of(f: s.SpecFile):
        law = None
        for item in f.items:
            if isinstance(item, s.AmendmentDecl):
                law = item.law.text
            elif isinstance(item, s.ProvisionDecl):
                yield item, None
            elif isinstance(item, (s.InsertOp, s.RewordOp)):
                yield item.provision, law

    def pid_of(p: s.ProvisionDecl, context: str | None) -> str | None:
        c = p.citation
        law = c.law or context or sole_law
        if law is None:
            return None
        return Citation(law, c.chapter, c.paragraph, c.letter, c.stycke, c.punkt).swedish()

    for f in files:
        for p, context in provisions_of(f):
            pid = pid_of(p, context)
            if pid is not None:
                c = p.citation
                citations[pid] = Citation(c.law or context or sole_law, c.chapter, c.paragraph, c.letter,
                                          c.stycke, c.punkt)
    enum_values: dict[str, str] = {}
    facts: set[str] = set()
    for f in files:
        for item in f.items:
            if isinstance(item, s.EnumDecl):
                for v in item.values:
                    enum_values.setdefault(v.name.text, item.name.text)
            elif isinstance(item, s.FactDecl):
                facts.add(item.name.text)

    by_chapter: dict[tuple[str, int | None], list[tuple[str, Citation]]] = {}
    for pid, c in citations.items():
        by_chapter.setdefault((c.law, c.chapter), []).append((pid, c))
    chapters_of: dict[str, list[int]] = {}
    for law, chapter in by_chapter:
        if chapter is not None:
            chapters_of.setdefault(law, []).append(chapter)

    def selectors(sels, context: str | None):
        """Each provision a list selects, looked up by chapter: a law of a thousand provisions
        is not read through once for every citation in it."""
        for sel in sels:
            law = sel.law or context or sole_law
            if law is None:
                continue
            wanted = Selector(law, sel.chapters, sel.paragraphs, sel.stycke, sel.punkt)
            if sel.chapters is None:
                chapters = [None]
            else:
                low, high = sel.chapters
                chapters = [c for c in chapters_of.get(law, ()) if low <= c <= high]
            for chapter in chapters:
                for pid, c in by_chapter.get((law, chapter), ()):
                    if wanted.matches(c):
                        index.add(sel.span, "provision", pid)

    def name_ref(span: Span, name: str):
        if name in facts:
            index.add(span, "fact", name)
        elif name in enum_values:
            index.add(span, "value", name)

    def expr(e, context: str | None):
        if e is None:
            return
        if isinstance(e, s.NameRef):
            name_ref(e.span, e.name)
        elif isinstance(e, s.Not):
            expr(e.operand, context)
        elif isinstance(e, (s.And, s.Or)):
            for o in e.operands:
                expr(o, context)
        elif isinstance(e, s.Implies):
            expr(e.premise, context)
            expr(e.conclusion, context)
        elif isinstance(e, s.Iff):
            expr(e.left, context)
            expr(e.right, context)
        elif isinstance(e, s.Compare):
            expr(e.left, context)
            expr(e.right, context)
        elif isinstance(e, s.InSet):
            expr(e.operand, context)
            for v in e.values:
                expr(v, context)
        elif isinstance(e, s.Applies):
            selectors(e.selectors, context)
        elif isinstance(e, s.AppliesModality):
            selectors(e.within, context)

    def provision(p: s.ProvisionDecl, context: str | None):
        pid = pid_of(p, context)
        law = citations[pid].law if pid in citations else context
        if pid is not None:
            index.add(p.citation.span, "provision", pid, True, p)
        index.add(p.action.span, "action", p.action.text)
        expr(p.condition, law)
        for clause in p.overrides:
            selectors(clause.within if isinstance(clause, s.ModalityOverride) else clause.selectors, law)
        selectors(p.excepts, law)

    for f in files:
        context = None
        for item in f.items:
            if isinstance(item, s.LawDecl):
                index.add(item.name.span, "law", item.name.text, True, item)
            elif isinstance(item, s.EnumDecl):
                index.add(item.name.span, "enum", item.name.text, True, item)
                for v in item.values:
                    index.add(v.name.span, "value", v.name.text, True, (item, v))
            elif isinstance(item, s.FactDecl):
                index.add(item.name.span, "fact", item.name.text, True, item)
                if isinstance(item.type, s.NamedTypeSyntax):
                    index.add(item.type.name.span, "enum", item.type.name.text)
            elif isinstance(item, s.ActionDecl):
                index.add(item.name.span, "action", item.name.text, True, item)
            elif isinstance(item, s.Assumption):
                expr(item.condition, None)
            elif isinstance(item, s.ProvisionDecl):
                provision(item, None)
            elif isinstance(item, (s.InsertOp, s.RewordOp)):
                provision(item.provision, context)
            elif isinstance(item, s.AmendmentDecl):
                context = item.law.text
                index.add(item.law.span, "law", item.law.text)
            elif isinstance(item, (s.OutsideScope, s.RepealOp)):
                selectors(item.selectors, context)
            elif isinstance(item, s.GoalDecl):
                index.add(item.action.span, "action", item.action.text)
                expr(item.condition, None)
            elif isinstance(item, s.ExampleDecl):
                for g in item.given:
                    index.add(g.fact.span, "fact", g.fact.text)
                    expr(g.value, None)
                for x in item.expectations:
                    index.add(x.action.span, "action", x.action.text)
            elif isinstance(item, s.ContractDecl):
                expr(item.condition, context)
                if item.action is not None:
                    index.add(item.action.span, "action", item.action.text)
    return index


# ---- a spec folder ---------------------------------------------------------------------------

@frozen_dataclass
class FileState:
    """One file of a folder: its text as the editor has it, and its syntax (None where it does
    not parse: `errors` then say why)."""

    path: str
    source: SourceFile
    syntax: s.SpecFile | None
    errors: tuple[Diagnostic, ...]


class ParseCache:
    """The syntax of each file, by path and text: an edit re-parses the file edited only."""

    def __init__(self) -> None:
        self._by_path: dict[str, tuple[str, FileState]] = {}
        self._parsers: dict[str, IncrementalParser] = {}
        self.last_good: dict[str, s.SpecFile] = {}

    def parse(self, path: str, text: str) -> FileState:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        stored = self._by_path.get(path)
        if stored is not None and stored[0] == digest:
            return stored[1]
        state = parse_text(path, text, self._parsers.setdefault(path, IncrementalParser()))
        self._by_path[path] = (digest, state)
        if state.syntax is not None:
            self.last_good[path] = state.syntax
        return state

    def forget(self, path: str) -> None:
        self._by_path.pop(path, None)
        self._parsers.pop(path, None)
        self.last_good.pop(path, None)


def parse_text(path: str, text: str, parser: IncrementalParser | None = None) -> FileState:
    """A file's syntax or its errors; bad text of any kind is a diagnostic (the pipeline's own
    checks: UTF-8 without control characters, the size limit), never an exception."""
    from ..pipeline import decode_source
    from ..syntax.parse import parse_source
    from ..syntax.tree import MAX_FILE_BYTES

    source = SourceFile(path, text)
    try:
        data = text.encode("utf-8", "surrogatepass")
        if len(data) > MAX_FILE_BYTES:
            return FileState(path, source, None, (Diagnostic(
                "input", f"this file is larger than {MAX_FILE_BYTES // 1_000_000} MB; a spec is read up to that size",
                Span(source, 0, 0, 1, 1)),))
        source = decode_source(data, path)
        return FileState(path, source, parser.parse(source) if parser is not None else parse_source(source), ())
    except SpecError as err:
        return FileState(path, source, None, err.diagnostics)
    except RecursionError:
        return FileState(path, source, None, (Diagnostic("syntax", "this file nests too deeply to be read",
                                                         Span(source, 0, 0, 1, 1)),))


def folder_files(folder: str) -> list[str]:
    """The spec files of a folder, as `legalmodel check` takes a folder's own `.lm` files:
    in name order, hidden files left out."""
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(SUFFIX) and not n.startswith("."))
    except OSError:
        return []
    return [os.path.join(folder, n) for n in names if os.path.isfile(os.path.join(folder, n))][:MAX_FOLDER_FILES]


def read_disk(path: str) -> str | None:
    """A file's text from disk, as the pipeline reads it (a regular file, up to the size
    limit, UTF-8); None where it cannot be read so."""
    from ..pipeline import read_spec_bytes

    try:
        data, _name = read_spec_bytes(Path(path), path, Path(path).parent)
        return data.decode("utf-8")
    except (SpecError, UnicodeDecodeError, OSError):
        return None


@dataclass
class Snapshot:
    """One spec folder at one moment: its files, the errors that stop it being read (syntax,
    else resolution), the index and, where it resolved, the `Law` to check."""

    folder: str
    files: dict[str, FileState]
    errors: dict[str, list[Diagnostic]]
    syntax: list[s.SpecFile]  # each file's syntax, or its last good one while it does not parse
    law: object | None  # legalmodel.api.Law
    history: object | None
    generation: int = 0
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def resolved(self) -> bool:
        return self.law is not None

    @cached_property
    def index(self) -> Index:
        """Made when first asked (by a hover, a definition, …): not on every keystroke, since
        it takes a tenth of a second for a thousand provisions."""
        return build_index(self.syntax)


def read_folder(folder: str, paths: list[str], texts: dict[str, str], cache: ParseCache,
                as_of: str | None) -> Snapshot:
    """Parse every file (`texts` gives a file's text; an open buffer wins over the disk), then,
    where every file parses, resolve the spec on `as_of`. Errors by file path."""
    from ..api import Law
    from ..law.history import split
    from ..pipeline import law_of

    files: dict[str, FileState] = {}
    errors: dict[str, list[Diagnostic]] = {p: [] for p in paths}
    for path in paths:
        state = cache.parse(path, texts[path])
        files[path] = state
        for d in state.errors:
            errors.setdefault(path, []).append(d)
    syntax = [files[p].syntax or cache.last_good.get(p) for p in paths]
    law = history = None
    if all(files[p].syntax is not None for p in paths) and any(files[p].syntax.items for p in paths):
        parsed = [files[p].syntax for p in paths]
        try:
            history = split(folder, parsed)
            law = Law(history, law_of(history, as_of), as_of, ())
        except SpecError as err:
            law = None
            for d in err.diagnostics:
                errors.setdefault(d.span.path if d.span.source else paths[0], []).append(d)
        except RecursionError:
            law = None
            errors[paths[0]].append(Diagnostic("resolve", "this spec nests too deeply to be checked",
                                               Span(files[paths[0]].source, 0, 0, 1, 1)))
    return Snapshot(folder, files, errors, [f for f in syntax if f is not None], law, history,
                    texts={p: texts[p] for p in paths})
