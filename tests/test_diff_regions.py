"""A diff's regions with exceptions: a change shaped like the 2025 amendments, where a new rule
applies except where any of several older rules already did, each of which fails in more
than one way. As plain conjunctions it takes one item per combination of the ways each older
rule fails; with exceptions it is one item that names each older rule once."""

from __future__ import annotations

import itertools

from legalmodel.analyses.diff import diff
from legalmodel.semantics.evaluate import evaluate

from helpers import all_situations, inside, load

BASE = """
law L "law"
fact a: bool "a"
fact b: bool "b"
fact c: bool "c"
fact d: bool "d"
fact e: bool "e"
fact f: bool "f"
fact g: bool "g"
enum Kind "kind" {
  x "x",
  y "y",
  z "z"
}
fact kind: Kind "kind"
action act "act" default permitted
provision 1 § L "secrecy"
  forbid act when kind != z
provision 2 § L "first rule"
  permit act when a and b
  overrides 1 §
provision 3 § L "second rule"
  permit act when c and d
  overrides 1 §
provision 4 § L "third rule"
  permit act when e and f
  overrides 1 §
"""
NEW = BASE + """
provision 5 § L "the new rule"
  permit act when g
  overrides 1 §
"""


def test_a_change_outside_three_older_rules_is_one_region_that_names_each_of_them():
    old, new = load(BASE), load(NEW)
    result = diff(old, new, with_goals=False)
    assert not result.incomplete and not result.unknown
    [(key, items)] = result.covers.items()
    assert key == ("act", "forbidden", "permitted")
    [item] = items  # as plain conjunctions: 2 × 2 × 2 = 8 items
    plain = [c.describe() for c in item.conditions if c.kind != "except"]
    exceptions = sorted(tuple(x.describe() for x in c.cube) for c in item.conditions if c.kind == "except")
    assert plain == ["g", "kind ∈ {x, y}"]
    assert exceptions == [("a", "b"), ("c", "d"), ("e", "f")]
    # exact and complete, by the evaluator
    for situation in all_situations(new):
        before, after = evaluate(old, situation), evaluate(new, situation)
        changed = (before.verdicts["act"], after.verdicts["act"]) == key[1:]
        assert inside(situation, item.conditions) == changed, situation
    assert item.old_deciding_in_region == ("1 § L",) and item.new_deciding_in_region == ("5 § L",)


def test_a_region_names_every_provision_that_decides_somewhere_in_it_not_only_at_its_witness():
    # 6 § forbids too where kind = y; the new rule overrides it as well
    extra = "\nprovision 6 § L \"other secrecy\"\n  forbid act when kind = y\n"
    old = load(BASE + extra)
    new = load(NEW.replace("  overrides 1 §\n", "  overrides 1 §, 6 §\n") + extra)
    result = diff(old, new, with_goals=False)
    items = result.covers[("act", "forbidden", "permitted")]
    everywhere = set()
    for item in items:
        inside_region = [s for s in all_situations(new) if inside(s, item.conditions)]
        deciding = {p for s in inside_region for p in evaluate(old, s).deciding(old, "act")}
        assert set(item.old_deciding_in_region) == deciding
        assert set(item.old_deciding) <= deciding
        everywhere |= deciding
    assert everywhere == {"1 § L", "6 § L"}


def test_provisions_in_force_together_in_a_region_are_all_named():
    """Differ._deciding_in asks for a situation where any provision not yet named is in
    force, and names every one the evaluator shows in force there: three that apply
    together (6–8 §) are found by one situation, and none of them may be lost."""
    extra = "".join(f"\nprovision {n} § L \"other secrecy {n}\"\n  forbid act when kind = y\n" for n in (6, 7, 8))
    old = load(BASE + extra)
    new = load(NEW.replace("  overrides 1 §\n", "  overrides 1 §, 6 §, 7 §, 8 §\n") + extra)
    result = diff(old, new, with_goals=False)
    everywhere = set()
    for item in result.covers[("act", "forbidden", "permitted")]:
        inside_region = [s for s in all_situations(new) if inside(s, item.conditions)]
        deciding = {p for s in inside_region for p in evaluate(old, s).deciding(old, "act")}
        assert set(item.old_deciding_in_region) == deciding
        everywhere |= deciding
    assert everywhere == {"1 § L", "6 § L", "7 § L", "8 § L"}
