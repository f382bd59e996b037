"""The ASP (clingo) baseline as a third oracle (benchmarks/asp, docs/asp-baseline.md).

The baseline answers `check`'s questions with a different method and no shared code: a
translation of the law model into answer-set programming, solved by clingo. So:

1. on generated specs small enough to enumerate, the baseline's answers are those of brute
   force over every situation (with every pair, not only the reported ones): the baseline
   is right where it can be checked by hand;
2. on generated specs of both shapes (tests/strategies.py's, and the two benchmark
   generators' at sizes brute force cannot enumerate), `check --format json` gives the
   baseline's answers: the same pairs, dead provisions, provisions never in force, gaps,
   goals and examples (evidence may differ);
3. the comparison has teeth: a translation with a planted bug disagrees with check.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

import legalmodel
from legalmodel.law import model as m
from legalmodel.semantics.evaluate import assumptions_hold, evaluate

from strategies import all_situations, crosscutting_texts, spec_plans

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from asp import translate as asp_translate  # noqa: E402
from asp.compare import differences, from_check, undecided  # noqa: E402
from asp.solve import CAP, Answers, answers  # noqa: E402
from generate import generate  # noqa: E402
from generate_crosscutting import generate as generate_crosscutting  # noqa: E402

BOTH_SHAPES = st.one_of(spec_plans().map(lambda plan: plan.text), crosscutting_texts())


def brute_answers(spec: m.CheckedSpec) -> Answers:
    """The baseline's answers worked out over every situation with legalmodel's evaluator,
    every pair included (no cap)."""
    world = [(s, evaluate(spec, s)) for s in all_situations(spec) if assumptions_hold(spec, s)]
    if not world:
        return Answers(True, (), (), (), (), (), (), ())
    order = spec.position

    def pairs(first, unstated_only):
        found = set()
        for _s, e in world:
            for p in spec.provisions.values():
                if p.modality != first or p.id not in e.in_force:
                    continue
                for q in spec.provisions_for(p.action):
                    if q.modality == m.FORBID and q.id in e.in_force and (
                            not unstated_only or asp_translate._unstated(p, q)):
                        found.add((p.id, q.id))
        return tuple(sorted(found, key=lambda x: (order[x[0]], order[x[1]])))

    triggered = {p for _s, e in world for p in e.triggered}
    in_force = {p for _s, e in world for p in e.in_force}
    goals = []
    for g in spec.goals:
        matching = [e for _s, e in world if e.holds(g.condition)]
        wanted = [e.verdicts[g.action] in g.verdicts for e in matching]
        holds = all(wanted) if g.kind == "all" else any(wanted)
        goals.append((g.title, ("holds-unexpectedly" if g.expected_to_fail else "holds") if holds
                      else ("fails-as-expected" if g.expected_to_fail else "fails")))
    examples = []
    for x in spec.examples:
        given_facts = dict(x.given)
        completions = [e for s, e in world if all(s[f] == v for f, v in given_facts.items())]
        if not completions:
            examples.append((x.title, (("impossible",),)))
            continue
        results = []
        for action, expected in x.expectations:
            hits = sum(e.verdicts[action] == expected for e in completions)
            results.append((action, expected, "passes" if hits == len(completions) else
                            "fails" if hits == 0 else "underdetermined"))
        examples.append((x.title, tuple(results)))
    return Answers(
        impossible=False,
        contradictions=pairs(m.OBLIGE, False),
        collisions=pairs(m.PERMIT, True),
        dead=tuple(p for p in spec.provisions if p not in triggered),
        never_in_force=tuple(p for p in spec.provisions if p in triggered and p not in in_force),
        gaps=tuple(a for a, act in spec.actions.items()
                   if act.default is None and any(e.verdicts[a] == m.UNDECIDED for _s, e in world)),
        goals=tuple(goals), examples=tuple(examples),
        idle_overrides=tuple((p.id, q) for p in spec.provisions.values() for q in p.overrides
                             if all(evaluate(without_edge(spec, p.id, q), s).verdicts == e.verdicts for s, e in world)))


def without_edge(spec: m.CheckedSpec, overrider: str, overridden: str) -> m.CheckedSpec:
    """The spec with one override dropped."""
    overridden_by = dict(spec.overridden_by)
    overridden_by[overridden] = tuple(x for x in overridden_by[overridden] if x != overrider)
    return dataclasses.replace(spec, overridden_by=overridden_by)


def check_answers(law) -> Answers:
    """What `check --format json` answers (the API's to_json is that report, byte for byte)."""
    report = json.loads(law.check().to_json())["specs"][0]
    assert not undecided(report), undecided(report)
    return from_check(report)


def assert_agree(law) -> None:
    baseline = answers(law.spec).capped_at(law.spec)
    assert differences(baseline, check_answers(law)) == []


# ---- 1. the baseline is right where brute force can tell --------------------------------------

@pytest.mark.slow
@given(BOTH_SHAPES)
def test_the_baseline_gives_what_brute_force_gives(text):
    note(text)
    spec = legalmodel.loads(text, name="spec.lm").spec
    mine, brute = answers(spec), brute_answers(spec)
    assert differences(mine, brute) == []
    # the order too: pairs by the first provision, then the second, as check reports them
    assert (mine.contradictions, mine.collisions) == (brute.contradictions, brute.collisions)


def test_the_baseline_gives_what_brute_force_gives_on_the_tutorials():
    for path in sorted((REPO / "docs" / "tutorial").glob("step*.lm")):
        spec = legalmodel.load(str(path)).spec
        assert differences(answers(spec), brute_answers(spec)) == [], path.name


def test_every_kind_of_answer_on_a_spec_worked_out_by_hand():
    """tests/fixtures/asp/every-answer.lm has one of each answer, found by reading it: a duty
    and a prohibition at 18 or 19 in an emergency; a permission for emergencies that names no
    secrecy; a rule for children who consent, which the assumption (consent needs 15 years)
    kills; a prohibition always set aside; gaps on both actions; goals that fail, fail to be
    possible, and hold though expected to fail; examples impossible, underdetermined, passing
    and failing."""
    law = legalmodel.load(str(REPO / "tests" / "fixtures" / "asp" / "every-answer.lm"))
    mine = answers(law.spec)
    assert mine == Answers(
        impossible=False,
        contradictions=(("1 kap. 4 § OSL", "1 kap. 1 § OSL"),),
        collisions=(("1 kap. 3 § OSL", "1 kap. 1 § OSL"),),
        dead=("1 kap. 5 § OSL",),
        never_in_force=("1 kap. 6 § OSL",),
        gaps=("lämna", "underrätta"),
        goals=(("an adult who consents may be told", "fails"), ("a duty can reach an adult of 20", "fails"),
               ("an emergency can always be reported", "holds-unexpectedly")),
        examples=(("a child of five who consents", (("impossible",),)),
                  ("a 30-year-old", (("lämna", "forbidden", "underdetermined"),)),
                  ("a 30-year-old, nothing else", (("lämna", "forbidden", "passes"),
                                                   ("underrätta", "permitted", "fails")))),
        idle_overrides=())
    assert mine == brute_answers(law.spec)
    assert differences(mine.capped_at(law.spec), check_answers(law)) == []


def test_assumptions_no_situation_meets_are_the_one_answer():
    law = legalmodel.loads(PAIRED + 'assume "an age below and above" ålder < 10 and ålder > 20\n', name="none.lm")
    assert answers(law.spec) == Answers(True, (), (), (), (), (), (), ())
    assert_agree(law)


# ---- 2. check gives the baseline's answers ----------------------------------------------------

@pytest.mark.slow
@given(BOTH_SHAPES)
def test_check_gives_the_baselines_answers_on_generated_specs(text):
    note(text)
    assert_agree(legalmodel.loads(text, name="spec.lm"))


@pytest.mark.slow
@settings(max_examples=12)
@given(st.integers(20, 160), st.integers(0, 10_000))
def test_check_gives_the_baselines_answers_on_the_friendly_generator(n, seed):
    """benchmarks/generate.py at sizes brute force cannot enumerate (10^9 situations and up)."""
    assert_agree(legalmodel.loads(generate(n, seed=seed), name=f"law{n}.lm"))


@pytest.mark.slow
@settings(max_examples=12)
@given(st.integers(20, 160), st.integers(0, 10_000), st.sampled_from((0.06, 0.15, 0.3)), st.integers(1, 12))
def test_check_gives_the_baselines_answers_where_rules_cut_across_chapters(n, seed, share, width):
    """benchmarks/generate_crosscutting.py, at both suite shares and more, any width: many
    collisions, so the cap of 50 pairs per action is reached."""
    assert_agree(legalmodel.loads(generate_crosscutting(n, seed, 0.0, share, width), name=f"cc{n}.lm"))


@pytest.mark.parametrize("path, as_of", [
    ("specs/tutorial", None), ("specs/example", None), ("docs/amendment-tutorial/law", "2016-10-05"),
    ("docs/tutorial/step1.lm", None), ("docs/tutorial/step3.lm", None), ("docs/tutorial/step5.lm", None),
])
def test_check_gives_the_baselines_answers_on_the_small_specs(path, as_of):
    assert_agree(legalmodel.load(str(REPO / path), as_of=as_of))


@pytest.mark.slow
@pytest.mark.parametrize("as_of", ["2016-10-05", "2020-08-01", "2025-04-01", None])
def test_check_gives_the_baselines_answers_on_the_real_law(as_of):
    assert_agree(legalmodel.load(str(REPO / "specs" / "osl"), as_of=as_of))


def test_check_gives_the_baselines_answers_on_one_spec_of_each_generator():
    """Seeded, small: one of each shape, with more collisions than check reports."""
    assert_agree(legalmodel.loads(generate(60, seed=3), name="law60.lm"))
    cross = legalmodel.loads(generate_crosscutting(80, 1, 0.0, 0.15, 10), name="cc80.lm")
    baseline = answers(cross.spec)
    assert len(baseline.collisions) > CAP  # the cap is exercised: check reports only the first 50
    assert differences(baseline.capped_at(cross.spec), check_answers(cross)) == []


# ---- 3. the comparison has teeth ---------------------------------------------------------------

PAIRED = '''law OSL "o"
fact samtycke: bool "s"
fact uppenbart: bool "u"
fact ålder: 0..130 "å"
action lämna "l"
provision 26 kap. 1 § OSL "Sekretess"
  forbid lämna when ålder >= 18
provision 12 kap. 2 § OSL "Samtycke"
  permit lämna when samtycke
  overrides 26 kap. 1 §
provision 10 kap. 27 § OSL "Generalklausulen"
  permit lämna when uppenbart and ålder < 65
goal "an adult who consents may be told"
  lämna is permitted whenever samtycke and ålder >= 18
'''


def test_a_translation_that_drops_overrides_disagrees_with_check():
    law = legalmodel.loads(PAIRED, name="paired.lm")
    assert_agree(law)
    spec = law.spec
    broken = type(spec)(**{**{f: getattr(spec, f) for f in spec.__dataclass_fields__},
                           "overridden_by": {pid: () for pid in spec.overridden_by}})
    found = differences(answers(broken).capped_at(spec), check_answers(law))
    assert any(line.startswith("goals") for line in found), found


def test_a_translation_with_an_integer_threshold_off_by_one_disagrees_with_check(monkeypatch):
    law = legalmodel.loads(PAIRED.replace("ålder < 65", "ålder < 19"), name="edge.lm")
    assert_agree(law)  # 10 kap. 27 § meets 26 kap. 1 § at the age of 18 only
    original = asp_translate._Translation.int_cmp

    def off_by_one(self, fact, op, c):  # reads `≥ 18` as `> 18`
        return original(self, fact, ">" if op == ">=" else op, c)

    monkeypatch.setattr(asp_translate._Translation, "int_cmp", off_by_one)
    found = differences(answers(law.spec).capped_at(law.spec), check_answers(law))
    assert any(line.startswith("collisions") for line in found), found


# ---- the runner --------------------------------------------------------------------------------

def run_baseline(*args):
    return subprocess.run([sys.executable, str(REPO / "benchmarks" / "asp_baseline.py"), *args],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def test_the_runner_prints_each_kind_of_answer_and_the_comparison():
    done = run_baseline("specs/tutorial", "docs/tutorial/step5.lm")
    assert done.returncode == 0, done.stderr
    assert "==> docs/tutorial/step5.lm <==" in done.stdout
    assert "dead provisions: 10 kap. 27 § OSL" in done.stdout
    assert "goal fails-as-expected: “the police can be told about anyone at risk of crime”" in done.stdout
    assert "docs/tutorial/step5.lm: agrees with check --format json on every answer compared" in done.stdout


def test_the_runner_refuses_bad_input_with_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.lm"
    bad.write_text('law X "a"\nfact a: boo "x"\n', encoding="utf-8")
    done = run_baseline(str(bad))
    assert done.returncode == 2
    assert f"{bad}:2:9: unknown type `boo`" in done.stderr
    assert "Traceback" not in done.stderr
