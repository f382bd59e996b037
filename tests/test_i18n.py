"""Messages in Swedish and English: the catalogues are complete and compiled from what they
say, the language is chosen as documented (docs/translating.md), and the command line speaks it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from babel.messages.pofile import read_po

from legalmodel import i18n

from helpers import REPO

sys.path.insert(0, str(REPO / "tools"))
import catalogues  # noqa: E402  (tools/catalogues.py: extraction and compilation with Babel)

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _po(language: str):
    with catalogues.po_path(language).open("rb") as f:
        return read_po(f, locale=language, domain=i18n.DOMAIN)


def _strings(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _ids(message) -> tuple:
    return message.id if isinstance(message.id, tuple) else (message.id,)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_in_the_code_has_a_translation(language):
    """Each message the code marks with `_` or `ngettext` is in the catalogue, translated,
    and keeps the placeholders of the English (a missing `{act}` would drop the act's name)."""
    catalog = _po(language)
    marked = [m for m in catalogues.template() if m.id]
    assert marked, "no message was extracted: the extraction is broken"
    missing, wrong = [], []
    for message in marked:
        found = catalog.get(message.id)
        if found is None or not all(_strings(found)):
            missing.append(_ids(message)[0])
            continue
        ids = _ids(message)
        for form, string in enumerate(_strings(found)):
            # a plural's first form answers the singular, the others the plural (click's
            # singular may leave out a count its plural names)
            wanted = set(PLACEHOLDER.findall(ids[min(form, len(ids) - 1)]))
            if set(PLACEHOLDER.findall(string)) - set(PLACEHOLDER.findall(ids[-1])) - wanted \
                    or (wanted - {"n"}) - set(PLACEHOLDER.findall(string)):
                wrong.append(ids[0])
                break
    assert missing == [], f"not translated into {language}"
    assert wrong == [], f"placeholders differ in {language}"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_compiled_catalogue_is_the_catalogue(language):
    """The .mo legalmodel reads is what Babel compiles from the .po a translator edits."""
    path = catalogues.po_path(language)
    assert path.with_suffix(".mo").read_bytes() == catalogues.mo_bytes(_po(language)), \
        f"{path.with_suffix('.mo')} is stale: run python3 tools/catalogues.py"


def test_no_message_is_left_in_a_catalogue_that_the_code_no_longer_has():
    marked = {m.id for m in catalogues.template() if m.id}
    for language in i18n.LANGUAGES:
        stale = [m.id for m in _po(language) if m.id and m.id not in marked]
        assert stale == [], f"{language}: run python3 tools/catalogues.py"


def test_the_language_is_asked_for_then_declared_then_the_locale_then_english():
    swedish = {"LANG": "sv_SE.UTF-8"}
    assert i18n.choose("en", "sv", swedish) == "en"
    assert i18n.choose(None, "sv", {}) == "sv"
    assert i18n.choose(None, None, swedish) == "sv"
    assert i18n.choose(None, None, {"LC_ALL": "en_GB.UTF-8", "LANG": "sv_SE.UTF-8"}) == "en"
    assert i18n.choose(None, None, {"LC_MESSAGES": "sv_FI"}) == "sv"
    assert i18n.choose(None, None, {"LANG": "de_DE.UTF-8"}) == "en"
    assert i18n.choose(None, None, {}) == "en"


def test_swedish_and_english_differ_and_the_language_is_restored():
    with i18n.speaking("sv"):
        assert i18n._("forbidden") == "förbjudet"
        assert i18n.ngettext("{n} provision", "{n} provisions", 2).format(n=2) == "2 bestämmelser"
    assert i18n._("forbidden") == "forbidden"


def _legalmodel(*args, env=None):
    environ = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "legalmodel.cli", *args], cwd=REPO, env=environ,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_the_help_is_in_the_language_of_the_locale_and_of_lang():
    english = _legalmodel("check", "--help")
    swedish = _legalmodel("check", "--help", env={"LANG": "sv_SE.UTF-8"})
    asked = _legalmodel("--lang", "sv", "check", "--help", env={"LANG": "en_GB.UTF-8"})
    assert "Check one or more specs" in english.stdout
    assert "Granska en eller flera specifikationer" in swedish.stdout
    assert asked.stdout == swedish.stdout


