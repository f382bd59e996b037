"""Examples. An expectation `expect A V` passes iff `given ∧ verdict(A) ≠ V` is unsat; it
fails iff `given ∧ verdict(A) = V` is unsat too, and is underdetermined otherwise (a witness
for each verdict the given facts allow). Given facts that contradict the assumptions make the
example impossible."""

from __future__ import annotations

import itertools
import math

import z3

from ..i18n import sentence
from ..law import model as m
from ..results import ExampleResult, ExpectationResult, Finding
from ..semantics.boxes import disjoint, given_box
from ..semantics.evaluate import Evaluation, assumptions_hold, evaluate
from ..semantics.encode import negate
from ..solver.session import Unknown
from .context import ERROR, QueryContext

# how many situations the evaluator tries to show that an example's given facts settle its
# verdicts (settled_by)
SETTLE_COMBINATIONS = 64


def examples(ctx: QueryContext, witnesses: bool = True) -> None:
    """Whether each example's expectations pass, with a witness for each verdict a failed
    or unsettled expectation allows. Without `witnesses`, only the statuses are meant to
    be read (a diff compares them)."""
    for x in ctx.spec.examples:
        example(ctx, x, witnesses)


def example(ctx: QueryContext, example: m.Example, witnesses: bool = True) -> None:
    """Whether one example's expectations pass (see examples)."""
    spec = ctx.spec
    given = dict(example.given)
    results = []
    settled = settled_by(ctx, given)
    if settled is not None and (not witnesses or all(settled.verdicts[a] == v for a, v in example.expectations)):
        # no question: each verdict is what it is wherever the given facts hold (a failure
        # is shown with witnesses, which the solver finds)
        results = [ExpectationResult(a, v, "passes" if settled.verdicts[a] == v else "fails")
                   for a, v in example.expectations]
        ctx.report.examples.append(ExampleResult(example, tuple(results)))
        return
    part = ctx.part_for(given_box(spec, given))
    part.session.bound(given)
    enc = part.enc
    given_formula = enc.situation_formula(given) if given else z3.BoolVal(True)
    try:
        possible = ctx.sat(given_formula, part=part)
    except Unknown as u:
        ctx.unknown(example.title, example.span, sentence("example “{title}”", title=example.title), u.reason)
        return
    if possible is None:
        ctx.add(Finding("impossible-example", ERROR,
                         f"example “{example.title}” describes no possible situation: "
                         "its facts contradict the assumptions",
                         example.title, example.span))
        ctx.report.examples.append(ExampleResult(example, (ExpectationResult(None, None, "impossible"),)))
        return
    for action, expected in example.expectations:
        relevant = ctx.relevant_facts({action})
        result = {"action": action, "expected": expected}
        try:
            if not ctx.possible(given_formula, negate(enc.verdict_is(action, expected)), part=part):
                result["status"] = "passes"
                results.append(_expectation(result))
                continue
            keeps_given = lambda e: all(e.situation[f] == v for f, v in given.items())  # noqa: E731
            if not witnesses:
                result["status"] = ("underdetermined" if ctx.possible(
                    given_formula, enc.verdict_is(action, expected), part=part) else "fails")
                results.append(_expectation(result))
                continue
            evidence = []  # one witness for each verdict the given facts allow
            for verdict in [expected] + [v for v in m.VERDICTS if v != expected]:
                model = ctx.sat(given_formula, enc.verdict_is(action, verdict), part=part)
                if model is None:
                    continue
                evidence.append(ctx.evidence(
                    model, lambda e, v=verdict: e.verdicts[action] == v and keeps_given(e),
                    f"example “{example.title}”", lambda e, v=verdict: e.verdict_is(action, v),
                    relevant, given, label=f"gives {verdict}", part=part))
            possible = [e.verdicts[action] for e in evidence]
            depends = sorted({c.fact for ev in evidence for c in ev.conditions}, key=list(spec.facts).index)
            result["evidence"] = tuple(evidence)
            if expected not in possible:
                result["status"] = "fails"
                said = possible[0] if len(possible) == 1 else (
                    " or ".join(possible) + ", depending on " + ", ".join(f"`{d}`" for d in depends))
                if len(possible) > 1:
                    result["depends_on"] = depends
                ctx.add(Finding(
                    "failed-example", ERROR,
                    f"example “{example.title}” expects `{action}` {expected}, but it is {said}",
                    example.title, example.span, action,
                    tuple(sorted({d for ev in evidence for d in ev.in_force
                                  if spec.provisions[d].action == action})),
                    tuple(evidence), identity=()))
            else:
                result["status"] = "underdetermined"
                result["depends_on"] = depends
                ctx.add(Finding(
                    "underdetermined-example", ERROR,
                    f"example “{example.title}” does not settle `{action}`: "
                    f"the verdict depends on {', '.join('`' + d + '`' for d in depends)}",
                    example.title, example.span, action, (), tuple(evidence),
                    ("state these facts in `given`",)))
        except Unknown as u:
            result["status"] = "unknown"
            ctx.unknown(example.title, example.span,
                        sentence("example “{title}” on `{action}`", title=example.title, action=action),
                         u.reason, action)
        results.append(_expectation(result))
    ctx.report.examples.append(ExampleResult(example, tuple(results)))


def settled_by(ctx: QueryContext, given: dict) -> Evaluation | None:
    """An evaluation with the verdicts the given facts settle, when the evaluator shows
    that they settle them: the given facts lie in one slice, and every situation that
    gives the other facts of its provisions whose boxes the given facts allow any values (at most SETTLE_COMBINATIONS of them),
    the rest at their first value, meets the assumptions and has the same verdicts. None
    otherwise, and the solver is asked."""
    spec = ctx.spec
    box = given_box(spec, given)
    among = ctx.slices.among(ctx.slices.value_for(box))
    if among is None:
        return None
    # a provision whose box the given facts leave is triggered in none of these situations:
    # where rules cut across chapters, each is in every slice, and the given facts of a plain
    # case (no circumstance holds) leave nearly all of them out, and their facts with them
    among = tuple(pid for pid in among if not disjoint(ctx.boxes[pid], box))
    named = sorted({fact for pid in among for fact in spec.named_by(pid)[0]} - set(given),
                   key=list(spec.facts).index)
    values = [spec.facts[fact].type.values() for fact in named]
    if math.prod(len(v) for v in values) > SETTLE_COMBINATIONS:
        return None
    settled = None
    for combination in itertools.product(*values):
        situation = {**ctx.firsts, **given, **dict(zip(named, combination))}
        if not assumptions_hold(spec, situation):
            return None
        evaluation = evaluate(spec, situation, among)
        if settled is None:
            settled = evaluation
        elif evaluation.verdicts != settled.verdicts:
            return None
    return settled


def _expectation(result: dict) -> ExpectationResult:
    """An expectation's result, from the entries an example's question set found."""
    depends = result.get("depends_on")
    return ExpectationResult(result["action"], result["expected"], result["status"], result.get("evidence", ()),
                             None if depends is None else tuple(depends))
