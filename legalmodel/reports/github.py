"""GitHub Actions rendering of `check` (`--format github`): workflow commands that put each
finding and each input error on the pull request's diff, for teams without code scanning,
and the Markdown report for the job's summary page.

A finding is one line `::error file=F,line=L,col=C,endLine=E,title=T::MESSAGE` (`::warning`
for a warning, `::notice` for a note); an accepted finding gets none, since it does not fail
the run. Escaping follows the runner's parser (@actions/core's `command.ts`): in the message
`%`, CR and LF are written `%25`, `%0D`, `%0A`; in a property `:` and `,` too (`%3A`, `%2C`),
since they end a property. File paths are relative to the repository root, as the runner
matches them to the diff (the same root as SARIF's `%SRCROOT%`).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..results import CheckResult
from .check import finding_id, printable, sorted_findings

COMMAND = {"error": "error", "warning": "warning", "note": "notice", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _path(path: str, root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def command(level: str, span, title: str, message: str, root: Path) -> str:
    """One workflow command: `::level file=…,line=…,col=…[,endLine=…],title=…::message`."""
    props = [("file", _path(span.path, root)), ("line", str(max(1, span.line))),
             ("col", str(max(1, span.column)))]
    if span.end_line and span.end_line > span.line:
        props.append(("endLine", str(span.end_line)))
    props.append(("title", title))
    # printable: a workflow command is read from the log, where a control character would be raw
    text = ",".join(f"{k}={escape_property(printable(v))}" for k, v in props)
    shown = "\n".join(printable(line) for line in message.split("\n"))
    return f"::{level} {text}::{escape_data(shown)}"


def report_commands(report: CheckResult, root: Path, notation: str = "prose") -> list[str]:
    """An annotation per finding not accepted, in the current language: what the text report
    says of it (reader.finding_paragraphs), its first situation only, since an annotation
    sits in the diff. The title is codes: `legalmodel KIND ID`."""
    from .reader import finding_paragraphs

    out = []
    for f in sorted_findings(report):
        if f.accepted is not None:
            continue
        fid = finding_id(report.spec.name, f)
        one = replace(f, evidence=f.evidence[:1])
        out.append(command(COMMAND.get(f.severity, "notice"), f.span, f"legalmodel {f.kind} {fid}",
                           "\n".join(finding_paragraphs(report, one, notation)), root))
    return out


def invalid_commands(name: str, diagnostics, root: Path) -> list[str]:
    """An annotation per diagnostic of a spec that could not be read, in the current language."""
    from ..i18n import _, said

    return [command("error", d.span, _("legalmodel input error in {name}").format(name=name),
                    said(d.message) + ("\n" + _("help: {help}").format(help=said(d.help)) if d.help else ""), root)
            for d in diagnostics]


def append_step_summary(markdown: str) -> str | None:
    """Append the Markdown report to `$GITHUB_STEP_SUMMARY` when it is set; the error's text
    when the file cannot be written, else None."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    try:
        with open(target, "a", encoding="utf-8") as out:
            out.write(markdown)
    except OSError as err:
        from ..i18n import _

        return _("cannot append to $GITHUB_STEP_SUMMARY (`{target}`): {reason}").format(
            target=target, reason=err.strerror or err)
    return None
