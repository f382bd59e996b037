"""The pipeline: paths on the command line → specs → parsed → resolved → analysed.

Owns what counts as one spec (a file, or a directory's `.lm` files together; a directory
given on the command line is searched, and each directory below it that holds `.lm` files is
a spec of its own; `-` is standard input), reading files safely (only regular files inside
the folder given, up to a size counted as read: reading.py; UTF-8 without control characters:
controls.py), and chaining the stages so that each stage's diagnostics are raised together
before the next stage runs.

    .lm files --parse--> syntax --resolve--> CheckedSpec --encode/evaluate--> analyses --> report
"""

from __future__ import annotations

from .i18n import _, sentence
import os
import sys
from pathlib import Path

from .syntax import tree as s
from .syntax.controls import IN_NAME, escaped
from .syntax.diagnostics import Diagnostic, SpecErrors
from .law.history import Amendment, History, law_on, split
from .law.model import CheckedSpec
from .syntax.tree import MAX_FILE_BYTES
from .law.resolve import resolve
from .syntax.source import SourceFile, Span
from .frozen import frozen_dataclass

SUFFIX = ".lm"
STDIN = Path("-")  # the one spec file read from standard input: `check -`, `fmt -`
STDIN_NAME = "<stdin>"


@frozen_dataclass
class SpecUnit:
    """One spec: its display name and its files, in name order. `folder` is the folder given
    on the command line (for a file given by itself, the folder it is in): a symbolic link
    among the files is followed only to a file inside it."""

    name: str
    files: tuple[Path, ...]
    folder: Path | None = None


class UsageError(Exception):
    pass


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = str(path)
    return rel if not rel.startswith("..") else str(path)


def discover(paths: list[str]) -> list[SpecUnit]:
    """Find the specs the paths name, each once: a spec named twice (`specs/tutorial` and
    `./specs/tutorial`, or a folder and a folder inside it) is kept where it was first named.
    `-` is one spec file read from standard input. A missing path or a directory with no spec
    is a usage error."""
    units: list[SpecUnit] = []
    for raw in paths:
        if raw == "-":
            units.append(SpecUnit(STDIN_NAME, (STDIN,), None))
            continue
        path = Path(raw)
        if path == STDIN:  # a file named `-`, given as `./-`: Path dropped the `./`
            path = Path(os.path.abspath(raw))
        if not os.path.lexists(path):
            raise UsageError(_('`{path}` does not exist').format(path=escaped(raw)))
        if not path.is_dir():  # a file, or what is not one (a FIFO, a broken link): read_source says which
            units.append(SpecUnit(_display(path), (path,), path.parent))
            continue
        found = []
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            files = sorted(f for f in filenames if f.endswith(SUFFIX))
            if files:
                d = Path(dirpath)
                found.append(SpecUnit(_display(d), tuple(d / f for f in files), path))
        if not found:
            raise UsageError(_('`{path}` holds no `{suffix}` files').format(path=escaped(raw), suffix=SUFFIX))
        units.extend(found)
    for unit in units:  # a name is shown in every report: one that could drive a terminal is refused
        for name in (unit.name, *map(_display, unit.files)):
            if IN_NAME.search(name):
                raise UsageError(_('`{path}` has a control character in its name; rename it (such a name could drive the terminal it is shown on)').format(path=escaped(name)))
    return _distinct(units)


def _distinct(units: list[SpecUnit]) -> list[SpecUnit]:
    """The units without repeats, in first-given order: two units are the same spec when
    they read the same files (compared as resolved paths)."""
    seen: set[tuple[Path, ...]] = set()
    out = []
    for unit in units:
        key = tuple(os.path.realpath(f) for f in unit.files)  # never raises: a link loop is read_source's to report
        if key not in seen:
            seen.add(key)
            out.append(unit)
    return out


def read_spec_bytes(path: Path, display: str | None = None, folder: Path | None = None) -> tuple[bytes, str]:
    """A spec file's bytes and the name messages give it. Only a regular file inside `folder`
    (default: the folder the file is in) is read, up to MAX_FILE_BYTES (reading.py); `STDIN`
    reads standard input, up to the same limit. Anything else is a diagnostic."""
    from .syntax.reading import Refused, read_limited, read_stream

    stdin = path == STDIN
    name = display or (STDIN_NAME if stdin else _display(path))
    try:
        if stdin:
            return read_stream(sys.stdin.buffer, MAX_FILE_BYTES), name
        return read_limited(path, MAX_FILE_BYTES, path.parent if folder is None else folder), name
    except Refused as err:
        raise SpecErrors([Diagnostic("input", sentence('`{name}` is not read: {strerror}', name=name, strerror=err.strerror),
                                     Span(SourceFile(name, ""), 0, 0, 1, 1))]) from None


