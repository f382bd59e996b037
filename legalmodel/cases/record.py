"""Explanations kept as records, and replayed (`explain --format json`, `explain --replay`).

Owns what an audit needs beyond the explanation itself to reproduce it: the legalmodel
version, a hash of each spec file and of them all, and for every provision that decides or is
set aside its wording (title), the act that gave that wording and the date it came into
force. And the replay: the same question asked again of the law the record names, and what
changed if the answer differs (the verdict, the deciding or set-aside provisions, their
wordings, the smallest change) or the spec files do.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..i18n import _
from ..pipeline import UsageError
from ..frozen import frozen_dataclass

RECORD_KEYS = ("legalmodel_version", "spec_sha256", "spec_files")


def spec_files(law) -> list:
    """The source files the law was read from (its base and every amendment and proposal),
    once each, by name."""
    sources = {}
    history = law.versions
    if history.first_source is not None:
        sources[history.first_source.path] = history.first_source
    for item in history.base:
        span = getattr(item, "span", None)
        if span is not None and span.source is not None:
            sources.setdefault(span.source.path, span.source)
    for a in [*history.amendments, *history.proposals]:
        sources.setdefault(a.source.path, a.source)
    return [sources[p] for p in sorted(sources)]


def file_hashes(law) -> list[dict]:
    """Each file's name (without its folder, so the hash does not depend on where the
    repository lies) and the SHA-256 of its text as read (line ends made LF)."""
    return [{"file": Path(s.path).name, "sha256": hashlib.sha256(s.text.encode("utf-8")).hexdigest()}
            for s in spec_files(law)]


def spec_hash(files: list[dict]) -> str:
    """One hash of all the files: of each name and hash, in name order."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f["file"]):
        digest.update(f"{f['file']}\0{f['sha256']}\n".encode("utf-8"))
    return digest.hexdigest()


def provision_record(spec, pid: str, role: str) -> dict:
    p = spec.provisions[pid]
    return {"provision": pid, "role": role, "title": p.title, "act": p.provenance.sfs,
            "in_force": p.provenance.in_force, "certainty": p.provenance.certainty}


def record_keys(law, x) -> dict:
    """The keys an explanation's JSON gains as a record: at the top level, and per action
    (`set_aside`, `provisions`), added to explain_json's document by `add_record`."""
    from .. import __version__

    files = file_hashes(law)
    return {"legalmodel_version": __version__, "spec_sha256": spec_hash(files), "spec_files": files}


def add_record(document: dict, law, x) -> dict:
    """explain_json's document with the record's keys added; no existing key changes."""
    document.update(record_keys(law, x))
    for item, a in zip(document["actions"], x.actions):
        aside = [t.id for t in a.trace if t.triggered is True and t.in_force is False]
        item["set_aside"] = aside
        item["provisions"] = ([provision_record(x.spec, pid, "decides") for pid in a.deciding]
                              + [provision_record(x.spec, pid, "set aside") for pid in aside])
    return document


# ---- replay -------------------------------------------------------------------------------------

@frozen_dataclass
class Replay:
    """A record asked again. `changes`: what differs in the answer (empty: the same);
    `files`: which spec files differ from the record's (their contents may change without
    the answer changing)."""

    record: str
    spec: str
    as_of: str | None
    changes: tuple[str, ...]
    files: tuple[str, ...]
    version: tuple[str, str]  # the record's legalmodel version, and this one's

    @property
    def same(self) -> bool:
        return not self.changes


def read_record(path: str) -> dict:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise UsageError(_('cannot read the record `{path}`: {value}').format(path=path, value=err.strerror or err)) from None
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UsageError(_('the record `{path}` is not JSON ({err}); it is what `legalmodel explain --format json` prints').format(path=path, err=err)) from None
    if not isinstance(document, dict) or document.get("schema") != "legalmodel.explain/1":
        raise UsageError(_('the record `{path}` is not an explanation (its `schema` is not `legalmodel.explain/1`); it is what `legalmodel explain --format json` prints').format(path=path))
    missing = [k for k in ("spec", "as_of", "given", "actions", *RECORD_KEYS) if k not in document]
    if missing or not isinstance(document["given"], dict) or not isinstance(document["actions"], list) or not all(
            isinstance(a, dict) and isinstance(a.get("action"), str) for a in document["actions"]) or not isinstance(
            document["spec_files"], list):
        raise UsageError(_('the record `{path}` lacks {value}; it was written by an older legalmodel: explain the case again with --format json').format(path=path, value=', '.join((f'`{k}`' for k in missing)) or _('a well-formed `given` and `actions`')))
    return document


