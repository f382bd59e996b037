"""The command line: `legalmodel check` and friends, for drafters and for CI.

Exit status: 0 the spec is consistent and every goal and example holds; 1 there are
findings; 2 the input is bad (a diagnostic names file, line and column) or the command was
used wrongly; 3 no findings, but some question could not be decided within the time limit;
4 an internal error (the solver and the evaluator disagreed: please report it).
"""

from __future__ import annotations

import functools
import gc
import os
import sys
import time

import click

from . import __version__
from .analyse import Disagreement, analyse, apply_acceptances, default_jobs, stale_baseline
from .diagnostics import SpecErrors
from .history import split
from .pipeline import UsageError, discover, find_proposals, history_of, law_of, parse_unit
from .resolve import resolve
from .report import dumps, invalid_json, render_diagnostic, render_markdown, render_text, report_json, status

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_UNKNOWN, EXIT_INTERNAL = 0, 1, 2, 3, 4


class Seconds(click.ParamType):
    """A time limit in seconds: a finite number from 0.001 to a day."""

    name = "seconds"

    def convert(self, value, param, ctx):
        import math

        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"`{value}` is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or not 0.001 <= seconds <= 86_400:
            self.fail(f"`{value}` is not a time limit from 0.001 to 86400 seconds", param, ctx)
        return seconds


SECONDS = Seconds()

MAIN_HELP = """Check the provisions of a law, written as a spec, for contradictions, gaps,
dead provisions and failed goals, and show a concrete situation for each finding.

\b
A spec is a file (or a directory of files) ending in .lm, for example:
\b
    law OSL "Offentlighets- och sekretesslag (2009:400)"
    fact ålder: 0..130 "the age of the person the information concerns"
    action lämna_uppgift "social services hand the information to the police"
    provision 26 kap. 1 § "Socialtjänstsekretess"
      forbid lämna_uppgift
\b
Start with:  legalmodel check specs/
"""


@click.group(help=MAIN_HELP, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="legalmodel")
def main() -> None:
    pass


JOBS_OPTION = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), metavar="N",
    help="processes to share the questions among (default: one per usable core for specs of up to "
         "2,000 provisions, two up to 20,000, one for larger ones, whose solvers take most of the memory; "
         "a diff counts its larger version; Linux only, elsewhere one); the output is the same for any N")

CHECK_HELP = """Check one or more specs and report every finding with evidence.

\b
PATH is a .lm file or a directory. In a directory, each folder that holds
.lm files is one spec (its files are read together).
\b
Findings: contradictions (a duty meets a prohibition), collisions (a
permission meets a prohibition and neither names the other), gaps (no
provision decides and the act has no default), dead provisions, provisions
never in force, idle overrides, failed goals and failing examples.
\b
Exit status: 0 consistent, 1 findings, 2 bad input, 3 undecided within the
time limit, 4 internal error.
\b
Examples:
    legalmodel check specs/
    legalmodel check specs/tutorial --format json
    legalmodel check law.lm --timeout 30
"""


@main.command("check", help=CHECK_HELP)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit", "markdown"]), default="text",
              show_default=True,
              help="text for people; json for programs (schema legalmodel.check/1, see docs/json.md); "
                   "sarif for code scanning; junit for test dashboards (goals, examples and each spec's "
                   "consistency as tests); markdown for a review")
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help="seconds the solver may spend on each question; a question not decided in time is reported as unknown")
@click.option("--as-of", "as_of", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help="check the law in force on this date (amendments in force by then are applied); "
                   "without it, every dated amendment is applied")
@click.option("--proposal", "proposals", multiple=True, metavar="FILE|TITLE",
              help="also apply this proposal (an amendment without a date), after the dated ones")
@click.option("--timings", is_flag=True, help="print the time each stage took, on stderr")
@click.option("--as-examples", "as_examples", is_flag=True,
              help="print every situation shown as evidence as an `example` block, ready to paste into the spec")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="a JSON file of accepted findings: {\"accepted\": [{\"id\": \"COL-…\", \"justification\": \"…\"}]}")
