"""Reports of case tables (`legalmodel test`): text for people, JSON (`legalmodel.test/1`)
for programs, JUnit for CI dashboards and Markdown for a review; the cases as `example`
blocks (`--as-examples`); and coverage per provision (JSON and Markdown, and text), with each
suggested row as CSV. Rendering only: cases/run.py decides what is true.
"""

from __future__ import annotations

import csv
import datetime
import io
from xml.sax.saxutils import escape, quoteattr

from ..i18n import _, ngettext, quoted
from ..cases.run import FAIL, PASS, UNKNOWN, CaseRun, Coverage, Outcome, coverage_id
from ..cases.table import NOT_SETTLED, Case
from .check import _value_text, markdown_cell
from .examples import example_block

TEST_SCHEMA = "legalmodel.test/1"
COVERAGE_SCHEMA = "legalmodel.coverage/1"


def _on(date: str | None) -> str:
    return _('on {date}').format(date=date) if date else _('as last amended')


def _verdict(verdict: str | None) -> str:
    """A verdict, or `not settled`, in the current language (the table's own cells and the
    JSON keep the English codes)."""
    from .reader import verdict_word

    return _("not settled") if verdict is None or verdict == NOT_SETTLED else verdict_word(verdict)


def _status(status: str) -> str:
    return {PASS: _("pass"), FAIL: _("FAIL"), UNKNOWN: _("UNKNOWN")}.get(status, status)


def _changes(change) -> str:
    changes, verdict, deciding = change
    facts = ", ".join(_('{f} from {value_text} to {value_text2}').format(f=f, value_text=_value_text(old), value_text2=_value_text(new)) for f, old, new in changes)
    return _('{facts} → {verdict}, decided by {value}').format(facts=facts, verdict=_verdict(verdict), value=', '.join(deciding) or _('the default'))


def _actual(o: Outcome) -> str:
    if o.unknown:
        return _('unknown (the solver gave up: {unknown})').format(unknown=o.unknown)
    if o.actual is not None:
        return _('{actual}, decided by {value}').format(actual=_verdict(o.actual), value=', '.join(o.decided_by) or _('the default'))
    return (_('not settled: it can be {names}, depending on ').format(names=(' ' + _('or') + ' ').join(map(_verdict, o.possible)))
            + ", ".join(f"`{f}`" for f in o.depends_on))


def _where(conditions, spec) -> str:
    """Conditions in prose, from the spec's phrasing of its facts (`spec`: the law as loaded;
    a fact it lacks, one of another date's version, is said as a formula, and so is every
    condition without a spec)."""
    if spec is not None and all(f in spec.facts for c in conditions for f in c.facts):
        from ..i18n import current
        from .prose import tree, words

        return words(tree(spec, conditions, current()))
    return " ∧ ".join(c.describe() for c in conditions)


def _detail(o: Outcome, spec=None) -> list[str]:
    """What a failure shows beyond its verdict: where an open verdict is which and what
    decides there (in prose, given the spec), the provisions set aside, the smallest change,
    the source."""
    lines = []
    for verdict, conditions, deciding in o.open_verdicts:
        where = _where(conditions, spec)
        decided = ", ".join(deciding) or _("the default")
        lines.append(_("{verdict} for example where {where}, decided by {provisions}").format(
            verdict=_verdict(verdict), where=where, provisions=decided) if where else
            _("{verdict} in some completions, decided by {provisions}").format(verdict=_verdict(verdict),
                                                                                provisions=decided))
    if o.set_aside:
        lines.append(_('set aside: {names}').format(names=', '.join(o.set_aside)))
    if o.smallest_change is not None:
        lines.append(_('smallest change: {changes}').format(changes=_changes(o.smallest_change)))
    if o.case.source:
        lines.append(_("source: {source}").format(source=o.case.source))
    return lines


