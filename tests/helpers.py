"""Helpers for the example-based tests: specs from text, brute force over situations, and the
reader of the plain-text fixture files in tests/fixtures/.

Brute force is the independent oracle: the specs in these tests are tiny, so every situation
can be listed and a finding's evidence can be checked against all of them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from legalmodel.law import model as m
from legalmodel.analyses.analyse import analyse
from legalmodel.analyses.context import Report
from legalmodel.syntax.diagnostics import Diagnostic, SpecErrors
from legalmodel.semantics.evaluate import Evaluation, assumptions_hold, evaluate
from legalmodel.pipeline import load_text

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"


# ---- specs from text -------------------------------------------------------------------------

def load(text: str, name: str = "spec.lm", as_of: str | None = None) -> m.CheckedSpec:
    """Parse and resolve a spec given as text; fail the test with the diagnostics if it is bad."""
    try:
        return load_text(text, name, as_of)
    except SpecErrors as err:
        pytest.fail("the spec should be valid, but: " + "; ".join(
            f"{d.span.line}:{d.span.column} {d.message}" for d in err.diagnostics))


def diagnostics(text: str, name: str = "spec.lm") -> tuple[Diagnostic, ...]:
    """The diagnostics a bad spec gives; fail the test if it is accepted."""
    with pytest.raises(SpecErrors) as info:
        load_text(text, name)
    return info.value.diagnostics


def check(text: str, timeout_ms: int = 10_000) -> tuple[m.CheckedSpec, Report]:
    spec = load(text)
    return spec, analyse(spec, timeout_ms)


def findings_of(report: Report, kind: str) -> list:
    return [f for f in report.findings if f.kind == kind]


# ---- brute force -------------------------------------------------------------------------------

def values_of(fact: m.Fact) -> list:
    return list(fact.type.values())


def all_situations(spec: m.CheckedSpec, fixed: dict | None = None) -> list[dict]:
    """Every situation of the spec (assumptions hold), optionally with some facts fixed."""
    fixed = fixed or {}
    names = list(spec.facts)
    domains = [[fixed[n]] if n in fixed else values_of(spec.facts[n]) for n in names]
    out = []
    for combo in itertools.product(*domains):
        situation = dict(zip(names, combo))
        if assumptions_hold(spec, situation):
            out.append(situation)
    return out


def evaluations(spec: m.CheckedSpec, fixed: dict | None = None) -> list[Evaluation]:
    return [evaluate(spec, s) for s in all_situations(spec, fixed)]


def inside(situation: dict, conditions) -> bool:
    """Whether a situation meets every condition of a piece of evidence (an exception: it
    lies outside the exception's cube)."""
    for c in conditions:
        if c.kind == "except":
            if inside(situation, c.cube):
                return False
            continue
        value = situation[c.fact]
        if c.kind == "bool":
            if value != c.value:
                return False
        elif c.kind == "range":
            if c.low is not None and value < c.low:
                return False
            if c.high is not None and value > c.high:
                return False
        elif value not in c.members:
            return False
    return True


def conditions_from_json(items) -> list:
    """Conditions as the JSON reports give them (`facts_that_matter`, a diff region's
    `where`), as objects `inside` understands: read apart from legalmodel's own classes."""
    class C:
        def __init__(self, item):
            if "except" in item:
                self.kind, self.cube = "except", conditions_from_json(item["except"])
                return
            self.fact = item["fact"]
            if "equals" in item:
                self.kind, self.value = "bool", item["equals"]
            elif "in" in item:
                self.kind, self.members = "set", tuple(item["in"])
            else:
                self.kind, self.low, self.high = "range", item.get("min"), item.get("max")

    return [C(item) for item in items]


def region(spec: m.CheckedSpec, evidence, fixed: dict | None = None) -> list[Evaluation]:
    """Every situation inside a piece of evidence's conditions (and the fixed facts)."""
    return [e for e in evaluations(spec, fixed) if inside(e.situation, evidence.conditions)]


# ---- a hard spec ---------------------------------------------------------------------------------

def pigeonhole(pigeons: int) -> str:
    """Assumptions saying `pigeons` pigeons sit in `pigeons - 1` holes, one to a hole: no
    situation meets them, and proving it is hard for a SAT solver (well over a millisecond)."""
    holes = pigeons - 1
    lines = ['law OSL "o"']
    lines += [f'fact p{p}h{h}: bool "pigeon {p} in hole {h}"' for p in range(pigeons) for h in range(holes)]
    lines += ["assume " + " or ".join(f"p{p}h{h}" for h in range(holes)) for p in range(pigeons)]
    lines += [f"assume not (p{a}h{h} and p{b}h{h})"
              for h in range(holes) for a in range(pigeons) for b in range(a + 1, pigeons)]
    lines += ['action a "a" default permitted', 'provision 1 kap. 1 § "x" forbid a when p0h0']
    return "\n".join(lines) + "\n"


# ---- fixture files -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Fixture:
    """One block of a fixture file: a title, why it is there, the input and what it must give."""

    title: str
    why: str
    spec: str
    expected: str
    line: int

    @property
    def id(self) -> str:
        return re.sub(r"[^\w]+", "-", self.title).strip("-")


def read_fixtures(name: str) -> list[Fixture]:
    """Read tests/fixtures/<name>.

    The file is a list of blocks. Each starts with `=== title`, then a `why:` line (the reason the
    case is there), then `--- spec` and the spec text, then `--- expected` and the expected output.
    Lines before the first block are the file's own comment.
    """
    text = (FIXTURES / name).read_text(encoding="utf-8")
    blocks = []
    current = None
    section = None
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("=== "):
            current = {"title": line[4:].strip(), "why": "", "spec": [], "expected": [], "line": number}
            blocks.append(current)
            section = None
        elif current is None:
            continue
        elif line.startswith("why:") and section is None:
            current["why"] = line[4:].strip()
        elif line.strip() == "--- spec":
            section = "spec"
        elif line.strip() == "--- expected":
            section = "expected"
        elif section is not None:
            current[section].append(line)
    out = []
    for b in blocks:
        if not b["why"] or not b["spec"] or not b["expected"]:
            raise ValueError(f"{name}:{b['line']}: a fixture needs `why:`, `--- spec` and `--- expected`")
        out.append(Fixture(b["title"], b["why"], "\n".join(b["spec"]).strip("\n") + "\n",
                           "\n".join(b["expected"]).strip("\n"), b["line"]))
    return out


def fixture_params(name: str):
    return [pytest.param(f, id=f.id) for f in read_fixtures(name)]


# ---- the command line ---------------------------------------------------------------------------

def make_runner():
    """A click test runner that keeps stderr apart from stdout, on any click this project allows."""
    import importlib.metadata

    from click.testing import CliRunner

    version = tuple(int(x) for x in re.findall(r"\d+", importlib.metadata.version("click"))[:2])
    return CliRunner() if version >= (8, 2) else CliRunner(mix_stderr=False)