@JOBS_OPTION
def check(paths: tuple[str, ...], fmt: str, timeout: float, as_of: str | None, proposals: tuple[str, ...],
          timings: bool, as_examples: bool, baseline_file: str | None, jobs: int | None) -> None:
    baseline = _read_baseline(baseline_file) if baseline_file else ()
    try:
        units = discover(list(paths))
    except UsageError as err:
        click.echo(f"legalmodel: {err}", err=True)
        sys.exit(EXIT_INPUT)
    documents = []
    reports, invalid = [], []
    used = set()  # the baseline's entries that matched a finding, in any spec
    pending = []  # the last report, not shown until the run knows which baseline entries are stale
    shown = []

    def show(report) -> None:
        if as_examples:
            click.echo(_evidence_examples(report), nl=False)
        elif fmt in ("sarif", "junit"):
            pass
        elif fmt == "markdown":  # a blank line ends the previous spec's last table before the heading
            click.echo(("\n" if shown else "") + render_markdown(report), nl=False)
        elif fmt == "json":
            documents.append(report_json(report))
        else:
            click.echo(render_text(report, colour=_colour()), nl=False)
        shown.append(report)

    def reject(unit, diagnostics) -> None:
        while pending:
            show(pending.pop())
        for d in diagnostics:
            click.echo(render_diagnostic(d), err=True)
        if fmt == "json":
            documents.append(invalid_json(unit.name, diagnostics))
        invalid.append((unit.name, diagnostics))
        n = len(diagnostics)
        click.echo(f"{unit.name}: {n} {'error' if n == 1 else 'errors'} in the input; nothing was checked", err=True)

    for unit in units:
        stages = []
        started = time.perf_counter()
        try:
            history = split(unit.name, parse_unit(unit))
            stages.append(("parse", time.perf_counter() - started))
            t = time.perf_counter()
            spec = law_of(history, as_of, find_proposals(history, list(proposals)))
            stages.append(("resolve", time.perf_counter() - t))
        except UsageError as err:
            click.echo(f"legalmodel: {err}", err=True)
            sys.exit(EXIT_INPUT)
        except SpecErrors as err:
            reject(unit, err.diagnostics)
            continue
        t = time.perf_counter()
        chosen = find_proposals(history, list(proposals))
        applied = [a for a in history.amendments if as_of is None or a.date <= as_of] + chosen
        # each amendment's contracts are one more task for the analyses' processes
        contracts = tuple(("contracts", functools.partial(_contract_task, history, a, int(timeout * 1000), as_of))
                          for a in applied if a.contracts)
        try:
            report = analyse(spec, int(timeout * 1000), _progress(unit.name), jobs=jobs or default_jobs(spec),
                             extra=contracts)
        except Disagreement as err:
            click.echo(f"legalmodel: internal error: {err}\nplease report this: the two implementations "
                       "of the semantics disagree", err=True)
            sys.exit(EXIT_INTERNAL)
        try:
            for findings in report.extra:
                if isinstance(findings, Exception):
                    raise findings
                report.findings.extend(findings)
        except SpecErrors as err:
            reject(unit, err.diagnostics)
            continue
        except Disagreement as err:
            click.echo(f"legalmodel: internal error: {err}", err=True)
            sys.exit(EXIT_INTERNAL)
        used |= apply_acceptances(report, baseline)
        stages.append(("analyse", time.perf_counter() - t))
        reports.append(report)
        while pending:
            show(pending.pop())
        pending.append(report)
        if timings:
            parts = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in stages)
            detail = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in report.timings.items())
            click.echo(f"{unit.name}: {parts} ({detail}); {report.questions} solver questions", err=True)
    if pending and not invalid:
        # a baseline entry is stale only if it matched nothing in every spec of the run; that is
        # reported once, with the last spec (when a spec could not be read, nobody can tell)
        pending[0].findings.extend(stale_baseline(baseline, used))
    while pending:
        show(pending.pop())
    statuses = {status(r) for r in reports}
    exit_code = (EXIT_INPUT if invalid else EXIT_FINDINGS if "findings" in statuses
                 else EXIT_UNKNOWN if "unknown" in statuses else EXIT_CLEAN)
    if fmt == "sarif" and not as_examples:
        from .report_sarif import sarif_document

        click.echo(dumps(sarif_document(reports, invalid)), nl=False)
    if fmt == "junit" and not as_examples:
        from .report_junit import junit_document

        click.echo(junit_document(reports, invalid), nl=False)
    if fmt == "json" and not as_examples:
        overall = {EXIT_CLEAN: "clean", EXIT_FINDINGS: "findings", EXIT_INPUT: "invalid",
                   EXIT_UNKNOWN: "unknown"}[exit_code]
        click.echo(dumps({"schema": "legalmodel.check/1", "status": overall, "specs": documents}), nl=False)
    sys.exit(exit_code)


def _single_unit(path: str):
    units = discover([path])
    if len(units) != 1:
        raise UsageError(f"`{path}` holds {len(units)} specs; name one of them: "
                         + ", ".join(u.name for u in units))
    return units[0]


def _contracts(amendment, new_spec) -> list:
    """An amendment's contracts, typed against the law it produces."""
    from .resolve import resolve_condition

    out = []
    for c in amendment.contracts:
        condition = resolve_condition(new_spec, c.condition) if c.kind == "unchanged" else None
        text = " ".join(c.span.text().split())
        out.append((amendment.name, c.kind, text, condition, c.action.text if c.action else None))
    return out


