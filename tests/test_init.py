"""`legalmodel init DIR`: a new spec repository that passes its own CI as created, and that
never overwrites what is already there (docs/ci.md, "A new spec repository")."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from legalmodel.cli import main

from helpers import REPO, make_runner

CREATED = ("specs/example/example.lm", "README.md", "legalmodel-requirements.txt", ".github/workflows/legalmodel.yml")


def run(args, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = make_runner().invoke(main, [str(a) for a in args], env={"NO_COLOR": "1"})
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command line crashed on {args}: {result.exception!r}") from result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def repo(tmp_path) -> Path:
    result = run(["init", "my-law"], tmp_path)
    assert result.exit_code == 0, result.stderr
    return tmp_path / "my-law"


def test_init_creates_a_spec_repository(repo):
    assert sorted(snapshot(repo)) == sorted(CREATED)
    spec = (repo / "specs/example/example.lm").read_text(encoding="utf-8")
    assert re.search(r"^law \w+ ", spec, re.M) and re.search(r"^provision ", spec, re.M)
    assert re.search(r"^goal ", spec, re.M) and re.search(r"^example ", spec, re.M)
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "legalmodel check specs/" in readme and "legalmodel fmt --check specs/" in readme


def test_init_says_what_it_created(tmp_path):
    result = run(["init", "my-law"], tmp_path)
    for relative in CREATED:
        assert str(Path("my-law") / relative) in result.stdout


def test_the_new_repository_passes_check_and_fmt(repo):
    check = run(["check", "specs/"], repo)
    assert check.exit_code == 0, check.stdout + check.stderr
    assert "consistent" in check.stdout
    # the example spec is not trivial: it has a goal and an example, and they pass
    assert re.search(r"^  holds: ", check.stdout, re.M)
    assert re.search(r"; (\d+) of \1 expectations? pass(es)?$", check.stdout.splitlines()[0])  # the verdict first
    fmt = run(["fmt", "--check", "specs/"], repo)
    assert fmt.exit_code == 0, fmt.stdout + fmt.stderr
    assert fmt.stdout == ""


def test_the_new_repository_passes_its_own_sarif_step(repo):
    """The workflow uploads `check --format sarif`; the log has no results to show."""
    result = run(["check", "specs/", "--format", "sarif"], repo)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["runs"][0]["results"] == []


def workflow_steps(text: str) -> list[str]:
    try:
        import yaml
    except ImportError:
        return re.findall(r"run: (.+)", text)
    data = yaml.safe_load(text)
    assert data["name"]
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) >= {"push", "pull_request"}
    (job,) = data["jobs"].values()
    return [step["run"] for step in job["steps"] if "run" in step]


def test_the_workflow_runs_check_and_fmt(repo):
    text = (repo / ".github/workflows/legalmodel.yml").read_text(encoding="utf-8")
    steps = workflow_steps(text)
    # one run of check: annotations, the job summary and the SARIF file; it fails the job
    assert "legalmodel check specs/ --format github --sarif legalmodel.sarif" in [s.strip() for s in steps]
    assert any(s.strip() == "legalmodel fmt --check specs/" for s in steps)


def test_the_workflow_is_the_one_docs_ci_shows(repo):
    """docs/ci.md says its GitHub Actions workflow is the file `init` writes."""
    doc = (REPO / "docs/ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    written = (repo / ".github/workflows/legalmodel.yml").read_text(encoding="utf-8")
    assert written in blocks


def workflow(repo: Path) -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((repo / ".github/workflows/legalmodel.yml").read_text(encoding="utf-8"))


def test_the_workflow_installs_the_pinned_legalmodel_not_a_placeholder(repo):
    """legalmodel is not on PyPI: the workflow installs what legalmodel-requirements.txt
    names and checks that it is the version the repository was created with; the file names
    no made-up URL (here legalmodel runs from a local copy, so it names nothing and says what
    to add), and docs/ci.md says so."""
    from legalmodel import __version__

    (job,) = workflow(repo)["jobs"].values()
    runs = [st["run"] for st in job["steps"] if "run" in st]
    assert "python -m pip install -r legalmodel-requirements.txt" in runs
    assert any(f'"legalmodel, version {__version__}"' in r for r in runs)
    requirements = (repo / "legalmodel-requirements.txt").read_text(encoding="utf-8")
    assert all(line.startswith("#") for line in requirements.splitlines())
    assert f"legalmodel {__version__}" in requirements
    for text in ((repo / "README.md").read_text(encoding="utf-8"), (REPO / "docs/ci.md").read_text(encoding="utf-8")):
        assert "github.com/legalmodel" not in text and "LEGALMODEL_SOURCE" not in text
        assert "legalmodel-requirements.txt" in text


def simulate(repo: Path) -> tuple[str, list[tuple[str, str]]]:
    """Run the workflow's steps as GitHub Actions would, after the install: a step runs while
    the job has not failed (or with `if: always()`), a failing step fails the job unless it
    has `continue-on-error`. Returns the job's result and each step's outcome."""
    import shlex

    (job,) = workflow(repo)["jobs"].values()
    result, outcomes = "success", []
    for step in job["steps"]:
        name = step.get("run") or step["uses"]
        condition = step.get("if")
        sarif_guard = "always() && hashFiles('legalmodel.sarif') != ''"
        assert condition in (None, "always()", sarif_guard), f"the simulation does not know `if: {condition}`"
        if (result == "failure" and condition is None) or (
                condition == sarif_guard and not (repo / "legalmodel.sarif").is_file()):
            outcomes.append((name, "skipped"))
            continue
        if "uses" in step:
            if "upload-sarif" in step["uses"]:
                sarif = repo / step["with"]["sarif_file"]
                assert sarif.is_file(), "the upload step has no SARIF file to upload"
                json.loads(sarif.read_text(encoding="utf-8"))
            outcomes.append((name, "success"))
            continue
        if "pip install" in step["run"] or step["run"].startswith("legalmodel --version"):
            outcomes.append((name, "success"))  # the install, and its check of the version
            continue
        command, _, target = step["run"].partition(" > ")
        words = shlex.split(command)
        assert words[0] == "legalmodel", step["run"]
        ran = run(words[1:], repo)
        if target:
            (repo / target.strip()).write_text(ran.stdout, encoding="utf-8")
        outcome = "success" if ran.exit_code == 0 else "failure"
        outcomes.append((name, outcome))
        if outcome == "failure" and not step.get("continue-on-error"):
            result = "failure"
    return result, outcomes


def test_the_workflow_passes_on_the_new_repository(repo):
    result, outcomes = simulate(repo)
    assert result == "success"
    assert all(outcome == "success" for _name, outcome in outcomes)


def test_with_findings_the_check_step_fails_the_job_and_the_sarif_is_uploaded(repo):
    """docs/ci.md: the check step fails the job, and the upload still runs after it."""
    spec = repo / "specs/example/example.lm"
    spec.write_text(spec.read_text(encoding="utf-8")
                    + '\nprovision 26 kap. 2 § "Extra" (SFS 2009:400, verified)\n'
                      "  forbid lämna_uppgift when konkret_risk\n", encoding="utf-8")
    result, outcomes = simulate(repo)
    assert result == "failure"
    names = [name for name, _outcome in outcomes]
    upload = next(i for i, name in enumerate(names) if "upload-sarif" in name)
    assert outcomes[upload][1] == "success"
    assert json.loads((repo / "legalmodel.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    check = next(i for i, name in enumerate(names) if name.startswith("legalmodel check"))
    assert outcomes[check][1] == "failure" and check < upload
    assert "skipped" not in [outcome for _name, outcome in outcomes]


def test_init_into_an_empty_existing_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run(["init", "empty"], tmp_path)
    assert result.exit_code == 0
    assert sorted(snapshot(tmp_path / "empty")) == sorted(CREATED)


@pytest.mark.parametrize("existing", [
    {"README.md": b"# my own readme\n"},
    {"specs/example/example.lm": b'law X "mine"\n'},
    {"notes.txt": b"unrelated\n"},
])
def test_init_never_overwrites_a_folder_that_is_not_empty(tmp_path, existing):
    root = tmp_path / "mine"
    for relative, data in existing.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    before = snapshot(root)
    result = run(["init", "mine"], tmp_path)
    assert result.exit_code == 2
    assert "mine" in result.stderr and "not empty" in result.stderr
    assert snapshot(root) == before  # nothing written, nothing replaced


def test_init_twice_keeps_the_first_repository(repo, tmp_path):
    (repo / "specs/example/example.lm").write_text('law X "edited"\n', encoding="utf-8")
    before = snapshot(repo)
    result = run(["init", "my-law"], tmp_path)
    assert result.exit_code == 2
    assert snapshot(repo) == before


def test_init_onto_an_existing_file_is_a_usage_error_not_a_crash(tmp_path):
    (tmp_path / "law.lm").write_text('law X "x"\n', encoding="utf-8")
    result = run(["init", "law.lm"], tmp_path)
    assert result.exit_code == 2
    assert "law.lm" in result.stderr
    assert (tmp_path / "law.lm").read_text(encoding="utf-8") == 'law X "x"\n'
