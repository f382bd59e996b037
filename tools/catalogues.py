"""Bring the `legalmodel` message catalogues up to date: extract every message marked with
`_` or `ngettext` from the code, merge it into the Swedish and English catalogues (keeping
their translations), fill the English one from the messages themselves, and compile both.

    python3 tools/catalogues.py            # after changing a message; then translate the new
                                           # entries of legalmodel/locale/sv/LC_MESSAGES/legalmodel.po
                                           # and run it again to compile them

Needs Babel (`pip install -e '.[test]'`); legalmodel itself reads the compiled .mo files
with the standard library. docs/translating.md says more.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "legalmodel"
LOCALE = PACKAGE / "locale"
DOMAIN = "legalmodel"
KEYWORDS = {"_": None, "ngettext": (1, 2), "sentence": None, "N_": None}
FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
# folders whose messages belong to another domain: web/ is the `report` domain (web/babel.cfg),
# but for what the command line says of the web commands (web/__init__.py)
OTHER_DOMAINS = {"web"}
OURS_THERE = {"web/__init__.py"}


def template() -> Catalog:
    """Every message the code marks, in a stable order."""
    catalog = Catalog(domain=DOMAIN, project="legalmodel", fuzzy=False, creation_date=FIXED_DATE)
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
                             comment_tags=("TRANSLATORS:",), strip_comment_tags=True)
    for filename, _lineno, message, comments, _context in sorted(found, key=lambda x: (x[0], x[1])):
        if Path(filename).parts[0] in OTHER_DOMAINS and Path(filename).as_posix() not in OURS_THERE:
            continue
        catalog.add(message, None, auto_comments=comments)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, omit_header=False, sort_output=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def read(language: str) -> Catalog:
    path = po_path(language)
    if path.exists():
        with path.open("rb") as f:
            return read_po(f, locale=language, domain=DOMAIN)
    return Catalog(locale=language, domain=DOMAIN, project="legalmodel")


def update(language: str, pot: Catalog) -> Catalog:
    catalog = read(language)
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    if language == "en":  # the messages are written in English: each translates to itself
        for message in catalog:
            if message.id and not message.string or (isinstance(message.string, tuple) and not all(message.string)):
                message.string = message.id
    # fixed header fields: the same catalogue gives the same bytes on any day
    catalog.revision_date = catalog.creation_date = FIXED_DATE
    catalog.last_translator = "legalmodel <legalmodel@localhost>"
    catalog.language_team = "legalmodel"
    catalog.version = "1"
    catalog.fuzzy = False
    catalog.msgid_bugs_address = ""
    return catalog


def main() -> int:
    for language in ("en", "sv"):
        catalog = update(language, template())  # a template each: a merge shares its messages
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_bytes(catalog))
        path.with_suffix(".mo").write_bytes(mo_bytes(catalog))
        missing = [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple)
                                                                        and not all(m.string)))]
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
