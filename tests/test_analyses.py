"""The analyses, one small spec per finding and one without it.

Every finding is checked against the semantics, not against what the code printed: its kind,
severity and provisions are those the tiny spec makes obvious, and each piece of evidence is
re-evaluated with the plain evaluator and, by brute force over every situation, shown to be
exact (every situation inside its conditions has the property). Where a spec has no finding
of a kind, brute force confirms that no situation has the property either.
"""

from __future__ import annotations

import pytest

from legalmodel.law import model as m
from legalmodel.analyses.analyse import analyse
from legalmodel.semantics.evaluate import evaluate
from legalmodel.results import ExpectationResult
from legalmodel.reports.check import status

from helpers import all_situations, check, evaluations, findings_of, inside, load, pigeonhole, region


def only(report, kind):
    found = findings_of(report, kind)
    assert len(found) == 1, [(f.kind, f.message) for f in report.findings]
    return found[0]


def assert_exact(spec, ev, prop, fixed=None):
    """The evidence's situation has the property by the evaluator, and so does every
    situation inside its conditions (brute force)."""
    evaluation = evaluate(spec, ev.situation)
    assert prop(evaluation), ev.situation
    assert evaluation.verdicts == ev.verdicts
    assert set(ev.in_force) == evaluation.in_force
    assert set(ev.triggered) == evaluation.triggered
    assert inside(ev.situation, ev.conditions)
    inner = region(spec, ev, fixed)
    assert inner, "no situation meets the evidence's conditions"
    bad = [e.situation for e in inner if not prop(e)]
    assert not bad, f"inside `{ev.cube_text()}` the property fails in {bad[:3]}"


def assert_distinct_regions(evidence):
    """Each witness lies outside the conditions of the witnesses before it."""
    for i, later in enumerate(evidence):
        for earlier in evidence[:i]:
            assert later.situation != earlier.situation, "the same situation is shown twice"
            assert not inside(later.situation, earlier.conditions), (
                f"{later.situation} lies inside the earlier `{earlier.cube_text()}`")


# ---- contradiction ------------------------------------------------------------------------------

DUTY = '''law OSL "o"
fact risk: bool "r"
fact ålder: 0..30 "a"
action anmäla "report to the police" default permitted
provision 14 kap. 1 § "Anmälningsplikt" oblige anmäla when risk
provision 14 kap. 2 § "Tystnad" forbid anmäla when ålder < 18
'''


def test_contradiction():
    spec, report = check(DUTY)
    f = only(report, "contradiction")
    assert (f.severity, f.action) == ("error", "anmäla")
    assert f.provisions == ("14 kap. 1 § OSL", "14 kap. 2 § OSL")
    assert f.message == "14 kap. 1 § OSL obliges `anmäla` where 14 kap. 2 § OSL forbids it"
    [ev] = f.evidence

    def both(e):
        return {"14 kap. 1 § OSL", "14 kap. 2 § OSL"} <= e.in_force and e.verdicts["anmäla"] == m.CONTRADICTORY

    assert_exact(spec, ev, both)
    # the facts that matter are exactly those of the two conditions
    assert ev.cube_text() == "risk ∧ ålder ≤ 17"


@pytest.mark.parametrize("change", [
    ("when ålder < 18", "when ålder < 18 and not risk"),                       # never both triggered
    ('when risk\n', 'when risk\n  overrides 14 kap. 2 §\n'),                     # the duty prevails
])
def test_no_contradiction(change):
    text = DUTY.replace(*change)
    assert text != DUTY
    spec, report = check(text)
    assert findings_of(report, "contradiction") == []
    assert all(e.verdicts["anmäla"] != m.CONTRADICTORY for e in evaluations(spec))


# ---- unresolved collision --------------------------------------------------------------------------

SECRECY = '''law OSL "o"
enum Myndighet { polisen, skatteverket }
fact mottagare: Myndighet "m"
fact samtycke: bool "the person consents"
fact ålder: 0..30 "a"
action lämna "hand the information over" default permitted
provision 26 kap. 1 § "Socialtjänstsekretess" forbid lämna when not samtycke
provision 10 kap. 18 a § "Polisen" permit lämna when mottagare = polisen and ålder < 21
'''


def test_collision():
    spec, report = check(SECRECY)
    f = only(report, "collision")
    assert (f.severity, f.action) == ("warning", "lämna")
    assert f.provisions == ("10 kap. 18 a § OSL", "26 kap. 1 § OSL")
    assert "neither names the other" in f.message
    assert any("except 26 kap. 1 § OSL" in d for d in f.details)
    [ev] = f.evidence

    def both(e):
        return {"10 kap. 18 a § OSL", "26 kap. 1 § OSL"} <= e.in_force and e.verdicts["lämna"] == m.FORBIDDEN

    assert_exact(spec, ev, both)
    assert ev.cube_text() == "mottagare = polisen ∧ ¬samtycke ∧ ålder ≤ 20"


