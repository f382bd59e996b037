"""Golden files: the whole output of `legalmodel check` for small specs, reviewed by `git diff`.

Each folder tests/golden/<name>/ holds `spec.lm` (with a comment saying what it must find and
why), `expected.txt` (the text report on stdout, in prose), `expected.sv.txt` (the same in
Swedish, `--lang sv`), `expected.logic.txt` (`--notation logic`) and `expected.json`
(`--format json`). The
command runs inside the folder on `spec.lm`, so every path in the output is `spec.lm`; any
absolute path of the folder that slips in is replaced by `<golden>`.

To accept new output after a deliberate change, run

    LEGALMODEL_UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py

and review the diff. The evidence situations are chosen by Z3; they are deterministic for one
Z3 version (fixed seed), and a new Z3 may choose others: then review and update.
`test_golden_evidence_is_true` re-evaluates every situation in expected.json with the plain
evaluator, so an update can never accept evidence that is wrong.
"""

from __future__ import annotations

import json
import re
import os

import pytest

from legalmodel.cli import main
from legalmodel.semantics.evaluate import assumptions_hold, evaluate

from helpers import TESTS, conditions_from_json, inside, load, make_runner

GOLDEN = TESTS / "golden"
UPDATE = os.environ.get("LEGALMODEL_UPDATE_GOLDEN") == "1"
CASES = sorted(d for d in GOLDEN.iterdir() if (d / "spec.lm").is_file())
EXIT = {"clean": 0, "findings": 1, "invalid": 2, "unknown": 3}
# folders whose findings show no situation: nothing is possible, or nothing was decided
WITHOUT_EVIDENCE = {"impossible_assumptions", "unknown"}


def options_of(case) -> list[str]:
    """The folder's own options (`options.txt`: `--coverage`, `--timeout 0.001`), given to
    every variant."""
    path = case / "options.txt"
    return path.read_text(encoding="utf-8").split() if path.exists() else []


def check_output(case, monkeypatch, *options) -> tuple[int, str, str]:
    monkeypatch.chdir(case)
    monkeypatch.setenv("NO_COLOR", "1")
    result = make_runner().invoke(main, ["check", "spec.lm", *options_of(case), *options])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command line crashed: {result.exception!r}") from result.exception
    normalise = lambda text: text.replace(str(case.resolve()), "<golden>").replace(str(case), "<golden>")  # noqa: E731
    return result.exit_code, normalise(result.stdout), normalise(result.stderr)


def compare(path, actual: str) -> None:
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist and was written; review it and run again")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"the output differs from {path} (LEGALMODEL_UPDATE_GOLDEN=1 rewrites it)"


TEXTS = {"expected.txt": (), "expected.sv.txt": ("--lang", "sv"), "expected.logic.txt": ("--notation", "logic")}
STATUS_WORDS = {"consistent": 0, "findings": 1, "unknown": 3, "konsekvent": 0, "fynd": 1, "okänt": 3}


@pytest.mark.parametrize("variant", TEXTS)
@pytest.mark.parametrize("case", CASES, ids=lambda d: d.name)
def test_golden_text(case, variant, monkeypatch):
    """The text a reader gets, in English and Swedish (the verdict on the first line), and the
    formulas of `--notation logic` (the summary on the last)."""
    code, out, err = check_output(case, monkeypatch, *TEXTS[variant])
    assert err == ""
    compare(case / variant, out)
    lines = out.rstrip("\n").splitlines()
    summary = lines[-1] if variant == "expected.logic.txt" else lines[0]  # `spec.lm: findings: 4 errors, …`
    status = summary.split(": ")[1]
    assert code == STATUS_WORDS[status], summary


@pytest.mark.parametrize("case", CASES, ids=lambda d: d.name)
def test_golden_json(case, monkeypatch):
    code, out, err = check_output(case, monkeypatch, "--format", "json")
    assert err == ""
    document = json.loads(out)
    if UPDATE:
        compare(case / "expected.json", out)
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert document == expected, "the JSON differs from expected.json (LEGALMODEL_UPDATE_GOLDEN=1 rewrites it)"
    assert out == (case / "expected.json").read_text(encoding="utf-8"), "same content, but not the same bytes"
    assert code == EXIT[expected["status"]]


@pytest.mark.parametrize("case", CASES, ids=lambda d: d.name)
def test_golden_evidence_is_true(case):
    """Every situation in expected.json is a situation of the spec, meets its stated facts that
    matter, and has the verdicts and provisions in force the file says (by the evaluator)."""
    spec = load((case / "spec.lm").read_text(encoding="utf-8"))
    document = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    evidence = []
    for s in document["specs"]:
        for f in s["findings"]:
            assert set(f["provisions"]) <= set(spec.provisions), f
            evidence.extend(f["evidence"])
        for g in s["goals"]:
            evidence.extend(g["evidence"])
        for e in s["examples"]:
            for r in e["results"]:
                evidence.extend(r.get("evidence", ()))
    assert evidence or case.name in WITHOUT_EVIDENCE
    for ev in evidence:
        situation = ev["situation"]
        assert assumptions_hold(spec, situation), situation
        assert inside(situation, conditions_from_json(ev["facts_that_matter"])), ev
        evaluation = evaluate(spec, situation)
        assert {a: evaluation.verdicts[a] for a in ev["verdicts"]} == ev["verdicts"], situation
        assert set(ev["in_force"]) == evaluation.in_force, situation
        assert set(ev["triggered"]) == evaluation.triggered, situation


def _kinds_the_code_reports() -> set[str]:
    """Every finding kind the code can report: the literal kinds of `Finding(…)` in the
    package, the kinds a variable names there (pairs: contradiction, collision; coverage:
    UNCOVERED), and the SARIF rules, which name every kind a report can carry."""
    import ast

    from legalmodel.cases.run import UNCOVERED
    from legalmodel.reports.sarif import RULES

    found = set()
    for path in (TESTS.parent / "legalmodel").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)
    assert found, "no Finding(…) was found: the scan is broken"
    unknown_to_sarif = found - set(RULES)
    assert unknown_to_sarif == set(), f"kinds without a SARIF rule: {unknown_to_sarif}"
    # input-error is SARIF's name for a spec that could not be read, not a finding
    return (found | {"contradiction", "collision", UNCOVERED} | set(RULES)) - {"input-error"}


@pytest.mark.parametrize("variant", ["expected.txt", "expected.sv.txt"])
def test_every_kind_of_finding_has_its_prose_in_a_golden_file(variant):
    """A new kind of finding fails here until a golden folder shows its prose in English and
    in Swedish (a kind said only in the analyses' English would show up in expected.sv.txt)."""
    shown = set()
    for case in CASES:
        path = case / variant
        if path.exists():
            shown |= set(re.findall(r"^\S+ \[([a-z-]+) [A-Z]{3}-", path.read_text(encoding="utf-8"), re.M))
    assert _kinds_the_code_reports() - shown == set()
