"""The check report for a reader (`--notation prose`, the default): the verdict first, then
each finding as a short paragraph in the current language (what, where, an example
situation in prose, which provisions, what would resolve it), explanations said once, lines
wrapped to a width. `--notation logic` keeps the formulas of reports/check.py. What it says
of a finding, a goal or the counts (finding_paragraphs, goal_status_word, counts_text) is
also what the Markdown, JUnit and GitHub formats say, so every format reads alike.

Rendering only: the words come from the finding's kind and fields, the situations from
reports/prose.py, the language from i18n.
"""

from __future__ import annotations

import re
import textwrap

from ..syntax.surface import localise_code
from ..i18n import _, ngettext, quoted, said
from ..law import model as m
from ..results import CheckResult, Evidence, Finding
from . import prose
from .check import COLOURS, _acts_on, _paint, counts, goal_accepted, printable, sorted_findings, status

DEFAULT_WIDTH = 100
# the kinds whose headline and remedy are said here, in the current language; the others
# (unknown, broken contracts, stale acceptances, same-day amendments, uncovered provisions) in
# the analyses' own words, which are `Words` said in the current language, details included
# the kinds whose details are the finding's own (a provision's counts, the row that
# introduces its table), said for each finding even where another's read the same
OWN_DETAILS = frozenset({"uncovered-provision"})
OWN_WORDS = frozenset({
    "contradiction", "collision", "gap", "dead-provision", "never-in-force", "idle-override", "failed-goal",
    "goal-holds-unexpectedly", "impossible-example", "failed-example", "underdetermined-example",
    "impossible-assumptions"})


def verdict_word(verdict: str) -> str:
    """A verdict in the current language."""
    return {
        "permitted": _("permitted"), "forbidden": _("forbidden"), "obligatory": _("obligatory"),
        "undecided": _("undecided"), "contradictory": _("contradictory"),
    }.get(verdict, verdict)


def severity_word(severity: str) -> str:
    return {"error": _("error"), "warning": _("warning"), "note": _("note"), "accepted": _("accepted")}.get(
        severity, severity)


def _names(items) -> str:
    items = list(items)
    if not items:
        return _("no provision")
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " " + _("and") + " " + items[-1]


def status_word(report: CheckResult) -> str:
    """The run's verdict on a spec in the current language: consistent, findings or unknown."""
    return {"clean": _("consistent"), "findings": _("findings"), "unknown": _("unknown")}[status(report)]


def counts_text(report: CheckResult) -> str:
    """`2 errors, 1 warning, 0 notes` (and how many are accepted), in the current language."""
    c = counts(report)
    parts = [ngettext("{n} error", "{n} errors", c["error"]).format(n=c["error"]),
             ngettext("{n} warning", "{n} warnings", c["warning"]).format(n=c["warning"]),
             ngettext("{n} note", "{n} notes", c["note"]).format(n=c["note"])]
    if c["accepted"]:
        parts.append(ngettext("{n} accepted", "{n} accepted", c["accepted"]).format(n=c["accepted"]))
    return ", ".join(parts)


def size_text(spec: m.CheckedSpec) -> str:
    """`20 provisions, 60 facts`, in the current language."""
    return (ngettext("{n} provision", "{n} provisions", len(spec.provisions)).format(n=len(spec.provisions))
            + ", " + ngettext("{n} fact", "{n} facts", len(spec.facts)).format(n=len(spec.facts)))


def expectations_text(report: CheckResult) -> str:
    """`19 of 19 expectations pass`, in the current language."""
    passed = sum(1 for e in report.examples for r in e.results if r.status == "passes")
    total = sum(len(e.results) for e in report.examples)
    return ngettext("{passed} of {n} expectation passes", "{passed} of {n} expectations pass",
                    total).format(passed=passed, n=total)


def goal_status_word(report: CheckResult, g) -> str:
    """How a goal came out, in the current language (`fails, as expected`)."""
    word = {"holds": _("holds"), "fails": _("FAILS"), "fails-as-expected": _("fails, as expected"),
            "holds-unexpectedly": _("HOLDS, though marked expected to fail"), "unknown": _("unknown")}[g.status]
    if goal_accepted(report, g.goal):
        word = _("{status}, accepted").format(status=word.lower())
    return word


