"""A provision's impact (Law.impact) proved with Z3 on the real law and on generated specs:
the union of its regions is exactly the set of situations whose verdict goes from one given
verdict to another when the provision is taken out (per action and pair of verdicts), and
every one of them lies where the provision is triggered. The questions are asked of a solver
built here, apart from the one that found the regions; the witnesses are replayed by the
evaluator. On small random specs the same is checked by brute force."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import z3
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import legalmodel
from legalmodel.analyses.diff import diff, union_vocabulary, without_provision
from legalmodel.law import model as m
from legalmodel.semantics.encode import Encoding, all_of, any_of, negate
from legalmodel.semantics.evaluate import evaluate
from legalmodel.solver.session import Session

from helpers import all_situations, inside, load
from strategies import spec_plans

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from generate import generate  # noqa: E402
from generate_crosscutting import generate as generate_crosscutting  # noqa: E402


def prove_impact(spec: m.CheckedSpec, pid: str) -> int:
    """Ask the impact of `pid`, then prove its cover with a fresh solver; the regions checked."""
    without = without_provision(spec, pid)
    result = diff(spec, without, timeout_ms=None, with_goals=False)
    assert not result.incomplete and not result.unknown
    vocabulary = union_vocabulary(spec, without)
    old, new = Encoding(spec, vocabulary, "old:"), Encoding(without, vocabulary, "new:")
    session = Session(old, old.domain + old.solver_definitions() + new.solver_definitions(),
                      [f for _a, f in old.assumptions] + [f for _a, f in new.assumptions], None)
    checked = 0
    for action in spec.actions:
        for v_old in m.VERDICTS:
            for v_new in m.VERDICTS:
                if v_old == v_new:
                    continue
                changed = all_of(old.verdict_is(action, v_old), new.verdict_is(action, v_new))
                items = result.covers.get((action, v_old, v_new), [])
                union = any_of([session.cube_formula(item.conditions) for item in items]) if items \
                    else z3.BoolVal(False)
                # complete and exact: no changed situation outside the union, none unchanged in it
                assert not session.possible(changed, negate(union)), (pid, action, v_old, v_new, "incomplete")
                assert not session.possible(union, negate(changed)), (pid, action, v_old, v_new, "not exact")
                for item in items:
                    # only where the provision is triggered
                    assert not session.possible(session.cube_formula(item.conditions), negate(old.triggered[pid]))
                    e_old = evaluate(spec, item.situation)
                    e_new = evaluate(without, {k: v for k, v in item.situation.items() if k in without.facts})
                    assert (e_old.verdicts[action], e_new.verdicts[action]) == (v_old, v_new)
                    assert pid in e_old.triggered
                    checked += 1
    return checked


OSL_QUICK = ("10 kap. 18 a § OSL", "10 kap. 20 § OSL", "10 kap. 21 § OSL", "10 kap. 23 § OSL",
             "26 kap. 1 a § första stycket OSL", "10 kap. 27 § OSL")


@pytest.fixture(scope="module")
def osl():
    return legalmodel.load(REPO / "specs" / "osl", "2025-12-01")


@pytest.mark.parametrize("citation", OSL_QUICK)
def test_the_impact_on_the_real_law_is_proved_exact_complete_and_triggered(osl, citation):
    prove_impact(osl.spec, citation)


@pytest.mark.slow
def test_every_impact_on_the_real_law_is_proved(osl):
    """All 36 provisions of specs/osl on 2025-12-01 (a report's impacts): about a minute."""
    regions = sum(prove_impact(osl.spec, pid) for pid in osl.spec.provisions)
    assert regions > 500  # the report shows some 650 regions of impact


@pytest.mark.parametrize("text", [generate(40, 1, 0.0), generate(60, 2, 0.0),
                                  generate_crosscutting(40, 3, 0.0, 0.15), generate_crosscutting(50, 4, 0.0, 0.06)],
                         ids=["g40", "g60", "cc40", "cc50"])
def test_the_impact_on_generated_specs_is_proved(text):
    spec = legalmodel.loads(text, name="generated.lm").spec
    # the first provisions (the secrecy rules and those breaking them), and the last
    for pid in [*list(spec.provisions)[:3], list(spec.provisions)[-1]]:
        prove_impact(spec, pid)


@settings(max_examples=min(settings.default.max_examples, 60), deadline=None)
@given(spec_plans(), st.data())
def test_an_impact_lies_where_its_provision_is_triggered(plan, data):
    spec = load(plan.text)
    assume(spec.provisions)
    pid = data.draw(st.sampled_from(sorted(spec.provisions)))
    result = diff(spec, without_provision(spec, pid), with_goals=False)
    for items in result.covers.values():
        for item in items:
            for situation in all_situations(spec):
                if inside(situation, item.conditions):
                    assert pid in evaluate(spec, situation).triggered, (pid, item, situation)
