"""Which facts of a shown situation matter, and values a lawyer recognises: both worked out
with the plain evaluator, on the whole spec, deterministically.

A fact *matters* to a situation when another value of it, every other fact kept, changes a
verdict or which provisions are in force (a collision is about two provisions in force, not
about the verdict alone). A value is *plausible* when a lawyer would recognise it as an ordinary case: the
solver's least witness gives a person the age 0 where any age would do, and a report that
shows a terrorist-risk case about a new-born is not believed. The certifier
(analyses/certify.py) asks for both and replays what it shows.
"""

from __future__ import annotations

from itertools import chain

from ..law import model as m
from ..semantics.evaluate import Evaluation, Interaction, assumptions_hold, cuts, evaluate, neighbour, neighbours


def _alternatives(spec: m.CheckedSpec, name: str, value, only: frozenset | None = None):
    """The other values worth trying for a fact, among `only` where given: each other value
    of a bool or an enum; for a number, the first value of every other stretch between the
    cuts where the spec's comparisons change (evaluate.cuts), nearest first. Every value of
    a stretch evaluates alike, so no value that changes a verdict is missed, and none of the
    fact's own stretch needs trying. A number compared with another fact has no such
    stretches, and every value is tried, those next to it first. An enumeration's values
    come one at a time (a caller stops at the first that changes something, and an
    enumeration of the kinds of information has thousands)."""
    t = spec.facts[name].type
    if isinstance(t, m.BoolType):
        values = (not value,)
    elif isinstance(t, m.EnumType):
        if only is not None and len(only) <= FEW_ONLY:
            return tuple(sorted((v for v in only if v != value), key=t.members.index))
        values = (v for v in t.members if v != value)
    else:
        found = cuts(spec).get(name, ())
        if found is None:
            candidates = (value - 1, value + 1, *range(t.low, t.high + 1))
            values = tuple(dict.fromkeys(c for c in candidates if t.low <= c <= t.high and c != value))
        else:
            starts = [t.low, *(c for c in found if t.low < c <= t.high)]  # found is sorted
            own = max(start for start in starts if start <= value)
            values = tuple(sorted((start for start in starts if start != own),
                                  key=lambda start: (abs(start - value), start)))
            if only is not None:  # a value to try stands for its stretch, which its start tries
                only = {max((start for start in starts if start <= v), default=None)
                        for v in only if t.low <= v <= t.high}
    return values if only is None else tuple(v for v in values if v in only)


# at most this many values to try of an enumeration: _alternatives orders them by the type
# rather than walk the type
FEW_ONLY = 8


def facts_that_matter(spec: m.CheckedSpec, situation: dict, facts, found: dict | None = None) -> tuple[str, ...]:
    """The facts among `facts` (in their order) for which another value, every other fact
    kept and the assumptions still met, gives the spec another verdict on some act or puts
    other provisions in force. The situation must meet the assumptions (the certifier
    replays it first). `found`, given, learns per fact the value that showed it matters
    (_matters), for plausible to try first."""
    before = _of_the_spec(spec, situation)
    return tuple(name for name in facts if _matters(spec, before, name, found))


def _of_the_spec(spec: m.CheckedSpec, situation: dict) -> Evaluation:
    """The whole spec's evaluation of a situation that meets its assumptions."""
    if not assumptions_hold(spec, situation):
        raise RuntimeError(f"a bug in legalmodel: asked about a situation that breaks an assumption: {situation}")
    return evaluate(spec, situation)


def _matters(spec: m.CheckedSpec, before: Evaluation, name: str, found: dict | None = None,
             only: frozenset | None = None) -> bool:
    """Whether another value of `name` changes the verdicts or what is in force, where
    `before` is the whole spec's evaluation of a situation that meets the assumptions.
    `found`: the value that showed it last time, per fact, tried first and kept up to date
    (an enumeration of many kinds of information is otherwise tried from its first member
    each time, and a nearby situation is usually changed by the same value).
    `only`: the values to try, where the others are known to change nothing."""
    seen = (before.verdicts, before.in_force)
    value = before.situation[name]
    alternatives = _alternatives(spec, name, value, only)
    first = None if found is None else found.get(name, value)
    if first != value and first is not None and (
            first in alternatives if isinstance(alternatives, tuple)  # else an enumeration's other values
            else only is None or first in only):
        alternatives = chain((first,), (v for v in alternatives if v != first))
    for after in neighbours(spec, before, name, alternatives):
        if after is not None and (after.verdicts, after.in_force) != seen:
            if found is not None:
                found[name] = after.situation[name]
            return True
    return False


def typical_value(t: m.IntType) -> int:
    """The value shown for a number where any value would do: a quarter of the way up a wide
    range, rounded to a multiple of five (an age 0..130 reads 30), else the middle."""
    if t.high - t.low >= 20:
        return t.low + 5 * round((t.high - t.low) / 4 / 5)
    return (t.low + t.high) // 2


def plausible(spec: m.CheckedSpec, situation: dict, keep, facts=(), matters=(), found: dict | None = None) -> dict:
    """The situation with each number that sits at an end of its type and could be anything
    here moved to its typical value, where the spec evaluates the situation exactly as before
    (same verdicts, same provisions in force and triggered), `keep(new situation)` still
    holds (the situation's own conditions) and the same facts among `facts` matter
    (`matters`, facts_that_matter); one fact at a time, in the spec's order.

    Moving one number X leaves which provisions are triggered as it was, so whether another
    fact Y matters can change only where a provision's condition can change with both (their
    dependents meet, counting only the provisions that can be triggered around the situation:
    evaluate.Interaction) or an assumption names both; only X and such facts are asked
    again, and a fact that did not matter only at the values where a provision that mentions X
    can be triggered (Interaction.values_to_try)."""
    before = _of_the_spec(spec, situation)
    interact = Interaction(spec, before.situation)  # the facts moved are numbers
    found = {} if found is None else found
    shown = before  # the evaluation of the situation shown, the same as before's but for it
    for name, fact in spec.facts.items():
        t = fact.type
        if not isinstance(t, m.IntType) or shown.situation.get(name) not in (t.low, t.high):
            continue
        target = typical_value(t)
        if target == shown.situation[name]:
            continue
        after = neighbour(spec, shown, name, target)
        if after is not None and after.triggered == before.triggered and after.in_force == before.in_force \
                and after.verdicts == before.verdicts and keep(after.situation) \
                and all(_matters(spec, after, other, found) if other in matters
                        else not _matters(spec, after, other, only=interact.values_to_try(name, other))
                        for other in facts if interact(name, other)):
            shown = after
    return shown.situation if shown is not before else dict(situation)