def summary_line(report: CheckResult) -> str:
    """`specs/osl: consistent: 0 errors, 0 warnings, 0 notes (20 provisions, 60 facts)`."""
    spec = report.spec
    out = f"{printable(spec.name)}: {status_word(report)}: {counts_text(report)} ({size_text(spec)})"
    extra = []
    if report.goals:
        holding = sum(1 for g in report.goals if g.holds)
        extra.append(ngettext("{held} of {n} goal holds", "{held} of {n} goals hold", len(report.goals)).format(
            held=holding, n=len(report.goals)))
    if report.examples:
        extra.append(expectations_text(report))
    if extra:
        out += "; " + "; ".join(extra)
    return out


# ---- what a finding says -------------------------------------------------------------------------

def _example_expectation(report: CheckResult, f: Finding):
    for e in report.examples:
        if e.title == f.subject:
            for r in e.results:
                if r.action == f.action:
                    return r
    return None


def headline(report: CheckResult, f: Finding) -> str:
    """What the finding says, in the current language, from its kind and fields."""
    spec = report.spec
    p = f.provisions
    act = f"`{f.action}`" if f.action else ""
    if f.kind == "contradiction" and len(p) == 2:
        return _("{a} obliges {act} where {b} forbids it").format(a=p[0], b=p[1], act=act)
    if f.kind == "collision" and len(p) == 2:
        return _("{a} permits {act} where {b} forbids it, and neither names the other").format(
            a=p[0], b=p[1], act=act)
    if f.kind == "gap":
        return _("no provision decides {act} in these situations, and it has no default").format(act=act)
    if f.kind == "dead-provision":
        return _("{p} can never apply: no situation meets its condition").format(p=f.subject)
    if f.kind == "never-in-force":
        return _("{p} applies only where another provision sets it aside").format(p=f.subject)
    if f.kind == "idle-override":
        return _("{p} overrides {others}, but this changes no situation's verdict").format(
            p=f.subject, others=_names(p[1:]))
    if f.kind == "failed-goal":
        return _("the goal “{title}” fails").format(title=f.subject)
    if f.kind == "goal-holds-unexpectedly":
        return _("the goal “{title}” is marked as expected to fail, but it holds").format(title=f.subject)
    if f.kind == "impossible-example":
        return _("the example “{title}” describes no possible situation: its facts contradict the "
                 "assumptions").format(title=f.subject)
    if f.kind == "failed-example":
        r = _example_expectation(report, f)
        actual = sorted({ev.verdicts.get(f.action) for ev in f.evidence if f.action in ev.verdicts},
                        key=m.VERDICTS.index)
        if r is not None and actual:
            return _("the example “{title}” expects {act} to be {expected}, but it is {actual}").format(
                title=f.subject, act=act, expected=verdict_word(r.expected),
                actual=(" " + _("or") + " ").join(verdict_word(v) for v in actual))
    if f.kind == "underdetermined-example":
        return _("the example “{title}” does not settle {act}: the verdict depends on facts it does not "
                 "give").format(title=f.subject, act=act)
    if f.kind == "impossible-assumptions":
        return _("the assumptions admit no situation: they cannot all hold, so nothing else can be checked")
    return said(f.message)  # the analyses' own words: unknown, contracts, acceptances, amendments


def remedy(report: CheckResult, f: Finding) -> str | None:
    """What would resolve the finding, where the kind says."""
    p = f.provisions
    act = f"`{f.action}`" if f.action else ""
    if f.kind == "contradiction" and len(p) == 2:
        return _("make one of {a} and {b} override the other, or add an `except` to one of them").format(
            a=p[0], b=p[1])
    if f.kind == "collision" and len(p) == 2:
        verdict = f.witness.verdicts.get(f.action) if f.witness else None
        return _("the verdict there is {verdict}; if that is the intended outcome, state it: add `except {b}` "
                 "to {a}, or make {a} override {b}").format(verdict=verdict_word(verdict or ""), a=p[0], b=p[1])
    if f.kind == "gap":
        return _("add a provision that covers these situations, or give {act} a default").format(act=act)
    if f.kind == "dead-provision":
        return _("correct its condition, or remove the provision")
    if f.kind == "never-in-force":
        return _("wherever it applies it is overridden (here by {others}): narrow the override, or remove "
                 "the provision").format(others=_names(p[1:]))
    if f.kind == "idle-override":
        return _("wherever both apply the outcome is the same without the override; it can go, unless it "
                 "records an intent")
    if f.kind == "goal-holds-unexpectedly":
        return _("remove `expected to fail` so the record stays true")
    if f.kind == "underdetermined-example":
        return _("state these facts in `given`")
    return None


