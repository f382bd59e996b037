"""The JSON Schemas in schemas/ describe what `check`, `diff`, `impact` and `explain` print
with `--format json` (docs/json.md): real outputs of several specs, of specs that cannot be
read, of diffs with contracts and of explanations, full and partial, validate; and each schema
rejects a document that breaks it, so the validation is not vacuous.
"""

from __future__ import annotations

import copy
import functools
import json

import jsonschema
import pytest

from helpers import REPO
from test_formats import SPECS, check_repo, invoke

SCHEMAS = REPO / "schemas"


@functools.lru_cache(maxsize=None)
def validator(name: str):
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(name: str, document: dict) -> None:
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, f"the output does not validate against {name}:\n" + "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors[:10])


def assert_invalid(name: str, document: dict) -> None:
    assert list(validator(name).iter_errors(document)), f"{name} accepts a broken document"


def json_run(args, cwd=REPO, codes=(0, 1, 3)) -> dict:
    run = invoke([*args, "--format", "json"], cwd=cwd)
    assert run.exit_code in codes, (args, run.exit_code, run.stderr)
    return json.loads(run.stdout)


# ---- check -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", SPECS)
def test_check_json_of_every_corpus_spec_validates(path):
    assert_valid("check-1.json", json.loads(check_repo(path, "json").stdout))


def test_check_json_of_several_specs_and_invalid_ones_validates(tmp_path):
    (tmp_path / "bad.lm").write_text('law OSL "o"\nfact x: bool "x"\nfact x: bool "again"\n', encoding="utf-8")
    (tmp_path / "syntax.lm").write_text('law OSL "o"\nprovison 1 kap. 1 § "p"\n', encoding="utf-8")
    (tmp_path / "good.lm").write_text((REPO / "docs/tutorial/step8.lm").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    document = json_run(["check", "bad.lm", "syntax.lm", "good.lm"], cwd=tmp_path, codes=(2,))
    assert [s["status"] for s in document["specs"]] == ["invalid", "invalid", "findings"]
    assert any("expected" in d for d in document["specs"][1]["diagnostics"])
    assert_valid("check-1.json", document)


def test_check_json_with_accepted_and_stale_findings_validates(tmp_path):
    spec = 'law OSL "o"\nfact x: bool "x"\naction a "a"\nprovision 1 kap. 1 § "p" permit a when x\n'
    (tmp_path / "s.lm").write_text(spec, encoding="utf-8")
    (finding,) = json_run(["check", "s.lm"], cwd=tmp_path)["specs"][0]["findings"]
    (tmp_path / "s.lm").write_text(spec + f'accept {finding["id"]} "left open"\naccept GAP-00000000 "gone"\n',
                                   encoding="utf-8")
    document = json_run(["check", "s.lm"], cwd=tmp_path)
    kinds = {(f["kind"], f["accepted"] is not None) for f in document["specs"][0]["findings"]}
    assert kinds == {("gap", True), ("stale-acceptance", False)}
    assert_valid("check-1.json", document)


def test_the_check_schema_rejects_what_the_format_does_not_allow():
    good = json.loads(check_repo("docs/tutorial/step6.lm", "json").stdout)
    assert_valid("check-1.json", good)
    for breaking in (lambda d: d.update(schema="legalmodel.check/2"),
                     lambda d: d["specs"][0]["findings"][0].update(kind="surprise"),
                     lambda d: d["specs"][0]["findings"][0].pop("evidence"),
                     lambda d: d["specs"][0]["findings"][0].update(extra=1),
                     lambda d: d["specs"][0]["goals"][0].update(status="maybe")):
        broken = copy.deepcopy(good)
        breaking(broken)
        assert_invalid("check-1.json", broken)


# ---- diff and impact -------------------------------------------------------------------------------

DIFFS = [
    ["diff", "docs/tutorial/step5.lm", "docs/tutorial/step6.lm"],
    ["diff", "docs/tutorial/step7.lm", "docs/tutorial/step8.lm"],
    ["diff", "docs/amendment-tutorial/law", "--from", "2016-10-05", "--to", "2020-08-01"],
    ["impact", "specs/tutorial", "10 kap. 27 § OSL"],
]


@pytest.mark.parametrize("args", DIFFS, ids=lambda a: " ".join(a[:2]))
def test_diff_json_validates(args):
    assert_valid("diff-1.json", json_run(args))


def test_diff_json_with_contracts_validates():
    """The amendment tutorial's law has contracts, so `contracts` is not empty here."""
    document = json_run(["diff", "docs/amendment-tutorial/law", "--amendment", "2020:575"])
    assert document["changes"]
    assert_valid("diff-1.json", document)
    broken = copy.deepcopy(document)
    broken["changes"][0]["regions"][0]["before"] = "perhaps"
    assert_invalid("diff-1.json", broken)


# ---- explain ---------------------------------------------------------------------------------------

EXPLAINS = [
    ["explain", "specs/tutorial", "--given", "ålder=25"],
    ["explain", "specs/tutorial", "--given", "ålder=25", "--given", "samtycke", "--why-not", "forbidden"],
    ["explain", "specs/tutorial", "--given", "ålder=25", "--given", "konkret_risk", "--given", "not begånget_brott",
     "--given", "uppenbart", "--given", "not samtycke", "--given", "not begär_kontaktuppgifter",
     "--given", "not står_klart_utan_men", "--given", "not olämpligt", "--given", "not synnerliga_skäl",
     "--why-not", "permitted"],
    ["explain", "docs/amendment-tutorial/law", "--as-of", "2016-10-05", "--given", "ålder=25"],
    ["explain", "specs/tutorial"],
]


@pytest.mark.parametrize("args", EXPLAINS, ids=lambda a: " ".join(a[1:4]))
def test_explain_json_validates(args):
    document = json_run(args)
    assert_valid("explain-1.json", document)
    broken = copy.deepcopy(document)
    broken["actions"][0]["settled"] = "yes"
    assert_invalid("explain-1.json", broken)
