"""The Swedish surface's cost: parsing a spec written with the Swedish keywords against the
same spec with the English ones, and converting it (`fmt --to sv`).

    python3 benchmarks/surface.py              # specs/osl and a generated spec of 1,000 provisions
    python3 benchmarks/surface.py --runs 21

Runs in one process with the parse cache off, the two surfaces interleaved run by run so
that a change of the machine's speed touches both alike; prints the min and the median of
each (milliseconds). The tables of both parsers are built before the first run. `fmt --to
sv` parses, prints, parses the result again and compares the two trees.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp()  # nothing read from, or left in, a real cache
os.environ["LEGALMODEL_CACHE"] = "off"  # every run parses: fmt would read its parse back from the cache

from generate import generate  # noqa: E402
from legalmodel.syntax import parse  # noqa: E402
from legalmodel.syntax.format import format_text  # noqa: E402
from legalmodel.syntax.source import SourceFile  # noqa: E402


def texts_of(name: str) -> dict[str, str]:
    if name == "specs/osl":
        return {str(p): p.read_text(encoding="utf-8") for p in sorted((ROOT / "specs" / "osl").glob("*.lm"))}
    return {"g1000.lm": generate(1000, 0, 0.0)}


def parse_all(texts: dict[str, str]) -> float:
    start = time.perf_counter()
    for path, text in texts.items():
        parse.parse_source(SourceFile(path, text))
    return time.perf_counter() - start


def convert_all(texts: dict[str, str]) -> float:
    start = time.perf_counter()
    for path, text in texts.items():
        format_text(text, path, to="sv")
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()
    parse.parser("en"), parse.parser("sv")
    print("| spec | parse, English | parse, Swedish | fmt --to sv |")
    print("|---|---|---|---|")
    for name in ("specs/osl", "generated, 1,000 provisions"):
        english = texts_of(name)
        swedish = {path: format_text(text, path, to="sv") for path, text in english.items()}
        times: dict[str, list[float]] = {"en": [], "sv": [], "to": []}
        for _ in range(args.runs):
            times["en"].append(parse_all(english))
            times["sv"].append(parse_all(swedish))
            times["to"].append(convert_all(english))
        cells = [f"{1000 * min(v):.0f} / {1000 * statistics.median(v):.0f}" for v in times.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\nmin / median of {args.runs} runs, ms")


if __name__ == "__main__":
    main()
