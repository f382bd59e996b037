"""The outputs of `check` as strict consumers read them (issue 18).

- JUnit validates against Jenkins' junit-10.xsd (tests/schemas/junit-10.xsd, vendored from the
  Jenkins xUnit plugin; its source is in the file) with lxml, whose parser rejects what XML 1.0
  cannot hold, for every spec of the corpus, an unreadable one, and text holding control
  characters;
- SARIF validates against the official schema and has what GitHub code scanning shows: a
  `fullDescription` and `help` for every rule, fingerprints for input errors, acceptances
  from a baseline suppressed as `external`, URIs under `%SRCROOT%` relative to the repository
  root;
- Markdown: a spec that cannot be read still gets its section, and Markdown's own specials
  in titles are shown, not rendered;
- `--format github`: workflow commands escaped as the runner parses them, and the Markdown
  report appended to `$GITHUB_STEP_SUMMARY`.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from lxml import etree

from legalmodel.reports.junit import junit_document
from legalmodel.syntax.diagnostics import Diagnostic
from legalmodel.syntax.source import SourceFile, Span

from helpers import REPO, TESTS
from test_formats import SPECS, check_repo, invoke, table_rows, validate_sarif

JUNIT_XSD = TESTS / "schemas" / "junit-10.xsd"
UNREADABLE = 'law OSL "o"\nfact x: bool "x"\nfact x: bool "again"\n'
BASELINED = ('law OSL "o"\nfact x: bool "x"\naction a "a"\n'
             'provision 1 kap. 1 § "p" permit a when x\n')  # a gap where not x


# ---- JUnit ----------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def junit_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(JUNIT_XSD)))


def assert_valid_junit(text: str) -> etree._Element:
    root = etree.fromstring(text.encode("utf-8"))  # lxml refuses malformed XML outright
    schema = junit_schema()
    assert schema.validate(root), "\n".join(str(e) for e in schema.error_log)
    return root


def test_the_vendored_xsd_rejects_a_suite_without_errors():
    """The validation below can fail: Jenkins' schema requires `errors` on a test suite."""
    root = etree.fromstring(b'<testsuites><testsuite name="s" tests="0" failures="0"/></testsuites>')
    assert not junit_schema().validate(root)


def test_junit_validates_against_jenkins_xsd_for_every_spec():
    for path in SPECS:
        root = assert_valid_junit(check_repo(path, "junit").stdout)
        for suite in root.iter("testsuite"):
            assert suite.get("errors") == "0"


def test_junit_of_an_unreadable_spec_validates(tmp_path):
    (tmp_path / "bad.lm").write_text(UNREADABLE, encoding="utf-8")
    run = invoke(["check", "bad.lm", "--format", "junit"], cwd=tmp_path)
    assert run.exit_code == 2
    assert_valid_junit(run.stdout)


def test_junit_never_holds_a_character_xml_cannot_hold():
    """A spec refuses control characters, but the API can hand the renderer any text: a
    vertical tab (U+000B), a NUL or U+FFFF in a name or message is shown as U+FFFD, and the
    document still parses."""
    span = Span(SourceFile("a\x0bb.lm", "law X \"x\"\n"), 0, 1, 1, 1)
    d = Diagnostic("syntax", "bad \x0b title \x00 and \uffff", span)
    text = junit_document([], [("a\x0bb.lm", (d,))])
    root = assert_valid_junit(text)
    (failure,) = root.iter("failure")
    assert "bad \ufffd title \ufffd and \ufffd" in failure.text
    assert root.find("testsuite").get("name") == "a\ufffdb.lm"


# ---- SARIF ----------------------------------------------------------------------------------------

def sarif_of(args, cwd: Path) -> dict:
    run = invoke(["check", *args, "--format", "sarif"], cwd=cwd)
    document = json.loads(run.stdout)
    validate_sarif(document)
    return document


def test_every_sarif_rule_has_the_metadata_github_shows():
    """GitHub shows a rule's shortDescription as the alert's title, and its fullDescription and
    help below it; neither may be empty or a copy of the title."""
    seen = set()
    for path in SPECS:
        document = json.loads(check_repo(path, "sarif").stdout)
        validate_sarif(document)
        for rule in document["runs"][0]["tool"]["driver"]["rules"]:
            seen.add(rule["id"])
            assert rule["fullDescription"]["text"].strip()
            assert rule["fullDescription"]["text"] != rule["shortDescription"]["text"]
            assert rule["help"]["text"].strip() and rule["help"]["markdown"].strip()
            level = rule["defaultConfiguration"]["level"]
            assert rule["properties"]["problem.severity"] == {"note": "recommendation"}.get(level, level)
            assert rule["properties"]["precision"] == "very-high" and rule["id"] in rule["properties"]["tags"]
    assert len(seen) >= 8


def test_sarif_input_errors_have_fingerprints_that_survive_moving_lines(tmp_path):
    (tmp_path / "bad.lm").write_text(UNREADABLE, encoding="utf-8")
    first = sarif_of(["bad.lm"], tmp_path)["runs"][0]["results"]
    (tmp_path / "bad.lm").write_text("// a comment above\n" + UNREADABLE, encoding="utf-8")
    second = sarif_of(["bad.lm"], tmp_path)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in first] == [r["partialFingerprints"] for r in second]
    assert all(r["partialFingerprints"]["legalmodelInputError/v1"].startswith("INP-") for r in first)


