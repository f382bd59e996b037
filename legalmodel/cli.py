"""The command line: `legalmodel check` and friends, for drafters and for CI.

Exit status: 0 the spec is consistent and every goal and example holds; 1 there are
findings; 2 the input is bad (a diagnostic names file, line and column) or the command was
used wrongly; 3 no findings, but some question could not be decided within the time limit;
4 an internal error (the solver and the evaluator disagreed: please report it).
"""

from __future__ import annotations

import gc
import os
import re
import sys
import time

import click

from . import __version__
from . import api, clicktext, i18n
from .i18n import N_, _, ngettext
from .analyses.certify import Disagreement
from .syntax.diagnostics import SpecError
from .pipeline import UsageError, discover
from .reports.check import (check_document, dumps, printable, render_diagnostics, render_invalid_markdown,
                            render_markdown, render_text)
from .results import InvalidSpec

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_UNKNOWN, EXIT_INTERNAL = 0, 1, 2, 3, 4


def _language_asked(argv: list[str]) -> str | None:
    """`--lang X` or `--lang=X` among the arguments, read before click parses them: the help
    texts are in the language asked for, and they are written before the options are read."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


i18n.use(i18n.choose(_language_asked(sys.argv[1:])))
clicktext.install()  # click's own words (Usage:, Options, Error: …) from our catalogue


class Seconds(click.ParamType):
    """A time limit in seconds: a finite number from 0.001 to a day."""

    name = "seconds"

    def convert(self, value, param, ctx):
        import math

        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(_("`{value}` is not a number of seconds").format(value=value), param, ctx)
        if not math.isfinite(seconds) or not 0.001 <= seconds <= 86_400:
            self.fail(_("`{value}` is not a time limit from 0.001 to 86400 seconds").format(value=value), param, ctx)
        return seconds


SECONDS = Seconds()
# a spec file or folder, or `-` for standard input: typed as a path so that the shell completes
# file names (docs/ci.md, "Shell completion"); whether it exists is for discover() to say
SPEC_PATH = click.Path(allow_dash=True, readable=False)

MAIN_HELP = _("""Check the provisions of a law, written as a spec, for contradictions, gaps,
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
""")


@click.group(help=MAIN_HELP, subcommand_metavar=_("COMMAND [ARGS]..."), context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="legalmodel")
@click.option("--lang", type=click.Choice(i18n.LANGUAGES), metavar="sv|en",
              help=_("the language of messages and prose (default: the spec's `language`, else the locale's, "
                     "else English)"))
@click.pass_context
def main(ctx: click.Context, lang: str | None) -> None:
    ctx.obj = {"lang": lang}
    i18n.use(i18n.choose(lang))
    i18n.ask(lang)


def _speak(spec: "object | None" = None) -> str:
    """Speak the language for this spec: `--lang`, else its `language`, else the locale's."""
    ctx = click.get_current_context(silent=True)
    requested = (ctx.find_root().obj or {}).get("lang") if ctx is not None else None
    language = i18n.choose(requested, getattr(spec, "language", None))
    i18n.use(language)
    return language


