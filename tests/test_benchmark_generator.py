"""The benchmark generator (benchmarks/generate.py) is deterministic and makes real specs: the
same size and seed give the same text, a changed version differs in about the share asked
for, and what it makes reads without input errors. No wall-clock time is asserted here;
timing is the benchmark's job (benchmarks/run.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from generate import generate  # noqa: E402

from legalmodel.cli import main  # noqa: E402
from legalmodel.analyses.explain import expr_text  # noqa: E402
from legalmodel.pipeline import load_text  # noqa: E402


@pytest.mark.parametrize("n", [10, 100])
def test_same_size_and_seed_give_the_same_spec(n):
    assert generate(n, seed=1) == generate(n, seed=1)
    assert generate(n, seed=1, changed=0.01) == generate(n, seed=1, changed=0.01)


def test_another_seed_gives_another_spec():
    assert generate(100, seed=1) != generate(100, seed=2)


@pytest.mark.parametrize("n", [10, 100])
def test_a_generated_spec_reads_and_has_about_n_provisions(n):
    spec = load_text(generate(n, seed=1), "generated.lm")
    assert 0.8 * n <= len(spec.provisions) <= 1.2 * n + 2
    assert spec.goals and spec.examples


def test_a_generated_spec_checks_with_its_examples_passing(tmp_path):
    path = tmp_path / "generated.lm"
    path.write_text(generate(60, seed=1), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code in (0, 1), result.stdout
    [spec] = json.loads(result.stdout)["specs"]
    assert spec["examples"] and all(r["status"] == "passes" for e in spec["examples"] for r in e["results"])


def test_the_changed_version_differs_in_about_one_percent_of_the_provisions():
    old = load_text(generate(400, seed=1), "old.lm")
    new = load_text(generate(400, seed=1, changed=0.01), "new.lm")
    assert set(old.provisions) == set(new.provisions)
    differing = [p for p in old.provisions
                 if expr_text(old.provisions[p].condition) != expr_text(new.provisions[p].condition)]
    assert 1 <= len(differing) <= 0.03 * len(old.provisions)
