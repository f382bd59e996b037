"""SARIF 2.1.0 rendering of `check`, for code scanning (JUnit XML is in junit.py).

SARIF: one run, one rule per kind of finding, one result per finding with the provision's
file, line and column, the stable finding id as a partial fingerprint, and the evidence
situation in the message. Input errors become results of the rule `input-error`, with a
fingerprint of their own.

What GitHub code scanning shows and needs: each rule has a `shortDescription` (the alert's
title), a `fullDescription` and a `help` (the text under "Rule"); a finding accepted in a
baseline file is suppressed with `kind: "external"` (the acceptance is outside the analysed
file), one accepted by an `accept` line in the spec with `kind: "inSource"`. File URIs are
relative to the repository root, the nearest folder above the working directory that holds
`.git` (the working directory itself when none does), under `uriBaseId` `%SRCROOT%`, so the
alerts land on the right files however the workflow changed directory; a file outside that
root gets an absolute `file:` URI.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
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
    "same-day-amendments": ("SameDayAmendments", "several acts in force on one day change one paragraph"),
    "uncovered-provision": ("UncoveredProvision", "a provision decides in none of the spec's examples and cases"),
    "input-error": ("InputError", "the spec could not be read: a syntax or resolution error"),
}
# per rule: what it finds, at length (fullDescription), and what to do about it (help)
DETAILS = {
    "contradiction": ("Two provisions in force at once, one demanding the act and one forbidding it, both apply "
                      "in some situation, so whoever must act cannot comply with both.",
                      "Decide which provision prevails there: narrow one provision's condition, or name the other "
                      "in an `overrides` or `except` clause. Accept the finding with a justification if the "
                      "statute really is contradictory."),
    "collision": ("A permission and a prohibition of the same act both apply in some situation, and neither "
                  "names the other in an `overrides` or `except` clause, so the spec does not say which prevails.",
                  "Write the relation the statute has (lex specialis, an exception) as `overrides` or `except`, "
                  "or accept the finding with a justification."),
    "gap": ("In some situation no provision decides the act (neither permits, forbids nor demands it) and the "
            "action has no `default`.",
            "Add the missing provision, give the action a `default`, or state an assumption that rules the "
            "situation out."),
    "dead-provision": ("The provision's condition can never hold under the spec's assumptions, so it never applies.",
                       "Check the provision's condition and the assumptions it meets; the evidence names the "
                       "conditions that cannot hold together."),
    "never-in-force": ("Wherever the provision applies, another provision sets it aside, so it never decides "
                       "anything.",
                       "Narrow the overriding provision, or remove the override that hides this one."),
    "idle-override": ("An `overrides` or `except` clause changes no situation's verdict: the provisions it "
                      "relates never apply together with different outcomes.",
                      "Remove the clause, or check that the two provisions' conditions say what the statute says."),
    "failed-goal": ("A goal the spec states does not hold: the evidence is a situation where the law does not "
                    "do what the goal says.",
                    "Change the provisions so that the goal holds, or mark the goal `expected to fail` with the "
                    "reason."),
    "goal-holds-unexpectedly": ("A goal marked as expected to fail now holds.",
                                "Remove the `expected to fail` mark, since the goal is met."),
    "failed-example": ("An example's expected verdict differs from the verdict the spec gives in the example's "
                       "situation.",
                       "Correct the provisions or the example; `legalmodel explain` says which provision "
                       "decided."),
    "underdetermined-example": ("An example does not fix every fact its verdict depends on, so the spec gives "
                                "different verdicts in situations the example covers.",
                                "Add the facts the evidence names to the example's `given`."),
    "impossible-example": ("An example's facts contradict the spec's assumptions, so no situation fits it.",
                           "Correct the example's facts or the assumption it meets."),
    "impossible-assumptions": ("The spec's assumptions admit no situation at all, so every question is "
                               "vacuous.",
                               "Find the assumptions that contradict each other and correct them."),
    "broken-contract": ("An amendment changes an outcome that its contract says it leaves alone.",
                        "Correct the amendment, or its contract if the change is intended; `legalmodel diff` "
                        "shows every changed situation."),
    "unknown": ("The solver could not decide a question within the time limit, so the spec is not known to be "
                "consistent.",
                "Run again with a larger `--timeout`, or split the question's provisions."),
    "stale-acceptance": ("An acceptance (an `accept` line or a baseline entry) matches no finding any more.",
                         "Remove the acceptance, or update it to the finding's new id."),
    "same-day-amendments": ("Two or more amending acts in force on the same day reword, insert or repeal the "
                            "same paragraph, so every wording but the last is in force for no day at all; they are "
                            "applied in the order of their SFS numbers.",
                            "Check the order the statute book gives the acts, and their dates in force."),
    "uncovered-provision": ("With `--coverage`: the provision decides the verdict in none of the spec's examples "
                            "and the cases of the tables given, so no case shows that it says what the statute "
                            "says.",
                            "Add the suggested row to a case table (or an `example` to the spec) with the verdict "
                            "the statute gives there, or accept the finding in the baseline with a justification."),
    "input-error": ("The spec could not be read: a syntax error, or a name or citation that does not resolve.",
                    "Fix the input at the line and column shown; nothing in this spec was checked."),
}
LEVEL = {"error": "error", "warning": "warning", "note": "note", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}


def _quoted(path: str) -> str:
    """A path as a URI reference: `/` between folders, everything else that is not plain
    ASCII letters, digits or `-._~` percent-encoded as UTF-8 (`sp ace/å.lm` →
    `sp%20ace/%C3%A5.lm`)."""
    return quote(path.replace(os.sep, "/"), safe="/")


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (the working directory) holding `.git` (a folder,
    or a file in a worktree), or `start` itself when none does."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def _artifact(path: str, root: Path) -> dict:
    """A file's location: relative to the root under `%SRCROOT%`, or absolute outside it."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": _quoted(relative.as_posix()), "uriBaseId": "%SRCROOT%"}


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


