"""Every output for people is in one language: with `--lang sv`, no English sentence of the
catalogue appears in any format of `check`, `diff`, `impact`, `explain` and `test`, with
the situations in prose or (`--notation logic`) as formulas.

What counts as English is read from the catalogue itself, not from a list kept here: every
msgid whose Swedish translation differs from it is English text, and each stretch of it
between placeholders that holds two words or more (`describes no possible situation`,
`in these situations, and it has no default`) is a phrase that must not be printed to a
Swedish reader. A phrase that the Swedish catalogue also uses, or that the spec's own text
holds (titles, descriptions and `reads` are the drafters' words, in their language), is left
out. The JSON is checked in its `prose` fields only: its `message`, `details` and keys stay
English on purpose (docs/json.md), as do SARIF's messages (docs/translating.md).
"""

from __future__ import annotations

import json
import re

import pytest
from babel.messages.pofile import read_po

from legalmodel.cli import main

from helpers import REPO, TESTS, make_runner

LOCALE = REPO / "legalmodel" / "locale"
# specs with findings of every kind between them, goals that fail and hold, examples, an
# amendment with a broken contract, an acceptance that matches nothing
SPECS = [TESTS / "golden" / "prose_every_kind", TESTS / "golden" / "prose_more_kinds",
         TESTS / "golden" / "several_findings"]
WORD = re.compile(r"[A-Za-z][A-Za-z']+")


def _catalogue(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "legalmodel.po").open("rb") as f:
        return read_po(f, locale=language)


def english_phrases() -> list[str]:
    """The English phrases of the catalogue a Swedish reader must not see."""
    swedish = _catalogue("sv")
    said_in_swedish = " ".join(s for m in swedish if m.id
                               for s in (m.string if isinstance(m.string, tuple) else (m.string,)))
    phrases = set()
    for message in swedish:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strings:
                continue  # the same in both languages: a code, a name, a symbol
            for stretch in re.split(r"\{[^}]*\}|%\([^)]*\)s|`[^`]*`|“[^”]*”|[:;()\n]", msgid):
                stretch = " ".join(stretch.split()).strip(" ,.")
                if len(WORD.findall(stretch)) >= 2 and stretch not in said_in_swedish:
                    phrases.add(stretch)
    return sorted(phrases)


def english_in(text: str, spec_text: str, phrases: list[str]) -> list[str]:
    """The phrases found in `text` as whole words (case aside) that the spec's own text does
    not hold."""
    lowered, own = text.lower(), spec_text.lower()
    return [p for p in phrases if p.lower() not in own
            and re.search(r"(?<![\w-])" + re.escape(p.lower()) + r"(?![\w-])", lowered)]