def _emit_diff(result, fmt: str) -> int:
    from .report_diff import diff_json, render_diff_markdown, render_diff_text

    if fmt == "json":
        click.echo(dumps(diff_json(result)), nl=False)
    elif fmt == "markdown":
        click.echo(render_diff_markdown(result), nl=False)
    else:
        click.echo(render_diff_text(result), nl=False)
    if result.broken_contracts:
        return EXIT_FINDINGS
    if result.unknown or any(c.holds is None for c in result.contracts):
        return EXIT_UNKNOWN
    return EXIT_CLEAN


def _guarded(body):
    """Run a command body; bad input and usage errors become diagnostics and exit 2."""
    try:
        return body()
    except UsageError as err:
        click.echo(f"legalmodel: {err}", err=True)
        sys.exit(EXIT_INPUT)
    except SpecErrors as err:
        for d in err.diagnostics:
            click.echo(render_diagnostic(d), err=True)
        sys.exit(EXIT_INPUT)
    except Disagreement as err:
        click.echo(f"legalmodel: internal error: {err}\nplease report this: the two implementations "
                   "of the semantics disagree", err=True)
        sys.exit(EXIT_INTERNAL)


DIFF_HELP = """Show every situation in which the outcome changes between two versions of a law,
and why.

\b
The versions can be:
  two specs:                     legalmodel diff old/ new/
  two specs on one date:         legalmodel diff old/ new/ --as-of 2016-10-05
  one spec on two dates:         legalmodel diff specs/osl --from 2016-10-05 --to 2020-08-01
  before and after an amendment: legalmodel diff specs/osl --amendment 2020:575
  with and without a proposal:   legalmodel diff specs/osl --as-of 2016-10-05 --proposal motion.lm
\b
For each act and each change of outcome (forbidden → permitted, …) the
changed situations are listed as conditions on the facts; the list is
complete (every changed situation falls under one item) and exact (every
situation under an item changes). Each item has an example and the
provisions that decided before and after. Goals and examples are compared,
and the amendment's contracts (`contract only widens …`) are checked.
\b
Exit status: 0 done, 1 a contract is broken, 2 bad input, 3 undecided in time.
"""


@main.command("diff", help=DIFF_HELP)
@click.argument("paths", nargs=-1, required=True, metavar="SPEC [NEW_SPEC]")
@click.option("--from", "date_from", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help="the earlier version: the law in force on this date")
@click.option("--to", "date_to", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help="the later version: the law in force on this date")
@click.option("--as-of", "as_of", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help="with --proposal: the date of the law the proposal is applied to; "
                   "with two specs: the date of both")
@click.option("--amendment", metavar="SFS|FILE|TITLE", help="compare the law just before and just after this amendment")
@click.option("--proposal", metavar="FILE|TITLE", help="compare the law without and with this proposal")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="markdown is fit to paste into a review of the amendment")
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help="seconds the solver may spend on each question")
@click.option("--as-examples", "as_examples", is_flag=True,
              help="print each changed situation as an `example` block with its new verdict")
