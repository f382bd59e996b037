"""The user's cache folder: Lark's parser tables and the syntax of files already parsed.

A parsed file is stored under a key made of its name, its text and a fingerprint of the
code that reads files (the version and the source of the parser, the syntax tree, the
citations and the grammar), so a changed file or a changed legalmodel never reads an old
entry. Reading a stored syntax tree takes a tenth of the time of parsing the file, and a
check whose files are all stored does not import Lark. Only files that parse without
errors are stored. `LEGALMODEL_CACHE=off` turns the cache off; where no folder is writable
it is off by itself.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path

from .source import SourceFile

MAX_ENTRIES = 2000  # parsed files kept; past this the oldest half is removed
_READERS = ("parse.py", "tree.py", "citations.py", "source.py", "cache.py", "grammar/legalmodel.lark")


def enabled() -> bool:
    return os.environ.get("LEGALMODEL_CACHE", "").lower() not in ("off", "0", "no", "false")


@lru_cache(maxsize=1)
def folder() -> Path | None:
    """`$XDG_CACHE_HOME/legalmodel` (or `~/.cache/legalmodel`); None when it cannot be made."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "legalmodel"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


@lru_cache(maxsize=1)
def _fingerprint() -> bytes:
    from .. import __version__

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for name in _READERS:
        for candidate in (here / name, here.parent / name, here.parent.parent / name):
            if candidate.is_file():
                digest.update(name.encode() + b"\0" + candidate.read_bytes())
                break
    return digest.digest()


def _entry(source: SourceFile) -> Path | None:
    where = folder() if enabled() else None
    if where is None:
        return None
    key = hashlib.sha256(_fingerprint() + source.path.encode("utf-8", "surrogatepass") + b"\0"
                         + source.text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return where / f"parsed-{key}.pickle"


def load_parsed(source: SourceFile):
    """The stored syntax of this exact file, or None."""
    entry = _entry(source)
    if entry is None or not entry.is_file():
        return None
    collecting = gc.isenabled()
    gc.disable()  # reading makes a tree of new objects and no cycles: a collection would find nothing
    try:
        with entry.open("rb") as f:
            parsed = pickle.load(f)
    except Exception:  # a damaged or foreign entry is ignored, and replaced on the next store
        return None
    finally:
        if collecting:
            gc.enable()
    if getattr(parsed, "source", None) != source:
        return None
    return parsed


def store_parsed(source: SourceFile, parsed) -> None:
    entry = _entry(source)
    if entry is None:
        return
    try:
        temporary = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as f:
            pickle.dump(parsed, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
        _prune(entry.parent)
    except OSError:
        pass


def _prune(where: Path) -> None:
    entries = list(where.glob("parsed-*.pickle"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) // 2]:
        try:
            old.unlink()
        except OSError:
            pass
