"""Which names a spec may declare: never a word of the language, and never two names a reader
cannot tell apart.

Reserved words are every keyword of the grammar (`true`, `and`, `permit`, `provision`, …),
read from grammar/legalmodel.lark itself so the list cannot fall behind it; in a file written
with the Swedish keywords (`språk sv`), the words of those (`sant`, `och`, `tillåter`, …). The grammar's
contextual lexer would accept `fact true: bool "…"`, but `true` in a condition is the literal,
so such a fact could never be named, and `--given true=false` would quietly mean nothing.

Two names are *confusable* when they have the same skeleton: their NFKC normal form (which
folds compatibility variants such as the ligature `ﬁ` or full-width `ａ` into `fi` and `a`)
with every Cyrillic and Greek letter that looks like a Latin one replaced by it (Cyrillic `а`,
`е`, `о`, `р`, `с`, `у`, `х`, …, Greek `α`, `ο`, `ρ`, `ν`, …, and their capitals). This is a
small part of Unicode's confusables table (UTS #39): the letters of the scripts a drafter is
likely to paste from, not every lookalike Unicode lists.
"""

from __future__ import annotations

import unicodedata

# Cyrillic and Greek letters that look like a Latin letter, and that letter
LOOKALIKES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "ë", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "ї": "ï", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "к": "k", "м": "m",
    "н": "h", "т": "t", "ь": "b", "г": "r",
    "А": "A", "В": "B", "Е": "E", "Ё": "Ë", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "У": "Y", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Latin letters that look like another
    "ı": "i", "ȷ": "j",
})


def reserved_words(language: str = "en") -> frozenset[str]:
    """Every keyword word of a surface: for English each word written in quotes in the
    grammar, for Swedish the words of its phrases (syntax/surface.py)."""
    from ..syntax.surface import keyword_words

    return keyword_words(language)


def is_reserved(name: str, language: str = "en") -> bool:
    return name in reserved_words(language)


def skeleton(name: str) -> str:
    """What a name looks like: NFKC, then lookalike letters made Latin (an ASCII name is
    its own: NFKC keeps ASCII, and every lookalike is outside it)."""
    if name.isascii():
        return name
    return unicodedata.normalize("NFKC", name).translate(LOOKALIKES)


def foreign_letters(name: str) -> str:
    """The letters of `name` that are not what they look like, described for a message:
    `а (U+0430 CYRILLIC SMALL LETTER A)`."""
    out = []
    for ch in name:
        if unicodedata.normalize("NFKC", ch).translate(LOOKALIKES) != ch:
            out.append(f"{ch} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})")
    return ", ".join(dict.fromkeys(out))
