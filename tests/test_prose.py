"""Conditions in prose (reports/prose.py): the prose tree of a condition holds exactly where
the condition holds, read back from the tree's own structure and checked against the plain
evaluator; its words are the spec's phrasings; a situation shows only the facts that matter."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from legalmodel import i18n
from legalmodel.law import model as m
from legalmodel.pipeline import load_text
from legalmodel.reports import prose
from legalmodel.results import Condition, Evidence
from legalmodel.semantics.evaluate import value_of

SPEC = '''law L "l"
enum Myndighet { polisen "Polismyndigheten", skatteverket, migrationsverket }
fact mottagare: Myndighet "the authority asking"
reads mottagare sv "den myndighet som frågar"
reads polisen en "the Police Authority"
fact ålder: 0..40 "the person's age"
reads ålder sv "personens ålder"
fact samtycke: bool "the person consents"
reads samtycke sv "den enskilde samtycker", not "den enskilde inte samtycker"
fact risk: bool "there is a risk"
action a "a"
provision 1 § L "p" forbid a when risk
'''
SPEC_CHECKED = load_text(SPEC, "spec.lm")
MEMBERS = ("polisen", "skatteverket", "migrationsverket")


@st.composite
def atoms(draw):
    kind = draw(st.sampled_from(("bool", "range", "set")))
    if kind == "bool":
        return Condition(draw(st.sampled_from(("samtycke", "risk"))), "bool", value=draw(st.booleans()))
    if kind == "range":
        low = draw(st.none() | st.integers(0, 40))
        high = draw(st.none() | st.integers(low or 0, 40))
        if low is None and high is None:
            low = 0
        return Condition("ålder", "range", low=low, high=high)
    members = draw(st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=3, unique=True))
    ordered = tuple(x for x in MEMBERS if x in members)
    return Condition("mottagare", "set", members=ordered, universe=MEMBERS if draw(st.booleans()) else ())


@st.composite
def conditions(draw):
    plain = draw(st.lists(atoms(), max_size=4))
    exceptions = draw(st.lists(st.lists(atoms(), min_size=1, max_size=3), max_size=2))
    return tuple(plain) + tuple(Condition(c[0].fact, "except", cube=tuple(c)) for c in exceptions)


situations = st.fixed_dictionaries({
    "mottagare": st.sampled_from(MEMBERS), "ålder": st.integers(0, 40),
    "samtycke": st.booleans(), "risk": st.booleans()})


def as_expr(c: Condition) -> m.Expr:
    """The condition as an expression of the language, for the plain evaluator: the oracle."""
    if c.kind == "except":
        return m.NotE(m.AndE(tuple(as_expr(a) for a in c.cube)))
    ref = m.FactRef(c.fact)
    if c.kind == "bool":
        return ref if c.value else m.NotE(ref)
    if c.kind == "range":
        parts = []
        if c.low is not None:
            parts.append(m.CmpE(">=", ref, m.Const(c.low)))
        if c.high is not None:
            parts.append(m.CmpE("<=", ref, m.Const(c.high)))
        return m.AndE(tuple(parts)) if len(parts) > 1 else parts[0]
    return m.InE(ref, tuple(m.Const(v) for v in c.members))


@pytest.mark.slow
@settings(max_examples=300)
@given(conditions(), situations, st.sampled_from(i18n.LANGUAGES))
def test_the_prose_holds_exactly_where_the_condition_holds(conds, situation, language):
    tree = prose.tree(SPEC_CHECKED, conds, language)
    expected = all(bool(value_of(as_expr(c), situation, {})) for c in conds)
    assert tree.holds(situation) == expected
    assert tree.holds(situation) == all(c.admits(situation) for c in conds)


@settings(max_examples=60)
@given(conditions(), situations)
def test_every_clause_reads_in_the_spec_s_words(conds, situation):
    with i18n.speaking("sv"):
        tree = prose.tree(SPEC_CHECKED, conds, "sv")
        text = prose.words(tree)
    for node in _clauses(tree):
        assert node.text in text
        if node.fact == "samtycke":
            assert node.text in ("den enskilde samtycker", "den enskilde inte samtycker")
        if node.fact == "ålder":
            assert node.text.startswith("personens ålder är ")
        if node.fact == "mottagare":
            assert node.text.startswith(("den myndighet som frågar är ", "den myndighet som frågar inte är ",
                                         "den myndighet som frågar varken är "))


def _clauses(node):
    if isinstance(node, prose.Clause):
        yield node
    elif isinstance(node, prose.Unless):
        yield from _clauses(node.part)
    else:
        for p in node.parts:
            yield from _clauses(p)


def test_sets_exceptions_and_alternatives_read_as_a_lawyer_writes_them():
    spec = SPEC_CHECKED
    both = Condition("mottagare", "set", members=("skatteverket", "migrationsverket"), universe=MEMBERS)
    neither = Condition("mottagare", "set", members=("polisen",), universe=())
    no_consent = Condition("samtycke", "bool", value=False)
    adult = Condition("ålder", "range", low=18)
    risky = Condition("risk", "bool", value=True)
    with i18n.speaking("sv"):
        assert prose.words(prose.tree(spec, (both, no_consent), "sv")) == (
            "den myndighet som frågar inte är Polismyndigheten och den enskilde inte samtycker")
        assert prose.words(prose.tree(spec, (adult, Condition("risk", "except", cube=(risky, neither))), "sv")) == (
            "personens ålder är minst 18, utom när there is a risk och den myndighet som frågar är "
            "Polismyndigheten")
        assert prose.words(prose.alternatives(spec, ((adult,), (no_consent,)), "sv")) == (
            "något av följande: personens ålder är minst 18; eller den enskilde inte samtycker")
    with i18n.speaking("en"):
        assert prose.words(prose.tree(spec, (no_consent, Condition("mottagare", "set", members=MEMBERS[1:])), "en")) == (
            "the person does not consent and the authority asking is skatteverket or migrationsverket")


def test_only_the_facts_that_matter_are_shown_and_the_absent_grounds_are_counted():
    spec = SPEC_CHECKED
    grounds = tuple(Condition(f, "bool", value=False) for f in ("samtycke", "risk"))
    age = Condition("ålder", "range", low=21)
    ev = Evidence({"mottagare": "polisen", "ålder": 30, "samtycke": False, "risk": False},
                  (age, *grounds), {"a": "permitted"}, (), (), matters=("samtycke", "risk"))
    shown = prose.situation_prose(spec, ev, "en")
    assert [c.fact for c in _clauses(shown.shown)] == ["samtycke", "risk"]
    assert shown.immaterial == 1  # the age does not matter here: left out
    many = Evidence(ev.situation, (age, *grounds, Condition("mottagare", "set", members=("polisen",))),
                    ev.verdicts, (), (), matters=("samtycke", "risk", "mottagare"))
    with i18n.speaking("en"):
        # a goal asks about the age: it is shown; two absent grounds are named, not counted
        text = prose.situation_text(spec, many, "en", premise=frozenset({"ålder"}))
    assert text == ("the person's age is at least 21, the person does not consent, there is no risk "
                    "and the authority asking is the Police Authority")


# ---- end to end: the command line and the API ---------------------------------------------------

def test_a_free_number_is_shown_at_a_plausible_value_and_a_deciding_one_is_not_moved():
    import legalmodel

    spec = ('law L "l"\nfact ålder: 0..130 "age"\nfact a: bool "a"\naction x "x"\n'
            'provision 1 § L "p" forbid x when a\nprovision 2 § L "q" permit x when ålder < 18\n')
    result = legalmodel.loads(spec, name="s.lm").check()
    (gap,) = [f for f in result.findings if f.kind == "gap"]
    (ev,) = gap.evidence
    # the age decides here (under 18, 2 § would permit): it stays at the edge the solver found
    assert ev.situation["ålder"] >= 18 and "ålder" in ev.matters
    free = legalmodel.loads(spec.replace("ålder < 18", "a and ålder < 18"), name="s.lm").check()
    (gap,) = [f for f in free.findings if f.kind == "gap"]
    assert gap.witness.situation["ålder"] == 30  # any age would do: an adult's, not 0
    assert "ålder" not in gap.witness.matters


def test_the_text_wraps_to_columns_and_is_the_same_bytes_each_time():
    from click.testing import CliRunner

    from legalmodel.cli import main

    runs = [CliRunner(env={"COLUMNS": columns}).invoke(main, ["check", "docs/tutorial/step6.lm"])
            for columns in ("60", "60", "")]
    narrow, again, default = (r.stdout for r in runs)
    assert narrow == again
    assert max(len(line) for line in narrow.splitlines()[1:]) <= 60  # the verdict line is one line
    assert max(len(line) for line in default.splitlines()[1:]) <= 100
    assert narrow != default and " ".join(narrow.split()) == " ".join(default.split())


def test_reads_and_the_language_declaration_survive_fmt():
    from legalmodel.syntax.format import format_text
    from legalmodel.syntax.parse import parse_source
    from legalmodel.syntax.source import SourceFile

    once = format_text("language en\n" + SPEC)
    assert format_text(once) == once
    assert once.startswith("language en\n")
    assert parse_source(SourceFile("a.lm", once)).items == parse_source(SourceFile("b.lm", "language en\n" + SPEC)).items
    assert 'reads samtycke sv "den enskilde samtycker", not "den enskilde inte samtycker"' in once


@pytest.mark.slow
def test_the_motion_s_three_counterexamples_read_as_three_reasons():
    import legalmodel

    result = legalmodel.load("specs/osl", as_of="2016-10-05").check()
    text = " ".join(result.to_text(language="en").split())
    motion = text.split("“motion 2016/17:2346")[1].split("cannot help here")[0]
    examples = motion.split("For example where ")[1:]
    assert len(examples) == 3
    assert "the information cannot be expected to help prevent it" in examples[0]
    assert "disclosure is olämpligt" in examples[1]
    assert "the person's age is at least 21" in examples[2]
    assert all("none of the other grounds applies" in e for e in examples)
    assert all("¬" not in e and "∧" not in e for e in examples)
    swedish = " ".join(result.to_text(language="sv").split())
    assert "Till exempel när mottagaren är Polismyndigheten, den utlämnande myndigheten är socialnämnden" in swedish
    assert "personens ålder är minst 21" in swedish and "ingen av de andra grunderna är uppfylld" in swedish


@pytest.mark.parametrize("language, description, false_case", [
    ("en", "the person consents to the disclosure", "the person does not consent to the disclosure"),
    ("en", "the matter is urgent", "the matter is not urgent"),
    ("en", "there is a risk of harm", "there is no risk of harm"),
    ("en", "the person has consented", "the person has not consented"),
    ("en", "it applies", "it does not apply"),
    # no plain subject and verb to negate: said around the whole
    ("en", "the police ask for it", "it is not the case that the police ask for it"),
    ("en", "konkreta omständigheter show a risk", "it is not the case that konkreta omständigheter show a risk"),
    ("en", "the person has a guardian", "it is not the case that the person has a guardian"),
    ("en", "a risk that the person will commit crime", "no risk that the person will commit crime"),
    ("sv", "en risk för brott", "ingen risk för brott"),
    # a clause after `när`: `inte` before the finite verb
    ("sv", "den enskilde samtycker till att uppgiften lämnas", "den enskilde inte samtycker till att uppgiften lämnas"),
    ("sv", "uppgiften rör ett redan begånget brott", "uppgiften inte rör ett redan begånget brott"),
    ("sv", "det finns konkreta omständigheter", "det inte finns konkreta omständigheter"),
    ("sv", "10:18 a: det är olämpligt att lämna uppgiften", "10:18 a: det inte är olämpligt att lämna uppgiften"),
    ("sv", "synnerliga skäl talar för sekretess", "det inte är så att synnerliga skäl talar för sekretess"),
])
def test_a_false_case_without_reads_negates_the_description(language, description, false_case):
    """Without `reads`, a bool fact's false case is its description negated: the clause
    itself where it is a plain subject and verb, else "it is not the case that …"; a label
    (`10:18 a: `) stays in front. Never the bare "not: …" of earlier versions."""
    with i18n.speaking(language):
        assert prose.negated(description, language) == false_case


def test_a_number_matters_where_only_a_value_far_from_it_changes_the_verdict():
    """At age 0, neither 1 nor the ends (0, 130) change the verdict of a rule for ages 18–20,
    but 19 does: the age matters, and the situation's prose must name it."""
    from legalmodel.analyses.relevance import facts_that_matter

    spec = load_text('law L "l"\nfact ålder: 0..130 "the age"\nfact risk: bool "a risk"\n'
                     'action lämna "give" default forbidden\n'
                     'provision 1 § "Unga" permit lämna when ålder >= 18 and ålder < 21\n', "spec.lm")
    assert facts_that_matter(spec, {"ålder": 0, "risk": False}, ("ålder", "risk")) == ("ålder",)
    assert facts_that_matter(spec, {"ålder": 40, "risk": True}, ("ålder", "risk")) == ("ålder",)