@pytest.mark.parametrize("relation, verdict", [
    ("overrides 26 kap. 1 §", m.PERMITTED),   # the permission prevails
    ("except 26 kap. 1 §", m.FORBIDDEN),      # the permission leaves the secrecy alone, on purpose
])
def test_no_collision_when_the_relation_is_stated(relation, verdict):
    spec, report = check(SECRECY.rstrip("\n") + f"\n  {relation}\n")
    assert findings_of(report, "collision") == []
    both = {"mottagare": "polisen", "samtycke": False, "ålder": 19}
    assert evaluate(spec, both).verdicts["lämna"] == verdict


# ---- gap -----------------------------------------------------------------------------------------------

GAP = '''law OSL "o"
fact risk: bool "r"
fact ålder: 0..30 "a"
action lämna "hand the information over"
provision 26 kap. 1 § "s" forbid lämna when ålder < 18
provision 10 kap. 1 § "p" permit lämna when ålder >= 21 and risk
'''


def test_gap():
    spec, report = check(GAP)
    f = only(report, "gap")
    assert (f.severity, f.subject, f.action, f.provisions) == ("error", "lämna", "lämna", ())
    assert f.evidence

    def undecided(e):
        return e.verdicts["lämna"] == m.UNDECIDED

    for ev in f.evidence:
        assert_exact(spec, ev, undecided)
    # together the witnesses cover every gap: ages 18–20, and adults without risk
    gaps = [e.situation for e in evaluations(spec) if undecided(e)]
    assert gaps and all(any(inside(s, ev.conditions) for ev in f.evidence) for s in gaps)


def test_gap_witnesses_differ_in_the_facts_that_matter():
    _spec, report = check(GAP)
    assert_distinct_regions(only(report, "gap").evidence)


@pytest.mark.parametrize("change", [
    ('action lämna "hand the information over"', 'action lämna "hand the information over" default forbidden'),
    ("when ålder >= 21 and risk", "when ålder >= 18"),
])
def test_no_gap(change):
    spec, report = check(GAP.replace(*change))
    assert findings_of(report, "gap") == []
    assert all(e.verdicts["lämna"] != m.UNDECIDED for e in evaluations(spec))


# ---- dead provision ------------------------------------------------------------------------------------

DEAD = '''law OSL "o"
fact samtycke: bool "the person consents"
fact risk: bool "r"
fact ålder: 0..30 "a"
assume "a child cannot consent" samtycke implies ålder >= 18
action lämna "l" default permitted
provision 26 kap. 1 § "Barn med samtycke" forbid lämna when samtycke and ålder < 18
provision 26 kap. 2 § "Motsägelse" forbid lämna when risk and not risk
provision 26 kap. 3 § "Levande" forbid lämna when samtycke and ålder >= 18
'''


def test_dead_provisions_and_why():
    spec, report = check(DEAD)
    dead = findings_of(report, "dead-provision")
    assert [(f.severity, f.provisions) for f in dead] == [
        ("warning", ("26 kap. 1 § OSL",)), ("warning", ("26 kap. 2 § OSL",))]
    assert dead[0].details == ("it contradicts the assumption “a child cannot consent” at spec.lm:5:1",)
    assert dead[1].details == ("the condition contradicts itself or the ranges of its facts",)
    for f in dead:
        assert all(f.subject not in e.triggered for e in evaluations(spec))
    assert any("26 kap. 3 § OSL" in e.triggered for e in evaluations(spec))


def test_dead_provision_blames_an_unlabelled_assumption_by_its_place():
    text = DEAD.replace('assume "a child cannot consent" samtycke', "assume samtycke")
    _spec, report = check(text)
    f = findings_of(report, "dead-provision")[0]
    assert f.details == ("it contradicts the assumption at spec.lm:5:1",)


def test_dead_provision_names_the_first_minimal_set_of_assumptions():
    """Two assumptions each rule the condition out alone; the first one declared is named, and
    only it (a minimal set, chosen by declaration order, not by the solver's whim)."""
    rule = 'assume "a child cannot consent" samtycke implies ålder >= 18'
    text = DEAD.replace(rule, rule + '\nassume "again" not samtycke or ålder > 17')
    _spec, report = check(text)
    f = findings_of(report, "dead-provision")[0]
    assert f.details == ("it contradicts the assumption “a child cannot consent” at spec.lm:5:1",)


