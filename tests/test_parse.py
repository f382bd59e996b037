"""Parsing: each construct of the language gives the syntax tree it should.

Trees are compared without spans (spans are outside equality), so the expected trees are
written out in full; positions are tested on their own where they matter. Malformed input
is in tests/fixtures/syntax_errors.txt, one block per mistake.
"""

from __future__ import annotations

import pytest

from legalmodel.syntax import tree as s
from legalmodel.syntax.citations import Citation
from legalmodel.syntax.diagnostics import SpecErrors
from legalmodel.syntax.parse import parse_citation, parse_text
from legalmodel.reports.check import render_diagnostic

from helpers import diagnostics, fixture_params


def items(text: str) -> tuple:
    return parse_text(text, "spec.lm").items


def one(text: str):
    parsed = items(text)
    assert len(parsed) == 1, parsed
    return parsed[0]


def condition(text: str) -> s.Expr:
    """The syntax tree of a condition, read as a provision's `when` clause."""
    p = one(f'provision 1 § "t" permit a when {text}')
    return p.condition


def provision(text: str) -> s.ProvisionDecl:
    p = one(text)
    assert isinstance(p, s.ProvisionDecl)
    return p


def N(name: str) -> s.NameRef:
    return s.NameRef(name)


def sel(chapter, low, high=None, law=None, stycke=None, punkt=None) -> s.SelectorSyntax:
    """A selector for paragraphs `low`..`high` (each an int or (int, letter)) of one chapter."""
    def key(k):
        return k if isinstance(k, tuple) else (k, "")

    high = low if high is None else high
    chapters = None if chapter is None else (chapter, chapter)
    return s.SelectorSyntax(law, chapters, (key(low), key(high)), stycke, punkt)


def chapters(low, high, law=None) -> s.SelectorSyntax:
    return s.SelectorSyntax(law, (low, high), None)


# ---- vocabulary --------------------------------------------------------------------------------

def test_law():
    assert one('law OSL "Offentlighets- och sekretesslag (2009:400)"') == s.LawDecl(
        s.Name("OSL"), "Offentlighets- och sekretesslag (2009:400)")


def test_enum_with_and_without_descriptions_and_a_trailing_comma():
    text = '''
    enum Myndighet "an authority that can receive information" {
      polisen "Polismyndigheten",
      säkerhetspolisen,
    }
    enum Grund { samtycke, nödläge }
    '''
    assert items(text) == (
        s.EnumDecl(s.Name("Myndighet"), "an authority that can receive information", (
            s.EnumValue(s.Name("polisen"), "Polismyndigheten"),
            s.EnumValue(s.Name("säkerhetspolisen"), None),
        )),
        s.EnumDecl(s.Name("Grund"), None, (
            s.EnumValue(s.Name("samtycke"), None),
            s.EnumValue(s.Name("nödläge"), None),
        )),
    )


def test_facts_of_each_type_with_unicode_names():
    text = '''
    fact närstående: bool "the person is a close relative"
    fact ålder: 0..130 "the age of the person"
    fact mottagare: Myndighet "the receiving authority"
    fact står_klart_utan_men: bool "it is clear that no harm follows (26:1)"
    '''
    assert items(text) == (
        s.FactDecl(s.Name("närstående"), s.BoolTypeSyntax(), "the person is a close relative"),
        s.FactDecl(s.Name("ålder"), s.IntRangeSyntax(0, 130), "the age of the person"),
        s.FactDecl(s.Name("mottagare"), s.NamedTypeSyntax(s.Name("Myndighet")), "the receiving authority"),
        s.FactDecl(s.Name("står_klart_utan_men"), s.BoolTypeSyntax(), "it is clear that no harm follows (26:1)"),
    )


def test_texts_keep_escaped_quotes_and_comment_marks():
    fact = one(r'fact x: bool "the \"men\" test # not a comment // nor this"')
    assert fact.description == 'the "men" test # not a comment // nor this'


def test_assumptions_with_and_without_a_label():
    assert items('''
    assume "a suspicion of a committed crime implies a crime" misstanke implies brott
    assume ålder <= 120
    ''') == (
        s.Assumption("a suspicion of a committed crime implies a crime", s.Implies(N("misstanke"), N("brott"))),
        s.Assumption(None, s.Compare("<=", N("ålder"), s.IntLit(120))),
    )


