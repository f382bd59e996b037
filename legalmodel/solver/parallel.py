"""Independent pieces of work shared among processes, and their results put back in order.

Owns `run_tasks`: a list of tasks (callables without arguments) run by up to `jobs` processes,
forked once everything the tasks read is built (a spec's encoding and solvers are inherited,
not rebuilt), each process taking the next task not yet taken until none is left. Where the
caller says which solver each task asks (an analysis's questions in one slice of the law),
the tasks of one solver lie next to each other, this process takes from the front and the
others from the end, so that each builds the solvers of its own end and only those where the
two ends meet are built twice. The results come back in the order of the tasks, whichever
process ran them, so the output is the same bytes with one process or many: every analysis
is written so that what it prints does not depend on what its solver was asked before
(search.Search.least, search.preferred_core), which is also what lets a task run in any
process.

Forking is used on Linux only, where it is cheap and safe with Z3 (its timer threads are
stopped before a fork); elsewhere, or with `jobs` 1, the tasks run one after another here.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import tempfile
from typing import Callable, Sequence

# more tasks than this are dealt in runs of consecutive tasks, a run at a time (each deal
# takes a lock: a few microseconds)
_MAX_DEALS = 16384
# where the tasks not yet taken begin and end in the order of dealing (_Deal)
_BOUNDS = struct.Struct("<II")


_in_worker = False


def in_worker() -> bool:
    """Whether this process is a worker of run_tasks (which should not write to the terminal)."""
    return _in_worker


def usable_cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class _Failed:
    """A task's exception, carried back to the caller to be raised there."""

    def __init__(self, error: BaseException):
        self.error = error


def run_tasks(tasks: Sequence[Callable[[], object]], jobs: int = 1, shared: Sequence[object] = (),
              first: Sequence[int] = (), last: Sequence[int] = (), solver_of: Sequence[int] | None = None,
              release: Callable[[int], None] | None = None) -> list:
    """Each task's result, in the order of `tasks`. When a task raises, the exception of the
    first such task (in the order of the tasks) is raised, after every task has run.

    `shared`: objects that exist before the fork and that results may refer to (the spec's
    source files, goals, examples): a result names them rather than copying them, and the
    caller gets back the very objects it holds. The tasks are dealt from a list: `first`, the
    indices of tasks at its front, then the others, then `last` backwards (its first task at
    the very end): the tasks expected to take longest, so that each process starts with one
    and none is left to run alone at the end. `solver_of`, when given, is a number for each
    task, the same for tasks that ask the same solver: the tasks between the ends are then in that
    order, and while this process takes from the front, the others take from the end (where
    `last` begins), so that each builds the solvers of its own end. Without it, every process
    takes from the front: a long task in the middle of the list (a diff's one pair of
    verdicts of hundreds of regions) is then started as soon as the tasks before it are.
    A worker that dies without reporting costs only time: the tasks it took are run again
    here.

    `release(solver)`, when given with `solver_of`, is called in a process once it will run
    no more tasks of that solver (a number of 0 or more; a negative one is of no solver or
    of several): alone, after its last task; among processes, when a process turns from
    one solver's tasks to another's, which it never goes back to (the tasks between the
    ends are in the order of their solvers). A task of several solvers that comes later
    builds a released one again: that costs time, never an answer."""
    jobs = min(jobs, len(tasks))
    solvers = (solver_of, release) if release is not None and solver_of is not None else (
        [-1] * len(tasks), lambda _solver: None)
    if jobs <= 1 or not can_fork():
        return _in_turn(tasks, solvers)
    front = list(dict.fromkeys(first))
    back = [i for i in dict.fromkeys(last) if i not in front]  # back[0] at the very end
    ends = {*front, *back}
    between = [i for i in range(len(tasks)) if i not in ends]
    if solver_of is not None:
        between.sort(key=solver_of.__getitem__)
    runs = _runs([*front, *between, *reversed(back)])
    try:
        deal = _Deal(len(runs))
    except OSError:  # no shared file to deal from: the tasks run one after another here
        return _in_turn(tasks, solvers)
    by_id = {id(x): x for x in shared}
    workers = []  # (pid, read end of its results)
    try:
        for _ in range(jobs - 1):
            result_read, result_write = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # a worker: never returns
                os.close(result_read)
                _work(tasks, runs, deal, result_write, by_id, from_end=solver_of is not None, solvers=solvers)
            os.close(result_write)
            workers.append((pid, result_read))
        results = _take(tasks, runs, deal, from_end=False, solvers=solvers)
        for pid, result_read in workers:
            with os.fdopen(result_read, "rb") as stream:
                try:
                    results.update(_Unpickler(stream, by_id).load())
                except Exception:  # noqa: BLE001 - the worker died; its tasks are run below
                    pass
            os.waitpid(pid, 0)
        workers = []
    finally:
        deal.close()
        for pid, result_read in workers:  # interrupted: the workers are not wanted any more
            _stop(pid, result_read)
    missing = [i for i in range(len(tasks)) if i not in results]
    for i in missing:
        results[i] = _attempt(tasks[i])
    return [_result(results[i]) for i in range(len(tasks))]


