"""Explanations as records (issue 23, docs/cases.md): `explain --format json` carries what an
audit needs to reproduce it, as new keys beside the old ones, and `explain --replay RECORD`
asks the question again and says what changed."""

from __future__ import annotations

import json
import shutil

from legalmodel.cli import main

from helpers import REPO, make_runner

GIVEN = ["--given", "ålder=25", "--given", "konkret_risk", "--given", "not samtycke",
         "--given", "not står_klart_utan_men", "--given", "not begär_kontaktuppgifter",
         "--given", "not olämpligt", "--given", "not begånget_brott"]

# an amendment that raises the age limit of 10 kap. 18 a § to 30
AMENDMENT = '''amendment "Lag om ändring i offentlighets- och sekretesslagen (2009:400)" (SFS 2026:1, in force 2026-07-01, unverified) to OSL

  reword 10 kap. 18 a § "Unga under 30"
    permit lämna_uppgift when ålder < 30 and konkret_risk and not olämpligt and not begånget_brott
    overrides 26 kap. 1 §
'''


def _record(spec) -> dict:
    result = make_runner().invoke(main, ["explain", str(spec), *GIVEN, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_record_keys_are_added_and_old_keys_kept():
    document = _record(REPO / "specs/tutorial")
    assert list(document)[:6] == ["schema", "spec", "as_of", "given", "complete_situation", "actions"]
    assert document["schema"] == "legalmodel.explain/1"
    assert document["legalmodel_version"] == __import__("legalmodel").__version__
    assert len(document["spec_sha256"]) == 64
    assert [f["file"] for f in document["spec_files"]] == ["tutorial.lm"]
    (a,) = document["actions"]
    assert a["verdict"] == "forbidden" and a["decided_by"] == ["26 kap. 1 § OSL"]
    assert a["set_aside"] == []
    assert a["provisions"] == [{"provision": "26 kap. 1 § OSL", "role": "decides", "title": "Socialtjänstsekretess",
                                "act": "SFS 2024:88", "in_force": "2024-04-01", "certainty": "verified"}]
    assert a["smallest_change"]["changes"] == [{"fact": "ålder", "from": 25, "to": 20}]


def test_set_aside_provisions_and_their_acts_are_recorded():
    result = make_runner().invoke(main, ["explain", str(REPO / "specs/tutorial"), "--given", "ålder=19",
                                         "--given", "konkret_risk", "--given", "not olämpligt",
                                         "--given", "not begånget_brott", "--given", "not står_klart_utan_men",
                                         "--given", "not begär_kontaktuppgifter", "--format", "json"])
    (a,) = json.loads(result.stdout)["actions"]
    assert a["set_aside"] == ["26 kap. 1 § OSL"]
    assert [(p["provision"], p["role"], p["act"]) for p in a["provisions"]] == [
        ("10 kap. 18 a § OSL", "decides", "SFS 2025:179"), ("26 kap. 1 § OSL", "set aside", "SFS 2024:88")]


def test_replay_of_the_same_law_gives_the_same_answer(tmp_path):
    record = tmp_path / "record.json"
    record.write_text(json.dumps(_record(REPO / "specs/tutorial")), encoding="utf-8")
    result = make_runner().invoke(main, ["explain", "--replay", str(record)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("  the same answer\n")


def test_replay_on_an_amended_law_reports_the_change(tmp_path):
    law = tmp_path / "law"
    shutil.copytree(REPO / "specs/tutorial", law)
    record = tmp_path / "record.json"
    record.write_text(json.dumps(_record(law)), encoding="utf-8")
    (law / "sfs2026_1.lm").write_text(AMENDMENT, encoding="utf-8")
    result = make_runner().invoke(main, ["explain", "--replay", str(record)])
    assert result.exit_code == 1, result.stderr
    out = result.stdout
    assert "spec files changed since the record: sfs2026_1.lm" in out
    assert "`lämna_uppgift`: the verdict was forbidden, it is now permitted" in out
    assert "`lämna_uppgift`: decided by was 26 kap. 1 § OSL, is now 10 kap. 18 a § OSL" in out
    assert "`lämna_uppgift`: set aside was none, is now 26 kap. 1 § OSL" in out


def test_replay_of_a_bad_record_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.json"
    for text in ("not json", '{"schema": "legalmodel.check/1"}', '{"schema": "legalmodel.explain/1"}'):
        bad.write_text(text, encoding="utf-8")
        result = make_runner().invoke(main, ["explain", "--replay", str(bad)])
        assert result.exit_code == 2 and "Traceback" not in result.stderr and str(bad) in result.stderr
    result = make_runner().invoke(main, ["explain", "--replay", str(bad), "--given", "ålder=3"])
    assert result.exit_code == 2 and "--replay takes the facts" in result.stderr
    assert make_runner().invoke(main, ["explain"]).exit_code == 2


def test_replay_reports_a_new_wording_of_the_deciding_provision(tmp_path):
    """The same verdict from a provision with another wording and act is a change an audit
    must see."""
    law = tmp_path / "law"
    shutil.copytree(REPO / "specs/tutorial", law)
    record = tmp_path / "record.json"
    record.write_text(json.dumps(_record(law)), encoding="utf-8")
    spec = law / "tutorial.lm"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace('26 kap. 1 § OSL "Socialtjänstsekretess" (SFS 2024:88',
                                 '26 kap. 1 § OSL "Sekretess inom socialtjänsten" (SFS 2026:2'), encoding="utf-8")
    result = make_runner().invoke(main, ["explain", "--replay", str(record), str(law)])
    assert result.exit_code == 1, result.stderr
    assert "26 kap. 1 § OSL: wording was Socialtjänstsekretess, is now Sekretess inom socialtjänsten" in result.stdout
    assert "26 kap. 1 § OSL: act was SFS 2024:88, is now SFS 2026:2" in result.stdout
    assert "the verdict was" not in result.stdout
