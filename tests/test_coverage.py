"""Coverage per provision over case tables and the spec's examples (issue 23, docs/cases.md):
the counts are what the plain evaluator counts over the cases (a property test on generated
specs and generated tables), each suggested row has its provision decide, and `test
--coverage` fails exactly where a provision decides in no case and is not accepted."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import legalmodel
from legalmodel.cases.run import coverage, coverage_id, example_outcomes, read_tables, run_cases
from legalmodel.cli import main
from legalmodel.law import model as m
from legalmodel.semantics.evaluate import assumptions_hold, evaluate

from helpers import FIXTURES, REPO, make_runner
from strategies import all_situations, spec_plans

TABLE = str(FIXTURES / "cases" / "good" / "tutorial.csv")


def _cell(v) -> str:
    return "true" if v is True else "false" if v is False else str(v)


def _deciding(spec, evaluation, action) -> set[str]:
    return set(evaluation.deciding(spec, action))


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_coverage_equals_what_the_evaluator_counts(data, tmp_path_factory):
    """Over a generated table of cases (each a partial situation: some facts of a situation
    that meets the assumptions), a provision applied, was set aside, or decided in a case
    exactly when it does so in every completion of the case's facts that meets the
    assumptions (decided: and the verdict is settled), by brute force with the evaluator."""
    plan = data.draw(spec_plans(), label="plan")
    note(plan.text)
    law = legalmodel.loads(plan.text, name="spec.lm")
    spec = law.spec
    world = [(s, evaluate(spec, s)) for s in all_situations(spec) if assumptions_hold(spec, s)]
    if not world:
        return
    names = list(spec.facts)
    rows = []
    for _ in range(data.draw(st.integers(1, 5), label="cases")):
        situation, _e = data.draw(st.sampled_from(world), label="situation")
        stated = data.draw(st.lists(st.sampled_from(names), unique=True), label="stated") if names else []
        action = data.draw(st.sampled_from(sorted(spec.actions)), label="act")
        rows.append(({f: situation[f] for f in names if f in stated}, action))
    path = tmp_path_factory.mktemp("cases") / "cases.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["act", *names, "expect"])
        for facts, action in rows:
            writer.writerow([action, *(_cell(facts[n]) if n in facts else "" for n in names), "permitted"])
    run = run_cases(law, read_tables(law, [str(path)]))
    got = coverage(law, list(run.outcomes), suggest=False)
    expected = {pid: [0, 0, 0] for pid in spec.provisions}
    for facts, action in rows:
        completions = [e for s, e in world if all(s[k] == v for k, v in facts.items())]
        verdicts = {e.verdicts[action] for e in completions}
        for p in spec.provisions_for(action):
            applied = all(p.id in e.triggered for e in completions)
            expected[p.id][0] += applied
            expected[p.id][2] += applied and all(p.id not in e.in_force for e in completions)
            expected[p.id][1] += len(verdicts) == 1 and all(p.id in _deciding(spec, e, action) for e in completions)
    assert {p.provision: [p.applied, p.decided, p.set_aside] for p in got.provisions} == expected


@pytest.mark.slow
@settings(deadline=None, max_examples=30)
@given(plan=spec_plans())
def test_a_suggested_row_has_its_provision_decide(plan):
    """For each provision that decides in no case, the suggested row's facts settle the
    verdict and have the provision decide in every completion that meets the assumptions;
    where no row is offered, no situation has it decide."""
    note(plan.text)
    law = legalmodel.loads(plan.text, name="spec.lm")
    spec = law.spec
    world = [evaluate(spec, s) for s in all_situations(spec) if assumptions_hold(spec, s)]
    for p in coverage(law, []).provisions:
        if p.never:
            assert not any(p.provision in e.deciding(spec, p.action) for e in world)
            continue
        assert p.suggestion is not None
        _date, action, facts, verdict = p.suggestion
        completions = [e for e in world if all(e.situation[k] == v for k, v in facts)]
        assert completions and all(e.verdicts[action] == verdict and p.provision in e.deciding(spec, action)
                                   for e in completions)


def test_coverage_of_the_tutorial_over_a_table_and_the_examples():
    law = legalmodel.load(REPO / "specs/tutorial")
    run = run_cases(law, read_tables(law, [TABLE]))
    covered = coverage(law, [*example_outcomes(law), *run.outcomes])
    assert covered.cases == 9
    counts = {p.provision: (p.applied, p.decided, p.set_aside) for p in covered.provisions}
    assert counts == {"26 kap. 1 § OSL": (4, 3, 0), "12 kap. 2 § OSL": (2, 2, 0), "10 kap. 27 § OSL": (3, 0, 0),
                      "10 kap. 18 a § OSL": (2, 2, 0), "4 § UBL": (0, 0, 0)}
    assert [p.provision for p in covered.uncovered] == ["10 kap. 27 § OSL", "4 § UBL"]
    ubl = covered.uncovered[1]
    assert ubl.suggestion == ("2025-12-01", "lämna_uppgift", (("begär_kontaktuppgifter", True), ("synnerliga_skäl", False)),
                              "obligatory")


def test_cli_coverage_fails_unless_the_baseline_accepts(tmp_path):
    spec = str(REPO / "specs/tutorial")
    runner = make_runner()
    result = runner.invoke(main, ["test", spec, TABLE, "--coverage"])
    assert result.exit_code == 1
    assert "decide in no case: 2" in result.stdout
    assert f"4 § UBL “Kontaktuppgifter” {coverage_id('4 § UBL')}" in result.stdout
    assert "      lämna_uppgift,true,false,obligatory" in result.stdout
    baseline = tmp_path / "coverage.json"
    baseline.write_text(json.dumps({"accepted": [
        {"id": coverage_id("4 § UBL"), "justification": "no published case yet"},
        {"id": coverage_id("10 kap. 27 § OSL"), "justification": "excepted from 26 kap.: it never decides here"}]}),
        encoding="utf-8")
    accepted = runner.invoke(main, ["test", spec, TABLE, "--coverage", "--baseline", str(baseline)])
    assert accepted.exit_code == 0, accepted.stdout
    assert "(accepted: “no published case yet”)" in accepted.stdout
    document = json.loads(runner.invoke(main, ["test", spec, TABLE, "--coverage", "--format", "json"]).stdout)
    assert document["coverage"]["schema"] == "legalmodel.coverage/1"
    assert document["coverage"]["failing"] == ["10 kap. 27 § OSL", "4 § UBL"]
    markdown = runner.invoke(main, ["test", spec, TABLE, "--coverage", "--format", "markdown"]).stdout
    assert "## Coverage: specs/tutorial" in markdown and "| 4 § UBL | Kontaktuppgifter | 0 | 0 | 0 |" in markdown


def test_suggested_row_pasted_into_a_table_covers_the_provision(tmp_path):
    """The row offered for 4 § UBL, added to a table, makes it decide in a case."""
    law = legalmodel.load(REPO / "specs/tutorial")
    (p,) = [p for p in coverage(law, []).provisions if p.provision == "4 § UBL"]
    from legalmodel.reports.cases import suggested_row

    table = tmp_path / "added.csv"
    table.write_text(suggested_row(p.suggestion), encoding="utf-8")
    run = run_cases(law, read_tables(law, [str(table)]))
    assert run.exit_status == 0
    assert [p.decided for p in coverage(law, list(run.outcomes), suggest=False).provisions
            if p.provision == "4 § UBL"] == [1]
