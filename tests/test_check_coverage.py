"""`check --coverage` (issue 23): a provision that decides in none of the spec's examples
and the given case tables is a finding, `uncovered-provision`, under the `COV-…` id
`test --coverage` shows, so one baseline entry accepts it in both; it fails the check
(exit 1) unless accepted, in every format `check` writes."""

from __future__ import annotations

import json
import re

import pytest

import legalmodel
from legalmodel.cases.run import coverage, coverage_id, example_outcomes, read_tables, run_cases
from legalmodel.semantics.evaluate import evaluate

from helpers import REPO
from test_consumers import assert_valid_junit
from test_formats import invoke, validate_sarif
from test_json_schemas import assert_valid

TUTORIAL = "specs/tutorial"
TABLE = "docs/cases/tutorial.csv"


def uncovered_by_test(tables=()) -> set[str]:
    """What `test --coverage` lists as deciding in no case, on the same law and cases."""
    law = legalmodel.load(TUTORIAL)
    outcomes = example_outcomes(law)
    if tables:
        outcomes += run_cases(law, read_tables(law, list(tables))).outcomes
    return {p.provision for p in coverage(law, outcomes, suggest=False).uncovered}


@pytest.fixture(scope="module")
def checked():
    return legalmodel.load(TUTORIAL).check(coverage=True)


def test_each_provision_deciding_in_no_example_is_a_finding(checked):
    found = [f for f in checked.findings if f.kind == "uncovered-provision"]
    assert {f.subject for f in found} == uncovered_by_test() == {"12 kap. 2 § OSL", "10 kap. 27 § OSL", "4 § UBL"}
    assert all(f.id == coverage_id(f.subject) and f.severity == "warning" for f in found)
    assert checked.status == "findings" and checked.exit_status == 1


def test_its_evidence_is_a_situation_where_the_provision_decides(checked):
    spec = legalmodel.load(TUTORIAL).spec
    for f in (f for f in checked.findings if f.kind == "uncovered-provision"):
        (evidence,) = f.evidence
        ev = evaluate(spec, evidence.situation)
        assert f.subject in ev.deciding(spec, f.action), f.subject
        assert any(line.strip().startswith("act,") for line in f.details)  # the row's header


def test_without_coverage_there_is_no_such_finding():
    result = legalmodel.load(TUTORIAL).check()
    assert not [f for f in result.findings if f.kind == "uncovered-provision"]


def test_a_case_table_counts_too():
    result = legalmodel.load(TUTORIAL).check(coverage=True, cases=[TABLE])
    found = {f.subject for f in result.findings if f.kind == "uncovered-provision"}
    assert found == uncovered_by_test([TABLE])
    assert found < uncovered_by_test()  # the table's rows cover some the examples do not


def test_the_baseline_accepts_them_and_the_check_passes(tmp_path):
    baseline = tmp_path / "coverage.json"
    baseline.write_text(json.dumps({"accepted": [
        {"id": coverage_id(p), "justification": f"no published case of {p} yet"}
        for p in sorted(uncovered_by_test())]}), encoding="utf-8")
    run = invoke(["check", TUTORIAL, "--coverage", "--baseline", baseline])
    assert run.exit_code == 0, run.stdout + run.stderr
    document = json.loads(invoke(["check", TUTORIAL, "--coverage", "--baseline", baseline, "--format", "json"]).stdout)
    (spec,) = document["specs"]
    accepted = {f["id"]: f["accepted"] for f in spec["findings"] if f["kind"] == "uncovered-provision"}
    assert accepted == {coverage_id("4 § UBL"): "no published case of 4 § UBL yet",
                        coverage_id("10 kap. 27 § OSL"): "no published case of 10 kap. 27 § OSL yet",
                        coverage_id("12 kap. 2 § OSL"): "no published case of 12 kap. 2 § OSL yet"}


def test_an_accepted_provision_that_is_covered_now_is_stale_only_with_coverage(tmp_path):
    baseline = tmp_path / "coverage.json"
    baseline.write_text(json.dumps({"accepted": [
        {"id": coverage_id("26 kap. 1 § OSL"), "justification": "was not covered once"}]}), encoding="utf-8")
    plain = invoke(["check", TUTORIAL, "--baseline", baseline])
    assert plain.exit_code == 0 and "stale" not in plain.stdout  # coverage was not asked for
    with_coverage = invoke(["check", TUTORIAL, "--coverage", "--baseline", baseline])
    assert with_coverage.exit_code == 1
    assert f"the acceptance of {coverage_id('26 kap. 1 § OSL')}".lower() in with_coverage.stdout.lower()


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_every_format_shows_them_and_fails(fmt):
    run = invoke(["check", TUTORIAL, "--coverage", "--format", fmt])
    assert run.exit_code == 1, run.stderr
    ids = sorted(coverage_id(p) for p in uncovered_by_test())
    for i in ids:
        assert i in run.stdout, (fmt, i)
    if fmt == "json":
        document = json.loads(run.stdout)
        assert_valid("check-1.json", document)
        assert sorted(f["id"] for f in document["specs"][0]["findings"] if f["kind"] == "uncovered-provision") == ids
    elif fmt == "sarif":
        document = json.loads(run.stdout)
        validate_sarif(document)
        (sarif_run,) = document["runs"]
        rules = {r["id"]: r for r in sarif_run["tool"]["driver"]["rules"]}
        results = [r for r in sarif_run["results"] if r["ruleId"] == "uncovered-provision"]
        assert len(results) == len(ids) and rules["uncovered-provision"]["help"]["text"]
    elif fmt == "junit":
        root = assert_valid_junit(run.stdout)
        assert root.findall(".//failure[@type='uncovered-provision']")
    elif fmt == "github":
        annotations = [line for line in run.stdout.splitlines() if line.startswith("::warning ")]
        assert sum(any(i in line for i in ids) for line in annotations) == len(ids)


@pytest.mark.slow
def test_the_real_law_on_the_motion_day_with_its_cases(tmp_path):
    """specs/osl with its published cases: each provision deciding in none is named, as
    `test --coverage` names it, and the suggested rows are of the law on that date."""
    law = legalmodel.load("specs/osl", as_of="2016-10-05")
    tables = sorted(str(p) for p in (REPO / "specs/osl/cases").glob("*.csv"))
    result = law.check(coverage=True, cases=tables)
    found = {f.subject for f in result.findings if f.kind == "uncovered-provision"}
    outcomes = [*example_outcomes(law), *run_cases(law, read_tables(law, tables)).outcomes]
    expected = {p.provision for p in coverage(law, outcomes, suggest=False).uncovered
                if p.provision in law.spec.provisions}
    assert found == expected


@pytest.mark.parametrize("args, message", [
    (["--cases", TABLE], "--cases is counted for --coverage"),
    (["--coverage", "--cases", "docs/cases/broken.csv"], "broken.csv"),
    (["--coverage", "--cases", "no-such.csv"], "no-such.csv"),
])
def test_bad_cases_are_input_errors(args, message):
    run = invoke(["check", TUTORIAL, *args])
    assert run.exit_code == 2, run.stdout
    assert message in run.stderr and "Traceback" not in run.stderr


def test_cases_with_several_specs_is_an_input_error():
    run = invoke(["check", TUTORIAL, "docs/tutorial/step1.lm", "--coverage", "--cases", TABLE])
    assert run.exit_code == 2 and "give one spec" in run.stderr
    assert re.match(r"legalmodel: ", run.stderr)
