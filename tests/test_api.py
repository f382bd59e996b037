"""The public API (docs/api.md): its examples run as doctests, its results are what the command
line prints, and bad input gets SpecError or UsageError, never another exception."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import legalmodel
from legalmodel.cli import main

REPO = Path(__file__).resolve().parent.parent


def test_the_examples_of_docs_api_md_run(monkeypatch):
    monkeypatch.chdir(REPO)
    failures, tried = doctest.testfile(str(REPO / "docs" / "api.md"), module_relative=False,
                                       optionflags=doctest.ELLIPSIS, raise_on_error=False)
    assert tried > 20 and failures == 0


def test_the_package_docstring_example_runs(monkeypatch):
    monkeypatch.chdir(REPO)
    failures, tried = doctest.testmod(legalmodel, optionflags=doctest.ELLIPSIS)
    assert tried >= 3 and failures == 0


@pytest.mark.parametrize("path", ["docs/tutorial/step1.lm", "docs/tutorial/step5.lm", "specs/tutorial"])
def test_to_json_is_what_check_prints(monkeypatch, path):
    monkeypatch.chdir(REPO)
    result = legalmodel.load(path).check()
    printed = CliRunner().invoke(main, ["check", path, "--format", "json"])
    assert result.to_json() == printed.output
    assert result.exit_status == printed.exit_code
    assert result.to_text() == CliRunner().invoke(main, ["check", path]).output


def test_a_finding_has_what_the_json_says(monkeypatch):
    monkeypatch.chdir(REPO)
    result = legalmodel.load("docs/tutorial/step3.lm").check()
    document = json.loads(result.to_json())["specs"][0]
    assert [(f.id, f.kind, f.severity, list(f.provisions)) for f in result.findings] == [
        (f["id"], f["kind"], f["severity"], f["provisions"]) for f in document["findings"]]
    for f, shown in zip(result.findings, document["findings"]):
        assert (f.witness.situation if f.witness else None) == (
            shown["evidence"][0]["situation"] if shown["evidence"] else None)


def test_a_spec_with_errors_raises_spec_error_with_places(tmp_path):
    bad = tmp_path / "bad.lm"
    bad.write_text('law X "x"\nfact a: bool "a"\nfact a: bool "again"\n', encoding="utf-8")
    with pytest.raises(legalmodel.SpecError) as info:
        legalmodel.load(bad)
    [d] = info.value.diagnostics
    assert (Path(d.file).name, d.line, d.column) == ("bad.lm", 3, 6)
    assert "a" in d.message


@pytest.mark.parametrize("call", [
    lambda: legalmodel.load("no/such/spec"),
    lambda: legalmodel.load("specs/tutorial", as_of="2016-13-01"),
    lambda: legalmodel.load("specs/tutorial", as_of="yesterday"),
    lambda: legalmodel.load("specs/tutorial", proposals=["no such proposal"]),
    lambda: legalmodel.load("specs"),  # several specs: name one
    lambda: legalmodel.loads(b"law X", name="bytes.lm"),
    lambda: legalmodel.load("specs/tutorial").check(timeout=-1),
    lambda: legalmodel.load("specs/tutorial").check(baseline="no/such/baseline.json"),
    lambda: legalmodel.load("specs/tutorial").explain({"ålder": 300}),
    lambda: legalmodel.load("specs/tutorial").explain({"ålder": "old"}),
    lambda: legalmodel.load("specs/tutorial").explain({"nosuchfact": True}),
    lambda: legalmodel.load("specs/tutorial").explain({}, action="no_such_act"),
    lambda: legalmodel.load("specs/tutorial").explain({}, why_not="maybe"),
    lambda: legalmodel.load("specs/tutorial").impact("99 kap. 1 §"),
    lambda: legalmodel.load("specs/tutorial").impact("not a citation"),
    lambda: legalmodel.load("specs/tutorial").history("99 kap. 1 §"),
    lambda: legalmodel.load("specs/tutorial").diff_amendment("SFS 1999:1"),
])
def test_a_wrong_request_is_a_usage_error(monkeypatch, call):
    monkeypatch.chdir(REPO)
    with pytest.raises(legalmodel.UsageError) as info:
        call()
    assert str(info.value)


def test_loads_reports_a_nul_byte_as_a_diagnostic():
    with pytest.raises(legalmodel.SpecError) as info:
        legalmodel.loads('law X "x"\x00\n', name="nul.lm")
    assert info.value.diagnostics[0].file == "nul.lm"


def test_an_explanation_of_several_acts_is_read_act_by_act():
    law = legalmodel.loads('law L "l"\nfact a: bool "a"\naction x "x"\naction y "y"\n'
                           'provision 1 kap. 1 § L "one"\n  permit x when a\n'
                           'provision 1 kap. 2 § L "two"\n  forbid y when a\n', name="two.lm")
    both = law.explain({"a": True})
    assert [(a.action, a.verdict) for a in both.actions] == [("x", "permitted"), ("y", "forbidden")]
    with pytest.raises(legalmodel.UsageError):
        both.verdict
    one = law.explain({"a": True}, action="y")
    assert (one.settled, one.verdict, one.decided_by) == (True, "forbidden", ("1 kap. 2 § L",))


def test_check_paths_reports_each_spec_or_why_it_could_not_be_read(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.lm").write_text('law L "l"\nfact a: bool "a"\naction x "x"\n'
                               'provision 1 kap. 1 § L "one"\n  permit x\n', encoding="utf-8")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "b.lm").write_text('law L "l"\nprovision\n', encoding="utf-8")
    outcomes = list(legalmodel.check_paths([str(good), str(bad)]))
    assert [type(o).__name__ for o in outcomes] == ["CheckResult", "InvalidSpec"]
    assert outcomes[0].status == "consistent" and outcomes[1].diagnostics


def test_two_dates_of_one_law_and_the_act_between_them_give_the_same_change(monkeypatch):
    monkeypatch.chdir(REPO)
    law = legalmodel.load("docs/amendment-tutorial/law", as_of="2016-10-05")
    by_dates = legalmodel.diff(law, law.at("2020-08-01"))
    by_act = law.at("2020-08-01").diff_amendment("2020:575")
    assert [(c.action, c.before, c.after) for c in by_dates.changes] == [
        (c.action, c.before, c.after) for c in by_act.changes]
    assert all(c.complete for c in by_dates.changes)
    assert [r.situation for c in by_dates.changes for r in c.regions]