def _name(o: Outcome) -> str:
    row = _("row {row}").format(row=o.case.row)
    # a row without a title is named `row N` by the table (in English): said as the row
    return f"{row} {quoted(o.case.title)}" if o.case.title != f"row {o.case.row}" else row


def render_text(run: CaseRun, spec=None, width: int | None = None) -> str:
    """The run for people, in the current language; `spec` (the law loaded) says where an
    open verdict is which in prose; `width` wraps the lines longer than it."""
    out = []
    for table in run.tables:
        out.append(table)
        for o in (o for o in run.outcomes if o.case.file == table):
            head = f"  {_name(o)}, {_on(o.date)}: "
            if o.status == PASS:
                out.append(head + f"{_status(PASS)} (`{o.case.action}` {_verdict(o.expectation.expected)})")
                continue
            out.append(head + _status(o.status))
            out.append(_('      expected `{action}` {expected}; it is {actual}').format(action=o.case.action, expected=_verdict(o.expectation.expected), actual=_actual(o)))
            out.extend("      " + line for line in _detail(o, spec))
    passed = sum(1 for o in run.outcomes if o.status == PASS)
    failed = len(run.failed)
    unknown = sum(1 for o in run.outcomes if o.status == UNKNOWN)
    summary = _('{spec}: {passed} of {count} case-dates pass').format(spec=run.spec, passed=passed, count=len(run.outcomes))
    if failed:
        summary += ", " + ngettext("{n} fails", "{n} fail", failed).format(n=failed)
    if unknown:
        summary += ", " + _("{n} unknown").format(n=unknown)
    out.append(summary)
    if width is not None:
        from .reader import wrap_line

        out = [wrapped for line in out for wrapped in wrap_line(line, width)]
    return "\n".join(out) + "\n"


def outcome_json(o: Outcome) -> dict:
    change = None
    if o.smallest_change is not None:
        changes, verdict, deciding = o.smallest_change
        change = {"changes": [{"fact": f, "from": old, "to": new} for f, old, new in changes],
                  "verdict": verdict, "decided_by": list(deciding)}
    return {"file": o.case.file, "row": o.case.row, "case": o.case.title, "source": o.case.source,
            "action": o.case.action, "given": dict(o.case.given), "date": o.date,
            "expected": o.expectation.expected, "status": o.status, "passed": o.passed,
            "settled": o.actual is not None, "actual": o.actual, "possible": list(o.possible),
            "depends_on": list(o.depends_on), "decided_by": list(o.decided_by), "set_aside": list(o.set_aside),
            "smallest_change": change, "unknown": o.unknown,
            "open_verdicts": [{"verdict": v, "where": [c.to_json() for c in conditions], "decided_by": list(deciding)}
                              for v, conditions, deciding in o.open_verdicts]}


def run_json(run: CaseRun, coverage: Coverage | None = None) -> dict:
    document = {"schema": TEST_SCHEMA, "spec": run.spec, "tables": list(run.tables),
                "summary": {"cases": len(run.outcomes), "passed": sum(1 for o in run.outcomes if o.passed),
                            "failed": len(run.failed),
                            "unknown": sum(1 for o in run.outcomes if o.status == UNKNOWN)},
                "outcomes": [outcome_json(o) for o in run.outcomes]}
    if coverage is not None:
        document["coverage"] = coverage_json(coverage)
    return document


