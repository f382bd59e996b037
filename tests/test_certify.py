"""The one certifier (analyses/certify.py): evidence is replayed by the evaluator on the whole
spec, not the slice it was found in; diff regions' deciding provisions are replayed too; and
a time limit in explain's smallest change is reported as unknown, never as "no change"."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from legalmodel.analyses import certify, diff as diff_module
from legalmodel.analyses.certify import Disagreement, certified_evidence
from legalmodel.analyses.diff import diff
from legalmodel.cli import main
from legalmodel.results import Condition
from legalmodel.semantics.evaluate import evaluate

from helpers import load
from test_diff_regions import BASE, NEW

SPEC = """
law L "law"
fact a: bool "a"
fact b: bool "b"
action act "act"
provision 1 § L "forbids"
  forbid act when a
provision 2 § L "permits"
  permit act when b
  overrides 1 §
"""


def test_evidence_found_in_a_slice_that_leaves_out_a_provision_that_applies_is_a_disagreement():
    spec = load(SPEC)
    situation = {"a": True, "b": True}
    # as the slice sees it, with 2 § left out: forbidden; the whole spec says permitted
    with pytest.raises(Disagreement):
        certified_evidence(spec, situation, (), lambda e: True, "a test", among=["1 § L"])
    shown = certified_evidence(spec, situation, (), lambda e: e.verdicts["act"] == "permitted", "a test")
    assert shown.verdicts == {"act": "permitted"} and shown.in_force == ("2 § L",)


def test_evidence_that_does_not_meet_its_own_conditions_is_a_disagreement():
    spec = load(SPEC)
    with pytest.raises(Disagreement):
        certified_evidence(spec, {"a": True, "b": False}, (Condition("b", "bool", value=True),),
                           lambda e: True, "a test")


def test_a_decider_named_in_a_region_is_replayed_by_the_evaluator(monkeypatch):
    extra = "\nprovision 6 § L \"other secrecy\"\n  forbid act when kind = y\n"
    old = load(BASE + extra)
    new = load(NEW.replace("  overrides 1 §\n", "  overrides 1 §, 6 §\n") + extra)
    assert diff(old, new, with_goals=False).covers  # as it is: certified

    real = evaluate

    def no_6(spec, situation, among=None):  # an evaluator that never sees 6 § in force
        e = real(spec, situation, among)
        return type(e)(e.situation, e.triggered, e.in_force - {"6 § L"}, e.verdicts)

    monkeypatch.setattr(diff_module, "evaluate", no_6)
    with pytest.raises(Disagreement, match="6 § L"):
        diff(old, new, with_goals=False)


def test_a_time_limit_in_the_smallest_change_is_unknown_not_no_change(monkeypatch, tmp_path):
    from legalmodel.analyses.explain import Explainer
    from legalmodel.solver.session import Unknown

    def timed_out(self, *args):
        raise Unknown("timeout")

    monkeypatch.setattr(Explainer, "_counterfactual", timed_out)
    spec = tmp_path / "law.lm"
    spec.write_text(SPEC, encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(spec), "--given", "a", "--given", "not b"])
    assert result.exit_code == 3
    assert "smallest change: not found within the time limit (timeout)" in result.output
    assert "no change of the given facts" not in result.output
    as_json = CliRunner().invoke(main, ["explain", str(spec), "--given", "a", "--given", "not b", "--format", "json"])
    assert '"smallest_change_unknown": "timeout"' in as_json.output


def test_the_certifier_is_the_module_that_replays(monkeypatch):
    """Evidence of a check goes through certify.certify: an evaluator that disagrees there
    stops the run."""
    calls = []
    real = certify.certify

    def counted(*args, **kw):
        calls.append(args[3])
        return real(*args, **kw)

    monkeypatch.setattr("legalmodel.analyses.context.certify", counted)
    monkeypatch.setattr(certify, "certify", counted)
    from legalmodel.analyses.analyse import analyse

    report = analyse(load(SPEC.replace("  overrides 1 §\n", "")))
    assert report.findings and all(f.evidence for f in report.findings if f.kind == "collision")
    assert calls
