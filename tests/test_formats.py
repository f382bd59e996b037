"""The output formats of `check` and `diff`, end to end through the command line.

Every format is checked against `--format json` of the same run (docs/json.md), which is the
reference for what the findings, goals and examples are:

- SARIF validates against the official SARIF 2.1.0 schema (vendored in tests/schemas/, a JSON
  Schema draft 4 document), has one result per finding with the finding's kind as rule, its
  severity as level, the finding's location as region (and that region really is the
  provision, action, goal or example in the source file), the stable id as a fingerprint and
  the evidence situation in the message;
- JUnit parses as XML and has one test case per goal, per example expectation and one
  `consistency` case per spec for every other finding, failing exactly where the JSON says a
  goal, an expectation or the spec fails (so it fails exactly when `check` does), with the
  counterexample's facts;
- Markdown (check and diff) has the headings and tables a reviewer reads, with every finding
  id, status and changed action;
- finding ids survive unrelated edits and appear in every format (docs/ci.md);
- acceptances, in the spec and in a baseline file, make the run pass and are listed; a stale
  one is itself a finding;
- the text report has colour only on a terminal and never with NO_COLOR.
"""

from __future__ import annotations

import functools
import json
import os
import pty
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

from legalmodel.reports.check import markdown_cell

from legalmodel.cli import main

from helpers import REPO, TESTS, make_runner

SCHEMA_PATH = TESTS / "schemas" / "sarif-schema-2.1.0.json"
STEPS = [f"docs/tutorial/step{i}.lm" for i in range(1, 9)]
SPECS = ["specs/osl", "specs/tutorial", "specs/example", *STEPS]
EXIT = {"clean": 0, "findings": 1, "unknown": 3, "invalid": 2}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ---- running the command line ---------------------------------------------------------------------

class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr


