"""The benchmark suite: how long legalmodel takes, stage by stage, on specs of growing size.

    python3 benchmarks/run.py                      # sizes 100 and 1000, cross-cutting 1000 at 6% and 15%
                                                   # (seeds 1-3), 3 runs each
    python3 benchmarks/run.py --sizes 100 1000 10000 --runs 5 --limit 600
    python3 benchmarks/run.py --sizes --crosscutting-sizes --real specs/osl@2016-10-05..2020-08-01
    python3 benchmarks/run.py --sizes --crosscutting-sizes 1000 10000 --shares 0.06 0.15 --seeds 1 2 3

For each generated size (benchmarks/generate.py, seed 1) it measures, in a fresh process
each time: the stages of `check` (parse, resolve, encode, each analysis), the whole `check`
command from process start, `diff` against a second version in which 1% of the rules
changed, `explain` of one situation, and the peak memory of `check`. The same for specs whose
rules cut across chapters (benchmarks/generate_crosscutting.py), at each share of such rules
and each seed asked for: one seed's speed says little about the shape. It reports the median
of the runs with the min and max. Beside it, the obvious alternative a drafter could script:
enumerating every situation with the evaluator, run where it can finish within a minute,
and otherwise the number of situations it would need. A measurement that exceeds --limit
seconds is reported as not finished, with the limit. Each row records how long a fixed Python
loop took just before it (a virtual machine's speed can change by half within an hour).

Writes benchmarks/results.md and benchmarks/results.json, and prints the Markdown table.
"""

from __future__ import annotations

import argparse
import compileall
import functools
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import generate  # noqa: E402
from generate_crosscutting import generate as generate_crosscutting  # noqa: E402

STAGE_SCRIPT = r"""
import gc, json, resource, sys, time
t0 = time.perf_counter()
from legalmodel.cli import GC_THRESHOLDS
gc.set_threshold(*GC_THRESHOLDS)  # as the command line does
from legalmodel.pipeline import discover, history_of, law_of, parse_unit
from legalmodel.law.history import split
from legalmodel.analyses.analyse import Analyser, default_jobs
jobs = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] != "-" else None
unit = discover([sys.argv[1]])[0]
t = time.perf_counter(); files = parse_unit(unit); parse = time.perf_counter() - t
t = time.perf_counter(); spec = law_of(split(unit.name, files), sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] != "-" else None)
resolve = time.perf_counter() - t
jobs = jobs or default_jobs(spec)  # as the command line does
t = time.perf_counter()
a = Analyser(spec, 60000)
report = a.run(jobs)
wall = time.perf_counter() - t
# the peak of this process and of its worker, added: an upper bound (pages they share count twice)
out = {"parse": parse, "resolve": resolve, **report.timings, "analysis_wall": wall, "jobs": jobs,
       "questions": report.questions, "findings": len(report.findings),
       "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                   + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}
print(json.dumps(out))
"""

ENUM_SCRIPT = r"""
import itertools, json, sys, time
from legalmodel.pipeline import discover, load
from legalmodel.semantics.evaluate import evaluate, assumptions_hold
spec = load(discover([sys.argv[1]])[0])
domains = [list(f.type.values()) for f in spec.facts.values()]
names = list(spec.facts)
t = time.perf_counter()
n = 0
undecided = contradictory = 0
for values in itertools.product(*domains):
    situation = dict(zip(names, values))
    if not assumptions_hold(spec, situation):
        continue
    v = evaluate(spec, situation).verdicts
    n += 1
print(json.dumps({"seconds": time.perf_counter() - t, "situations": n}))
"""


def situations_needed(path: str) -> int:
    sys.path.insert(0, str(ROOT))
    from legalmodel.pipeline import discover, load

    spec = load(discover([path])[0])
    return math.prod(len(list(f.type.values())) for f in spec.facts.values())


# each command runs from compiled modules, as it does once pip has installed it (pip compiles
# them): with PYTHONDONTWRITEBYTECODE set and nothing compiled, every process would compile
# legalmodel's modules again, 0.2-0.3 s of each (2026-12-02). A diff asked again would be read
# from the answers kept in the cache folder (docs/performance.md, "The report and the explorer";
# legalmodel/analyses/stored.py), and the suite measures the solver's work, not the cache
ENVIRONMENT = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "LEGALMODEL_ANSWERS": "off"}


