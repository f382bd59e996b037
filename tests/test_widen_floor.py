"""A floor (Search.least's `floor`) only saves questions. Session.widen gives each exception's
search the least situation of the one before: the situations left after one more exception
are fewer, so none comes before it. Checked two ways: every least search given a floor finds
the situation it finds without one (asked again, on the same solver, in the same state), and
a diff's cover, with every region's conditions, exceptions and witness, is the same when no
search is given a floor."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import legalmodel
from legalmodel.analyses.diff import diff, without_provision
from legalmodel.solver.search import Search

from helpers import load
from strategies import spec_plans


def cover(result) -> dict:
    return {key: [(item.conditions, item.situation, item.old_deciding_in_region, item.new_deciding_in_region)
                  for item in items] for key, items in result.covers.items()}


def impact_sides(plan, data):
    """A generated spec with provisions, and the spec without one of them: an impact's
    two sides."""
    spec = load(plan.text)
    assume(spec.provisions)
    return spec, without_provision(spec, data.draw(st.sampled_from(sorted(spec.provisions))))


def checking_floors(monkeypatch) -> list[int]:
    """Make every least search given a floor search again without it and compare; the list
    counts the searches compared."""
    least = Search.least
    compared = [0]

    def both(self, situation, formulas, *args, floor=None, **kwargs):
        found = least(self, situation, formulas, *args, floor=floor, **kwargs)
        if floor is not None and not self.stopped_early:
            assert least(self, situation, formulas, *args, **kwargs) == found, (floor, found)
            compared[0] += 1
        return found
    monkeypatch.setattr(Search, "least", both)
    return compared


def without_floors(monkeypatch) -> None:
    least = Search.least

    def no_floor(self, *args, floor=None, **kwargs):
        return least(self, *args, **kwargs)
    monkeypatch.setattr(Search, "least", no_floor)


@settings(max_examples=min(settings.default.max_examples, 60), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(spec_plans(), st.data())
def test_a_floor_changes_no_region(monkeypatch, plan, data):
    spec, smaller = impact_sides(plan, data)
    with monkeypatch.context() as patched:
        checking_floors(patched)
        with_floors = cover(diff(spec, smaller, with_goals=False))
    with monkeypatch.context() as patched:
        without_floors(patched)
        assert cover(diff(spec, smaller, with_goals=False)) == with_floors


@pytest.mark.slow
def test_a_floor_changes_no_region_of_the_real_laws_2025_reform(monkeypatch):
    law = legalmodel.load("specs/osl")
    before, after = law.at("2025-04-01").spec, law.at("2025-07-01").spec
    with monkeypatch.context() as patched:
        compared = checking_floors(patched)
        with_floors = cover(diff(before, after, with_goals=False))
    assert compared[0] > 100
    without_floors(monkeypatch)
    assert cover(diff(before, after, with_goals=False)) == with_floors


def layered(rules: int, ways: int) -> tuple[str, str]:
    """A new rule that applies except where any of `rules` older ones already did, each
    failing in `ways` ways (the shape of the 2025 amendments, tests/test_diff_regions.py):
    its region takes an exception per older rule, and more drops fail after three."""
    facts = [f"f{r}_{w}" for r in range(rules) for w in range(ways)]
    text = 'law L "law"\n' + "".join(f'fact {f}: bool "{f}"\n' for f in facts)
    text += 'fact age: 0..99 "age"\nfact g: bool "g"\naction act "act" default permitted\n'
    text += 'provision 1 § L "secrecy"\n  forbid act when age < 60\n'
    for r in range(rules):
        condition = " and ".join(f"f{r}_{w}" for w in range(ways))
        text += f'provision {r + 2} § L "rule {r}"\n  permit act when {condition} and age >= {10 * r}\n  overrides 1 §\n'
    new = text + f'provision {rules + 2} § L "the new rule"\n  permit act when g and age >= 18\n  overrides 1 §\n'
    return text, new


@pytest.mark.parametrize("rules, ways", [(3, 2), (4, 2), (3, 3), (5, 2)])
def test_a_floor_changes_no_region_of_a_rule_with_many_exceptions(monkeypatch, rules, ways):
    old, new = (load(text) for text in layered(rules, ways))
    with monkeypatch.context() as patched:
        compared = checking_floors(patched)
        with_floors = cover(diff(old, new, with_goals=False))
    assert compared[0] > 0, "widen gave some search a floor"
    assert any(c.kind == "except" for items in with_floors.values() for item in items for c in item[0])
    without_floors(monkeypatch)
    assert cover(diff(old, new, with_goals=False)) == with_floors