def invoke(args, cwd: Path = REPO, env: dict | None = None) -> Run:
    """Run the command line in-process in `cwd`; a crash fails the test."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = make_runner().invoke(main, [str(a) for a in args], env=env or {"NO_COLOR": "1"})
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command line crashed on {args}: {result.exception!r}") from result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return Run(result.exit_code, result.stdout, result.stderr)


@functools.lru_cache(maxsize=None)
def check_repo(path: str, fmt: str) -> Run:
    """`legalmodel check PATH --format FMT` in the repository, run once per session."""
    return invoke(["check", path, "--format", fmt])


@functools.lru_cache(maxsize=None)
def json_of(path: str) -> dict:
    run = check_repo(path, "json")
    document = json.loads(run.stdout)
    assert run.exit_code == EXIT[document["status"]]
    assert len(document["specs"]) == 1
    return document["specs"][0]


@functools.lru_cache(maxsize=None)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_sarif(document: dict) -> None:
    """Validate with the validator the schema itself names (its `$schema` is draft 4)."""
    s = schema()
    cls = jsonschema.validators.validator_for(s)
    cls.check_schema(s)
    errors = sorted(cls(s).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "the SARIF output does not validate:\n" + "\n".join(
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10])


def value_text(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def all_findings() -> list[tuple[str, dict]]:
    return [(p, f) for p in SPECS for f in json_of(p)["findings"]]


# ---- the specs and steps used here --------------------------------------------------------------

def test_the_steps_have_findings_of_every_kind_the_tests_rely_on():
    """The tutorial steps are the corpus for the formats: if they stop having these findings,
    the tests below would pass vacuously."""
    kinds = {f["kind"] for _p, f in all_findings()}
    assert {"gap", "failed-goal", "never-in-force", "idle-override", "dead-provision", "collision",
            "contradiction", "failed-example", "underdetermined-example"} <= kinds
    statuses = {g["status"] for p in SPECS for g in json_of(p)["goals"]}
    assert {"holds", "fails", "fails-as-expected"} <= statuses
    results = {r["status"] for p in SPECS for e in json_of(p)["examples"] for r in e["results"]}
    assert {"passes", "fails", "underdetermined"} <= results


# ---- SARIF ------------------------------------------------------------------------------------------

def test_the_vendored_schema_is_the_official_one():
    s = schema()
    assert s["id"].endswith("/sarif-schema-2.1.0.json")
    assert "draft-04" in s["$schema"]
    jsonschema.validators.validator_for(s).check_schema(s)


def test_the_schema_rejects_a_broken_log():
    """The validation below can fail: a log without `runs`, or with a result without a
    message, is rejected."""
    cls = jsonschema.validators.validator_for(schema())
    assert list(cls(schema()).iter_errors({"version": "2.1.0"}))
    broken = json.loads(check_repo("docs/tutorial/step6.lm", "sarif").stdout)
    del broken["runs"][0]["results"][0]["message"]
    assert list(cls(schema()).iter_errors(broken))


@pytest.mark.parametrize("path", SPECS)
def test_sarif_validates_and_has_one_result_per_finding(path):
    run = check_repo(path, "sarif")
    expected = json_of(path)
    assert run.exit_code == EXIT[expected["status"]]
    document = json.loads(run.stdout)
    validate_sarif(document)
    assert document["version"] == "2.1.0"
    (sarif_run,) = document["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    results = sarif_run["results"]
    assert len(results) == len(expected["findings"])
    by_id = {}
    for r in results:
        fid = r["partialFingerprints"]["legalmodelFindingId/v1"]
        assert r["properties"]["findingId"] == fid
        assert fid not in by_id, f"two results with the id {fid}"
        by_id[fid] = r
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert sorted(by_id) == sorted(f["id"] for f in expected["findings"])
    for f in expected["findings"]:
        r = by_id[f["id"]]
        assert r["ruleId"] == f["kind"]
        assert r["level"] == f["severity"]
        loc = r["locations"][0]["physicalLocation"]
        assert unquote(loc["artifactLocation"]["uri"]) == f["location"]["file"].replace(os.sep, "/")
        assert loc["region"]["startLine"] == f["location"]["line"]
        assert loc["region"]["startColumn"] == f["location"]["column"]
        # the message is what the text report says of the finding: it opens as the JSON's
        # prose does, and ends with the same remedy
        paragraphs = r["message"]["text"].split("\n")
        assert f["prose"].startswith(paragraphs[0])
        if " To resolve it: " in f["prose"]:
            assert f["prose"].split(" To resolve it: ")[1].split(".")[0] in r["message"]["text"]
        assert ("suppressions" in r) == (f["accepted"] is not None)


def test_sarif_regions_point_at_the_finding_in_the_source():
    """Independent of the JSON: the line and column of each result are where the provision,
    action, goal or example the finding is about is written."""
    seen = 0
    for path in SPECS:
        document = json.loads(check_repo(path, "sarif").stdout)
        for r in document["runs"][0]["results"]:
            loc = r["locations"][0]["physicalLocation"]
            lines = (REPO / unquote(loc["artifactLocation"]["uri"])).read_text(encoding="utf-8").splitlines()
            at = lines[loc["region"]["startLine"] - 1][loc["region"]["startColumn"] - 1:]
            subject = r["properties"]["subject"]
            kind = r["ruleId"]
            if kind == "gap":
                assert at.startswith(subject) and lines[loc["region"]["startLine"] - 1].startswith("action "), at
            elif kind in ("failed-goal", "goal-holds-unexpectedly"):
                assert at.startswith(f'goal "{subject}"'), at
            elif "example" in kind:
                assert at.startswith(f'example "{subject}"'), at
            else:
                # a provision: its declaration line (`provision …`, or `insert …` / `reword …` in
                # an amendment), at the keyword or at the citation
                line = lines[loc["region"]["startLine"] - 1]
                assert line.split()[0] in ("provision", "insert", "reword"), line
                assert at.startswith(("provision ", "insert ", "reword ")) or at[0].isdigit(), at
                numbers = re.findall(r"\d+", subject.split(" stycket")[0])
                assert re.findall(r"\d+", at)[: len(numbers)] == numbers, (subject, at)
            seen += 1
    assert seen >= 9


@pytest.mark.parametrize("path", STEPS)
def test_sarif_message_shows_the_evidence_situation(path):
    """Each result's message says each situation as the text report does: in prose by
    default, ending as the JSON's `prose` of it; with --notation logic, as formulas that name
    the facts that matter and their values."""
    def messages(*notation):
        run = invoke(["check", path, "--format", "sarif", *notation])
        return {r["partialFingerprints"]["legalmodelFindingId/v1"]: r["message"]["text"]
                for r in json.loads(run.stdout)["runs"][0]["results"]}

    prose, logic = messages(), messages("--notation", "logic")
    for f in json_of(path)["findings"]:
        for ev in f["evidence"]:
            # the situation itself may be said in fewer words where several share grounds;
            # what is in force there and the verdict are said as the JSON says them
            assert ev["prose"].split(" There ")[-1] in prose[f["id"]], (ev["prose"], prose[f["id"]])
            if ev.get("label"):
                assert ev["label"] in logic[f["id"]]
            for c in ev["facts_that_matter"]:
                assert c["text"] in logic[f["id"]], (c, logic[f["id"]])
                assert f"{c['fact']} = {value_text(ev['situation'][c['fact']])}" in logic[f["id"]]


def test_sarif_rule_levels_are_the_levels_of_their_results():
    """A rule's default level is its findings' severity (an idle override is a note)."""
    seen = set()
    for path in SPECS:
        sarif_run = json.loads(check_repo(path, "sarif").stdout)["runs"][0]
        rules = sarif_run["tool"]["driver"]["rules"]
        for r in sarif_run["results"]:
            assert rules[r["ruleIndex"]]["defaultConfiguration"]["level"] == r["level"], r["ruleId"]
            seen.add((r["ruleId"], r["level"]))
    assert ("idle-override", "note") in seen


def test_sarif_uris_are_percent_encoded(tmp_path):
    folder = tmp_path / "sp ace"
    folder.mkdir()
    (folder / "å x#1.lm").write_text((REPO / "docs/tutorial/step6.lm").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    run = invoke(["check", "sp ace/å x#1.lm", "--format", "sarif"], cwd=tmp_path)
    assert run.exit_code == 1
    document = json.loads(run.stdout)
    validate_sarif(document)
    (result,) = document["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "sp%20ace/%C3%A5%20x%231.lm"
    assert unquote(uri) == "sp ace/å x#1.lm"
    assert re.fullmatch(r"[A-Za-z0-9\-._~/%]+", uri)


def test_sarif_reports_unreadable_input_as_a_result(tmp_path):
    (tmp_path / "bad.lm").write_text('law OSL "o"\nfact x: bool "x"\nfact x: bool "again"\n', encoding="utf-8")
    run = invoke(["check", "bad.lm", "--format", "sarif"], cwd=tmp_path)
    assert run.exit_code == 2
    document = json.loads(run.stdout)
    validate_sarif(document)
    (result,) = document["runs"][0]["results"]
    assert result["ruleId"] == "input-error" and result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 6)


# ---- JUnit ----------------------------------------------------------------------------------------

def junit_cases(path: str) -> tuple[ET.Element, dict[str, ET.Element]]:
    run = check_repo(path, "junit")
    assert run.exit_code == EXIT[json_of(path)["status"]]
    root = ET.fromstring(run.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    cases = {}
    for case in root.iter("testcase"):
        assert case.get("name") not in cases, f"two test cases named {case.get('name')}"
        cases[case.get("name")] = case
    return root, cases


def failure_text(case: ET.Element) -> str:
    failure = case.find("failure")
    return (failure.get("message") or "") + "\n" + (failure.text or "")


def assert_evidence_in(text: str, ev: dict, alone: bool = True) -> None:
    """The failure text shows the evidence in prose, as the JSON's `prose` says it (where it
    is the finding's only situation: several are said with the grounds they share summarised
    once), and the verdict it gives."""
    if alone:
        assert ev["prose"] in text, (ev["prose"], text)
    for action, verdict in ev["verdicts"].items():
        if f"`{action}`" in ev["prose"]:
            assert f"`{action}` is {verdict}" in text, (action, verdict, text)


@pytest.mark.parametrize("path", SPECS)
def test_junit_has_a_case_per_goal_and_expectation_failing_where_the_json_fails(path):
    expected = json_of(path)
    root, cases = junit_cases(path)
    n = len(expected["goals"]) + sum(len(e["results"]) for e in expected["examples"]) + 1
    assert len(cases) == n
    assert int(root.get("tests")) == n
    findings = {(f["kind"], f["subject"]): f for f in expected["findings"]}
    failures = 0
    for g in expected["goals"]:
        case = cases[f"goal: {g['title']}"]
        failing = g["status"] in ("fails", "holds-unexpectedly", "unknown")
        assert (case.find("failure") is not None) == failing, g
        assert (case.find("skipped") is not None) == (g["status"] == "fails-as-expected"), g
        if failing:
            failures += 1
            text = failure_text(case)
            f = findings[("failed-goal" if g["status"] == "fails" else "goal-holds-unexpectedly", g["title"])]
            assert f["prose"].split(".")[0] in text
            assert f["evidence"], "a failed goal has a counterexample"
            for ev in f["evidence"]:
                assert_evidence_in(text, ev, len(f["evidence"]) == 1)
    for e in expected["examples"]:
        for r in e["results"]:
            name = f"example: {e['title']}" + (f" ({r['action']})" if "action" in r else "")
            case = cases[name]
            failing = r["status"] != "passes"
            assert (case.find("failure") is not None) == failing, r
            if failing:
                failures += 1
                assert case.find("failure").get("type") == r["status"]
                text = failure_text(case)
                for ev in r["evidence"]:
                    assert_evidence_in(text, ev, len(r["evidence"]) == 1)
    # every other finding that fails the run is a failure of the spec's `consistency` case
    about_goals_and_examples = {g["title"] for g in expected["goals"]} | {e["title"] for e in expected["examples"]}
    others = [f for f in expected["findings"] if f["severity"] in ("error", "warning") and f["accepted"] is None
              and f["subject"] not in about_goals_and_examples]
    consistency = cases["consistency"]
    assert (consistency.find("failure") is not None) == bool(others), others
    if others:
        failures += 1
        text = failure_text(consistency)
        for f in others:
            assert f"{f['id']}: {f['prose'].split('.')[0]}" in text
            for ev in f["evidence"]:
                assert_evidence_in(text, ev, len(f["evidence"]) == 1)
    assert int(root.get("failures")) == failures
    assert (failures == 0) == (EXIT[expected["status"]] == 0)
    for suite in root.iter("testsuite"):
        assert suite.get("name") == expected["spec"]
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == sum(1 for c in suite.findall("testcase") if c.find("failure") is not None)
        assert int(suite.get("skipped")) == sum(1 for c in suite.findall("testcase") if c.find("skipped") is not None)


def junit_of(args: list[str], cwd: Path) -> tuple[int, ET.Element]:
    run = invoke(["check", *args, "--format", "junit"], cwd=cwd)
    return run.exit_code, ET.fromstring(run.stdout.encode("utf-8"))


def failing_cases(root: ET.Element) -> list[str]:
    return [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]


def test_junit_fails_exactly_when_check_does(tmp_path):
    """The failure count is zero exactly when `check` exits 0, whatever the findings are:
    the tutorial's steps and specs, all of them at once, an undecided question (exit 3) and a
    spec that cannot be read (exit 2)."""
    from helpers import pigeonhole

    (tmp_path / "slow.lm").write_text(pigeonhole(10), encoding="utf-8")
    (tmp_path / "bad.lm").write_text('law OSL "o"\nfact x bool\n', encoding="utf-8")
    runs = [([str(REPO / p)], tmp_path) for p in SPECS]
    runs += [([str(REPO / p) for p in SPECS], tmp_path), (["slow.lm", "--timeout", "0.2"], tmp_path),
             (["bad.lm"], tmp_path), ([str(REPO / "specs/example"), "bad.lm"], tmp_path)]
    seen = set()
    for args, cwd in runs:
        code, root = junit_of(args, cwd)
        seen.add(code)
        failures = int(root.get("failures"))
        assert failures == len(failing_cases(root))
        assert (failures == 0) == (code == 0), (args, code, failing_cases(root))
    assert seen == {0, 1, 2, 3}
    _code, root = junit_of(["slow.lm", "--timeout", "0.2"], tmp_path)
    assert failing_cases(root) == ["consistency"]
    (failure,) = root.iter("failure")
    assert failure.get("type") == "unknown" and "could not decide" in failure.text.lower()


def test_junit_shows_an_accepted_finding_as_passed_with_its_justification(tmp_path):
    f = collision_of_step6()
    name = step6_copy(tmp_path, f'\naccept {f["id"]} "{JUSTIFICATION}"\n')
    code, root = junit_of([name], tmp_path)
    assert code == 0 and root.get("failures") == "0" and failing_cases(root) == []
    (case,) = [c for c in root.iter("testcase") if c.get("name") == "consistency"]
    out = case.find("system-out").text
    assert f["id"] in out and JUSTIFICATION in out


FAILED_GOAL = '''law OSL "o"
fact x: bool "x"
action a "a" default permitted
provision 1 kap. 1 § "p" forbid a when x
goal "a is always permitted" a is permitted whenever x
'''


def test_an_accepted_failed_goal_is_skipped_in_junit_and_accepted_in_the_text(tmp_path):
    (tmp_path / "s.lm").write_text(FAILED_GOAL, encoding="utf-8")
    (f,) = json.loads(invoke(["check", "s.lm", "--format", "json"], cwd=tmp_path).stdout)["specs"][0]["findings"]
    assert f["kind"] == "failed-goal"
    text = invoke(["check", "s.lm"], cwd=tmp_path).stdout
    assert "  FAILS: “a is always permitted”" in text
    (tmp_path / "s.lm").write_text(FAILED_GOAL + f'accept {f["id"]} "the goal is aspirational"\n', encoding="utf-8")
    code, root = junit_of(["s.lm"], tmp_path)
    assert code == 0 and root.get("failures") == "0"
    (case,) = [c for c in root.iter("testcase") if c.get("name") == "goal: a is always permitted"]
    assert case.find("failure") is None
    assert "the goal is aspirational" in case.find("skipped").get("message")
    text = invoke(["check", "s.lm"], cwd=tmp_path)
    assert text.exit_code == 0
    assert "FAILS" not in text.stdout
    assert "  fails, accepted: “a is always permitted”" in text.stdout


def test_junit_escapes_markup_in_titles(tmp_path):
    spec = ('law OSL "o"\nfact x: bool "x"\naction a "a" default permitted\n'
            'provision 1 kap. 1 § "p" forbid a when x\n'
            'goal "a & b <c> \\"d\\"" a is permitted whenever x\n')
    (tmp_path / "s.lm").write_text(spec, encoding="utf-8")
    run = invoke(["check", "s.lm", "--format", "junit"], cwd=tmp_path)
    assert run.exit_code == 1
    root = ET.fromstring(run.stdout.encode("utf-8"))
    case, consistency = root.iter("testcase")
    assert consistency.get("name") == "consistency" and consistency.find("failure") is None
    assert case.get("name") == 'goal: a & b <c> "d"'
    assert case.find("failure") is not None
    assert "For example where x. There 1 kap. 1 § OSL is in force and `a` is forbidden." in case.find("failure").text


# ---- Markdown ------------------------------------------------------------------------------------

def table_rows(markdown: str) -> list[list[str]]:
    """The cells of every table row (`| a | b |`), with escaped pipes kept in their cell."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("|") and line.rstrip().endswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            rows.append([c.strip() for c in cells])
    return rows


