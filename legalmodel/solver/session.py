"""A solver session: one solver per question set, and what makes its answers readable.

Owns the solver (built by encode.make_solver, background constraints asserted once,
assumptions passed as guarded literals so a conflict can name them, each question in a
push/pop scope) and the generalisation of a concrete situation to the facts that matter: a
conjunction of `Condition`s under which a property holds whatever the other facts are. Used
by the analyses of one spec and by the diff of two specs over a shared vocabulary.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import z3

from ..law import model as m
from ..results import Condition
from ..semantics.boxes import disjoint, intersect
from ..semantics.encode import (Encoding, all_of, any_of, assert_all, assert_term, ast_id, boolean, check_under,
                                first_value, implies, make_solver, negate, unsat_core_ids)


# how many situations generalisation lets the evaluator try before a question of a conflict is
# asked of the solver (Session.generalise)
GUESSES = 4

# how many exceptions a region of a diff's cover may take on to drop one condition (Session.widen)
EXCEPTIONS = 3


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


class Unknown(Exception):
    """The solver could not decide a question within its time limit."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Deadline:
    """A time limit shared by every question of one request (explain's `--timeout`), started
    anew for each: each question may take what is left of it, and none is asked once it has
    passed, so the request's wall time is bounded however many questions it needs. The
    sessions of one spec (its slices, the whole spec) share one; outside a request it is off
    and each question has the session's own limit."""

    def __init__(self):
        self.seconds: float | None = None
        self.what = "question"
        self._at = 0.0
        self.used = False  # once started, every question sets its own limit (the last may be short)

    def start(self, seconds: float, what: str = "question") -> None:
        self.seconds, self._at, self.used, self.what = seconds, time.monotonic() + seconds, True, what

    def stop(self) -> None:
        self.seconds = None

    def left_ms(self) -> int | None:
        """What is left, in milliseconds; None while no deadline runs."""
        return None if self.seconds is None else int((self._at - time.monotonic()) * 1000)

    @property
    def reason(self) -> str:
        return f"the time limit of {self.seconds:g} s for the whole {self.what} ran out"

    def why(self, solver_reason: str | None) -> str:
        """Why a question was not decided: the deadline, where it has passed."""
        left = self.left_ms()
        return self.reason if left is not None and left < 1 else solver_reason or "unknown"

    def limit_ms(self, own: int | None) -> int | None:
        """The limit for one more question of a solver whose own limit per question is
        `own`: what is left, at most `own`; raises Unknown once the deadline has passed."""
        left = self.left_ms()
        if left is None:
            return own
        if left < 1:
            raise Unknown(self.reason)
        return min(left, own) if own else left


# Z3's own value for "no time limit"
NO_LIMIT_MS = 4294967295