def _width() -> int:
    """Where text is wrapped: `COLUMNS` when set, else the terminal's width, else 100 (a
    file or a pipe gets the same bytes wherever it is written)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 40:
        return int(columns)
    if sys.stdout.isatty():
        import shutil

        return max(40, shutil.get_terminal_size((100, 24)).columns)
    return 100


JOBS_OPTION = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), metavar="N",
    help=_("processes to share the questions among (default: one per usable core for specs of up to "
         "2,000 provisions, two up to 20,000, one for larger ones, whose solvers take most of the memory; "
         "a diff counts its larger version; Linux only, elsewhere one); the output is the same for any N"))

CHECK_HELP = _("""Check one or more specs and report every finding with evidence.

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
""")


@main.command("check", help=CHECK_HELP)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", type=SPEC_PATH)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit", "markdown", "github"]),
              default="text", show_default=True,
              help=_("text for people; json for programs (schema legalmodel.check/1, see docs/json.md); "
                   "sarif for code scanning; junit for test dashboards (goals, examples and each spec's "
                   "consistency as tests); markdown for a review; github for GitHub Actions (the text, and "
                   "each finding as an annotation on the pull request; the markdown goes to "
                   "$GITHUB_STEP_SUMMARY when it is set)"))
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help=_("seconds the solver may spend on each question; a question not decided in time is reported as unknown"))
@click.option("--as-of", "as_of", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help=_("check the law in force on this date (amendments in force by then are applied); "
                   "without it, every dated amendment is applied"))
@click.option("--proposal", "proposals", multiple=True, metavar="FILE|TITLE",
              help=_("also apply this proposal (an amendment without a date), after the dated ones"))
@click.option("--notation", type=click.Choice(["prose", "logic"]), default="prose", show_default=True,
              help=_("how the text shows situations: prose, with the verdict first and each finding as a "
                     "paragraph; or logic, the formulas (¬, ∧, ∈) and tables of earlier versions"))
@click.option("--timings", is_flag=True, help=_("print the time each stage took, on stderr"))
@click.option("--as-examples", "as_examples", is_flag=True,
              help=_("print every situation shown as evidence as an `example` block, ready to paste into the spec"))
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help=_("a JSON file of accepted findings: {\"accepted\": [{\"id\": \"COL-…\", \"justification\": \"…\"}]}"))
@click.option("--sarif", "sarif_file", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help=_("also write the SARIF log to FILE, from the same run (for code scanning beside another format)"))
@click.option("--coverage", is_flag=True,
              help=_("also a finding (uncovered-provision, COV-…) for each provision that decides in none of the "
                     "spec's examples and --cases; accept one in the baseline with a justification"))
@click.option("--cases", "case_tables", multiple=True, type=click.Path(dir_okay=False), metavar="CSV",
              help=_("with --coverage: a table of cases (as `legalmodel test` takes) counted too; repeatable; "
                     "one spec only"))
@JOBS_OPTION
def check(paths: tuple[str, ...], fmt: str, timeout: float, as_of: str | None, proposals: tuple[str, ...],
          timings: bool, as_examples: bool, baseline_file: str | None, sarif_file: str | None,
          coverage: bool, case_tables: tuple[str, ...], jobs: int | None, notation: str) -> None:
    from .reports.examples import evidence_examples
    from .reports.reader import render_reader
    from .reports import github
    from .reports.sarif import repository_root

    root = repository_root()
    summary: list[str] = []  # --format github: the Markdown for $GITHUB_STEP_SUMMARY
    baseline = _guarded(lambda: api.read_baseline(baseline_file)) if baseline_file else ()
    # with several specs, the text names each before its findings (its summary line comes last)
    several = len(_guarded(lambda: discover(list(paths)))) > 1
    if case_tables and not coverage:
        click.echo(_("legalmodel: --cases is counted for --coverage; give --coverage too (or run the cases "
                     "with `legalmodel test`)"), err=True)
        sys.exit(EXIT_INPUT)
    if case_tables and several:
        click.echo(_("legalmodel: --cases names the facts of one spec; give one spec with it"), err=True)
        sys.exit(EXIT_INPUT)
    headed = 0
    stages: dict = {}
    outcomes = []
    sarif_messages: dict = {}
    results = api.check_paths(list(paths), as_of, proposals, timeout, jobs, baseline, _progress, stages,
                              coverage, case_tables)
    while True:
        outcome = _guarded(lambda: next(results, None))
        if outcome is None:
            break
        outcomes.append(outcome)
        if not isinstance(outcome, InvalidSpec):
            _speak(outcome.spec)  # every format's words for people: --lang, else the spec's language
            if fmt == "sarif" or sarif_file:  # each result's message in its own spec's language
                from .reports.check import finding_id
                from .reports.sarif import finding_message

                for f in outcome.findings:
                    sarif_messages[(outcome.spec.name, finding_id(outcome.spec.name, f))] = \
                        finding_message(outcome, f, notation)
        if isinstance(outcome, InvalidSpec):
            with i18n.speaking(_diagnostics_language(outcome.diagnostics)):
                for text in render_diagnostics(outcome.diagnostics):
                    click.echo(text, err=True)
                n = len(outcome.diagnostics)
                click.echo(ngettext("{name}: {n} error in the input; nothing was checked",
                                    "{name}: {n} errors in the input; nothing was checked", n).format(
                    name=outcome.name, n=n), err=True)
            with i18n.speaking(_diagnostics_language(outcome.diagnostics)):
                if fmt in ("markdown", "github"):  # a review still shows why nothing was checked
                    summary.append(("\n" if len(outcomes) > 1 else "")
                                   + render_invalid_markdown(outcome.name, outcome.diagnostics))
                if fmt == "markdown":
                    click.echo(summary[-1], nl=False)
                elif fmt == "github":
                    for line in github.invalid_commands(outcome.name, outcome.diagnostics, root):
                        click.echo(line)
            continue
        if timings:
            parts = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in stages[outcome.spec.name])
            detail = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in outcome.timings.items())
            click.echo(ngettext("{spec}: {stages} ({analyses}); {n} solver question",
                                "{spec}: {stages} ({analyses}); {n} solver questions", outcome.questions).format(
                spec=outcome.spec.name, stages=parts, analyses=detail, n=outcome.questions), err=True)
        if as_examples:
            click.echo(evidence_examples(outcome), nl=False)
        elif fmt == "markdown":  # a blank line ends the previous spec's last table before the heading
            click.echo(("\n" if len(outcomes) > 1 else "") + render_markdown(outcome, notation), nl=False)
        elif fmt in ("text", "github") and notation == "prose":
            text = render_reader(outcome, _width(), colour=fmt == "text" and _colour())
            click.echo(("\n" if headed else "") + text, nl=False)
            headed += 1
        elif fmt in ("text", "github"):
            if several:
                heading = f"==> {printable(outcome.spec.name)} <=="
                click.echo(("\n" if headed else "") + (click.style(heading, bold=True) if fmt == "text" and _colour()
                                                       else heading))
                headed += 1
            click.echo(render_text(outcome, colour=fmt == "text" and _colour()), nl=False)
        if fmt == "github" and not as_examples:
            for line in github.report_commands(outcome, root, notation):
                click.echo(line)
            summary.append(("\n" if len(outcomes) > 1 else "") + render_markdown(outcome, notation))
    reports = [o for o in outcomes if not isinstance(o, InvalidSpec)]
    invalid = [(o.name, o.diagnostics) for o in outcomes if isinstance(o, InvalidSpec)]
    statuses = {r.status for r in reports}
    exit_code = (EXIT_INPUT if invalid else EXIT_FINDINGS if "findings" in statuses
                 else EXIT_UNKNOWN if "unknown" in statuses else EXIT_CLEAN)
    if sarif_file:
        from .reports.sarif import sarif_document

        try:
            with open(sarif_file, "w", encoding="utf-8") as out:
                out.write(dumps(sarif_document(reports, invalid, root, notation, sarif_messages)))
        except OSError as err:
            click.echo(_("legalmodel: cannot write the SARIF log `{file}`: {reason}").format(
                file=sarif_file, reason=err.strerror or err), err=True)
            exit_code = EXIT_INPUT
    if fmt == "github":
        problem = github.append_step_summary("".join(summary))
        if problem:
            click.echo(f"legalmodel: {problem}", err=True)
    if as_examples:
        pass
    elif fmt == "sarif":
        from .reports.sarif import sarif_document

        click.echo(dumps(sarif_document(reports, invalid, root, notation, sarif_messages)), nl=False)
    elif fmt == "junit":
        from .reports.junit import junit_document

        click.echo(junit_document(reports, invalid, notation), nl=False)
    elif fmt == "json":
        click.echo(dumps(check_document(outcomes)), nl=False)
    sys.exit(exit_code)


def _emit_diff(result, fmt: str, notation: str = "prose") -> int:
    from .reports.diff import diff_json, render_diff_markdown, render_diff_prose, render_diff_text

    _speak(result.new)
    if fmt == "json":
        click.echo(dumps(diff_json(result)), nl=False)
    elif fmt == "markdown":
        click.echo(render_diff_markdown(result, notation), nl=False)
    elif notation == "prose":
        click.echo(render_diff_prose(result, _width()), nl=False)
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
    except SpecError as err:
        with i18n.speaking(_diagnostics_language(err.diagnostics)):
            for text in render_diagnostics(err.diagnostics):
                click.echo(text, err=True)
        sys.exit(EXIT_INPUT)
    except Disagreement as err:
        click.echo(_("legalmodel: internal error: {error}\nplease report this: the two implementations "
                     "of the semantics disagree").format(error=err), err=True)
        sys.exit(EXIT_INTERNAL)


def _diagnostics_language(diagnostics) -> str:
    """The language the diagnostics are said in (reports/check.py: diagnostics_language)."""
    from .reports.check import diagnostics_language

    return diagnostics_language(diagnostics)


DIFF_HELP = _("""Show every situation in which the outcome changes between two versions of a law,
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
""")


@main.command("diff", help=DIFF_HELP)
@click.argument("paths", nargs=-1, required=True, metavar="SPEC [NEW_SPEC]", type=SPEC_PATH)
@click.option("--from", "date_from", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help=_("the earlier version: the law in force on this date"))
@click.option("--to", "date_to", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help=_("the later version: the law in force on this date"))
@click.option("--as-of", "as_of", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help=_("with --proposal: the date of the law the proposal is applied to; "
                   "with two specs: the date of both"))
@click.option("--amendment", metavar="SFS|FILE|TITLE", help=_("compare the law just before and just after this amendment"))
@click.option("--proposal", metavar="FILE|TITLE", help=_("compare the law without and with this proposal"))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help=_("markdown is fit to paste into a review of the amendment"))
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help=_("seconds the solver may spend on each question"))
@click.option("--as-examples", "as_examples", is_flag=True,
              help=_("print each changed situation as an `example` block with its new verdict"))
@click.option("--notation", type=click.Choice(["prose", "logic"]), default="prose", show_default=True,
              help=_("how the text shows situations: prose, with the verdict first and each finding as a "
                     "paragraph; or logic, the formulas (¬, ∧, ∈) and tables of earlier versions"))
@JOBS_OPTION
def diff_command(paths, date_from, date_to, as_of, amendment, proposal, fmt, timeout, as_examples, jobs,
                 notation) -> None:
    from .reports.examples import change_examples
    from .law.versions import comparison

    def body():
        versions = comparison(list(paths), date_from, date_to, as_of, amendment, proposal, int(timeout * 1000))
        return api.run_comparison(versions, timeout, jobs, _progress("diff"))

    result = _guarded(body)
    if as_examples:
        click.echo(change_examples(result), nl=False)
        sys.exit(EXIT_FINDINGS if result.broken_contracts else EXIT_CLEAN)
    sys.exit(_emit_diff(result, fmt, notation))


IMPACT_HELP = _("""Show what one provision still decides: every situation whose outcome would change
if the provision were taken out, in the same form as `diff`.

