"""The evaluator's answers kept for one cover (analyses/diff.Replays): each point a cover's
searches replay is evaluated once, a point is the same only with the same facts and values,
the memo forgets rather than grows past its limit, and a cover is the same, region for
region, when every point is evaluated anew."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legalmodel.analyses.diff import Differ, Replays, diff, without_provision

from helpers import load
from strategies import spec_plans
from test_widen_floor import cover, impact_sides, layered


def test_each_point_is_replayed_once():
    replays = Replays()
    asked = []

    def replay(point):
        asked.append(dict(point))
        return point["a"] > 1
    assert replays.answer({"a": 2, "b": True}, replay) is True
    assert replays.answer({"a": 2, "b": True}, replay) is True
    assert replays.answer({"a": 1, "b": True}, replay) is False
    assert replays.answer({"a": 2, "b": False}, replay) is True
    assert replays.answer({"b": True, "a": 2}, replay) is True  # other facts' order: another key
    assert replays.answer({"a": 2, "c": True}, replay) is True  # other facts: another point
    assert asked == [{"a": 2, "b": True}, {"a": 1, "b": True}, {"a": 2, "b": False}, {"b": True, "a": 2},
                     {"a": 2, "c": True}]


def test_none_is_kept_as_an_answer():
    replays = Replays()
    asked = []
    assert replays.answer({"a": 1}, lambda p: asked.append(p)) is None
    assert replays.answer({"a": 1}, lambda p: asked.append(p)) is None
    assert len(asked) == 1


def test_the_memo_forgets_past_its_limit(monkeypatch):
    monkeypatch.setattr(Replays, "LIMIT", 6)  # three points of two facts
    replays = Replays()
    asked = []

    def replay(point):
        asked.append(point["a"])
        return True
    for a in range(4):
        replays.answer({"a": a, "b": 0}, replay)
    assert asked == [0, 1, 2, 3]
    replays.answer({"a": 3, "b": 0}, replay)  # kept after the memo was emptied for it
    replays.answer({"a": 0, "b": 0}, replay)  # forgotten
    assert asked == [0, 1, 2, 3, 0]
    assert replays._kept <= Replays.LIMIT


def evaluated_anew(monkeypatch) -> None:
    monkeypatch.setattr(Replays, "answer", lambda self, point, replay: replay(point))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(spec_plans(), st.data())
def test_replays_kept_change_no_region(monkeypatch, plan, data):
    spec, smaller = impact_sides(plan, data)
    kept = cover(diff(spec, smaller, with_goals=False))
    with monkeypatch.context() as patched:
        evaluated_anew(patched)
        assert cover(diff(spec, smaller, with_goals=False)) == kept


def test_replays_kept_change_no_region_of_a_rule_with_many_exceptions(monkeypatch):
    old, new = (load(text) for text in layered(4, 2))
    calls = []
    answer = Replays.answer

    def counted(self, point, replay):
        calls.append(1)
        return answer(self, point, replay)
    with monkeypatch.context() as patched:
        patched.setattr(Replays, "answer", counted)
        kept = cover(diff(old, new, with_goals=False))
    assert calls, "the searches replayed points through the memo"
    assert any(c.kind == "except" for items in kept.values() for item in items for c in item[0])
    evaluated_anew(monkeypatch)
    assert cover(diff(old, new, with_goals=False)) == kept


ASSUMING = '''law L "a law"

fact age: 0..99 "an age"
fact asked: bool "a request"

action give "give" default forbidden

assume "only adults ask" asked implies age >= 18

provision 1 § L "one"
  permit give when asked and age >= 30
'''


def test_assumptions_evaluated_once_only_where_both_specs_assume_alike():
    old = load(ASSUMING)
    assert Differ(old, without_provision(old, "1 § L"), None)._same_assumptions  # an impact's two sides
    assert Differ(old, load(ASSUMING.replace("permit give when asked and age >= 30",
                                             "permit give when asked")), None)._same_assumptions
    other = load(ASSUMING.replace("asked implies age >= 18", "asked implies age >= 21"))
    assert not Differ(old, other, None)._same_assumptions
    # where they differ, a point one spec's assumptions rule out is no situation of the diff
    result = diff(old, other, with_goals=False)
    for items in result.covers.values():
        for item in items:
            assert not item.situation["asked"] or item.situation["age"] >= 21
