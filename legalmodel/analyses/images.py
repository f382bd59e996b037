"""Impacts that are images of each other: owns the structural test that two provisions are
the same rule on two facts (image_renaming), the grouping of provisions by it (image_groups),
and the derivation of one provision's impact from the other's (derived_impact).

Secrecy-breaking provisions often read "sekretess hindrar inte att en uppgift lämnas, om
X": the same modality, the same secrecy set aside, the same overriders, and one fact of
their own that no other rule mentions (10 kap. 2, 16, 17 and 18 §§ and 12 kap. 2 § OSL).
Swapping the two provisions and their two facts maps the law onto itself, and the law
without the one onto the law without the other; so a situation changes its verdict when the
one is taken out exactly where its image changes when the other is. The other's impact is
the first's with the facts and the provisions renamed: the same complete and exact cover,
found without a solver. Each region's witness, renamed, is replayed by the evaluator on
both sides (certify), as a computed region's is.
"""

from __future__ import annotations

from dataclasses import replace

from ..frozen import frozen_dataclass
from ..law import model as m
from ..results import Condition, DiffResult, Region
from .certify import Disagreement, certify


@frozen_dataclass
class Renaming:
    """Swap provision `source` with `target` and fact `facts[0]` with `facts[1]`."""

    source: str
    target: str
    facts: tuple[str, str]

    def fact(self, name: str) -> str:
        a, b = self.facts
        return b if name == a else a if name == b else name

    def provision(self, pid: str) -> str:
        return self.target if pid == self.source else self.source if pid == self.target else pid

    def expr(self, expr: m.Expr) -> m.Expr:
        if isinstance(expr, m.FactRef):
            return replace(expr, fact=self.fact(expr.fact))
        return m.rebuilt(expr, self.expr)

    def condition(self, c: Condition) -> Condition:
        if c.kind == "except":
            return replace(c, fact=self.fact(c.fact), cube=tuple(self.condition(x) for x in c.cube))
        return replace(c, fact=self.fact(c.fact))


def image_renaming(spec: m.CheckedSpec, source: str, target: str) -> Renaming | None:
    """The renaming under which provision `target` is the image of `source`, where the law
    proves it, else None. Proved when: both rule on one action with one modality; their
    conditions differ only by one fact each (`a` in the source's, `b` in the target's, of
    one type), which no other provision and no assumption mentions; the same provisions
    override each; they set aside the same provisions and neither the other; and no
    condition asks `applies` of either. Then swapping the two provisions and the two facts
    maps the law onto itself (each provision's triggering, its being in force and every
    verdict are kept), and the law without `source` onto the law without `target`."""
    p, q = spec.provisions[source], spec.provisions[target]
    if source == target or (p.action, p.modality) != (q.action, q.modality):
        return None
    own_p, own_q = m.facts_in(p.condition), m.facts_in(q.condition)
    only_p, only_q = own_p - own_q, own_q - own_p
    if len(only_p) != 1 or len(only_q) != 1:
        return None
    renaming = Renaming(source, target, (next(iter(only_p)), next(iter(only_q))))
    a, b = renaming.facts
    if spec.facts[a].type != spec.facts[b].type or renaming.expr(p.condition) != q.condition:
        return None
    pair, facts = {source, target}, {a, b}
    for pid, other in spec.provisions.items():
        if m.applied_in(other.condition) & pair:
            return None
        if pid not in pair and m.facts_in(other.condition) & facts:
            return None
    if any(m.facts_in(x.condition) & facts for x in spec.assumptions):
        return None
    overriders = spec.overridden_by
    if set(overriders[source]) != set(overriders[target]) or pair & (set(overriders[source]) | set(overriders[target])):
        return None
    if any((source in by) != (target in by) for by in overriders.values()):
        return None
    return renaming


