"""The real law (specs/osl): clean on every date a reform took effect, the motion's gap found
where the motion said it was, and each reform's goal met from its date on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from legalmodel.cli import main

from helpers import conditions_from_json, inside

DATES = ["2016-10-05", "2020-08-01", "2021-08-01", "2023-01-01", "2025-04-01", "2025-07-01", "2025-12-01"]
MOTION = "motion 2016/17:2346"

# goal title prefix → the date from which it must hold
REFORMS = {
    "SFS 2012:804": "2013-01-01",
    "SFS 2018:1194": "2019-04-01",
    "SFS 2020:620": "2021-01-01",
    "SFS 2020:575: Säkerhetspolisen": "2020-08-01",
    "SFS 2020:575: a suspected committed": "2020-08-01",
    "SFS 2021:646": "2021-08-01",
    "SFS 2022:916": "2023-01-01",
    "SFS 2025:179: concrete": "2025-04-01",
    "SFS 2025:179: a committed": "2025-04-01",
    "SFS 2025:179: Statens institutionsstyrelse": "2025-04-01",
    "lag 2025:170": "2025-04-01",  # 4 § and 6 §
    "SFS 2025:934": "2025-12-01",
    MOTION: "2020-08-01",
}


def check(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["check", "--format", "json", "specs/osl", *args])
    return result.exit_code, json.loads(result.stdout)["specs"][0]


@pytest.mark.parametrize("date", DATES)
def test_the_law_is_clean_on_every_date(date):
    exit_code, spec = check("--as-of", date)
    assert exit_code == 0, [f["message"] for f in spec["findings"]]
    assert [f for f in spec["findings"] if not f.get("accepted")] == []
    assert all(r["status"] == "passes" for e in spec["examples"] for r in e["results"])
    for goal in spec["goals"]:
        prefix = next((p for p in REFORMS if goal["title"].startswith(p)), None)
        if prefix is None:
            assert goal["status"] == "holds", goal["title"]
        else:
            wanted = "holds" if date >= REFORMS[prefix] else "fails-as-expected"
            assert goal["status"] == wanted, (goal["title"], date)


def test_the_motions_gap_is_a_person_aged_21_or_over_and_10_kap_27_cannot_help():
    _exit, spec = check("--as-of", "2016-10-05")
    [goal] = [g for g in spec["goals"] if g["title"].startswith(MOTION)]
    assert goal["status"] == "fails-as-expected"
    adults = [ev for ev in goal["evidence"] if ev["situation"]["ålder"] >= 21]
    assert adults, "no counterexample aged 21 or over"
    for ev in adults:
        assert ev["situation"]["misstanke_begånget_brott"] is False
        assert ev["verdicts"]["lämna_uppgift"] == "forbidden"
        assert "26 kap. 1 § OSL" in ev["in_force"]
    assert {"provision": "10 kap. 27 § OSL", "kept_in_force": "26 kap. 1 § OSL"} in goal["cannot_help"]


def test_the_motion_as_a_proposal_only_widens_and_reaches_adults():
    result = CliRunner().invoke(main, ["diff", "specs/osl", "--as-of", "2016-10-05", "--proposal",
                                       "specs/osl/motion.lm", "--format", "json"])
    assert result.exit_code == 0, result.stdout
    document = json.loads(result.stdout)
    changes = document["changes"]
    assert changes and all(c["before"] == "forbidden" and c["after"] == "permitted" for c in changes)
    assert all(c["action"] == "lämna_uppgift" and c["complete"] for c in changes)
    regions = [r for c in changes for r in c["regions"]]
    assert all(r["decided_after_by"] == ["10 kap. 18 b § OSL"] for r in regions), regions[0]["decided_after_by"]
    # some region holds adults: its witness, aged 30, is still inside it
    assert any(inside({**r["witness"], "ålder": 30}, conditions_from_json(r["where"])) for r in regions)
    assert all(contract["status"] == "holds" for contract in document["contracts"])


def test_check_with_the_motion_applies_it_to_the_law_of_2016_and_keeps_its_contracts():
    result = CliRunner().invoke(main, ["check", "--format", "json", "specs/osl", "--as-of", "2016-10-05",
                                       "--proposal", "specs/osl/motion.lm"])
    assert "already has it" not in result.output
    assert result.exit_code == 1, result.output  # findings of the motion's law, not bad input
    spec = json.loads(result.stdout)["specs"][0]
    kinds = {f["kind"] for f in spec["findings"]}
    assert "broken-contract" not in kinds and "unknown" not in kinds
    # the motion meets its goal, and scenario 10 (written for the 2016 law) now fails
    assert kinds == {"goal-holds-unexpectedly", "failed-example"}


def test_explain_on_the_motions_case_changes_only_given_facts_and_names_no_unstated_fact_as_a_reason():
    given = ["ålder=25", "mottagare=polismyndigheten", "uppgift=socialtjänst_personliga_förhållanden",
             "risk_terror", "riskunderlag=särskilda", "uppenbart_företräde", "står_klart_utan_men=false",
             "samtycke=false", "nödvändigt_egen_verksamhet=false", "misstanke_begånget_brott=false",
             "förestående_transportbrott=false", "omedelbart_polisingripande=false", "begäran_vistelseort=false",
             "begäran_verkställighet=false", "behövs_för_omprövning_eller_överprövning=false",
             "behövs_för_tillsyn=false", "behövs_för_förfarande_mot_personal=false",
             "uppgift_adress_telefon_arbetsplats_bild=false"]
    args = ["explain", "specs/osl", "--as-of", "2016-10-05", *[x for g in given for x in ("--given", g)],
            "--why-not", "permitted"]
    text = CliRunner().invoke(main, args).stdout
    assert "ålder from 25 to 20" not in text
    assert "kan_antas_bidra = " not in text
    [action] = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).stdout)["actions"]
    [why_18_a] = [w for w in action["why_not"] if w["provision"] == "10 kap. 18 a § OSL"]
    assert why_18_a["failed"] == [{"part": "ålder < 21", "facts": {"ålder": 25}}]
    change = action["smallest_change"]
    assert set(change["situation"]) == {g.split("=")[0] for g in given}
    changed = {**change["situation"]}
    again = CliRunner().invoke(main, ["explain", "specs/osl", "--as-of", "2016-10-05", "--format", "json",
                                      *[x for f, v in changed.items() for x in ("--given", f"{f}={str(v).lower()}")]])
    [after] = json.loads(again.stdout)["actions"]
    assert after["settled"] and after["verdict"] == change["verdict"] == "permitted"


@pytest.mark.slow
def test_the_whereabouts_duty_binds_the_socialnamnd_towards_the_authorities_sol_names():
    """15 kap. 7 § 1 p. SoL (2025:400): SoL 2025:400 adds a duty only towards Tullverket (the spec's
    reading of the old 12 kap. 10 § names the other six), never towards another authority."""
    result = CliRunner().invoke(main, ["diff", "specs/osl", "--amendment", "Socialtjänstlag (2025:400)", "--format", "json"])
    assert result.exit_code == 0, result.stdout
    regions = [r for c in json.loads(result.stdout)["changes"] for r in c["regions"]]
    assert regions and all(r["witness"]["utlämnare"] == "socialnämnd" for r in regions)
    # the new duties of 15 kap. 4, 5 and 7 § 2 p. aside, only Tullverket's whereabouts requests change
    whereabouts = [r for r in regions if not (r["witness"]["begäran_utbetalt_ekonomiskt_bistånd"]
                                              or r["witness"]["behövs_ärende_skyddad_folkbokföring"]
                                              or r["witness"]["underrättelse_ungdomsvård_ungdomstjänst"])]
    assert whereabouts and all(r["witness"]["mottagare"] == "tullverket" for r in whereabouts)


def test_an_act_that_only_rewords_a_rule_keeps_its_contract_without_a_solver_question():
    """Most amending acts in the OSL register give a paragraph a new wording with the same rule;
    their `contract unchanged where true` is read off the provisions (diff.changing_actions),
    so `check` asks the solver nothing for them. An act that changes a rule is still asked."""
    from legalmodel.analyses.contracts import typed_contracts as _contracts
    from legalmodel.analyses.diff import Differ
    from legalmodel.law.history import around, same_rules
    from legalmodel.pipeline import discover, history_of
    from legalmodel.law.resolve import resolve
    from legalmodel.syntax.tree import RewordOp

    history = history_of(discover(["specs/osl"])[0])
    asked = {}
    for amendment in history.amendments:
        if not amendment.contracts:
            continue
        before, after = around(history, amendment)
        old, new = (resolve(history.name, files, amendment.date) for files in (before, after))
        differ = Differ(old, new, 10_000)
        assert all(differ.contract(*c).holds for c in _contracts(amendment, new)), amendment.name
        asked[amendment.name] = differ.questions
        if all(isinstance(op, RewordOp) for op in amendment.operations) and not differ.changing:
            assert differ.questions == 0, amendment.name
        if same_rules(before, after):  # then not even resolved by check
            assert not differ.changing, amendment.name
    assert asked["SFS 2017:377"] == 0  # 26 kap. 1 §, the same rule in a new wording
    assert same_rules(*around(history, history.amendments[[a.name for a in history.amendments].index("SFS 2017:377")]))
    assert asked["SFS 2020:575"] > 0  # 10 kap. 18 b § is new


def test_the_2016_wording_of_sol_12_kap_10_is_sfs_2015_982s():
    """The register lists SFS 2015:982 (in force 2016-01-01) as the last act to change 12 kap. 10 §
    SoL (2001:453) before the motion was filed; SFS 2014:761 came before it."""
    text = CliRunner().invoke(main, ["history", "specs/osl", "12 kap. 10 § SoL"]).stdout
    first = text.splitlines()[1].split()
    assert first[0] == "2016-01-01", text
    duties = (Path(__file__).resolve().parent.parent / "specs" / "osl" / "duties.lm").read_text(encoding="utf-8")
    assert "(SFS 2015:982, in force 2016-01-01" in duties


def test_consent_to_disclose_sammanhallen_dokumentation_is_decided_by_consent_alone():
    """10 kap. 15 a § tredje stycket: "Första stycket gäller inte i fråga om sekretess enligt …
    26 kap. 1 a § första stycket …". Where consent lifts that secrecy, 15 a § is not among the
    provisions that decide, even where its own purpose and balance are met."""
    given = ["uppgift=sammanhållen_dokumentation", "samtycke", "mottagare=polismyndigheten",
             "begäran_vistelseort=false", "begäran_verkställighet=false", "begäran_kontaktuppgifter=false",
             "begäran_utbetalt_ekonomiskt_bistånd=false", "behövs_mot_brottslighet", "övervägande_skäl_sekretess=false"]
    result = CliRunner().invoke(main, ["explain", "specs/osl", "--as-of", "2025-12-01", "--format", "json",
                                       *[x for g in given for x in ("--given", g)]])
    [action] = json.loads(result.stdout)["actions"]
    assert action["settled"] and action["verdict"] == "permitted"
    assert action["decided_by"] == ["12 kap. 2 § OSL"]
    assert "10 kap. 15 a § OSL" not in action["may_be_decided_by"]


def test_the_coverage_matrix_in_docs_law_md_points_at_provisions():
    """docs/law.md's coverage matrix gives, for each rule the spec models, `file.lm:line`: each
    must be the line where a provision, an insert, a reword or an `outside scope` starts."""
    import re

    root = Path(__file__).resolve().parent.parent
    doc = (root / "docs" / "law.md").read_text(encoding="utf-8")
    matrix = doc[doc.index("## Coverage matrix"):doc.index("## The reforms, date by date")]
    refs = re.findall(r"`([a-z0-9_]+\.lm):(\d+)(?:–\d+)?`", matrix)
    assert len(refs) > 40
    for name, line in refs:
        text = (root / "specs" / "osl" / name).read_text(encoding="utf-8").split("\n")[int(line) - 1]
        assert re.match(r"\s*(provision|insert|reword|repeal|outside scope) ", text), (name, line, text)
