"""Resolution and type checking: what a spec's names and citations resolve to, and every error
the resolver reports (tests/fixtures/resolve_errors.txt, one block per error)."""

from __future__ import annotations

import pytest

from legalmodel.law import model as m
from legalmodel.syntax.diagnostics import SpecErrors
from legalmodel.pipeline import load_text
from legalmodel.reports.check import diagnostic_json, render_diagnostic

from helpers import diagnostics, fixture_params, load


@pytest.mark.parametrize("fixture", fixture_params("resolve_errors.txt"))
def test_resolution_errors(fixture):
    with pytest.raises(SpecErrors) as info:
        load_text(fixture.spec, "spec.lm")
    rendered = "\n".join(render_diagnostic(d) for d in info.value.diagnostics)
    assert rendered == fixture.expected, f"{fixture.title}: {fixture.why}"


def test_diagnostics_are_data_with_location_text_and_help():
    [d] = diagnostics('law OSL "o"\nfact risk: bool "r"\naction a "a"\nprovision 26 kap. 1 § "s" forbid a when rsik\n')
    assert (d.code, d.message, d.help) == ("unknown-name", "unknown name `rsik`", "did you mean `risk`?")
    assert (d.span.path, d.span.line, d.span.column, d.span.text()) == ("spec.lm", 4, 41, "rsik")
    assert diagnostic_json(d) == {
        "code": "unknown-name", "severity": "error", "message": "unknown name `rsik`",
        "file": "spec.lm", "line": 4, "column": 41, "text": "rsik", "help": "did you mean `risk`?",
    }


def test_every_error_of_the_stage_is_reported_in_source_order():
    found = diagnostics('''law OSL "o"
fact risk: bool "r"
action lämna "l"
provision 26 kap. 1 § "s" forbid lämna when rsik
provision 26 kap. 2 § "s" forbid lämnaa
goal "g" lämna is permitted whenever risk > 1
''')
    assert [(d.span.line, d.code) for d in found] == [(4, "unknown-name"), (5, "unknown-name"), (6, "type")]


# ---- what names resolve to ------------------------------------------------------------------------

LAWS = '''
law OSL "Offentlighets- och sekretesslag (2009:400)"
law SoL "Socialtjänstlag (2001:453)"
fact x: bool "x"
action a "a"
'''


def test_a_citation_without_a_law_means_the_only_law():
    spec = load('law OSL "o"\naction a "a"\nprovision 26 kap. 1 § "s" forbid a\nprovision 10 kap. 2 § "b" permit a overrides 26 kap. 1 §\n')
    assert list(spec.provisions) == ["26 kap. 1 § OSL", "10 kap. 2 § OSL"]
    assert spec.provisions["10 kap. 2 § OSL"].overrides == ("26 kap. 1 § OSL",)
    assert spec.overridden_by == {"26 kap. 1 § OSL": ("10 kap. 2 § OSL",), "10 kap. 2 § OSL": ()}


def test_a_citation_inside_a_provision_means_that_provisions_law():
    spec = load(LAWS + '''
provision 1 § OSL "o1" forbid a
provision 1 § SoL "s1" forbid a
provision 2 § SoL "s2" permit a overrides 1 §
provision 2 § OSL "o2" permit a overrides 1 § SoL
''')
    assert spec.provisions["2 § SoL"].overrides == ("1 § SoL",)
    assert spec.provisions["2 § OSL"].overrides == ("1 § SoL",)


def test_a_range_includes_lettered_paragraphs_inside_it_only():
    # 1 § < 1 a § < 2 § … < 6 § < 6 a §: `1–6 §§` takes 1 a § but not 6 a §
    spec = load('''law OSL "o"
action a "a"
provision 26 kap. 1 § "s" forbid a
provision 26 kap. 1 a § "s" forbid a
provision 26 kap. 6 § "s" forbid a
provision 26 kap. 6 a § "s" forbid a
provision 25 kap. 1 § "s" forbid a
provision 10 kap. 1 § "b" permit a overrides 26 kap. 1–6 §§
provision 10 kap. 2 § "b" permit a overrides OSL 26:1 a..6 a
''')
    assert spec.provisions["10 kap. 1 § OSL"].overrides == ("26 kap. 1 § OSL", "26 kap. 1 a § OSL", "26 kap. 6 § OSL")
    assert spec.provisions["10 kap. 2 § OSL"].overrides == ("26 kap. 1 a § OSL", "26 kap. 6 § OSL", "26 kap. 6 a § OSL")


