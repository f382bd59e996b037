"""The `report` gettext domain (legalmodel/locale/<lang>/LC_MESSAGES/report.po and .mo): every
string of the report's and the explorer's templates has a non-empty English and Swedish
translation, the catalogues hold no string the templates no longer use, and the committed
.mo files are exactly what Babel compiles from the .po files.

After changing a template's strings: extract them (`pybabel extract -F legalmodel/web/babel.cfg
-o report.pot .`), add them to both .po files, and compile (`pybabel compile -D report -d
legalmodel/locale`); docs/report.md says it step by step.
"""

from __future__ import annotations

import gettext
import io

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from legalmodel.web.render import LANGUAGES, LOCALE_DIR

from helpers import TESTS

ROOT = TESTS.parent


def catalogue(lang: str):
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / "report.po", "rb") as f:
        return read_po(f, locale=lang, domain="report")


def used_strings() -> set[str]:
    with open(ROOT / "legalmodel" / "web" / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_has_a_translation(lang):
    messages = [m for m in catalogue(lang) if m.id]
    assert messages
    empty = [m.id for m in messages if not m.string or (isinstance(m.string, tuple) and not all(m.string))]
    assert empty == []
    assert not any(m.fuzzy for m in messages)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogue_holds_exactly_the_strings_the_templates_use(lang):
    ids = {m.id for m in catalogue(lang) if m.id}
    used = used_strings()
    assert used - ids == set(), "strings without a translation"
    assert ids - used == set(), "translations of strings no template uses"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(lang):
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(lang))
    assert (LOCALE_DIR / lang / "LC_MESSAGES" / "report.mo").read_bytes() == compiled.getvalue()


def test_the_standard_library_reads_the_catalogues():
    sv = gettext.translation("report", localedir=str(LOCALE_DIR), languages=["sv"])
    en = gettext.translation("report", localedir=str(LOCALE_DIR), languages=["en"])
    assert sv.gettext("forbidden") == "förbjudet"
    assert en.gettext("forbidden") == "forbidden"


def test_swedish_placeholders_are_those_of_the_english_string():
    import re

    for m in catalogue("sv"):
        if m.id:
            assert sorted(re.findall(r"%\((\w+)\)s", m.string)) == sorted(re.findall(r"%\((\w+)\)s", m.id)), m.id