def run(args: list[str], env: dict | None = None) -> str:
    """The command's stdout, in the working directory the test chose; a crash fails."""
    result = make_runner().invoke(main, args, env={"NO_COLOR": "1", "COLUMNS": "100", **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command line crashed: {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 3), (args, result.exit_code, result.stderr)
    return result.stdout


def _prose_of_json(text: str) -> str:
    """The `prose` fields of a JSON report: the only ones meant for people."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "prose" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(text))
    return "\n".join(found)


def _junit_text(text: str) -> str:
    """The texts of a JUnit document meant for people: the cases' names, the failures', the
    skips' and the outputs' words (not its element and attribute names)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(text.encode("utf-8"))
    out = []
    for case in root.iter("testcase"):
        out.append(case.get("name") or "")
        for child in case:
            out.extend([child.get("message") or "", child.text or ""])
    return "\n".join(out)


def _sarif_text(text: str) -> str:
    """The texts of a SARIF log meant for people: the rules' descriptions and help, and the
    results' messages (not its ids, names or properties, which are codes)."""
    (sarif_run,) = json.loads(text)["runs"]
    out = []
    for rule in sarif_run["tool"]["driver"]["rules"]:
        out.extend([rule["shortDescription"]["text"], rule["fullDescription"]["text"], rule["help"]["text"]])
    out.extend(result["message"]["text"] for result in sarif_run["results"])
    return "\n".join(out)


CHECK_FORMATS = {
    "text": lambda out: out,
    "markdown": lambda out: out,
    "junit": _junit_text,
    "json": _prose_of_json,
    "github": lambda out: out,
    "sarif": _sarif_text,
}


@pytest.fixture(autouse=True)
def english_afterwards():
    """`--lang sv` sets the language of the process: the tests after these speak English."""
    from legalmodel import i18n

    yield
    i18n.ask(None)
    i18n.use(i18n.DEFAULT)


@pytest.fixture(scope="module")
def phrases() -> list[str]:
    found = english_phrases()
    assert len(found) > 200, "the catalogue gave too few English phrases: the test would see nothing"
    return found


def test_the_check_sees_english(phrases):
    """The check can fail: an English report, said to a Swedish reader, is caught."""
    spec = SPECS[0]
    out = run(["check", str(spec / "spec.lm"), "--format", "markdown", "--lang", "en"])
    found = english_in(out, (spec / "spec.lm").read_text(encoding="utf-8"), phrases)
    assert "in these situations, and it has no default" in found, found


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_every_format_of_check_speaks_swedish_throughout(spec, fmt, phrases, tmp_path, monkeypatch):
    monkeypatch.chdir(spec)
    summary = tmp_path / "summary.md"
    out = run(["check", "spec.lm", "--format", fmt, "--lang", "sv"],
              env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = CHECK_FORMATS[fmt](out)
    if fmt == "github":
        text += "\n" + summary.read_text(encoding="utf-8")
    assert text.strip()
    found = english_in(text, (spec / "spec.lm").read_text(encoding="utf-8"), phrases)
    assert found == [], f"English in `check --format {fmt} --lang sv`: {found}\n{text}"


def test_a_spec_that_declares_swedish_gets_a_swedish_markdown_report(phrases, tmp_path, monkeypatch):
    """`språk sv` in the spec is enough: no --lang needed."""
    spec = SPECS[0] / "spec.lm"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.lm").write_text(spec.read_text(encoding="utf-8"), encoding="utf-8")
    assert make_runner().invoke(main, ["fmt", "--to", "sv", "spec.lm"]).exit_code == 0
    assert "\nspråk sv\n" in "\n" + (tmp_path / "spec.lm").read_text(encoding="utf-8")
    out = run(["check", "spec.lm", "--format", "markdown"], env={"LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""})
    found = english_in(out, spec.read_text(encoding="utf-8"), phrases)
    assert found == [], f"English in the Markdown of a Swedish spec: {found}\n{out}"
    assert "**fynd**" in out


DIFFS = [["diff", str(REPO / "docs/tutorial/step6.lm"), str(REPO / "docs/tutorial/step7.lm")],
         ["diff", str(REPO / "docs/tutorial/step7.lm"), str(REPO / "docs/tutorial/step8.lm")],
         ["impact", str(REPO / "specs/tutorial"), "10 kap. 18 a § OSL"]]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("args", DIFFS, ids=lambda a: f"{a[0]}-{a[-1].rsplit('/', 1)[-1]}")
def test_diff_and_impact_speak_swedish_throughout(args, fmt, phrases):
    out = run([*args, "--format", fmt, "--lang", "sv"])
    text = _prose_of_json(out) if fmt == "json" else out
    sources = " ".join(p.read_text(encoding="utf-8") for a in args[1:] for p in _files(a))
    found = english_in(text, sources, phrases)
    assert found == [], f"English in `{' '.join(args[:1])} --format {fmt} --lang sv`: {found}\n{text}"


def _files(arg: str):
    from pathlib import Path

    path = Path(arg)
    if path.is_dir():
        return sorted(path.rglob("*.lm"))
    return [path] if path.is_file() else []


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_explain_speaks_swedish_throughout(fmt, phrases):
    out = run(["explain", str(REPO / "specs/tutorial"), "--given", "ålder=25", "--given", "konkret_risk=true",
               "--format", fmt, "--lang", "sv"])
    text = _prose_of_json(out) if fmt == "json" else out
    sources = " ".join(p.read_text(encoding="utf-8") for p in _files(str(REPO / "specs/tutorial")))
    found = english_in(text, sources, phrases)
    assert found == [], f"English in `explain --format {fmt} --lang sv`: {found}\n{text}"


CASE_TABLES = [TESTS / "fixtures" / "cases" / "failing.csv", TESTS / "fixtures" / "cases" / "good" / "tutorial.csv"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "junit", "json"])
def test_the_cases_speak_swedish_throughout(fmt, phrases):
    """`legalmodel test` with a failing case and the coverage: its text, Markdown and JUnit
    (whose names and failures are for people) in Swedish. The table's own cells (titles, the
    verdict codes of a suggested row) are the drafters'."""
    out = run(["test", str(REPO / "specs/tutorial"), *map(str, CASE_TABLES), "--coverage", "--format", fmt,
               "--lang", "sv"])
    text = {"junit": _junit_text, "json": _prose_of_json}.get(fmt, lambda x: x)(out)
    sources = " ".join(p.read_text(encoding="utf-8") for p in [*_files(str(REPO / "specs/tutorial")), *CASE_TABLES])
    found = english_in(text, sources, phrases)
    assert found == [], f"English in `test --format {fmt} --lang sv`: {found}\n{text}"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_explain_is_wrapped_to_the_width(lang):
    """explain's prose is wrapped as the check report is: no line is wider than COLUMNS but
    one whose single word is, and a wrapped line goes on indented under it."""
    args = ["explain", str(REPO / "specs/tutorial"), "--given", "ålder=25", "--given", "konkret_risk",
            "--why-not", "permitted", "--lang", lang]
    result = make_runner().invoke(main, args, env={"NO_COLOR": "1", "COLUMNS": "60"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) > 8
    for line in lines:
        assert len(line) <= 60 or " " not in line.strip(), line
    wide = make_runner().invoke(main, args, env={"NO_COLOR": "1", "COLUMNS": "400"}).stdout
    assert " ".join(wide.split()) == " ".join(result.stdout.split()), "wrapping changed the words"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_case_not_settled_says_where_each_verdict_holds_in_prose(lang, tmp_path):
    """A case whose facts leave the verdict open shows where each verdict holds: in the
    phrasing of the spec's facts, not as formulas, wrapped to the width, in text and JUnit."""
    table = tmp_path / "open.csv"
    table.write_text("act,ålder,konkret_risk,2025-12-01\nlämna_uppgift,19,true,permitted\n", encoding="utf-8")
    args = ["test", str(REPO / "specs/tutorial"), str(table), "--lang", lang]
    result = make_runner().invoke(main, args, env={"NO_COLOR": "1", "COLUMNS": "80"})
    assert result.exit_code == 1, result.stderr
    text = result.stdout
    police = {"sv": "polisen begär personens kontaktuppgifter", "en": "the police ask for the person's contact details"}
    assert police[lang] in " ".join(text.split())
    assert not set("∧¬∈") & set(text), text
    assert all(len(line) <= 80 for line in text.splitlines()), text
    junit = make_runner().invoke(main, [*args, "--format", "junit"]).stdout
    assert police[lang] in junit and not set("∧¬∈") & set(_junit_text(junit))


@pytest.mark.parametrize("fmt", ["markdown", "junit"])
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_with_the_formulas_the_words_around_them_are_swedish(spec, fmt, phrases, monkeypatch):
    """`--notation logic` changes how a situation is said (formulas, with the values of their
    facts), not the language of the words around it."""
    monkeypatch.chdir(spec)
    out = run(["check", "spec.lm", "--format", fmt, "--notation", "logic", "--lang", "sv"])
    text = _junit_text(out) if fmt == "junit" else out
    assert "∧" in text or "¬" in text or "∈" in text, "no formula: the test would not see the notation"
    found = english_in(text, (spec / "spec.lm").read_text(encoding="utf-8"), phrases)
    assert found == [] and "= true" not in text, f"English beside the formulas: {found}\n{text}"


def test_the_diff_markdown_with_formulas_says_its_exceptions_in_swedish(phrases):
    out = run(["diff", str(REPO / "docs/tutorial/step7.lm"), str(REPO / "docs/tutorial/step8.lm"),
               "--format", "markdown", "--notation", "logic", "--lang", "sv"])
    assert "utom när" in out and "except where" not in out, out