def image_groups(spec: m.CheckedSpec, pids: list[str]) -> list[tuple[str, tuple[tuple[str, Renaming], ...]]]:
    """`pids` grouped: each first provision of a group, in the order given, with the others
    that are its images (image_renaming) and the renaming of each."""
    groups: list[tuple[str, list]] = []
    for pid in pids:
        for first, images in groups:
            renaming = image_renaming(spec, first, pid)
            if renaming is not None:
                images.append((pid, renaming))
                break
        else:
            groups.append((pid, []))
    return [(first, tuple(images)) for first, images in groups]


def derived_impact(source: DiffResult, renaming: Renaming, spec: m.CheckedSpec, without: m.CheckedSpec,
                   old_label: str, new_label: str) -> DiffResult:
    """The impact of `renaming.target` (`without`: the law without it), derived from the
    impact of `renaming.source` (`source`): every region renamed, its plain conditions and
    each exception's cube put back in the order of the facts (as Session.simplified and
    Search.generalise give them; the exceptions stay in their order), its witness renamed
    and replayed by the evaluator on both sides, and the provisions that decide named as the
    evaluator names them. Goals and examples are not derived: the result has none."""
    order = {f: i for i, f in enumerate(source.vocabulary)}
    covers = {}
    for (action, v_old, v_new), regions in source.covers.items():
        derived = []
        for region in regions:
            situation = {renaming.fact(f): v for f, v in region.situation.items()}
            situation = {f: situation[f] for f in region.situation}  # the facts in their order
            renamed = [renaming.condition(c) for c in region.conditions]
            plain = sorted((c for c in renamed if c.kind != "except"), key=lambda c: order[c.fact])
            # an exception's cube is in the order of the facts too (Search.generalise)
            exceptions = [replace(c, fact=cube[0].fact, cube=cube) for c in renamed if c.kind == "except"
                          for cube in [tuple(sorted(c.cube, key=lambda a: order[a.fact]))]]
            conditions = (*plain, *exceptions)
            what = f"`{action}` going {v_old} → {v_new} without {renaming.target}"
            e_old = certify(spec, _restrict(situation, spec), lambda e: e.verdicts[action] == v_old, what)
            e_new = certify(without, _restrict(situation, without), lambda e: e.verdicts[action] == v_new, what)
            if not all(c.admits(situation) for c in conditions):
                raise Disagreement(f"a renamed witness lies outside its renamed region: {situation}")
            deciding = (e_old.deciding(spec, action), e_new.deciding(without, action))
            expected = (_renamed(region.old_deciding, renaming, spec), _renamed(region.new_deciding, renaming, without))
            if deciding != expected:
                raise Disagreement(f"the evaluator names {deciding} deciding where the renaming gives {expected}: "
                                   f"{situation}")
            derived.append(Region(
                action, v_old, v_new, conditions, situation, *deciding,
                _in_force_on(spec, e_old.in_force, action), _in_force_on(without, e_new.in_force, action),
                _renamed(region.old_deciding_in_region, renaming, spec),
                _renamed(region.new_deciding_in_region, renaming, without)))
        covers[(action, v_old, v_new)] = derived
    return DiffResult(old_label, new_label, spec, without, source.vocabulary, covers,
                      incomplete=list(source.incomplete), unknown=list(source.unknown),
                      added_actions=list(source.added_actions), removed_actions=list(source.removed_actions))


def _renamed(pids: tuple[str, ...], renaming: Renaming, spec: m.CheckedSpec) -> tuple[str, ...]:
    return tuple(sorted((renaming.provision(p) for p in pids), key=spec.position.__getitem__))


def _in_force_on(spec: m.CheckedSpec, in_force, action: str) -> tuple[str, ...]:
    return tuple(pid for pid in sorted(in_force, key=spec.position.__getitem__) if spec.provisions[pid].action == action)


def _restrict(situation: dict, spec: m.CheckedSpec) -> dict:
    return {k: v for k, v in situation.items() if k in spec.facts}