def test_stycken_are_distinct_provisions_and_a_paragraph_names_all_its_stycken():
    spec = load('''law OSL "o"
action a "a"
provision 26 kap. 1 § första stycket "s1" forbid a
provision 26 kap. 1 § andra stycket "s2" forbid a
provision 10 kap. 1 § "b" permit a overrides 26 kap. 1 §
provision 10 kap. 2 § "b" permit a overrides OSL 26:1 2 st.
''')
    assert spec.provisions["10 kap. 1 § OSL"].overrides == (
        "26 kap. 1 § första stycket OSL", "26 kap. 1 § andra stycket OSL")
    assert spec.provisions["10 kap. 2 § OSL"].overrides == ("26 kap. 1 § andra stycket OSL",)


def test_override_by_modality_takes_the_same_action_within_the_chapters_except_the_listed():
    spec = load('''law OSL "o"
action a "a"
action b "b"
provision 26 kap. 1 § "s" forbid a
provision 25 kap. 1 § "s" forbid a
provision 25 kap. 2 § "other action" forbid b
provision 41 kap. 1 § "outside the chapters" forbid a
provision 30 kap. 1 § "a permission" permit a
provision 10 kap. 27 § "Generalklausulen" permit a overrides forbid in 21–40 kap. except 26 kap. 1 §
provision 10 kap. 28 § "everything" permit a overrides forbid
''')
    general = spec.provisions["10 kap. 27 § OSL"]
    assert general.overrides == ("25 kap. 1 § OSL",)
    assert general.excepts == ("26 kap. 1 § OSL",)
    assert spec.provisions["10 kap. 28 § OSL"].overrides == ("25 kap. 1 § OSL", "26 kap. 1 § OSL", "41 kap. 1 § OSL")


def test_outside_scope_silences_citations_that_select_nothing():
    spec = load('''law OSL "o"
action a "a"
outside scope 24 kap. 2 a och 8 §§, 25 kap. "not modelled in this spec"
provision 26 kap. 1 § "s" forbid a
provision 10 kap. 27 § "g" permit a when not applies(25 kap. 3 §)
  overrides forbid except 24 kap. 2 a och 8 §§, 25 kap. 1–8 §§, 26 kap. 1 §
provision 10 kap. 28 § "h" permit a overrides 25 kap. 1 §
''')
    assert spec.provisions["10 kap. 27 § OSL"].excepts == ("26 kap. 1 § OSL",)
    assert spec.provisions["10 kap. 28 § OSL"].overrides == ()
    assert spec.provisions["10 kap. 27 § OSL"].condition == m.NotE(m.AppliesE(()))


def test_outside_scope_covers_only_what_it_names():
    found = diagnostics('''law OSL "o"
action a "a"
outside scope 24 kap. 2 a § "not modelled"
provision 10 kap. 27 § "g" permit a overrides OSL 24:2 a, OSL 24:8
''')
    assert [(d.code, d.message) for d in found] == [
        ("selects-nothing", "`24 kap. 8 § OSL` selects no provision of this spec")]


def test_applies_resolves_to_provisions_and_orders_them_first():
    spec = load('''law OSL "o"
fact x: bool "x"
action a "a"
action b "b"
provision 4 kap. 1 § "contact details" oblige b when not applies(26 kap. 1–2 §§)
provision 26 kap. 1 § "s" forbid a when x
provision 26 kap. 2 § "t" forbid a when not x
''')
    cond = spec.provisions["4 kap. 1 § OSL"].condition
    assert cond == m.NotE(m.AppliesE(("26 kap. 1 § OSL", "26 kap. 2 § OSL")))
    order = spec.order
    assert order.index("26 kap. 1 § OSL") < order.index("4 kap. 1 § OSL")
    assert order.index("26 kap. 2 § OSL") < order.index("4 kap. 1 § OSL")


def test_conditions_are_typed():
    spec = load('''law OSL "o"
enum Myndighet { polisen, skatteverket }
fact ålder: 0..130 "a"
fact mottagare: Myndighet "m"
fact risk: bool "r"
action a "a"
provision 26 kap. 1 § "s" forbid a when polisen = mottagare and mottagare not in {skatteverket} and ålder ≥ 18 and risk = true
''')
    assert spec.provisions["26 kap. 1 § OSL"].condition == m.AndE((
        m.CmpE("=", m.Const("polisen"), m.FactRef("mottagare")),
        m.InE(m.FactRef("mottagare"), (m.Const("skatteverket"),), True),
        m.CmpE(">=", m.FactRef("ålder"), m.Const(18)),
        m.CmpE("=", m.FactRef("risk"), m.Const(True)),
    ))
    assert spec.facts["mottagare"].type == m.EnumType("Myndighet", ("polisen", "skatteverket"))
    assert spec.facts["ålder"].type == m.IntType(0, 130)