@JOBS_OPTION
def diff_command(paths, date_from, date_to, as_of, amendment, proposal, fmt, timeout, as_examples, jobs) -> None:
    from .diff import diff
    from .history import around, find_amendments

    timeout_ms = int(timeout * 1000)

    def body():
        if len(paths) > 2:
            raise UsageError("give one spec (with --from/--to, --amendment or --proposal) or two specs")
        if amendment and proposal:
            raise UsageError("give --amendment or --proposal, not both: each compares the law without and with one act")
        change = "--amendment" if amendment else "--proposal" if proposal else None
        dates = " and ".join(o for o, v in (("--from", date_from), ("--to", date_to)) if v)
        if change and dates:
            raise UsageError(f"{change} compares the law just before and after the act; it cannot be combined "
                             f"with {dates}, which compare two dates")
        if as_of and dates:
            raise UsageError(f"give --as-of or {dates}, not both: --as-of is the one date of both versions")
        if len(paths) == 2:
            if change:
                raise UsageError(f"{change} compares one spec without and with the act; with two specs, "
                                 "leave it out (or give one spec)")
            old_h = history_of(_single_unit(paths[0]))
            new_h = history_of(_single_unit(paths[1]))
            old_date, new_date = (as_of, as_of) if as_of else (date_from, date_to)
            old = law_of(old_h, old_date)
            new = law_of(new_h, new_date)
            return diff(old, new, timeout_ms, _label(paths[0], old_date), _label(paths[1], new_date),
                        progress=_progress("diff"), jobs=jobs or default_jobs(old, new))
        history = history_of(_single_unit(paths[0]))
        if amendment or proposal:
            wanted = amendment or proposal
            matches = find_amendments(history, wanted)
            if not matches:
                names = ", ".join(x.name for x in history.amendments + history.proposals) or "none"
                raise UsageError(f"no amendment or proposal `{wanted}` in {history.name}; it has: {names}")
            if len(matches) > 1:
                listed = "; ".join(f"{x.name} “{x.decl.title}” ({x.decl.span.location()})" for x in matches)
                raise UsageError(f"`{wanted}` names {len(matches)} amendments in {history.name}: {listed}; "
                                 f"name one by its title, like {change} \"{matches[0].decl.title}\"")
            a = matches[0]
            if as_of and not a.is_proposal:
                raise UsageError(f"--as-of does not apply to {a.name}: an amendment is compared on its own date "
                                 f"({a.date}); --as-of is for a proposal, which has none")
            before_files, after_files = around(history, a, as_of)
            date = a.date or as_of
            old = resolve(history.name, before_files, date)
            new = resolve(history.name, after_files, date)
            where = f" on {date}" if date else ""
            return diff(old, new, timeout_ms, f"{history.name}{where} without {a.name}",
                        f"{history.name}{where} with {a.name}", _contracts(a, new), progress=_progress("diff"),
                        jobs=jobs or default_jobs(old, new))
        if as_of:
            raise UsageError("with one spec, --as-of is the date of the law a --proposal is applied to; "
                             "to compare two dates, give --from and --to")
        if date_from is None and date_to is None:
            raise UsageError("with one spec, say what to compare: --from/--to, --amendment or --proposal")
        old = law_of(history, date_from)
        new = law_of(history, date_to)
        contracts = [functools.partial(_contract_results, history, a, timeout_ms) for a in history.amendments
                     if a.contracts and (date_from is None or a.date > date_from) and (date_to is None or a.date <= date_to)]
        return diff(old, new, timeout_ms, _label(history.name, date_from), _label(history.name, date_to),
                    progress=_progress("diff"), jobs=jobs or default_jobs(old, new), extra=contracts)

    result = _guarded(body)
    if as_examples:
        click.echo(_change_examples(result), nl=False)
        sys.exit(EXIT_FINDINGS if result.broken_contracts else EXIT_CLEAN)
    sys.exit(_emit_diff(result, fmt))


def _change_examples(result) -> str:
    """Each changed situation as an example of the new law (facts that can matter, new verdict)."""
    from .analyse import relevant_facts
    from .explain import example_block

    blocks = []
    for (action, old, new), items in result.changes.items():
        facts = set(relevant_facts(result.old, {action})) | set(relevant_facts(result.new, {action}))
        for i, c in enumerate(items, 1):
            given = {k: c.situation[k] for k in result.new.facts if k in facts}
            blocks.append(example_block(f"{action}: {old} → {new} ({i})", given, {action: new}))
    return "\n".join(blocks)


def _read_baseline(path: str) -> tuple:
    """Accepted findings from a baseline file; a file that cannot be used is a usage error (exit 2)."""
    from .baseline import read_baseline

    try:
        return read_baseline(path)
    except UsageError as err:
        click.echo(f"legalmodel: {err}", err=True)
        sys.exit(EXIT_INPUT)


def _evidence_examples(report) -> str:
    """Each evidence situation as an example block: the facts that can matter to the act, and
    the verdict the spec gives there (so the block passes as a regression test)."""
    from .analyse import relevant_facts
    from .explain import example_block

    spec = report.spec
    blocks = []
    for f in report.findings:
        for i, ev in enumerate(f.evidence, 1):
            actions = [f.action] if f.action in spec.actions else list(spec.actions)
            facts = set()
            for a in actions:
                facts |= set(relevant_facts(spec, {a}))
            given = {k: ev.situation[k] for k in spec.facts if k in facts and k in ev.situation}
            title = f"{f.kind}: {f.subject}" + (f" ({i})" if len(f.evidence) > 1 else "")
            blocks.append(example_block(title.replace('"', "'"), given, {a: ev.verdicts[a] for a in actions
                                                                         if a in ev.verdicts}))
    return "\n".join(blocks)


def _contract_task(history, amendment, timeout_ms, as_of: str | None):
    """_contract_findings, with what stops it (bad input, a disagreement) as its result: it
    is raised where one process would have raised it, after the analyses."""
    try:
        return _contract_findings(history, amendment, timeout_ms, as_of)
    except (SpecErrors, Disagreement) as err:
        return err