def finding_prose(report: CheckResult, f: Finding) -> str:
    """What the finding says and what would resolve it, in the current language: the JSON's
    `prose`."""
    text = _sentence(headline(report, f))
    hint = localise_code(remedy(report, f), getattr(f.span, "source", None))
    if hint:
        text += " " + _("To resolve it: {hint}").format(hint=hint.rstrip(".")) + "."
    if f.kind == "failed-goal":  # what the goals section says of it, in the same words
        for goal in report.goals:
            if goal.title == f.subject:
                text += "".join(" " + _cannot_help(report.spec, helper, blocker) for helper, blocker in goal.cannot_help)
    return text


def _cannot_help(spec: m.CheckedSpec, helper: str, blocker: str) -> str:
    """`10 kap. 27 § OSL cannot help here: its `except` keeps …`, the keyword as the helper's
    file writes it (`utom` in a Swedish one)."""
    text = _("{helper} cannot help here: its `except` keeps {blocker} in force, whatever its "
             "own condition.").format(helper=helper, blocker=blocker)
    provision = spec.provisions.get(helper)
    return localise_code(text, getattr(getattr(provision, "span", None), "source", None))


def _where(spec: m.CheckedSpec, f: Finding) -> str:
    location = f.span.location() if f.span is not None else ""
    if f.subject in spec.provisions:
        title = spec.provisions[f.subject].title
        return f"{f.subject} {quoted(title)}, {location}" if location else f"{f.subject} {quoted(title)}"
    return location


def evidence_sentence(spec: m.CheckedSpec, ev: Evidence, action: str | None, premise=frozenset(),
                      language: str | None = None, summarised=None) -> str:
    """“For example where …. There … is in force and `act` is forbidden.”"""
    language = language or _current()
    situation = prose.situation_text(spec, ev, language, premise, summarised)
    acts = [action] if action else [a for a in spec.actions if a in ev.verdicts]
    outcomes = []
    for a in acts:
        if a not in ev.verdicts:
            continue
        deciding = [p for p in ev.in_force if _acts_on(spec, p, a)]
        if deciding:
            outcomes.append(ngettext("There {provisions} is in force and `{act}` is {verdict}.",
                                     "There {provisions} are in force and `{act}` is {verdict}.",
                                     len(deciding)).format(
                provisions=_names(deciding), act=a, verdict=verdict_word(ev.verdicts[a])))
        else:
            outcomes.append(_("There no provision is in force and `{act}` is {verdict}.").format(
                act=a, verdict=verdict_word(ev.verdicts[a])))
    if not ev.conditions:  # the situation is all given (an example's), or any situation will do
        return " ".join(outcomes if ev.label else [_("In any situation."), *outcomes])
    return " ".join([_("For example where {situation}.").format(situation=situation), *outcomes])


def _current() -> str:
    from ..i18n import current

    return current()


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!", ":")) else text + "."


# a citation is not broken across lines: `10 kap. 18 a § OSL` stays on one
CITATION = re.compile(r"\d+ kap\.(?: \d+(?: [a-z])?(?:[–-]\d+(?: [a-z])?)? §§?(?: [A-Z][A-Za-z0-9]*\b)?)?"
                      r"|\b\d+(?: [a-z])? §§?(?: [A-Z][A-Za-z0-9]*\b)?")
KEEP = "\u00a0"


def _paragraph(text: str, width: int, indent: str) -> list[str]:
    kept = CITATION.sub(lambda match: match.group(0).replace(" ", KEEP), text)
    lines = _wrapped(kept, width, indent, indent + "  ") or [indent]
    return [line.replace(KEEP, " ") for line in lines]


# what textwrap treats apart: other blanks, runs of spaces, and a word of blanks only (a
# no-break space, say), which str.strip() sees as empty and textwrap drops at a line's end
_ODD_SPACE = re.compile(r"[\t\n\x0b\x0c\r]|  |^ | $|(?:^| )[^\S ]+(?: |$)")