def read_source(path: Path, display: str | None = None, folder: Path | None = None) -> SourceFile:
    """Read a spec file as UTF-8 text; anything else is a diagnostic, not a crash."""
    data, name = read_spec_bytes(path, display, folder)
    return decode_source(data, name)


def decode_source(data: bytes, name: str) -> SourceFile:
    """A file's bytes as a source: UTF-8 text (a byte order mark is dropped) without control
    characters other than tab, form feed and line ends (controls.py); anything else is a
    diagnostic at the first bad character's line and column."""
    from .syntax.controls import IN_TEXT, describe

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        good = SourceFile(name, data[: err.start].decode("utf-8", errors="replace")).text
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        source = SourceFile(name, good)
        raise SpecErrors([Diagnostic("input", sentence('this file is not UTF-8 text (a spec is plain text)'),
                                     Span(source, len(good), len(good), line, column),
                                     help=sentence('save the file as UTF-8'))]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    source = SourceFile(name, text)  # line ends made LF first, so the place below is the parser's
    bad = IN_TEXT.search(source.text)
    if bad:
        at = bad.start()
        line = source.text.count("\n", 0, at) + 1
        column = at - (source.text.rfind("\n", 0, at) + 1) + 1
        raise SpecErrors([Diagnostic("input", sentence('this file contains {character}; a spec is plain text', character=describe(bad.group())),
                                     Span(source, at, at + 1, line, column),
                                     help=None if bad.group() == "\x00" else
                                     sentence('remove it: a control character in a spec could drive the terminal it is shown on'))])
    return source


def parse_file(source: SourceFile) -> s.SpecFile:
    """One file's syntax: from the cache when this exact file was parsed before (cache.py),
    else parsed (Lark is imported only then) and stored."""
    from .syntax import cache

    parsed = cache.load_parsed(source)
    if parsed is None:
        from .syntax.parse import parse_source

        parsed = parse_source(source)
        cache.store_parsed(source, parsed)
    return parsed


def parse_unit(unit: SpecUnit) -> list[s.SpecFile]:
    files, diagnostics = [], []
    for path in unit.files:
        try:
            files.append(parse_file(read_source(path, folder=unit.folder)))
        except SpecErrors as err:
            diagnostics.extend(err.diagnostics)
    if diagnostics:
        raise SpecErrors(diagnostics)
    if not any(f.items for f in files):
        first = files[0].source if files else SourceFile(unit.name, "")
        raise SpecErrors([Diagnostic("empty", sentence('`{unit}` declares nothing to check', unit=unit.name), Span(first, 0, 0, 1, 1),
                                     help=sentence('a spec declares at least a law, an action and its provisions'))])
    return files


def history_of(unit: SpecUnit) -> History:
    """Parse a spec and sort its items into the base law and its amendments."""
    return split(unit.name, parse_unit(unit))


def find_proposals(history: History, wanted: list[str]) -> list[Amendment]:
    """The proposals named on the command line, by file path or by title."""
    chosen = []
    for want in wanted:
        titled = [p for p in history.proposals if want == p.decl.title]
        if len(titled) > 1:  # as `diff --proposal` says: never apply two drafts for one
            listed = "; ".join(f"“{p.decl.title}” ({p.decl.span.location()})" for p in titled)
            files = sorted({p.source.path for p in titled})
            advice = (_("name the file of the one you mean, like --proposal {file}").format(file=files[0])
                      if len(files) == len(titled)
                      else _("give each proposal its own title"))
            raise UsageError(_('`{want}` names {count} proposals in {history}: {listed}; {advice}').format(want=want, count=len(titled), history=history.name, listed=listed, advice=advice))
        matches = titled or [p for p in history.proposals
                             if os.path.abspath(want) == os.path.abspath(p.source.path)]
        if not matches:
            titles = ", ".join(f"“{p.decl.title}” ({p.source.path})" for p in history.proposals) or _("none")
            raise UsageError(_('no proposal `{want}` in {history}; its proposals: {titles}').format(want=want, history=history.name, titles=titles))
        chosen.extend(matches)
    return chosen


def law_of(history: History, as_of: str | None = None, proposals: list[Amendment] = ()) -> CheckedSpec:
    """The checked law on a date (None: as last amended), with proposals applied last."""
    files, _applied = law_on(history, as_of, tuple(proposals))
    return resolve(history.name, files, as_of)


def load(unit: SpecUnit, as_of: str | None = None, proposals: list[str] = ()) -> CheckedSpec:
    """Parse and resolve one spec on a date; raise SpecErrors with every problem found."""
    history = history_of(unit)
    return law_of(history, as_of, find_proposals(history, list(proposals)))


def load_text(text: str, name: str = "<input>", as_of: str | None = None) -> CheckedSpec:
    """Parse and resolve a spec given as text (for tests and tools)."""
    from .syntax.parse import parse_source

    history = split(name, [parse_source(SourceFile(name, text))])
    return law_of(history, as_of)
