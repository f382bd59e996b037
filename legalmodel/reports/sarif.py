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
from ..i18n import N_, _
from ..results import CheckResult, Finding
from .check import finding_id, sorted_findings

RULES = {
    "contradiction": ("Contradiction", N_("a duty and a prohibition on the same act are both in force")),
    "collision": ("UnresolvedCollision", N_("a permission and a prohibition are both in force and neither names the other")),
    "gap": ("Gap", N_("no provision decides the act and it has no default")),
    "dead-provision": ("DeadProvision", N_("the provision's condition can never hold")),
    "never-in-force": ("NeverInForce", N_("the provision applies only where another provision sets it aside")),
    "idle-override": ("IdleOverride", N_("an override that changes no situation's verdict")),
    "failed-goal": ("FailedGoal", N_("a goal of the spec does not hold")),
    "goal-holds-unexpectedly": ("GoalHoldsUnexpectedly", N_("a goal marked as expected to fail holds")),
    "failed-example": ("FailedExample", N_("an example's expected verdict is not the spec's")),
    "underdetermined-example": ("UnderdeterminedExample", N_("an example does not fix the facts its verdict depends on")),
    "impossible-example": ("ImpossibleExample", N_("an example's facts contradict the assumptions")),
    "impossible-assumptions": ("ImpossibleAssumptions", N_("the assumptions admit no situation at all")),
    "broken-contract": ("BrokenContract", N_("an amendment changes what its contract says it does not")),
    "unknown": ("Unknown", N_("the solver could not decide a question within the time limit")),
    "stale-acceptance": ("StaleAcceptance", N_("an accepted finding that no longer occurs")),
    "same-day-amendments": ("SameDayAmendments", N_("several acts in force on one day change one paragraph")),
    "uncovered-provision": ("UncoveredProvision", N_("a provision decides in none of the spec's examples and cases")),
    "input-error": ("InputError", N_("the spec could not be read: a syntax or resolution error")),
}
# per rule: what it finds, at length (fullDescription), and what to do about it (help)
DETAILS = {
    "contradiction": (N_("Two provisions in force at once, one demanding the act and one "
                         "forbidding it, both apply in some situation, so whoever must act cannot"
                         " comply with both."),
                      N_("Decide which provision prevails there: narrow one provision's "
                         "condition, or name the other in an `overrides` or `except` clause. "
                         "Accept the finding with a justification if the statute really is "
                         "contradictory.")),
    "collision": (N_("A permission and a prohibition of the same act both apply in some "
                     "situation, and neither names the other in an `overrides` or `except` "
                     "clause, so the spec does not say which prevails."),
                  N_("Write the relation the statute has (lex specialis, an exception) as "
                     "`overrides` or `except`, or accept the finding with a justification.")),
    "gap": (N_("In some situation no provision decides the act (neither permits, forbids nor "
               "demands it) and the action has no `default`."),
            N_("Add the missing provision, give the action a `default`, or state an assumption "
               "that rules the situation out.")),
    "dead-provision": (N_("The provision's condition can never hold under the spec's assumptions,"
                          " so it never applies."),
                       N_("Check the provision's condition and the assumptions it meets; the "
                          "evidence names the conditions that cannot hold together.")),
    "never-in-force": (N_("Wherever the provision applies, another provision sets it aside, so it"
                          " never decides anything."),
                       N_("Narrow the overriding provision, or remove the override that hides "
                          "this one.")),
    "idle-override": (N_("An `overrides` or `except` clause changes no situation's verdict: the "
                         "provisions it relates never apply together with different outcomes."),
                      N_("Remove the clause, or check that the two provisions' conditions say "
                         "what the statute says.")),
    "failed-goal": (N_("A goal the spec states does not hold: the evidence is a situation where "
                       "the law does not do what the goal says."),
                    N_("Change the provisions so that the goal holds, or mark the goal `expected "
                       "to fail` with the reason.")),
    "goal-holds-unexpectedly": (N_("A goal marked as expected to fail now holds."),
                                N_("Remove the `expected to fail` mark, since the goal is met.")),
    "failed-example": (N_("An example's expected verdict differs from the verdict the spec gives "
                          "in the example's situation."),
                       N_("Correct the provisions or the example; `legalmodel explain` says which"
                          " provision decided.")),
    "underdetermined-example": (N_("An example does not fix every fact its verdict depends on, so"
                                   " the spec gives different verdicts in situations the example "
                                   "covers."),
                                N_("Add the facts the evidence names to the example's `given`.")),
    "impossible-example": (N_("An example's facts contradict the spec's assumptions, so no "
                              "situation fits it."),
                           N_("Correct the example's facts or the assumption it meets.")),
    "impossible-assumptions": (N_("The spec's assumptions admit no situation at all, so every "
                                  "question is vacuous."),
                               N_("Find the assumptions that contradict each other and correct "
                                  "them.")),
    "broken-contract": (N_("An amendment changes an outcome that its contract says it leaves "
                           "alone."),
                        N_("Correct the amendment, or its contract if the change is intended; "
                           "`legalmodel diff` shows every changed situation.")),
    "unknown": (N_("The solver could not decide a question within the time limit, so the spec is "
                   "not known to be consistent."),
                N_("Run again with a larger `--timeout`, or split the question's provisions.")),
    "stale-acceptance": (N_("An acceptance (an `accept` line or a baseline entry) matches no "
                            "finding any more."),
                         N_("Remove the acceptance, or update it to the finding's new id.")),
    "same-day-amendments": (N_("Two or more amending acts in force on the same day reword, insert"
                               " or repeal the same paragraph, so every wording but the last is "
                               "in force for no day at all; they are applied in the order of "
                               "their SFS numbers."),
                            N_("Check the order the statute book gives the acts, and their dates "
                               "in force.")),
    "uncovered-provision": (N_("With `--coverage`: the provision decides the verdict in none of "
                               "the spec's examples and the cases of the tables given, so no case"
                               " shows that it says what the statute says."),
                            N_("Add the suggested row to a case table (or an `example` to the "
                               "spec) with the verdict the statute gives there, or accept the "
                               "finding in the baseline with a justification.")),
    "input-error": (N_("The spec could not be read: a syntax error, or a name or citation that "
                       "does not resolve."),
                    N_("Fix the input at the line and column shown; nothing in this spec was "
                       "checked.")),
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


def finding_message(report: CheckResult, f: Finding, notation: str = "prose") -> str:
    """What a result's message says of a finding: what the text report says of it
    (reader.finding_paragraphs), in the current language, its situations in prose (as
    formulas with `notation="logic"`)."""
    from .reader import finding_paragraphs

    return "\n".join(finding_paragraphs(report, f, notation))


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


def sarif_document(reports: list[CheckResult], invalid: list[tuple[str, tuple]], root: Path | None = None,
                   notation: str = "prose", messages: dict | None = None) -> dict:
    """One SARIF log for every spec checked (and every input that could not be read); file
    URIs relative to `root` (default: the repository root above the working directory).
    The rules' texts are in the current language; each result's message is
    `messages[(spec name, finding id)]` where given (the command line says each spec's
    findings in that spec's language), else finding_message in the current language. Rule
    ids, names, fingerprints and properties are codes, the same in every language."""
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
        text, full, advice = _(text), _(full), _(advice) if advice else ""
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
                "message": {"text": messages[(r.spec.name, fid)] if messages is not None
                            else finding_message(r, f, notation)},
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
                "message": {"text": d.message + ("\n" + _("help: {help}").format(help=d.help) if d.help else "")},
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
