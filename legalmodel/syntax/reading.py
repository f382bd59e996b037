"""Opening input files safely: a spec file or a baseline is read only if it is a regular file
(never a FIFO or a device, which could hang or never end), a symbolic link is followed only to
a file inside the folder given, and at most the limit plus one byte is ever read, whatever
`stat` says. Writing back (`fmt`) goes to the same file, never through a link out of the folder.

The rules are in docs/language.md, "Files, specs and layout".
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CHUNK = 1 << 20


class Refused(OSError):
    """A file that is not read; the message says why, without the file's name or contents."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _within(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def target(path: Path, folder: Path | None) -> str:
    """The path to open for `path`: itself, or where its symbolic link leads, which must be
    a file inside `folder` (compared with every link resolved; None: anywhere)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise Refused(errno.ENOENT, "no such file") from None
    except OSError as err:
        raise Refused(err.errno, f"it cannot be read ({(err.strerror or str(err)).lower()})") from None
    if not stat.S_ISLNK(info.st_mode):
        return str(path)
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise Refused(err.errno, "it is a symbolic link that leads back to itself (a loop)") from None
        raise Refused(err.errno, "it is a symbolic link to a file that does not exist") from None
    if folder is not None:
        home = os.path.realpath(folder)
        if not _within(real, home):
            raise Refused(errno.EPERM, f"it is a symbolic link that leads outside the folder `{folder}`; "
                                       "only files inside the folder given are read")
    return real


def read_limited(path: Path, limit: int, folder: Path | None = None) -> bytes:
    """The bytes of a regular file, refusing anything else (Refused says why) and any file
    longer than `limit` bytes, counted as they are read."""
    where = target(path, folder)
    try:
        # what is not a regular file is not even opened: opening a device can act (a tape
        # rewinds, a watchdog starts), and opening a FIFO waits for a writer
        mode = os.stat(where, follow_symlinks=False).st_mode
        if not stat.S_ISREG(mode):
            raise Refused(errno.EINVAL, f"it is {_kind(mode)}; only a regular file is read")
        # and if it was swapped after that look: no-follow, so a link put in its place is not
        # followed; non-blocking, so a FIFO put in its place does not wait; fstat checks again
        fd = os.open(where, os.O_RDONLY | _NONBLOCK | _NOCTTY | _NOFOLLOW | _CLOEXEC)
    except Refused:
        raise
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise Refused(err.errno, "it is a symbolic link that changed while it was read") from None
        raise Refused(err.errno, f"it cannot be read ({(err.strerror or str(err)).lower()})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise Refused(errno.EINVAL, f"it is {_kind(mode)}; only a regular file is read")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except Refused:
        raise
    except OSError as err:
        raise Refused(err.errno, f"it cannot be read ({(err.strerror or str(err)).lower()})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise Refused(errno.EFBIG, f"it is larger than the limit of {limit:,} bytes")
    return b"".join(chunks)


def read_stream(stream, limit: int) -> bytes:
    """At most `limit` bytes of a binary stream (standard input), to its end; Refused if longer."""
    try:
        data = stream.read(limit + 1)
    except OSError as err:
        raise Refused(err.errno, f"it cannot be read ({(err.strerror or str(err)).lower()})") from None
    if len(data) > limit:
        raise Refused(errno.EFBIG, f"it is larger than the limit of {limit:,} bytes")
    return data


def write_in_place(path: Path, text: str, folder: Path | None = None) -> None:
    """Replace the contents of the file `path` reads from (itself, or the file inside `folder`
    its link leads to) with `text` as UTF-8: written to a new file beside it and renamed over
    it, so a failure leaves the old text whole; the file keeps its permissions."""
    where = Path(target(path, folder))
    mode = stat.S_IMODE(os.stat(where, follow_symlinks=False).st_mode)
    temporary = where.with_name(f".{where.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
        os.replace(temporary, where)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
