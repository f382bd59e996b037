"""The hostile corpus (issue 18): inputs built to break legalmodel, each run through `check`,
`explain`, `diff` and `fmt` as a separate process under a timeout and a memory cap
(hostile_run.py). Whatever the input: no traceback, no hang, no internal error (exit 4); a
refused input exits 2 with a message that names the file; and no data is lost: `fmt` either
leaves a file's bytes alone or writes a text with the same syntax and comments, and never
touches a file outside the spec folder.

The files in tests/hostile/ are the inputs that can be committed; what git cannot hold (a
FIFO, a socket, symbolic links, /dev/zero, a file over the size limit) is made at test time
below. tests/hostile/README.md lists the classes. Add a case whenever a new one is found."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from hostile_run import Run, legalmodel
from legalmodel.syntax.controls import IN_NAME
from legalmodel.syntax.diagnostics import SpecErrors
from legalmodel.syntax.format import comments_of
from legalmodel.syntax.parse import parse_source
from legalmodel.syntax.source import SourceFile

CORPUS = Path(__file__).resolve().parent / "hostile"

# each committed file: the exit status `check` must give, a text its output must hold, and
# whether the file cannot even be read or parsed (then every command refuses it, fmt included;
# otherwise fmt formats it, keeping what it says)
EXPECTED = {
    "cr-only.lm": (0, "1 provision", False),
    "crlf.lm": (0, "1 provision", False),
    "lone-cr-after-comment.lm": (0, "1 provision", False),
    "mixed-line-ends.lm": (0, "1 provision", False),
    "bom.lm": (0, "1 provision", False),
    "deep-nesting.lm": (0, "1 provision", False),
    "u2028-in-comment.lm": (2, "u2028-in-comment.lm:5:26: error[unknown-name]", False),
    "empty.lm": (2, "empty.lm:1:1: error[empty]", False),
    "only-comments.lm": (2, "only-comments.lm:1:1: error[empty]", False),
    "cr-inside-string.lm": (2, "cr-inside-string.lm:1:7: error[syntax]", True),
    "unterminated-string.lm": (2, "unterminated-string.lm:1:7: error[syntax]", True),
    "nul-byte.lm": (2, "nul-byte.lm:10:22: error[input]", True),
    "not-utf8.lm": (2, "not-utf8.lm:2:17: error[input]", True),
    "binary-garbage.lm": (2, "binary-garbage.lm:1:3: error[input]", True),
    "deep-not.lm": (2, "deep-not.lm:10:805: error[nesting]", True),
    "osc-in-title.lm": (2, "osc-in-title.lm:2:12: error[input]: this file contains the control character U+001B", True),
    "csi-in-comment.lm": (2, "csi-in-comment.lm:1:9: error[input]", True),
    "c1-csi-in-title.lm": (2, "c1-csi-in-title.lm:1:9: error[input]: this file contains the control character U+009B",
                           True),
    "vertical-tab-in-title.lm": (2, "vertical-tab-in-title.lm:1:9: error[input]", True),
    "nel-in-comment.lm": (2, "nel-in-comment.lm:1:4: error[input]", True),
    "reserved-word-fact.lm": (2, "reserved-word-fact.lm:3:6: error[reserved]: `true` is a word of the language", False),
    "lookalike-names.lm": (2, "lookalike-names.lm:4:6: error[lookalike]", False),
    "reword-before-in-force.lm": (2, "reword-before-in-force.lm:11:8: error[amendment-date]", False),
}

GOOD = 'law L "l"\n\naction a "a" default permitted\n'  # in the canonical layout: fmt leaves it alone
UNFORMATTED = 'law   X "x"\naction b "b"   default permitted\n'
CANARY, SECRET = "LEGALMODEL_TEST_CANARY", "not-for-the-log-5d1e"


def sane(run: Run) -> None:
    """What holds for every run, whatever the input (NO_COLOR is set: no escape is ours)."""
    assert "Traceback" not in run.stdout + run.stderr, run
    assert not IN_NAME.search((run.stdout + run.stderr).replace("\n", "")), f"a control character reached the terminal: {run}"
    assert run.exit_code != 4 and "internal error" not in run.stderr, run
    assert SECRET not in run.stdout + run.stderr and CANARY not in run.stdout + run.stderr, run


def snapshot(root: Path) -> dict[str, bytes]:
    """The bytes of every regular file under root that is not a link, FIFO or device."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file() or "cache" in path.parts:
                continue
            if path.stat().st_size < 1_000_000:
                out[str(path.relative_to(root))] = path.read_bytes()
    return out


def meaning(data: bytes):
    """The syntax and the comments of a file's bytes; None if it does not parse."""
    try:
        text = data.decode("utf-8-sig")
        parsed = parse_source(SourceFile("f.lm", text))
    except (UnicodeDecodeError, SpecErrors):
        return None
    return parsed.items, sorted(c for _l, c, _t in comments_of(parsed.source.text))