def test_actions_with_and_without_a_default():
    assert items('''
    action lämna_uppgift "hand the information to another authority" default permitted
    action röja "reveal the information" default forbidden
    action underrätta "notify the police"
    ''') == (
        s.ActionDecl(s.Name("lämna_uppgift"), "hand the information to another authority", "permitted"),
        s.ActionDecl(s.Name("röja"), "reveal the information", "forbidden"),
        s.ActionDecl(s.Name("underrätta"), "notify the police", None),
    )


# ---- provisions ---------------------------------------------------------------------------------

def test_provision_with_full_provenance():
    p = provision('''
    provision 10 kap. 18 a § OSL "Unga under 21"
      (SFS 2025:179, prop. 2024/25:94, prop. 2023/24:1, in force 2025-04-01, verified,
       "read against the bill", "second note")
      permit lämna_uppgift when ålder < 21
    ''')
    assert p == s.ProvisionDecl(
        citation=s.CitationSyntax("OSL", 10, 18, "a"),
        title="Unga under 21",
        provenance=s.Provenance(
            sfs="SFS 2025:179",
            preparatory_works=("prop. 2024/25:94", "prop. 2023/24:1"),
            in_force="2025-04-01",
            certainty="verified",
            notes=("read against the bill", "second note"),
        ),
        modality="permit",
        action=s.Name("lämna_uppgift"),
        condition=s.Compare("<", N("ålder"), s.IntLit(21)),
        overrides=(),
        excepts=(),
    )


@pytest.mark.parametrize("certainty", ["verified", "summary", "unverified"])
def test_provenance_certainty(certainty):
    p = provision(f'provision 26 kap. 1 § "Socialtjänstsekretess" ({certainty}) forbid lämna')
    assert p.provenance == s.Provenance(certainty=certainty)


def test_provenance_normalises_spacing_in_sfs_and_prop_numbers():
    p = provision('provision 26 kap. 1 § "t" (SFS  2009:400, prop.   2008/09:150) forbid lämna')
    assert (p.provenance.sfs, p.provenance.preparatory_works) == ("SFS 2009:400", ("prop. 2008/09:150",))


def test_provision_without_provenance_or_condition():
    p = provision('provision 26 kap. 1 § "Socialtjänstsekretess" forbid lämna')
    assert p.provenance == s.Provenance()
    assert p.condition is None
    assert p.citation == s.CitationSyntax(None, 26, 1)


@pytest.mark.parametrize("modality", ["forbid", "permit", "oblige"])
def test_modalities(modality):
    assert provision(f'provision 1 § "t" {modality} lämna').modality == modality


def test_layout_is_free():
    on_one_line = provision('provision 26 kap. 1 § "S" forbid a when x and y overrides 25 kap. 1 §')
    spread_out = provision('''
    provision
        26 kap.
        1 §
      "S"
      forbid a
      when x
       and y
      overrides 25 kap. 1 §
    ''')
    assert on_one_line == spread_out


# ---- conditions ----------------------------------------------------------------------------------

def test_connectives_and_their_precedence():
    # not > and > or > implies > iff
    assert condition("not a and b or c implies d iff e") == s.Iff(
        s.Implies(s.Or((s.And((s.Not(N("a")), N("b"))), N("c"))), N("d")), N("e"))


def test_unicode_connectives_mean_the_same():
    assert condition("¬a ∧ b ∨ c → d ↔ e") == condition("not a and b or c implies d iff e")
    assert condition("a ⇒ b ⇔ c") == condition("a implies b iff c")


def test_implies_groups_to_the_right():
    assert condition("a implies b implies c") == s.Implies(N("a"), s.Implies(N("b"), N("c")))


def test_and_or_are_flat():
    assert condition("a and b and c") == s.And((N("a"), N("b"), N("c")))
    assert condition("a or b or c") == s.Or((N("a"), N("b"), N("c")))


def test_parentheses_override_precedence():
    assert condition("(a or b) and c") == s.And((s.Or((N("a"), N("b"))), N("c")))
    assert condition("not (a and b)") == s.Not(s.And((N("a"), N("b"))))


@pytest.mark.parametrize("written, op", [
    ("=", "="), ("!=", "!="), ("≠", "!="), ("<", "<"), ("<=", "<="), ("≤", "<="),
    (">", ">"), (">=", ">="), ("≥", ">="),
])
def test_comparisons_with_unicode_operators_normalised(written, op):
    assert condition(f"ålder {written} 18") == s.Compare(op, N("ålder"), s.IntLit(18))


