"""Source text and positions: where every piece of a spec came from.

A `Span` points into a `SourceFile` by offsets, line and column (both 1-based). Spans are
kept out of equality and repr on every tree node, so two trees that say the same thing
compare equal wherever they were written.

Lines end at LF alone: a `SourceFile` turns every CRLF and lone CR (old Mac files) into LF as
it is made, so the parser, the spans, the excerpts in diagnostics and `fmt` all count the same
lines. Other characters Unicode calls line breaks (U+2028, form feed, ...) do not end a line.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import field, fields, is_dataclass
from ..frozen import frozen_dataclass


@frozen_dataclass(slots=True)
class SourceFile:
    """One file of a spec, with its text."""

    path: str
    text: str = field(repr=False)

    def __post_init__(self) -> None:
        if "\r" in self.text:
            object.__setattr__(self, "text", self.text.replace("\r\n", "\n").replace("\r", "\n"))

    def line_text(self, line: int) -> str:
        starts = _line_starts(self.text)
        if 1 <= line <= len(starts):
            end = starts[line] - 1 if line < len(starts) else len(self.text)
            return self.text[starts[line - 1]:end]
        return ""


@functools.lru_cache(maxsize=8)
def _line_starts(text: str) -> tuple[int, ...]:
    """Where each line starts: found once per text, since a file with thousands of errors
    asks for thousands of lines (splitting the text for each was quadratic)."""
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return tuple(starts)


@frozen_dataclass(slots=True)
class Span:
    """A region of a source file: start and end offsets, start line and column."""

    source: SourceFile | None
    start: int
    end: int
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    @property
    def path(self) -> str:
        return self.source.path if self.source else "<input>"

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def text(self) -> str:
        if self.source is None:
            return ""
        return self.source.text[self.start : self.end]


NOWHERE = Span(None, 0, 0, 0, 0)


def span_field():
    """A dataclass field for a node's span, left out of equality, hashing and repr."""
    return field(default=NOWHERE, compare=False, repr=False, hash=False)


def pickle_by_fields(namespace: dict) -> None:
    """Make the dataclasses defined in a module's namespace pickle as their class and field
    values, so that unpickling calls the constructor. The default for a frozen, slotted
    dataclass calls `fields()` once per object as it is read back, which made reading a
    stored syntax tree (cache.py) three times slower."""
    module = namespace["__name__"]
    for cls in list(namespace.values()):
        if isinstance(cls, type) and is_dataclass(cls) and cls.__module__ == module:
            names = tuple(f.name for f in fields(cls))
            values = operator.attrgetter(*names)
            if len(names) == 1:
                cls.__reduce__ = lambda self, cls=cls, values=values: (cls, (values(self),))
            else:
                cls.__reduce__ = lambda self, cls=cls, values=values: (cls, values(self))


pickle_by_fields(globals())
