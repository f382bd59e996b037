"""`check` and the ASP (clingo) baseline side by side: whole process, wall, CPU and peak memory.

    python3 benchmarks/asp_compare.py                          # the suite below, 3 runs each
    python3 benchmarks/asp_compare.py --runs 5 --only osl      # rows whose name contains `osl`

Each row runs, alternately so that both see the same machine, `legalmodel check SPEC` and
`benchmarks/asp_baseline.py SPEC --no-compare --quiet --no-idle` (load the law with legalmodel,
translate, ground and solve with clingo, read the answers; idle overrides left out unless
`--idle`) in fresh processes, and records for each the
wall time from process start, the CPU time (user + system, of the process and the workers
it waited for) and the peak resident set (the largest of those processes, from wait4).
It reports medians (min–max of the wall time). The rows: specs/osl on 2016-10-05 and today,
benchmarks/generate.py at 1,000 and 3,000 provisions, benchmarks/generate_crosscutting.py at
300 and 1,000 provisions with 6% and 15% of the rules across chapters (seed 1, width 10).

Writes benchmarks/asp_results.md and benchmarks/asp_results.json, and prints the table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from generate_crosscutting import generate as generate_crosscutting  # noqa: E402
from run import ENVIRONMENT, _calibration, _machine  # noqa: E402


def measure_once(cmd: list[str], limit: float) -> dict | None:
    """Wall, CPU and peak memory of one run from process start; None past the limit."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=ENVIRONMENT)
    deadline = started + limit
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            return None
        time.sleep(0.005)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1, 3):
        raise SystemExit(f"{' '.join(cmd)} exited {process.returncode}: {process.stderr.read().decode()[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024,
            "exit": process.returncode}


def row(name: str, path: str, as_of: str | None, runs: int, limit: float, with_idle: bool) -> dict:
    py = sys.executable
    idle = [] if with_idle else ["--no-idle"]
    extra = ["--as-of", as_of] if as_of else []
    commands = {
        "check": [py, "-m", "legalmodel.cli", "check", path, *extra],
        "clingo": [py, str(HERE / "asp_baseline.py"), path, "--no-compare", "--quiet", *extra, *idle],
    }
    out: dict = {"spec": name, "calibration": _calibration(), "load": os.getloadavg()[0]}
    samples: dict = {k: [] for k in commands}
    for _ in range(runs):
        for engine, cmd in commands.items():  # alternately: both see the same machine
            if samples[engine] is not None:
                found = measure_once(cmd, limit)
                samples[engine] = None if found is None else samples[engine] + [found]
    for engine, runs_of in samples.items():
        if not runs_of:
            out[engine] = None
            continue
        walls = [r["wall"] for r in runs_of]
        out[engine] = {"wall": statistics.median(walls), "min": min(walls), "max": max(walls),
                       "cpu": statistics.median(r["cpu"] for r in runs_of),
                       "peak_mib": statistics.median(r["peak_mib"] for r in runs_of), "n": len(runs_of)}
    return out


def table(rows: list[dict], limit: float) -> str:
    lines = ["| spec | loop | load | check: wall / cpu / peak | clingo baseline: wall / cpu / peak | cpu ratio clingo/check |",
             "|---|---|---|---|---|---|"]

    def cell(r):
        if r is None:
            return f"not finished in {limit:.0f} s"
        return f"{r['wall']:.2f} s ({r['min']:.2f}–{r['max']:.2f}) / {r['cpu']:.2f} s / {r['peak_mib']:.0f} MiB"

    for r in rows:
        ratio = f"{r['clingo']['cpu'] / r['check']['cpu']:.2f}" if r["check"] and r["clingo"] else "—"
        lines.append(f"| {r['spec']} | {r['calibration']:.2f} | {r['load']:.1f} | {cell(r['check'])} | "
                     f"{cell(r['clingo'])} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=600.0, help="seconds before a run is given up")
    parser.add_argument("--only", default=None, help="measure only the rows whose name contains this")
    parser.add_argument("--idle", action="store_true",
                        help="the baseline answers idle overrides too (by default it leaves them out, with --no-idle)")
    args = parser.parse_args()
    today = datetime.date.today().isoformat()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        suite = [(f"specs/osl, {date}", "specs/osl", date) for date in ("2016-10-05", today)]
        for n in (1000, 3000):
            path = Path(tmp) / f"law{n}.lm"
            path.write_text(generate(n, seed=1), encoding="utf-8")
            suite.append((f"generate.py, {n:,}", str(path), None))
        for n in (300, 1000):
            for share in (0.06, 0.15):
                path = Path(tmp) / f"cc{n}_{share}.lm"
                path.write_text(generate_crosscutting(n, 1, 0.0, share, 10), encoding="utf-8")
                suite.append((f"cross-cutting {share:.0%}, {n:,}", str(path), None))
        for name, path, as_of in suite:
            if args.only and args.only not in name:
                continue
            print(f"measuring {name} …", file=sys.stderr)
            rows.append(row(name, path, as_of, args.runs, args.limit, args.idle))
            (HERE / "asp_results.json").write_text(json.dumps({"machine": _machine(), "runs": args.runs,
                                                                "rows": rows}, indent=2) + "\n", encoding="utf-8")
    md = (f"Machine: {_machine()}. Medians of {args.runs} runs, whole process; wall (min–max), CPU of the "
          "process and its workers, peak resident set of the largest; `loop`: seconds of 10^7 Python additions "
          "before the row; `load`: the 1-minute load average then.\n\n" + table(rows, args.limit) + "\n")
    (HERE / "asp_results.md").write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
