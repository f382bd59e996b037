"""Statute citations and the selectors that name groups of them.

A `Citation` names one provision: `10 kap. 18 a § OSL`, written the Swedish way or in the
short form `OSL 10:18 a`; both are the same value. A `Selector` names a set of citations the
way a statute does in its lists (`24 kap. 2 a och 8 §§, 25 kap. 1–8 §§`, `21–40 kap.`).

Ordering of paragraphs follows the statute book: `1 §` < `1 a §` < `1 b §` < `2 §`, so the
range `26 kap. 1–6 §§` includes `26 kap. 1 a §` but not `26 kap. 6 a §`.
"""

from __future__ import annotations

from dataclasses import dataclass
from ..frozen import frozen_dataclass

ORDINALS = (
    "första", "andra", "tredje", "fjärde", "femte",
    "sjätte", "sjunde", "åttonde", "nionde", "tionde",
)
ORDINAL_NUMBER = {word: i + 1 for i, word in enumerate(ORDINALS)}
ORDINAL_STYCKET = {i + 1: word for i, word in enumerate(ORDINALS)}


def paragraph_key(number: int, letter: str) -> tuple[int, str]:
    return (number, letter)


@dataclass(frozen=True, slots=True, order=True)
class Citation:
    """One provision's name: law, chapter (None for laws without chapters), paragraph."""

    law: str
    chapter: int | None
    paragraph: int
    letter: str = ""
    stycke: int | None = None
    punkt: int | None = None

    def sort_key(self):
        return (
            self.law,
            self.chapter if self.chapter is not None else -1,
            self.paragraph,
            self.letter,
            self.stycke or 0,
            self.punkt or 0,
        )

    def swedish(self, with_law: bool = True) -> str:
        """`10 kap. 18 a § OSL`, `26 kap. 1 a § första stycket OSL`."""
        parts = []
        if self.chapter is not None:
            parts.append(f"{self.chapter} kap.")
        parts.append(f"{self.paragraph}{' ' + self.letter if self.letter else ''} §")
        if self.stycke is not None:
            word = ORDINAL_STYCKET.get(self.stycke)
            parts.append(f"{word} stycket" if word else f"{self.stycke} st.")
        if self.punkt is not None:
            parts.append(f"{self.punkt} p.")
        if with_law:
            parts.append(self.law)
        return " ".join(parts)

    def short(self) -> str:
        """`OSL 10:18 a`; stycke and punkt as `st. 1`, `p. 2`."""
        para = f"{self.paragraph}{' ' + self.letter if self.letter else ''}"
        text = f"{self.law} {self.chapter}:{para}" if self.chapter is not None else f"{self.law} {para} §"
        if self.stycke is not None:
            text += f" {self.stycke} st."
        if self.punkt is not None:
            text += f" {self.punkt} p."
        return text

    def __str__(self) -> str:
        return self.swedish()

    def without_law(self) -> tuple:
        return (self.chapter, self.paragraph, self.letter, self.stycke, self.punkt)


@frozen_dataclass(slots=True)
class Selector:
    """A set of citations as a statute names them.

    `chapters` is an inclusive range of chapters (None: a law without chapters);
    `paragraphs` an inclusive range of (number, letter) keys (None: whole chapters);
    `stycke`/`punkt` narrow a single paragraph to one stycke or punkt.
    """

    law: str
    chapters: tuple[int, int] | None
    paragraphs: tuple[tuple[int, str], tuple[int, str]] | None = None
    stycke: int | None = None
    punkt: int | None = None

    def matches(self, citation: Citation) -> bool:
        if citation.law != self.law:
            return False
        if self.chapters is None:
            if citation.chapter is not None:
                return False
        else:
            if citation.chapter is None:
                return False
            low, high = self.chapters
            if not low <= citation.chapter <= high:
                return False
        if self.paragraphs is not None:
            low_p, high_p = self.paragraphs
            if not low_p <= (citation.paragraph, citation.letter) <= high_p:
                return False
        if self.stycke is not None and citation.stycke != self.stycke:
            return False
        if self.punkt is not None and citation.punkt != self.punkt:
            return False
        return True

    def describe(self) -> str:
        if self.paragraphs is None:
            assert self.chapters is not None
            low, high = self.chapters
            return f"{low} kap. {self.law}" if low == high else f"{low}–{high} kap. {self.law}"
        (n1, l1), (n2, l2) = self.paragraphs
        first = f"{n1}{' ' + l1 if l1 else ''}"
        chapter = f"{self.chapters[0]} kap. " if self.chapters else ""
        if (n1, l1) == (n2, l2):
            cit = Citation(self.law, self.chapters[0] if self.chapters else None, n1, l1,
                           self.stycke, self.punkt)
            return cit.swedish()
        last = f"{n2}{' ' + l2 if l2 else ''}"
        return f"{chapter}{first}–{last} §§ {self.law}"

    @staticmethod
    def exactly(citation: Citation) -> "Selector":
        chapters = None if citation.chapter is None else (citation.chapter, citation.chapter)
        key = (citation.paragraph, citation.letter)
        return Selector(citation.law, chapters, (key, key), citation.stycke, citation.punkt)
