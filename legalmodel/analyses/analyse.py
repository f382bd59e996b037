"""The plan of `check`: which analyses run, in what order, as tasks dealt among processes.

Scheduling lives here and only here. Each analysis is a function of a QueryContext
(context.py) in a module of its own, whose docstring states its question; `Analyser` is the
context with the plan: it runs every analysis as tasks (parallel.run_tasks shares them among
processes, dealing the tasks of one solver together and the longest first), puts their
findings back in the order one process gives them, and counts questions and seconds per
analysis.
"""

from __future__ import annotations

import functools

from ..law import model as m
from ..semantics.boxes import box_of, given_box
from ..solver.parallel import run_tasks, usable_cores
from ..solver.slices import WHOLE
from . import assumptions, examples, gaps, goals, overrides, pairs, provisions
from .context import ANY_SOLVER, QueryContext, Report, spec_sources


class Analyser(QueryContext):
    """A query context with the plan of `check`."""

    def run(self, jobs: int = 1, extra: tuple = ()) -> Report:
        """Every analysis in turn; `progress` is told each step and how far it is, and None
        when all are done. With `jobs` above 1 the analyses' pieces (each goal, each example,
        runs of overrides, `extra`) are shared among that many processes (parallel.run_tasks)
        and their findings put back in the order one process gives them. `extra`: pairs
        (step name, task) of more work to share, such as a check's contracts; their results
        go to `report.extra`, in order."""
        import time

        started = time.perf_counter()
        impossible = assumptions.impossible_assumptions(self)
        self.report.timings["assumptions"] = time.perf_counter() - started
        plan = [] if impossible else self._plan()
        plan += [(name, task, self.report.extra.append, ANY_SOLVER) for name, task in extra]
        questions = self.slices.questions()
        first, last = self._longest(plan)
        try:
            results = run_tasks([self._timed(name, task) for name, task, _finish, _solver in plan], jobs,
                                shared=self._shared(), first=first, last=last,
                                solver_of=[solver for _name, _task, _finish, solver in plan],
                                release=self.slices.release)
        finally:
            self.progress(None, 0, 0)
        for (name, _task, finish, _solver), (value, seconds, asked) in zip(plan, results):
            finish(value)
            self.report.timings[name] = self.report.timings.get(name, 0.0) + seconds
            questions += asked
        self.report.questions = questions
        return self.report

    def _longest(self, plan: list) -> tuple[list[int], list[int]]:
        """The tasks of the plan expected to take longest, to be handed out first
        (parallel.run_tasks), as (those for this process, those for the others): the goals no
        slice holds, asked of the whole spec (its solver is built for them), and the sweeps
        over every provision, which build the solver of every slice. This process then takes
        the other tasks from the front of the plan and the others from its end, so that the
        first slices' solvers are built here and the last ones' there, where the sweeps built
        them all (when both took from the front, most were built twice)."""
        goal_tasks = [i for i, (name, _task, _finish, _solver) in enumerate(plan) if name == "goals"]
        whole = [i for i, goal in zip(goal_tasks, self.spec.goals)
                 if self.slices.value_for(box_of(self.spec, goal.condition)) is WHOLE]
        sweeps = [i for i, (name, _task, _finish, _solver) in enumerate(plan)
                  if name in ("dead provisions", "contradictions", "collisions")]
        return whole, sweeps

    def _plan(self) -> list:
        """The analyses as tasks: (step name, task, what to do with its result, the solver it
        asks), in order. The solver is a slice group's (Slices.solver_of), or ANY_SOLVER for
        a task that asks the whole spec's or many (parallel.run_tasks deals the tasks of one
        solver together)."""
        spec = self.spec
        plan = [(name, functools.partial(self._captured, analysis, self), self._absorb, ANY_SOLVER)
                for name, analysis in (("dead provisions", provisions.dead_provisions),
                                       ("contradictions", pairs.contradictions), ("collisions", pairs.collisions),
                                       ("gaps", gaps.gaps))]
        plan += overrides.idle_override_tasks(self)
        plan += [("goals", functools.partial(self._captured, goals.goal, self, goal), self._absorb,
                  self.solver_for(self.slices.value_for(box_of(spec, goal.condition)))) for goal in spec.goals]
        plan += [("examples", functools.partial(self._captured, examples.example, self, example), self._absorb,
                  self.solver_for(self.slices.value_for(given_box(spec, dict(example.given)))))
                 for example in spec.examples]
        return plan

    def _timed(self, name: str, task):
        """A task that also returns the seconds it took and the questions it asked."""
        def timed():
            import time

            if self.step != name:
                self.step = name
                self.progress(name, 0, 0)
            started, asked = time.perf_counter(), self.slices.questions()
            value = task()
            return value, time.perf_counter() - started, self.slices.questions() - asked
        return timed

    def _captured(self, step, *args) -> tuple[list, list, list]:
        """What a step adds to the report (findings, goals, examples), taken out of it: the
        step may run in another process, and is put back in order by _absorb."""
        report = self.report
        marks = len(report.findings), len(report.goals), len(report.examples)
        step(*args)
        out = report.findings[marks[0]:], report.goals[marks[1]:], report.examples[marks[2]:]
        del report.findings[marks[0]:], report.goals[marks[1]:], report.examples[marks[2]:]
        return out

    def _absorb(self, captured: tuple[list, list, list]) -> None:
        found, goal_results, example_results = captured
        self.report.findings.extend(found)
        self.report.goals.extend(goal_results)
        self.report.examples.extend(example_results)

    def _shared(self) -> list:
        """What results may name rather than copy (parallel.run_tasks): the spec's goals and
        examples, and its source files."""
        return [*self.spec.goals, *self.spec.examples, *spec_sources(self.spec)]


# provisions of the largest spec analysed (of the two versions, for a diff): up to
# PARALLEL_UP_TO, one process per usable core; up to TWO_PROCESSES_UP_TO, at most two; above,
# one (unless told otherwise)
PARALLEL_UP_TO = 2_000
TWO_PROCESSES_UP_TO = 20_000


def default_jobs(*specs: m.CheckedSpec) -> int:
    """The processes `check` (or `diff`) shares its questions among unless told. Each
    process builds its own solvers, and they take most of the memory, so the larger the
    specs, the fewer. A diff is sized by its larger version, not by both: its solvers hold
    the provisions that differ and each version's goals, and it needs less memory than a
    check of one version (docs/performance.md: processes and memory)."""
    cores = usable_cores()
    largest = max(len(spec.provisions) for spec in specs)
    return cores if largest <= PARALLEL_UP_TO else min(cores, 2) if largest <= TWO_PROCESSES_UP_TO else 1


def analyse(spec: m.CheckedSpec, timeout_ms: int | None = 10_000, progress=None, slice_share: float = 0.5,
            jobs: int = 1, extra: tuple = ()) -> Report:
    """Run every analysis on a checked spec; `progress(step, done, total)` is told how far it
    is. `slice_share` says when a slice of the spec is small enough to ask (solver.session.Slices);
    `jobs` and `extra` are Analyser.run's."""
    return Analyser(spec, timeout_ms, progress, slice_share).run(jobs, extra)
