"""The command line: `legalmodel check` and friends, for drafters and for CI.

Exit status: 0 the spec is consistent and every goal and example holds; 1 there are
findings; 2 the input is bad (a diagnostic names file, line and column) or the command was
used wrongly; 3 no findings, but some question could not be decided within the time limit;
4 an internal error (the solver and the evaluator disagreed: please report it).
"""

from __future__ import annotations

import os
import sys
import time

import click

from . import __version__
from .analyse import Disagreement, analyse
from .diagnostics import SpecErrors
from .history import split
from .pipeline import UsageError, discover, find_proposals, law_of, parse_unit
from .report import dumps, invalid_json, render_diagnostic, render_text, report_json, status

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_UNKNOWN, EXIT_INTERNAL = 0, 1, 2, 3, 4

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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people; json for programs (schema legalmodel.check/1, see docs/json.md)")
@click.option("--timeout", type=click.FloatRange(min=0.001), default=10.0, show_default=True,
              help="seconds the solver may spend on each question; a question not decided in time is reported as unknown")
@click.option("--as-of", "as_of", callback=lambda c, p, v: _date(v), metavar="YYYY-MM-DD",
              help="check the law in force on this date (amendments in force by then are applied); "
                   "without it, every dated amendment is applied")
@click.option("--proposal", "proposals", multiple=True, metavar="FILE|TITLE",
              help="also apply this proposal (an amendment without a date), after the dated ones")
@click.option("--timings", is_flag=True, help="print the time each stage took, on stderr")
def check(paths: tuple[str, ...], fmt: str, timeout: float, as_of: str | None, proposals: tuple[str, ...],
          timings: bool) -> None:
    try:
        units = discover(list(paths))
    except UsageError as err:
        click.echo(f"legalmodel: {err}", err=True)
        sys.exit(EXIT_INPUT)
    exit_code = EXIT_CLEAN
    documents = []
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
            for d in err.diagnostics:
                click.echo(render_diagnostic(d), err=True)
            if fmt == "json":
                documents.append(invalid_json(unit.name, err.diagnostics))
            n = len(err.diagnostics)
            click.echo(f"{unit.name}: {n} {'error' if n == 1 else 'errors'} in the input; nothing was checked", err=True)
            exit_code = max(exit_code, EXIT_INPUT) if exit_code != EXIT_FINDINGS else EXIT_INPUT
            continue
        t = time.perf_counter()
        try:
            report = analyse(spec, int(timeout * 1000))
        except Disagreement as err:
            click.echo(f"legalmodel: internal error: {err}\nplease report this: the two implementations "
                       "of the semantics disagree", err=True)
            sys.exit(EXIT_INTERNAL)
        stages.append(("analyse", time.perf_counter() - t))
        if fmt == "json":
            documents.append(report_json(report))
        else:
            click.echo(render_text(report), nl=False)
        if timings:
            parts = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in stages)
            click.echo(f"{unit.name}: {parts}; {report.questions} solver questions", err=True)
        st = status(report)
        if exit_code != EXIT_INPUT:
            if st == "findings":
                exit_code = EXIT_FINDINGS
            elif st == "unknown" and exit_code == EXIT_CLEAN:
                exit_code = EXIT_UNKNOWN
    if fmt == "json":
        overall = {EXIT_CLEAN: "clean", EXIT_FINDINGS: "findings", EXIT_INPUT: "invalid",
                   EXIT_UNKNOWN: "unknown"}[exit_code]
        click.echo(dumps({"schema": "legalmodel.check/1", "status": overall, "specs": documents}), nl=False)
    sys.exit(exit_code)


def _date(value: str | None) -> str | None:
    """A date as YYYY-MM-DD, checked; a usage error (exit 2) otherwise."""
    if value is None:
        return None
    import datetime

    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"`{value}` is not a date; write it as YYYY-MM-DD, like 2016-10-05") from None


def run() -> None:
    """Console entry point: never a traceback for a user's mistake."""
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


if __name__ == "__main__":
    run()
