"""The answers `check --format json` gives, in the baseline's terms (`Answers`), and the
differences between two sets of answers: what a disagreement between the baseline and
`check` is made of. Evidence is not compared: each side may show other situations."""

from __future__ import annotations

from .solve import CAP, Answers

# what check reports that the baseline does not answer (docs/asp-baseline.md says why)
NOT_COMPARED = ("broken-contract", "stale-acceptance", "same-day-amendments",
                "uncovered-provision")


def from_check(report: dict) -> Answers:
    """The answers of one spec's entry in a `legalmodel.check/1` report."""
    findings = report["findings"]

    def of(kind):
        return [f for f in findings if f["kind"] == kind]

    examples = []
    for entry in report["examples"]:
        results = entry["results"]
        if [r["status"] for r in results] == ["impossible"]:
            examples.append((entry["title"], (("impossible",),)))
        else:
            examples.append((entry["title"], tuple((r["action"], r["expected"], r["status"]) for r in results)))
    return Answers(
        impossible=bool(of("impossible-assumptions")),
        contradictions=tuple(tuple(f["provisions"][:2]) for f in of("contradiction")),
        collisions=tuple(tuple(f["provisions"][:2]) for f in of("collision")),
        dead=tuple(f["subject"] for f in of("dead-provision")),
        never_in_force=tuple(f["subject"] for f in of("never-in-force")),
        gaps=tuple(f["action"] for f in of("gap")),
        goals=tuple((g["title"], g["status"]) for g in report["goals"]),
        examples=tuple(examples),
        idle_overrides=tuple((f["subject"], q) for f in of("idle-override") for q in f["provisions"][1:]),
        capped=CAP,
    )


def undecided(report: dict) -> list[str]:
    """What check could not decide in time (its `unknown` findings): no answer to compare."""
    return [f["message"] for f in report["findings"] if f["kind"] == "unknown"]


FIELDS = ("impossible", "contradictions", "collisions", "dead", "never_in_force", "gaps", "goals", "examples",
          "idle_overrides")


def differences(baseline: Answers, check: Answers) -> list[str]:
    """Each kind of answer on which the two differ, with what only one side says. Pairs,
    provisions and actions are compared as sets (the order is the reports' business);
    goals and examples item by item. The baseline's pairs must be capped as check's are."""
    out = []
    for name in FIELDS:
        mine, theirs = getattr(baseline, name), getattr(check, name)
        if mine is None:  # not asked of the baseline
            continue
        if name == "impossible":
            if mine != theirs:
                out.append(f"impossible assumptions: baseline {mine}, check {theirs}")
            continue
        if name in ("goals", "examples"):
            if mine != theirs:
                only_mine = [x for x in mine if x not in theirs]
                only_theirs = [x for x in theirs if x not in mine]
                out.append(f"{name}: baseline {only_mine}, check {only_theirs}")
            continue
        if set(mine) != set(theirs):
            out.append(f"{name}: only the baseline {sorted(set(mine) - set(theirs))}, "
                       f"only check {sorted(set(theirs) - set(mine))}")
    return out
