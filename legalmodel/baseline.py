"""Baseline files: findings the drafters accept, kept outside the specs (docs/ci.md).

The format is one JSON object with a list `accepted` of entries, each an object with the
finding's `id` and a non-empty `justification`:

    {"accepted": [{"id": "COL-6087e6b9", "justification": "left to practice"}]}

Anything else is a usage error whose message names the file, the entry and what was
expected there, never a Python exception's text.
"""

from __future__ import annotations

import json
import re

from .controls import IN_NAME, escaped
from .model import UNKNOWN_ID_PREFIX
from .pipeline import UsageError

FORMAT = '{"accepted": [{"id": "COL-…", "justification": "…"}]}'
FINDING_ID = re.compile(r"[A-Z]{3}-[0-9a-f]{8}")


def read_baseline(path: str) -> tuple[tuple[str, str, str], ...]:
    """The accepted findings of a baseline file as (id, justification, where) triples, where
    `where` is `FILE entry N`; raises UsageError when the file cannot be used."""
    from pathlib import Path

    from .reading import Refused, read_limited
    from .syntax import MAX_FILE_BYTES

    try:  # a regular file only, and no more than a spec file's limit: a FIFO or /dev/zero is refused
        data = read_limited(Path(path), MAX_FILE_BYTES)
    except Refused as err:
        raise UsageError(f"cannot read the baseline `{path}`: {err.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"the baseline `{path}` is not UTF-8 text; expected a JSON file like {FORMAT}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        reason = err.msg[:1].lower() + err.msg[1:]
        raise UsageError(f"the baseline `{path}` is not valid JSON ({reason} at line {err.lineno}, "
                         f"column {err.colno}); expected {FORMAT}") from None
    if not isinstance(document, dict) or not isinstance(document.get("accepted"), list):
        raise UsageError(f"the baseline `{path}` must be a JSON object with a list `accepted`, like {FORMAT}")
    out = []
    for number, entry in enumerate(document["accepted"], 1):
        where = f"entry {number} of the baseline `{path}`"
        if not isinstance(entry, dict):
            raise UsageError(f"{where} must be an object with an `id` and a `justification`, like "
                             '{"id": "COL-…", "justification": "…"}')
        fid = entry.get("id")
        if not isinstance(fid, str) or not FINDING_ID.fullmatch(fid):
            value = fid if isinstance(fid, str) else json.dumps(fid, ensure_ascii=False)
            shown = "no `id`" if fid is None else f"the id `{value}`"
            raise UsageError(f"{where} has {shown}; expected a finding id as every format shows it, "
                             "like `COL-6087e6b9`")
        if fid.startswith(UNKNOWN_ID_PREFIX):
            raise UsageError(f"{where} accepts `{fid}`, a question the solver could not decide in time, "
                             "which cannot be accepted")
        justification = entry.get("justification")
        if not isinstance(justification, str) or not justification.strip():
            raise UsageError(f"{where} needs a `justification`: a non-empty text saying why `{fid}` is accepted")
        if IN_NAME.search(justification):  # it is shown with the finding: nothing that drives a terminal
            raise UsageError(f"{where} has a control character in its `justification` "
                             f"(`{escaped(justification)}`); write it as plain text on one line")
        out.append((fid, justification, f"{path} entry {number}"))
    return tuple(out)
