"""Accepted findings: baseline files kept outside the specs (docs/ci.md), and the
spec's own `accept` lines, applied to what a check found.

The format is one JSON object with a list `accepted` of entries, each an object with the
finding's `id` and a non-empty `justification`:

    {"accepted": [{"id": "COL-6087e6b9", "justification": "left to practice"}]}

Anything else is a usage error whose message names the file, the entry and what was
expected there, never a Python exception's text.
"""

from __future__ import annotations

import json
import re

from dataclasses import replace

from ..i18n import _, said, sentence
from ..law.model import UNKNOWN_ID_PREFIX
from ..pipeline import UsageError
from ..results import Finding
from ..syntax.source import SourceFile, Span

from ..syntax.controls import IN_NAME, escaped

COVERAGE_ID_PREFIX = "COV-"  # cases.run.coverage_id: a provision deciding in no case
FORMAT = '{"accepted": [{"id": "COL-…", "justification": "…"}]}'
FINDING_ID = re.compile(r"[A-Z]{3}-[0-9a-f]{8}")


def read_baseline(path: str) -> tuple[tuple[str, str, str], ...]:
    """The accepted findings of a baseline file as (id, justification, where) triples, where
    `where` is `FILE entry N`; raises UsageError when the file cannot be used."""
    from pathlib import Path

    from ..syntax.reading import Refused, read_limited
    from ..syntax.tree import MAX_FILE_BYTES

    try:  # a regular file only, and no more than a spec file's limit: a FIFO or /dev/zero is refused
        data = read_limited(Path(path), MAX_FILE_BYTES)
    except Refused as err:
        raise UsageError(_('cannot read the baseline `{path}`: {strerror}').format(path=path, strerror=err.strerror)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(_('the baseline `{path}` is not UTF-8 text; expected a JSON file like {FORMAT}').format(path=path, FORMAT=FORMAT)) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        reason = err.msg[:1].lower() + err.msg[1:]
        raise UsageError(_('the baseline `{path}` is not valid JSON ({reason} at line {lineno}, column {colno}); expected {FORMAT}').format(path=path, reason=reason, lineno=err.lineno, colno=err.colno, FORMAT=FORMAT)) from None
    if not isinstance(document, dict) or not isinstance(document.get("accepted"), list):
        raise UsageError(_('the baseline `{path}` must be a JSON object with a list `accepted`, like {FORMAT}').format(path=path, FORMAT=FORMAT))
    out = []
    for number, entry in enumerate(document["accepted"], 1):
        where = sentence("entry {number} of the baseline `{path}`", number=number, path=path)
        if not isinstance(entry, dict):
            raise UsageError(_('{where} must be an object with an `id` and a `justification`, like {{"id": "COL-…", "justification": "…"}}').format(where=said(where)))
        fid = entry.get("id")
        if not isinstance(fid, str) or not FINDING_ID.fullmatch(fid):
            value = fid if isinstance(fid, str) else json.dumps(fid, ensure_ascii=False)
            shown = "no `id`" if fid is None else f"the id `{value}`"
            raise UsageError(_('{where} has {shown}; expected a finding id as every format shows it, like `COL-6087e6b9`').format(where=said(where), shown=shown))
        if fid.startswith(UNKNOWN_ID_PREFIX):
            raise UsageError(_('{where} accepts `{fid}`, a question the solver could not decide in time, which cannot be accepted').format(where=said(where), fid=fid))
        justification = entry.get("justification")
        if not isinstance(justification, str) or not justification.strip():
            raise UsageError(_('{where} needs a `justification`: a non-empty text saying why `{fid}` is accepted').format(where=said(where), fid=fid))
        if IN_NAME.search(justification):  # it is shown with the finding: nothing that drives a terminal
            raise UsageError(_('{where} has a control character in its `justification` (`{escaped}`); write it as plain text on one line').format(where=said(where), escaped=escaped(justification)))
        out.append((fid, justification, f"{path} entry {number}"))
    return tuple(out)


def apply_acceptances(report, baseline: tuple = (), coverage: bool = False) -> set[str]:
    """Mark the findings the drafters accept (in the spec or a baseline file), and report
    every acceptance in the spec that no longer matches a finding, so the record stays true.
    `baseline` holds (id, justification, where) triples like the spec's own acceptances; one
    baseline serves every spec of a run, so whether its entries are stale is for the whole
    run to say (`stale_baseline`). Returns the ids of the baseline entries that matched.
    An acceptance of a provision deciding in no case (`COV-…`) can be stale only where
    coverage was asked for (`coverage`): otherwise no such finding is looked for."""
    accepted = {}
    for finding_id, justification, where in tuple(report.spec.acceptances) + tuple(baseline):
        accepted.setdefault(finding_id, (justification, where))
    used = set()
    marked = []
    for f in report.findings:
        if f.id in accepted and f.kind != "unknown":  # never: an undecided question is not a finding to accept
            used.add(f.id)
            marked.append(replace(f, accepted=accepted[f.id][0]))
        else:
            marked.append(f)
    for finding_id, justification, where in report.spec.acceptances:
        if finding_id.startswith(COVERAGE_ID_PREFIX) and not coverage:
            continue
        if finding_id not in used and accepted[finding_id][1] is where:
            marked.append(_stale(finding_id, justification, where, None))
    report.findings[:] = marked
    return used & {finding_id for finding_id, _j, _w in baseline}


def stale_baseline(baseline: tuple, used: set[str], coverage: bool = False) -> list[Finding]:
    """The baseline entries that matched no finding in any spec of the run, as findings
    reported at the baseline file (`where` says which entry); `COV-…` entries only where
    coverage was asked for."""
    out, seen = [], set()
    for finding_id, justification, where in baseline:
        if finding_id in used or finding_id in seen:
            continue
        if finding_id.startswith(COVERAGE_ID_PREFIX) and not coverage:
            continue
        seen.add(finding_id)
        span = Span(SourceFile(str(where).rsplit(" entry ", 1)[0], ""), 0, 0, 1, 1)
        out.append(_stale(finding_id, justification, span, where))
    return out


def _stale(finding_id: str, justification: str, span, origin) -> Finding:
    return Finding("stale-acceptance", "warning",
                   sentence("the acceptance of {id} ({where}) matches no finding any more", id=finding_id, where=origin)
                   if origin is not None else
                   sentence("the acceptance of {id} matches no finding any more", id=finding_id),
                   finding_id, span, details=(sentence("it said: “{justification}”", justification=justification),
                                              sentence("remove it, or update it to the finding's new id")))
