"""Reports: findings and diagnostics rendered for people (text) and for programs (JSON).

Rendering only: nothing here asks the solver or changes a result. The JSON layout is the
documented schema `legalmodel.check/1` (docs/json.md); keys are written in a fixed order so
the same input gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
import re

from ..i18n import _, ngettext, said
from ..law import model as m
from ..results import CheckResult, Evidence, Finding, InvalidSpec, cannot_help_text
from ..syntax.diagnostics import Diagnostic
from ..syntax.surface import item_starts
from ..syntax.tree import ITEM_KEYWORDS

SCHEMA = "legalmodel.check/1"
MAX_SHOWN = 100
SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2, "info": 3}


# ---- diagnostics ------------------------------------------------------------------------------

def _expected_text(expected: tuple[str, ...]) -> str:
    starts = item_starts()
    # the parser's English descriptions (`a name`), said in the reader's language; keywords as they are
    items = [_(e) for e in expected if e.strip("`") not in ITEM_KEYWORDS and e.strip("`") not in starts]
    starts_item = len(items) != len(expected)
    if starts_item:
        swedish = any(starts.get(e.strip("`")) == "sv" for e in expected)
        items.append(_("the start of the next item (`bestämmelse`, `faktum`, `mål`, …)") if swedish
                     else _("the start of the next item (`provision`, `fact`, `goal`, …)"))
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " " + _("or") + " " + items[-1]


def printable(text: str) -> str:
    """Control characters (NUL, escape, …) shown as `�`, one column each, never sent raw to a terminal."""
    return "".join(ch if ch == "\t" or ch.isprintable() or ch == " " else "\ufffd" for ch in text)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render_diagnostic(d: Diagnostic) -> str:
    """`file:line:col: error[code]: message`, the line with a caret, what was expected, help."""
    span = d.span
    lines = [f"{span.location()}: {d.severity.value}[{d.code}]: {printable(said(d.message))}"]
    source_line = span.source.line_text(span.line) if span.source else ""
    if source_line:
        number = str(span.line)
        pad = " " * len(number)
        width = 1
        if span.end > span.start:
            width = max(1, min(span.end - span.start, len(source_line) - span.column + 1))
        shown = source_line
        column = span.column
        if len(shown) > MAX_SHOWN:  # a window around the column, cut before anything else is done to it
            start = max(0, column - 1 - MAX_SHOWN // 2)
            end = min(len(shown), start + MAX_SHOWN)
            prefix = "…" if start > 0 else ""
            shown = prefix + shown[start:end] + ("…" if end < len(source_line) else "")
            column = column - start + len(prefix)
            width = min(width, MAX_SHOWN // 2)
        shown = printable(shown).replace("\t", " ")  # one character for one: the column holds
        lines.append(f"{pad} |")
        lines.append(f"{number} | {shown}")
        lines.append(f"{pad} | {' ' * (column - 1)}{'^' * width}")
    if d.expected:
        lines.append("  = " + _("expected {what}").format(what=_expected_text(d.expected)))
    for note, note_span in d.notes:
        lines.append("  = " + _("note: {note} ({where})").format(note=said(note), where=note_span.location()))
    if d.help:
        lines.append("  = " + _("help: {help}").format(help=said(d.help)))
    return "\n".join(lines)


def diagnostics_language(diagnostics) -> str:
    """The language to say diagnostics in: their files' declared one (`språk sv`), unless
    --lang says otherwise, so that `expected …` and `help:` match the message."""
    from .. import i18n
    from ..syntax.diagnostics import SpecErrors
    from ..syntax.surface import read_declaration

    # each file once: a file of hundreds of errors is read for its declaration one time
    sources = {id(d.span.source): d.span.source for d in diagnostics if d.span.source is not None}
    languages = set()
    for source in sources.values():
        try:
            declaration = read_declaration(source)
        except SpecErrors:
            continue
        if declaration.declared:
            languages.add(declaration.language)
    return i18n.for_declared(languages.pop() if len(languages) == 1 else None)


MAX_DIAGNOSTICS_PER_FILE = 50


def render_diagnostics(diagnostics, limit: int = MAX_DIAGNOSTICS_PER_FILE) -> list[str]:
    """Each diagnostic rendered, at most `limit` per file, then one line per file saying how
    many more there are: a file with thousands of errors printed 18,000 lines, and the first
    ones are what a drafter fixes first (the JSON report keeps them all)."""
    out, shown, hidden = [], {}, {}
    for d in diagnostics:
        path = d.span.path
        if shown.get(path, 0) < limit:
            shown[path] = shown.get(path, 0) + 1
            out.append(render_diagnostic(d))
        else:
            hidden[path] = hidden.get(path, 0) + 1
    for path, n in hidden.items():
        out.append(ngettext("{path}: {n} more problem not shown (the first {limit} are above)",
                            "{path}: {n} more problems not shown (the first {limit} are above)", n).format(
            path=printable(path), n=n, limit=limit))
    return out


def diagnostic_json(d: Diagnostic) -> dict:
    span = d.span
    out = {
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
        "file": span.path,
        "line": span.line,
        "column": span.column,
        "text": span.text() if span.end > span.start else "",
    }
    if d.expected:
        out["expected"] = list(d.expected)
    if d.help:
        out["help"] = d.help
    return out


# ---- findings: stable identity --------------------------------------------------------------

def finding_id(spec_name: str, f: Finding) -> str:
    """The finding's stable id (see `Finding.id`)."""
    return f.id