def run_junit(run: CaseRun, spec=None) -> str:
    """A test suite per table, a test case per row and date; a failure carries the actual
    verdict, the deciding provisions and the smallest change, in the current language."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    total, failures = len(run.outcomes), len(run.failed) + sum(1 for o in run.outcomes if o.status == UNKNOWN)
    lines.append(f'<testsuites name={quoteattr("legalmodel test " + run.spec)} tests="{total}" '
                 f'failures="{failures}" errors="0">')
    for table in run.tables:
        mine = [o for o in run.outcomes if o.case.file == table]
        bad = sum(1 for o in mine if o.status != PASS)
        lines.append(f'  <testsuite name={quoteattr(table)} tests="{len(mine)}" failures="{bad}" errors="0">')
        for o in mine:
            name = f"{_name(o)}, {_on(o.date)}"
            lines.append(f'    <testcase classname={quoteattr(table)} name={quoteattr(name)}>')
            if o.status != PASS:
                text = [_('expected `{action}` {expected}; it is {actual}').format(action=o.case.action, expected=_verdict(o.expectation.expected), actual=_actual(o)), *_detail(o, spec)]
                message = _('expected {expected}, is {value}').format(expected=_verdict(o.expectation.expected), value=_verdict(o.actual))
                lines.append(f'      <failure type="{o.status}" message={quoteattr(message)}>'
                             f'{escape(chr(10).join(text))}</failure>')
            lines.append("    </testcase>")
        lines.append("  </testsuite>")
    lines.append("</testsuites>")
    return "\n".join(lines) + "\n"


def run_markdown(run: CaseRun, coverage: Coverage | None = None) -> str:
    passed = sum(1 for o in run.outcomes if o.passed)
    headings = (_("table"), _("row"), _("case"), _("date"), _("expected"), _("result"), _("actual"),
                _("decided by"), _("smallest change"))
    out = [_("## Cases: {spec}").format(spec=markdown_cell(run.spec)), "",
           _('{passed} of {count} case-dates pass.').format(passed=passed, count=len(run.outcomes)), "",
           "| " + " | ".join(headings) + " |", "|---" * len(headings) + "|"]
    for o in run.outcomes:
        change = "" if o.smallest_change is None or o.passed else _changes(o.smallest_change)
        out.append("| " + " | ".join(markdown_cell(str(x)) for x in (
            o.case.file, o.case.row, o.case.title, o.date or _('as last amended'), _verdict(o.expectation.expected),
            _status(o.status).lower(), _verdict(o.actual), ", ".join(o.decided_by), change)) + " |")
    text = "\n".join(out) + "\n"
    if coverage is not None:
        text += "\n" + coverage_markdown(coverage)
    return text


def _next_day(date: str) -> str:
    return (datetime.date.fromisoformat(date) + datetime.timedelta(days=1)).isoformat()


def cases_as_examples(cases: list[Case], last: str | None = None, language: str = "en") -> str:
    """Each case on each date as an `example` block, checked on that date alone (`from D
    until the next day`); a case on the law as last amended is checked from `last`, the
    date from which the law is as last amended (table.last_date), on. `not settled` cannot
    be an `expect` line: such a case is a comment. The blocks are written with the keywords
    of `language`, the spec's surface."""
    from ..syntax.surface import phrases

    w = phrases(language)
    blocks = []
    for c in cases:
        for e in c.expectations:
            title = f"{c.title} ({c.file} row {c.row}, {_on(e.date)})".replace('"', "'")
            if e.expected == NOT_SETTLED:
                blocks.append(_('# “{title}” expects `{action}` not settled: an example cannot say so\n').format(title=title, action=c.action))
                continue
            block = example_block(title, dict(c.given), {c.action: e.expected}, w)
            head, rest = block.split("\n", 1)
            if e.date:
                block = f"{head} {w['from']} {e.date} {w['until']} {_next_day(e.date)}\n{rest}"
            elif last:
                block = f"{head} {w['from']} {last}\n{rest}"
            if c.source:
                block = f"# source: {c.source}\n{block}"
            blocks.append(block)
    return "\n".join(blocks)


# ---- coverage ---------------------------------------------------------------------------------

def suggested_row(row: tuple, header: list[str] | None = None) -> str:
    """A suggested row as CSV: `act`, the date column, and the facts that matter (`header`:
    write it with this header line first)."""
    date, action, given, verdict = row
    names = ["act", *(k for k, _v in given), date or "expect"]
    values = [action, *(_value_text(v) for _k, v in given), verdict]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header is None:
        writer.writerow(names)
    writer.writerow(values)
    return buffer.getvalue()