IMPOSSIBLE = '''law OSL "o"
fact ålder: 0..30 "a"
fact samtycke: bool "s"
assume "the fact is harmless" samtycke or not samtycke
assume "only adults" ålder >= 18
assume "only children" ålder < 18
assume "and again" ålder < 10
action lämna "disclose"
provision 26 kap. 1 § "Sekretess" forbid lämna
example "anyone" given samtycke expect lämna forbidden
goal "something" possibly lämna is forbidden
'''


def test_impossible_assumptions_are_the_only_finding():
    spec, report = check(IMPOSSIBLE)
    assert [f.kind for f in report.findings] == ["impossible-assumptions"]
    f = report.findings[0]
    assert f.severity == "error" and f.subject == "assumptions"
    # a minimal set: the first two that cannot both hold, not the harmless one nor the third
    assert f.details == ("the assumption “only adults” at spec.lm:5:1",
                         "the assumption “only children” at spec.lm:6:1")
    assert f.span.location() == "spec.lm:5:1"
    assert evaluations(spec) == []
    assert report.goals == [] and report.examples == []
    assert status(report) == "findings"


def test_impossible_assumptions_in_every_format(tmp_path):
    from click.testing import CliRunner

    from legalmodel.cli import main

    (tmp_path / "spec.lm").write_text(IMPOSSIBLE, encoding="utf-8")
    runner = CliRunner()
    for fmt in ("text", "json", "markdown", "sarif", "junit"):
        result = runner.invoke(main, ["check", "--format", fmt, str(tmp_path / "spec.lm")])
        assert result.exit_code == 1, (fmt, result.output)
        assert "impossible-assumptions" in result.output or "admit no situation" in result.output, fmt


def test_no_dead_provision():
    text = DEAD.replace('assume "a child cannot consent" samtycke implies ålder >= 18\n', "")
    text = text.replace("when risk and not risk", "when risk")
    spec, report = check(text)
    assert findings_of(report, "dead-provision") == []
    assert all(any(pid in e.triggered for e in evaluations(spec)) for pid in spec.provisions)


# ---- never in force ---------------------------------------------------------------------------------------

OVERRIDDEN = '''law OSL "o"
fact risk: bool "r"
fact ålder: 0..30 "a"
action lämna "l" default forbidden
provision 26 kap. 1 § "Sekretess" forbid lämna when risk
provision 10 kap. 1 § "Brytande" permit lämna when risk
  overrides 26 kap. 1 §
'''


def test_never_in_force():
    spec, report = check(OVERRIDDEN)
    f = only(report, "never-in-force")
    assert (f.severity, f.subject, f.action) == ("warning", "26 kap. 1 § OSL", "lämna")
    assert f.provisions == ("26 kap. 1 § OSL", "10 kap. 1 § OSL")
    [ev] = f.evidence
    assert_exact(spec, ev, lambda e: "26 kap. 1 § OSL" in e.triggered and "26 kap. 1 § OSL" not in e.in_force)
    assert any("26 kap. 1 § OSL" in e.triggered for e in evaluations(spec))
    assert all("26 kap. 1 § OSL" not in e.in_force for e in evaluations(spec))
    assert findings_of(report, "dead-provision") == []


def test_not_never_in_force_when_the_override_leaves_room():
    spec, report = check(OVERRIDDEN.replace("permit lämna when risk", "permit lämna when risk and ålder < 21"))
    assert findings_of(report, "never-in-force") == []
    assert any("26 kap. 1 § OSL" in e.in_force for e in evaluations(spec))


# ---- idle override -----------------------------------------------------------------------------------------

IDLE = '''law OSL "o"
fact samtycke: bool "the person consents"
fact risk: bool "r"
action lämna "l" default permitted
provision 26 kap. 1 § "Sekretess" forbid lämna when not samtycke
provision 10 kap. 1 § "Samtycke" permit lämna when samtycke
  overrides 26 kap. 1 §
'''


def without_override(text):
    return text.replace("\n  overrides 26 kap. 1 §", "")


def test_idle_override_where_the_two_never_meet():
    spec, report = check(IDLE)
    f = only(report, "idle-override")
    assert (f.severity, f.subject, f.provisions) == ("note", "10 kap. 1 § OSL", ("10 kap. 1 § OSL", "26 kap. 1 § OSL"))
    other = load(without_override(IDLE))
    assert all(evaluate(spec, s).verdicts == evaluate(other, s).verdicts for s in all_situations(spec))