def _contract_findings(history, amendment, timeout_ms, as_of: str | None = None) -> list:
    """Broken or undecided contracts of an amendment, as findings of `check` (a proposal's on
    the law in force on `as_of`, as `diff --as-of … --proposal` checks them)."""
    from .analyse import Evidence, Finding

    findings = []
    for decl, result in zip(amendment.contracts, _contract_results(history, amendment, timeout_ms, as_of)):
        if result.holds:
            continue
        if result.holds is None:
            findings.append(Finding("unknown", "error", f"could not decide whether {amendment.name} keeps "
                                    f"`{result.text}` within the time limit ({result.reason})",
                                    amendment.name, decl.span, identity=(result.text,)))
            continue
        evidence = ()
        details = (result.reason,) if result.reason else ()
        c = result.counterexample
        if c is not None:
            evidence = (Evidence(c.situation, c.conditions, {c.action: c.new}, c.new_in_force, (),
                                 label=f"`{c.action}` goes from {c.old} to {c.new}"),)
            details = (f"before: {c.old} by {', '.join(c.old_deciding) or 'no provision'}; "
                       f"after: {c.new} by {', '.join(c.new_deciding) or 'no provision'}",)
        findings.append(Finding("broken-contract", "error",
                                f"{amendment.name} breaks its contract `{result.text}`",
                                amendment.name, decl.span, c.action if c else None,
                                tuple(c.new_deciding) if c else (), evidence, details,
                                identity=(result.text,)))
    return findings


def _count(n: int, noun: str) -> str:
    """`1 amendment`, `2 amendments`, `0 proposals`."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _label(name: str, date: str | None) -> str:
    return f"{name} on {date}" if date else f"{name} as last amended"


def _contract_results(history, amendment, timeout_ms, as_of: str | None = None):
    """Check an amendment's contracts on the law just before and just after it: a dated
    amendment on its own date; a proposal on the law in force on `as_of` (None: as last
    amended)."""
    from .diff import ContractResult, Differ
    from .history import around, same_rules
    from .syntax import BoolLit

    before_files, after_files = around(history, amendment, as_of)
    if same_rules(before_files, after_files) and all(
            c.kind == "unchanged" and isinstance(c.condition, BoolLit) for c in amendment.contracts):
        # the same rules before and after, and contracts with nothing to type: all hold
        return [ContractResult(amendment.name, " ".join(c.span.text().split()), True) for c in amendment.contracts]
    date = amendment.date or as_of
    old = resolve(history.name, before_files, date, rules_only=True)
    new = resolve(history.name, after_files, date, rules_only=True)
    d = Differ(old, new, timeout_ms)
    return [d.contract(*c) for c in _contracts(amendment, new)]


IMPACT_HELP = """Show what one provision still decides: every situation whose outcome would change
if the provision were taken out, in the same form as `diff`.

\b
If nothing changes, the provision is redundant in this spec.
\b
Examples:
    legalmodel impact specs/osl "10 kap. 18 a §" --as-of 2025-12-01
    legalmodel impact law.lm "OSL 10:27"
"""


@main.command("impact", help=IMPACT_HELP)
@click.argument("path", metavar="SPEC")
@click.argument("citation", metavar="CITATION", nargs=-1, required=True)
@click.option("--as-of", "as_of", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help="the law in force on this date")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help="seconds the solver may spend on each question")
@JOBS_OPTION
def impact_command(path, citation, as_of, fmt, timeout, jobs) -> None:
    from .diff import diff, without_provision

    citation = " ".join(citation)  # `10 kap. 18 a §` may come quoted or as several words

    def body():
        history = history_of(_single_unit(path))
        spec = law_of(history, as_of)
        pid = find_provision(spec, citation, history)
        return diff(spec, without_provision(spec, pid), int(timeout * 1000),
                    f"{spec.name} with {pid}", f"{spec.name} without {pid}", progress=_progress("impact"),
                    jobs=jobs or default_jobs(spec))

    result = _guarded(body)
    sys.exit(_emit_diff(result, fmt))


EXPLAIN_HELP = """Explain the outcome for one situation: which provisions applied, which were set
aside and by what, which one decided, and the smallest change of the given
facts after which the outcome is settled as another one.

\b
Give the facts with --given; facts you leave out may take any value, and the
answer says whether the outcome is settled or which facts it depends on. A
fact you leave out is shown as not stated, never with a value.
\b
Examples:
    legalmodel explain specs/osl --as-of 2016-10-05 --given ålder=25 --given mottagare=polismyndigheten
    legalmodel explain law.lm --given konkret_risk --given "not olämpligt" --why-not permitted
    legalmodel explain law.lm --given ålder=19 --as-example
