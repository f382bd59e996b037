"""The command line and the docs as a reader meets them (issue 18): docs that stand alone,
the amendment tutorial's working folder, a heading per spec when `check` reports several,
whole command summaries in `legalmodel --help`, and file names completed in the shell."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from legalmodel.cli import main

from helpers import REPO
from test_formats import invoke

NOT_YET: set[str] = set()  # docs allowed to cite outside files for now: none


def test_no_doc_or_spec_cites_a_file_outside_the_repository():
    files = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md")), *sorted((REPO / "specs").rglob("*.lm")),
             *sorted((REPO / "docs").rglob("*.lm"))]
    cited = []
    for path in files:
        relative = str(path.relative_to(REPO))
        if relative in NOT_YET:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"design\.md|brief\.md|shared/", line):
                cited.append(f"{relative}:{number}: {line.strip()}")
    assert not cited, "\n".join(cited)


def test_the_amendment_tutorial_says_where_to_run_it():
    text = (REPO / "docs/tutorial-amendments.md").read_text(encoding="utf-8")
    intro = text.split("## 1.")[0]
    assert "Run every command from `docs/amendment-tutorial`" in intro
    assert "cd docs/amendment-tutorial" in intro


# ---- a heading per spec ------------------------------------------------------------------------------

def test_several_specs_each_get_a_heading_before_their_findings(tmp_path):
    for name, rule in (("a", "permit x when y"), ("b", "forbid x when y")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "s.lm").write_text(
            f'law L "l"\nfact y: bool "y"\naction x "x"\nprovision 1 § "p" {rule}\n', encoding="utf-8")
    run = invoke(["check", "a", "b"], cwd=tmp_path)
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    # in prose, each spec's verdict line, with its name, comes first and heads its findings
    first = lines.index(next(x for x in lines if x.startswith("a: findings")))
    second = lines.index(next(x for x in lines if x.startswith("b: findings")))
    assert first == 0 and lines[second - 1] == ""
    assert any(line.startswith("error [gap") for line in lines[first:second])
    logic = invoke(["check", "--notation", "logic", "a", "b"], cwd=tmp_path).stdout.splitlines()
    first, second = logic.index("==> a <=="), logic.index("==> b <==")
    assert first == 0 and logic[second - 1] == "" and logic[second - 2].startswith("a: findings")
    assert any(line.startswith("  error[gap]") for line in logic[first:second])
    assert logic[-1].startswith("b: findings")


def test_one_spec_has_no_heading(tmp_path):
    (tmp_path / "s.lm").write_text('law L "l"\naction x "x" default permitted\n', encoding="utf-8")
    assert "==>" not in invoke(["check", "s.lm"], cwd=tmp_path).stdout


# ---- --help -----------------------------------------------------------------------------------------

def test_help_shows_every_command_summary_whole():
    from helpers import make_runner

    text = make_runner().invoke(main, ["--help"], env={"COLUMNS": "100"}).stdout
    commands = text.split("Commands:")[1]
    assert "..." not in commands and "…" not in commands
    joined = " ".join(commands.split())
    for name, command in main.commands.items():
        first = " ".join(command.help.strip().split("\n\n")[0].split())
        sentence = first[: first.find(". ") + 1] if ". " in first else first
        assert sentence in joined, (name, sentence)


# ---- completion ---------------------------------------------------------------------------------------

def complete(words: str) -> list[str]:
    env = {**os.environ, "_LEGALMODEL_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    # as the console script `legalmodel` runs it: the variable's name comes from the program's name
    done = subprocess.run([sys.executable, "-c", "from legalmodel.cli import main; main(prog_name='legalmodel')"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize("words", ["legalmodel check sp", "legalmodel diff specs/osl sp", "legalmodel fmt sp",
                                   "legalmodel explain sp", "legalmodel impact sp", "legalmodel history sp",
                                   "legalmodel init my", "legalmodel check specs/ --baseline ba"])
def test_path_arguments_complete_file_names(words):
    """bash asks for file names (`file,…`), which its completion script expands."""
    assert complete(words) == [f"file,{words.split()[-1]}"]


def test_commands_complete_too():
    assert "plain,check" in complete("legalmodel ch")


def test_the_readme_says_how_to_enable_completion():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for shell in ("bash", "zsh", "fish"):
        assert f"_LEGALMODEL_COMPLETE={shell}_source legalmodel" in readme