def test_comparison_with_literals():
    assert condition("risk = true") == s.Compare("=", N("risk"), s.BoolLit(True))
    assert condition("risk != false") == s.Compare("!=", N("risk"), s.BoolLit(False))
    assert condition("mottagare = polisen") == s.Compare("=", N("mottagare"), N("polisen"))


def test_in_and_not_in_a_set():
    assert condition("mottagare in {polisen, säkerhetspolisen}") == s.InSet(
        N("mottagare"), (N("polisen"), N("säkerhetspolisen")), False)
    assert condition("mottagare not in {polisen,}") == s.InSet(N("mottagare"), (N("polisen"),), True)
    assert condition("ålder ¬ in {1, 2}") == s.InSet(N("ålder"), (s.IntLit(1), s.IntLit(2)), True)


def test_applies_with_a_citation_list():
    assert condition("applies(26 kap. 1 §) and not applies(OSL 25:1..3, 24 kap. 2 a och 8 §§)") == s.And((
        s.Applies((sel(26, 1),)),
        s.Not(s.Applies((sel(25, 1, 3, law="OSL"), sel(24, (2, "a")), sel(24, 8)))),
    ))


# ---- overrides and except lists -------------------------------------------------------------------

def test_override_by_citations():
    p = provision('provision 10 kap. 18 b § "t" permit a overrides 26 kap. 1 §, 25 kap. 1 §')
    assert p.overrides == (s.CitationOverride((sel(26, 1), sel(25, 1))),)


def test_override_by_range_in_both_forms():
    short = provision('provision 10 kap. 2 § "t" permit a overrides OSL 26:1..6').overrides
    dash = provision('provision 10 kap. 2 § "t" permit a overrides OSL 26:1–6').overrides
    swedish = provision('provision 10 kap. 2 § "t" permit a overrides 26 kap. 1–6 §§ OSL').overrides
    assert short == dash == swedish == (s.CitationOverride((sel(26, 1, 6, law="OSL"),)),)


def test_override_by_modality_and_by_modality_within_chapters():
    assert provision('provision 10 kap. 27 § "t" permit a overrides forbid').overrides == (
        s.ModalityOverride("forbid", ()),)
    assert provision('provision 10 kap. 27 § "t" permit a overrides forbid in 21–40 kap.').overrides == (
        s.ModalityOverride("forbid", (chapters(21, 40),)),)
    assert provision('provision 10 kap. 27 § "t" permit a overrides forbid in 21-40 kap. OSL').overrides == (
        s.ModalityOverride("forbid", (chapters(21, 40, "OSL"),)),)


def test_several_override_clauses():
    p = provision('provision 10 kap. 2 § "t" permit a overrides OSL 26:1 overrides forbid in 25 kap.')
    assert p.overrides == (s.CitationOverride((sel(26, 1, law="OSL"),)), s.ModalityOverride("forbid", (chapters(25, 25),)))


def test_except_list_in_the_statutes_own_form():
    p = provision('''
    provision 10 kap. 27 § "Generalklausulen"
      permit lämna when uppenbart_företräde
      overrides forbid
      except 24 kap. 2 a och 8 §§, 25 kap. 1–5 och 8 §§, 26 kap. 1 a § första stycket, 3, 4 och 6 §§,
             29 kap. 1 och 2 §§ samt 40 kap. 2 och 5 §§
    ''')
    assert p.overrides == (s.ModalityOverride("forbid", ()),)
    assert p.excepts == (
        sel(24, (2, "a")), sel(24, 8),
        sel(25, 1, 5), sel(25, 8),
        sel(26, (1, "a"), stycke=1), sel(26, 3), sel(26, 4), sel(26, 6),
        sel(29, 1), sel(29, 2),
        sel(40, 2), sel(40, 5),
    )


def test_law_named_after_a_group_applies_to_the_whole_group():
    p = provision('provision 10 kap. 2 § "t" permit a except 24 kap. 2 a och 8 §§ OSL, 12 kap. 10 § SoL')
    assert p.excepts == (sel(24, (2, "a"), law="OSL"), sel(24, 8, law="OSL"), sel(12, 10, law="SoL"))