\b
If nothing changes, the provision is redundant in this spec.
\b
Examples:
    legalmodel impact specs/osl "10 kap. 18 a §" --as-of 2025-12-01
    legalmodel impact law.lm "OSL 10:27"
""")


@main.command("impact", help=IMPACT_HELP)
@click.argument("path", metavar="SPEC", type=SPEC_PATH)
@click.argument("citation", metavar="CITATION", nargs=-1, required=True)
@click.option("--as-of", "as_of", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help=_("the law in force on this date"))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help=_("seconds the solver may spend on each question"))
@click.option("--notation", type=click.Choice(["prose", "logic"]), default="prose", show_default=True,
              help=_("how the text shows situations: prose, with the verdict first and each finding as a "
                     "paragraph; or logic, the formulas (¬, ∧, ∈) and tables of earlier versions"))
@JOBS_OPTION
def impact_command(path, citation, as_of, fmt, timeout, jobs, notation) -> None:
    citation = " ".join(citation)  # `10 kap. 18 a §` may come quoted or as several words
    result = _guarded(lambda: api.load(path, as_of).impact(citation, timeout, jobs, _progress("impact")))
    sys.exit(_emit_diff(result, fmt, notation))


EXPLAIN_HELP = _("""Explain the outcome for one situation: which provisions applied, which were set
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
    legalmodel explain law.lm --given ålder=19 --format json > record.json
    legalmodel explain --replay record.json     (the same answer today?)
