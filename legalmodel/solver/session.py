"""A solver session: one solver per question set. Owns the solver (built by encode.make_solver,
background constraints asserted once, assumptions passed as guarded literals so a conflict can
name them, each question in a push/pop scope), the bounds on the facts a question may name, and
conflicts (which assumptions or preferences cannot hold together). What it finds is made
readable by its two parts: search.py (least and general situations) and regions.py (regions
and the algebra of conditions). Used by the analyses of one spec and by the diff of two specs
over a shared vocabulary.
"""

from __future__ import annotations

import z3

from ..results import Condition
from ..semantics.encode import (Encoding, assert_all, assert_term, ast_id, boolean, check_under, implies,
                                make_solver, unsat_core_ids)
from .regions import Regions
from .search import Search, cuts_with, preferred_core  # noqa: F401  (cuts_with: the analyses' import)


class Unknown(Exception):
    """The solver could not decide a question within its time limit."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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
            raise Unknown(self.solver.reason_unknown() or "unknown")
        return result == z3.sat

    def sat(self, *formulas) -> z3.ModelRef | None:
        """A model, None when unsat; raises Unknown when the solver gives up."""
        result = self.check(*formulas)
        if result == z3.unknown:
            raise Unknown(self.solver.reason_unknown() or "unknown")
        return self._model if result == z3.sat else None


