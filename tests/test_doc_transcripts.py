"""Every transcript in the README and docs (a code block that starts with `$ legalmodel …` and
shows its output) is what the command prints today.

A line holding only `…` elides the middle of an output: the lines before it must start the
output and the lines after it must end it. Blocks whose command is piped (`| grep`) or shows no
output are not transcripts. `LEGALMODEL_UPDATE_GOLDEN=1` rewrites the transcripts that have no
elision from the current output.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from legalmodel.cli import main

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# where each document's commands are run from (default: the repository)
WORKDIR = {"tutorial-amendments.md": REPO / "docs" / "amendment-tutorial"}
BLOCK = re.compile(r"```\n(\$ legalmodel [^\n]*)\n(.*?)```", re.S)


def transcripts():
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            command, shown = match.group(1), match.group(2)
            if "|" in command or not shown.strip() or "\n$ " in "\n" + shown:
                continue
            line = text[:match.start()].count("\n") + 1
            yield pytest.param(path, command, shown, id=f"{path.name}:{line}")


def run(command: str, path: Path) -> str:
    args = shlex.split(command)[2:]  # after `$ legalmodel`
    env = {"NO_COLOR": "1", "COLUMNS": "100"}
    old = os.getcwd()
    os.chdir(WORKDIR.get(path.name, REPO))
    try:
        result = CliRunner(env=env).invoke(main, args)
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.stdout


@pytest.mark.parametrize(("path", "command", "shown"), list(transcripts()))
def test_transcript_is_current(path, command, shown):
    actual = run(command, path)
    if re.search(r"^\s*…\s*$", shown, re.M):
        lines = shown.rstrip("\n").split("\n")
        cut = next(i for i, line in enumerate(lines) if line.strip() == "…")
        head, tail = lines[:cut], lines[cut + 1:]
        out = actual.rstrip("\n").split("\n")
        assert out[:len(head)] == head, f"{path.name}: `{command}` no longer starts like this"
        assert not tail or out[-len(tail):] == tail, f"{path.name}: `{command}` no longer ends like this"
        return
    if actual != shown and os.environ.get("LEGALMODEL_UPDATE_GOLDEN"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"{command}\n{shown}", f"{command}\n{actual}", 1), encoding="utf-8")
        return
    assert actual == shown, f"{path.name}: `{command}` prints something else now (LEGALMODEL_UPDATE_GOLDEN=1 rewrites it)"


def test_there_are_transcripts_to_check():
    assert len(list(transcripts())) >= 10
