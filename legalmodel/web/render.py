"""Templates, languages and words: the Jinja2 environment of the report and the explorer, the
`report` gettext domain (legalmodel/locale/<lang>/LC_MESSAGES/report.mo) and
`render_condition`, the one place a condition or a situation is put into words for a page.

Autoescaping is on for every template: a spec's titles and descriptions are text, never HTML.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jinja2

from ..law import model as m
from ..results import Condition

LANGUAGES = ("en", "sv")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
DOMAIN = "report"


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The `report` catalogue of a language (fallback=False: a missing catalogue is a bug)."""
    if lang not in LANGUAGES:
        raise ValueError(f"`{lang}` is not a language of the report; one of: {', '.join(LANGUAGES)}")
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang])


_environments: dict = {}


def environment(lang: str, spec=None) -> jinja2.Environment:
    """The templates in one language, for one spec (whose phrasing the prose uses), built once
    per pair: the explorer renders a page per request. The entry keeps its spec, so the spec's
    id cannot be taken by another while it is a key."""
    key = (lang, id(spec))
    found = _environments.get(key)
    if found is None:
        found = _environments[key] = (spec, _environment(lang, spec))
    return found[1]


def _environment(lang: str, spec) -> jinja2.Environment:
    """The templates with autoescaping on and StrictUndefined, so that a misspelt name in a
    template fails the tests instead of printing nothing."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters["verdict"] = lambda v: verdict_text(v, lang)
    env.globals.update(lang=lang, value_text=value_text, named_facts=named_facts,
                       render_condition=lambda subject, empty="": render_condition(subject, empty, spec, lang),
                       verdict_text=lambda v: verdict_text(v, lang), slug=slug,
                       finding_text=lambda f, report: finding_text(f, report, lang))
    return env


def finding_text(f, report, lang: str) -> str:
    """What a finding says, in the page's language, as the text report says it (the JSON's
    `message` stays English): for a failed goal, also which provision cannot help and why."""
    from .. import i18n
    from ..reports.reader import finding_prose

    with i18n.speaking(lang):
        return finding_prose(report, f)


def gettext_for(lang: str):
    return translations(lang).gettext


def value_text(value) -> str:
    """A fact's value as the text report prints it."""
    if value is None:
        return "—"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def verdict_text(verdict: str | None, lang: str) -> str:
    """A verdict, a goal's or an example's status in the page's language."""
    _ = gettext_for(lang)
    words = {
        "permitted": _("permitted"), "forbidden": _("forbidden"), "obligatory": _("obligatory"),
        "undecided": _("undecided"), "contradictory": _("contradictory"),
        "holds": _("holds"), "fails": _("fails"), "fails-as-expected": _("fails, as expected"),
        "holds-unexpectedly": _("holds, unexpectedly"), "unknown": _("unknown"),
        "passes": _("passes"), "underdetermined": _("not settled"), "impossible": _("impossible"),
        "consistent": _("consistent"), "findings": _("findings"),
    }
    return words.get(verdict, verdict or "—")


def render_condition(subject, empty: str = "", spec=None, lang: str = "en") -> str:
    """A condition or a situation in words: a provision's condition (an expression of the
    model, in the spec's own syntax), a region's or a witness's conditions (a sequence of
    `Condition`s: in prose, as the text reports write them, in `lang`, with the phrasing the
    spec gives its facts), or a situation (a dict of facts)."""
    from .. import i18n
    from ..analyses.explain import expr_text
    from ..reports import prose
    from ..reports.diff import where_inline

    if isinstance(subject, dict):
        return " ∧ ".join(f"{k} = {value_text(v)}" for k, v in subject.items()) or empty
    if isinstance(subject, (tuple, list)) and all(isinstance(c, Condition) for c in subject):
        if not subject:
            return empty
        if spec is None:
            return where_inline(list(subject), empty)
        with i18n.speaking(lang):
            return prose.words(prose.tree(spec, list(subject), lang))
    if isinstance(subject, m.Expr):
        return expr_text(subject)
    raise TypeError(f"render_condition cannot put {type(subject).__name__} into words")


def named_facts(conditions) -> list[str]:
    """The facts some conditions name, each once, in the order first named: the rows of a
    witness's table."""
    return list(dict.fromkeys(f for c in conditions for f in c.facts))


def slug(text: str) -> str:
    """A file name for a citation: ASCII letters, digits and dashes (`10-kap-18-b-OSL`)."""
    plain = unicodedata.normalize("NFKD", text.replace("§", " ")).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-") or "x"
