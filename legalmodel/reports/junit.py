"""JUnit XML rendering of `check`, for CI systems that show test results.

A test suite per spec; in it a test case per goal, one per expectation of each example, and
one named `consistency` for every other finding (contradictions, collisions, gaps, dead
provisions, idle overrides, broken contracts, stale acceptances, questions not decided in
time). Every finding belongs to exactly one case, and a case fails exactly when one of its
findings would fail the run (an error or warning not accepted), so the failure count is zero
exactly when `check` exits 0. A failing case carries each finding's id and what the text
report says of it (headline, details, situations in prose, remedy), in the language of the
run; the cases' names too (`goal: …`, `mål: …`). A case whose findings are all accepted is skipped with the justification (for
`consistency`: passes, with the accepted findings in its output); a goal expected to fail
that fails is skipped too. A spec that could not be read is one failing case.

The document validates against Jenkins' junit-10.xsd (every `<testsuite>` has `errors`, always
0: a finding is a failure, and legalmodel reports its own crashes by exit status, not here),
and every text is XML 1.0: a character XML cannot hold (a C0 control other than tab and line
ends, U+FFFE, U+FFFF, a lone surrogate) is written as U+FFFD, since no escape can carry it.
"""

from __future__ import annotations

import re
from xml.sax import saxutils

from ..i18n import _, for_declared, quoted, said, speaking
from ..results import CheckResult, Finding
from .check import about_goal, diagnostics_language, finding_id, sorted_findings
from ..frozen import frozen_dataclass

# what XML 1.0 cannot hold at all, escaped or not (its `Char` production)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return NOT_XML.sub("\ufffd", text)


def escape(text: str) -> str:
    return saxutils.escape(_xml_safe(text))


def quoteattr(text: str) -> str:
    return saxutils.quoteattr(_xml_safe(text))


EXAMPLE_KINDS = {"failed-example", "underdetermined-example", "impossible-example", "unknown"}


@frozen_dataclass
class Case:
    name: str
    failure: tuple[str, str] | None = None  # (type, text)
    skipped: str | None = None  # the reason
    output: str = ""  # what passed but is worth reading: accepted findings, notes


def fails(f: Finding) -> bool:
    """Whether the finding fails the run (report.status): an error or warning not accepted."""
    return f.accepted is None and f.severity in ("error", "warning")


def _finding_text(report: CheckResult, f: Finding, notation: str = "prose") -> list[str]:
    """The finding as the text report says it, in the current language, after its id: its
    situations in prose, or as formulas with `notation="logic"` (reader.finding_paragraphs)."""
    from .reader import finding_paragraphs

    first, *rest = finding_paragraphs(report, f, notation)
    return [f"{finding_id(report.spec.name, f)}: {first}", *rest]


def _case(report: CheckResult, name: str, findings: list[Finding], failure_type: str | None = None,
          skipped: str | None = None, notation: str = "prose", consistency: bool = False) -> Case:
    failing = [f for f in findings if fails(f)]
    others = [f for f in findings if not fails(f)]
    output = "\n\n".join("\n".join(_finding_text(report, f, notation)) for f in others)
    if failing:
        text = "\n\n".join("\n".join(_finding_text(report, f, notation)) for f in failing)
        kind = failure_type or ", ".join(sorted({f.kind for f in failing}))
        return Case(name, (kind, text), output=output)
    accepted = [f for f in findings if f.accepted is not None]
    if accepted and not consistency:
        reason = _("accepted: {findings}").format(
            findings="; ".join(f"{finding_id(report.spec.name, f)} {quoted(f.accepted)}" for f in accepted))
        return Case(name, skipped=reason, output=output)
    return Case(name, skipped=skipped, output=output)


def spec_cases(report: CheckResult, notation: str = "prose") -> list[Case]:
    """The test cases of one spec; each finding is in exactly one of them. The cases' names
    and texts are in the current language (`goal: …`, `mål: …`); with `notation="logic"` the
    situations are formulas."""
    remaining = sorted_findings(report)

    def take(wanted) -> list[Finding]:
        chosen = [f for f in remaining if wanted(f)]
        remaining[:] = [f for f in remaining if not wanted(f)]
        return chosen

    cases = []
    for g in report.goals:
        goal = g.goal
        found = take(lambda f, goal=goal: about_goal(f, goal))
        expected = (_("expected to fail: {reason}").format(reason=goal.expected_reason or "")
                    if g.status == "fails-as-expected" else None)
        cases.append(_case(report, _("goal: {title}").format(title=goal.title), found, g.status, expected, notation))
    for e in report.examples:
        ex = e.example
        for res in e.results:
            name = _("example: {title}").format(title=ex.title) + (f" ({res.action})" if res.action is not None else "")

            def belongs(f, ex=ex, res=res):
                return (f.kind in EXAMPLE_KINDS and f.subject == ex.title
                        and f.span.location() == ex.span.location()
                        and (f.action == res.action
                             or (f.action is None and res.status in ("impossible", "unknown"))))

            cases.append(_case(report, name, take(belongs), res.status, notation=notation))
    cases.append(_case(report, _("consistency"), list(remaining), notation=notation, consistency=True))
    return cases


def junit_document(reports: list[CheckResult], invalid: list[tuple[str, tuple]], notation: str = "prose") -> str:
    """JUnit XML: a test suite per spec checked, and one per spec that could not be read; each
    suite's words in the language of its spec (i18n.for_declared: `--lang`, else the spec's)."""
    suites = []
    for r in reports:
        with speaking(for_declared(getattr(r.spec, "language", None))):
            suites.append((r.spec.name, spec_cases(r, notation)))
    for name, diagnostics in invalid:
        with speaking(diagnostics_language(diagnostics)):
            text = "\n".join(f"{d.span.location()}: {said(d.message)}" for d in diagnostics)
            suites.append((name, [Case(_("the spec can be read"), ("input-error", text))]))
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    total = sum(len(c) for _n, c in suites)
    failures = sum(1 for _n, cs in suites for c in cs if c.failure)
    out.append(f'<testsuites name="legalmodel" tests="{total}" failures="{failures}" errors="0">')
    for name, cases in suites:
        fails_here = sum(1 for c in cases if c.failure)
        skips = sum(1 for c in cases if c.skipped is not None)
        out.append(f'  <testsuite name={quoteattr(name)} tests="{len(cases)}" failures="{fails_here}" '
                   f'errors="0" skipped="{skips}">')
        for case in cases:
            out.append(f'    <testcase classname={quoteattr(name)} name={quoteattr(case.name)}>')
            if case.failure:
                kind, text = case.failure
                out.append(f'      <failure type={quoteattr(kind)} message={quoteattr(text.splitlines()[0])}>'
                           f'{escape(text)}</failure>')
            elif case.skipped is not None:
                out.append(f'      <skipped message={quoteattr(case.skipped)}/>')
            if case.output:
                out.append(f'      <system-out>{escape(case.output)}</system-out>')
            out.append('    </testcase>')
        out.append('  </testsuite>')
    out.append('</testsuites>')
    return "\n".join(out) + "\n"