def assert_tables_well_formed(markdown: str) -> None:
    """Every table: a header row, a `|---|` separator right after it, rows with as many cells."""
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|"):
            if i > 0:
                assert lines[i - 1].strip() == "", f"a table must follow a blank line: {lines[i - 1]!r}"
            header = table_rows(lines[i])[0]
            separator = table_rows(lines[i + 1])[0]
            assert all(re.fullmatch(r":?-{3,}:?", c) for c in separator), lines[i + 1]
            assert len(separator) == len(header)
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                assert len(table_rows(lines[j])[0]) == len(header), lines[j]
                j += 1
            i = j
        else:
            i += 1


GOAL_WORDS = {"holds": "holds", "fails": "FAILS", "fails-as-expected": "fails, as expected",
              "holds-unexpectedly": "HOLDS, though marked expected to fail", "unknown": "unknown"}


@pytest.mark.parametrize("path", SPECS)
def test_markdown_check_report_has_what_a_reviewer_reads(path):
    run = check_repo(path, "markdown")
    expected = json_of(path)
    assert run.exit_code == EXIT[expected["status"]]
    md = run.stdout
    assert md.splitlines()[0].startswith("## ") and f"`{expected['spec']}`" in md.splitlines()[0]
    word = {"clean": "consistent", "findings": "findings", "unknown": "unknown"}[expected["status"]]
    c = expected["counts"]
    assert re.search(rf"^\*\*{word}\*\*: {c['error']} errors?, {c['warning']} warnings?, {c['note']} notes?",
                     md, re.M), md
    n = expected["provisions"]
    assert (f"{n} provision" if n == 1 else f"{n} provisions") in md
    assert_tables_well_formed(md)
    rows = table_rows(md)
    finding_rows = {r[0]: r for r in rows if re.fullmatch(r"[A-Z]{3}-[0-9a-f]{8}", r[0])}
    assert set(finding_rows) == {f["id"] for f in expected["findings"]}
    for f in expected["findings"]:
        row = finding_rows[f["id"]]
        assert row[1] == (f"{f['severity']}, accepted" if f.get("accepted") else f["severity"]) and f["kind"] in row
        assert f"{f['location']['file']}:{f['location']['line']}" in " ".join(row)
        if f["evidence"]:
            assert f"<details><summary>{f['id']}: evidence</summary>" in md
            fold = md.split(f"<details><summary>{f['id']}: evidence</summary>", 1)[1].split("</details>")[0]
            for ev in f["evidence"]:  # the situations in prose, as the JSON's `prose` says them
                if len(f["evidence"]) == 1:
                    assert markdown_cell(ev["prose"]) in fold, (ev["prose"], fold)
                assert "∧" not in fold and "¬" not in fold, fold
    goal_rows = {r[0]: r[1] for r in rows if len(r) == 2}
    for g in expected["goals"]:
        word = GOAL_WORDS[g["status"]]
        assert goal_rows.get(markdown_cell(g["title"])) in (word, word.lower() + ", accepted"), (g["title"], md)
    if expected["examples"]:
        results = [r for e in expected["examples"] for r in e["results"]]
        passed = sum(r["status"] == "passes" for r in results)
        assert f"{passed} of {len(results)} expectations pass" in md
    assert md.count("<details>") == md.count("</details>")


