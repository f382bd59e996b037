"""SARIF 2.1.0 rendering of `check`, for code scanning (JUnit XML is in report_junit.py).

SARIF: one run, one rule per kind of finding, one result per finding with the provision's
file, line and column, the stable finding id as a partial fingerprint, and the evidence
situation in the message. Input errors become results of the rule `input-error`.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from .. import __version__
from ..results import CheckResult, Finding
from .check import finding_id, sorted_findings

RULES = {
    "contradiction": ("Contradiction", "a duty and a prohibition on the same act are both in force"),
    "collision": ("UnresolvedCollision", "a permission and a prohibition are both in force and neither names the other"),
    "gap": ("Gap", "no provision decides the act and it has no default"),
    "dead-provision": ("DeadProvision", "the provision's condition can never hold"),
    "never-in-force": ("NeverInForce", "the provision applies only where another provision sets it aside"),
    "idle-override": ("IdleOverride", "an override that changes no situation's verdict"),
    "failed-goal": ("FailedGoal", "a goal of the spec does not hold"),
    "goal-holds-unexpectedly": ("GoalHoldsUnexpectedly", "a goal marked as expected to fail holds"),
    "failed-example": ("FailedExample", "an example's expected verdict is not the spec's"),
    "underdetermined-example": ("UnderdeterminedExample", "an example does not fix the facts its verdict depends on"),
    "impossible-example": ("ImpossibleExample", "an example's facts contradict the assumptions"),
    "impossible-assumptions": ("ImpossibleAssumptions", "the assumptions admit no situation at all"),
    "broken-contract": ("BrokenContract", "an amendment changes what its contract says it does not"),
    "unknown": ("Unknown", "the solver could not decide a question within the time limit"),
    "stale-acceptance": ("StaleAcceptance", "an accepted finding that no longer occurs"),
    "input-error": ("InputError", "the spec could not be read: a syntax or resolution error"),
}
LEVEL = {"error": "error", "warning": "warning", "note": "note", "info": "note"}


def _uri(path: str) -> str:
    """A file's path as a URI reference: `/` between folders, everything else that is not
    plain ASCII letters, digits or `-._~` percent-encoded as UTF-8 (`sp ace/å.lm` →
    `sp%20ace/%C3%A5.lm`)."""
    return quote(path.replace(os.sep, "/"), safe="/")


def _message(f: Finding) -> str:
    parts = [f.message]
    parts.extend(f.details)
    for i, ev in enumerate(f.evidence, 1):
        facts = ", ".join(f"{k} = {str(v).lower() if isinstance(v, bool) else v}"
                          for k, v in ev.situation.items() if any(c.fact == k for c in ev.conditions))
        label = ev.label or (f"situation {i}" if len(f.evidence) > 1 else "situation")
        verdicts = ", ".join(f"{a}: {v}" for a, v in ev.verdicts.items() if f.action in (None, a))
        parts.append(f"{label}: where {ev.cube_text()}" + (f" (e.g. {facts})" if facts else "")
                     + (f"; {verdicts}" if verdicts else ""))
    return "\n".join(parts)


def _location(span) -> dict:
    region = {"startLine": max(1, span.line), "startColumn": max(1, span.column)}
    if span.end_line and span.end_line >= span.line:
        region["endLine"] = span.end_line
        if span.end_column:
            region["endColumn"] = max(1, span.end_column)
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(span.path)}, "region": region}}


def sarif_document(reports: list[CheckResult], invalid: list[tuple[str, tuple]]) -> dict:
    """One SARIF log for every spec checked (and every input that could not be read)."""
    kinds = sorted({f.kind for r in reports for f in r.findings} | ({"input-error"} if invalid else set()))
    rule_index = {k: i for i, k in enumerate(kinds)}
    # a rule's level is the severity of its findings (every finding of a kind has the same one)
    levels = {"input-error": "error"}
    for r in reports:
        for f in r.findings:
            levels.setdefault(f.kind, LEVEL.get(f.severity, "note"))
    rules = []
    for k in kinds:
        name, text = RULES.get(k, (k, k))
        rules.append({"id": k, "name": name, "shortDescription": {"text": text},
                      "defaultConfiguration": {"level": levels[k]}})
    results = []
    for r in reports:
        for f in sorted_findings(r):
            fid = finding_id(r.spec.name, f)
            results.append({
                "ruleId": f.kind,
                "ruleIndex": rule_index[f.kind],
                "level": LEVEL.get(f.severity, "note"),
                "message": {"text": _message(f)},
                "locations": [_location(f.span)],
                "partialFingerprints": {"legalmodelFindingId/v1": fid},
                **({"suppressions": [{"kind": "inSource", "status": "accepted",
                                      "justification": f.accepted}]} if f.accepted is not None else {}),
                "properties": {"findingId": fid, "spec": r.spec.name, "subject": f.subject,
                               "provisions": list(f.provisions)},
            })
    for name, diagnostics in invalid:
        for d in diagnostics:
            results.append({
                "ruleId": "input-error",
                "ruleIndex": rule_index["input-error"],
                "level": "error",
                "message": {"text": d.message + (f"\nhelp: {d.help}" if d.help else "")},
                "locations": [_location(d.span)],
                "properties": {"spec": name, "code": d.code},
            })
    return {
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "legalmodel", "version": __version__,
                                "informationUri": "https://github.com/legalmodel/legalmodel",
                                "rules": rules}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