def test_whole_chapters_in_a_list():
    p = provision('provision 10 kap. 2 § "t" permit a except 25 kap., 30–32 kap.')
    assert p.excepts == (chapters(25, 25), chapters(30, 32))


# ---- citations ----------------------------------------------------------------------------------------

def test_short_citation_with_a_letter():
    assert provision('provision OSL 10:18 a "t" permit a').citation == s.CitationSyntax("OSL", 10, 18, "a")


@pytest.mark.parametrize("written, stycke, punkt", [
    ("26 kap. 1 § första stycket", 1, None),
    ("26 kap. 1 § andra stycket 3 p.", 2, 3),
    ("26 kap. 1 § 2 st.", 2, None),
    ("26 kap. 1 § 2 st. 3 p.", 2, 3),
    ("26 kap. 1 § tredje stycket andra punkten", 3, 2),
    ("26 kap. 1 § 4 p.", None, 4),
])
def test_stycke_and_punkt_forms(written, stycke, punkt):
    assert provision(f'provision {written} "t" forbid a').citation == s.CitationSyntax(None, 26, 1, "", stycke, punkt)


def test_stycke_in_the_short_form():
    assert provision('provision OSL 26:1 a 2 st. "t" forbid a').citation == s.CitationSyntax("OSL", 26, 1, "a", 2)


def test_law_without_chapters():
    assert provision('provision 5 § SoL "t" forbid a').citation == s.CitationSyntax("SoL", None, 5)


def test_the_two_citation_forms_give_the_same_citation():
    swedish = provision('provision 10 kap. 18 a § OSL "t" permit a').citation
    short = provision('provision OSL 10:18 a "t" permit a').citation
    assert swedish == short == s.CitationSyntax("OSL", 10, 18, "a")
    assert parse_citation("10 kap. 18 a § OSL") == parse_citation("OSL 10:18 a") == swedish


def test_the_two_citation_forms_name_one_provision():
    found = diagnostics('''
    law OSL "Offentlighets- och sekretesslag (2009:400)"
    action a "a"
    provision 10 kap. 18 a § OSL "Unga under 21" permit a
    provision OSL 10:18 a "Unga under 21, again" permit a
    ''')
    assert [(d.code, d.message) for d in found] == [
        ("duplicate", "`10 kap. 18 a § OSL` is cited by two provisions")]


def test_citation_renders_in_both_forms():
    c = Citation("OSL", 10, 18, "a")
    assert c.swedish() == "10 kap. 18 a § OSL"
    assert c.short() == "OSL 10:18 a"
    assert Citation("OSL", 26, 1, "", 1).swedish() == "26 kap. 1 § första stycket OSL"


def test_parse_citation_refuses_a_range():
    with pytest.raises(SpecErrors) as info:
        parse_citation("26 kap. 1–6 §§")
    assert "more than one paragraph" in info.value.diagnostics[0].message


# ---- goals and examples ------------------------------------------------------------------------------

def test_goal_over_all_situations():
    assert one('goal "young people at risk" lämna is permitted whenever ålder < 21 and risk') == s.GoalDecl(
        "young people at risk", "all", s.Name("lämna"), ("permitted",), False,
        s.And((s.Compare("<", N("ålder"), s.IntLit(21)), N("risk"))))


def test_goal_over_some_situation_with_a_negated_verdict_set():
    assert one('goal "g" possibly lämna is not forbidden or contradictory when risk') == s.GoalDecl(
        "g", "some", s.Name("lämna"), ("forbidden", "contradictory"), True, N("risk"))


def test_goals_without_a_condition():
    assert one('goal "g" lämna is permitted').condition is None
    assert one('goal "g" possibly lämna is obligatory').kind == "some"


def test_goal_expected_to_fail():
    g = one('goal "anyone at risk" expected to fail "the amendment is not in force" lämna is permitted whenever risk')
    assert (g.expected_to_fail, g.expected_reason, g.expected_until) == (True, "the amendment is not in force", None)
    g = one('goal "g" expected to fail until 2020-08-01 possibly lämna is undecided')
    assert (g.kind, g.expected_to_fail, g.expected_reason, g.expected_until) == ("some", True, None, "2020-08-01")
    g = one('goal "g" lämna is permitted')
    assert (g.expected_to_fail, g.expected_reason, g.expected_until) == (False, None, None)