MARKUP = '''law OSL "o"
fact x: bool "x"
action a "a" default permitted
provision 1 kap. 1 § "p" forbid a when x
goal "a | b <b>bold</b> & c\\\\" a is permitted whenever x
example "e | <i>" given x expect a permitted
'''


def test_markdown_shows_titles_as_written_without_breaking_tables(tmp_path):
    """A title with `|`, HTML or a backslash stays in its cell and is shown, not rendered;
    the next spec's heading follows a blank line, so no table swallows it."""
    (tmp_path / "s.lm").write_text(MARKUP, encoding="utf-8")
    (tmp_path / "t.lm").write_text(MARKUP.replace("forbid a when x", "forbid a when not x"), encoding="utf-8")
    run = invoke(["check", "s.lm", "t.lm", "--format", "markdown"], cwd=tmp_path)
    assert run.exit_code == 1
    md = run.stdout
    assert_tables_well_formed(md)
    assert "<b>" not in md and "<i>" not in md
    rows = table_rows(md)
    title = r"a \| b &lt;b&gt;bold&lt;/b&gt; &amp; c\\"
    assert [title, "FAILS"] in rows
    assert any(r[0].startswith("FAI-") and r[3].startswith(r"e \| &lt;i&gt; (s.lm:6:1)") for r in rows), rows
    lines = md.splitlines()
    headings = [i for i, line in enumerate(lines) if line.startswith("## ")]
    assert len(headings) == 2 and all(lines[i - 1] == "" for i in headings[1:])
    diff = invoke(["diff", "s.lm", "t.lm", "--format", "markdown"], cwd=tmp_path)
    assert diff.exit_code == 0
    assert_tables_well_formed(diff.stdout)
    assert "<b>" not in diff.stdout and "<i>" not in diff.stdout
    assert any(r[0] == title for r in table_rows(diff.stdout))


