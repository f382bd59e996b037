"""The TextMate grammar of the VS Code extension (editors/vscode/), against fixture files,
with the npm package vscode-tmgrammar-test (installed by .ci/run; see docs/editors.md).
Missing tool: the test fails, it does not skip, so CI cannot pass without it."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "editors" / "vscode"
GRAMMAR = EXTENSION / "syntaxes" / "legalmodel.tmLanguage.json"
INSTALL = "npm install --prefix .ci/tmgrammar vscode-tmgrammar-test@0.1.3"


def tool() -> Path:
    given = os.environ.get("LEGALMODEL_TMGRAMMAR_TEST")
    path = Path(given) if given else ROOT / ".ci" / "tmgrammar" / "node_modules" / ".bin" / "vscode-tmgrammar-test"
    if not path.exists() and not given:  # install it as .ci/run does, npm's cache in the folder
        import shutil

        npm = shutil.which("npm")
        if npm:
            subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(ROOT / ".ci" / "tmgrammar"),
                            "--cache", str(ROOT / ".ci" / "tmgrammar" / ".npm-cache"), "vscode-tmgrammar-test@0.1.3"],
                           capture_output=True, timeout=300)
    if not path.exists():
        pytest.fail(f"vscode-tmgrammar-test is not installed at {path}; install it with `{INSTALL}` "
                    "(as .ci/run does), or point LEGALMODEL_TMGRAMMAR_TEST at it")
    return path


def run(tmp_path, *cases: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, npm_config_cache=str(tmp_path / "npm-cache"), HOME=str(tmp_path))
    return subprocess.run([str(tool()), "-c", "--config", "package.json", *cases], cwd=EXTENSION, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_grammar_scopes_the_fixtures_as_they_say(tmp_path):
    done = run(tmp_path, "test/*.test.lm")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_wrong_expectation_fails(tmp_path):
    """The tool does check: a fixture that expects a keyword to be a string fails."""
    case = EXTENSION / "test" / "wrong.lm.tmp"
    case.write_text('# SYNTAX TEST "source.legalmodel"\nlaw X "x"\n# <--- string.quoted.double.legalmodel\n',
                    encoding="utf-8")
    try:
        done = run(tmp_path, "test/wrong.lm.tmp")
    finally:
        case.unlink()
    assert done.returncode != 0 and "Missing required scopes" in done.stdout + done.stderr


def test_every_keyword_of_the_language_is_highlighted():
    """Each word the Lark grammar takes as a keyword matches a keyword or constant pattern."""
    lark = (ROOT / "grammar" / "legalmodel.lark").read_text(encoding="utf-8")
    words = set(re.findall(r'"([a-z]+)"', lark)) - {"kap", "st", "p"}
    repo = json.loads(GRAMMAR.read_text(encoding="utf-8"))["repository"]
    patterns = [re.compile(p["match"]) for p in repo["keyword"]["patterns"]]
    missing = sorted(w for w in words if not any(p.fullmatch(w) for p in patterns) and w not in ("outside", "scope"))
    assert missing == []
    assert any(p.fullmatch("outside scope") for p in patterns)


def test_every_swedish_keyword_is_highlighted_after_the_declaration():
    """Each Swedish phrase of syntax/surface.py matches a pattern of the Swedish region (the
    file after `språk sv`), and no English keyword does: there they are names."""
    from legalmodel.syntax.surface import KEYWORDS

    repo = json.loads(GRAMMAR.read_text(encoding="utf-8"))["repository"]
    assert repo["swedish"]["begin"].startswith("^[ \\t]*(språk)")
    patterns = [re.compile(p["match"]) for p in repo["keyword-sv"]["patterns"]]
    phrases = {k.swedish for k in KEYWORDS if k.english != "language"}
    missing = sorted(p for p in phrases if not any(x.fullmatch(p) for x in patterns))
    assert missing == []
    english = {k.english for k in KEYWORDS} - {"language"}
    assert sorted(w for w in english if any(x.fullmatch(w) for x in patterns)) == []