def test_sarif_marks_a_baseline_acceptance_external_and_a_spec_one_in_source(tmp_path):
    (tmp_path / "s.lm").write_text(BASELINED, encoding="utf-8")
    (result,) = sarif_of(["s.lm"], tmp_path)["runs"][0]["results"]
    fid = result["partialFingerprints"]["legalmodelFindingId/v1"]
    (tmp_path / "baseline.json").write_text(json.dumps({"accepted": [{"id": fid, "justification": "left open"}]}),
                                            encoding="utf-8")
    (result,) = sarif_of(["s.lm", "--baseline", "baseline.json"], tmp_path)["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "left open"}]
    (tmp_path / "s.lm").write_text(BASELINED + f'accept {fid} "left open"\n', encoding="utf-8")
    (result,) = sarif_of(["s.lm"], tmp_path)["runs"][0]["results"]
    assert result["suppressions"][0]["kind"] == "inSource"


def test_sarif_uris_are_relative_to_the_repository_root(tmp_path):
    """Run from a sub-folder of a repository, the URI is still the path from the root."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "laws" / "osl").mkdir(parents=True)
    (repo / "laws" / "osl" / "s.lm").write_text(BASELINED, encoding="utf-8")
    document = sarif_of(["osl/s.lm"], repo / "laws")
    sarif_run = document["runs"][0]
    location = sarif_run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "laws/osl/s.lm", "uriBaseId": "%SRCROOT%"}
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"


# ---- Markdown -------------------------------------------------------------------------------------

def test_markdown_reports_a_spec_that_cannot_be_read(tmp_path):
    (tmp_path / "bad.lm").write_text(UNREADABLE, encoding="utf-8")
    (tmp_path / "good.lm").write_text(BASELINED, encoding="utf-8")
    run = invoke(["check", "bad.lm", "good.lm", "--format", "markdown"], cwd=tmp_path)
    assert run.exit_code == 2
    lines = run.stdout.splitlines()
    assert lines[0] == "## legalmodel check: `bad.lm`"
    assert ["bad.lm:3:6", "the fact `x` is declared twice"] in table_rows(run.stdout)
    assert "## legalmodel check: `good.lm`" in lines


def test_markdown_escapes_emphasis_links_and_strike_through_in_titles(tmp_path):
    spec = ('law X "x"\nfact x: bool "x"\naction a "a" default permitted\n'
            'goal "*bold* _it_ [l](u) ~s~ `a_b`" a is permitted whenever x\n')
    (tmp_path / "s.lm").write_text(spec, encoding="utf-8")
    run = invoke(["check", "s.lm", "--format", "markdown"], cwd=tmp_path)
    assert run.exit_code == 0
    assert [r"\*bold\* \_it\_ \[l\](u) \~s\~ `a_b`", "holds"] in table_rows(run.stdout)
    assert not re.search(r"(?<!\\)[*_~]bold|(?<!\\)_it", run.stdout)


# ---- --format github --------------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    """The runner's reading of an escaped value (the reverse of @actions/core's escaping)."""
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def parse_command(line: str) -> tuple[str, dict, str]:
    level, props, message = COMMAND.match(line).groups()
    properties = dict(p.split("=", 1) for p in props.split(","))
    return level, {k: unescape(v) for k, v in properties.items()}, unescape(message)


def test_github_escaping_follows_the_runner():
    from legalmodel.reports.github import escape_data, escape_property

    assert escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert escape_property("100% a\r\nb: c, d") == "100%25 a%0D%0Ab%3A c%2C d"


def test_github_format_annotates_every_finding_and_input_error(tmp_path):
    folder = tmp_path / "a,b:c 100%"
    folder.mkdir()
    (folder / "s.lm").write_text(BASELINED, encoding="utf-8")
    (tmp_path / "bad.lm").write_text(UNREADABLE, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"NO_COLOR": "1", "GITHUB_STEP_SUMMARY": str(summary)}
    run = invoke(["check", "a,b:c 100%/s.lm", "bad.lm", "--format", "github", "--sarif", "out.sarif"],
                 cwd=tmp_path, env=env)
    assert run.exit_code == 2
    commands = [parse_command(line) for line in run.stdout.splitlines() if line.startswith("::")]
    assert len(commands) == 2
    (level, props, message), (bad_level, bad_props, bad_message) = commands
    assert level == "error" and props["file"] == "a,b:c 100%/s.lm"
    assert (props["line"], props["col"]) == ("3", "8")
    assert props["title"].startswith("legalmodel gap GAP-")
    assert message.splitlines()[0] == "No provision decides `a` in these situations, and it has no default."
    assert bad_level == "error" and (bad_props["file"], bad_props["line"], bad_props["col"]) == ("bad.lm", "3", "6")
    assert "declared twice" in bad_message
    assert "a,b:c 100%/s.lm: findings: 1 error" in run.stdout  # the text report for the log
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## legalmodel check: `a,b:c 100%/s.lm`")
    assert "## legalmodel check: `bad.lm`" in text
    # the SARIF written beside it is the run's, as --format sarif prints it
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    validate_sarif(sarif)
    assert sarif == json.loads(invoke(["check", "a,b:c 100%/s.lm", "bad.lm", "--format", "sarif"],
                                      cwd=tmp_path).stdout)


def test_github_format_leaves_accepted_findings_and_notes_their_level(tmp_path):
    (tmp_path / "s.lm").write_text(BASELINED, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    quiet = {"NO_COLOR": "1", "GITHUB_STEP_SUMMARY": None}  # never a real job's summary
    first = invoke(["check", "s.lm", "--format", "github"], cwd=tmp_path, env=quiet)
    (_level, props, _m), = [parse_command(x) for x in first.stdout.splitlines() if x.startswith("::")]
    fid = props["title"].split()[-1]
    (tmp_path / "s.lm").write_text(BASELINED + f'accept {fid} "left open"\n', encoding="utf-8")
    run = invoke(["check", "s.lm", "--format", "github"], cwd=tmp_path, env=quiet)
    assert run.exit_code == 0
    assert not [x for x in run.stdout.splitlines() if x.startswith("::")]
