"""The amendment tutorial (docs/tutorial-amendments.md) says what the tool finds; check it does."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from legalmodel.cli import main

LAW = str(Path(__file__).resolve().parent.parent / "docs" / "amendment-tutorial" / "law")
MOTION = str(Path(LAW) / "motion.lm")


def run(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_the_2016_law_is_consistent_and_the_motion_goal_fails_as_expected():
    result = run("check", LAW, "--as-of", "2016-10-05", "--format", "json")
    assert result.exit_code == 0
    spec = json.loads(result.stdout)["specs"][0]
    statuses = {g["title"]: g["status"] for g in spec["goals"]}
    assert statuses["the police can be warned about anyone at risk of terrorist crime"] == "fails-as-expected"
    assert statuses["the police can be told about a young person at risk"] == "holds"


def test_the_law_as_last_amended_meets_the_goal():
    result = run("check", LAW, "--format", "json")
    assert result.exit_code == 0
    spec = json.loads(result.stdout)["specs"][0]
    assert {g["status"] for g in spec["goals"]} == {"holds"}


def test_the_motion_widens_disclosure_exactly_where_18_a_did_not_reach_and_breaks_its_age_contract():
    result = run("diff", LAW, "--as-of", "2016-10-05", "--proposal", MOTION, "--format", "json")
    assert result.exit_code == 1  # a broken contract
    doc = json.loads(result.stdout)
    [group] = doc["changes"]
    assert (group["before"], group["after"]) == ("forbidden", "permitted")
    # one region: where 18 b applies, except where 18 a already did (under 21, a risk of
    # crime, and not olämpligt)
    [region] = group["regions"]
    plain = {c["fact"]: c for c in region["where"] if "fact" in c}
    assert plain["risk_terror"]["equals"] is True and plain["står_klart_utan_men"]["equals"] is False
    assert plain["mottagare"]["in"] == ["polisen"]
    [exception] = [c["except"] for c in region["where"] if "except" in c]
    assert {c["fact"]: c for c in exception} == {
        "ålder": {"fact": "ålder", "text": "ålder ≤ 20", "max": 20},
        "risk_brott": {"fact": "risk_brott", "text": "risk_brott", "equals": True},
        "olämpligt": {"fact": "olämpligt", "text": "¬olämpligt", "equals": False}}
    contracts = {c["contract"]: c["status"] for c in doc["contracts"]}
    assert contracts["contract only widens lämna_uppgift"] == "holds"
    assert contracts["contract unchanged where ålder < 21"] == "broken"
    broken = [c for c in doc["contracts"] if c["status"] == "broken"][0]
    assert broken["counterexample"]["witness"]["ålder"] < 21
    goals = {g["title"]: g["change"] for g in doc["goals"]}
    assert goals["the police can be warned about anyone at risk of terrorist crime"] == "met"


def test_the_general_clause_cannot_help_because_it_excepts_socialtjanstsekretess():
    result = run("explain", LAW, "--as-of", "2016-10-05", "--given", "ålder=25", "--given", "mottagare=polisen",
                 "--given", "risk_terror", "--given", "står_klart_utan_men=false", "--given", "uppenbart=true",
                 "--why-not", "permitted", "--format", "json")
    assert result.exit_code == 0
    [action] = json.loads(result.stdout)["actions"]
    assert action["settled"] and action["verdict"] == "forbidden"
    assert action["decided_by"] == ["26 kap. 1 § OSL"]
    reasons = {w["provision"]: w["reason"] for w in action["why_not"]}
    assert "`except`" in reasons["10 kap. 27 § OSL"]
    change = action["smallest_change"]
    assert len(change["changes"]) == 1 and change["verdict"] == "permitted"


def test_18_a_is_decisive_only_for_the_young():
    result = run("impact", LAW, "10 kap. 18 a §", "--format", "json")
    doc = json.loads(result.stdout)
    [group] = doc["changes"]
    assert (group["before"], group["after"]) == ("permitted", "forbidden")
    assert all(r["witness"]["ålder"] < 21 for r in group["regions"])


def test_check_applies_a_proposal_to_the_law_on_the_as_of_date_and_checks_its_contracts_there():
    # §2: "`diff` exits 1, and so would `check --proposal` in CI"
    result = run("check", LAW, "--as-of", "2016-10-05", "--proposal", MOTION, "--format", "json")
    assert result.exit_code == 1, result.output
    assert "already has it" not in result.output
    spec = json.loads(result.stdout)["specs"][0]
    broken = [f for f in spec["findings"] if f["kind"] == "broken-contract"]
    assert [f["message"] for f in broken] == [
        "Motion 2016/17:2346 (as a draft rule) breaks its contract `contract unchanged where ålder < 21`"]


GIVEN_25 = ["--given", "ålder=25", "--given", "mottagare=polisen", "--given", "risk_terror",
            "--given", "står_klart_utan_men=false"]


def test_the_smallest_change_of_a_partial_situation_gives_a_verdict_that_follows_from_the_changed_facts():
    result = run("explain", LAW, "--as-of", "2016-10-05", *GIVEN_25, "--given", "uppenbart=true", "--format", "json")
    [action] = json.loads(result.stdout)["actions"]
    change = action["smallest_change"]
    assert change["complete_situation"] is False
    # the changed situation is the given facts with the change, and nothing else
    assert set(change["situation"]) == {"ålder", "mottagare", "risk_terror", "står_klart_utan_men", "uppenbart"}
    again = run("explain", LAW, "--as-of", "2016-10-05", "--format", "json",
                *[x for f, v in change["situation"].items() for x in ("--given", f"{f}={str(v).lower()}")])
    [after] = json.loads(again.stdout)["actions"]
    assert after["settled"] and after["verdict"] == change["verdict"] != action["verdict"]


def test_explain_never_shows_a_value_for_a_fact_that_was_not_given():
    result = run("explain", LAW, "--as-of", "2016-10-05", *GIVEN_25, "--given", "uppenbart=true",
                 "--why-not", "permitted")
    assert result.exit_code == 0
    assert "risk_brott = " not in result.stdout and "olämpligt = " not in result.stdout
    assert "? risk_brott   (risk_brott not stated)" in result.stdout
    why_18_a = result.stdout.split("why not: 10 kap. 18 a § OSL: its condition does not hold\n")[1].split("  why not")[0]
    assert why_18_a == "      ✗ ålder < 21   (ålder = 25)\n"


def test_why_not_the_verdict_it_already_has_says_so():
    result = run("explain", LAW, "--as-of", "2016-10-05", *GIVEN_25, "--why-not", "forbidden")
    assert result.exit_code == 0
    assert "  why not: `lämna_uppgift` is already forbidden\n" in result.stdout
    assert "but  outranks" not in result.stdout
    doc = run("explain", LAW, "--as-of", "2016-10-05", *GIVEN_25, "--why-not", "forbidden", "--format", "json")
    [action] = json.loads(doc.stdout)["actions"]
    assert action["why_not"] == [{"provision": None, "reason": "`lämna_uppgift` is already forbidden", "failed": []}]


def test_as_example_on_an_unsettled_situation_prints_blocks_that_pass_when_pasted(tmp_path):
    import shutil

    law = tmp_path / "law"
    shutil.copytree(LAW, law)
    result = run("explain", str(law), "--as-of", "2016-10-05", "--given", "ålder=25", "--given", "mottagare=polisen",
                 "--given", "risk_terror", "--as-example")
    assert result.exit_code == 0
    assert "not settled" in result.stdout
    assert sum(line.startswith("example ") for line in result.stdout.splitlines()) == 2
    (law / "explained.lm").write_text(result.stdout, encoding="utf-8")
    checked = run("check", str(law), "--as-of", "2016-10-05", "--format", "json")
    assert checked.exit_code == 0, checked.output
    [spec] = json.loads(checked.stdout)["specs"]
    explained = [e for e in spec["examples"] if e["title"].startswith("explained: ")]
    assert len(explained) == 2
    assert all(r["status"] == "passes" for e in explained for r in e["results"])