def _names(items) -> str:
    return ", ".join(items) if items else "none"


def replay(path: str, spec_path: str | None = None, timeout: float | None = 10.0) -> Replay:
    """Ask a record's question again: the law the record names (or `spec_path`), on its
    date, the same facts and acts. Every difference in the answer is a change."""
    from .. import __version__, api
    from ..reports.explain import explain_json

    record = read_record(path)
    try:
        law = api.load(spec_path or record["spec"], record["as_of"])
    except UsageError as err:
        if spec_path:
            raise
        # the record names the spec as it was given then, relative to where it was run
        raise UsageError(_('{err}; the record `{path}` names the spec `{record}`: where it has moved, or the record was made elsewhere, give its path: legalmodel explain --replay {path} SPEC').format(err=err, path=path, record=record['spec'])
                         ) from None
    actions = [a["action"] for a in record["actions"]]
    x = law.explain(record["given"], actions, timeout=timeout)
    now = add_record(explain_json(x), law, x)
    changes: list[str] = []
    for old, new in zip(record["actions"], now["actions"]):
        act = f"`{new['action']}`"
        if _state(old) != _state(new):
            changes.append(_('{act}: the verdict was {verdict}, it is now {verdict2}').format(act=act, verdict=_verdict(old), verdict2=_verdict(new)))
        for key, what in (("decided_by", "decided by"), ("set_aside", "set aside")):
            if list(old.get(key) or []) != new[key]:
                changes.append(_('{act}: {what} was {names}, is now {names2}').format(act=act, what=what, names=_names(old.get(key) or []), names2=_names(new[key])))
        before = {p["provision"]: p for p in old.get("provisions") or [] if isinstance(p, dict)}
        for p in new["provisions"]:
            q = before.get(p["provision"])
            if q is None:
                continue
            for key, what in (("title", "wording"), ("act", "act"), ("in_force", "in force since")):
                if q.get(key) != p[key]:
                    changes.append(_('{act}: {p}: {what} was {get!s}, is now {p2!s}').format(act=act, p=p['provision'], what=what, get=q.get(key), p2=p[key]))
        if _change(old.get("smallest_change")) != _change(new["smallest_change"]):
            changes.append(_('{act}: the smallest change was {change_text}, is now {change_text2}').format(act=act, change_text=_change_text(old.get('smallest_change')), change_text2=_change_text(new['smallest_change'])))
    old_files = {f.get("file"): f.get("sha256") for f in record["spec_files"] if isinstance(f, dict)}
    new_files = {f["file"]: f["sha256"] for f in now["spec_files"]}
    files = sorted(f for f in set(old_files) | set(new_files) if old_files.get(f) != new_files.get(f))
    return Replay(path, law.name, record["as_of"], tuple(changes), tuple(files),
                  (str(record["legalmodel_version"]), __version__))


def _state(a: dict) -> tuple:
    """What a verdict is: settled as one, or open between some."""
    if a.get("settled"):
        return (True, a.get("verdict"))
    return (False, tuple(a.get("possible") or ()))


def _verdict(a: dict) -> str:
    if a.get("settled"):
        return str(a.get("verdict"))
    return _('not settled (') + " or ".join(a.get("possible") or []) + ")"


def _change(c):
    if not isinstance(c, dict):
        return None
    return ([(x.get("fact"), x.get("from"), x.get("to")) for x in c.get("changes") or []], c.get("verdict"))


def _change_text(c) -> str:
    if not isinstance(c, dict):
        return "none"
    facts = ", ".join(_('{get} from {get2} to {get3}').format(get=x.get('fact'), get2=x.get('from'), get3=x.get('to')) for x in c.get("changes") or [])
    return f"{facts} → {c.get('verdict')}"


def render_replay(r: Replay) -> str:
    when = _('on {date}').format(date=r.as_of) if r.as_of else _('as last amended')
    out = [_('replay of {record}: {spec} {when}').format(record=r.record, spec=r.spec, when=when)]
    if r.version[0] != r.version[1]:
        out.append(_('  recorded with legalmodel {version}, replayed with {version2}').format(version=r.version[0], version2=r.version[1]))
    if r.files:
        out.append(_('  spec files changed since the record: ') + ", ".join(r.files))
    if r.same:
        out.append(_('  the same answer') + (_(' (the changes to the files do not change it)') if r.files else ""))
    else:
        out.append(_('  the answer changed:'))
        out.extend(f"    {c}" for c in r.changes)
    return "\n".join(out) + "\n"
