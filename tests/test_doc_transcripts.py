"""Every transcript in the README and docs (a code block that starts with `$ legalmodel …` and
shows its output) is what the command prints today.

A line holding only `…` elides the middle of an output: the lines before it must start the
output and the lines after it must end it. Blocks whose command is piped (`| grep`) or shows no
output are not transcripts. A command that reports bad input (exit 2) is compared with what it
writes to stderr, which is all a terminal shows then. `LEGALMODEL_UPDATE_GOLDEN=1` rewrites the transcripts that have no
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
    # bad input is reported on stderr, and a terminal shows nothing else
    return result.stderr if result.exit_code == 2 and not result.stdout else result.stdout


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


# ---- docs/json.md: its examples are real output, cut where they say so --------------------------

ELIDED = "…"


def shown_as(doc, real, where: str = "") -> list[str]:
    """Where the document's JSON `doc` differs from the real output `real`. `"…"` stands for
    what was cut: as a value, any value; as a key (`"…": "…"`), keys left out of an object; as
    a list's last item, items left out of a list. Anything not cut must be exactly as printed,
    keys in the printed order."""
    if doc == ELIDED:
        return []
    if isinstance(doc, dict):
        if not isinstance(real, dict):
            return [f"{where}: an object in the doc, {real!r} in the output"]
        keys = [k for k in doc if k != ELIDED]
        problems = [f"{where}: no key `{k}` in the output" for k in keys if k not in real]
        if ELIDED not in doc and set(real) - set(keys):
            problems.append(f"{where}: the doc leaves out {sorted(set(real) - set(keys))} without `…`")
        if [k for k in real if k in keys] != [k for k in keys if k in real]:
            problems.append(f"{where}: the keys are printed in another order")
        for k in keys:
            if k in real:
                problems.extend(shown_as(doc[k], real[k], f"{where}.{k}"))
        return problems
    if isinstance(doc, list):
        if not isinstance(real, list):
            return [f"{where}: a list in the doc, {real!r} in the output"]
        cut = bool(doc) and doc[-1] == ELIDED
        items = doc[:-1] if cut else doc
        if len(items) > len(real) or (not cut and len(items) != len(real)):
            return [f"{where}: {len(items)} items in the doc, {len(real)} in the output"]
        problems = []
        for i, item in enumerate(items):
            problems.extend(shown_as(item, real[i], f"{where}[{i}]"))
        return problems
    return [] if doc == real else [f"{where}: {doc!r} in the doc, {real!r} in the output"]


def json_md_blocks() -> list:
    import json

    text = (REPO / "docs" / "json.md").read_text(encoding="utf-8")
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]


def check_json(args: list[str], cwd: Path = REPO) -> dict:
    import json

    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner(env={"NO_COLOR": "1"}).invoke(main, ["check", "--format", "json", *args])
    finally:
        os.chdir(old)
    return json.loads(result.stdout)


def test_json_md_examples_are_what_check_prints(tmp_path):
    document, example, invalid = json_md_blocks()
    assert shown_as(document, check_json(["docs/tutorial/step6.lm"])) == []
    real = check_json(["docs/tutorial/step8.lm"])["specs"][0]["examples"]
    (printed,) = [e for e in real if e["title"] == example["title"]]
    assert shown_as(example, printed) == []
    (tmp_path / "law.lm").write_text('law OSL "o"\nfact x: bool "x"\nfact x: bool "again"\n', encoding="utf-8")
    assert shown_as(invalid, check_json(["law.lm"], tmp_path)["specs"][0]) == []