def test_goals_and_examples_resolve():
    spec = load('''law OSL "o"
enum Myndighet { polisen, skatteverket }
fact ålder: 0..130 "a"
fact mottagare: Myndighet "m"
fact risk: bool "r"
action a "a"
goal "g" a is not forbidden or contradictory whenever risk
goal "h" possibly a is permitted
example "e" given ålder = 19, mottagare = polisen, not risk expect a undecided
''')
    g, h = spec.goals
    assert (g.kind, g.verdicts, g.condition) == ("all", frozenset({"obligatory", "permitted", "undecided"}), m.FactRef("risk"))
    assert (h.kind, h.verdicts, h.condition) == ("some", frozenset({"permitted"}), m.TRUE)
    assert spec.examples[0].given == (("ålder", 19), ("mottagare", "polisen"), ("risk", False))
    assert spec.examples[0].expectations == (("a", "undecided"),)


@pytest.mark.parametrize("as_of, expected", [("2020-07-31", True), ("2020-08-01", False), (None, False)])
def test_expected_to_fail_until_a_date_depends_on_the_date_the_law_is_taken_on(as_of, expected):
    spec = load('law OSL "o"\naction a "a"\ngoal "g" expected to fail until 2020-08-01 a is permitted\n', as_of=as_of)
    assert spec.goals[0].expected_to_fail is expected


def test_provenance_is_kept():
    spec = load('law OSL "o"\naction a "a"\n'
                'provision 26 kap. 1 § "s" (SFS 2009:400, prop. 2008/09:150, in force 2009-06-30, summary, "n") forbid a\n')
    assert spec.provisions["26 kap. 1 § OSL"].provenance == m.Provenance(
        "SFS 2009:400", ("prop. 2008/09:150",), "2009-06-30", "summary", ("n",))


def test_a_duplicate_citation_does_not_hide_the_errors_of_the_first_declaration():
    found = diagnostics('''law OSL "o"
fact x: 0..10 "x"
action a "a"
provision 26 kap. 1 § "first" forbid a when x > 20
provision OSL 26:1 "second" permit a
''')
    assert [(d.span.line, d.code) for d in found] == [(4, "range"), (5, "duplicate")]


APPLIES_BY_MODALITY = '''law OSL "OSL"
law SoL "SoL"
fact begäran: bool "b"
fact kontakt: bool "k"
fact skäl: bool "s"
action lämna "lämna" default permitted
action annat "annat" default permitted
provision 26 kap. 1 § OSL "Sekretess"
  forbid lämna when not begäran
provision 26 kap. 3 § OSL "Familjerådgivning"
  forbid lämna when kontakt
provision 30 kap. 1 § OSL "Annan sekretess"
  forbid lämna when skäl
provision 15 kap. 7 § SoL "Vistelseort"
  oblige lämna when begäran
provision 1 § SoL "En annan handling"
  oblige annat when begäran
provision 4 § SoL "Kontaktuppgifter"
  oblige lämna when kontakt and not (applies(forbid in 26 kap. OSL) and skäl)
provision 10 kap. 28 § OSL "Uppgiftsskyldighet"
  permit lämna when applies(oblige)
  overrides forbid
'''


def test_applies_by_modality_names_the_other_provisions_of_that_modality_on_the_same_act():
    spec = load(APPLIES_BY_MODALITY)
    duty = spec.provisions["10 kap. 28 § OSL"].condition
    assert duty.provisions == ("15 kap. 7 § SoL", "4 § SoL")  # not the duty on another act
    contact = spec.provisions["4 § SoL"].condition.operands[1].operand.operands[0]
    assert contact.provisions == ("26 kap. 1 § OSL", "26 kap. 3 § OSL")  # only those `in 26 kap.`


def test_applies_by_modality_outside_a_provision_is_an_error_with_its_place():
    [d] = diagnostics(APPLIES_BY_MODALITY + 'goal "g"\n  lämna is permitted whenever applies(oblige)\n')
    assert d.code == "applies"
    assert (d.span.line, d.span.column) == (24, 31)
    assert "name the provisions" in d.help
