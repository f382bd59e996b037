"""Impacts derived by renaming (analyses/images.py, Law.impacts): the structural test accepts
only provisions that are images of each other, a derived impact is the one the solver
finds when asked, its cover is proved complete and exact with a fresh solver, and a
renaming that is not a symmetry of the law is stopped by the evaluator's replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import legalmodel
from legalmodel.analyses.certify import Disagreement
from legalmodel.analyses.diff import diff, without_provision
from legalmodel.analyses.images import Renaming, derived_impact, image_renaming
from legalmodel.reports.diff import diff_json
from legalmodel.semantics.evaluate import evaluate

from helpers import all_situations, inside
from test_impact_cover import prove_impact

REPO = Path(__file__).resolve().parent.parent

# three "sekretess hindrar inte" rules of one shape (10 kap. 16–18 §§), one with a second
# condition, and a rule the others set aside
SMALL = '''law OSL "Offentlighets- och sekretesslag (2009:400)"

fact ålder: 0..130 "the age of the person"
fact står_klart_utan_men: bool "26:1: it is clear that disclosure harms no one"
fact omprövning: bool "10:16: needed to review a decision"
fact tillsyn: bool "10:17: needed for supervision"
fact förfarande: bool "10:18: needed for proceedings against staff"
fact delgivning: bool "10:26: needed for service of documents"
fact adress: bool "10:26: only an address"
fact samtycke: bool "the person consents"

action lämna_uppgift "give the information" default permitted

provision 26 kap. 1 § OSL "Socialtjänstsekretess"
  forbid lämna_uppgift when not står_klart_utan_men

provision 26 kap. 3 § OSL "Omsorg"
  forbid lämna_uppgift when ålder < 18 and not står_klart_utan_men

provision 10 kap. 16 § OSL "Omprövning"
  permit lämna_uppgift when omprövning
  overrides forbid

provision 10 kap. 17 § OSL "Tillsyn"
  permit lämna_uppgift when tillsyn
  overrides forbid

provision 10 kap. 18 § OSL "Förfarande"
  permit lämna_uppgift when förfarande
  overrides forbid

provision 10 kap. 26 § OSL "Delgivning"
  permit lämna_uppgift when delgivning and adress
  overrides forbid

provision 12 kap. 2 § OSL "Samtycke"
  permit lämna_uppgift when samtycke
  overrides 26 kap. 1 §
'''

SHAPE = ("10 kap. 16 § OSL", "10 kap. 17 § OSL", "10 kap. 18 § OSL")


def same_bytes(a, b) -> bool:
    """Whether two impacts print alike (`impact --format json` and the text report)."""
    return json.dumps(diff_json(a), sort_keys=True, default=str) == json.dumps(diff_json(b), sort_keys=True, default=str)


def test_the_rules_of_one_shape_are_grouped_and_no_others():
    law = legalmodel.loads(SMALL)
    groups = law.image_groups(list(law.spec.provisions))
    assert SHAPE in groups
    # 12 kap. 2 § sets aside less, 10 kap. 26 § has two facts of its own: groups of their own
    assert ("12 kap. 2 § OSL",) in groups and ("10 kap. 26 § OSL",) in groups
    renaming = image_renaming(law.spec, SHAPE[0], SHAPE[2])
    assert renaming.facts == ("omprövning", "förfarande")


@pytest.mark.parametrize("change, why", [
    ("  permit lämna_uppgift when tillsyn\n  overrides forbid\n",
     "  permit lämna_uppgift when tillsyn and ålder < 30\n  overrides forbid\n"),
    ("provision 26 kap. 3 § OSL \"Omsorg\"\n  forbid lämna_uppgift when ålder < 18 and not står_klart_utan_men",
     "provision 26 kap. 3 § OSL \"Omsorg\"\n  forbid lämna_uppgift when ålder < 18 and not står_klart_utan_men and not tillsyn"),
    ("  permit lämna_uppgift when tillsyn\n  overrides forbid\n",
     "  permit lämna_uppgift when tillsyn\n  overrides 26 kap. 1 §\n"),
    ("  permit lämna_uppgift when tillsyn\n  overrides forbid\n",
     "  forbid lämna_uppgift when tillsyn\n"),
    ("provision 12 kap. 2 § OSL \"Samtycke\"\n  permit lämna_uppgift when samtycke",
     "provision 12 kap. 2 § OSL \"Samtycke\"\n  permit lämna_uppgift when samtycke and not applies(10 kap. 17 § OSL)"),
    ('fact tillsyn: bool "10:17: needed for supervision"', 'fact tillsyn: 0..1 "10:17: needed for supervision"'),
], ids=["another-condition", "fact-mentioned-elsewhere", "sets-aside-less", "other-modality", "applies",
        "other-type"])
def test_a_provision_that_is_not_an_image_is_not_grouped(change, why):
    text = SMALL.replace(*((change, why)))
    if "0..1" in why:
        text = text.replace("when tillsyn", "when tillsyn = 1")
    assert text != SMALL
    law = legalmodel.loads(text)
    assert image_renaming(law.spec, "10 kap. 16 § OSL", "10 kap. 17 § OSL") is None
    assert ("10 kap. 16 § OSL", "10 kap. 18 § OSL") in law.image_groups(list(SHAPE))


def test_a_derived_impact_is_the_computed_one_and_proved_exact():
    law = legalmodel.loads(SMALL)
    derived = law.impacts(SHAPE, timeout=None)
    for citation, result in zip(SHAPE, derived):
        computed = law.impact(citation, timeout=None)
        assert result.covers == computed.covers
        assert result.goals == computed.goals and result.examples == computed.examples
        assert same_bytes(result, computed)
        assert result.changes, citation  # each still decides somewhere
    # the derived cover, proved with a solver of its own
    spec = law.spec
    for citation in SHAPE[1:]:
        prove_impact(spec, citation)


def test_a_wrong_renaming_is_stopped_by_the_evaluator():
    spec = legalmodel.loads(SMALL).spec
    source = diff(spec, without_provision(spec, "10 kap. 16 § OSL"), None, with_goals=False)
    # 12 kap. 2 § does not set 26 kap. 3 § aside: its impact is not 10 kap. 16 §'s renamed
    wrong = Renaming("10 kap. 16 § OSL", "12 kap. 2 § OSL", ("omprövning", "samtycke"))
    with pytest.raises(Disagreement):
        derived_impact(source, wrong, spec, without_provision(spec, "12 kap. 2 § OSL"), "with", "without")


def test_the_report_shows_a_derived_impact_as_computed(tmp_path):
    from legalmodel.web.site import build

    path = tmp_path / "law.lm"
    path.write_text(SMALL, encoding="utf-8")
    site = build(path)
    law = legalmodel.load(path)
    for page in site.provisions:
        if page.citation in SHAPE:
            assert page.impact.covers == law.impact(page.citation).covers


@pytest.fixture(scope="module")
def osl():
    return legalmodel.load(REPO / "specs" / "osl", "2025-12-01")


def test_the_real_law_has_one_group_of_five(osl):
    groups = [g for g in osl.image_groups(list(osl.spec.provisions)) if len(g) > 1]
    assert groups == [("12 kap. 2 § OSL", "10 kap. 2 § OSL", "10 kap. 16 § OSL", "10 kap. 17 § OSL",
                       "10 kap. 18 § OSL")]


@pytest.mark.slow
def test_the_real_law_s_derived_impacts_are_the_computed_ones(osl):
    """Five impacts asked (about 10 s), four derived: the same bytes."""
    group = ("12 kap. 2 § OSL", "10 kap. 2 § OSL", "10 kap. 16 § OSL", "10 kap. 17 § OSL", "10 kap. 18 § OSL")
    derived = osl.impacts(group, jobs=1)
    for citation, result in zip(group[1:], derived[1:]):
        computed = osl.impact(citation, jobs=1)
        assert result.covers == computed.covers and same_bytes(result, computed), citation


# ---- a date that only rewords has the date before's check ------------------------------------

REWORDED = '''amendment "Lag om ändring i offentlighets- och sekretesslagen (2009:400)" (SFS 2021:1, in force 2021-01-01, verified) to OSL

  reword 10 kap. 17 § "Tillsyn" (verified, "the same rule in new words")
    permit lämna_uppgift when tillsyn
    overrides forbid
'''

CHANGED = '''amendment "Lag om ändring i offentlighets- och sekretesslagen (2009:400)" (SFS 2022:1, in force 2022-01-01, verified) to OSL

  reword 10 kap. 17 § "Tillsyn"
    permit lämna_uppgift when tillsyn and ålder >= 18
    overrides forbid
'''


def test_a_date_that_only_rewords_shares_the_check_of_the_date_before(tmp_path, monkeypatch):
    from legalmodel.web import site

    (tmp_path / "base.lm").write_text(SMALL, encoding="utf-8")
    (tmp_path / "sfs2021_1.lm").write_text(REWORDED, encoding="utf-8")
    (tmp_path / "sfs2022_1.lm").write_text(CHANGED, encoding="utf-8")
    asked = []
    check = legalmodel.Law.check

    def counted(self, *args, **kwargs):
        if kwargs.get("remember"):  # the report's question (which asks check again inside)
            asked.append(self.as_of)
        return check(self, *args, **kwargs)
    monkeypatch.setattr(legalmodel.Law, "check", counted)
    built = site.build(tmp_path, jobs=1, impact=False)
    assert [d.date for d in built.dates] == ["2020-12-31", "2021-01-01", "2022-01-01"]
    assert asked == ["2020-12-31", "2022-01-01"]  # 2021-01-01 only rewords 10 kap. 17 §
    monkeypatch.setattr(legalmodel.Law, "check", check)
    law = legalmodel.load(tmp_path)
    for d in built.dates:
        own = law.at(d.date).check()
        assert d.check.spec is d.law.spec and d.check.spec.as_of == d.date
        assert d.check.to_json() == own.to_json() and d.check.to_text() == own.to_text()


def test_a_new_title_or_rule_is_not_only_a_rewording():
    from legalmodel.web.site import _alike_but_wording

    spec = legalmodel.loads(SMALL).spec
    assert _alike_but_wording(spec, legalmodel.loads(SMALL).spec)
    for old, new in [('"Tillsyn"', '"Tillsyn och revision"'), ("when tillsyn\n", "when tillsyn and samtycke\n"),
                     ('"the person consents"', '"the person agrees"')]:
        assert not _alike_but_wording(spec, legalmodel.loads(SMALL.replace(old, new, 1)).spec), new


# ---- on random laws with a pair of rules of one shape ----------------------------------------

@st.composite
def small_conditions(draw, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["fact", "not", "compare"] + (["and", "or"] if depth < 2 else [])))
    if kind == "fact":
        return draw(st.sampled_from(["f0", "f1", "f2"]))
    if kind == "not":
        return "not " + draw(st.sampled_from(["f0", "f1", "f2"]))
    if kind == "compare":
        return f"n {draw(st.sampled_from(['<', '>=', '=']))} {draw(st.integers(0, 5))}"
    return f"({draw(small_conditions(depth + 1))} {kind} {draw(small_conditions(depth + 1))})"


@st.composite
def laws_with_a_pair(draw) -> str:
    """A law of a few rules on `f0`–`f2` and `n`, and two rules of one shape on the facts `a`
    and `b` (the same modality, shared condition and overrides), declared anywhere."""
    facts = draw(st.permutations(['fact f0: bool "f0"', 'fact f1: bool "f1"', 'fact f2: bool "f2"',
                                  'fact n: 0..5 "n"', 'fact a: bool "a"', 'fact b: bool "b"']))
    default = draw(st.sampled_from([" default permitted", " default forbidden", ""]))
    rules = []
    for i in range(draw(st.integers(1, 4))):
        modality = draw(st.sampled_from(["forbid", "permit", "oblige"]))
        overrides = draw(st.sampled_from(["", "\n  overrides forbid", "\n  overrides permit"]))
        rules.append(f'provision 26 kap. {i + 1} § OSL "r{i}"\n  {modality} act when {draw(small_conditions())}{overrides}')
    modality = draw(st.sampled_from(["forbid", "permit", "oblige"]))
    shared = draw(st.one_of(st.just(""), small_conditions()))
    overrides = draw(st.sampled_from(["", "\n  overrides forbid", "\n  overrides permit",
                                      "\n  overrides 26 kap. 1 § OSL"]))
    for k, fact in ((1, "a"), (2, "b")):
        condition = f"{fact} and {shared}" if shared else fact
        rules.insert(draw(st.integers(0, len(rules))),
                     f'provision 10 kap. {k} § OSL "p{k}"\n  {modality} act when {condition}{overrides}')
    return "\n".join(['law OSL "o"', *facts, f'action act "act"{default}']) + "\n\n" + "\n\n".join(rules) + "\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(laws_with_a_pair())
def test_on_random_laws_a_derived_impact_is_exact_and_the_computed_one(text):
    try:
        law = legalmodel.loads(text)
    except legalmodel.SpecError:  # the pair overrides its own modality: a circle
        assume(False)
    first, image = "10 kap. 1 § OSL", "10 kap. 2 § OSL"
    assert law.image_groups([first, image]) == [(first, image)]
    derived = law.impacts([first, image], timeout=None, goals=False)[1]
    # by brute force: the regions hold exactly the situations whose verdict changes
    spec, without = law.spec, without_provision(law.spec, image)
    situations = all_situations(spec)
    for (action, before, after), regions in derived.covers.items():
        assert all(inside(r.situation, r.conditions) for r in regions)
        changed = [s for s in situations if evaluate(spec, s).verdicts[action] == before
                   and evaluate(without, s).verdicts[action] == after]
        assert changed == [s for s in situations if any(inside(s, r.conditions) for r in regions)]
    assert derived.covers == law.impact(image, timeout=None, goals=False).covers
