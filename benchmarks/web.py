"""How fast the browser views answer: the explorer's answer to a change of one fact, warm,
and `legalmodel report` of specs/osl on every reform date (docs/performance.md, "The report
and the explorer").

    python3 benchmarks/web.py                       # both, 5 rounds of changes
    python3 benchmarks/web.py --rounds 10 --json web.json
    python3 benchmarks/web.py --skip-report         # the explorer only

Explorer: specs/osl on its default dates (the day before the first amendment and the 16
reform dates), loaded once and warmed as `legalmodel serve` does. Then the motion's case is
built one fact at a time, and each round changes the date and a fact back and forth; each
change is asked as the page's script asks it, `/answer` (the chosen date: verdict, deciding
and set-aside provisions, smallest change) and then `/dates` (the verdict on every date),
through Starlette's test client, rendering included. Wall-clock and the process's CPU time
are both printed: on a machine shared with other work, CPU time is what the explorer costs.

Report: `legalmodel report specs/osl` on the default dates from process start, with where each
provision still decides (the default) and with --no-impact, each cold (an empty cache folder)
and warm (the same command again, its answers read from the cache folder); and `legalmodel
diff specs/osl --from 2025-04-01 --to 2025-12-01`, the slowest diff of the real law, both
ways. The CPU time counts the worker processes too.

The load average of the machine is printed before and after: figures taken while other work
runs say so.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MOTION_CASE = [
    ("utlämnare", "socialnämnd"), ("mottagare", "polismyndigheten"),
    ("uppgift", "socialtjänst_personliga_förhållanden"), ("ålder", "25"), ("riskunderlag", "särskilda"),
    ("risk_terror", "true"), ("risk_rekrytering_terrorgrupp", "true"), ("misstanke_begånget_brott", "false"),
    ("står_klart_utan_men", "false"), ("samtycke", "false"), ("nödvändigt_egen_verksamhet", "false"),
    ("förestående_transportbrott", "false"), ("omedelbart_polisingripande", "false"),
    ("begäran_vistelseort", "false"), ("begäran_verkställighet", "false"),
]


def timed(call) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def summary(name: str, samples: list[tuple[float, float]]) -> dict:
    walls, cpus = [s[0] for s in samples], [s[1] for s in samples]
    out = {"what": name, "n": len(samples), "wall_median_ms": statistics.median(walls), "wall_max_ms": max(walls),
           "cpu_median_ms": statistics.median(cpus), "cpu_max_ms": max(cpus)}
    print(f"{name:<42} n={len(samples):<3} wall median {out['wall_median_ms']:7.1f} max {out['wall_max_ms']:7.1f}"
          f"   cpu median {out['cpu_median_ms']:7.1f} max {out['cpu_max_ms']:7.1f} ms")
    return out


def explorer(rounds: int) -> list[dict]:
    import os

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from legalmodel.web.explorer import Explorer

    os.chdir(ROOT)
    started = time.perf_counter()
    ex = Explorer("specs/osl")
    ex.warm()
    print(f"explorer loaded and warmed on {len(ex.dates)} dates in {time.perf_counter() - started:.2f} s")
    client = TestClient(ex.app())
    answers, every_date = [], []

    def ask(facts, date):
        params = {"date": date, **{f"fact.{k}": v for k, v in facts}}
        answers.append(timed(lambda: client.get("/answer", params=params).raise_for_status()))
        every_date.append(timed(lambda: client.get("/dates", params=params).raise_for_status()))

    facts: list = []
    for fact in MOTION_CASE:  # the case, one fact at a time
        facts.append(fact)
        ask(facts, "2016-10-05")
    for i in range(rounds):  # then the date and one fact back and forth
        ask(facts, "2020-08-01" if i % 2 == 0 else "2016-10-05")
        ask([f for f in facts if f[0] != "samtycke"] + [("samtycke", "true" if i % 2 == 0 else "false")],
            "2020-08-01")
    both = [(a[0] + d[0], a[1] + d[1]) for a, d in zip(answers, every_date)]
    return [summary("explorer /answer (the chosen date)", answers),
            summary(f"explorer /dates ({len(ex.dates)} dates side by side)", every_date),
            summary("explorer: both, one change", both)]


def from_start(args: list[str], cache_home: str, **env) -> tuple[float, float]:
    """Milliseconds of wall-clock and of CPU (the process and the workers it waited for) of
    one `legalmodel` command from process start, with the cache folder `cache_home`."""
    import os
    import resource
    import subprocess

    environment = {**os.environ, "XDG_CACHE_HOME": cache_home, **env}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules, as pip leaves them
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "legalmodel.cli", *args], cwd=ROOT, env=environment,
                          capture_output=True)
    wall = (time.perf_counter() - wall) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"legalmodel {' '.join(args)} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


def report() -> list[dict]:
    """`legalmodel report specs/osl` on its default dates from process start, with and without
    impact: cold (an empty cache folder: every answer computed) and warm (run again: the
    answers read back, analyses/stored.py); and the slowest diff of specs/osl as a command,
    both ways."""
    out = []
    commands = [("report specs/osl, no impact", ["report", "specs/osl", "-o", "{out}", "--no-impact"]),
                ("report specs/osl, with impact", ["report", "specs/osl", "-o", "{out}"]),
                ("diff specs/osl 2025-04-01 → 2025-12-01",
                 ["diff", "specs/osl", "--from", "2025-04-01", "--to", "2025-12-01"])]
    for name, args in commands:
        with tempfile.TemporaryDirectory() as folder:
            args = [a.replace("{out}", str(Path(folder) / "site")) for a in args]
            cache_home = str(Path(folder) / "cache")
            out.append(summary(f"{name}, cold", [from_start(args, cache_home)]))
            out.append(summary(f"{name}, warm", [from_start(args, cache_home)]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--skip-report", action="store_true")
    args = parser.parse_args()
    import os

    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    results = explorer(args.rounds)
    if not args.skip_report:
        results += report()
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