def test_idle_override_where_the_verdict_is_the_same_anyway():
    text = IDLE.replace('permit lämna when samtycke', 'forbid lämna when risk')
    spec, report = check(text)
    f = only(report, "idle-override")
    assert f.provisions == ("10 kap. 1 § OSL", "26 kap. 1 § OSL")
    other = load(without_override(text))
    assert all(evaluate(spec, s).verdicts == evaluate(other, s).verdicts for s in all_situations(spec))


def test_no_idle_override_when_it_decides_something():
    text = IDLE.replace("permit lämna when samtycke", "permit lämna when risk")
    spec, report = check(text)
    assert findings_of(report, "idle-override") == []
    other = load(without_override(text))
    assert any(evaluate(spec, s).verdicts != evaluate(other, s).verdicts for s in all_situations(spec))


# ---- goals ----------------------------------------------------------------------------------------------------

GOALS = '''law OSL "o"
enum Myndighet { polisen, skatteverket }
fact mottagare: Myndighet "m"
fact risk: bool "r"
fact ålder: 0..30 "a"
action lämna "l" default forbidden
provision 10 kap. 18 a § "Unga" permit lämna when risk and ålder < 21 and mottagare = polisen
'''


def goal_entry(report, title):
    [entry] = [g for g in report.goals if g.goal.title == title]
    return entry


def test_failed_goal_over_all_situations():
    spec, report = check(GOALS + 'goal "anyone at risk" lämna is permitted whenever risk\n')
    f = only(report, "failed-goal")
    assert (f.severity, f.subject, f.action) == ("error", "anyone at risk", "lämna")
    assert f.message == "goal “anyone at risk” fails: in these situations the verdict is not permitted"
    goal = spec.goals[0]

    def counterexample(e):
        return e.holds(goal.condition) and e.verdicts["lämna"] != m.PERMITTED

    assert f.evidence
    for ev in f.evidence:
        assert_exact(spec, ev, counterexample)
    assert_distinct_regions(f.evidence)
    # the counterexamples are the adults and the tax agency: both are shown
    assert any(ev.situation["ålder"] >= 21 for ev in f.evidence)
    assert any(ev.situation["mottagare"] == "skatteverket" for ev in f.evidence)
    assert goal_entry(report, "anyone at risk").status == "fails"


def test_goal_over_all_situations_that_holds():
    spec, report = check(GOALS + 'goal "young people at risk" lämna is permitted whenever '
                                 'risk and ålder < 21 and mottagare = polisen\n')
    assert findings_of(report, "failed-goal") == []
    assert goal_entry(report, "young people at risk").status == "holds"
    goal = spec.goals[0]
    assert all(e.verdicts["lämna"] == m.PERMITTED for e in evaluations(spec) if e.holds(goal.condition))


def test_failed_goal_over_some_situation():
    spec, report = check(GOALS + 'goal "the tax agency can be told" possibly lämna is permitted '
                                 'when mottagare = skatteverket\n')
    f = only(report, "failed-goal")
    assert f.message == "goal “the tax agency can be told” fails: no situation gives the wanted verdict"
    assert f.evidence == ()
    goal = spec.goals[0]
    assert not any(e.holds(goal.condition) and e.verdicts["lämna"] == m.PERMITTED for e in evaluations(spec))


def test_goal_over_some_situation_that_holds():
    spec, report = check(GOALS + 'goal "a 20-year-old can be reported" possibly lämna is permitted when ålder = 20\n')
    assert findings_of(report, "failed-goal") == []
    entry = goal_entry(report, "a 20-year-old can be reported")
    assert entry.status == "holds"
    [ev] = entry.evidence
    goal = spec.goals[0]
    assert_exact(spec, ev, lambda e: e.holds(goal.condition) and e.verdicts["lämna"] == m.PERMITTED)


def test_goal_expected_to_fail_is_information_not_a_finding():
    spec, report = check(GOALS + 'goal "anyone at risk" expected to fail "the amendment is not in force yet"\n'
                                 '  lämna is permitted whenever risk\n')
    assert report.findings == []
    assert status(report) == "clean"
    entry = goal_entry(report, "anyone at risk")
    assert entry.status == "fails-as-expected"
    goal = spec.goals[0]
    assert entry.evidence
    for ev in entry.evidence:
        assert_exact(spec, ev, lambda e: e.holds(goal.condition) and e.verdicts["lämna"] != m.PERMITTED)