def test_example_with_every_form_of_given_and_several_expectations():
    e = one('''
    example "a 19-year-old" given ålder = 19, risk, not olämpligt, samtycke = false, mottagare = polisen
      expect lämna permitted
      expect röja forbidden
    ''')
    assert e == s.ExampleDecl("a 19-year-old", (
        s.Given(s.Name("ålder"), s.IntLit(19)),
        s.Given(s.Name("risk"), s.BoolLit(True)),
        s.Given(s.Name("olämpligt"), s.BoolLit(False)),
        s.Given(s.Name("samtycke"), s.BoolLit(False)),
        s.Given(s.Name("mottagare"), N("polisen")),
    ), (s.Expectation(s.Name("lämna"), "permitted"), s.Expectation(s.Name("röja"), "forbidden")))


def test_example_without_given():
    assert one('example "e" expect lämna undecided') == s.ExampleDecl(
        "e", (), (s.Expectation(s.Name("lämna"), "undecided"),))


# ---- comments and positions ---------------------------------------------------------------------------

def test_comments_of_both_kinds_are_ignored():
    with_comments = items('''
    # a comment on its own line
    law OSL "o"   # after an item
    // another comment
    fact x: bool "x"  // after an item
    provision 26 kap. 1 § "t" # inside an item
      forbid a // inside an item
      when x
    ''')
    without = items('law OSL "o"\nfact x: bool "x"\nprovision 26 kap. 1 § "t" forbid a when x')
    assert with_comments == without


def test_a_file_of_comments_only_is_empty():
    assert items("# nothing\n// here\n") == ()


def test_spans_point_at_the_source():
    text = 'law OSL "o"\n\nfact närstående: bool "n"\nprovision 26 kap. 1 § "t"\n  forbid a when närstående\n'
    law, fact, p = items(text)
    assert (fact.span.line, fact.span.column) == (3, 1)
    assert (fact.name.span.line, fact.name.span.column, fact.name.span.text()) == (3, 6, "närstående")
    assert (p.span.line, p.span.column) == (4, 1)
    assert (p.condition.span.line, p.condition.span.column, p.condition.span.text()) == (5, 17, "närstående")
    assert p.span.location() == "spec.lm:4:1"


def test_citation_span_covers_the_whole_citation():
    # the offending text of a diagnostic about a citation is the citation as written
    p = provision('provision 26 kap. 1 § OSL "t" forbid a')
    assert p.citation.span.text() == "26 kap. 1 § OSL"
    p = provision('provision OSL 26:1 "t" forbid a')
    assert p.citation.span.text() == "OSL 26:1"


# ---- malformed input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", fixture_params("syntax_errors.txt"))
def test_syntax_errors(fixture):
    with pytest.raises(SpecErrors) as info:
        parse_text(fixture.spec, "spec.lm")
    rendered = "\n".join(render_diagnostic(d) for d in info.value.diagnostics)
    assert rendered == fixture.expected, f"{fixture.title}: {fixture.why}"


def test_every_broken_item_of_a_file_is_reported():
    text = ('law OSL "o"\n'
            'fact x bool "x"\n'
            'fact y: bool "y"\n'
            'provision 26 kap. 1 § "t" forbid a when x == y\n'
            'provision 26 kap. 2 "t" forbid a\n'
            'action a "a"\n')
    with pytest.raises(SpecErrors) as info:
        parse_text(text, "spec.lm")
    assert [(d.code, d.span.line, d.span.column) for d in info.value.diagnostics] == [
        ("syntax", 2, 8), ("syntax", 4, 44), ("citation", 5, 19)]


def _deep_condition(levels: int) -> str:
    e = "a"
    for _ in range(levels):
        e = f"({e} and a = a)"
    return e


@pytest.mark.parametrize("broken_first_item", [False, True])
def test_a_condition_nested_too_deep_is_an_error_not_a_crash(broken_first_item):
    # with a syntax error elsewhere the file is re-read item by item; the depth limit must hold there too
    text = ("law %% broken\n" if broken_first_item else "") + 'fact a: bool "a"\nassume ' + _deep_condition(400) + "\n"
    with pytest.raises(SpecErrors) as err:
        parse_text(text)
    kinds = [d.code for d in err.value.diagnostics]
    assert "nesting" in kinds
    nesting = next(d for d in err.value.diagnostics if d.code == "nesting")
    assert nesting.span.line == (3 if broken_first_item else 2)
