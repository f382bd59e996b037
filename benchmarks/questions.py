"""The solver questions of a report's slow parts, counted: each provision's impact on the last
date of specs/osl and the diff 2025-04-01 → 2025-12-01, one at a time in one process (`--jobs
1`), with nothing read from the cache folder (docs/performance.md, "The report and the
explorer", third round).

    python3 benchmarks/questions.py                 # every impact and the diff
    python3 benchmarks/questions.py --report        # the impacts as the report asks them
    python3 benchmarks/questions.py --only "15 kap. 4 § SoL25" --profile

`--whole` builds the whole report of specs/osl (17 checks, 16 diffs, 36 impacts) in one process
and counts the solver checks its analyses make (semantics/encode.check_under), whichever
analysis asks them: the figure to compare two versions of the report by, whatever each asks
or leaves out. It also times the calls into Z3's checks, models and unsat cores, so the
share of the CPU time spent inside the solver is known without a profiler.

`--report` asks the impacts as `legalmodel report` does: in the groups of Law.image_groups
(a provision that is the image of the group's first has its regions derived, without a
solver) and without the goals and examples on each side; a group is one line.

A question count does not depend on how busy the machine is, so two versions of the code can
be compared by it on a shared machine, where their CPU seconds differ by some 10 % from run to
run. Each line: the question, its CPU seconds, its questions and its regions.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["LEGALMODEL_ANSWERS"] = "off"  # every question asked of the solver

from legalmodel import api  # noqa: E402
from legalmodel.analyses.diff import diff  # noqa: E402

DIFF = ("2025-04-01", "2025-12-01")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="only the impact of this provision (no diff)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's 30 largest, by own time")
    parser.add_argument("--report", action="store_true", help="the impacts as the report asks them")
    parser.add_argument("--whole", action="store_true", help="the whole report, its solver checks counted")
    args = parser.parse_args()
    if args.whole:
        whole_report()
        return
    last = law = api.load(ROOT / "specs" / "osl")  # as last amended: the report's last date
    chosen = [pid for pid in last.spec.provisions if args.only in (None, pid)]
    if args.report:
        questions = [(f"impact {' + '.join(group)}"[:45], lambda group=group: last.impacts(group, jobs=1, goals=False))
                     for group in last.image_groups(chosen)]
    else:
        questions = [(f"impact {pid}", lambda pid=pid: last.impact(pid, jobs=1)) for pid in chosen]
    if args.only is None:
        before, after = (law.at(d).spec for d in DIFF)
        questions.append((f"diff {DIFF[0]} → {DIFF[1]}", lambda: diff(before, after, 10_000, jobs=1)))
    profile = cProfile.Profile() if args.profile else None
    totals = [0.0, 0, 0]
    for name, ask in questions:
        start = time.process_time()
        if profile:
            profile.enable()
        results = ask()
        if profile:
            profile.disable()
        cpu = time.process_time() - start
        results = results if isinstance(results, tuple) else (results,)
        asked = sum(r.questions for r in results)
        regions = sum(len(items) for r in results for items in r.covers.values())
        print(f"{name:45} {cpu:7.2f} s {asked:8,} questions {regions:4} regions", flush=True)
        for i, value in enumerate((cpu, asked, regions)):
            totals[i] += value
    print(f"{'total':45} {totals[0]:7.2f} s {totals[1]:8,} questions {totals[2]:4} regions")
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)


def whole_report() -> None:
    """The report of specs/osl built in this process (`--jobs 1`), each check of a solver counted,
    and the CPU time inside Z3's checks, models and unsat cores timed around each call (no
    profiler, which slows the Python around them more than the calls)."""
    import z3
    import z3.z3 as z3_api

    from legalmodel.web.site import build

    spent: dict[str, list] = {}

    def timed(name: str, *modules) -> None:
        call = getattr(z3, name)
        spent[name] = [0.0, 0]

        def timing(*args):
            start = time.process_time()
            try:
                return call(*args)
            finally:
                spent[name][0] += time.process_time() - start
                spent[name][1] += 1
        for module in modules:
            setattr(module, name, timing)
    # the encoding calls these through z3; Solver.model() calls its own module's name
    timed("Z3_solver_check_assumptions", z3)
    timed("Z3_solver_get_unsat_core", z3)
    timed("Z3_solver_get_model", z3, z3_api)
    start = time.process_time()
    site = build(ROOT / "specs" / "osl", jobs=1)
    cpu = time.process_time() - start
    regions = sum(len(r.regions) for p in site.provisions if p.impact for r in p.impact.changes)
    checks = spent["Z3_solver_check_assumptions"][1]
    print(f"{'report specs/osl, one process':45} {cpu:7.2f} s {checks:8,} solver checks {regions:4} regions of impact")
    for name, (seconds, calls) in spent.items():
        print(f"  inside {name:38} {seconds:7.2f} s {calls:8,} calls")


if __name__ == "__main__":
    main()