def sorted_findings(report: CheckResult) -> list[Finding]:
    def key(f: Finding):
        span = f.span
        return (span.path, span.line, span.column, SEVERITY_ORDER.get(f.severity, 9), f.kind, f.provisions)

    return sorted(report.findings, key=key)


GOAL_KINDS = ("failed-goal", "goal-holds-unexpectedly", "unknown")


def about_goal(f: Finding, goal: m.Goal) -> bool:
    """Whether the finding says the goal fails, holds unexpectedly or was not decided."""
    return f.kind in GOAL_KINDS and f.subject == goal.title and f.span.location() == goal.span.location()


def goal_accepted(report: CheckResult, goal: m.Goal) -> bool:
    """Whether the goal's findings are there and all accepted by the drafters."""
    found = [f for f in report.findings if about_goal(f, goal)]
    return bool(found) and all(f.accepted is not None for f in found)


def counts(report: CheckResult) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "note": 0, "accepted": 0}
    for f in report.findings:
        if f.accepted is not None:
            out["accepted"] += 1
        elif f.severity in out:
            out[f.severity] += 1
    return out


def status(report: CheckResult) -> str:
    kinds = {f.kind for f in report.findings if f.severity in ("error", "warning") and f.accepted is None}
    if kinds - {"unknown"}:
        return "findings"
    if "unknown" in kinds:
        return "unknown"
    return "clean"


# ---- text -------------------------------------------------------------------------------------

def _value_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _condition_note(c) -> str:
    if c.kind == "range":
        if c.low is not None and c.high is not None and c.low != c.high:
            return f"any value {c.low}–{c.high}"
        if c.low is not None and c.high is None:
            return f"any value ≥ {c.low}"
        if c.high is not None and c.low is None:
            return f"any value ≤ {c.high}"
    if c.kind == "set" and c.excluded is not None:
        return "any but " + ", ".join(c.excluded)
    if c.kind == "set" and len(c.members) > 1:
        return "any of " + ", ".join(c.members)
    return ""


def _acts_on(spec: m.CheckedSpec, pid: str, action: str) -> bool:
    """Whether a provision in force in a situation rules on `action`. A broken contract's
    situation is the law's just after its act, which may name a provision a later act
    repealed: such a one is named, since it was in force there (its act is the contract's)."""
    provision = spec.provisions.get(pid)
    return provision is None or provision.action == action


def render_evidence(ev: Evidence, spec: m.CheckedSpec, action: str | None, indent: str = "    ") -> list[str]:
    lines = []
    title = ev.label or "situation"
    if ev.conditions:
        lines.append(f"{indent}{title}, where {ev.cube_text()}:")
        width = max(len(c.fact) for c in ev.conditions)
        for c in ev.conditions:
            value = _value_text(ev.situation[c.fact])
            note = _condition_note(c)
            lines.append(f"{indent}  {c.fact.ljust(width)}  {value}" + (f"   ({note})" if note else ""))
        lines.append(f"{indent}  (every other fact may take any value)")
    else:
        lines.append(f"{indent}{title}: any situation")
    actions = [action] if action else list(spec.actions)
    for a in actions:
        if a is None or a not in ev.verdicts:
            continue
        relevant = [p for p in ev.in_force if _acts_on(spec, p, a)]
        decided = ", ".join(relevant) if relevant else "no provision"
        lines.append(f"{indent}  in force: {decided} → `{a}` is {ev.verdicts[a]}")
    return lines


