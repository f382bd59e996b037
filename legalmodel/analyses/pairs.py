"""Contradictions and collisions: pairs of provisions on one act in force together. A pair
(P, Q) contradicts iff P obliges, Q forbids and `in_force(P) ∧ in_force(Q)` is sat; it
collides iff P permits, Q forbids, neither names the other, and the same is sat. Evidence is
shown for the first MAX_PAIRS_PER_ACTION pairs of each act, in the spec's order, and the pairs
after those are not asked about."""

from __future__ import annotations

from ..law import model as m
from ..i18n import sentence
from ..results import Finding
from ..semantics.boxes import intersect, meeting_pairs
from ..semantics.encode import all_of, reason_unknown
from ..syntax.surface import phrase_at
from .context import ERROR, WARNING, QueryContext

MAX_PAIRS_PER_ACTION = 50


def contradictions(ctx: QueryContext) -> None:
    _pairs(ctx, "contradiction", ERROR, m.OBLIGE, m.FORBID,
                lambda o, f: True,
                lambda o, f: f"{o.id} obliges `{o.action}` where {f.id} forbids it")


def collisions(ctx: QueryContext) -> None:
    # as sets: a rule across chapters names every section of its range, and it meets the
    # secrecy of every chapter outside it
    named: dict[str, frozenset] = {}

    def names(p: m.Provision) -> frozenset:
        found = named.get(p.id)
        if found is None:
            found = named[p.id] = frozenset(p.overrides) | frozenset(p.excepts)
        return found

    def unstated(p: m.Provision, q: m.Provision) -> bool:
        return q.id not in names(p) and p.id not in names(q)

    _pairs(ctx, "collision", WARNING, m.PERMIT, m.FORBID, unstated,
                lambda p, q: f"{p.id} permits `{p.action}` where {q.id} forbids it, "
                             "and neither names the other")


def _pairs(ctx: QueryContext, kind, severity, first_modality, second_modality, relevant_pair, message) -> None:
    """Pairs of provisions on one action both in force somewhere, found by a sweep (in
    the slice where the two can meet), each reported with evidence, at most
    MAX_PAIRS_PER_ACTION per action: the first in the order of the provisions."""
    spec = ctx.spec
    for action in spec.actions:
        firsts = [p.id for p in spec.provisions_for(action) if p.modality == first_modality]
        seconds = [p.id for p in spec.provisions_for(action) if p.modality == second_modality]
        # pairs whose conditions exclude each other (by their boxes) never meet: not asked
        pairs = [(a, b) for a, b in meeting_pairs(spec, ctx.boxes, firsts, seconds)
                 if relevant_pair(spec.provisions[a], spec.provisions[b])]
        if not pairs:
            continue
        relevant = ctx.relevant_facts({action})
        found: dict = {}  # pair → a model of a situation where both are in force

        def seen(hit, model) -> None:
            for key in hit:
                found.setdefault(key, model)

        # the pairs are decided in the spec's order, a run at a time, until the report's cap
        # is reached: the pairs after the run that holds the last one reported cannot be
        # reported, and where rules cut across chapters they are most of the pairs. Each run
        # is twice the one before, so a spec with fewer pairs than the cap is decided in a few
        # sweeps, not one per run
        undecided: list = []
        decided, run = 0, MAX_PAIRS_PER_ACTION
        while decided < len(pairs) and sum(1 for key in pairs[:decided] if key in found) < MAX_PAIRS_PER_ACTION:
            ctx.progress(ctx.step, decided, len(pairs))
            _never, not_decided = ctx.sweep_formulas(
                pairs[decided:decided + run], lambda enc, k: all_of(enc.in_force[k[0]], enc.in_force[k[1]]),
                lambda k, evaluation: k[0] in evaluation.in_force and k[1] in evaluation.in_force,
                lambda k: intersect(ctx.boxes[k[0]], ctx.boxes[k[1]]), seen=seen)
            undecided += not_decided
            decided, run = decided + run, 2 * run
        # the first pairs in the spec's order, not the first the solver's models showed:
        # which models it returns depends on what the process solved before
        reported = [key for key in pairs[:decided] if key in found][:MAX_PAIRS_PER_ACTION]
        for key in reported:
            a, b = spec.provisions[key[0]], spec.provisions[key[1]]
            ev = ctx.evidence(found[key], lambda e, k=key: k[0] in e.in_force and k[1] in e.in_force,
                               f"{kind} of {key[0]} and {key[1]}",
                               lambda enc, k=key: all_of(enc.in_force[k[0]], enc.in_force[k[1]]),
                               relevant, part=ctx.part_for(intersect(ctx.boxes[key[0]], ctx.boxes[key[1]])))
            details = ()
            if kind == "collision":
                details = (f"the verdict there is {ev.verdicts[action]}; if that is the intended outcome, "
                           f"state it: add `{phrase_at(a.span, 'except')} {b.citation.swedish()}` to {a.id}, "
                           f"or make {a.id} override it",)
            ctx.add(Finding(kind, severity, message(a, b), a.id, a.span, action, key, (ev,), details))
        if undecided and len(reported) < MAX_PAIRS_PER_ACTION:
            ctx.unknown(action, spec.actions[action].span,
                        sentence("contradictions on `{action}`", action=action) if kind == "contradiction"
                        else sentence("collisions on `{action}`", action=action),
                         reason_unknown(ctx.slices.whole.session.solver) or "unknown")