"""


@main.command("explain", help=EXPLAIN_HELP)
@click.argument("path", metavar="SPEC")
@click.option("--given", "given", multiple=True, metavar="FACT=VALUE",
              help="a fact of the situation (repeat it); `fact` alone means true, `not fact` false")
@click.option("--as-of", "as_of", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help="the law in force on this date")
@click.option("--action", "actions", multiple=True, help="explain only this act (repeatable)")
@click.option("--why-not", "why_not", type=click.Choice(["permitted", "forbidden", "obligatory", "undecided"]),
              help="also say why the outcome is not this one")
@click.option("--as-example", is_flag=True, help="print the situation as an `example` block to paste into the spec")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help="seconds the solver may spend on each question")
def explain_command(path, given, as_of, actions, why_not, as_example, fmt, timeout) -> None:
    from .explain import Explainer, parse_given
    from .report_explain import explain_json, render_explain_text

    def body():
        spec = law_of(history_of(_single_unit(path)), as_of)
        for a in actions:
            if a not in spec.actions:
                raise UsageError(f"the spec has no action `{a}`; its actions: {', '.join(spec.actions)}")
        try:
            situation = parse_given(spec, list(given))
            return Explainer(spec, int(timeout * 1000)).explain(situation, list(actions) or None, why_not)
        except ValueError as err:
            raise UsageError(str(err)) from None

    x = _guarded(body)
    if as_example:
        click.echo(_explained_examples(x), nl=False)
    elif fmt == "json":
        click.echo(dumps(explain_json(x)), nl=False)
    else:
        click.echo(render_explain_text(x), nl=False)
    sys.exit(EXIT_UNKNOWN if any(a.unknown for a in x.actions) else EXIT_CLEAN)


def _explained_examples(x) -> str:
    """The explained situation as `example` blocks that pass when pasted into the spec: one
    block with the settled verdicts; where a verdict is not settled, a comment saying what it
    depends on and one block per possible verdict, with the given facts and the facts that
    settle it there."""
    from .explain import example_block
    from .report import _value_text

    def title(facts: dict) -> str:
        return "explained: " + (", ".join(f"{k} = {_value_text(v)}" for k, v in facts.items()) or "any situation")

    settled = {a.action: a.verdict for a in x.actions if a.settled}
    open_ = [a for a in x.actions if not a.settled and not a.unknown]
    if not open_:
        return example_block(title(x.given), x.given, settled)
    blocks = []
    for a in open_:
        depends = ", ".join(f"`{f}`" for f in a.depends_on)
        lines = [f"# `{a.action}` is not settled by the given facts: it can be {' or '.join(a.possible)}; "
                 f"it depends on {depends}. One example for each:"]
        for comp in a.completions:
            facts = dict(x.given)  # the given facts, then those that settle the verdict here
            for c in comp["conditions"]:
                facts[c.fact] = comp["situation"][c.fact]
            lines.append(example_block(title(facts), facts, {**settled, a.action: comp["verdict"]}).rstrip("\n"))
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


HISTORY_HELP = """List the law's amendments and every wording each provision has had, with the
dates each wording was in force.

\b
Examples:
    legalmodel history specs/osl
    legalmodel history specs/osl "10 kap. 18 a §"
"""


@main.command("history", help=HISTORY_HELP)
@click.argument("path", metavar="SPEC")
@click.argument("citation", nargs=-1, metavar="[CITATION]")
def history_command(path, citation) -> None:
    from .citations import Citation

    citation = " ".join(citation) or None  # quoted or as several words
    from .history import all_versions

    def body():
        history = history_of(_single_unit(path))
        return history, all_versions(history)

    history, versions = _guarded(body)
    wanted = None
    if citation:
        c = _guarded(lambda: citation_argument(citation))
        wanted = (c.law, c.chapter, c.paragraph, c.letter, c.stycke, c.punkt)
    lines = []
    if not citation:
        lines.append(f"{history.name}: {_count(len(history.amendments), 'amendment')}, "
                     f"{_count(len(history.proposals), 'proposal')}")
        for a in history.amendments:
            lines.append(f"  {a.date}  {a.name}  “{a.decl.title}”  ({a.decl.span.location()})")
        for a in history.proposals:
            lines.append(f"  proposal    “{a.decl.title}”  ({a.decl.span.location()})")
        lines.append("")
    shown = 0
    for key in sorted(versions, key=lambda k: (k[0] or "", k[1] or -1, k[2], k[3], k[4] or 0, k[5] or 0)):
        if wanted is not None and (key[1:] != wanted[1:] or (wanted[0] and key[0] != wanted[0])):
            continue
        shown += 1
        name = Citation(key[0] or "", *key[1:]).swedish()
        lines.append(name)
        for v in versions[key]:
            span = f"{v.since or 'before the base'} – {v.until or 'in force'}"
            certainty = v.provision.provenance.certainty or "certainty not stated"
            lines.append(f"  {span.ljust(32)} {v.by.ljust(14)} “{v.provision.title}” ({certainty}; "
                         f"{v.provision.span.location()})")
    if citation and not shown:
        click.echo(f"legalmodel: {history.name} has never had {citation}", err=True)
        sys.exit(EXIT_INPUT)
    click.echo("\n".join(lines).rstrip() + "\n", nl=False)


FMT_HELP = """Rewrite spec files in the one canonical layout, keeping their comments.