def _subject_heading(spec: m.CheckedSpec, f: Finding) -> str:
    if f.subject in spec.provisions:
        p = spec.provisions[f.subject]
        return f"{p.id} “{p.title}”  ({p.span.location()})"
    if f.subject in spec.actions:
        return f"action `{f.subject}`  ({f.span.location()})"
    if f.kind in ("failed-goal", "goal-holds-unexpectedly"):
        return f"goal “{f.subject}”  ({f.span.location()})"
    if "example" in f.kind:
        return f"example “{f.subject}”  ({f.span.location()})"
    return f"{f.subject}  ({f.span.location()})"


COLOURS = {"error": ("red", True), "warning": ("yellow", True), "note": ("cyan", False),
           "accepted": ("green", False), "heading": (None, True)}


def _paint(text: str, role: str, colour: bool) -> str:
    if not colour:
        return text
    import click

    fg, bold = COLOURS[role]
    return click.style(text, fg=fg, bold=bold)


def render_text(report: CheckResult, colour: bool = False) -> str:
    """The report for people; `colour` adds terminal colours (never in files or pipes)."""
    spec = report.spec
    out: list[str] = []
    findings = sorted_findings(report)
    heading = None
    for f in findings:
        h = _subject_heading(spec, f)
        if h != heading:
            if heading is not None:
                out.append("")
            out.append(_paint(h, "heading", colour))
            heading = h
        severity = "accepted" if f.accepted is not None else f.severity
        tag = _paint(f"{severity}[{f.kind}]", severity if severity in COLOURS else "note", colour)
        out.append(f"  {tag} {finding_id(spec.name, f)}: {f.message}")
        if f.accepted is not None:
            out.append(f"    accepted by the drafters: “{f.accepted}”")
        for d in f.details:
            out.append(f"    {d}")
        for i, ev in enumerate(f.evidence, 1):
            if len(f.evidence) > 1 and not ev.label:
                ev = dataclasses.replace(ev, label=f"situation {i} of {len(f.evidence)}")
            out.extend(render_evidence(ev, spec, f.action))
    if out:
        out.append("")
    goal_words = {"holds": "holds", "fails": "FAILS", "fails-as-expected": "fails, as expected",
                  "holds-unexpectedly": "HOLDS, though marked expected to fail", "unknown": "unknown"}
    if report.goals:
        out.append("goals:")
        for g in report.goals:
            goal = g.goal
            reason = f" ({goal.expected_reason})" if goal.expected_reason and g.status == "fails-as-expected" else ""
            word = goal_words[g.status]
            if goal_accepted(report, goal):
                word = word.lower() + ", accepted"
            out.append(f"  {word}: “{goal.title}”{reason}")
            if g.status == "fails-as-expected":
                for ev in g.evidence:
                    out.append(f"    for example where {ev.cube_text()}")
                for pair in g.cannot_help:
                    out.append(f"    {cannot_help_text(pair)}")
    if report.examples:
        passed = sum(1 for e in report.examples for r in e.results if r.status == "passes")
        total = sum(len(e.results) for e in report.examples)
        out.append(f"examples: {passed} of {total} expectations pass")
    c = counts(report)
    st = status(report)
    summary = {"clean": "consistent", "findings": "findings", "unknown": "unknown"}[st]
    accepted = f", {c['accepted']} accepted" if c["accepted"] else ""
    out.append(f"{spec.name}: {summary}: {_plural(c['error'], 'error')}, {_plural(c['warning'], 'warning')}, "
               f"{_plural(c['note'], 'note')}{accepted} "
               f"({_plural(len(spec.provisions), 'provision')}, {_plural(len(spec.facts), 'fact')})")
    return "\n".join(out) + "\n"


