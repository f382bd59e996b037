"""Running the command line as a separate process under limits, for the hostile-input tests:
a wall-clock timeout (a hang fails the test instead of stopping the suite) and a cap on the
address space (RLIMIT_AS), so input that makes memory grow without bound fails fast. The cache
and the home folder are private to the test."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 60  # seconds; every case here takes well under one on the project's machine
MEMORY = 2 << 30  # bytes of address space; `check specs/osl` runs in 1 GiB


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def legalmodel(args, cwd: Path, home: Path, stdin: bytes | None = None, env: dict | None = None,
               timeout: float = TIMEOUT) -> Run:
    """`legalmodel ARGS` in `cwd`, with HOME and XDG_CACHE_HOME under `home`."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home / "home"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "NO_COLOR": "1",
        "PYTHONHASHSEED": "0",
        **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
        **(env or {}),
    }
    command = [sys.executable, "-c", "from legalmodel.cli import run; run()", *map(str, args)]
    done = subprocess.run(command, cwd=cwd, env=environment, input=stdin if stdin is not None else b"",
                          capture_output=True, timeout=timeout, preexec_fn=_limits)
    return Run(tuple(map(str, args)), done.returncode, done.stdout.decode("utf-8", "replace"),
               done.stderr.decode("utf-8", "replace"))


def assert_clean_refusal(run: Run, *names: str) -> None:
    """Exit 2 with a message naming each of `names`, and no traceback or internal error."""
    assert "Traceback" not in run.stderr + run.stdout, run
    assert "internal error" not in run.stderr, run
    assert run.exit_code == 2, run
    for name in names:
        assert name in run.stderr, (name, run)