def test_a_markdown_cell_escapes_html_outside_code_only():
    from legalmodel.reports.check import markdown_cell

    assert markdown_cell("breaks `x < y | z` where a<b") == r"breaks `x < y \| z` where a&lt;b"
    assert markdown_cell("one ` tick <b>") == "one ` tick &lt;b&gt;"
    assert markdown_cell("two\nlines") == "two lines"


def diff_run(old: str, new: str, fmt: str, *options: str) -> Run:
    return invoke(["diff", old, new, "--format", fmt, *options])


@pytest.mark.parametrize("old,new", [("docs/tutorial/step5.lm", "docs/tutorial/step6.lm"),
                                     ("docs/tutorial/step6.lm", "docs/tutorial/step7.lm"),
                                     ("docs/tutorial/step7.lm", "docs/tutorial/step8.lm")])
def test_markdown_diff_shows_every_changed_action_and_goal(old, new):
    reference = diff_run(old, new, "json")
    expected = json.loads(reference.stdout)
    run = diff_run(old, new, "markdown", "--notation", "logic")  # the regions as formulas
    assert run.exit_code == reference.exit_code == 0
    md = run.stdout
    assert md.startswith("## ") and old in md.splitlines()[0] and new in md.splitlines()[0]
    assert_tables_well_formed(md)
    headings = [line for line in md.splitlines() if line.startswith("### ")]
    changes = expected["changes"]
    if not changes:
        assert "No situation changes its verdict" in md
    for ch in changes:
        heading = f"### `{ch['action']}`: {ch['before']} → {ch['after']}"
        assert heading in headings, (heading, headings)
        section = md.split(heading, 1)[1].split("\n### ", 1)[0]
        rows = [r for r in table_rows(section) if r[0].isdigit()]
        assert len(rows) == len(ch["regions"])
        for region, row in zip(ch["regions"], rows):
            for cond in region["where"]:
                said = cond["text"] if "except" not in cond else \
                    "except where " + " ∧ ".join(a["text"] for a in cond["except"])
                assert said in section, (cond, section)
            assert ", ".join(region["decided_before_by"]) in row[3] or not region["decided_before_by"]
            assert ", ".join(region["decided_after_by"]) in row[4] or not region["decided_after_by"]
    rows = table_rows(md)
    for g in expected["goals"]:
        assert [g["title"], g["before"] or "—", g["after"] or "—", g["change"]] in rows, g
    for e in expected["examples"]:
        assert any(r[0] == e["title"] and r[1] == f"`{e['action']}`" for r in rows), e
    if expected["goals"]:
        assert "### Goals" in headings
    if expected["examples"]:
        assert "### Examples" in headings


def test_diff_markdown_of_step7_to_step8_names_the_new_duty():
    """Reasoned, not copied: step 8 lets `synnerliga_skäl` stop the UBL duty, so the
    contradiction of step 7 becomes an obligation or a prohibition depending on that fact."""
    md = diff_run("docs/tutorial/step7.lm", "docs/tutorial/step8.lm", "markdown", "--notation", "logic").stdout
    assert "### `lämna_uppgift`: contradictory → obligatory" in md
    assert "### `lämna_uppgift`: contradictory → forbidden" in md
    obligatory = md.split("contradictory → obligatory", 1)[1].split("###", 1)[0]
    forbidden = md.split("contradictory → forbidden", 1)[1].split("###", 1)[0]
    assert "¬synnerliga_skäl" in obligatory and "¬synnerliga_skäl" not in forbidden
    assert "synnerliga_skäl" in forbidden


# ---- stable finding ids ------------------------------------------------------------------------

EXTRA = '''
# an unrelated addition: a comment, a fact, an action and a provision on that action
// and a second comment

fact orelaterad: bool "a fact no other provision asks about"
action arkivera "social services archive the file" default permitted

provision 99 kap. 1 § OSL "Arkivering" (SFS 2009:400, verified)
  forbid arkivera when orelaterad

'''


def with_unrelated_additions(path: str, tmp_path: Path) -> Path:
    """A copy of the step with an unrelated addition after its `law` lines (shifting every
    later line), and a comment at the end."""
    lines = (REPO / path).read_text(encoding="utf-8").splitlines(keepends=True)
    last_law = max(i for i, line in enumerate(lines) if line.startswith("law "))
    text = "".join(lines[: last_law + 1]) + EXTRA + "".join(lines[last_law + 1:]) + "\n# the end\n"
    target = tmp_path / Path(path).name
    target.write_text(text, encoding="utf-8")
    return target