def test_goal_that_holds_though_expected_to_fail():
    spec, report = check(GOALS + 'goal "young people at risk" expected to fail\n'
                                 '  lämna is permitted whenever risk and ålder < 21 and mottagare = polisen\n')
    f = only(report, "goal-holds-unexpectedly")
    assert (f.severity, f.subject) == ("warning", "young people at risk")
    assert f.details == ("remove `expected to fail` so the record stays true",)
    assert goal_entry(report, "young people at risk").status == "holds-unexpectedly"
    assert status(report) == "findings"


# ---- examples ----------------------------------------------------------------------------------------------------

def test_example_that_passes():
    _spec, report = check(GOALS + 'example "e" given risk, ålder = 19, mottagare = polisen expect lämna permitted\n')
    assert report.findings == []
    assert report.examples[0].results == (ExpectationResult("lämna", "permitted", "passes"),)


def test_failed_example():
    spec, report = check(GOALS + 'example "an adult" given risk, ålder = 25, mottagare = polisen expect lämna permitted\n')
    f = only(report, "failed-example")
    assert (f.severity, f.subject, f.action) == ("error", "an adult", "lämna")
    assert f.message == "example “an adult” expects `lämna` permitted, but it is forbidden"
    [ev] = f.evidence
    given = dict(spec.examples[0].given)
    assert_exact(spec, ev, lambda e: e.verdicts["lämna"] == m.FORBIDDEN, given)
    assert all(e.verdicts["lämna"] != m.PERMITTED for e in evaluations(spec, given))


def test_failed_example_evidence_shows_the_verdict_it_names_in_every_situation_it_covers():
    # unstated, `y` decides between permitted and undecided; neither is the forbidden expected
    spec, report = check('''law OSL "o"
fact x: bool "x"
fact y: bool "y"
action a "a"
provision 1 § "p" permit a when y
example "e" given x expect a forbidden
''')
    f = only(report, "failed-example")
    given = {"x": True}
    assert all(e.verdicts["a"] != m.FORBIDDEN for e in evaluations(spec, given))
    for ev in f.evidence:
        shown = ev.verdicts["a"]
        assert ev.label == f"gives {shown}"
        assert_exact(spec, ev, lambda e, shown=shown: e.verdicts["a"] == shown, given)


def test_underdetermined_example_names_the_facts_it_depends_on():
    spec, report = check(GOALS + 'example "a young person" given risk, mottagare = polisen expect lämna permitted\n')
    f = only(report, "underdetermined-example")
    assert (f.severity, f.subject, f.action) == ("error", "a young person", "lämna")
    assert f.message == "example “a young person” does not settle `lämna`: the verdict depends on `ålder`"
    assert report.examples[0].results[0].depends_on == ("ålder",)
    given = dict(spec.examples[0].given)
    agree, against = f.evidence
    assert agree.label == "gives permitted" and against.label == "gives forbidden"
    assert_exact(spec, agree, lambda e: e.verdicts["lämna"] == m.PERMITTED, given)
    assert_exact(spec, against, lambda e: e.verdicts["lämna"] == m.FORBIDDEN, given)


SLICED = '''law OSL "o"
enum Kind { k1, k2, k3 }
fact kind: Kind "the kind of information"
fact open: bool "made public"
fact other: bool "nothing to do with it"
action lämna "l"
provision 1 § "secrecy for k1" forbid lämna when kind = k1
provision 2 § "k1 once made public" permit lämna when kind = k1 and open
  overrides 1 §
provision 3 § "secrecy for k2" forbid lämna when kind = k2
provision 4 § "secrecy for k3" forbid lämna when kind = k3
example "k1 made public" given kind = k1, open expect lämna permitted
example "k1, made public or not" given kind = k1 expect lämna forbidden
example "k2, made public or not" given kind = k2 expect lämna forbidden
'''


@pytest.mark.parametrize("witnesses", [True, False])
@pytest.mark.parametrize("slice_share", [0.5, 1.0])
def test_an_example_is_settled_without_the_solver_only_where_its_given_facts_settle_it(witnesses, slice_share):
    """examples.settled_by: in a slice, the evaluator tries every value of the facts the
    given ones leave open; `open` decides k1's verdict, and nothing else matters for k2."""
    from legalmodel.analyses import examples
    from legalmodel.analyses.context import QueryContext

    analyser = QueryContext(load(SLICED), slice_share=slice_share)
    examples.examples(analyser, witnesses)
    statuses = [[r.status for r in e.results] for e in analyser.report.examples]
    assert statuses == [["passes"], ["underdetermined"], ["passes"]]


