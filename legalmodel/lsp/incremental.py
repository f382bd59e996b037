"""Parsing a file again after an edit, item by item: only the items whose text changed are
parsed; the others are taken from the last parse and moved to their new place.

A file is cut where a line begins an item (`provision`, `fact`, …), as parse.py cuts it to
report every syntax error. The grammar is a sequence of items, so the file's syntax is the
items of its parts in order, and its errors are the errors of its parts: each part is
parsed as a file of its own (at offset 0, line 1) and its spans shifted into the file. The
result is the one parse_source gives, spans included (tests/test_lsp_index.py checks it on
every spec of the repository and on broken ones). A file's declaration (`språk sv`) is read
first, and every part parsed in the surface it declares. Parsing a 1,000-provision file whole
takes most of a second; after an edit to one item, a few milliseconds and the shift.

A part that is unchanged *and at the same place* keeps its items as they were, spans and
all: their spans point into an earlier text of the file, which holds the same characters
at the same offsets, lines and columns there, so every use of a span (its text, its line,
its place) gives what the new text would. Only the parts after an edit that changed the
length are shifted.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass

from ..syntax import tree as s
from ..syntax.diagnostics import Diagnostic, SpecError
import re

from ..syntax.parse import parse_source
from ..syntax import surface
from ..syntax.source import Span, SourceFile

_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple(f.name for f in fields(cls))
    return found


def shift_span(span: Span, source: SourceFile, offset: int, lines: int) -> Span:
    if span.source is None:
        return span
    return Span(source, span.start + offset, span.end + offset, span.line + lines, span.column,
                span.end_line + lines if span.end_line else 0, span.end_column)


def shift(node, source: SourceFile, offset: int, lines: int):
    """A syntax node (or a tuple of them) with every span moved by `offset` characters and
    `lines` lines, into `source`."""
    if isinstance(node, tuple):
        return tuple(shift(x, source, offset, lines) for x in node)
    if isinstance(node, Span):
        return shift_span(node, source, offset, lines)
    if is_dataclass(node) and not isinstance(node, type):
        cls = type(node)
        return cls(*(shift(getattr(node, name), source, offset, lines) for name in _field_names(cls)))
    return node


def shift_diagnostic(d: Diagnostic, source: SourceFile, offset: int, lines: int, at_end: bool) -> Diagnostic:
    message = d.message
    if not at_end and message == "the file ends in the middle of an item":  # as parse.py says it mid-file
        message = "this item is incomplete"
    notes = tuple((text, shift_span(span, source, offset, lines)) for text, span in d.notes)
    return Diagnostic(d.code, message, shift_span(d.span, source, offset, lines), d.help, d.expected, notes,
                      d.severity)


_ITEM_START = {language: re.compile(r"\s*(" + "|".join(surface.item_keywords(language)) + r")\b")
               for language in surface.LANGUAGES}
_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def parts(text: str, language: str = surface.ENGLISH) -> list[tuple[int, int, str]]:
    """The text cut where a line begins an item, as (offset, first line, part): the cut
    parse.py makes to report every error, made in one pass (lines counted as it goes)."""
    item_start = _ITEM_START[language]
    out = []
    start, start_line = 0, 1
    offset, line = 0, 1
    for m in _LINE.finditer(text):  # lines end at LF only, as for Lark (source.py)
        if offset and item_start.match(m.group()):
            out.append((start, start_line, text[start:offset]))
            start, start_line = offset, line
        offset = m.end()
        line += 1
    out.append((start, start_line, text[start:]))
    return out


class IncrementalParser:
    """The syntax of one file, kept by part: `parse` reuses each part whose text is unchanged."""

    def __init__(self) -> None:
        # (surface, a part's text) → its items (or its errors), parsed as a file of its own
        self._parts: dict[tuple[str, str], tuple[tuple, tuple[Diagnostic, ...]]] = {}
        # (part, offset, first line) → its items in place, from the last parse
        self._placed: dict[tuple[str, int, int], tuple] = {}

    def parse(self, source: SourceFile) -> s.SpecFile:
        """As parse_source: the file's syntax, or SpecError with every syntax error in it."""
        if not source.text.strip():
            return s.SpecFile(source, ())
        declaration = surface.read_declaration(source)  # the parts are read in the file's surface
        language, text = declaration.language, declaration.text
        placed: dict[tuple[str, int, int], tuple] = {}
        kept: dict[tuple[str, str], tuple[tuple, tuple[Diagnostic, ...]]] = {}
        items: list = []
        errors: list[Diagnostic] = []
        end = len(text.rstrip())
        for offset, first_line, chunk in parts(text, language):
            if not chunk.strip():
                continue
            found = kept.get((language, chunk)) or self._parts.get((language, chunk))
            if found is None:
                try:
                    found = (parse_source(SourceFile(source.path, chunk), language).items, ())
                except SpecError as err:
                    found = ((), err.diagnostics)
            kept[(language, chunk)] = found
            part_items, part_errors = found
            if part_errors:
                at_end = offset + len(chunk) >= end
                errors.extend(shift_diagnostic(d, source, offset, first_line - 1, at_end) for d in part_errors)
            elif not errors:
                key = (chunk, offset, first_line)
                here = self._placed.get(key)
                if here is None:
                    here = shift(part_items, source, offset, first_line - 1)
                placed[key] = here
                items.extend(here)
        self._parts = kept  # parts no longer in the file are forgotten
        if not errors:
            self._placed = placed
        if errors:
            raise SpecError(errors)
        return s.SpecFile(source, tuple(items), language, declaration.declared)