@pytest.mark.parametrize("path", STEPS)
def test_finding_ids_survive_unrelated_edits(path, tmp_path):
    original = json_of(path)
    copy = with_unrelated_additions(path, tmp_path)
    run = invoke(["check", copy.name, "--format", "json"], cwd=tmp_path)
    edited = json.loads(run.stdout)["specs"][0]
    assert run.exit_code == EXIT[original["status"]]
    before = sorted((f["kind"], f["id"]) for f in original["findings"])
    after = sorted((f["kind"], f["id"]) for f in edited["findings"])
    assert after == before
    # the edit did move the findings, so the ids do not come from positions
    lines_before = {f["id"]: f["location"]["line"] for f in original["findings"]}
    for f in edited["findings"]:
        assert f["location"]["line"] > lines_before[f["id"]]
    assert edited["provisions"] == original["provisions"] + 1


def test_a_finding_id_changes_when_the_finding_does(tmp_path):
    """The id is not a constant: a collision between other provisions has another id."""
    text = (REPO / "docs/tutorial/step6.lm").read_text(encoding="utf-8")
    (tmp_path / "a.lm").write_text(text.replace("10 kap. 27 § OSL", "10 kap. 28 § OSL"), encoding="utf-8")
    edited = json.loads(invoke(["check", "a.lm", "--format", "json"], cwd=tmp_path).stdout)["specs"][0]
    (orig,) = [f for f in json_of("docs/tutorial/step6.lm")["findings"] if f["kind"] == "collision"]
    (new,) = [f for f in edited["findings"] if f["kind"] == "collision"]
    assert new["id"] != orig["id"] and new["id"].startswith("COL-")


@pytest.mark.parametrize("path", STEPS)
def test_finding_ids_are_shown_in_every_format(path):
    """docs/ci.md: a finding is accepted by its id, "which every format shows"."""
    findings = json_of(path)["findings"]
    assert findings
    text = check_repo(path, "text").stdout
    markdown = check_repo(path, "markdown").stdout
    sarif = check_repo(path, "sarif").stdout
    junit = check_repo(path, "junit").stdout
    for f in findings:
        assert f["id"] in text
        assert f["id"] in markdown
        assert f'"legalmodelFindingId/v1": "{f["id"]}"' in sarif
        assert f["id"] in junit, f"the JUnit output does not show the id {f['id']} of the {f['kind']}"


# ---- accepting findings -------------------------------------------------------------------------

JUSTIFICATION = "10 kap. 27 § and 26 kap. 1 § meet; the statute leaves the order to practice"


def collision_of_step6() -> dict:
    (f,) = json_of("docs/tutorial/step6.lm")["findings"]
    assert f["kind"] == "collision" and f["severity"] == "warning"
    return f


def step6_copy(tmp_path: Path, extra: str = "") -> str:
    text = (REPO / "docs/tutorial/step6.lm").read_text(encoding="utf-8")
    (tmp_path / "step6.lm").write_text(text + extra, encoding="utf-8")
    return "step6.lm"


def assert_accepted_everywhere(tmp_path: Path, args: list[str], fid: str, justification: str):
    run = invoke(["check", *args, "--format", "json"], cwd=tmp_path)
    assert run.exit_code == 0, run.stdout + run.stderr
    document = json.loads(run.stdout)
    assert document["status"] == "clean"
    spec = document["specs"][0]
    (f,) = [f for f in spec["findings"] if f["id"] == fid]
    assert f["accepted"] == justification
    assert spec["counts"]["accepted"] == 1 and spec["counts"]["warning"] == 0
    assert not [x for x in spec["findings"] if x["kind"] == "stale-acceptance"]

    text = invoke(["check", *args], cwd=tmp_path)
    assert text.exit_code == 0
    assert re.search(rf"^accepted \[collision {fid}\]", text.stdout, re.M), text.stdout
    assert justification in " ".join(text.stdout.split())  # the paragraph may wrap it
    assert "1 accepted" in text.stdout

    sarif = invoke(["check", *args, "--format", "sarif"], cwd=tmp_path)
    assert sarif.exit_code == 0
    log = json.loads(sarif.stdout)
    validate_sarif(log)
    (result,) = [r for r in log["runs"][0]["results"] if r["properties"]["findingId"] == fid]
    (suppression,) = result["suppressions"]
    assert suppression["status"] == "accepted" and suppression["justification"] == justification



def test_accepting_a_finding_in_the_spec_makes_check_pass(tmp_path):
    f = collision_of_step6()
    name = step6_copy(tmp_path, f'\naccept {f["id"]} "{JUSTIFICATION}"\n')
    assert_accepted_everywhere(tmp_path, [name], f["id"], JUSTIFICATION)