def coverage_json(c: Coverage) -> dict:
    return {"schema": COVERAGE_SCHEMA, "spec": c.spec, "cases": c.cases,
            "provisions": [{"provision": p.provision, "id": coverage_id(p.provision), "title": p.title, "action": p.action, "applied": p.applied,
                            "decided": p.decided, "set_aside": p.set_aside, "accepted": p.accepted,
                            "can_decide": not p.never,
                            "suggested_row": None if p.suggestion is None else {
                                "date": p.suggestion[0], "action": p.suggestion[1],
                                "given": dict(p.suggestion[2]), "expected": p.suggestion[3],
                                "csv": suggested_row(p.suggestion)}}
                           for p in c.provisions],
            "decide_in_no_case": [p.provision for p in c.uncovered],
            "failing": [p.provision for p in c.failing]}


def _uncovered_lines(p) -> list[str]:
    if p.never:
        return [_('    no situation of the law has it decide: no row can cover it')]
    if p.suggestion is None:
        return []
    date, action, given, verdict = p.suggestion
    lines = [_('    a row where it decides ({on}: `{action}` {verdict}):').format(on=_on(date), action=action, verdict=_verdict(verdict))]
    lines.extend("      " + line for line in suggested_row(p.suggestion).splitlines())
    return lines


def coverage_text(c: Coverage) -> str:
    width = max((len(p.provision) for p in c.provisions), default=10)
    # the columns as wide as their headings in the language spoken: the numbers stay under them
    headings = [_("applied"), _("decided"), _("set aside")]
    widths = [max(7, len(h)) for h in headings]
    out = [_("coverage over {cases} case-dates and examples:").format(cases=c.cases),
           "  " + _("provision").ljust(width) + "".join(f"  {h.rjust(w)}" for h, w in zip(headings, widths))]
    for p in c.provisions:
        out.append(f"  {p.provision.ljust(width)}"
                   + "".join(f"  {n:>{w}}" for n, w in zip((p.applied, p.decided, p.set_aside), widths)))
    if c.uncovered:
        out.append(_('decide in no case: {count}').format(count=len(c.uncovered)))
        for p in c.uncovered:
            accepted = " (" + _("accepted: “{why}”").format(why=p.accepted) + ")" if p.accepted else ""
            out.append(f"  {p.provision} {quoted(p.title)} {coverage_id(p.provision)}{accepted}")
            out.extend(_uncovered_lines(p))
    else:
        out.append(_('every provision decides in some case'))
    return "\n".join(out) + "\n"


def coverage_markdown(c: Coverage) -> str:
    headings = (_("provision"), _("title"), _("applied"), _("decided"), _("set aside"))
    out = [_("## Coverage: {spec}").format(spec=markdown_cell(c.spec)), "",
           _('Over {cases} case-dates and examples.').format(cases=c.cases), "",
           "| " + " | ".join(headings) + " |", "|---|---|---:|---:|---:|"]
    for p in c.provisions:
        out.append(f"| {markdown_cell(p.provision)} | {markdown_cell(p.title)} | {p.applied} | {p.decided} | "
                   f"{p.set_aside} |")
    if c.uncovered:
        out += ["", "### " + _("Deciding in no case"), ""]
        for p in c.uncovered:
            accepted = " (" + markdown_cell(_("accepted: “{why}”").format(why=p.accepted)) + ")" if p.accepted else ""
            out.append(f"- **{markdown_cell(p.provision)}** {quoted(markdown_cell(p.title))} `{coverage_id(p.provision)}`{accepted}")
            if p.never:
                out.append(_('  no situation of the law has it decide'))
            elif p.suggestion is not None:
                out += ["", "  ```csv", *("  " + line for line in suggested_row(p.suggestion).splitlines()),
                        "  ```", ""]
    return "\n".join(out).rstrip("\n") + "\n"
