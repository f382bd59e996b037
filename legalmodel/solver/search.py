"""The search for situations a reader can follow: from a situation the solver found, the least
one (Search.least: each fact at its plainest value that keeps the question's answer, found by
asking for the shortest unsatisfiable prefix of preferences) and the general one
(Search.generalise: the conditions on the facts that matter, under which a property holds
whatever the other facts are). A part of Session (session.py): it asks its questions through the
session's check, possible, sat and conflict methods and bounds.
"""

from __future__ import annotations

import z3

from ..law import model as m
from ..results import Condition
from ..semantics.encode import (all_of, any_of, assert_term, ast_id, boolean, check_under, first_value, implies,
                                negate, unsat_core_ids)


# how many situations generalisation lets the evaluator try before a question of a conflict is
# asked of the solver (Session.generalise)
GUESSES = 4

# how many of generalise's literals a session keeps built (Search._indicated)
INDICATED = 8192


def shortest_unsatisfiable(low: int, high: int, ask) -> int | None:
    """The length of the shortest unsatisfiable prefix of a list, given a length `low` whose
    prefix is satisfiable (-1: not even the empty one is known to be) and a length `high`
    whose prefix is not. `ask(length)` answers None (time limit) or, for the prefix of that
    length, ("sat", n): it is satisfiable, and so is the prefix of length n ≥ length (a model
    may show more); or ("unsat", n): it is not, and neither is the prefix of length n ≤ length
    (where an unsat core ends). A solver's core is often minimal, so the question just below
    the core's end comes first, and the range is halved once a core cuts no deeper than asked:
    most answers then take a question or two, not a binary search."""
    tight = True
    while high - low > 1:
        mid = high - 1 if tight else (low + high) // 2
        answer = ask(mid)
        if answer is None:
            return None
        verdict, n = answer
        if verdict == "sat":
            low = min(n, high - 1)
        else:
            tight = n < mid
            high = n
    return high


def preferred_core(items: list, conflict_in) -> list | None:
    """A minimal subset of `items` (distinct hashable values, such as indices) that is
    unsatisfiable (with whatever the solver already holds), chosen by the items' order alone:
    among the minimal subsets, the one that prefers the earliest items, as QuickXplain (Junker
    2004) finds it. Built item by item from the back: its last item is the one that ends the
    shortest unsatisfiable prefix of `items`; the one before it ends the shortest prefix that
    is unsatisfiable together with that item; and so on, until the items chosen are
    unsatisfiable by themselves.

    `conflict_in(subset)` answers None (time limit), False (satisfiable), or, when the subset
    is unsatisfiable, True or a part of it that is unsatisfiable by itself (a solver's unsat
    core). A core bounds where the next shortest prefix can end, so with a
    solver's cores most items cost a question or two, not a binary search. The solver's core
    is never the result: which core Z3 returns depends on its internal state (what was built
    before in the process), so output built on it would not be the same bytes for the same
    input; it only saves questions whose answers the order already determines.

    Returns None when `items` are not unsatisfiable or a time limit prevents an answer."""
    position = {x: i for i, x in enumerate(items)}

    def ask(subset: list):
        answer = conflict_in(subset)
        return subset if answer is True else answer

    core = ask(list(items))
    if core is None or core is False:
        return None
    chosen: list = []  # from the back; chosen + candidates is unsatisfiable, and holds `core`
    candidates = list(items)  # always a prefix of items

    def end(core) -> int:  # where the core ends among the candidates
        return max((position[x] + 1 for x in core if position[x] < len(candidates)), default=0)

    def prefix(length: int):
        nonlocal core
        answer = ask(chosen + candidates[:length])
        if answer is None or answer is False:
            return None if answer is None else ("sat", length)
        core = answer
        return "unsat", end(core)

    while True:
        high = shortest_unsatisfiable(-1, end(core), prefix)
        if high is None:
            return None
        if high == 0:  # the chosen items are unsatisfiable by themselves
            return sorted(chosen, key=position.__getitem__)
        chosen.append(candidates[high - 1])
        candidates = candidates[:high - 1]


def cuts_with(cuts: dict | None, conditions) -> dict | None:
    """`cuts` (model.spec_cuts) and where these conditions' ranges stop holding: the cuts of
    questions that also name the conditions (the regions a witness must stay outside of)."""
    if cuts is None:
        return None
    out = dict(cuts)
    for c in [a for c in conditions for a in (c.cube if c.kind == "except" else (c,))]:
        if c.kind == "range" and out.get(c.fact, ()) is not None:
            bounds = {x for x in (c.low, None if c.high is None else c.high + 1) if x is not None}
            out[c.fact] = tuple(sorted(set(out.get(c.fact, ())) | bounds))
    return out


