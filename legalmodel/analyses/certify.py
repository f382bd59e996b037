"""The one place where the solver's word becomes evidence: every situation a finding, a goal,
an example, a diff region or an explanation shows is replayed here by the plain evaluator
(semantics/evaluate.py), an implementation of the semantics apart from the Z3 encoding. If
the two disagree, that is a bug in legalmodel, and `Disagreement` stops the run: it is never
printed as a result.
"""

from __future__ import annotations

from ..law import model as m
from ..results import Evidence
from ..semantics.evaluate import Evaluation, assumptions_hold, evaluate
from .relevance import facts_that_matter, plausible


class Disagreement(RuntimeError):
    """The solver and the evaluator disagree: a bug in legalmodel, never an output."""


def certify(spec: m.CheckedSpec, situation: dict, expect, what: str, among=None) -> Evaluation:
    """The evaluator's evaluation of a situation the solver found, where it meets the
    assumptions and `expect(evaluation)` holds; otherwise a Disagreement naming `what` was
    sought. `among`: the provisions that can apply there (a slice's), or None for all."""
    if assumptions_hold(spec, situation):
        evaluation = evaluate(spec, situation, among)
        if expect(evaluation):
            return evaluation
    raise Disagreement(f"the solver found a situation for {what}, but the evaluator does not confirm it: {situation}")


def certified_evidence(spec: m.CheckedSpec, situation: dict, conditions: tuple, expect, what: str,
                       among=None, label: str = "", avoid=()) -> Evidence:
    """A situation as evidence, replayed on the whole spec: the evaluator must confirm it
    (`expect`) with every provision taking part, not only those of the slice it was found in
    (`among`), and give the same evaluation as the slice did; and the situation must meet the
    conditions said to matter in it. The verdicts and provisions shown are the whole spec's.
    Where a number the solver chose could be anything, the situation shown has a plausible
    value instead (relevance.plausible), certified the same way; and the evidence says which
    of its conditions' facts matter to the verdicts (relevance.facts_that_matter). `avoid`: the
    regions (tuples of conditions) found before, which the solver's situation was sought
    outside of and apart from: the plausible one meets each of their conditions exactly where
    the solver's does, so it stays as far from them."""
    whole = _replayed(spec, situation, conditions, expect, what, among)
    facts = tuple(dict.fromkeys(f for c in conditions for f in c.facts))
    found: dict = {}  # per fact, the value that showed it matters: plausible tries it first
    matters = facts_that_matter(spec, situation, facts, found)
    # a plausible value must tell the same story: the same facts matter there
    apart = [(c, c.admits(situation)) for region in avoid for c in region]
    shown = plausible(spec, situation, lambda s: all(c.admits(s) for c in conditions)
                      and all(c.admits(s) == held for c, held in apart), facts, matters, found)
    if shown != situation:
        try:
            whole, situation = _replayed(spec, shown, conditions, expect, what, among), shown
        except Disagreement:
            pass  # the solver's own situation is certified; a nicer one that is not is not shown
    return Evidence(
        situation=situation,
        conditions=conditions,
        verdicts=dict(whole.verdicts),
        in_force=tuple(sorted(whole.in_force, key=spec.position.__getitem__)),
        triggered=tuple(sorted(whole.triggered, key=spec.position.__getitem__)),
        label=label,
        matters=matters,
    )


def _replayed(spec, situation, conditions, expect, what, among) -> Evaluation:
    whole = certify(spec, situation, expect, what)
    if among is not None and evaluate(spec, situation, among) != whole:
        raise Disagreement(f"the slice of {what} and the whole spec evaluate a situation differently: {situation}")
    if not all(c.admits(situation) for c in conditions):
        raise Disagreement(f"the situation shown for {what} does not meet its own conditions: {situation}")
    return whole
