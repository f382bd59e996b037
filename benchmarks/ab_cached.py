"""Two versions of legalmodel side by side on a warm cache: each run is a fresh process, the
versions alternate so that both see the same machine, and the median of the runs is shown
with the min and max, beside the time of a fixed Python loop before and after.

    git archive 4f4f617 | tar -x -C /tmp/before        # the version to compare with
    python3 benchmarks/ab_cached.py before=/tmp/before after=. --runs 9

For each spec: `check` from process start (wall time), `fmt --check` (wall time), and the
parse stage in-process (`parse_unit`, the part the cache serves). Specs: specs/osl and the
generated 1,000-provision spec (benchmarks/generate.py, seed 1). Each version has a cache
folder of its own under a temporary folder, filled by one run before the measured ones.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

CLI = "from legalmodel.cli import run; run()"
PARSE = ("import sys, time\nfrom legalmodel.pipeline import discover, parse_unit\n"
         "unit = discover([sys.argv[1]])[0]\nt = time.perf_counter(); parse_unit(unit)\n"
         "print(time.perf_counter() - t)")


def loop() -> float:
    t = time.perf_counter()
    total = 0
    for i in range(10**7):
        total += i
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs=2, metavar="LABEL=TREE")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    versions = dict(v.split("=", 1) for v in args.versions)
    work = Path(tempfile.mkdtemp(prefix="legalmodel-ab-"))
    generated = work / "generated-1000"
    generated.mkdir()
    (generated / "law.lm").write_text(generate(1000, seed=1), encoding="utf-8")
    specs = {"specs/osl": str(HERE.parent / "specs" / "osl"), "generated, 1,000 provisions": str(generated)}

    def env(label: str) -> dict:
        return dict(os.environ, PYTHONPATH=str(Path(versions[label]).resolve()),
                    XDG_CACHE_HOME=str(work / f"cache-{label}"))

    def timed(label: str, *argv: str) -> tuple[float, subprocess.CompletedProcess]:
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", *argv], env=env(label), capture_output=True, text=True)
        return time.perf_counter() - t, done

    for label in versions:  # fill each cache
        for spec in specs.values():
            timed(label, CLI, "check", spec)
            timed(label, CLI, "fmt", "--check", spec)
    results: dict = {}
    before = loop()
    for _ in range(args.runs):
        for name, spec in specs.items():
            for label in versions:
                check, done = timed(label, CLI, "check", spec)
                fmt, _ = timed(label, CLI, "fmt", "--check", spec)
                _, parse = timed(label, PARSE, spec)
                results.setdefault((name, label), []).append((check, fmt, float(parse.stdout), done.returncode))
    after = loop()
    print(f"loop {before:.2f} s before, {after:.2f} s after; medians of {args.runs} runs (min–max)\n")
    print("| spec | " + " | ".join(versions) + " |")
    print("|---|" + "---|" * len(versions))
    for name in specs:
        cells = []
        for label in versions:
            rows = results[(name, label)]
            def cell(i, scale=1.0, unit="s", digits=3):
                values = [r[i] * scale for r in rows]
                return f"{statistics.median(values):.{digits}f} {unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"
            cells.append(f"check {cell(0)}; fmt --check {cell(1)}; parse {cell(2, 1000, 'ms', 1)}; exit {rows[0][3]}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