# seven rules across kinds, each on a judgement and a circumstance: the circumstances left
# open are more combinations than the evaluator tries (examples.SETTLE_COMBINATIONS), unless
# the given facts rule the rules out
ACROSS = SLICED.replace('action lämna "l"', "".join(
    f'fact c{i}: bool "judgement {i}"\nfact d{i}: bool "circumstance {i}"\n' for i in range(7))
                        + 'action lämna "l"') + "".join(
    f'provision 10 kap. {i + 1} § "judgement {i}" permit lämna when c{i} and d{i}\n  overrides forbid\n'
    for i in range(7))


@pytest.mark.parametrize("given, settled", [
    # every judgement absent, the circumstances open: no rule across kinds can apply, and
    # k2's secrecy decides
    (", ".join(f"c{i} = false" for i in range(7)), True),
    # the judgements left open: the rules across kinds can apply, and the solver is asked
    ("other = false", False),
])
def test_an_example_is_settled_over_the_provisions_its_given_facts_leave_room_for(given, settled):
    """examples.settled_by: a rule across kinds is in every slice, but one whose condition
    the given facts exclude cannot apply in any of the example's situations, so its facts
    are not tried; the verdicts are the same as the solver's either way."""
    from legalmodel.analyses import examples
    from legalmodel.analyses.context import QueryContext

    spec = load(ACROSS + f'example "k2" given kind = k2, {given} expect lämna forbidden\n')
    ctx = QueryContext(spec, slice_share=1.0)  # k2's slice: its secrecy and every rule across kinds
    assert (examples.settled_by(ctx, dict(spec.examples[-1].given)) is not None) == settled
    examples.examples(ctx)
    assert [[r.status for r in e.results] for e in ctx.report.examples][-1] == (
        ["passes"] if settled else ["underdetermined"])


def test_impossible_example():
    text = GOALS.replace('action lämna', 'assume "only young people" ålder < 21\naction lämna')
    spec, report = check(text + 'example "an adult" given ålder = 25 expect lämna forbidden\n')
    f = only(report, "impossible-example")
    assert (f.severity, f.subject) == ("error", "an adult")
    assert "contradict the assumptions" in f.message
    assert all_situations(spec, {"ålder": 25}) == []
    assert report.examples[0].results == (ExpectationResult(None, None, "impossible"),)


def test_possible_example_is_not_impossible():
    text = GOALS.replace('action lämna', 'assume "only young people" ålder < 21\naction lämna')
    _spec, report = check(text + 'example "a child" given ålder = 15, risk, mottagare = polisen expect lämna permitted\n')
    assert report.findings == []


# ---- unknown within the time limit ---------------------------------------------------------------------------------

def test_unknown_within_the_time_limit_is_never_reported_as_consistent():
    # ten pigeons: Z3 needs tens of seconds here; the limit is 200 ms. Not 1 ms: on a loaded
    # machine Z3's timer can fire before the check has begun, and the check then runs unlimited
    spec = load(pigeonhole(10))
    report = analyse(spec, timeout_ms=200)
    f = only(report, "unknown")
    assert (f.severity, f.subject) == ("error", "assumptions")
    assert f.message.startswith("could not decide whether the assumptions admit any situation within the time limit")
    assert f.details == ("time limit per question: 200 ms",)
    assert findings_of(report, "impossible-assumptions") == findings_of(report, "dead-provision") == []
    assert status(report) == "unknown"


def test_no_unknown_with_time_enough():
    spec = load(pigeonhole(5))
    report = analyse(spec, timeout_ms=10_000)
    assert [f.kind for f in report.findings] == ["impossible-assumptions"]
    # the pigeonhole principle needs every one of its assumptions: none may be left out
    assert len(report.findings[0].details) == len(spec.assumptions)


UNDECIDED = '''law OSL "o"
fact x: bool "x"
fact y: bool "y"
action a "a" default permitted
provision 1 kap. 1 § "duty" oblige a when x
provision 1 kap. 2 § "ban" forbid a when y
provision 1 kap. 3 § "leave" permit a when x
example "e" given x expect a obligatory
'''


@pytest.fixture
def solver_gives_up(monkeypatch):
    """Every question the solver is asked comes back undecided, as if each took too long."""
    import z3

    import legalmodel.solver.session

    monkeypatch.setattr(legalmodel.solver.session, "check_under", lambda solver, lits: z3.unknown)


