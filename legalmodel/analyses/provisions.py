"""Dead provisions and provisions never in force. A provision is dead iff its `triggered`
constant is unsat with the assumptions; it is never in force iff its `in_force` constant is
unsat while `triggered` is sat (then evidence shows it applying and being set aside)."""

from __future__ import annotations

from ..results import Finding
from ..i18n import sentence
from ..solver.session import Unknown
from .context import WARNING, QueryContext


def dead_provisions(ctx: QueryContext) -> None:
    """Dead: triggered in no situation. Never in force: triggered somewhere, in force nowhere.
    A provision in force somewhere is triggered there, so where each is in force is asked
    first, and whether it applies at all only of those never seen in force: most laws
    have few of them, and the second sweep costs nearly nothing."""
    spec = ctx.spec
    position = spec.position

    def one_by_one(undecided, constants, found, unknown) -> None:
        for pid in undecided:  # the batched question timed out: ask one by one
            try:
                if not ctx.possible(getattr(ctx.enc, constants)[pid]):
                    found.append(pid)
            except Unknown as u:
                unknown[pid] = u.reason

    not_in_force, undecided = ctx.sweep(list(spec.provisions), "in_force", lambda e: e.in_force)
    unknown_in_force: dict[str, str] = {}
    one_by_one(undecided, "in_force", not_in_force, unknown_in_force)
    dead, undecided = ctx.sweep(sorted([*not_in_force, *unknown_in_force], key=position.__getitem__),
                                  "triggered", lambda e: e.triggered)
    unknown_triggered: dict[str, str] = {}
    one_by_one(undecided, "triggered", dead, unknown_triggered)
    for pid, reason in unknown_triggered.items():
        ctx.unknown(pid, spec.provisions[pid].span, sentence("whether {provision} can apply", provision=pid), reason)
    for pid, reason in unknown_in_force.items():
        if pid not in dead and pid not in unknown_triggered:
            ctx.unknown(pid, spec.provisions[pid].span, sentence("whether {provision} is ever in force", provision=pid),
                        reason)
    for pid in sorted(dead, key=position.__getitem__):
        p = spec.provisions[pid]
        blamed = [spec.assumptions[i] for i in (ctx.session.blame(ctx.enc.triggered[pid]) or [])]
        details = tuple(
            sentence("it contradicts the assumption “{label}” at {place}", label=a.label, place=a.span.location())
            if a.label else sentence("it contradicts the assumption at {place}", place=a.span.location())
            for a in blamed) or (sentence("the condition contradicts itself or the ranges of its facts"),)
        ctx.add(Finding("dead-provision", WARNING,
                         f"{pid} can never apply: no situation meets its condition",
                         pid, p.span, p.action, (pid,), (), details))
    never = [pid for pid in not_in_force if pid not in dead and pid not in unknown_triggered]
    for pid in sorted(never, key=position.__getitem__):
        p = spec.provisions[pid]
        relevant = ctx.relevant_facts({p.action})
        part = ctx.part_for(ctx.boxes[pid])
        witness = ctx.sat(part.enc.triggered[pid], part=part)
        ev = ctx.evidence(witness, lambda e: pid in e.triggered and pid not in e.in_force,
                           f"{pid} triggered but overridden", lambda enc: enc.triggered[pid], relevant, part=part)
        over = [q for q in spec.overridden_by[pid] if q in ev.in_force]
        ctx.add(Finding("never-in-force", WARNING,
                         f"{pid} applies only where another provision sets it aside",
                         pid, p.span, p.action, (pid, *over), (ev,),
                         (sentence("wherever it applies, it is overridden (here by {provisions})",
                                   provisions=", ".join(over)),),
                         identity=(pid,)))