def _wrapped(text: str, width: int, initial: str, subsequent: str) -> list[str]:
    """`textwrap.wrap(text, width, initial_indent=initial, subsequent_indent=subsequent,
    break_long_words=False, break_on_hyphens=False)`, line for line. Words separated by single
    spaces, the prose's usual shape, are cut with `rfind` a line at a time rather than a
    word at a time; anything else goes to textwrap (tests/test_reader_wrap.py holds the two
    to each other)."""
    if _ODD_SPACE.search(text):
        return textwrap.wrap(text, width=width, initial_indent=initial, subsequent_indent=subsequent,
                             break_long_words=False, break_on_hyphens=False)
    lines: list[str] = []
    start, end = 0, len(text)
    while start < end:
        indent = subsequent if lines else initial
        room = width - len(indent)
        if end - start <= room:
            lines.append(indent + text[start:])
            break
        cut = text.rfind(" ", start, max(start, start + room + 1))
        if cut < start:  # the next word is longer than a line: it stands alone, unbroken
            cut = text.find(" ", start)
            if cut < 0:
                lines.append(indent + text[start:])
                break
        lines.append(indent + text[start:cut])
        start = cut + 1
    return lines


def situation_sentences(spec, evidence, action, premise=frozenset()) -> list[str]:
    """Each situation in prose, one sentence each; situations that read alike (they differ
    only in what the prose summarises) said once."""
    shown = []
    common = prose.common_grounds(spec, evidence, _current(), premise)
    for ev in evidence:
        text = evidence_sentence(spec, ev, action, premise, summarised=common)
        if text not in shown:
            shown.append(text)
    return shown


def wrap_line(line: str, width: int) -> list[str]:
    """A line wrapped to `width` as the report wraps its paragraphs (a citation kept on one
    line), at its own indent, the rest indented under it; a line that fits as it is."""
    if len(line) <= width:
        return [line]
    text = line.lstrip(" ")
    return _paragraph(text, width, line[:len(line) - len(text)])


def _situations(spec, evidence, action, premise, width: int, indent: str) -> list[str]:
    """Each situation as a paragraph (situation_sentences)."""
    return [line for text in situation_sentences(spec, evidence, action, premise)
            for line in _paragraph(text, width, indent)]


def evidence_formula(spec: m.CheckedSpec, ev: Evidence, action: str | None) -> str:
    """A situation as `--notation logic` says it, with the words around the formulas in the
    current language: `where ålder ≤ 69 ∧ samtycke (ålder = 18, samtycke = true); in force:
    10 kap. 1 § OSL → `lämna` is permitted`."""
    if ev.conditions:
        values = ", ".join(f"{c.fact} = {_value(ev.situation[c.fact])}"
                           for c in ev.conditions if c.fact in ev.situation)
        text = _("where {conditions}").format(conditions=ev.cube_text()) + (f" ({values})" if values else "")
    else:
        text = _("in any situation")
    if ev.label:
        text = f"{said(ev.label)}: {text}"
    for a in [action] if action else [a for a in spec.actions if a in ev.verdicts]:
        if a in ev.verdicts:
            deciding = [p for p in ev.in_force if _acts_on(spec, p, a)]
            text += "; " + _("in force: {provisions} → `{act}` is {verdict}").format(
                provisions=", ".join(deciding) or _("no provision"), act=a, verdict=verdict_word(ev.verdicts[a]))
    return text


def _value(value) -> str:
    """A fact's value in the current language: `true` reads `sant` in Swedish (as explain says it)."""
    return (_("true") if value else _("false")) if isinstance(value, bool) else str(value)


def goal_premise(spec: m.CheckedSpec, f: Finding) -> frozenset:
    """The facts a failed goal's own condition names: its situations always show them."""
    if f.kind != "failed-goal":
        return frozenset()
    return frozenset(x for g in spec.goals if g.title == f.subject for x in m.facts_in(g.condition))


