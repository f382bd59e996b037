"""The baseline's answers: the brave consequences of the translated program, read back into
the answers `check` gives (which pairs meet, which provisions are dead or never in force,
which actions have gaps, how each goal and example comes out).

clingo enumerates brave consequences by asking, after each answer set, for one that makes
some shown atom true that none before did; the last answer set holds every atom true in some
situation. One answer set thus settles many questions at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import clingo

from legalmodel.law import model as m

from .translate import Program, translate

CAP = 50  # the pairs per action and kind check reports (legalmodel.analyses.pairs.MAX_PAIRS_PER_ACTION)


@dataclass(frozen=True)
class Answers:
    """What the baseline says of one spec, in the spec's order. Pairs are every pair that
    meets unless `capped` says the report's cap was applied."""

    impossible: bool  # the assumptions admit no situation
    contradictions: tuple[tuple[str, str], ...]
    collisions: tuple[tuple[str, str], ...]
    dead: tuple[str, ...]
    never_in_force: tuple[str, ...]
    gaps: tuple[str, ...]
    goals: tuple[tuple[str, str], ...]  # (title, holds | fails | fails-as-expected | holds-unexpectedly)
    examples: tuple[tuple[str, tuple], ...]  # (title, (("impossible",),) or ((action, expected, status), …))
    capped: int | None = None

    def capped_at(self, spec: m.CheckedSpec, cap: int = CAP) -> "Answers":
        """The pairs `check` reports: per action, the first `cap` in the spec's order."""
        def first(pairs):
            kept, per_action = [], {}
            for pair in pairs:
                action = spec.provisions[pair[0]].action
                if per_action.get(action, 0) < cap:
                    per_action[action] = per_action.get(action, 0) + 1
                    kept.append(pair)
            return tuple(kept)

        return replace(self, contradictions=first(self.contradictions), collisions=first(self.collisions),
                       capped=cap)


@dataclass(frozen=True)
class Run:
    """One run of the baseline: the answers and what they cost."""

    answers: Answers
    program: Program
    translate_seconds: float
    ground_seconds: float
    solve_seconds: float
    models: int
    rules: int


def run(spec: m.CheckedSpec) -> Run:
    """Translate `spec`, solve it with clingo, and read the answers."""
    started = time.perf_counter()
    program = translate(spec)
    translated = time.perf_counter()
    control = clingo.Control(["--enum-mode=brave", "--models=0", "--warn=none"])
    control.add("base", [], program.text)
    control.ground([("base", [])])
    grounded = time.perf_counter()
    last: list = []
    models = 0
    with control.solve(yield_=True) as handle:
        for model in handle:
            models += 1
            last = model.symbols(shown=True)
    solved = time.perf_counter()
    answers = read(spec, program, last, models > 0)
    return Run(answers, program, translated - started, grounded - translated, solved - grounded, models,
               program.text.count("\n"))


def answers(spec: m.CheckedSpec) -> Answers:
    """The baseline's answers about `spec`, every pair included."""
    return run(spec).answers


def read(spec: m.CheckedSpec, program: Program, symbols, satisfiable: bool) -> Answers:
    """The answers the brave atoms `symbols` give."""
    if not satisfiable:
        return Answers(True, (), (), (), (), (), (), ())
    true: dict[str, set] = {}
    for s in symbols:
        args = tuple(a.number for a in s.arguments)
        true.setdefault(s.name, set()).add(args[0] if len(args) == 1 else args)
    triggered = {program.provisions[i] for i in true.get("trig", ())}
    in_force = {program.provisions[i] for i in true.get("inf", ())}
    met = [program.pairs[k] for k in sorted(true.get("pair", ()))]
    contradictions = tuple(p for p in met if spec.provisions[p[0]].modality == m.OBLIGE)
    collisions = tuple(p for p in met if spec.provisions[p[0]].modality == m.PERMIT)
    dead = tuple(pid for pid in spec.provisions if pid not in triggered)
    never = tuple(pid for pid in spec.provisions if pid in triggered and pid not in in_force)
    gaps = tuple(program.actions[i] for i in sorted(true.get("gap", ())))
    goals = []
    for g, goal in enumerate(program.goals):
        holds = (g not in true.get("gbad", ())) if goal.kind == "all" else (g in true.get("ggood", ()))
        status = (("holds-unexpectedly" if goal.expected_to_fail else "holds") if holds
                  else ("fails-as-expected" if goal.expected_to_fail else "fails"))
        goals.append((goal.title, status))
    examples = []
    for x, example in enumerate(program.examples):
        if x not in true.get("exg", ()):
            examples.append((example.title, (("impossible",),)))
            continue
        results = []
        for k, (action, expected) in enumerate(example.expectations):
            hit, miss = (x, k) in true.get("exhit", ()), (x, k) in true.get("exmiss", ())
            results.append((action, expected, "underdetermined" if hit and miss else "passes" if hit else "fails"))
        examples.append((example.title, tuple(results)))
    return Answers(False, contradictions, collisions, dead, never, gaps, tuple(goals), tuple(examples))
