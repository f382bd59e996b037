"""The output corpus: every command's output on the project's specs, to compare before and after
a change that must not change what users see.

    python benchmarks/corpus.py OUT            # writes OUT/<case>.out (stdout, stderr, exit status)
    diff -r OUT_BEFORE OUT_AFTER               # nothing printed: the same bytes

The inputs (specs/, docs/, the golden tests, generated specs of 100 and 1,000 provisions and
generated specs whose rules cut across chapters)
are copied to a scratch folder first, so the corpus of two checkouts can be compared even if
one of them changed its specs; `--inputs DIR` reuses such a folder. The `legalmodel` on PATH
is the one measured.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# specs whose rules cut across chapters (generate_crosscutting.py): (provisions, share of such rules)
CROSSCUTTING = ((300, 0.15), (1000, 0.06))
OSL_DATES = ("2016-10-05", "2020-08-01", "2021-08-01", "2023-01-01", "2025-04-01", "2025-07-01", "2025-12-01")


def prepare_inputs(target: Path) -> None:
    """Copy the specs and docs, and write the generated specs, into `target`."""
    sys.path.insert(0, str(HERE))
    from generate import generate
    from generate_crosscutting import generate as generate_crosscutting

    for folder in ("specs", "docs", "tests/golden"):
        shutil.copytree(ROOT / folder, target / folder, dirs_exist_ok=True)
    generated = target / "generated"
    for n in (100, 1000):
        for name, changed in (("old", 0.0), ("new", 0.01)):
            (generated / f"g{n}-{name}").mkdir(parents=True, exist_ok=True)
            (generated / f"g{n}-{name}" / "spec.lm").write_text(generate(n, 0, changed), encoding="utf-8")
    for n, share in CROSSCUTTING:
        for name, changed in (("old", 0.0), ("new", 0.01)):
            folder = generated / f"cc{n}-{share}-{name}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "spec.lm").write_text(generate_crosscutting(n, 0, changed, share), encoding="utf-8")


def cases() -> list[tuple[str, list[str]]]:
    """(name, arguments) of every command in the corpus."""
    out: list[tuple[str, list[str]]] = []
    formats = ("text", "json", "sarif", "junit", "markdown")
    for fmt in formats:
        out.append((f"check-specs-{fmt}", ["check", "specs/", "--format", fmt]))
    out.append(("check-specs-examples", ["check", "specs/", "--as-examples"]))
    for date in OSL_DATES:
        for fmt in ("text", "json"):
            out.append((f"check-osl-{date}-{fmt}", ["check", "specs/osl", "--as-of", date, "--format", fmt]))
    out.append(("check-osl-examples-2016", ["check", "specs/osl", "--as-of", "2016-10-05", "--as-examples"]))
    out.append(("check-osl-motion", ["check", "specs/osl", "--as-of", "2016-10-05", "--proposal", "specs/osl/motion.lm"]))
    for spec in sorted((ROOT / "docs" / "tutorial").glob("*.lm")):
        for fmt in ("text", "json"):
            out.append((f"check-docs-{spec.stem}-{fmt}", ["check", f"docs/tutorial/{spec.name}", "--format", fmt]))
    out.append(("check-docs-all", ["check", "docs/"]))
    for fmt in formats:
        out.append((f"check-golden-{fmt}", ["check", "tests/golden/several_findings/spec.lm", "--format", fmt]))
    for n in (100, 1000):
        for fmt in ("text", "json"):
            out.append((f"check-g{n}-{fmt}", ["check", f"generated/g{n}-old", "--format", fmt]))
        for fmt in ("text", "json"):
            out.append((f"diff-g{n}-{fmt}", ["diff", f"generated/g{n}-old", f"generated/g{n}-new", "--format", fmt]))
        out.append((f"explain-g{n}", ["explain", f"generated/g{n}-old", "--given", "kind=k1", "--given", "uppenbart"]))
    for n, share in CROSSCUTTING:
        name = f"cc{n}-{share}"
        for fmt in ("text", "json"):
            out.append((f"check-{name}-{fmt}", ["check", f"generated/{name}-old", "--format", fmt]))
        out.append((f"diff-{name}-text", ["diff", f"generated/{name}-old", f"generated/{name}-new"]))
    pairs = list(zip(OSL_DATES, OSL_DATES[1:])) + [(OSL_DATES[0], OSL_DATES[-1])]
    for a, b in pairs:
        out.append((f"diff-osl-{a}-{b}-text", ["diff", "specs/osl", "--from", a, "--to", b]))
        out.append((f"diff-osl-{a}-{b}-json", ["diff", "specs/osl", "--from", a, "--to", b, "--format", "json"]))
    out.append(("diff-osl-markdown", ["diff", "specs/osl", "--from", "2016-10-05", "--to", "2020-08-01",
                                      "--format", "markdown"]))
    out.append(("diff-osl-examples", ["diff", "specs/osl", "--from", "2016-10-05", "--to", "2020-08-01",
                                      "--as-examples"]))
    out.append(("diff-osl-proposal", ["diff", "specs/osl", "--as-of", "2016-10-05", "--proposal", "specs/osl/motion.lm"]))
    out.append(("diff-osl-amendment", ["diff", "specs/osl", "--amendment", "2020:575", "--format", "json"]))
    out.append(("diff-tutorial-law", ["diff", "docs/amendment-tutorial/law", "--from", "2016-10-05", "--to", "2020-08-01"]))
    out.append(("diff-tutorial-amendment", ["diff", "docs/amendment-tutorial/law", "--amendment", "2020:575"]))
    out.append(("diff-two-specs", ["diff", "docs/tutorial/step3.lm", "docs/tutorial/step4.lm"]))
    situations = [
        ("osl-25", ["specs/osl", "--as-of", "2016-10-05", "--given", "ålder=25", "--given", "mottagare=polismyndigheten"]),
        ("osl-25-why", ["specs/osl", "--as-of", "2016-10-05", "--given", "ålder=25", "--given",
                        "mottagare=polismyndigheten", "--given", "risk_terror", "--why-not", "permitted"]),
        ("osl-2025", ["specs/osl", "--as-of", "2025-12-01", "--given", "ålder=17", "--given", "samtycke"]),
        ("tutorial", ["specs/tutorial", "--given", "ålder=25", "--given", "konkret_risk", "--given",
                      "not begånget_brott", "--given", "uppenbart", "--given", "not samtycke", "--given",
                      "not begär_kontaktuppgifter", "--why-not", "permitted"]),
        ("tutorial-young", ["specs/tutorial", "--given", "ålder=19"]),
        ("amendment-law", ["docs/amendment-tutorial/law", "--as-of", "2016-10-05", "--given", "ålder=25", "--given",
                           "mottagare=polisen", "--given", "risk_terror", "--why-not", "permitted"]),
    ]
    for name, args in situations:
        out.append((f"explain-{name}-text", ["explain", *args]))
        out.append((f"explain-{name}-json", ["explain", *args, "--format", "json"]))
        out.append((f"explain-{name}-example", ["explain", *args, "--as-example"]))
    for name, args in (("osl-18a", ["specs/osl", "10 kap. 18 a § OSL"]),
                       ("osl-18a-2016", ["specs/osl", "10 kap. 18 a § OSL", "--as-of", "2016-10-05"]),
                       ("tutorial-27", ["specs/tutorial", "10 kap. 27 § OSL"]),
                       ("amendment-law", ["docs/amendment-tutorial/law", "10", "kap.", "18", "a", "§"])):
        out.append((f"impact-{name}-text", ["impact", *args]))
        out.append((f"impact-{name}-json", ["impact", *args, "--format", "json"]))
    out.append(("history-osl", ["history", "specs/osl"]))
    out.append(("history-osl-19", ["history", "specs/osl", "10 kap. 19 § OSL"]))
    out.append(("history-amendment-law", ["history", "docs/amendment-tutorial/law"]))
    # input errors and usage errors: their messages are output too
    out.append(("error-missing", ["check", "no/such/spec"]))
    out.append(("error-mistake-name", ["check", "docs/tutorial/mistake-name.lm"]))
    out.append(("error-mistake-cycle", ["check", "docs/tutorial/mistake-cycle.lm", "--format", "json"]))
    out.append(("error-impact-unknown", ["impact", "specs/osl", "10 kap. 99 § OSL"]))
    out.append(("error-impact-not-yet", ["impact", "specs/osl", "10 kap. 18 b § OSL", "--as-of", "2016-10-05"]))
    out.append(("error-explain-fact", ["explain", "specs/osl", "--given", "ålderr=3"]))
    out.append(("error-diff-nothing", ["diff", "specs/osl"]))
    return out


# the plain progress line a long run writes to a stderr that is not a terminal (cli._plain_progress):
# it follows the clock, not the input, so the corpus leaves it out
PROGRESS_LINE = re.compile(rb"^[^\n]*: [^\n]*, \d+ s so far\n", re.MULTILINE)


def run_case(inputs: Path, out: Path, name: str, args: list[str], env: dict) -> None:
    done = subprocess.run(["legalmodel", *args], cwd=inputs, env=env, capture_output=True, timeout=600)
    (out / f"{name}.out").write_bytes(b"$ legalmodel " + " ".join(args).encode() + b"\n"
                                      + b"exit " + str(done.returncode).encode() + b"\n--- stdout\n"
                                      + done.stdout + b"--- stderr\n" + PROGRESS_LINE.sub(b"", done.stderr))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--inputs", type=Path, help="a folder made by an earlier run (its inputs/ is reused)")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    inputs = args.inputs
    if inputs is not None and (inputs / "inputs").is_dir():  # the earlier run's folder, as the help says
        inputs = inputs / "inputs"
    if inputs is None:
        inputs = args.out / "inputs"
        if not inputs.exists():
            prepare_inputs(inputs)
    outputs = args.out / "outputs"
    outputs.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache, "NO_COLOR": "1"}
        chosen = [(n, a) for n, a in cases() if not args.only or args.only in n]
        with ThreadPoolExecutor(max_workers=2) as pool:
            for future in [pool.submit(run_case, inputs, outputs, n, a, env) for n, a in chosen]:
                future.result()
    print(f"{len(chosen)} cases written to {outputs}")


if __name__ == "__main__":
    main()
