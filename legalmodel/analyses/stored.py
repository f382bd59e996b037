"""Answers kept from one run to the next: the result of a slow question about a law (a diff
between two dates, a provision's impact, a check) stored in the signed cache folder
(syntax/cache.py) and read back when the same question is asked of the same law again.

An entry's name is a digest of everything the answer depends on: the text and path of
every file of the law (its history: the base and every amendment and proposal), the
question and its parameters (the dates, the provision, the time limit per question), and a
fingerprint of the code that answers it (every module of legalmodel, the grammar and the
version of Z3). A changed file, a changed legalmodel or another Z3 never reads an old
entry. The number of processes is not part of it: the answer is the same for any number
(solver.parallel).

Only a complete answer is stored: one in which every question was decided within its
time limit. An answer with an `unknown` part depends on how busy the machine was, and is
asked again next time. `LEGALMODEL_ANSWERS=off` turns this off alone (every question is
asked of the solver, as the benchmarks of its speed need), `LEGALMODEL_CACHE=off` with the
rest of the cache.
"""

from __future__ import annotations

import gc
import hashlib
import io
import pickle
from functools import lru_cache
from pathlib import Path

from ..syntax import cache

PREFIX = "answer-"
SUFFIX = ".pickle"
MAX_ANSWERS = 1000  # answers kept (about 85 KB each for specs/osl, whose report keeps 69); then the older half goes


def enabled() -> bool:
    """Whether answers are kept and read: the cache folder can be used and
    `LEGALMODEL_ANSWERS` is not `off` (or `0`, `no`, `false`)."""
    import os

    if os.environ.get("LEGALMODEL_ANSWERS", "").lower() in ("off", "0", "no", "false"):
        return False
    return cache.folder() is not None


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """A digest of the code that answers: every module of the package, the grammar, the
    version of legalmodel and of Z3."""
    import z3

    from .. import __version__

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{__version__}\0{z3.get_version_string()}\0".encode())
    files = sorted(package.rglob("*.py"))
    grammar = package.parent / "grammar"
    if grammar.is_dir():
        files += sorted(grammar.glob("*.lark"))
    for path in files:
        digest.update(str(path.relative_to(package.parent)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def history_digest(versions) -> bytes:
    """A digest of a law's history (law.history.History): its name, declared languages and
    every file its base, amendments and proposals were read from, path and text, in order.
    A file counts once by its path and text, however many objects hold them: the language
    server's parse cache keeps the parts of a file an edit left alone, whose spans point
    into the text as it was read first, and the same text read again must name the same
    entry."""
    sources: dict[tuple[str, str], object] = {}

    def add(source) -> None:
        if source is not None:
            sources.setdefault((source.path, source.text), source)

    add(versions.first_source)
    for item in versions.base:
        span = getattr(item, "span", None)
        add(getattr(span, "source", None))
    for act in [*versions.amendments, *versions.proposals]:
        add(act.source)
    digest = hashlib.sha256(versions.name.encode("utf-8", "surrogatepass") + b"\0")
    digest.update("\0".join(sorted(versions.declared_languages)).encode() + b"\0")
    for source in sources.values():
        digest.update(source.path.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(source.text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.digest()


def entry_name(question: str, versions, *parameters) -> str:
    """The name of the entry for `question` (a word: `diff`, `impact`, `check`) asked of the
    law with history `versions`, with `parameters` (strings, numbers or None)."""
    digest = hashlib.sha256(code_fingerprint() + history_digest(versions) + question.encode() + b"\0")
    digest.update(repr(parameters).encode("utf-8", "surrogatepass"))
    return f"{PREFIX}{question}-{digest.hexdigest()[:40]}{SUFFIX}"


class _Known:
    """What an answer refers to rather than holds: the specs the caller has already (the
    law on each date, the law without a provision) and the files their spans point into.
    An answer of specs/osl holds them four times over otherwise (340 KB against 85 KB)."""

    def __init__(self, specs):
        from .context import spec_sources

        self.specs = list(specs)
        self.spec_ids = {id(spec): i for i, spec in enumerate(self.specs)}
        self.sources = {id(source): source for spec in self.specs for source in spec_sources(spec)}
        self.by_key = {self.key(source): source for source in self.sources.values()}

    @staticmethod
    def key(source) -> tuple:
        return source.path, hashlib.sha256(source.text.encode("utf-8", "surrogatepass")).hexdigest()

    def persistent_id(self, obj):
        if id(obj) in self.spec_ids and obj is self.specs[self.spec_ids[id(obj)]]:
            return ("spec", self.spec_ids[id(obj)])
        if id(obj) in self.sources and obj is self.sources[id(obj)]:
            return ("source", *self.key(obj))
        return None

    def persistent_load(self, pid):
        if pid[0] == "spec" and pid[1] < len(self.specs):
            return self.specs[pid[1]]
        if pid[0] == "source" and tuple(pid[1:]) in self.by_key:
            return self.by_key[tuple(pid[1:])]
        raise pickle.UnpicklingError(f"an answer refers to {pid[0]} {pid[1]!r}, which the law at hand lacks")


def recall(name: str, specs=()):
    """The answer stored under `name`, or None; `specs` as given to `keep`."""
    if not enabled():
        return None
    payload = cache.read_entry(name)
    if payload is None:
        return None
    known = _Known(specs)
    reader = pickle.Unpickler(io.BytesIO(payload))
    reader.persistent_load = known.persistent_load
    collecting = gc.isenabled()
    gc.disable()  # a result is a tree of new objects: a collection in the middle would find nothing
    try:
        return reader.load()
    except Exception:  # a damaged or outdated entry is asked again, and replaced
        return None
    finally:
        if collecting:
            gc.enable()


def keep(name: str, answer, specs=()) -> None:
    """Store `answer` under `name` (where answers are kept). `specs`: the checked specs the
    answer refers to, which the caller builds again before it asks (their files too): the
    entry names them instead of holding them, and `recall` is given them back."""
    if not enabled():
        return
    out = io.BytesIO()
    writer = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    writer.persistent_id = _Known(specs).persistent_id
    try:
        writer.dump(answer)
    except Exception:  # an answer that cannot be pickled is simply not kept
        return
    payload = out.getvalue()
    if cache.write_entry(name, payload):
        _prune()


def _prune() -> None:
    """Remove the oldest half of the answers once there are more than MAX_ANSWERS."""
    cache.prune(PREFIX, SUFFIX, MAX_ANSWERS)


def complete_diff(result) -> bool:
    """Whether every question of a diff (results.DiffResult) was decided in time."""
    return (not result.unknown
            and all(c.holds is not None for c in result.contracts)
            and all("unknown" not in (g.before, g.after) for g in result.goals)
            and all("unknown" not in (e.before, e.after) for e in result.examples))


def complete_check(result) -> bool:
    """Whether every question of a check (results.CheckResult) was decided in time."""
    return (result.status != "unknown"
            and not any(f.kind == "unknown" for f in result.findings)
            and all(g.status != "unknown" for g in result.goals)
            and all(r.status != "unknown" for e in result.examples for r in e.results))


def remembered(name: str, compute, complete, specs=(), store: bool = True):
    """The answer stored under `name`, else `compute()`, stored when `complete` says every
    part of it was decided and `store` allows; `specs` as for `keep`."""
    found = recall(name, specs)
    if found is not None:
        return found
    answer = compute()
    if store and complete(answer):
        keep(name, answer, specs)
    return answer