def run(cmd: list[str], limit: float) -> tuple[float | None, str]:
    """Seconds a command took from process start, or None past the limit."""
    started = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, cwd=ROOT, env=ENVIRONMENT)
    except subprocess.TimeoutExpired:
        return None, ""
    return time.perf_counter() - started, done.stdout


def repeat(cmd: list[str], runs: int, limit: float) -> list[float | None]:
    """Seconds of up to `runs` runs of a command; a run past the limit ends the repetition."""
    out: list[float | None] = []
    for _ in range(runs):
        seconds = run(cmd, limit)[0]
        out.append(seconds)
        if seconds is None:
            break
    return out


def summary(values: list[float | None]) -> dict:
    if not values or any(v is None for v in values):
        return {"median": None, "min": None, "max": None}
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def measure(name: str, path: str, diff_path: str | None, runs: int, limit: float, as_of: str | None = None,
            dates: tuple[str, str] | None = None, jobs: int | None = None) -> dict:
    """One row of the table; `dates` (from, to) measures `diff` of a real spec between them;
    `jobs`: the processes `check` and `diff` share their questions among (None: their default)."""
    py = sys.executable
    row: dict = {"spec": name, "calibration": _calibration()}  # how fast the machine is just now
    stage_runs = []
    for _ in range(runs):
        seconds, out = run([py, "-c", STAGE_SCRIPT, path, as_of or "-", str(jobs) if jobs else "-"], limit)
        if seconds is None:
            stage_runs = None
            break
        stage_runs.append(json.loads(out))
    if stage_runs:
        keys = [k for k in stage_runs[0] if k not in ("questions", "findings", "peak_kib", "jobs")]
        row["jobs"] = stage_runs[0]["jobs"]
        row["stages"] = {k: summary([r[k] for r in stage_runs]) for k in keys}
        row["questions"] = stage_runs[0]["questions"]
        row["findings"] = stage_runs[0]["findings"]
        row["peak_mib"] = max(r["peak_kib"] for r in stage_runs) / 1024
    else:
        row["stages"] = None
    extra = ["--as-of", as_of] if as_of else []
    processes = ["--jobs", str(jobs)] if jobs else []
    row["check"] = summary(repeat([py, "-m", "legalmodel.cli", "check", path, *extra, *processes], runs, limit))
    if diff_path:
        row["diff"] = summary(repeat([py, "-m", "legalmodel.cli", "diff", path, diff_path, *processes], runs, limit))
    elif dates:
        row["diff"] = summary(repeat([py, "-m", "legalmodel.cli", "diff", path, "--from", dates[0], "--to", dates[1],
                                      *processes], runs, limit))
    row["explain"] = summary(repeat([py, "-m", "legalmodel.cli", "explain", path, *extra], runs, limit))
    needed = situations_needed(path)
    row["enumeration_situations"] = needed
    if needed <= 2_000_000:
        seconds, out = run([py, "-c", ENUM_SCRIPT, path], 60)
        row["enumeration"] = json.loads(out)["seconds"] if seconds is not None else None
    else:
        row["enumeration"] = None
    return row


def fmt(s: dict | None) -> str:
    if not s or s.get("median") is None:
        return "—"
    return f"{s['median']:.2f} ({s['min']:.2f}–{s['max']:.2f})"


def _magnitude(n: int) -> str:
    """A count of situations, which can exceed any float: `4.6e+17`, or `10^3320` past that."""
    return f"{n:.3g}" if n < 10 ** 300 else f"10^{int(math.log10(n))}"