def test_a_spec_that_declares_swedish_is_reported_in_swedish(tmp_path):
    from click.testing import CliRunner

    from legalmodel.cli import main

    spec = tmp_path / "spec.lm"
    # `språk sv` picks the Swedish keywords and makes Swedish the spec's language
    spec.write_text('språk sv\nlag L "l"\nfaktum a: ja/nej "a"\nhandling x "x"\n'
                    'bestämmelse 1 § L "p" förbjuder x när a\n', encoding="utf-8")
    swedish = CliRunner().invoke(main, ["check", str(spec)])
    english = CliRunner().invoke(main, ["check", "--lang", "en", str(spec)])
    assert "Ingen bestämmelse avgör `x`" in swedish.stdout and swedish.exit_code == 1
    assert "No provision decides `x`" in english.stdout and english.exit_code == 1


@pytest.mark.parametrize("language, words", [
    ("sv", ("Användning:", "[FLAGGOR]", "Fel: Det finns ingen flagga '--bogus'")),
    ("en", ("Usage:", "[OPTIONS]", "Error: No such option '--bogus'")),
])
def test_clicks_own_words_are_in_the_language_asked_for(language, words):
    """The usage line and the error of a mistyped option are click's words: they come from
    our catalogue, in the language of --lang, not in the locale's or click's English."""
    result = _legalmodel("--lang", language, "check", "--bogus", "x.lm", env={"LANG": "de_DE.UTF-8"})
    assert result.returncode == 2
    for word in words:
        assert word in result.stderr, result.stderr


def test_the_help_headings_are_in_the_language_of_the_locale():
    swedish = _legalmodel("check", "--help", env={"LANG": "sv_SE.UTF-8"}).stdout
    english = _legalmodel("check", "--help", env={"LANG": "en_GB.UTF-8"}).stdout
    assert swedish.startswith("Användning:") and "\nFlaggor:\n" in swedish
    assert english.startswith("Usage:") and "\nOptions:\n" in english
    assert "Visa den här texten och avsluta." in swedish and "Show this message and exit." in english


SWEDISH_TYPO = ('språk sv\nlag L "l"\nfaktum ålder: 0..130 "ålder"\nhandling x "x"\n'
                'bestämmelse 1 § L "p" förbjuder x när åldr >= 18\n')