def finding_paragraphs(report: CheckResult, f: Finding, notation: str = "prose") -> list[str]:
    """A finding for people, as paragraphs not yet wrapped, in the current language: what it
    says, the drafters' acceptance, the details the headline does not already say, each
    situation (in prose; as formulas with `notation="logic"`), and what would resolve it.
    What the text report says of it, for the formats that carry text to people elsewhere
    (Markdown, JUnit, GitHub's annotations)."""
    spec = report.spec
    out = [_sentence(headline(report, f))]
    if f.accepted is not None:
        out.append(_("Accepted by the drafters: “{why}”.").format(why=f.accepted))
    if f.kind not in OWN_WORDS or f.kind in ("dead-provision", "impossible-assumptions"):
        out.extend(d.strip() if d.startswith("  ") else _sentence(said(d)) for d in f.details)
    if notation == "logic":
        out.extend(evidence_formula(spec, ev, f.action) for ev in f.evidence)
    else:
        out.extend(situation_sentences(spec, f.evidence, f.action, goal_premise(spec, f)))
    hint = localise_code(remedy(report, f), getattr(f.span, "source", None))
    if hint:
        out.append(_("To resolve it: {hint}").format(hint=hint.rstrip(".")) + ".")
    if f.kind == "failed-goal":
        for goal in report.goals:
            if goal.title == f.subject:
                out.extend(_cannot_help(spec, helper, blocker) for helper, blocker in goal.cannot_help)
    return out


def render_reader(report: CheckResult, width: int = DEFAULT_WIDTH, colour: bool = False) -> str:
    """The report for a reader, in the current language, wrapped to `width` columns; `colour`
    adds terminal colours (never in files or pipes)."""
    spec = report.spec
    out = [_paint(summary_line(report), "heading", colour)]
    told: set[str] = set()  # explanations already given: said once
    for f in sorted_findings(report):
        severity = "accepted" if f.accepted is not None else f.severity
        out.append("")
        word = severity_word(severity)
        head = _paragraph(f"{word} [{f.kind} {f.id}] {_where(spec, f)}".rstrip(), width, "")
        # painted after wrapping: the colours never change where a line breaks
        head[0] = _paint(word, severity if severity in COLOURS else "note", colour) + head[0][len(word):]
        out.extend(head)
        out.extend(_paragraph(_sentence(headline(report, f)), width, "  "))
        if f.accepted is not None:
            out.extend(_paragraph(_("Accepted by the drafters: “{why}”.").format(why=f.accepted), width, "  "))
        if f.kind not in OWN_WORDS or f.kind in ("dead-provision", "impossible-assumptions"):
            # else the remedy or the goals say it
            for d in f.details:
                if d.startswith("  "):  # a literal line (a row of a case table): as it is
                    out.append("    " + d)
                elif d not in told or f.kind in OWN_DETAILS:
                    told.add(d)
                    out.extend(_paragraph(_sentence(said(d)), width, "  "))
        premise = frozenset()
        if f.kind == "failed-goal":
            premise = frozenset(x for g in spec.goals if g.title == f.subject for x in m.facts_in(g.condition))
        out.extend(_situations(spec, f.evidence, f.action, premise, width, "  "))
        # advice quotes keywords as the finding's file writes them (`utom` in a Swedish file)
        hint = localise_code(remedy(report, f), getattr(f.span, "source", None))
        if hint:
            out.extend(_paragraph(_("To resolve it: {hint}").format(hint=hint.rstrip(".")) + ".", width, "  "))
    if report.goals:
        out.append("")
        out.append(_("Goals"))
        for g in report.goals:
            goal = g.goal
            word = goal_status_word(report, g)
            reason = f" ({goal.expected_reason})" if goal.expected_reason and g.status == "fails-as-expected" else ""
            out.extend(_paragraph(f"{word}: {quoted(goal.title)}{reason}", width, "  "))
            if g.status == "fails-as-expected":
                premise = frozenset(m.facts_in(goal.condition))
                out.extend(_situations(spec, g.evidence, goal.action, premise, width, "    "))
            for helper, blocker in g.cannot_help:
                key = f"cannot-help {helper} {blocker}"
                if key in told:
                    text = _("{helper} cannot help here either (see above).").format(helper=helper)
                else:
                    told.add(key)
                    text = _cannot_help(spec, helper, blocker)
                out.extend(_paragraph(text, width, "    "))
    return "\n".join(out) + "\n"
