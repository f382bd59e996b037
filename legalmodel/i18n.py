"""The language people are spoken to in: which one (`--lang`, the spec's `language`, the
locale, else English), and the message catalogue of the `legalmodel` gettext domain.

Messages are written in English in the code and marked with `_` (or `ngettext`); the
catalogues are `legalmodel/locale/<lang>/LC_MESSAGES/legalmodel.po`, compiled to `.mo` next to
them and read here with the standard library's `gettext`, so the core needs no Babel at run
time (Babel extracts and compiles them: docs/translating.md). JSON keys and finding kinds are
never translated; only text meant for people is.
"""

from __future__ import annotations

import gettext
import os
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "legalmodel"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "sv")
DEFAULT = "en"

_catalogues: dict[str, gettext.NullTranslations] = {}
_current = DEFAULT
_asked: str | None = None  # `--lang`, which outranks a spec's declared language


def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language, read once (English falls back to the msgids)."""
    found = _catalogues.get(language)
    if found is None:
        found = _catalogues[language] = gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)
    return found


def from_locale(environ=None) -> str | None:
    """The language the locale names (LC_ALL, then LC_MESSAGES, then LANG, as gettext reads
    them), when it is one legalmodel speaks; `sv_SE.UTF-8` is Swedish."""
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in LANGUAGES else None
    return None


def choose(requested: str | None = None, declared: str | None = None, environ=None) -> str:
    """The language to speak: the one asked for (`--lang`), else the spec's `language`, else
    the locale's, else English."""
    for language in (requested, declared, from_locale(environ)):
        if language in LANGUAGES:
            return language
    return DEFAULT


def use(language: str) -> None:
    """Speak `language` from now on (the command line sets it once, per spec if need be)."""
    global _current
    _current = language if language in LANGUAGES else DEFAULT


def current() -> str:
    return _current


def ask(language: str | None) -> None:
    """`--lang` (None: not given): speak it, and let no spec's declared language outrank it."""
    global _asked
    _asked = language if language in LANGUAGES else None
    if _asked is not None:
        use(_asked)


def for_declared(declared: str | None) -> str:
    """The language to speak about a file or spec that declares `declared` (None: declares
    none): the one asked for, else the declared one, else the one spoken now."""
    if _asked is None and declared in LANGUAGES:
        return declared
    return _current


@contextmanager
def speaking(language: str):
    """Speak `language` within a block, then the language spoken before."""
    before = _current
    use(language)
    try:
        yield
    finally:
        use(before)


def _(message: str) -> str:
    """`message` in the current language."""
    return catalogue(_current).gettext(message)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is written; `_` translates it where it is said."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form, as the current language counts `n`."""
    return catalogue(_current).ngettext(singular, plural, n)


class Words(str):
    """A sentence that is its English text (a `str`: the JSON `message`, `--notation logic`,
    equality and `in` read it so) and keeps its template and named values, so that a report
    for people says it in its own language with `said()`. A value may itself be `Words`,
    or a tuple of them (said joined by commas).
    `localised` makes the keywords it quotes read as a file writes them (syntax/surface.py)."""

    __slots__ = ("template", "values", "localise")

    def __new__(cls, template: str, values: tuple = (), localise=None):
        text = template.format(**{k: _joined(v, _as_is) for k, v in values})
        if localise is not None:
            text = localise(text)
        self = super().__new__(cls, text)
        self.template, self.values, self.localise = template, values, localise
        return self

    def said(self) -> str:
        """The sentence in the current language."""
        text = _(self.template).format(**{k: _joined(v, said) for k, v in self.values})
        return self.localise(text) if self.localise is not None else text

    def localised(self, localise) -> "Words":
        """The same sentence, with `localise` applied to its text in either language."""
        return Words(self.template, self.values, localise)

    def __reduce__(self):  # a finding crosses processes (solver/parallel.py): keep what it says
        return (Words, (self.template, self.values, self.localise))


def sentence(template: str, **values) -> Words:
    """`Words` of a template marked for the catalogue (tools/catalogues.py extracts `sentence`
    as it does `_`), with its named values."""
    return Words(template, tuple(sorted(values.items())))


def _as_is(value):
    return value


def _joined(value, say):
    """A value as a template takes it: a tuple joined by commas; a number kept a number, for
    a format such as `{count:,}`."""
    return ", ".join(str(say(v)) for v in value) if isinstance(value, tuple) else say(value)


def quoted(text) -> str:
    """A title (a provision's, a goal's, a case's) in the quotation marks of the current
    language: “…” in English, ”…” in Swedish."""
    return _("“{text}”").format(text=text)


def said(text) -> str:
    """`text` in the current language where it is `Words`; any other text as it is."""
    return text.said() if isinstance(text, Words) else text