# ---- JSON -------------------------------------------------------------------------------------

def evidence_json(ev: Evidence, spec: m.CheckedSpec | None = None, action: str | None = None,
                  premise=frozenset()) -> dict:
    """An evidence situation; with its spec, also `prose`: the situation as the text report
    says it, in the current language (a text field for people: its words may change)."""
    out = {}
    if ev.label:
        out["label"] = ev.label
    out["facts_that_matter"] = [c.to_json() for c in ev.conditions]
    if spec is not None:
        from .reader import evidence_sentence

        out["prose"] = evidence_sentence(spec, ev, action, premise)
    out["situation"] = dict(ev.situation)
    out["verdicts"] = dict(ev.verdicts)
    out["in_force"] = list(ev.in_force)
    out["triggered"] = list(ev.triggered)
    return out


def _location(span) -> dict:
    return {"file": span.path, "line": span.line, "column": span.column}


def finding_json(spec_name: str, f: Finding, report: CheckResult | None = None) -> dict:
    prose = {}
    if report is not None:
        from .reader import finding_prose

        prose = {"prose": finding_prose(report, f)}
    spec = report.spec if report is not None else None
    premise = frozenset(x for g in spec.goals if g.title == f.subject for x in m.facts_in(g.condition)) \
        if spec is not None and f.kind == "failed-goal" else frozenset()
    return {
        "id": finding_id(spec_name, f),
        "kind": f.kind,
        "severity": f.severity,
        "message": f.message,
        **prose,
        "subject": f.subject,
        "action": f.action,
        "provisions": list(f.provisions),
        "location": _location(f.span),
        "details": list(f.details),
        "accepted": f.accepted,
        "evidence": [evidence_json(e, spec, f.action, premise) for e in f.evidence],
    }


def report_json(report: CheckResult) -> dict:
    spec = report.spec
    goals = []
    for g in report.goals:
        goal = g.goal
        goals.append({
            "title": goal.title,
            "status": g.status,
            "expected_to_fail": goal.expected_to_fail,
            "location": _location(goal.span),
            "evidence": [evidence_json(e, spec, goal.action, frozenset(m.facts_in(goal.condition)))
                         for e in g.evidence],
            "cannot_help": [{"provision": p, "kept_in_force": b} for p, b in g.cannot_help],
        })
    examples = []
    for e in report.examples:
        ex = e.example
        results = []
        for r in e.results:
            item = {"action": r.action, "expected": r.expected} if r.action is not None else {}
            item["status"] = r.status
            if r.depends_on is not None:
                item["depends_on"] = list(r.depends_on)
            item["evidence"] = [evidence_json(x, spec, r.action) for x in r.evidence]
            results.append(item)
        examples.append({"title": ex.title, "location": _location(ex.span), "results": results})
    return {
        "spec": spec.name,
        "status": status(report),
        "counts": counts(report),
        "provisions": len(spec.provisions),
        "findings": [finding_json(spec.name, f, report) for f in sorted_findings(report)],
        "goals": goals,
        "examples": examples,
    }


def invalid_json(name: str, diagnostics) -> dict:
    return {
        "spec": name,
        "status": "invalid",
        "diagnostics": [diagnostic_json(d) for d in diagnostics],
    }


def check_document(outcomes: list[CheckResult | InvalidSpec]) -> dict:
    """The JSON document of a check of several specs (schema legalmodel.check/1): each spec
    checked or found invalid, in the order given, and the run's overall status."""
    documents = [invalid_json(o.name, o.diagnostics) if isinstance(o, InvalidSpec) else report_json(o)
                 for o in outcomes]
    statuses = {"invalid" if isinstance(o, InvalidSpec) else status(o) for o in outcomes}
    overall = next((s for s in ("invalid", "findings", "unknown") if s in statuses), "clean")
    return {"schema": SCHEMA, "status": overall, "specs": documents}


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# ---- Markdown -------------------------------------------------------------------------------