\b
Formatting never changes what a spec means. With --check nothing is written:
the command lists the files that would change and exits 1 if there are any
(for CI and pre-commit).
\b
Examples:
    legalmodel fmt specs/
    legalmodel fmt --check specs/
    legalmodel fmt - < law.lm      (prints the formatted text)
"""


@main.command("fmt", help=FMT_HELP)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--check", "check_only", is_flag=True, help="change nothing; exit 1 if any file would change")
def fmt_command(paths, check_only) -> None:
    from .format import format_file
    from .pipeline import STDIN, STDIN_NAME
    from .reading import write_in_place

    files = []
    try:
        for unit in discover(list(paths)):
            files.extend((path, unit.folder) for path in unit.files)
    except UsageError as err:
        click.echo(f"legalmodel: {err}", err=True)
        sys.exit(EXIT_INPUT)
    changed, broken = [], 0
    for path, folder in files:
        try:
            formatted, differs = format_file(path, folder)
        except SpecErrors as err:
            for d in err.diagnostics:
                click.echo(render_diagnostic(d), err=True)
            broken += 1
            continue
        if path == STDIN and not check_only:  # `fmt -`, for an editor: the text, changed or not
            click.echo(formatted, nl=False)
            continue
        if differs:
            changed.append(path)
            if check_only:
                click.echo(f"would reformat {STDIN_NAME if path == STDIN else path}")
            else:
                try:
                    write_in_place(path, formatted, folder)
                except OSError as err:
                    click.echo(f"legalmodel: cannot write `{path}`: {err.strerror or err}", err=True)
                    broken += 1
                    continue
                click.echo(f"reformatted {path}")
    if broken:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if check_only and changed else EXIT_CLEAN)


INIT_HELP = """Create a new spec repository in DIR: one example spec, a README and a CI
workflow that checks the specs on every change. The new repository passes
`legalmodel check` and `legalmodel fmt --check` as created.

\b
Example:
    legalmodel init my-law && cd my-law && legalmodel check specs/