def test_each_undecided_question_has_its_own_stable_id(solver_gives_up):
    """Contradictions and collisions on one act, undecided both, are two findings a user can
    tell apart: two ids, the same in every run."""
    spec = load(UNDECIDED)
    report = analyse(spec, timeout_ms=1)
    unknown = findings_of(report, "unknown")
    messages = [f.message for f in unknown]
    assert any("contradictions on `a`" in t for t in messages) and any("collisions on `a`" in t for t in messages)
    ids = [f.id for f in unknown]
    assert len(set(ids)) == len(ids), list(zip(ids, messages))
    assert all(i.startswith("UNK-") for i in ids)
    again = [f.id for f in findings_of(analyse(load(UNDECIDED), timeout_ms=1), "unknown")]
    assert sorted(again) == sorted(ids)
    assert status(report) == "unknown"


# ---- a clean spec ---------------------------------------------------------------------------------------------------

def test_a_spec_with_nothing_to_report():
    spec, report = check(SECRECY.rstrip("\n") + "\n  overrides 26 kap. 1 §\n"
                         + 'goal "young people" lämna is permitted whenever mottagare = polisen and ålder < 21\n'
                         + 'example "e" given mottagare = skatteverket, samtycke = false expect lämna forbidden\n')
    assert report.findings == []
    assert status(report) == "clean"
    assert [g.status for g in report.goals] == ["holds"]


MANY_CONTRADICTIONS = "\n".join(
    ['law L "many contradictions"', *[f'fact b{i}: bool "circumstance {i}"' for i in range(12)], 'action act "act"']
    + [line for i in range(12) for line in (f'provision {i + 1} § "duty {i}" oblige act when b{i}',
                                             f'provision {i + 1} a § "ban {i}" forbid act when b{i}')]) + "\n"


def test_past_the_limit_the_first_pairs_in_the_order_of_the_provisions_are_reported():
    """Every duty meets every ban (144 pairs); at most MAX_PAIRS_PER_ACTION are reported, the
    first in the order of the provisions, whatever the process solved before (which pairs a
    solver's models show first depends on that)."""
    from legalmodel.analyses.pairs import MAX_PAIRS_PER_ACTION

    duties = [f"{i + 1} § L" for i in range(12)]
    bans = [f"{i + 1} a § L" for i in range(12)]
    expected = [(d, b) for d in duties for b in bans][:MAX_PAIRS_PER_ACTION]

    def reported():
        report = analyse(load(MANY_CONTRADICTIONS))
        return sorted(f.provisions for f in report.findings if f.kind == "contradiction")

    assert reported() == sorted(expected)
    analyse(load(GOALS))  # other questions in between
    analyse(load(SLICED))
    assert reported() == sorted(expected)


KINDS_WITH_CONTRADICTIONS = '''law L "l"
enum Kind { k1, k2, k3, k4 }
fact kind: Kind "the kind of information"
fact a: bool "a"
fact obvious: bool "obvious"
action act "act"
provision 1 § "duty for k1" oblige act when kind = k1 and a
provision 2 § "ban for k1" forbid act when kind = k1
provision 3 § "duty for k2" oblige act when kind = k2
provision 4 § "ban for k2" forbid act when kind = k2 and not a
provision 5 § "ban for k3" forbid act when kind = k3
provision 6 § "ban for k4" forbid act when kind = k4
goal "an obvious case is never banned" expected to fail "k3 and k4 keep theirs"
  act is obligatory or permitted or undecided whenever obvious
'''


def test_evidence_found_in_slices_does_not_build_the_whole_specs_solver():
    """A process that finds evidence only in slices (here two contradictions, each within one
    kind) leaves the whole spec's encoding unbuilt: at ten thousand provisions, a process
    that needed none of it built it for a third of a second. A goal over every kind needs it."""
    from legalmodel.analyses import goals, pairs
    from legalmodel.analyses.context import QueryContext

    analyser = QueryContext(load(KINDS_WITH_CONTRADICTIONS))
    pairs.contradictions(analyser)
    found = [f.provisions for f in analyser.report.findings]
    assert found == [("1 § L", "2 § L"), ("3 § L", "4 § L")]
    assert all(f.evidence for f in analyser.report.findings)
    assert analyser.slices.sliced and not analyser.slices.whole_built
    assert "cuts" not in vars(analyser)  # nor the whole spec's cuts (Analyser.cuts)
    goals.goals(analyser)
    assert analyser.slices.whole_built


# an override made idle by another overrider in force wherever it applies (overrides._dominated)
DOMINATED = '''law OSL "o"
fact uppenbart: bool "u"
fact polisen: bool "p"
fact skola: bool "s"
action lämna "l" default permitted
provision 26 kap. 1 § "Sekretess" forbid lämna when not skola
provision 10 kap. 27 § "Generalklausul" permit lämna when uppenbart
  overrides 26 kap. 1 §
provision 10 kap. 2 § "För polisen" permit lämna when uppenbart and polisen
  overrides 26 kap. 1 §
'''