def markdown_cell(text: str) -> str:
    """Text for one cell of a Markdown table, shown as written: `|` escaped (it would end the
    cell, even inside a code span), HTML's `&`, `<`, `>`, Markdown's `\\` and the characters
    that start emphasis, links or strike-through (`*`, `_`, `[`, `]`, `~`) escaped outside code
    spans (inside them they are shown as they are), and line breaks made spaces."""
    import html

    parts = " ".join(str(text).splitlines()).split("`")
    unmatched = len(parts) % 2 == 0  # an odd number of backticks: the last one opens no code span
    out = []
    for i, part in enumerate(parts):
        in_code = i % 2 == 1 and not (unmatched and i == len(parts) - 1)
        if not in_code:
            part = MARKDOWN_SPECIAL.sub(_escaped_special, html.escape(part.replace("\\", "\\\\"), quote=False))
        out.append(part)
    return "`".join(out).replace("|", "\\|")


MARKDOWN_SPECIAL = re.compile(r"[*_\[\]~]")


def _escaped_special(match: re.Match) -> str:
    """`_` between two letters or digits starts no emphasis (`sfs2022_916.lm` stays as it is);
    every other special gets its backslash."""
    text, at = match.string, match.start()
    if (match.group() == "_" and 0 < at < len(text) - 1
            and text[at - 1].isalnum() and text[at + 1].isalnum()):
        return "_"
    return "\\" + match.group()


def render_invalid_markdown(name: str, diagnostics) -> str:
    """The Markdown section of a spec that could not be read: its diagnostics, so a review
    still shows why nothing was checked, in the current language."""
    n = len(diagnostics)
    out = [f"## legalmodel check: `{name}`", "",
           "**" + _("input error") + "**: " + ngettext("{n} error in the input; nothing was checked",
                                                      "{n} errors in the input; nothing was checked", n).format(n=n),
           "", "| " + _("where") + " | " + _("error") + " |", "|---|---|"]
    for d in diagnostics:
        message = said(d.message) + (f" ({said(d.help)})" if d.help else "")
        out.append(f"| {markdown_cell(d.span.location())} | {markdown_cell(message)} |")
    return "\n".join(out) + "\n"


def render_markdown(report: CheckResult, notation: str = "prose") -> str:
    """A check report fit to paste into a review of a change to a spec, wholly in the current
    language: the verdict, a table of the findings, each finding's situations (in prose; as
    formulas with `notation="logic"`) and remedy in a fold, the goals and the examples. Codes
    (ids, kinds) stay as they are."""
    from .reader import (counts_text, expectations_text, finding_paragraphs, goal_status_word, headline,
                         severity_word, size_text, status_word, _sentence)

    spec = report.spec
    title = f"## legalmodel check: `{spec.name}`"
    if spec.as_of:
        title += " " + _("on {date}").format(date=spec.as_of)
    out = [title, "", f"**{status_word(report)}**: {counts_text(report)}; {size_text(spec)}", ""]
    findings = sorted_findings(report)
    if findings:
        out.append("| id | " + " | ".join((_("severity"), _("kind"), _("about"), _("finding"))) + " |")
        out.append("|---|---|---|---|---|")
        for f in findings:
            message = markdown_cell(_sentence(headline(report, f)))
            severity = severity_word(f.severity)
            if f.accepted:
                severity = _("{severity}, accepted").format(severity=severity)
                message += " *(" + markdown_cell(_("accepted: “{why}”").format(why=f.accepted)) + ")*"
            out.append(f"| {finding_id(spec.name, f)} | {severity} | {f.kind} | "
                       f"{markdown_cell(f'{f.subject} ({f.span.location()})')} | {message} |")
        out.append("")
        for f in findings:
            more = finding_paragraphs(report, f, notation)[1:]  # the headline is in the table
            if not f.evidence and not more:
                continue
            out.append(f"<details><summary>{finding_id(spec.name, f)}: " + _("evidence") + "</summary>")
            out.append("")
            out.extend(f"- {markdown_cell(text)}" for text in more)
            out.append("")
            out.append("</details>")
            out.append("")
    if report.goals:
        out.append("| " + _("goal") + " | " + _("status") + " |")
        out.append("|---|---|")
        for g in report.goals:
            out.append(f"| {markdown_cell(g.goal.title)} | {markdown_cell(goal_status_word(report, g))} |")
        out.append("")
    if report.examples:
        out.append(_sentence(expectations_text(report)))
    return "\n".join(out).rstrip() + "\n"