"""


@main.command("init", help=INIT_HELP)
@click.argument("directory", metavar="DIR")
def init_command(directory) -> None:
    from pathlib import Path

    from .scaffold import FILES

    root = Path(directory)
    if root.exists() and not root.is_dir():
        click.echo(f"legalmodel: `{directory}` is a file; choose a new folder", err=True)
        sys.exit(EXIT_INPUT)
    if root.exists() and any(root.iterdir()):
        click.echo(f"legalmodel: `{directory}` exists and is not empty; choose a new folder", err=True)
        sys.exit(EXIT_INPUT)
    for relative, text in FILES.items():
        target = root / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as e:
            click.echo(f"legalmodel: cannot create `{target}`: {e.strerror or e}", err=True)
            sys.exit(EXIT_INPUT)
        click.echo(f"created {target}")
    sys.exit(EXIT_CLEAN)


def citation_argument(text: str):
    """A citation given as the CITATION argument, or a usage error that names the argument,
    the text and what was expected (a diagnostic would point into no file)."""
    from .parse import parse_citation

    try:
        return parse_citation(text)
    except SpecErrors as err:
        if "more than one paragraph" in err.diagnostics[0].message:
            raise UsageError(f"the CITATION argument `{text}` names more than one paragraph; "
                             "name one, like `10 kap. 18 a §`") from None
        raise UsageError(f"the CITATION argument `{text}` is not a citation; expected one paragraph, "
                         "like `10 kap. 18 a §`, `10 kap. 18 a § OSL` or `OSL 10:18 a`") from None


def find_provision(spec, text: str, history=None) -> str:
    """The id of the provision a command-line citation names, or a usage error that suggests
    one. A citation without a law's name means the one provision of that number in any law of
    the spec (as `history` reads it); if several laws have one, the law must be named. With the
    law's `history`, a provision not in force on the spec's date is said to be not yet in force
    (or no longer), with the act and the date."""
    from .citations import Citation
    from .diagnostics import suggest

    c = citation_argument(text)
    number = (c.chapter, c.paragraph, c.letter, c.stycke, c.punkt)
    matches = [pid for pid, p in spec.provisions.items()
               if (p.citation.chapter, p.citation.paragraph, p.citation.letter, p.citation.stycke,
                   p.citation.punkt) == number and (c.law is None or p.citation.law == c.law)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(f"`{text}` names a provision in {len(matches)} laws: {', '.join(matches)}; "
                         f"name the law, like `{matches[0]}`")
    if history is not None:
        _not_in_force(history, spec.as_of, c, number)
    laws = list(spec.laws)
    law = c.law or (laws[0] if len(laws) == 1 else "")
    pid = Citation(law, *number).swedish(with_law=bool(law))
    hint = suggest(pid, spec.provisions)
    raise UsageError(f"the spec has no provision {pid}" + (f"; {hint}" if hint else ""))


def _not_in_force(history, as_of: str | None, c, number: tuple) -> None:
    """A usage error for a provision the law has had, or will have, but not on `as_of`: not
    yet in force (with the act and the date it enters into force), or no longer in force."""
    from .citations import Citation
    from .history import all_versions

    versions = [v for key, vs in all_versions(history).items()
                if key[1:] == number and (c.law is None or key[0] == c.law) for v in vs]
    if not versions:
        return
    key = versions[0].key
    name = Citation(key[0] or "", *key[1:]).swedish(with_law=bool(key[0]))
    when = f"on {as_of}" if as_of else "as last amended"
    later = sorted((v for v in versions if v.since and as_of and v.since > as_of), key=lambda v: v.since)
    if later:
        v = later[0]
        act = v.by if v.by != "base" else (v.provision.provenance.sfs or "its act")
        raise UsageError(f"{name} is not yet in force {when}: {act} puts it into force on {v.since}; "
                         f"give --as-of {v.since} or later")
    ended = sorted((v for v in versions if v.until and (as_of is None or v.until <= as_of)),
                   key=lambda v: v.until)
    if ended:
        raise UsageError(f"{name} is no longer in force {when}: it was in force until {ended[-1].until}; "
                         f"give an --as-of before {ended[-1].until}")


def _progress(name: str):
    """Progress on stderr for a run that takes more than two seconds, on a terminal only."""
    if not sys.stderr.isatty():
        return None
    started = time.perf_counter()
    shown = [False]

    def report(step: str | None, done: int, total: int) -> None:
        if step is None:  # finished: the line is cleared for what comes after
            if shown[0]:
                sys.stderr.write("\r\033[K")
                sys.stderr.flush()
            return
        if time.perf_counter() - started < 2.0:
            return
        where = f" {done}/{total}" if total else ""
        sys.stderr.write(f"\r\033[K{name}: {step}{where}")
        sys.stderr.flush()
        shown[0] = True

    return report


def _colour() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _date(value: str | None) -> str | None:
    """A date as YYYY-MM-DD, checked; a usage error (exit 2) otherwise."""
    if value is None:
        return None
    import datetime
    import re

    # only YYYY-MM-DD: date.fromisoformat also takes 20161005 and 2016-W40-3
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise click.BadParameter(f"`{value}` is not a date; write it as YYYY-MM-DD, like 2016-10-05")
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"`{value}` is not a date of the calendar; write it as YYYY-MM-DD, "
                                 "like 2016-10-05") from None


# A run builds a spec's tree, model and encoding once and keeps them to the end, so the young
# generation is collected every 50,000 allocations instead of every 700 (resolving the
# generated 10,000-provision spec took 2.6-3.2 s with Python's defaults, 1.2-1.4 s with
# that), and the older ones, which hold what lasts the whole run, hardly ever: every 20
# young collections instead of 1,000 took 1.7 s of collecting in that spec's `check` and
# 2.3 s in its `diff`, against 0.6 s and 1.0 s, at the same peak memory (2026-12-02)
GC_THRESHOLDS = (50_000, 1_000, 1_000)


def run() -> None:
    """Console entry point: never a traceback for a user's mistake. The process ends as soon
    as its output is written (_leave)."""
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        _run()
    except SystemExit as done:
        _leave(done.code)


def _leave(code) -> None:
    """End the process with `code` (as sys.exit takes it) once its output is flushed, without
    tearing down what it built: freeing a large spec's trees and solvers one object at a time
    took 0.7-0.8 s of the generated 10,000-provision spec's `check` (2026-12-02), and
    nothing is left to do by then (a worker process has ended before its results are read)."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message goes to stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`) or stream: nothing more can be written
            pass
    os._exit(status)


def _run() -> None:
    try:
        main(standalone_mode=True)
    except RecursionError:
        click.echo("legalmodel: the input is nested too deeply to process", err=True)
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        click.echo("legalmodel: interrupted", err=True)
        sys.exit(130)
    except Exception as err:  # a bug in legalmodel: say so plainly, without a traceback
        if os.environ.get("LEGALMODEL_DEBUG"):
            raise
        click.echo(f"legalmodel: internal error ({type(err).__name__}: {err})\n"
                   "please report this; set LEGALMODEL_DEBUG=1 to see where it happened", err=True)
        sys.exit(EXIT_INTERNAL)


def _paragraphs(text: str | None) -> str | None:
    """Click keeps a paragraph's layout when it starts with a `\\b` line; that line must follow
    a blank one, or the marker is printed as a raw character."""
    if not text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if line == "\b" and out and out[-1].strip():
            out.append("")
        out.append(line)
    return "\n".join(out)


for _command in (main, *main.commands.values()):
    _command.help = _paragraphs(_command.help)


if __name__ == "__main__":
    run()