class Session:
    """A solver over one vocabulary of facts (`facts_encoding` gives variables and values)."""

    def __init__(self, facts_encoding: Encoding, background: list, assumptions: list, timeout_ms: int | None,
                 tally: list[int] | None = None):
        """`tally` is a counter shared by several sessions (the slices of one spec), one item
        long, that counts the questions of them all."""
        self.tally = tally if tally is not None else [0]
        self._questions = 0
        self.enc_facts = facts_encoding
        self.facts = facts_encoding.facts
        self.timeout_ms = timeout_ms
        self.solver = make_solver(timeout_ms)
        assert_all(self.solver, background)
        self.assume_lits = []
        for i, formula in enumerate(assumptions):
            lit = boolean(f"assume:{i}")
            assert_term(self.solver, implies(lit, formula))
            self.assume_lits.append(lit)
        self.lits = self.assume_lits  # assumed in every question: the spec's assumptions, and a pin
        self._model = None
        self.stopped_early = False  # whether the last `least` stopped at a time limit
        self.generalised_partly = False  # whether the last `generalise` kept facts for want of time
        self.deadline = Deadline()  # replaced by the one its spec's sessions share (Slices)
        self._outside: dict[tuple[Condition, ...], z3.BoolRef] = {}
        self.bounded: set[str] | None = None  # the facts whose ranges the solver holds (None: all)

    def bound(self, facts) -> None:
        """Give the solver the ranges of these facts where it lacks them. A slice's solver
        holds the ranges of the facts its provisions name, and gets those of the facts its
        questions name when they are first named (a hundred ranges cost a solver more than its
        provisions). Only between questions, at the solver's first level, so they stay."""
        if self.bounded is None:
            return
        missing = [f for f in facts if f not in self.bounded and f in self.enc_facts.domain_of]
        if not missing:
            return
        if z3.Z3_solver_get_num_scopes(self.solver.ctx.ref(), self.solver.solver):
            raise AssertionError("ranges can only be added between questions")
        for f in missing:
            assert_term(self.solver, self.enc_facts.domain_of[f])
            self.bounded.add(f)

    def _check_bounded(self, facts) -> None:
        if self.bounded is not None and any(f not in self.bounded and f in self.enc_facts.domain_of for f in facts):
            raise AssertionError(f"a question names facts whose ranges the solver lacks: {sorted(facts)}")

    def _arm(self) -> bool:
        """Whether one more question may be asked: with a deadline, only before it has
        passed, and the solver's limit for the question is then what is left of it."""
        if not self.deadline.used:
            return True
        own = int(self.timeout_ms) if self.timeout_ms else NO_LIMIT_MS
        left = self.deadline.left_ms()
        if left is None:
            self.solver.set("timeout", own)
            return True
        if left < 1:  # Z3 reads a limit of 0 as none at all
            return False
        self.solver.set("timeout", min(left, own))
        return True

    def unknown_reason(self) -> str:
        """Why the last question was not decided."""
        return self.deadline.why(self.solver.reason_unknown())

    def pinned(self, pin: z3.BoolRef) -> "Session":
        """A session on this one's solver that also assumes `pin` in every question (a
        literal the solver already defines): the questions of one slice of several that share
        a solver. It counts its questions in the same tally."""
        view = object.__new__(Session)
        view.__dict__.update(self.__dict__)
        view._questions = 0
        view._model = None
        view.lits = [*self.assume_lits, pin]
        return view

    @property
    def questions(self) -> int:
        """How many questions this session has asked the solver."""
        return self._questions

    @questions.setter
    def questions(self, count: int) -> None:
        self.tally[0] += count - self._questions
        self._questions = count

    def check(self, *formulas, extra_lits=(), want_model: bool = True) -> z3.CheckSatResult:
        """Is there a situation (under the assumptions) where all formulas hold? Reading the
        model back costs about as much as the question, so `want_model=False` skips it."""
        self.questions += 1
        if not self._arm():
            return z3.unknown
        self.solver.push()
        try:
            for f in formulas:
                assert_term(self.solver, f)
            result = check_under(self.solver, [*self.lits, *extra_lits])
            if result == z3.sat and want_model:
                self._model = self.solver.model()
            return result
        finally:
            self.solver.pop()

    def conflict_in(self, literals: list, base: list | None = None) -> list | bool | None:
        """Whether `base` (the session's assumptions, unless given) and `literals` (Boolean
        constants, or their negations) leave no situation, with what the solver holds: None
        (time limit), False (a situation is left), or the ids (ast_id) of the literals in an
        unsat core (a part of `literals` that leaves none)."""
        self.questions += 1
        if not self._arm():
            return None
        result = check_under(self.solver, [*(self.lits if base is None else base), *literals])
        if result == z3.unknown:
            return None
        if result == z3.sat:
            return False
        return unsat_core_ids(self.solver)

    def preferred_core_of(self, literals: list, shown_satisfiable=None, base: list | None = None
                          ) -> list[int] | None:
        """preferred_core over `literals`, by their index, asked with the solver's cores.
        `shown_satisfiable(chosen)`, when given, may settle that some indices leave a
        situation without asking (a situation the evaluator checked)."""
        where = {ast_id(x): i for i, x in enumerate(literals)}

        def conflict_in(chosen: list[int]):
            if shown_satisfiable is not None and shown_satisfiable(chosen):
                return False
            core = self.conflict_in([literals[i] for i in chosen], base)
            return core if core is None or core is False else [where[x] for x in core if x in where]

        return preferred_core(list(range(len(literals))), conflict_in)

    def blame(self, *formulas) -> list[int] | None:
        """Which assumptions (by index, a minimal set chosen by declaration order) leave no
        situation where all formulas hold; None when there is one or the time limit struck."""
        self.solver.push()
        try:
            for f in formulas:
                assert_term(self.solver, f)
            return self.preferred_core_of(self.assume_lits, base=self.lits[len(self.assume_lits):])
        finally:
            self.solver.pop()

    def possible(self, *formulas) -> bool:
        """Whether some situation meets all formulas; raises Unknown when the solver gives up."""
        result = self.check(*formulas, want_model=False)
        if result == z3.unknown:
            raise Unknown(self.unknown_reason())
        return result == z3.sat

    def sat(self, *formulas) -> z3.ModelRef | None:
        """A model, None when unsat; raises Unknown when the solver gives up."""
        result = self.check(*formulas)
        if result == z3.unknown:
            raise Unknown(self.unknown_reason())
        return self._model if result == z3.sat else None


    def least(self, situation: dict, formulas: list, fixed: dict | None = None, until: str | None = None,
              read: set[str] | None = None, cuts: dict | None = None, floor: dict | None = None) -> dict:
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
        stopped at a time limit (and its point is then no floor for the next)."""
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
                    var = enc.vars[n]
                    if isinstance(self.facts[n].type, m.BoolType):
                        out[n] = var if point[n] else negate(var)
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
        enumeration of thousands of values costs a few questions, not thousands). `cuts` (model.spec_cuts of everything
        `prop` and the assumptions name, when known) limits the search for a bound to the
        values where the fact's comparisons change.

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
            literals: list[tuple[str, str, z3.BoolRef]] = []
            for fact in relevant:
                if fact in fixed:
                    continue
                t = self.facts[fact].type
                v = situation[fact]
                var = enc.vars[fact]
                if isinstance(t, m.IntType):
                    literals.append((fact, "low", var >= v))
                    literals.append((fact, "high", var <= v))
                else:
                    literals.append((fact, "eq", enc.equals(fact, v)))
            indicators = []
            for i, (_f, _k, formula) in enumerate(literals):
                ind = boolean(f"lit:{i}")
                assert_term(s, implies(ind, formula))
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
                for i in range(len(literals)):
                    if i in inside:
                        continue
                    for move in moves(i):
                        if move not in failing:
                            if fresh == GUESSES:
                                return False
                            fresh += 1
                        if refuted(*move):
                            return True
                return False

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

    def widen(self, situation: dict, conditions: tuple[Condition, ...], prop: z3.BoolRef, relevant: list[str],
              cuts: dict | None, holds_at) -> tuple[Condition, ...]:
        """A larger region around `situation` where `prop` holds throughout, grown from the
        generalised `conditions` (all true of `situation`): each condition is dropped, in
        order, where the situations it shuts out include some where `prop` holds, and what
        the dropped condition let in where `prop` fails is shut out again by at most
        EXCEPTIONS exceptions (kind "except"): each a cube (generalise) that holds every such
        situation around the first one left. A condition whose drop needs more is kept.

        Where the changed situations are a product of independent choices (a provision that
        applies only where a dozen others, each failing in two or three ways, do not), a
        list of plain conjunctions needs one item per combination (616 for the real law's
        2025 amendments); this needs one, with an exception per rule. The region stays exact:
        a drop is kept only once the solver shows no situation of the region where `prop`
        fails. `holds_at(point)` is the evaluator's word on the property at a point: None
        where the solver's constraints exclude it, else whether `prop` holds there."""
        current = list(conditions)
        for dropped in conditions:
            rest = [c for c in current if c != dropped]
            if not self.possible(prop, self.cube_formula(tuple(rest)), negate(self.cube_formula((dropped,)))):
                continue  # every situation the condition shuts out lies outside the property
            exceptions: list[Condition] = []
            for _ in range(EXCEPTIONS + 1):
                region = tuple(rest + exceptions)
                inside = self.cube_formula(region)
                model = self.sat(inside, negate(prop))
                if model is None:
                    current = list(region)
                    break
                if len(exceptions) == EXCEPTIONS:
                    break
                point = self.least(self.enc_facts.decode(model), [inside, negate(prop)],
                                   cuts=cuts_with(cuts, region))

                def excluded_at(p: dict, region=region) -> bool:  # the cube's property fails there
                    return all(c.admits(p) for c in region) and holds_at(p) is True
                cube = self.generalise(point, negate(all_of(inside, prop)), relevant, {}, cuts_with(cuts, region),
                                       excluded_at)
                if not cube:  # no situation of the region keeps the property: it cannot grow this way
                    break
                cube = tuple(replace(c, universe=tuple(self.facts[c.fact].type.members)) if c.kind == "set" else c
                             for c in cube)  # said by the values left out where they are fewer
                exceptions.append(Condition(cube[0].fact, "except", cube=cube))
        return self.simplified(tuple(current))

    def simplified(self, conditions: tuple[Condition, ...]) -> tuple[Condition, ...]:
        """The same region, said more plainly: conditions on one fact met in one, a part of an
        exception's cube that the plain conditions make true left out, an exception they
        rule out or that a smaller exception implies dropped, an exception of one condition
        made a plain condition (its negation) where it is one. The plain conditions come
        first, in the order of the facts, then the exceptions in the order found."""
        plain: dict[str, Condition] = {}
        exceptions: list[Condition] = []
        pending = list(conditions)
        while pending:
            for c in pending:
                if c.kind != "except":
                    plain[c.fact] = c if c.fact not in plain else self._meet(plain[c.fact], c)
                elif c not in exceptions:
                    exceptions.append(c)
            pending = []
            kept = []
            for exception in exceptions:
                if any(a.fact in plain and self._disjoint(plain[a.fact], a) for a in exception.cube):
                    continue  # the plain conditions leave no situation of its cube
                cube = tuple(self._plainer(a, plain.get(a.fact)) for a in exception.cube
                             if not (a.fact in plain and self._within(plain[a.fact], a)))
                negation = self._negation(cube[0]) if len(cube) == 1 else None
                if negation is not None:
                    pending.append(negation)
                elif cube:
                    kept.append(exception if cube == exception.cube else Condition(cube[0].fact, "except", cube=cube))
                else:  # unreachable for a region with a witness: kept as it is
                    kept.append(exception)
            exceptions = [c for c in kept if not any(o != c and set(o.cube) < set(c.cube) for o in kept)]
        order = {f: i for i, f in enumerate(self.facts)}
        return tuple(sorted(plain.values(), key=lambda c: order[c.fact])) + tuple(exceptions)

    def _plainer(self, part: Condition, plain: Condition | None) -> Condition:
        """A part of an exception's cube, met with the region's plain condition on its fact
        where that says it with fewer values (the same situations of the region)."""
        if plain is None:
            return part
        met = self._meet(plain, part)
        if part.kind != "set":
            return met
        listed = lambda c: len(c.excluded) if c.excluded is not None else len(c.members)  # noqa: E731
        return met if listed(met) < listed(part) else part

    def _negation(self, c: Condition) -> Condition | None:
        """The situations where a plain condition fails, as one plain condition (None when
        it takes two: a range bounded on both sides)."""
        t = self.facts[c.fact].type
        if c.kind == "bool":
            return Condition(c.fact, "bool", value=not c.value)
        if c.kind == "range":
            if c.low is not None and c.high is not None:
                return None
            return Condition(c.fact, "range", high=c.low - 1) if c.low is not None else Condition(
                c.fact, "range", low=c.high + 1)
        others = tuple(x for x in t.members if x not in c.members)
        return Condition(c.fact, "set", members=others, universe=tuple(t.members))

    def _allowed(self, c: Condition):
        """The values a plain condition allows its fact, as a box does (boxes.py)."""
        t = self.facts[c.fact].type
        if c.kind == "range":
            return (t.low if c.low is None else c.low, t.high if c.high is None else c.high)
        return frozenset([c.value]) if c.kind == "bool" else frozenset(c.members)

    def _within(self, a: Condition, b: Condition) -> bool:
        """Whether every value plain condition `a` allows, `b` allows (one fact)."""
        return b.holds_throughout(self._allowed(a))

    def _disjoint(self, a: Condition, b: Condition) -> bool:
        return disjoint({a.fact: self._allowed(a)}, {b.fact: self._allowed(b)})

    def _meet(self, a: Condition, b: Condition) -> Condition:
        """Both plain conditions on one fact, as one (they share a value: each region's
        conditions hold at its witness)."""
        if self._within(a, b):
            return a
        if self._within(b, a):
            return b
        allowed = intersect({a.fact: self._allowed(a)}, {b.fact: self._allowed(b)})[a.fact]
        t = self.facts[a.fact].type
        if a.kind == "range":
            return Condition(a.fact, "range", low=None if allowed[0] == t.low else allowed[0],
                             high=None if allowed[1] == t.high else allowed[1])
        # not a boolean: two that share their one value are the same, and `within` settled them
        return Condition(a.fact, "set", members=tuple(x for x in t.members if x in allowed),
                         universe=a.universe or b.universe)

    def outside(self, conditions: tuple[Condition, ...]) -> z3.BoolRef:
        """The negation of cube_formula: the situations outside a region found before (a
        cover of hundreds of regions asks for it again with every region after). Asked
        between questions, it is a literal that the solver holds implies the negation, so
        that each question after asserts a constant instead of a formula to take apart
        again (the 2025 diff of the real law asserted 66,000 terms). That literal means the
        negation only to this session's solver; a formula for another solver is built from
        cube_formula."""
        term = self._outside.get(conditions)
        if term is None:
            term = negate(self.cube_formula(conditions))
            if not z3.Z3_solver_get_num_scopes(self.solver.ctx.ref(), self.solver.solver):
                literal = boolean(f"outside:{len(self._outside)}")  # one dict per solver
                assert_term(self.solver, implies(literal, term))
                term = literal
            self._outside[conditions] = term
        return term

    def cube_formula(self, conditions: tuple[Condition, ...]) -> z3.BoolRef:
        parts = []
        for c in conditions:
            var = self.enc_facts.vars[c.fact]
            if c.kind == "bool":
                parts.append(var if c.value else negate(var))
            elif c.kind == "range":
                if c.low is not None:
                    parts.append(var >= c.low)
                if c.high is not None:
                    parts.append(var <= c.high)
            elif c.kind == "except":
                parts.append(negate(self.cube_formula(c.cube)))
            else:
                parts.append(any_of([self.enc_facts.equals(c.fact, x) for x in c.members]))
        return all_of(parts) if parts else z3.BoolVal(True)


    def regions(self, prop: z3.BoolRef, make_evidence, limit: int, fixed: dict | None = None,
                diversify: bool = False, box: dict | None = None) -> list:
        """Up to `limit` situations where `prop` holds, each outside the conditions of those
        before; `make_evidence(model, earlier, prefer)` turns a model into evidence with
        `.conditions`; `earlier` holds the conditions found before, which a plainer witness must
        stay outside of, and `prefer` formulas the witness should also meet.
        With no limit (None) this enumerates a complete cover of `prop`.

        With `diversify`, each next situation also differs from the earlier ones in as many of
        the conditions that mattered there as it can (tried one by one, in order), so that a
        few counterexamples show different reasons rather than variations of one. `box` is a
        box (boxes.py) every situation where `prop` holds lies in: a condition that holds
        throughout it cannot be differed from, and is not asked about."""
        found: list = []
        outside: list[z3.BoolRef] = []
        base = [prop] + ([all_of([self.enc_facts.equals(f, v) for f, v in fixed.items()])] if fixed else [])
        while limit is None or len(found) < limit:
            prefer: list[z3.BoolRef] = []
            if diversify and found:
                if not self.possible(*base, *outside):
                    break
                tried = set()
                for ev in found:
                    for c in ev.conditions:
                        if (fixed and c.fact in fixed) or c in tried or (
                                box and c.fact in box and c.holds_throughout(box[c.fact])):
                            continue
                        tried.add(c)
                        # a formula, not this solver's literal (outside): the witness may be
                        # sought in a slice's solver (context.QueryContext.evidence)
                        other = negate(self.cube_formula((c,)))
                        if self.check(*base, *outside, *prefer, other) == z3.sat:
                            prefer.append(other)
            model = self.sat(*base, *outside, *prefer)
            if model is None:
                break
            ev = make_evidence(model, [e.conditions for e in found], prefer)
            found.append(ev)
            self.bound(f for c in ev.conditions for f in c.facts)  # the questions after name them
            outside.append(self.outside(ev.conditions))
            if not ev.conditions:
                break
        return found