""")


@main.command("explain", help=EXPLAIN_HELP)
@click.argument("path", metavar="SPEC", type=SPEC_PATH, required=False)
@click.option("--given", "given", multiple=True, metavar="FACT=VALUE",
              help=_("a fact of the situation (repeat it); `fact` alone means true, `not fact` false"))
@click.option("--as-of", "as_of", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help=_("the law in force on this date"))
@click.option("--action", "actions", multiple=True, help=_("explain only this act (repeatable)"))
@click.option("--why-not", "why_not", type=click.Choice(["permitted", "forbidden", "obligatory", "undecided"]),
              help=_("also say why the outcome is not this one"))
@click.option("--as-example", is_flag=True, help=_("print the situation as an `example` block to paste into the spec"))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=_("json is also a record for audit (docs/cases.md): keep it, and check it later with --replay"))
@click.option("--replay", "replay_file", type=click.Path(dir_okay=False), metavar="RECORD",
              help=_("ask the question of a record (explain --format json) again, of the law it names (or SPEC), "
                   "and say what changed if the answer differs; exit 1 then"))
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help=_("seconds the whole explanation may take (its questions share them); past it, `unknown`"))
@click.option("--notation", type=click.Choice(["prose", "logic"]), default="prose", show_default=True,
              help=_("how the text shows situations: prose, with the verdict first and each finding as a "
                     "paragraph; or logic, the formulas (¬, ∧, ∈) and tables of earlier versions"))
def explain_command(path, given, as_of, actions, why_not, as_example, fmt, replay_file, timeout,
                    notation) -> None:
    from .cases.record import add_record, render_replay, replay
    from .reports.examples import explained_examples
    from .reports.explain import explain_json, render_explain_text

    if replay_file is not None:
        if given or as_of or actions or why_not or as_example:
            click.echo(_("legalmodel: --replay takes the facts, date and acts from the record; "
                         "give no --given, --as-of, --action, --why-not or --as-example with it"), err=True)
            sys.exit(EXIT_INPUT)
        outcome = _guarded(lambda: replay(replay_file, path, timeout))
        click.echo(render_replay(outcome), nl=False)
        sys.exit(EXIT_CLEAN if outcome.same else EXIT_FINDINGS)
    if path is None:
        raise click.MissingParameter(param_hint="'SPEC'", param_type="argument")

    def body():
        law = api.load(path, as_of)
        return law, law.explain_given(list(given), list(actions), why_not, timeout)

    law, x = _guarded(body)
    if as_example:
        click.echo(explained_examples(x), nl=False)
    elif fmt == "json":
        click.echo(dumps(add_record(explain_json(x), law, x)), nl=False)
    else:
        _speak(x.spec)
        click.echo(render_explain_text(x, notation, _width()), nl=False)
    sys.exit(EXIT_UNKNOWN if any(a.unknown or a.smallest_change_unknown for a in x.actions) else EXIT_CLEAN)


TEST_HELP = _("""Run tables of cases, written by lawyers, against the law on each date they name.

