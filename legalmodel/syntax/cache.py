"""The user's cache folder: Lark's parser tables and the syntax of files already parsed.

A parsed file is stored under a key made of its name, its text and a fingerprint of the
code that reads files (the version and the source of the parser, the syntax tree, the
citations and the grammar), so a changed file or a changed legalmodel never reads an old
entry. Reading a stored syntax tree takes a tenth of the time of parsing the file, and a
check whose files are all stored does not import Lark. Only files that parse without
errors are stored. `LEGALMODEL_CACHE=off` turns the cache off: nothing is read or written,
Lark's tables included.

Entries are pickles, and unpickling runs code, so no byte of an entry is unpickled before it
is proven to be ours (docs/ci.md, "The cache"):

- the folder (`$XDG_CACHE_HOME/legalmodel`, else `~/.cache/legalmodel`) is used only if it is
  a real folder (not a symlink) owned by the user and writable by nobody else; it is made
  with mode 0700. Otherwise the cache is off, with one warning;
- it is opened once, and every entry is opened relative to that open folder without
  following symlinks, so nobody can swap the folder after it was checked;
- the folder holds a random 32-byte key in `key` (mode 0600, owned by the user). Each entry
  is `MAGIC`, the HMAC-SHA256 of its name and payload under that key, then the payload; an
  entry whose code does not match is ignored before it is unpickled.

There is no fallback folder: where the folder cannot be used, nothing is cached.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import hmac
import os
import pickle
import stat
import sys
from functools import lru_cache
from pathlib import Path

from .source import SourceFile
from ..frozen import frozen_dataclass

MAX_ENTRIES = 2000  # parsed files kept; past this the oldest half is removed
_READERS = ("parse.py", "tree.py", "citations.py", "source.py", "surface.py", "cache.py", "grammar/legalmodel.lark")
MAGIC = b"legalmodel-cache-1\n"
KEY_NAME = "key"
KEY_BYTES = 32
_MAC_BYTES = hashlib.sha256().digest_size
# open flags for an entry or the key: never through a symlink, never block on a FIFO
_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
# the checks need a folder opened once and files opened relative to it; where the platform
# cannot (Windows), there is no cache
_SUPPORTED = hasattr(os, "O_DIRECTORY") and hasattr(os, "O_NOFOLLOW") and os.open in os.supports_dir_fd


def enabled() -> bool:
    return os.environ.get("LEGALMODEL_CACHE", "").lower() not in ("off", "0", "no", "false")


@frozen_dataclass
class Store:
    """The checked cache folder, open, and the key its entries are signed with."""

    path: Path
    fd: int
    key: bytes


def location() -> Path:
    """Where the cache folder is: `$XDG_CACHE_HOME/legalmodel`, or `~/.cache/legalmodel`."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "legalmodel"


@lru_cache(maxsize=1)
def folder() -> Store | None:
    """The cache folder, checked and open, or None where it cannot be trusted (one warning
    says why) or cannot be made (no warning: a read-only home is not a problem)."""
    if not enabled() or not _SUPPORTED:
        return None
    path = location()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        if os.path.islink(path):
            _warn(path, "it is a symbolic link")
        elif err.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.ENOTDIR):
            # a folder that cannot be made (a read-only home) is no one's attack: no cache, no warning
            _warn(path, err.strerror or str(err))
        return None
    problem = _untrusted(os.fstat(fd))
    key = None if problem else _key(fd)
    if problem or key is None:
        _warn(path, problem or f"its `{KEY_NAME}` is not a {KEY_BYTES}-byte file only you can read")
        os.close(fd)
        return None
    return Store(path, fd, key)


def _untrusted(info: os.stat_result) -> str | None:
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return "it belongs to another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "others can write to it"
    return None


def _warn(path: Path, why: str) -> None:
    print(f"legalmodel: warning: not using the cache folder `{path}`: {why}; working without a cache "
          f"(see docs/ci.md, “The cache”)", file=sys.stderr)