def _location(span, root: Path) -> dict:
    region = {"startLine": max(1, span.line), "startColumn": max(1, span.column)}
    if span.end_line and span.end_line >= span.line:
        region["endLine"] = span.end_line
        if span.end_column:
            region["endColumn"] = max(1, span.end_column)
    return {"physicalLocation": {"artifactLocation": _artifact(span.path, root), "region": region}}


def _input_error_fingerprint(name: str, d) -> str:
    """What names an input error while it stays the same error: the spec, the file, the code
    and the message, not the line (an edit above it moves it)."""
    key = "|".join([name, d.span.path, d.code, d.message])
    return "INP-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def _suppression(report: CheckResult, f: Finding) -> dict:
    in_spec = any(fid == f.id for fid, _j, _w in report.spec.acceptances)
    return {"kind": "inSource" if in_spec else "external", "status": "accepted", "justification": f.accepted}


def sarif_document(reports: list[CheckResult], invalid: list[tuple[str, tuple]], root: Path | None = None) -> dict:
    """One SARIF log for every spec checked (and every input that could not be read); file
    URIs relative to `root` (default: the repository root above the working directory)."""
    root = root or repository_root()
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
        full, advice = DETAILS.get(k, (text, ""))
        rules.append({"id": k, "name": name, "shortDescription": {"text": text},
                      "fullDescription": {"text": full},
                      "help": {"text": advice, "markdown": advice},
                      "defaultConfiguration": {"level": levels[k]},
                      # what code scanning files and filters alerts by: every finding is a
                      # situation checked twice (solver and evaluator), hence precision very-high
                      "properties": {"tags": ["legalmodel", k], "precision": "very-high",
                                     "problem.severity": PROBLEM_SEVERITY[levels[k]]}})
    results = []
    for r in reports:
        for f in sorted_findings(r):
            fid = finding_id(r.spec.name, f)
            results.append({
                "ruleId": f.kind,
                "ruleIndex": rule_index[f.kind],
                "level": LEVEL.get(f.severity, "note"),
                "message": {"text": _message(f)},
                "locations": [_location(f.span, root)],
                "partialFingerprints": {"legalmodelFindingId/v1": fid},
                **({"suppressions": [_suppression(r, f)]} if f.accepted is not None else {}),
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
                "locations": [_location(d.span, root)],
                "partialFingerprints": {"legalmodelInputError/v1": _input_error_fingerprint(name, d)},
                "properties": {"spec": name, "code": d.code},
            })
    return {
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            # no informationUri: the project has no published address yet, and SARIF makes it optional
            "tool": {"driver": {"name": "legalmodel", "version": __version__, "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