\b
A table is a CSV file (UTF-8; or .xlsx with legalmodel[xlsx]): one row a case,
one column a fact (named by the fact's name or its description), an `act`
column, and a column per date holding the verdict expected on that date
(permitted, forbidden, obligatory, undecided, contradictory or `not settled`);
or a `date` and an `expect` column. An empty cell is not stated. The format
is in docs/cases.md.
\b
Exit status: 0 every case passes, 1 a case fails (or, with --coverage, a
provision decides in no case and is not accepted), 2 bad input (the message
names file, row and column), 3 undecided within the time limit.
\b
Examples:
    legalmodel test specs/osl specs/osl/cases/published.csv
    legalmodel test specs/osl specs/osl/cases/*.csv --format junit > cases.xml
    legalmodel test specs/osl specs/osl/cases/*.csv --coverage
""")


@main.command("test", help=TEST_HELP)
@click.argument("path", metavar="SPEC")
@click.argument("tables", nargs=-1, metavar="CASES...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "markdown"]), default="text",
              show_default=True, help=_("json: schema legalmodel.test/1 (docs/cases.md)"))
@click.option("--as-examples", "as_examples", is_flag=True,
              help=_("print every case on each of its dates as an `example` block instead of running it"))
@click.option("--coverage", is_flag=True,
              help=_("also count, per provision, the cases (and the spec's examples) in which it applied, decided "
                   "and was set aside; fail when one decides in no case and the baseline does not accept it"))
@click.option("--as-of", "as_of", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help=_("with --coverage: the date of the law whose examples are counted (default: as last amended)"))
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help=_("with --coverage: provisions accepted as deciding in no case, by their COV-… ids"))
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help=_("seconds the explanation of each case on each date may take (its questions share them)"))
def test_command(path, tables, fmt, as_examples, coverage, as_of, baseline_file, timeout) -> None:
    from .cases.run import coverage as coverage_of, example_outcomes, read_tables, run_cases
    from .cases.table import CaseTableError, last_date
    from .reports import cases as report

    if not tables and not coverage:
        click.echo(_("legalmodel: give at least one table of cases (a .csv file), or --coverage"), err=True)
        sys.exit(EXIT_INPUT)
    baseline = _guarded(lambda: api.read_baseline(baseline_file)) if baseline_file else ()
    law = _guarded(lambda: api.load(path, as_of))
    try:
        cases = read_tables(law, list(tables))
        if as_examples:
            from .syntax.surface import spec_language

            click.echo(report.cases_as_examples(cases, last_date(law.versions), spec_language(law.spec)), nl=False)
            sys.exit(EXIT_CLEAN)
        _speak(law.spec)  # the report's words: --lang, else the spec's language (not the examples' titles)
        run = run_cases(law, cases, timeout)
    except CaseTableError as err:
        for problem in err.problems:
            click.echo(f"legalmodel: {problem}", err=True)
        sys.exit(EXIT_INPUT)
    covered = None
    if coverage:
        covered = _guarded(lambda: coverage_of(law, [*example_outcomes(law, timeout), *run.outcomes],
                                               timeout=timeout, baseline=baseline))
    if fmt == "json":
        click.echo(dumps(report.run_json(run, covered)), nl=False)
    elif fmt == "junit":
        click.echo(report.run_junit(run, law.spec), nl=False)
    elif fmt == "markdown":
        click.echo(report.run_markdown(run, covered), nl=False)
    else:
        click.echo(report.render_text(run, law.spec, _width()) if run.outcomes else "", nl=False)
        if covered is not None:
            click.echo(report.coverage_text(covered), nl=False)
    status = run.exit_status
    if covered is not None and covered.failing and status != EXIT_FINDINGS:
        status = EXIT_FINDINGS
    sys.exit(status)


HISTORY_HELP = _("""List the law's amendments and every wording each provision has had, with the
dates each wording was in force.

\b
Examples:
    legalmodel history specs/osl
    legalmodel history specs/osl "10 kap. 18 a §"
""")


@main.command("history", help=HISTORY_HELP)
@click.argument("path", metavar="SPEC", type=SPEC_PATH)
@click.argument("citation", nargs=-1, metavar="[CITATION]")
def history_command(path, citation) -> None:
    from .reports.history import render_history

    citation = " ".join(citation) or None  # quoted or as several words
    listing = _guarded(lambda: api.history(path, citation))
    click.echo(render_history(listing, whole=citation is None), nl=False)


FMT_HELP = _("""Rewrite spec files in the one canonical layout, keeping their comments.

\b
Formatting never changes what a spec means. With --check nothing is written:
the command lists the files that would change and exits 1 if there are any
(for CI and pre-commit). With --to sv or --to en the files are written with
the Swedish or the English keywords (`språk sv` declares the Swedish ones).
\b
Examples:
    legalmodel fmt specs/
    legalmodel fmt --check specs/
    legalmodel fmt - < law.lm      (prints the formatted text)
    legalmodel fmt --to sv specs/tutorial
""")


@main.command("fmt", help=FMT_HELP)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", type=SPEC_PATH)
@click.option("--check", "check_only", is_flag=True, help=_("change nothing; exit 1 if any file would change"))
@click.option("--to", "to", type=click.Choice(["sv", "en"]), default=None,
              help=_("write the keywords in Swedish (sv) or English (en)"))
def fmt_command(paths, check_only, to) -> None:
    from .syntax.format import format_file
    from .pipeline import STDIN, STDIN_NAME
    from .syntax.reading import write_in_place

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
            formatted, differs = format_file(path, folder, to)
        except SpecError as err:
            for text in render_diagnostics(err.diagnostics):
                click.echo(text, err=True)
            broken += 1
            continue
        if path == STDIN and not check_only:  # `fmt -`, for an editor: the text, changed or not
            click.echo(formatted, nl=False)
            continue
        if differs:
            changed.append(path)
            if check_only:
                click.echo(_("would reformat {path}").format(path=STDIN_NAME if path == STDIN else path))
            else:
                try:
                    write_in_place(path, formatted, folder)
                except OSError as err:
                    click.echo(_("legalmodel: cannot write `{path}`: {reason}").format(path=path, reason=err.strerror or err),
                               err=True)
                    broken += 1
                    continue
                click.echo(_("reformatted {path}").format(path=path))
    if broken:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if check_only and changed else EXIT_CLEAN)


INIT_HELP = _("""Create a new spec repository in DIR: one example spec, a README and a CI
workflow that checks the specs on every change. The new repository passes
`legalmodel check` and `legalmodel fmt --check` as created.

\b
Example:
    legalmodel init my-law && cd my-law && legalmodel check specs/
""")


REPORT_HELP = _("""Write the law as a static website, to read, share and print.

\b
An index with the check on each date, goals and examples; a page per
provision with every wording, what it overrides and excepts, where it still
decides and the findings that involve it; a page per pair of consecutive
dates with what changed.

\b
The site is static and self-contained (HTML and CSS, nothing fetched from
elsewhere, no JavaScript): open DIR/index.html, or put DIR on any web server.
Without --as-of it covers the day before the first amendment and each date an
amendment enters into force.
\b
Exit status: 0 written, every date consistent; 1 written, findings on some date;
2 bad input; 3 written, some question undecided within the time limit.
It needs the `web` extra: pip install 'legalmodel[web]'.
\b
Examples:
    legalmodel report specs/osl -o osl-report
    legalmodel report specs/osl -o rapport --lang sv --as-of 2016-10-05 --as-of 2020-08-01
""")


def _pages_language(lang: str | None, spec=None) -> str | None:
    """The pages' language: `--lang` (after the command or before it), else `spec`'s declared
    language, else the locale's, else English; None where no --lang was given and the spec is
    not loaded yet (the explorer then chooses from the law it loads)."""
    ctx = click.get_current_context(silent=True)
    requested = lang or ((ctx.find_root().obj or {}).get("lang") if ctx is not None else None)
    if requested is None and spec is None:
        return None
    return i18n.choose(requested, getattr(spec, "language", None))


def _dates_option(help_text: str):
    return click.option("--as-of", "dates", multiple=True, callback=lambda c, p, v: tuple(_date(d) for d in v),
                        metavar="YYYY-MM-DD", help=help_text)


PAGES_LANGUAGE_OPTION = click.option(
    "--lang", type=click.Choice(i18n.LANGUAGES), metavar="sv|en",
    help=_("the language of the pages (default: the spec's `language`, else the locale's, else English; "
           "the spec's own text stays as written)"))


def _web_ready() -> None:
    from .web import missing_extra

    problem = missing_extra()
    if problem:
        click.echo(f"legalmodel: {problem}", err=True)
        sys.exit(EXIT_INPUT)


@main.command("report", help=REPORT_HELP)
@click.argument("path", metavar="SPEC", type=SPEC_PATH)
@click.option("-o", "--output", "output", required=True, metavar="DIR",
              type=click.Path(file_okay=False, writable=True), help=_("the folder to write the site into"))
@_dates_option(_("a date to report on (repeat it); default: the day before the first amendment "
                  "and every reform date"))
@PAGES_LANGUAGE_OPTION
@click.option("--impact/--no-impact", default=True, show_default=True,
              help=_("show where each provision still decides, on the last date (the slowest part)"))
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help=_("seconds the solver may spend on each question"))
@JOBS_OPTION
def report_command(path, output, dates, lang, impact, timeout, jobs) -> None:
    from pathlib import Path

    _web_ready()
    from .web.site import build, write

    def progress(step: str) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r\033[Kreport: {step}")
            sys.stderr.flush()

    site = _guarded(lambda: build(path, dates, impact, timeout, jobs, progress))
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    try:
        written = write(site, Path(output), _pages_language(lang, site.dates[-1].law.spec if site.dates else None))
    except OSError as e:
        click.echo(_("legalmodel: cannot write the report into `{output}`: {reason}").format(
            output=output, reason=e.strerror or e), err=True)
        sys.exit(EXIT_INPUT)
    click.echo(_("wrote {count} files to {output}; open {index}").format(
        count=len(written), output=output, index=Path(output) / "index.html"))
    sys.exit(site.exit_status)


SERVE_HELP = _("""Try cases in the browser: a what-if explorer for one law, on 127.0.0.1 only.

\b
A form holds every fact of the spec; state those you know. The page shows the
verdict (or what it depends on), the provision that decides and those set
aside, the smallest change that gives another verdict, and the same situation
on every date side by side; a button copies the situation as an `example`.
Dates: the day before the first amendment and every reform date, or --as-of.
It needs the `web` extra: pip install 'legalmodel[web]'. Stop it with Ctrl-C.
\b
Examples:
    legalmodel serve specs/osl
    legalmodel serve specs/osl --port 8080 --lang sv --as-of 2016-10-05 --as-of 2020-08-01
""")


@main.command("serve", help=SERVE_HELP)
@click.argument("path", metavar="SPEC", type=SPEC_PATH)
@click.option("--port", type=click.IntRange(1, 65535), default=8022, show_default=True,
              help=_("the port on 127.0.0.1 to listen on"))
@_dates_option(_("a date of the date picker (repeat it); default: the day before the first amendment "
                  "and every reform date"))
@PAGES_LANGUAGE_OPTION
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help=_("seconds the solver may spend on each question"))
def serve_command(path, port, dates, lang, timeout) -> None:
    import socket

    _web_ready()
    from .web.explorer import serve

    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:  # a clear message for a port in use, before the law is loaded
        probe.bind(("127.0.0.1", port))
    except OSError as e:
        click.echo(_("legalmodel: cannot listen on 127.0.0.1:{port}: {reason}; choose another --port").format(
            port=port, reason=e.strerror or e), err=True)
        sys.exit(EXIT_INPUT)
    finally:
        probe.close()

    def ready(url: str) -> None:
        click.echo(_("serving {path} on {url} (Ctrl-C to stop)").format(path=path, url=url), err=True)

    _guarded(lambda: serve(path, port, dates, _pages_language(lang), timeout, ready))
    sys.exit(EXIT_CLEAN)


LSP_HELP = _("""Run the language server for editors, on standard input and output.

\b
Editors start it themselves (editors/vscode/ does, for VS Code); see docs/editors.md.
It needs the `lsp` extra: pip install 'legalmodel[lsp]'.
""")


@main.command("lsp", help=LSP_HELP)
@click.option("--stdio", is_flag=True, help=_("talk over standard input and output (the default, and the only way)"))
def lsp_command(stdio) -> None:
    try:
        from .lsp.server import serve
    except ImportError as err:
        click.echo(_("legalmodel: the language server needs pygls and lsprotocol ({error}); "
                     "install them with: pip install 'legalmodel[lsp]'").format(error=err), err=True)
        sys.exit(EXIT_INPUT)
    serve()
    sys.exit(EXIT_CLEAN)


@main.command("init", help=INIT_HELP)
@click.argument("directory", metavar="DIR", type=click.Path(readable=False))
def init_command(directory) -> None:
    from pathlib import Path

    from .scaffold import files, installed_requirement

    root = Path(directory)
    if root.exists() and not root.is_dir():
        click.echo(_("legalmodel: `{folder}` is a file; choose a new folder").format(folder=directory), err=True)
        sys.exit(EXIT_INPUT)
    if root.exists() and any(root.iterdir()):
        click.echo(_("legalmodel: `{folder}` exists and is not empty; choose a new folder").format(folder=directory),
                   err=True)
        sys.exit(EXIT_INPUT)
    source = installed_requirement(__version__)
    for relative, text in files(__version__, source).items():
        target = root / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as e:
            click.echo(_("legalmodel: cannot create `{path}`: {reason}").format(path=target, reason=e.strerror or e),
                       err=True)
            sys.exit(EXIT_INPUT)
        click.echo(_("created {path}").format(path=target))
    if source is None:
        click.echo(_("note: legalmodel runs from a local copy here, which CI cannot install: add the pip "
                     "requirement for legalmodel {version} to {path}").format(
            version=__version__, path=root / "legalmodel-requirements.txt"), err=True)
    sys.exit(EXIT_CLEAN)


# where stderr is not a terminal (a CI log), a plain line after this many seconds, and then at
# most one per PLAIN_PROGRESS_EVERY: a log shows a long check is alive without filling up
PLAIN_PROGRESS_AFTER = 5.0
PLAIN_PROGRESS_EVERY = 15.0


def _progress(name: str):
    """Progress on stderr for a run that takes more than two seconds: on a terminal, one line
    rewritten in place and cleared at the end; otherwise (_plain_progress) a plain line now and
    then. Never on stdout, so reports stay the same bytes."""
    started = time.perf_counter()
    if not sys.stderr.isatty():
        return _plain_progress(name, started)
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
        sys.stderr.write(f"\r\033[K{_command_name(name)}: {_step(step)}{where}")
        sys.stderr.flush()
        shown[0] = True

    return report


# the steps a run reports (analyses/analyse.py, overrides.py), said in the language spoken; a
# diff's steps name a change of verdict and its regions (analyses/diff.py)
PROGRESS_STEPS = {step: step for step in (N_("dead provisions"),
                                          N_("contradictions"), N_("collisions"), N_("gaps"),
                                          N_("idle overrides"), N_("goals"), N_("examples"))}


def _command_name(name: str) -> str:
    """`diff` and `impact` said in the language spoken; a spec's name (check) as it is."""
    return {"diff": _("diff"), "impact": _("impact")}.get(name, name)


def _step(step: str) -> str:
    if step in PROGRESS_STEPS:
        return _(step)
    regions = re.fullmatch(r"(`[^`]*` \S+ → \S+): (\d+) regions", step)
    if regions is not None:
        return ngettext("{change}: {n} region", "{change}: {n} regions", int(regions[2])).format(
            change=regions[1], n=int(regions[2]))
    return step


def _plain_progress(name: str, started: float):
    """Progress for a log: a line of plain text (no control characters) once the run has taken
    PLAIN_PROGRESS_AFTER seconds, then at most one every PLAIN_PROGRESS_EVERY seconds."""
    due = [started + PLAIN_PROGRESS_AFTER]

    def report(step: str | None, done: int, total: int) -> None:
        now = time.perf_counter()
        if step is None or now < due[0]:
            return
        due[0] = now + PLAIN_PROGRESS_EVERY
        where = f" {done}/{total}" if total else ""
        sys.stderr.write(_("{name}: {step}{where}, {seconds} s so far").format(
            name=_command_name(name), step=_step(step), where=where, seconds=f"{now - started:.0f}") + "\n")
        sys.stderr.flush()

    return report


def _colour() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _date(value: str | None) -> str | None:
    """A date as YYYY-MM-DD, checked as the API checks it; a usage error (exit 2) otherwise."""
    try:
        return api.check_date(value)
    except UsageError as err:
        raise click.BadParameter(str(err)) from None


# A run builds a spec's tree, model and encoding once and keeps them to the end, so the young
# generation is collected far less often than Python's default, and the older ones, which
# hold what lasts the whole run, hardly ever (docs/performance.md: garbage collection)
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
    is slow, and nothing is left to do by then (a worker process has ended before its
    results are read)."""
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
        click.echo(_("legalmodel: the input is nested too deeply to process"), err=True)
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        click.echo(_("legalmodel: interrupted"), err=True)
        sys.exit(130)
    except Exception as err:  # a bug in legalmodel: say so plainly, without a traceback
        if os.environ.get("LEGALMODEL_DEBUG"):
            raise
        click.echo(_("legalmodel: internal error ({kind}: {error})\n"
                     "please report this; set LEGALMODEL_DEBUG=1 to see where it happened").format(
            kind=type(err).__name__, error=err), err=True)
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


def _summary(text: str | None) -> str | None:
    """A command's first sentence, whole, for `legalmodel --help`: click would cut it at 45
    characters with `...`, which left 6 of 7 summaries unfinished."""
    if not text:
        return None
    first = " ".join(text.strip().split("\n\n")[0].split())
    end = first.find(". ")
    return first if end == -1 else first[: end + 1]


def _lang_after_command(ctx: click.Context, _param, value: str | None) -> None:
    """`legalmodel check --lang sv …`: the same as `legalmodel --lang sv check …`."""
    if value is not None:
        root = ctx.find_root()
        root.obj = {**(root.obj or {}), "lang": value}
        i18n.ask(value)


for _command in (main, *main.commands.values()):
    _command.help = _paragraphs(_command.help)
    _command.options_metavar = _("[OPTIONS]")
    if _command is not main and not _command.short_help:
        _command.short_help = _summary(_command.help)
    if _command is not main and not any("--lang" in p.opts for p in _command.params):
        # --lang is taken after the command's name too
        _command.params.append(click.Option(
            ["--lang"], type=click.Choice(i18n.LANGUAGES), metavar="sv|en", expose_value=False,
            is_eager=True, callback=_lang_after_command,
            help=_("the language of messages and prose (default: the spec's `language`, else the locale's, "
                   "else English)")))


if __name__ == "__main__":
    run()