def _key(fd: int) -> bytes | None:
    """The folder's key, made on first use; None if the file there is not one only we can read."""
    for attempt in range(2):
        try:
            handle = os.open(KEY_NAME, _OPEN, dir_fd=fd)
        except FileNotFoundError:
            if attempt or not _make_key(fd):
                return None
            continue
        except OSError:
            return None
        with os.fdopen(handle, "rb") as f:
            info = os.fstat(f.fileno())
            if (not stat.S_ISREG(info.st_mode) or _untrusted(info) is not None
                    or info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)):
                return None
            key = f.read(KEY_BYTES + 1)
        return key if len(key) == KEY_BYTES else None
    return None


def _make_key(fd: int) -> bool:
    temporary = f"{KEY_NAME}.{os.getpid()}.tmp"
    try:
        out = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=fd)
        with os.fdopen(out, "wb") as f:
            f.write(os.urandom(KEY_BYTES))
        # a link, not a rename: of two processes making the key at once, the first one wins
        os.link(temporary, KEY_NAME, src_dir_fd=fd, dst_dir_fd=fd)
    except FileExistsError:
        pass
    except OSError:
        return False
    finally:
        try:
            os.unlink(temporary, dir_fd=fd)
        except OSError:
            pass
    return True


def _mac(key: bytes, name: str, payload) -> bytes:
    code = hmac.new(key, name.encode() + b"\0", hashlib.sha256)
    code.update(payload)  # not joined to the name first: an entry can be tens of MB
    return code.digest()


def read_entry(name: str) -> bytes | None:
    """The payload of the entry `name`, if there is one and its code proves we wrote it."""
    where = folder()
    if where is None:
        return None
    try:
        handle = os.open(name, _OPEN, dir_fd=where.fd)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None
        data = f.read()
    head = len(MAGIC) + _MAC_BYTES
    if len(data) < head or not data.startswith(MAGIC):
        return None
    payload = memoryview(data)[head:]
    if not hmac.compare_digest(data[len(MAGIC):head], _mac(where.key, name, payload)):
        return None
    return payload


def write_entry(name: str, payload: bytes) -> bool:
    """Store `payload` as the entry `name`, signed; False where nothing could be written."""
    where = folder()
    if where is None:
        return False
    temporary = f"{name}.{os.getpid()}.tmp"
    try:
        out = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600, dir_fd=where.fd)
        with os.fdopen(out, "wb") as f:
            f.write(MAGIC + _mac(where.key, name, payload))
            f.write(payload)
        os.replace(temporary, name, src_dir_fd=where.fd, dst_dir_fd=where.fd)
    except OSError:
        return False
    return True


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


def _entry_name(source: SourceFile) -> str:
    key = hashlib.sha256(_fingerprint() + source.path.encode("utf-8", "surrogatepass") + b"\0"
                         + source.text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"parsed-{key}.pickle"


def load_parsed(source: SourceFile):
    """The stored syntax of this exact file, or None."""
    if folder() is None:
        return None
    payload = read_entry(_entry_name(source))
    if payload is None:
        return None
    collecting = gc.isenabled()
    gc.disable()  # reading makes a tree of new objects and no cycles: a collection would find nothing
    try:
        parsed = pickle.loads(payload)
    except Exception:  # a damaged entry is ignored, and replaced on the next store
        return None
    finally:
        if collecting:
            gc.enable()
    if getattr(parsed, "source", None) != source:
        return None
    return parsed


def store_parsed(source: SourceFile, parsed) -> None:
    if folder() is None:
        return
    if write_entry(_entry_name(source), pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)):
        _prune()


def _prune() -> None:
    prune("parsed-", ".pickle", MAX_ENTRIES)


def prune(prefix: str, suffix: str, limit: int) -> None:
    """Remove the oldest half of the entries named `prefix…suffix` once there are more than
    `limit` of them."""
    where = folder()
    try:
        names = [n for n in os.listdir(where.fd) if n.startswith(prefix) and n.endswith(suffix)]
        if len(names) <= limit:
            return
        ages = {}
        for n in names:
            try:
                ages[n] = os.stat(n, dir_fd=where.fd, follow_symlinks=False).st_mtime
            except OSError:
                pass
    except OSError:
        return
    for old in sorted(ages, key=ages.get)[: len(ages) // 2]:
        try:
            os.unlink(old, dir_fd=where.fd)
        except OSError:
            pass