@pytest.mark.parametrize("args, words", [
    ((), ("error[unknown-name]: okänt namn `åldr`", "= hjälp: menade du `ålder`?", "1 fel i indata")),
    (("--lang", "en"), ("error[unknown-name]: unknown name `åldr`", "= help: did you mean `ålder`?",
                        "1 error in the input")),
])
def test_a_diagnostic_is_said_in_the_files_language_unless_lang_says_otherwise(tmp_path, args, words):
    """The resolver's message and its suggestion: Swedish for a file that declares `språk
    sv`, English when --lang en asks; the JSON `message` and `help` stay English either way."""
    from click.testing import CliRunner

    from legalmodel.cli import main

    spec = tmp_path / "spec.lm"
    spec.write_text(SWEDISH_TYPO, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", *args, str(spec)])
    assert result.exit_code == 2
    for word in words:
        assert word in result.stderr, result.stderr
    document = json.loads(CliRunner().invoke(main, ["check", *args, "--format", "json", str(spec)]).stdout)
    (diagnostic,) = document["specs"][0]["diagnostics"]
    assert (diagnostic["message"], diagnostic["help"]) == ("unknown name `åldr`", "did you mean `ålder`?")


def test_a_parse_error_of_an_english_file_is_said_in_the_language_asked_for(tmp_path):
    from click.testing import CliRunner

    from legalmodel.cli import main

    spec = tmp_path / "spec.lm"
    spec.write_text('law L "l"\nfact a: bool "a"\naction x "x"\nprovision 1 § "p" forbid x when a == 1\n',
                    encoding="utf-8")
    swedish = CliRunner().invoke(main, ["--lang", "sv", "check", str(spec)])
    english = CliRunner().invoke(main, ["--lang", "en", "check", str(spec)])
    assert "error[syntax]: oväntat `=`" in swedish.stderr and "= hjälp: jämför med `=`, inte `==`" in swedish.stderr
    assert "error[syntax]: unexpected `=`" in english.stderr and "= help: use `=` to compare, not `==`" in english.stderr


def test_every_catalogue_of_every_domain_is_translated_in_both_languages():
    """Whatever domains locale/ holds (`legalmodel`, the pages' `report`, any later one): each
    .po has a translation for every entry, and a .po in one language has its other."""
    from collections import defaultdict

    found = defaultdict(set)
    for po in sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        language, domain = po.parts[-3], po.stem
        found[domain].add(language)
        with po.open("rb") as f:
            catalog = read_po(f, locale=language, domain=domain)
        empty = [_ids(m)[0] for m in catalog if m.id and not all(_strings(m))]
        assert empty == [], f"{po}: untranslated"
    assert {"legalmodel", "report"} <= set(found)
    for domain, languages in found.items():
        assert languages == set(i18n.LANGUAGES), f"the `{domain}` domain lacks a language"


def test_words_are_english_as_a_str_and_said_in_the_language_spoken():
    """A `Words` is its English wherever a str is read (JSON, ids, `in`), keeps a number a
    number for its format, joins a tuple, says nested Words in the language spoken, and
    crosses processes whole (a finding is pickled by solver/parallel.py)."""
    import pickle

    count = i18n.sentence("this line is {count:,} characters long; a line of a spec may hold at most {most:,}",
                          count=12345, most=20000)
    assert count == "this line is 12,345 characters long; a line of a spec may hold at most 20,000"
    with i18n.speaking("sv"):
        assert count.said() == "raden är 12,345 tecken lång; en rad i en specifikation får rymma högst 20,000"
    nested = i18n.sentence("unknown fact `{name}`; {hint}", name="åldr",
                           hint=i18n.sentence("did you mean `{name}`?", name="ålder"))
    assert nested == "unknown fact `åldr`; did you mean `ålder`?" and "did you mean" in nested
    with i18n.speaking("sv"):
        assert nested.said() == "okänd omständighet `åldr`; menade du `ålder`?"
    acts = i18n.sentence("{count} acts in force on {date} change {paragraph}: {acts}", count=2, date="2020-08-01",
                         paragraph="1 §", acts=(i18n.Words("{act} repeals it", (("act", "SFS 1"),)), "x"))
    assert acts == "2 acts in force on 2020-08-01 change 1 §: SFS 1 repeals it, x"
    again = pickle.loads(pickle.dumps(nested))
    assert again == nested and isinstance(again, i18n.Words)
    with i18n.speaking("sv"):
        assert again.said() == nested.said()
    assert json.dumps({"message": nested}) == '{"message": "unknown fact `\\u00e5ldr`; did you mean `\\u00e5lder`?"}'


@pytest.mark.parametrize("language, words", [
    ("en", "the two implementations of the semantics disagree"),
    ("sv", "semantikens två implementationer är oense"),
])
def test_a_disagreement_is_an_internal_error_said_in_the_language_asked_for(tmp_path, monkeypatch, language, words):
    """The solver and the evaluator disagreeing is exit 4 with its own message (not the
    generic one), whatever the language."""
    from click.testing import CliRunner

    from legalmodel import api
    from legalmodel.analyses.certify import Disagreement
    from legalmodel.cli import main

    def disagreeing(*args, **kwargs):
        raise Disagreement("the solver found a situation the evaluator does not confirm")

    monkeypatch.setattr(api, "load", disagreeing)
    spec = tmp_path / "law.lm"
    spec.write_text('law L "l"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", language, "explain", str(spec)])
    assert result.exit_code == 4
    assert words in result.stderr, result.stderr
