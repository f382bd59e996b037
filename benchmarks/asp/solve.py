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

from .translate import pins_of, translate

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
    # (P, Q): dropping P's override of Q changes no verdict; None: not asked
    idle_overrides: tuple[tuple[str, str], ...] | None = ()
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
    programs: int  # one per slice (one in all where the spec is not sliced)
    pivot: str | None  # the fact the situations are split by, if any
    pairs: int  # candidate pairs, over every slice
    rules: int
    models: int
    translate_seconds: float
    ground_seconds: float
    solve_seconds: float


def pivot_of(spec: m.CheckedSpec, pins: dict) -> str | None:
    """The fact to split the situations by: the boolean or enumeration fact that the most
    provisions pin to part of its values, if a quarter of them do (the kind of information,
    in secrecy law). Every situation has one value of it, and a provision pinned to other
    values applies nowhere there, so each value's slice is a smaller program of its own."""
    counts: dict[str, int] = {}
    for pid, pin in pins.items():
        for fact, values in (pin or {}).items():
            if len(values) < len(tuple(spec.facts[fact].type.values())):
                counts[fact] = counts.get(fact, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda f: (counts[f], -list(spec.facts).index(f)))
    return best if counts[best] >= max(2, len(spec.provisions) / 4) else None


def run(spec: m.CheckedSpec, idle: bool = True) -> Run:
    """Translate `spec`, solve it with clingo (one program per value of the pivot fact,
    if any), and read the answers: an atom true in some slice is true in some situation.
    Without `idle`, idle overrides are not asked (`idle_overrides` is then None)."""
    pins = pins_of(spec)
    pivot = pivot_of(spec, pins)
    if pivot is None:
        slices = [(None, None)]
    else:
        values = tuple(spec.facts[pivot].type.values())
        slices = [((pivot, v), [pid for pid, pin in pins.items()
                                if pin is not None and (pivot not in pin or v in pin[pivot])]) for v in values]
    timing = {"translate": 0.0, "ground": 0.0, "solve": 0.0}
    found: list = []
    models = rules = pairs = 0
    for fixed, members in slices:
        started = time.perf_counter()
        program = translate(spec, members, fixed, pins, idle)
        translated = time.perf_counter()
        control = clingo.Control(["--enum-mode=brave", "--models=0", "--warn=none"])
        control.add("base", [], program.text)
        control.ground([("base", [])])
        grounded = time.perf_counter()
        last = None
        with control.solve(yield_=True) as handle:
            for model in handle:
                models += 1
                last = model.symbols(shown=True)
        solved = time.perf_counter()
        if last is not None:
            found.append((program, last))
        rules += program.text.count("\n")
        pairs += len(program.pairs)
        timing["translate"] += translated - started
        timing["ground"] += grounded - translated
        timing["solve"] += solved - grounded
    answers = read(spec, found)
    if not idle:
        answers = replace(answers, idle_overrides=None)
    return Run(answers, len(slices), pivot, pairs, rules, models,
               timing["translate"], timing["ground"], timing["solve"])


def answers(spec: m.CheckedSpec, idle: bool = True) -> Answers:
    """The baseline's answers about `spec`, every pair included."""
    return run(spec, idle).answers


def read(spec: m.CheckedSpec, found: list) -> Answers:
    """The answers the brave atoms give: `found` holds, for each program that has answer
    sets, the program and the atoms true in some answer set of it."""
    if not found:
        return Answers(True, (), (), (), (), (), (), ())
    true: dict[str, set] = {}
    for program, symbols in found:
        for s in symbols:
            args = tuple(a.number for a in s.arguments)
            if s.name in ("trig", "inf"):
                value = program.provisions[args[0]]
            elif s.name == "pair":
                value = program.pairs[args[0]]
            elif s.name == "chg":
                value = program.overrides[args[0]]
            else:
                value = args[0] if len(args) == 1 else args
            true.setdefault(s.name, set()).add(value)
    program = found[0][0]  # actions, goals and examples are numbered alike in every slice
    position = spec.position
    met = sorted(true.get("pair", ()), key=lambda pair: (position[pair[0]], position[pair[1]]))
    triggered, in_force = true.get("trig", set()), true.get("inf", set())
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
    changed = true.get("chg", set())
    idle = tuple((p.id, q) for p in spec.provisions.values() for q in p.overrides if (p.id, q) not in changed)
    return Answers(False, contradictions, collisions, dead, never, gaps, tuple(goals), tuple(examples), idle)
