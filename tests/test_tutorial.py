"""The tutorial (docs/tutorial.md) says what `legalmodel check` finds at each step; check it does.

Each step's spec is docs/tutorial/stepN.lm; they have findings on purpose. The finished spec,
specs/tutorial/tutorial.lm, must be clean (CI checks specs/).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from legalmodel.cli import main

REPO = Path(__file__).resolve().parent.parent
STEPS = REPO / "docs" / "tutorial"
FINAL = REPO / "specs" / "tutorial"

YOUNG = "the police can be told about a young person at risk of crime"
ANYONE = "the police can be told about anyone at risk of crime"

# step: (exit status, finding kinds, goal statuses, example statuses), as docs/tutorial.md says
CLAIMS = {
    1: (1, ["gap"], {}, {}),
    2: (1, ["failed-goal"], {YOUNG: "fails", ANYONE: "fails-as-expected"}, {}),
    3: (1, ["never-in-force"], {YOUNG: "holds", ANYONE: "fails-as-expected"}, {}),
    4: (0, ["idle-override"], {YOUNG: "holds", ANYONE: "fails-as-expected"}, {}),
    5: (1, ["dead-provision"], {YOUNG: "holds", ANYONE: "fails-as-expected"}, {}),
    6: (1, ["collision"], {YOUNG: "holds", ANYONE: "fails-as-expected"}, {}),
    7: (1, ["contradiction"], {YOUNG: "holds", ANYONE: "fails-as-expected"}, {}),
    8: (1, ["failed-example", "underdetermined-example"], {YOUNG: "holds", ANYONE: "fails-as-expected"},
        {"the motion's reading of 10 kap. 27 §: a 25-year-old at risk, disclosure uppenbart": "fails",
         "a 19-year-old at concrete risk of crime": "underdetermined"}),
}

# the kinds whose findings carry concrete situations as evidence
WITH_EVIDENCE = {"gap", "failed-goal", "never-in-force", "collision", "contradiction",
                 "failed-example", "underdetermined-example"}


def check(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    document = json.loads(result.stdout)
    assert document["schema"] == "legalmodel.check/1"
    [spec] = document["specs"]
    return result.exit_code, spec


@pytest.mark.parametrize("step", sorted(CLAIMS))
def test_each_step_finds_what_the_tutorial_says(step):
    exit_code, spec = check(STEPS / f"step{step}.lm")
    expected_exit, kinds, goals, examples = CLAIMS[step]
    assert exit_code == expected_exit
    assert sorted(f["kind"] for f in spec["findings"]) == sorted(kinds)
    for finding in spec["findings"]:
        if finding["kind"] in WITH_EVIDENCE:
            assert finding["evidence"], f"{finding['kind']} should come with a situation"
    assert {g["title"]: g["status"] for g in spec["goals"]} == goals
    statuses = {e["title"]: e["results"][0]["status"] for e in spec["examples"]}
    assert statuses == examples


def test_the_tutorial_shows_every_kind_of_finding():
    shown = {kind for _exit, kinds, _g, _e in CLAIMS.values() for kind in kinds}
    assert shown == {"contradiction", "collision", "gap", "dead-provision", "never-in-force", "idle-override",
                     "failed-goal", "failed-example", "underdetermined-example"}
    assert any("fails-as-expected" in goals.values() for _x, _k, goals, _e in CLAIMS.values())


def test_the_dead_provision_names_the_assumption_it_contradicts():
    _exit, spec = check(STEPS / "step5.lm")
    [dead] = spec["findings"]
    assert dead["subject"] == "10 kap. 27 § OSL"
    assert any("the interest of disclosure can prevail only over a secrecy interest" in d for d in dead["details"])


def test_the_underdetermined_example_names_the_facts_it_depends_on():
    _exit, spec = check(STEPS / "step8.lm")
    [result] = [e for e in spec["examples"] if e["title"] == "a 19-year-old at concrete risk of crime"][0]["results"]
    assert {"olämpligt", "begär_kontaktuppgifter"} <= set(result["depends_on"])
    assert {ev["verdicts"]["lämna_uppgift"] for ev in result["evidence"]} == {"permitted", "obligatory", "forbidden"}


def test_the_finished_spec_is_clean():
    exit_code, spec = check(FINAL)
    assert exit_code == 0
    assert spec["status"] == "clean"
    assert spec["findings"] == []
    assert {g["title"]: g["status"] for g in spec["goals"]} == {YOUNG: "holds", ANYONE: "fails-as-expected"}
    assert all(r["status"] == "passes" for e in spec["examples"] for r in e["results"])


def test_the_general_clause_changes_nothing_in_the_finished_spec():
    result = CliRunner().invoke(main, ["impact", str(FINAL), "10 kap. 27 § OSL", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["changes"] == []
