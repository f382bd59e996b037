"""The ASP (clingo) baseline on specs: its answers, and whether `check` gives the same.

    python3 benchmarks/asp_baseline.py specs/osl --as-of 2016-10-05
    python3 benchmarks/asp_baseline.py /tmp/cc1000.lm --no-compare     # the baseline alone (measured)

For each spec it prints the set of answers of each kind the baseline gives (contradictions
and collisions: how many pairs meet, and the first 50 per action, those `check` reports;
dead provisions; provisions never in force; gaps; idle overrides; goals; examples) and, unless
`--no-compare`, runs `check` on the same law (as `check --format json` writes it) and says
on which kinds the two agree. Evidence is not compared; contracts and the other findings of
docs/asp-baseline.md's list are not answered by the baseline, and idle overrides not with
`--no-idle`.

Exits 0 when every spec agrees (or with --no-compare), 1 when some answer differs or check
could not decide one, 2 when a spec cannot be read.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parent))

import legalmodel  # noqa: E402

from asp.compare import NOT_COMPARED, differences, from_check, undecided  # noqa: E402
from asp.solve import CAP, run  # noqa: E402


def describe(name: str, spec, result, out) -> None:
    """The baseline's answers about one spec, kind by kind, in the spec's order."""
    a = result.answers
    print(f"==> {name} <==", file=out)
    sliced = f" in {result.programs} slices by `{result.pivot}`" if result.pivot else ""
    print(f"clingo: {result.rules} rules{sliced}, {result.pairs} candidate pairs, {result.models} answer sets; "
          f"translate {result.translate_seconds:.3f} s, ground {result.ground_seconds:.3f} s, "
          f"solve {result.solve_seconds:.3f} s", file=out)
    if a.impossible:
        print("impossible assumptions: no situation meets them", file=out)
        return
    capped = a.capped_at(spec, CAP)
    for kind in ("contradictions", "collisions"):
        pairs, shown = getattr(a, kind), getattr(capped, kind)
        listed: dict = {}
        for first, second in shown:
            listed.setdefault(first, []).append(second)
        more = f" ({len(pairs) - len(shown)} after the first {CAP} per action not listed, as check does)" \
            if len(shown) < len(pairs) else ""
        print(f"{kind}: {len(pairs)}{more}", file=out)
        for first, seconds in listed.items():
            print(f"  {first}: {', '.join(seconds)}", file=out)
    for kind, items in (("dead provisions", a.dead), ("never in force", a.never_in_force), ("gaps", a.gaps)):
        print(f"{kind}: {', '.join(items) if items else 'none'}", file=out)
    if a.idle_overrides is not None:
        idle: dict = {}
        for p, q in a.idle_overrides:
            idle.setdefault(p, []).append(q)
        print(f"idle overrides: {len(a.idle_overrides) or 'none'}", file=out)
        for p, targets in idle.items():
            print(f"  {p}: {', '.join(targets)}", file=out)
    for title, status in a.goals:
        print(f"goal {status}: “{title}”", file=out)
    for title, results in a.examples:
        shown = "impossible" if results == (("impossible",),) else "; ".join(
            f"{action} {expected}: {status}" for action, expected, status in results)
        print(f"example “{title}”: {shown}", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="+", metavar="SPEC", help="a spec file or folder")
    parser.add_argument("--as-of", default=None, help="the date the law is taken on (YYYY-MM-DD)")
    parser.add_argument("--no-compare", action="store_true", help="the baseline only: do not run check")
    parser.add_argument("--quiet", action="store_true", help="print only the verdict line of each spec")
    parser.add_argument("--no-idle", action="store_true",
                        help="leave idle overrides out (a copy of the semantics per override: the costliest part)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the output quietly, as for any tool
    status = 0
    for path in args.specs:
        try:
            law = legalmodel.load(path, as_of=args.as_of)
        except legalmodel.SpecError as err:
            for d in err.diagnostics:
                print(f"{d.file}:{d.line}:{d.column}: {d.message}", file=sys.stderr)
            return 2
        except (legalmodel.UsageError, OSError) as err:
            print(f"{path}: {err}", file=sys.stderr)
            return 2
        name = path + (f" as of {args.as_of}" if args.as_of else "")
        result = run(law.spec, idle=not args.no_idle)
        if not args.quiet:
            describe(name, law.spec, result, sys.stdout)
        if args.no_compare:
            print(f"{name}: baseline done in {time.perf_counter() - STARTED:.2f} s from process start")
            continue
        report = json.loads(law.check().to_json())["specs"][0]
        missing = undecided(report)
        found = differences(result.answers.capped_at(law.spec, CAP), from_check(report))
        ignored = sorted({f["kind"] for f in report["findings"] if f["kind"] in NOT_COMPARED})
        if args.no_idle and any(f["kind"] == "idle-override" for f in report["findings"]):
            ignored.append("idle-override")
        note = f" (not compared: {', '.join(ignored)})" if ignored else ""
        if missing:
            status = 1
            print(f"{name}: check could not decide: {'; '.join(missing)}")
        elif found:
            status = 1
            print(f"{name}: DISAGREES with check --format json")
            for line in found:
                print(f"  {line}")
        else:
            print(f"{name}: agrees with check --format json on every answer compared{note}")
    return status


if __name__ == "__main__":
    sys.exit(main())