class Search:
    """Session's search for least and general situations; used only as a base of Session."""

    def least(self, situation: dict, formulas: list, fixed: dict | None = None, until: str | None = None,
              read: set[str] | None = None, cuts: dict | None = None, floor: dict | None = None,
              holds=None) -> dict:
        """The first situation, in the order of the facts' declarations and of their values,
        where all `formulas` hold; `situation` is one where they do. Evidence starts from this
        point rather than from whichever model the solver returned, so the same spec gives the
        same witnesses in any process, whatever was solved before. A time limit stops the
        search early, keeping the point reached. With `until`, only the facts up to that one
        are made first, and only they are read back from the solver: the others keep their
        values in `situation`, which need not fit them any more. `read` names the facts the
        formulas and the solver's constraints mention, when that is known (in a slice): the
        others take their first value without a question. `cuts` (model.cuts, of everything
        the formulas and the assumptions name, when known) limits the search for an integer's
        least value to the values where its comparisons change.

        `floor`, when given, is the first situation of a set that holds every situation where
        the formulas hold now (the first situation of a cover's last region, when the next
        region adds one more region to stay outside of), found with the same `fixed`, `read`
        facts and no `until`: no situation comes before it, so each fact is first asked to
        take its value there, as long as those before it do. The answer is the same; a cover
        of hundreds of regions whose first situations share most of their facts asks a few
        questions for each instead of dozens. `self.stopped_early` tells whether the search
        stopped at a time limit (and its point is then no floor for the next).

        `holds(point)`, when given, is the evaluator's word on a whole situation: True only
        where every formula holds there and the solver's constraints (the assumptions, `fixed`)
        admit it. Where the facts of a run can take their wanted values at the point reached,
        that is shown without a question; the answer is the same, as the first situation does
        not depend on the situations that led to it."""
        enc = self.enc_facts
        s = self.solver
        fixed = fixed or {}
        current = dict(situation)

        def feasible(extra) -> bool | None:
            self.questions += 1
            if not self._arm():
                return None
            s.push()
            try:
                assert_term(s, extra)
                r = check_under(s, self.lits)
                if r == z3.sat:
                    take(s.model())
                    return True
                return None if r == z3.unknown else False
            finally:
                s.pop()

        def ask(run: list[str]) -> list[int] | bool | None:
            """Can the facts of `run` all take their wanted value (with the facts fixed so
            far)? None: time limit; False: yes, and `current` is such a situation; else the
            positions in `run` of the facts of an unsat core."""
            if holds is not None:
                wanted = {**current, **{n: goal[n] for n in run}}
                if holds(wanted):
                    current.update(wanted)
                    return False
            self.questions += 1
            if not self._arm():
                return None
            r = check_under(s, [*self.lits, *[at_goal[n] for n in run]])
            if r == z3.unknown:
                return None
            if r == z3.sat:
                take(s.model())
                return False
            ids = unsat_core_ids(s)
            return [k for k, n in enumerate(run) if at_goal_id[n] in ids]

        current.update(fixed)
        if read is not None:
            current.update((n, v) for n, v in enc.firsts().items() if n not in read and n not in fixed)
        names = [n for n in self.facts if n not in fixed and (read is None or n in read)]
        if until is not None:
            names = names[:names.index(until) + 1] if until in names else []
        self._check_bounded(names)
        reading = set(names) if until is not None else read

        def take(model) -> None:
            # facts not read keep their first value, and fixed ones their value
            decoded = enc.decode(model, read=reading)
            current.update((n, decoded[n]) for n in (decoded if reading is None else reading) if n not in fixed)
        first = {n: first_value(self.facts[n].type) for n in names}
        if floor is not None and (until is not None or any(n not in floor for n in names)):
            floor = None
        s.push()
        try:
            for f in formulas:
                assert_term(s, f)
            for name, value in fixed.items():
                assert_term(s, enc.equals(name, value))

            def literals_at(point: dict, label: str, known: dict) -> dict:
                """`fact = its value at the point`, as a literal the solver can name in an
                unsat core (those in `known` where they say the same)."""
                out = {}
                for n in names:
                    if isinstance(self.facts[n].type, m.BoolType):
                        out[n] = enc.literal(n, point[n])
                    elif n in known and point[n] == first[n]:
                        out[n] = known[n]
                    else:
                        out[n] = boolean(f"{label}:{n}")
                        assert_term(s, implies(out[n], enc.equals(n, point[n])))
                return out
            at_first = literals_at(first, "first", {})
            # the value each fact is asked to take: its value at the floor while every fact
            # before it has its floor value (none can be less), its first value after
            goal = first if floor is None else floor
            at_goal = at_first if floor is None else literals_at(floor, "floor", at_first)
            at_goal_id = {n: ast_id(x) for n, x in at_goal.items()}
            i = 0
            while i < len(names):
                while i < len(names) and current[names[i]] == goal[names[i]]:
                    assert_term(s, enc.equals(names[i], current[names[i]]))
                    i += 1
                if i == len(names):
                    break
                # most facts can take their wanted value: find the longest run from here that
                # can all take it. One question when they all can; otherwise the end of the
                # run is near the last fact of the solver's unsat core, and found from there
                run = names[i:]
                answer = ask(run)
                if answer is None:
                    break
                if answer is False:
                    continue  # `current` has them all at their wanted value now
                def prefix(length: int):
                    answer = ask(run[:length])
                    if answer is None or answer is not False:
                        return None if answer is None else ("unsat", max(answer) + 1)
                    while length < len(run) and current[run[length]] == goal[run[length]]:
                        length += 1  # the model has more of them there
                    return "sat", length

                # names[i:i+high] cannot all be there; names[i:i+high-1] can, as `current` has them
                high = shortest_unsatisfiable(0, max(answer) + 1, prefix)
                if high is None:
                    break
                for name in names[i:i + high - 1]:
                    assert_term(s, enc.equals(name, goal[name]))
                i += high - 1
                # names[i] cannot take its wanted value: its least feasible one after it
                name = names[i]
                t = self.facts[name].type
                var = enc.vars[name]
                below = goal[name]  # it and every value before it are not feasible
                at = None if cuts is None or not isinstance(t, m.IntType) else cuts.get(name, ())
                if at is not None:
                    # the least feasible number is where a comparison changes: searched there
                    values = sorted({c for c in at if below < c < current[name]} | {current[name]})
                    lo, hi = 0, len(values) - 1  # the least feasible value is among values[lo..hi]
                    while lo < hi:
                        mid = (lo + hi) // 2
                        answer = feasible(var <= values[mid])
                        if answer is None:
                            break
                        if answer:
                            if current[name] not in values:  # a value between cuts: keep it a candidate
                                values = sorted({*values, current[name]})
                            hi = values.index(current[name])
                        else:
                            lo = mid + 1
                    if answer is not None and current[name] != values[lo]:
                        answer = feasible(var <= values[lo])  # a situation with it
                elif not isinstance(t, m.BoolType):  # a boolean that cannot be false is true
                    # the least feasible value (an enumeration by the order of its values)
                    index = (lambda v: v) if isinstance(t, m.IntType) else t.members.index
                    lo, hi = index(below) + 1, index(current[name])
                    while lo < hi:
                        mid = (lo + hi) // 2
                        answer = feasible(var <= mid)
                        if answer is None:
                            break
                        if answer:
                            hi = index(current[name])
                        else:
                            lo = mid + 1
                if answer is None:
                    break
                assert_term(s, enc.equals(name, current[name]))
                i += 1
                if goal is not first:  # past the floor: the facts after it can take any value
                    goal, at_goal = first, at_first
                    at_goal_id = {n: ast_id(x) for n, x in at_goal.items()}
            self.stopped_early = i < len(names)  # a time limit stopped it
            return current
        finally:
            s.pop()

    def generalise(self, situation: dict, prop: z3.BoolRef, relevant: list[str], fixed: dict,
                   cuts: dict | None = None, fails_at=None) -> tuple[Condition, ...]:
        """The facts that matter: a small conjunction of conditions, true of `situation`, under
        which `prop` holds in every situation (unsat of assumptions ∧ conditions ∧ ¬prop).

        Found by an unsat core over one literal per fact bound, shrunk by deletion, then
        each integer bound widened by binary search and each enumeration value grown to the
        set of all values that keep the property (asked at once, not value by value: an
        enumeration of thousands of values costs a few questions, not thousands). `cuts`
        (model.spec_cuts of everything `prop` and the assumptions name, when known) limits the
        search for a bound to the values where the fact's comparisons change.

        `fails_at(point)`, when given, is the evaluator's word that the property fails at a
        situation the solver's constraints allow (the assumptions hold there, and a slice's
        pin): a widening that takes in `situation` with one fact moved to such a point cannot
        keep the property, and is settled without a question. The answer is the same; only
        the widenings that may hold are asked.

        A question the time limit cuts short leaves its fact narrower than it could be (the
        conditions still hold of `situation` and keep the property); `generalised_partly`
        then says so, for callers that must not show such conditions as the facts that matter.
        """
        enc = self.enc_facts
        s = self.solver
        self._check_bounded(relevant)
        self.generalised_partly = False

        failing: dict[tuple, bool] = {}  # (fact, value): whether the property fails with it moved there

        def refuted(fact: str, value) -> bool:
            if fails_at is None:
                return False
            if (fact, value) not in failing:
                failing[fact, value] = fails_at({**situation, fact: value})
            return failing[fact, value]
        s.push()
        try:
            assert_term(s, negate(prop))
            for fact, value in fixed.items():
                assert_term(s, enc.equals(fact, value))
            bounds_of: list[tuple[str, str]] = []  # (fact, kind) of each literal
            for fact in relevant:
                if fact in fixed:
                    continue
                if isinstance(self.facts[fact].type, m.IntType):
                    bounds_of += [(fact, "low"), (fact, "high")]
                else:
                    bounds_of.append((fact, "eq"))
            literals: list[tuple[str, str, z3.BoolRef]] = []
            indicators = []
            for i, (fact, kind) in enumerate(bounds_of):
                formula, ind, implication = self._indicated(i, fact, kind, situation[fact])
                assert_term(s, implication)
                literals.append((fact, kind, formula))
                indicators.append(ind)

            def unsat_with(chosen) -> bool | None:
                core = self.conflict_in(chosen)
                if core is None:
                    self.generalised_partly = True
                return None if core is None else core is not False

            def moves(i: int) -> list[tuple]:
                """Literal i's fact moved just off it, as (fact, value): situations that meet
                every other literal."""
                fact, kind, _ = literals[i]
                t, v = self.facts[fact].type, situation[fact]
                if kind == "low":
                    values = [v - 1] if v > t.low else []
                elif kind == "high":
                    values = [v + 1] if v < t.high else []
                else:
                    values = [x for x in t.values() if x != v]
                return [(fact, x) for x in values]

            def shown_satisfiable(chosen: list[int]) -> bool:
                """Whether the evaluator finds a situation meeting the chosen literals where
                the property fails: one with a left-out literal's fact moved off it (those
                tried before are remembered; at most GUESSES new ones a question)."""
                inside = set(chosen)
                fresh = 0
                for i, its_moves in enumerate(moves_of):
                    if i in inside:
                        continue
                    if its_moves is None:
                        its_moves = moves_of[i] = moves(i)
                    for move in its_moves:
                        known = failing.get(move)
                        if known is None:
                            if fresh == GUESSES:
                                return False
                            fresh += 1
                            known = refuted(*move)
                        if known:
                            return True
                return False

            moves_of: list[list[tuple] | None] = [None] * len(literals)  # moves(i), once each

            core = self.preferred_core_of(indicators, shown_satisfiable if fails_at is not None else None)
            # None: cannot generalise (time limit), so every relevant fact is kept as it is
            kept = list(range(len(literals))) if core is None else core
            if core is None:
                self.generalised_partly = True
            bounds: dict[str, dict] = {}
            for i in kept:
                fact, kind, _ = literals[i]
                bounds.setdefault(fact, {})[kind] = i
            conditions = []
            counter = [0]

            def fresh(formula) -> z3.BoolRef:
                counter[0] += 1
                ind = boolean(f"widen:{counter[0]}")
                assert_term(s, implies(ind, formula))
                return ind

            # each fact is widened against the others as they stand: already widened facts
            # with their widened condition, the rest still at their point
            current: dict[str, list] = {}
            for k in kept:
                current.setdefault(literals[k][0], []).append(indicators[k])
            for fact in relevant:
                if fact not in bounds:
                    continue
                t = self.facts[fact].type
                others = [ind for f, inds in current.items() if f != fact for ind in inds]
                var = enc.vars[fact]
                v = situation[fact]
                if isinstance(t, m.BoolType):
                    conditions.append(Condition(fact, "bool", value=v))
                elif isinstance(t, m.IntType):
                    low = high = None
                    # the bounds searched: every value, or where the fact's comparisons change
                    # (no bound between two cuts can keep the property where the lower one fails)
                    at = None if cuts is None else cuts.get(fact, ())
                    if "low" in bounds[fact]:  # the smallest bound that keeps the property
                        lows = range(t.low, v + 1) if at is None else sorted({t.low, v, *(c for c in at if t.low < c < v)})
                        upper_lit = [indicators[bounds[fact]["high"]]] if "high" in bounds[fact] else []
                        lo, hi = 0, len(lows) - 1  # the property holds from lows[hi] on
                        while lo < hi:
                            mid = (lo + hi) // 2
                            if not refuted(fact, lows[mid]) and unsat_with(
                                    others + upper_lit + [fresh(var >= lows[mid])]) is True:
                                hi = mid
                            else:
                                lo = mid + 1
                        low = lows[lo] if lows[lo] > t.low else None
                    if "high" in bounds[fact]:  # the largest bound that keeps the property
                        lower = [fresh(var >= low)] if low is not None else []
                        highs = range(v, t.high + 1) if at is None else sorted({v, t.high, *(c - 1 for c in at if v < c - 1 < t.high)})
                        lo, hi = 0, len(highs) - 1  # the property holds up to highs[lo]
                        while lo < hi:
                            mid = (lo + hi + 1) // 2
                            if not refuted(fact, highs[mid]) and unsat_with(
                                    others + lower + [fresh(var <= highs[mid])]) is True:
                                lo = mid
                            else:
                                hi = mid - 1
                        high = highs[lo] if highs[lo] < t.high else None
                    widened = ([fresh(var >= low)] if low is not None else []) + (
                        [fresh(var <= high)] if high is not None else [])
                    current[fact] = widened
                    if low is None and high is None:
                        continue
                    conditions.append(Condition(fact, "range", low=low, high=high))
                else:
                    members = self._values_keeping(fact, v, others, refuted, fresh)
                    current[fact] = [fresh(self.one_of(fact, members))]
                    if len(members) == len(t.members):
                        continue
                    ordered = tuple(x for x in t.members if x in members)
                    conditions.append(Condition(fact, "set", members=ordered))
            return tuple(conditions)
        finally:
            s.pop()

    def _indicated(self, i: int, fact: str, kind: str, value) -> tuple[z3.BoolRef, z3.BoolRef, z3.BoolRef]:
        """generalise's literal i: the bound `kind` ("low", "high" or "eq") of `fact` at
        `value`, its indicator `lit:i`, and the indicator implying the bound; built once per
        session (every generalisation of a cover asks for most of them again), at most
        INDICATED kept."""
        key = (i, fact, kind, value)
        found = self._indicators.get(key)
        if found is None:
            var = self.enc_facts.vars[fact]
            formula = (var >= value if kind == "low" else var <= value if kind == "high"
                       else self.enc_facts.equals(fact, value))
            ind = boolean(f"lit:{i}")
            if len(self._indicators) >= INDICATED:
                self._indicators.clear()
            found = self._indicators[key] = (formula, ind, implies(ind, formula))
        return found

    def _values_keeping(self, fact: str, value: str, others: list, refuted, fresh) -> list[str]:
        """Inside generalise (its solver holds `¬prop`): every value of an enumeration that
        keeps the property with the other facts' conditions (`others`, literals), `value`
        among them. The property holds on a set of values iff it holds on each, so the set
        is asked at once: the evaluator first rules out each value where it sees the property
        fail (`refuted`), then the solver is asked whether it holds on all the rest, and each
        situation it finds where it does not shows one more value to leave out. Most facts
        take one question, and no question grows with the number of values tried before;
        asking value by value took a question each, every one larger than the last."""
        t = self.facts[fact].type
        var = self.enc_facts.vars[fact]
        candidates = [x for x in t.members if x == value or not refuted(fact, x)]
        while len(candidates) > 1:
            self.questions += 1
            if not self._arm():
                self.generalised_partly = True
                return [value]
            answer = check_under(self.solver, [*self.lits, *others, fresh(self.one_of(fact, candidates))])
            if answer == z3.unsat:
                return candidates
            if answer == z3.unknown:
                self.generalised_partly = True
                return [value]
            failing = t.members[self.solver.model().eval(var, model_completion=True).as_long()]
            if failing == value or failing not in candidates:  # `value` itself was never shown to keep it
                self.generalised_partly = True
                return [value]
            candidates.remove(failing)
        return candidates

    def one_of(self, fact: str, members) -> z3.BoolRef:
        """`fact` takes one of these values of its enumeration: a range for each run of
        consecutive values, so the formula stays small when thousands of values are in."""
        t = self.facts[fact].type
        var = self.enc_facts.vars[fact]
        wanted = set(members)
        runs: list[list[int]] = []
        for i in (i for i, x in enumerate(t.members) if x in wanted):
            if runs and runs[-1][1] == i - 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
        return any_of([self.enc_facts.equals(fact, t.members[lo]) if lo == hi else
                       all_of([var >= lo, var <= hi]) for lo, hi in runs])