def test_accepting_a_finding_in_a_baseline_makes_check_pass(tmp_path):
    f = collision_of_step6()
    name = step6_copy(tmp_path)
    baseline = {"accepted": [{"id": f["id"], "justification": JUSTIFICATION}]}
    (tmp_path / "baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    assert invoke(["check", name], cwd=tmp_path).exit_code == 1  # without the baseline
    assert_accepted_everywhere(tmp_path, [name, "--baseline", "baseline.json"], f["id"], JUSTIFICATION)


@pytest.mark.parametrize("where", ["spec", "baseline"])
def test_markdown_lists_an_accepted_finding_as_accepted(where, tmp_path):
    """docs/ci.md: accepted findings "are still listed (as `accepted`, with the justification)".
    A reviewer reading the Markdown report must not take an accepted finding for an open one."""
    f = collision_of_step6()
    if where == "spec":
        args = [step6_copy(tmp_path, f'\naccept {f["id"]} "{JUSTIFICATION}"\n')]
    else:
        (tmp_path / "baseline.json").write_text(json.dumps(
            {"accepted": [{"id": f["id"], "justification": JUSTIFICATION}]}), encoding="utf-8")
        args = [step6_copy(tmp_path), "--baseline", "baseline.json"]
    md = invoke(["check", *args, "--format", "markdown"], cwd=tmp_path)
    assert md.exit_code == 0
    assert md.stdout.startswith("## ") and "**consistent**" in md.stdout
    row = next(r for r in table_rows(md.stdout) if r[0] == f["id"])
    assert "accepted" in " ".join(row), f"the Markdown report does not say {f['id']} is accepted: {row}"
    assert JUSTIFICATION in md.stdout


def test_an_acceptance_in_the_spec_that_matches_nothing_is_reported(tmp_path):
    f = collision_of_step6()
    stale = "COL-00000000"
    assert stale != f["id"]
    name = step6_copy(tmp_path, f'\naccept {f["id"]} "{JUSTIFICATION}"\naccept {stale} "an old finding"\n')
    run = invoke(["check", name, "--format", "json"], cwd=tmp_path)
    assert run.exit_code == 1
    spec = json.loads(run.stdout)["specs"][0]
    (s,) = [x for x in spec["findings"] if x["kind"] == "stale-acceptance"]
    assert s["subject"] == stale and stale in s["message"] and s["severity"] == "warning"
    assert s["accepted"] is None
    lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
    assert lines[s["location"]["line"] - 1].startswith(f"accept {stale}")
    # the real acceptance still holds
    assert [x["accepted"] for x in spec["findings"] if x["id"] == f["id"]] == [JUSTIFICATION]
    text = invoke(["check", name], cwd=tmp_path).stdout
    assert re.search(rf"^warning \[stale-acceptance [A-Z]{{3}}-[0-9a-f]{{8}}\].*\n.*{stale}", text, re.M), text


def test_a_baseline_entry_that_matches_nothing_is_reported(tmp_path):
    (tmp_path / "baseline.json").write_text(json.dumps(
        {"accepted": [{"id": "GAP-00000000", "justification": "left to practice"}]}), encoding="utf-8")
    run = invoke(["check", str(REPO / "specs/example"), "--baseline", "baseline.json", "--format", "json"],
                 cwd=tmp_path)
    assert run.exit_code == 1
    (s,) = json.loads(run.stdout)["specs"][0]["findings"]
    assert s["kind"] == "stale-acceptance" and "GAP-00000000" in s["message"]
    sarif = invoke(["check", str(REPO / "specs/example"), "--baseline", "baseline.json", "--format", "sarif"],
                   cwd=tmp_path)
    validate_sarif(json.loads(sarif.stdout))


def test_one_baseline_serves_several_specs(tmp_path):
    """A baseline entry is stale only if it matches no finding in any spec of the run: the
    collision of step 6 accepted, a run over step 6 and a clean spec passes."""
    f = collision_of_step6()
    name = step6_copy(tmp_path)
    (tmp_path / "baseline.json").write_text(json.dumps(
        {"accepted": [{"id": f["id"], "justification": JUSTIFICATION}]}), encoding="utf-8")
    for order in ([str(REPO / "specs/example"), name], [name, str(REPO / "specs/example")]):
        run = invoke(["check", *order, "--baseline", "baseline.json", "--format", "json"], cwd=tmp_path)
        assert run.exit_code == 0, run.stdout
        document = json.loads(run.stdout)
        assert document["status"] == "clean" and [s["status"] for s in document["specs"]] == ["clean", "clean"]
        assert not [x for s in document["specs"] for x in s["findings"] if x["kind"] == "stale-acceptance"]
        text = invoke(["check", *order, "--baseline", "baseline.json"], cwd=tmp_path)
        assert text.exit_code == 0 and "stale" not in text.stdout


def test_a_baseline_entry_that_matches_nothing_in_several_specs_is_reported_once(tmp_path):
    f = collision_of_step6()
    name = step6_copy(tmp_path)
    (tmp_path / "baseline.json").write_text(json.dumps(
        {"accepted": [{"id": f["id"], "justification": JUSTIFICATION},
                      {"id": "GAP-00000000", "justification": "an old gap"}]}), encoding="utf-8")
    run = invoke(["check", name, str(REPO / "specs/example"), "--baseline", "baseline.json", "--format", "json"],
                 cwd=tmp_path)
    assert run.exit_code == 1
    stale = [x for s in json.loads(run.stdout)["specs"] for x in s["findings"] if x["kind"] == "stale-acceptance"]
    assert [x["subject"] for x in stale] == ["GAP-00000000"]
    assert "baseline.json entry 2" in stale[0]["message"]


def test_an_acceptance_in_a_spec_is_for_that_spec_only(tmp_path):
    """Written in a spec, an acceptance speaks of that spec: accepting step 6's collision in
    another spec is stale there, even when step 6 is checked in the same run."""
    f = collision_of_step6()
    name = step6_copy(tmp_path)
    (tmp_path / "other.lm").write_text(
        'law OSL "o"\naction a "a" default permitted\n'
        f'accept {f["id"]} "{JUSTIFICATION}"\n', encoding="utf-8")
    run = invoke(["check", name, "other.lm", "--format", "json"], cwd=tmp_path)
    assert run.exit_code == 1
    specs = {s["spec"]: s for s in json.loads(run.stdout)["specs"]}
    assert [x["kind"] for x in specs["other.lm"]["findings"]] == ["stale-acceptance"]
    assert specs[name]["status"] == "findings"  # its collision is not accepted by the other spec


@pytest.mark.parametrize("content,expected", [
    (None, "cannot read the baseline `baseline.json`: no such file"),
    (b"\xab\xcd{}", "is not UTF-8 text"),
    (b'{"accepted": [', "is not valid JSON (expecting value at line 1, column 15)"),
    (b"[]", "must be a JSON object with a list `accepted`"),
    (b'"accepted"', "must be a JSON object with a list `accepted`"),
    (b'{"accepted": {"id": "COL-6087e6b9", "justification": "j"}}', "must be a JSON object with a list `accepted`"),
    (b'{"accepted": ["COL-6087e6b9"]}', "entry 1 of the baseline `baseline.json` must be an object with an `id`"),
    (b'{"accepted": [{"id": 5, "justification": "j"}]}', "entry 1 of the baseline `baseline.json` has the id `5`"),
    (b'{"accepted": [{"justification": "j"}]}', "entry 1 of the baseline `baseline.json` has no `id`"),
    (b'{"accepted": [{"id": "COL-6087e6b9", "justification": "j"}, {"id": "COL-6087e6b9"}]}',
     "entry 2 of the baseline `baseline.json` needs a `justification`"),
    (b'{"accepted": [{"id": "COL-6087e6b9", "justification": ["j"]}]}', "needs a `justification`"),
])
def test_a_baseline_that_cannot_be_used_says_why_in_its_own_words(tmp_path, content, expected):
    """docs/ci.md documents the baseline format; a file that does not follow it is a usage
    error (exit 2) naming the file and what was expected, never a Python exception's text."""
    if content is not None:
        (tmp_path / "baseline.json").write_bytes(content)
    run = invoke(["check", str(REPO / "specs/example"), "--baseline", "baseline.json"], cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stdout == ""
    (line,) = run.stderr.splitlines()
    assert line.startswith("legalmodel: ") and expected in line, line
    for internal in ("Errno", "codec", "list indices", "attribute", "object", "Expecting"):
        assert internal not in line.replace("JSON object", "").replace("an object", ""), line


def test_a_baseline_may_start_with_a_byte_order_mark(tmp_path):
    f = collision_of_step6()
    name = step6_copy(tmp_path)
    (tmp_path / "baseline.json").write_bytes(
        b"\xef\xbb\xbf" + json.dumps({"accepted": [{"id": f["id"], "justification": "j"}]}).encode())
    assert invoke(["check", name, "--baseline", "baseline.json"], cwd=tmp_path).exit_code == 0


def test_a_stale_baseline_entry_on_a_spec_without_provisions_is_reported_not_a_crash(tmp_path):
    """A spec with no provision yet (a first draft) and a baseline from elsewhere: the stale
    acceptance is a finding (exit 1), not an internal error."""
    (tmp_path / "draft.lm").write_text('law OSL "o"\naction a "a" default permitted\n', encoding="utf-8")
    (tmp_path / "baseline.json").write_text(json.dumps(
        {"accepted": [{"id": "COL-00000000", "justification": "x"}]}), encoding="utf-8")
    run = invoke(["check", "draft.lm", "--baseline", "baseline.json"], cwd=tmp_path)
    assert run.exit_code == 1
    assert "COL-00000000" in run.stdout


def unknown_finding(tmp_path: Path) -> tuple[str, str]:
    """A spec the solver cannot decide in 200 ms, and the id of its `unknown` finding (not 1 ms:
    on a loaded machine Z3's timer can fire before the check has begun, which then runs on)."""
    from helpers import pigeonhole

    (tmp_path / "slow.lm").write_text(pigeonhole(10), encoding="utf-8")
    run = invoke(["check", "slow.lm", "--timeout", "0.2", "--format", "json"], cwd=tmp_path)
    assert run.exit_code == 3
    (f,) = json.loads(run.stdout)["specs"][0]["findings"]
    assert f["kind"] == "unknown"
    return "slow.lm", f["id"]


def test_an_undecided_question_cannot_be_accepted_in_the_spec(tmp_path):
    """A timeout is never reported as consistent, even when the drafters try to accept it
    (docs/ci.md): the acceptance is an error in the input."""
    name, fid = unknown_finding(tmp_path)
    with open(tmp_path / name, "a", encoding="utf-8") as handle:
        handle.write(f'accept {fid} "it takes too long"\n')
    for fmt in ("text", "json"):
        run = invoke(["check", name, "--timeout", "0.2", "--format", fmt], cwd=tmp_path)
        assert run.exit_code == 2, run.stdout + run.stderr
        assert f"`{fid}` is a question the solver could not decide in time; it cannot be accepted" in run.stderr
    assert json.loads(run.stdout)["status"] == "invalid"


def test_an_undecided_question_cannot_be_accepted_in_a_baseline(tmp_path):
    name, fid = unknown_finding(tmp_path)
    (tmp_path / "baseline.json").write_text(json.dumps(
        {"accepted": [{"id": fid, "justification": "it takes too long"}]}), encoding="utf-8")
    run = invoke(["check", name, "--timeout", "0.2", "--baseline", "baseline.json", "--format", "json"],
                 cwd=tmp_path)
    assert run.exit_code == 2, run.stdout + run.stderr
    assert run.stdout == ""
    assert "baseline.json" in run.stderr and fid in run.stderr and "cannot be accepted" in run.stderr


# ---- colour --------------------------------------------------------------------------------------

def test_text_has_no_colour_when_not_a_terminal():
    """CliRunner's stdout is not a terminal: no escapes, with or without NO_COLOR."""
    for env in ({"NO_COLOR": "1"}, {"NO_COLOR": None}):
        run = invoke(["check", "docs/tutorial/step6.lm"], env=env)
        assert run.exit_code == 1
        assert "\x1b" not in run.stdout
        assert "warning [collision" in run.stdout


def on_a_terminal(args: list[str], no_color: bool) -> str:
    """Run the real command with stdout on a pseudo-terminal; what it printed there."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color:
        env["NO_COLOR"] = "1"
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "legalmodel.cli", *args], cwd=REPO, env=env,
                                stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    finally:
        os.close(slave)
    chunks = []
    try:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    proc.wait(timeout=60)
    assert proc.returncode == 1, proc.stderr.read()
    proc.stderr.close()
    return b"".join(chunks).decode("utf-8")


def test_text_is_coloured_on_a_terminal_unless_no_color():
    coloured = on_a_terminal(["check", "docs/tutorial/step6.lm"], no_color=False)
    assert ANSI.search(coloured), coloured
    plain = on_a_terminal(["check", "docs/tutorial/step6.lm"], no_color=True)
    assert "\x1b" not in plain
    # the colour is only decoration: without it the report is the same text
    assert ANSI.sub("", coloured).replace("\r\n", "\n") == plain.replace("\r\n", "\n")
    assert "warning [collision" in plain