def assert_nothing_lost(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    assert set(after) == set(before), "fmt added or removed files"
    for name, old in before.items():
        new = after[name]
        if new != old:
            assert meaning(old) is not None and meaning(new) == meaning(old), f"fmt changed what {name} says"


def run_all(tmp_path: Path, target: str) -> dict[str, Run]:
    """`check`, `explain`, `diff` and `fmt` on one spec, with a canary in the environment."""
    env = {CANARY: SECRET}
    runs = {command: legalmodel(args, tmp_path, tmp_path, env=env) for command, args in {
        "check": ["check", target],
        "explain": ["explain", target],
        "diff": ["diff", target, target],
        "fmt --check": ["fmt", "--check", target],
    }.items()}
    before = snapshot(tmp_path)
    runs["fmt"] = legalmodel(["fmt", target], tmp_path, tmp_path, env=env)
    assert_nothing_lost(before, snapshot(tmp_path))
    for run in runs.values():
        sane(run)
    return runs


def test_every_committed_case_has_an_expectation():
    assert {p.name for p in CORPUS.glob("*.lm")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_committed_case(tmp_path, name):
    status, message, unreadable = EXPECTED[name]
    spec = tmp_path / "spec"
    spec.mkdir()
    shutil.copyfile(CORPUS / name, spec / name)
    runs = run_all(tmp_path, "spec")
    check = runs["check"]
    assert check.exit_code == status, check
    assert message in check.stdout + check.stderr, check
    if status == 2:
        for command in ("explain", "diff"):
            assert runs[command].exit_code == 2 and f"spec/{name}" in runs[command].stderr, runs[command]
    if unreadable:
        for command in ("fmt --check", "fmt"):
            assert runs[command].exit_code == 2 and f"spec/{name}" in runs[command].stderr, runs[command]
        assert (spec / name).read_bytes() == (CORPUS / name).read_bytes()
    else:
        assert runs["fmt"].exit_code == 0, runs["fmt"]
        assert meaning((spec / name).read_bytes()) == meaning((CORPUS / name).read_bytes())


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays


# each made case: what to make in the spec folder, and what the refusal must say
MADE = {
    "fifo": (lambda spec: os.mkfifo(spec / "fifo.lm"), ["spec/fifo.lm", "FIFO"]),
    "socket": (lambda spec: _socket(spec / "socket.lm"), ["spec/socket.lm", "socket"]),
    "link to the environment": (lambda spec: (spec / "env.lm").symlink_to("/proc/self/environ"),
                                ["spec/env.lm", "outside the folder"]),
    "link to /dev/zero": (lambda spec: (spec / "zero.lm").symlink_to("/dev/zero"), ["spec/zero.lm"]),
    "link loop": (lambda spec: ((spec / "x.lm").symlink_to("y.lm"), (spec / "y.lm").symlink_to("x.lm")),
                  ["spec/x.lm", "spec/y.lm", "loop"]),
    "dangling link": (lambda spec: (spec / "gone.lm").symlink_to("missing.lm"), ["spec/gone.lm", "does not exist"]),
    "link out of the folder": (lambda spec: (spec / "out.lm").symlink_to("../outside.lm"),
                               ["spec/out.lm", "outside the folder"]),
    "over the size limit": (lambda spec: (spec / "big.lm").write_bytes(b"#" * 20_000_001),
                            ["spec/big.lm", "larger than the limit"]),
    "escape in a file name": (lambda spec: (spec / "a\x1b[2J.lm").write_text(GOOD, encoding="utf-8"),
                              ["spec/a\\x1b[2J.lm", "control character in its name"]),
    "escape in a folder name": (lambda spec: ((spec / "s\x1b]0;t\x07").mkdir(),
                                              (spec / "s\x1b]0;t\x07" / "g.lm").write_text(GOOD, encoding="utf-8")),
                                ["spec/s\\x1b]0;t\\x07", "control character in its name"]),
}


@pytest.mark.parametrize("case", sorted(MADE))
def test_a_made_case(tmp_path, case):
    make, messages = MADE[case]
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "good.lm").write_text(GOOD, encoding="utf-8")
    (tmp_path / "outside.lm").write_text(UNFORMATTED, encoding="utf-8")
    make(spec)
    runs = run_all(tmp_path, "spec")
    for command, run in runs.items():
        assert run.exit_code == 2, (command, run)
        for text in messages:
            assert text in run.stderr, (command, text, run)
    assert (tmp_path / "outside.lm").read_text(encoding="utf-8") == UNFORMATTED


BASELINES = {
    "fifo": lambda tmp: (os.mkfifo(tmp / "b.json"), "b.json")[1],
    "/dev/zero": lambda tmp: "/dev/zero",
    "link loop": lambda tmp: ((tmp / "b.json").symlink_to("c.json"), (tmp / "c.json").symlink_to("b.json"),
                              "b.json")[2],
    "over the size limit": lambda tmp: ((tmp / "b.json").write_bytes(b" " * 20_000_001), "b.json")[1],
    "escape in a justification": lambda tmp: ((tmp / "b.json").write_text(
        '{"accepted": [{"id": "COL-6087e6b9", "justification": "ok\\u001b[2K"}]}'), "b.json")[1],
}


@pytest.mark.parametrize("case", sorted(BASELINES))
def test_a_hostile_baseline(tmp_path, case):
    (tmp_path / "good.lm").write_text(GOOD, encoding="utf-8")
    where = BASELINES[case](tmp_path)
    run = legalmodel(["check", "good.lm", "--baseline", where], tmp_path, tmp_path)
    sane(run)
    assert run.exit_code == 2 and f"the baseline `{where}`" in run.stderr, run


@given(st.text(max_size=12))
def test_a_names_skeleton_is_nfkc_with_lookalikes_made_latin(name):
    # skeleton() returns an ASCII name as it is: right only while NFKC keeps ASCII and no
    # lookalike is ASCII
    import unicodedata

    from legalmodel.law.names import LOOKALIKES, skeleton

    assert all(code > 127 for code in LOOKALIKES)
    assert skeleton(name) == unicodedata.normalize("NFKC", name).translate(LOOKALIKES)
