"""Source text and positions: where every piece of a spec came from.

A `Span` points into a `SourceFile` by offsets, line and column (both 1-based). Spans are
kept out of equality and repr on every tree node, so two trees that say the same thing
compare equal wherever they were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file of a spec, with its text."""

    path: str
    text: str = field(repr=False)

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        if 1 <= line <= len(lines):
            return lines[line - 1]
        return ""


@dataclass(frozen=True, slots=True)
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