def table(rows: list[dict], limit: float) -> str:
    lines = ["| spec | loop | parse | resolve | encode | analyses | analyses (wall) | check (process) | diff (1%) "
             "| explain | peak MiB | questions | enumeration |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        st = r.get("stages")
        if st:
            analyses = {k: v for k, v in st.items() if k not in ("parse", "resolve", "encode", "analysis_wall")}
            total = sum(v["median"] for v in analyses.values())
            detail = ", ".join(f"{k} {v['median']:.2f}" for k, v in analyses.items())
            an = f"{total:.2f} ({detail})"
            parse, resolve, encode = fmt(st["parse"]), fmt(st["resolve"]), fmt(st.get("encode"))
            wall = f"{fmt(st.get('analysis_wall'))}, {r.get('jobs', 1)} jobs"
        else:
            an = parse = resolve = encode = wall = f"not finished in {limit:.0f} s"
        enum = (f"{r['enumeration']:.2f} s" if r.get("enumeration") is not None
                else f"{_magnitude(r['enumeration_situations'])} situations needed")
        lines.append(f"| {r['spec']} | {r['calibration']:.2f} | {parse} | {resolve} | {encode} | {an} | {wall} | "
                     f"{fmt(r['check'])} | "
                     f"{fmt(r.get('diff'))} | {fmt(r['explain'])} | {r.get('peak_mib', 0):.0f} | "
                     f"{r.get('questions', '—')} | {enum} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=600.0, help="seconds before a measurement is given up")
    parser.add_argument("--crosscutting-sizes", type=int, nargs="*", default=[1000],
                        help="sizes of the specs whose rules cut across chapters (generate_crosscutting.py)")
    parser.add_argument("--shares", type=float, nargs="*", default=[0.06, 0.15],
                        help="shares of the provisions that cut across chapters, one row each")
    parser.add_argument("--width", type=int, default=10, help="chapters a rule across chapters spans")
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3],
                        help="seeds of the specs whose rules cut across chapters, one row each")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes `check` and `diff` share their questions among (default: theirs, "
                             "legalmodel.analyses.analyse.default_jobs)")
    parser.add_argument("--real", nargs="*", default=[], metavar="SPEC[@DATE[..DATE]]",
                        help="real specs to measure, optionally on a date: specs/osl@2016-10-05; with a second "
                             "date, diff is measured between the two (check and explain on the first)")
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "legalmodel", quiet=1)  # as pip leaves an installed package (ENVIRONMENT)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            a = Path(tmp) / f"law{n}.lm"
            b = Path(tmp) / f"law{n}_changed.lm"
            a.write_text(generate(n, seed=1), encoding="utf-8")
            b.write_text(generate(n, seed=1, changed=0.01), encoding="utf-8")
            print(f"measuring {n} provisions …", file=sys.stderr)
            rows.append(measure(f"generated, {n} provisions", str(a), str(b), args.runs, args.limit, jobs=args.jobs))
            _save(rows, args)
        for n in args.crosscutting_sizes:
            for share in args.shares:
                for seed in args.seeds:
                    name = f"cross-cutting {share:.0%}, {n} provisions, seed {seed}"
                    a = Path(tmp) / f"cc{n}_{share}_{seed}.lm"
                    b = Path(tmp) / f"cc{n}_{share}_{seed}_changed.lm"
                    a.write_text(generate_crosscutting(n, seed, 0.0, share, args.width), encoding="utf-8")
                    b.write_text(generate_crosscutting(n, seed, 0.01, share, args.width), encoding="utf-8")
                    print(f"measuring {name} …", file=sys.stderr)
                    rows.append(measure(name, str(a), str(b), args.runs, args.limit, jobs=args.jobs))
                    _save(rows, args)
    for item in args.real:
        path, _, date = item.partition("@")
        first, _, second = date.partition("..")
        print(f"measuring {item} …", file=sys.stderr)
        rows.append(measure(item, path, None, args.runs, args.limit, first or None,
                            (first, second) if second else None, args.jobs))
        _save(rows, args)
    machine = _machine()
    md = (f"Machine: {machine}. Medians of {args.runs} runs (min–max), seconds; `loop` is the seconds of 10^7 "
          "Python additions just before the row, how fast the machine was then.\n\n" + table(rows, args.limit) + "\n")
    (HERE / "results.md").write_text(md, encoding="utf-8")
    _save(rows, args)
    print(md)


@functools.lru_cache(maxsize=1)
def _machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"10^7 Python additions in {_calibration():.2f} s")


def _calibration() -> float:
    """The best of three runs of a fixed pure-Python loop: how fast this machine is today,
    so that runs on different machines (or one virtual machine on different days) compare."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(10 ** 7):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def _save(rows: list[dict], args) -> None:
    """results.json after every row, so a long run that stops keeps what it measured."""
    (HERE / "results.json").write_text(json.dumps({"machine": _machine(), "runs": args.runs, "rows": rows},
                                                  indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
