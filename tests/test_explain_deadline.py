"""`explain` on an enumeration of thousands of values (issue 18): the facts that matter are
exactly those the evaluator finds, and `--timeout` bounds the whole explanation, which says
`unknown` where the limit runs out rather than show conditions cut short."""

from __future__ import annotations

import json

import pytest

import legalmodel
from helpers import make_runner
from test_json_schemas import assert_valid
from legalmodel.analyses.explain import Explainer
from legalmodel.cli import main
from legalmodel.semantics.evaluate import evaluate

VALUES = 2_000


def big_enum_spec(values: int = VALUES) -> str:
    """One enumeration of many values; the values that permit the act are not one run, and
    a second provision makes some of them depend on `level`."""
    members = ",\n  ".join(f"v{i}" for i in range(values))
    last = f"v{values - 1}"
    return f'''law L "a law"
enum Kind "the kind of case" {{
  {members}
}}
fact kind: Kind "the kind of case"
fact level: 0..10 "how serious the case is"
fact urgent: bool "the case is urgent"
action act "act on the case" default forbidden
provision 1 § L "one"
  permit act when kind in {{v1, v2, v3, v700, {last}}} or urgent
provision 2 § L "two"
  forbid act when level > 7 and kind in {{v2, v3, v5, v1200}}
'''


@pytest.fixture(scope="module")
def law():
    return legalmodel.loads(big_enum_spec(), name="big.lm")


def completions_of(x):
    (a,) = x.actions
    assert a.unknown is None
    return a


def test_each_completion_holds_exactly_where_the_evaluator_says(law):
    """Every situation the conditions admit has the completion's verdict (they are sound),
    and every value of `kind` they leave out has a situation, under the other conditions,
    with another verdict (they are as wide as the law allows): the generalisation over the
    enumeration, asked at once, is what asking value by value gave."""
    spec = law.spec
    a = completions_of(law.explain({"urgent": False}, action="act"))
    assert not a.settled and set(a.possible) == {"permitted", "forbidden"}
    kinds = spec.facts["kind"].type.members
    for comp in a.completions:
        conditions = comp["conditions"]
        assert conditions, "a completion of an unsettled verdict names the facts that matter"

        def verdicts(where):
            return {evaluate(spec, {"urgent": False, "kind": k, "level": n}).verdicts["act"]
                    for k in kinds for n in range(11) if where({"urgent": False, "kind": k, "level": n})}

        assert verdicts(lambda s: all(c.admits(s) for c in conditions)) == {comp["verdict"]}
        on_kind = [c for c in conditions if c.fact == "kind"]
        if not on_kind:
            continue
        (kind_condition,) = on_kind
        rest = [c for c in conditions if c.fact != "kind"]
        for k in kinds:
            if k in kind_condition.members:
                continue
            found = {evaluate(spec, {"urgent": False, "kind": k, "level": n}).verdicts["act"]
                     for n in range(11) if all(c.admits({"urgent": False, "kind": k, "level": n}) for c in rest)}
            assert found - {comp["verdict"]}, f"`kind = {k}` keeps {comp['verdict']} but was left out"


def test_the_permitted_values_are_not_one_run(law):
    a = completions_of(law.explain({"urgent": False, "level": 9}, action="act"))
    permitted = next(c for c in a.completions if c["verdict"] == "permitted")
    (kind,) = [c for c in permitted["conditions"] if c.fact == "kind"]
    assert kind.members == ("v1", "v700", f"v{VALUES - 1}")


def test_a_tiny_timeout_gives_unknown_not_a_narrower_condition(law):
    """Finding the facts that matter over 2,000 values takes far longer than a millisecond
    (the evaluator alone tries each value), so the limit runs out inside the explanation."""
    (a,) = law.explain({"urgent": False}, action="act", timeout=0.001).actions
    assert a.unknown is not None and "time limit of 0.001 s for the whole explanation" in a.unknown
    assert a.completions == [] and a.depends_on == () and a.possible == ()


def test_the_command_line_says_unknown_and_exits_3(tmp_path):
    (tmp_path / "big.lm").write_text(big_enum_spec(), encoding="utf-8")
    runner = make_runner()
    text = runner.invoke(main, ["explain", str(tmp_path / "big.lm"), "--given", "urgent=false",
                                "--timeout", "0.001"])
    assert text.exit_code == 3, text.output
    assert "`act`: unknown, not answered in full: the time limit of 0.001 s" in text.output
    assert "where kind" not in text.output
    as_json = runner.invoke(main, ["explain", str(tmp_path / "big.lm"), "--given", "urgent=false",
                                   "--timeout", "0.001", "--format", "json"])
    assert as_json.exit_code == 3
    document = json.loads(as_json.stdout)
    assert_valid("explain-1.json", document)
    (item,) = document["actions"]
    assert "time limit" in item["unknown"] and item["completions"] == [] and item["depends_on"] == []


def test_an_explainer_used_again_has_its_own_limit_each_time(law):
    """The case runner keeps one explainer per date: each explanation gets the whole limit
    afresh, and a question asked between explanations is not held to the last one's rest."""
    explainer = Explainer(law.spec, 10_000)
    first = explainer.explain({"urgent": False}, ["act"])
    again = explainer.explain({"urgent": False}, ["act"])
    assert first.actions[0].unknown is None and again.actions[0].unknown is None
    assert [c["conditions"] for c in first.actions[0].completions] == \
        [c["conditions"] for c in again.actions[0].completions]
    assert explainer.analyser.deadline.left_ms() is None  # off between explanations


def test_generalising_without_the_evaluator_asks_the_solver_for_each_failing_value(law):
    """Without the evaluator's screening (`fails_at`), every value the property fails at is
    found by the solver, one situation each, and the set is still exactly the values that
    keep the property whatever `level` is (with `urgent` false)."""
    from legalmodel.analyses.context import QueryContext

    spec = law.spec
    ctx = QueryContext(spec, 10_000)
    session, enc = ctx.session, ctx.enc
    situation = {"kind": "v0", "level": 0, "urgent": False}
    before = session.questions
    conditions = session.generalise(situation, enc.verdict_is("act", "forbidden"), ["kind", "level", "urgent"], {})
    assert not session.generalised_partly
    (kind,) = [c for c in conditions if c.fact == "kind"]
    keeping = [k for k in spec.facts["kind"].type.members
               if all(evaluate(spec, {"kind": k, "level": n, "urgent": False}).verdicts["act"] == "forbidden"
                      for n in range(11))]
    assert list(kind.members) == keeping
    # v1, v2, v3, v700 and the last fail: a question for each, not one per value
    assert session.questions - before < 40
