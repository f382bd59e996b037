"""A solver session: one solver per question set. Owns the solver (built by encode.make_solver,
background constraints asserted once, assumptions passed as guarded literals so a conflict can
name them, each question in a push/pop scope), the bounds on the facts a question may name, and
conflicts (which assumptions or preferences cannot hold together). What it finds is made
readable by its two parts: search.py (least and general situations) and regions.py (regions
and the algebra of conditions). Used by the analyses of one spec and by the diff of two specs
over a shared vocabulary.
"""

from __future__ import annotations

import time

import z3

from ..results import Condition
from ..semantics.encode import (Encoding, assert_all, assert_term, ast_id, boolean, check_under, implies,
                                make_solver, reason_unknown, unsat_core_ids)
from .regions import Regions
from .search import Search, cuts_with, preferred_core  # noqa: F401  (cuts_with: the analyses' import)


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


class Session(Search, Regions):
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
        self._cubes: dict[tuple[Condition, ...], z3.BoolRef] = {}  # see Regions.cube_formula
        self._indicators: dict[tuple, tuple] = {}  # see Search._indicated
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
        own = int(self.timeout_ms) if self.timeout_ms else None
        left = self.deadline.left_ms()
        if left is None:
            self.solver.limit_ms = own
            return True
        if left < 1:  # a limit of 0 is none at all
            return False
        self.solver.limit_ms = min(left, own) if own else left
        return True

    def unknown_reason(self) -> str:
        """Why the last question was not decided."""
        return self.deadline.why(reason_unknown(self.solver))

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
        (time limit), False (a situation is left), or the identities (ast_id) of the literals in an
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


