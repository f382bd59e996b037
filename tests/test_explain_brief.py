"""The API's lighter explanations, which the explorer asks for on every date: `brief` and
`parts=False` leave out work, never change the verdict or who decides it, and an explainer
kept with the law answers as a fresh one does."""

import pytest

import legalmodel

MOTION_CASE = {
    "utlämnare": "socialnämnd", "riskunderlag": "särskilda", "risk_rekrytering_terrorgrupp": True,
    "risk_terror": True, "mottagare": "polismyndigheten", "uppgift": "socialtjänst_personliga_förhållanden",
    "misstanke_begånget_brott": False, "ålder": 25,
}


@pytest.fixture(scope="module")
def osl():
    return legalmodel.load("specs/osl")


def _same_answer(a, b):
    return (a.settled, a.verdict, a.possible, a.depends_on, a.deciding, a.maybe_deciding)


@pytest.mark.parametrize("date", ["2016-10-05", "2020-08-01", "2025-12-01"])
@pytest.mark.parametrize("given", [MOTION_CASE, {"ålder": 25}, {**MOTION_CASE, "samtycke": False,
                                                                "står_klart_utan_men": False}])
def test_brief_and_partless_answers_agree_with_the_full_one(osl, date, given):
    law = osl.at(date)
    full = legalmodel.load("specs/osl", as_of=date).explain(given, action="lämna_uppgift").actions[0]
    brief = law.explain(given, action="lämna_uppgift", brief=True).actions[0]
    partless = law.explain(given, action="lämna_uppgift", parts=False).actions[0]
    assert _same_answer(partless, full) == _same_answer(full, full)
    assert (brief.settled, brief.verdict, brief.possible, brief.deciding, brief.maybe_deciding) == \
           (full.settled, full.verdict, full.possible, full.deciding, full.maybe_deciding)
    assert brief.depends_on == () and brief.completions == []
    assert brief.counterfactual is None and brief.trace == ()
    assert all(t.parts == () for t in partless.trace)
    assert [(t.id, t.triggered, t.in_force, t.set_aside_by) for t in partless.trace] == \
           [(t.id, t.triggered, t.in_force, t.set_aside_by) for t in full.trace]
    if full.counterfactual is not None:
        assert partless.counterfactual.changes == full.counterfactual.changes


def test_a_kept_explainer_answers_as_a_fresh_one():
    law = legalmodel.load("specs/osl", as_of="2020-08-01")
    first = law.explain(MOTION_CASE, action="lämna_uppgift")
    law.explain({"ålder": 19}, action="lämna_uppgift")  # other questions in between
    law.explain({**MOTION_CASE, "samtycke": True}, action="lämna_uppgift")
    again = law.explain(MOTION_CASE, action="lämna_uppgift")
    fresh = legalmodel.load("specs/osl", as_of="2020-08-01").explain(MOTION_CASE, action="lämna_uppgift")
    assert _same_answer(first.actions[0], again.actions[0]) == _same_answer(fresh.actions[0], fresh.actions[0])
    assert [c["situation"] for c in again.actions[0].completions] == \
           [c["situation"] for c in fresh.actions[0].completions]


def test_reform_dates_are_the_amendments_dates_in_order():
    law = legalmodel.load("docs/amendment-tutorial/law")
    assert law.reform_dates() == ("2020-08-01",)
    assert legalmodel.load("specs/tutorial").reform_dates() == ()
