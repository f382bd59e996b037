"""The benchmark generators (benchmarks/generate.py, generate_crosscutting.py) are deterministic and makes real specs: the
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
from generate_crosscutting import generate as generate_crosscutting  # noqa: E402

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


# the generator of rules across chapters (benchmarks/generate_crosscutting.py)

@pytest.mark.parametrize("share", [0.06, 0.15])
def test_the_crosscutting_generator_is_deterministic_and_has_its_share(share):
    text = generate_crosscutting(300, seed=2, crosscutting=share)
    assert text == generate_crosscutting(300, seed=2, crosscutting=share)
    assert text != generate_crosscutting(300, seed=3, crosscutting=share)
    spec = load_text(text, "crosscutting.lm")
    assert 0.8 * 300 <= len(spec.provisions) <= 1.2 * 300
    across = [p for p in spec.provisions.values() if p.citation.swedish().startswith("10 kap.")]
    assert abs(len(across) - share * 300) <= 1
    # the rules across chapters name no kind of information: they are what makes the shape
    assert all("kind" not in expr_text(p.condition) for p in across)


def test_crosscutting_rules_span_the_width_asked_for():
    text = generate_crosscutting(400, seed=1, crosscutting=0.15, width=4)
    spans = [line.split(" in ")[-1] for line in text.splitlines() if "overrides forbid in" in line]
    assert spans
    for span in spans:
        first, _, end = span.removesuffix(" kap.").partition("–")
        assert int(end or first) - int(first) + 1 <= 4


def test_a_crosscutting_spec_checks_with_its_examples_passing_and_collisions_found(tmp_path):
    path = tmp_path / "crosscutting.lm"
    path.write_text(generate_crosscutting(80, seed=1, crosscutting=0.15), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code == 1, result.stdout
    [spec] = json.loads(result.stdout)["specs"]
    assert spec["examples"] and all(r["status"] == "passes" for e in spec["examples"] for r in e["results"])
    assert any(f["kind"] == "collision" for f in spec["findings"])


def test_the_changed_crosscutting_version_differs_in_a_few_breaking_rules():
    old = load_text(generate_crosscutting(400, seed=1), "old.lm")
    new = load_text(generate_crosscutting(400, seed=1, changed=0.01), "new.lm")
    assert set(old.provisions) == set(new.provisions)
    differing = [p for p in old.provisions
                 if expr_text(old.provisions[p].condition) != expr_text(new.provisions[p].condition)]
    assert 1 <= len(differing) <= 0.03 * len(old.provisions)