def _in_turn(tasks, solvers) -> list:
    """Each task's result, the tasks run one after another in this process; each solver
    released after its last task."""
    solver_of, release = solvers
    last = {solver: i for i, solver in enumerate(solver_of) if solver >= 0}
    values = []
    for i, task in enumerate(tasks):
        values.append(_attempt(task))
        if solver_of[i] >= 0 and last[solver_of[i]] == i:
            release(solver_of[i])
    return [_result(value) for value in values]


def _runs(order: list[int]) -> list[list[int]]:
    """The tasks dealt at once, in the order of dealing: one each, or runs of consecutive
    ones when there are more than _MAX_DEALS."""
    size = -(-len(order) // _MAX_DEALS)
    return [order[start:start + size] for start in range(0, len(order), size)]


def _attempt(task):
    try:
        return task()
    except Exception as error:  # noqa: BLE001 - carried to the caller, raised there in order
        return _Failed(error)


def _result(value):
    if isinstance(value, _Failed):
        raise value.error
    return value


class _Deal:
    """The runs of tasks not yet taken (numbered in the order of dealing), as the two
    positions where they begin and end, kept in a file every process shares, under a lock of
    that file: this process takes from the front, the others from the end. The kernel
    releases a process's lock when it ends, so a worker that dies cannot leave the others
    waiting. The file lives in memory (memfd), or in the temporary directory where that is
    missing."""

    def __init__(self, count: int):
        if hasattr(os, "memfd_create"):
            self.fd = os.memfd_create("legalmodel-deal")
        else:
            self.fd, path = tempfile.mkstemp(prefix="legalmodel-deal-")
            os.unlink(path)
        os.pwrite(self.fd, _BOUNDS.pack(0, count), 0)

    def next(self, from_end: bool) -> int | None:
        """The next run to take, from the end or the front; None when every run is taken."""
        import fcntl  # only where processes fork (can_fork)

        fcntl.lockf(self.fd, fcntl.LOCK_EX)
        try:
            front, end = _BOUNDS.unpack(os.pread(self.fd, _BOUNDS.size, 0))
            if front == end:
                return None
            taken = end - 1 if from_end else front
            os.pwrite(self.fd, _BOUNDS.pack(front, taken) if from_end else _BOUNDS.pack(front + 1, end), 0)
            return taken
        finally:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        os.close(self.fd)


def _take(tasks, runs, deal: _Deal, from_end: bool, solvers) -> dict[int, object]:
    """Run the tasks this process is dealt until none is left, releasing a solver when
    it turns to another's tasks."""
    solver_of, release = solvers
    results = {}
    held = -1
    while True:
        run = deal.next(from_end)
        if run is None:
            return results
        for i in runs[run]:
            if solver_of[i] >= 0 and solver_of[i] != held:
                if held >= 0:
                    release(held)
                held = solver_of[i]
            results[i] = _attempt(tasks[i])


def _work(tasks, runs, deal: _Deal, result_write, by_id, from_end: bool, solvers) -> None:
    """A worker's life: take tasks (from the end of the list, or its front), send their
    results, exit without running anything the parent registered to run at exit (its files,
    its test runner's teardown)."""
    global _in_worker
    _in_worker = True
    status = 0
    try:
        results = _take(tasks, runs, deal, from_end, solvers)
        with os.fdopen(result_write, "wb") as stream:
            _Pickler(stream, by_id).dump(results)
    except BaseException:  # noqa: BLE001 - the parent runs this worker's tasks again
        status = 1
    finally:
        os._exit(status)


def _stop(pid: int, result_read: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
    os.close(result_read)


class _Pickler(pickle.Pickler):
    def __init__(self, stream, by_id: dict):
        super().__init__(stream, pickle.HIGHEST_PROTOCOL)
        self.by_id = by_id

    def persistent_id(self, obj):
        # an object of the parent's, the same in the worker (a forked copy keeps addresses)
        return id(obj) if id(obj) in self.by_id and self.by_id[id(obj)] is obj else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, stream, by_id: dict):
        super().__init__(stream)
        self.by_id = by_id

    def persistent_load(self, pid):
        return self.by_id[pid]