def test_an_override_is_idle_where_another_overrider_is_in_force_wherever_it_applies():
    spec, report = check(DOMINATED)
    f = only(report, "idle-override")
    assert f.provisions == ("10 kap. 2 § OSL", "26 kap. 1 § OSL")
    other = load(DOMINATED.replace("uppenbart and polisen\n  overrides 26 kap. 1 §", "uppenbart and polisen"))
    assert all(evaluate(spec, s).verdicts == evaluate(other, s).verdicts for s in all_situations(spec))


def test_an_override_is_not_idle_where_the_other_overrider_can_be_set_aside():
    """The general clause is itself overridden where the rule for the police applies (by a
    provision that can apply there), so it is not always in force there: dropping the rule's
    override then changes a verdict."""
    text = DOMINATED + '''provision 10 kap. 3 § "Polisen" permit lämna when polisen
  overrides 10 kap. 27 §
'''
    spec, report = check(text)
    assert ("10 kap. 2 § OSL", "26 kap. 1 § OSL") not in [f.provisions for f in findings_of(report, "idle-override")]
    other = load(text.replace("uppenbart and polisen\n  overrides 26 kap. 1 §", "uppenbart and polisen"))
    assert any(evaluate(spec, s).verdicts != evaluate(other, s).verdicts for s in all_situations(spec))


def test_an_override_is_not_idle_where_the_other_overrider_applies_only_to_some_of_its_situations():
    """The general clause holds for 18 and over, the rule for 15 and over: between the two,
    only the rule sets secrecy aside, and wherever the clause applies the rule does too."""
    text = '''law OSL "o"
fact ålder: 0..130 "a"
fact skola: bool "s"
action lämna "l" default permitted
provision 26 kap. 1 § "Sekretess" forbid lämna when not skola
provision 10 kap. 27 § "Generalklausul" permit lämna when ålder >= 18
  overrides 26 kap. 1 §
provision 10 kap. 2 § "Unga" permit lämna when ålder >= 15
  overrides 26 kap. 1 §
'''
    spec, report = check(text)
    assert [f.provisions for f in findings_of(report, "idle-override")] == [("10 kap. 27 § OSL", "26 kap. 1 § OSL")]
    other = load(text.replace("ålder >= 15\n  overrides 26 kap. 1 §", "ålder >= 15"))
    assert any(evaluate(spec, s).verdicts != evaluate(other, s).verdicts for s in all_situations(spec))


def _kinds_under_duties(kinds: int, duties: int) -> str:
    """A ban per kind, in chapters 21–22, and duties that each ask whether any ban of those
    chapters applies: every duty's box allows every kind, so it is an own provision of each
    kind's slice (not one of the provisions in every slice)."""
    lines = ['law L "l"', f"enum Kind {{ {', '.join(f'k{i}' for i in range(kinds))}, other }}",
             'fact kind: Kind "k"', 'action act "a" default permitted']
    lines += [f'fact b{j}: bool "b"' for j in range(duties)]
    lines += [f'provision {21 + i % 2} kap. {i + 1} § "ban for k{i}" forbid act when kind = k{i}' for i in range(kinds)]
    lines += [f'provision 10 kap. {j + 1} § "duty {j}" oblige act when b{j} and applies(forbid in 21–22 kap.)'
              for j in range(duties)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("cap", [256, 30])
def test_a_slice_group_holds_each_of_its_own_provisions_once(cap):
    """issue 24: a provision whose box allows many kinds (a duty on `applies(forbid in A–B
    kap.)`) is an own provision of each of them. A slice group's solver holds each of its
    provisions once, so the group is sized by the distinct provisions it holds: counted once
    per kind, forty kinds under twenty duties made four groups of the same duties (at 10,000
    provisions, 512 solvers and 3.4 GiB). Each group holds at most the cap, and a group ends
    only where the next kind would take it past the cap."""
    from unittest import mock

    from legalmodel.analyses.context import QueryContext
    from legalmodel.solver import slices

    with mock.patch.object(slices, "GROUP_PROVISIONS", cap):
        ctx = QueryContext(load(_kinds_under_duties(40, 20)), slice_share=1.0)
    s = ctx.slices
    assert s.key == "kind"
    groups = s._groups
    held = [set().union(*[s._by_value.get(v, ()) for v in values]) for values in groups]
    assert all(len(h) <= cap for h in held)
    for values, h, following in zip(groups, held, groups[1:]):
        assert len(h | set(s._by_value.get(following[0], ()))) > cap
    assert len(groups) == (1 if cap == 256 else 4)
