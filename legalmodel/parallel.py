"""Independent pieces of work shared among processes, and their results put back in order.

Owns `run_tasks`: a list of tasks (callables without arguments) run by up to `jobs` processes,
forked once everything the tasks read is built (a spec's encoding and solvers are inherited,
not rebuilt), each process taking the next task not yet taken until none is left. The
results come back in the order of the tasks, whichever process ran them, so the output is
the same bytes with one process or many: every analysis is written so that what it prints
does not depend on what its solver was asked before (solving.Session.least,
solving.preferred_core), which is also what lets a task run in any process.

Forking is used on Linux only, where it is cheap and safe with Z3 (its timer threads are
stopped before a fork); elsewhere, or with `jobs` 1, the tasks run one after another here.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import Callable, Sequence

# the tasks are dealt through a pipe as fixed-size records written before the fork: a read
# of one record is atomic (the kernel holds the pipe's lock for the whole read), and a pipe
# holds 64 KiB before its writer would block, so longer lists are dealt in runs of tasks
_RECORD = 4
_MAX_RECORDS = 65536 // _RECORD


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
              first: Sequence[int] = ()) -> list:
    """Each task's result, in the order of `tasks`. When a task raises, the exception of the
    first such task (in the order of the tasks) is raised, after every task has run.

    `shared`: objects that exist before the fork and that results may refer to (the spec's
    source files, goals, examples): a result names them rather than copying them, and the
    caller gets back the very objects it holds. `first`: the indices of tasks to hand out
    before the others, those expected to take longest, so that none is left to run alone at
    the end. A worker that dies without reporting costs only time: the tasks it took are run
    again here."""
    jobs = min(jobs, len(tasks))
    if jobs <= 1 or not can_fork():
        return [_result(value) for value in [_attempt(task) for task in tasks]]
    runs = _runs(len(tasks))
    early = {r for r, run in enumerate(runs) if any(i in run for i in first)}
    order = sorted(range(len(runs)), key=lambda r: r not in early)
    deal_read, deal_write = os.pipe()
    os.write(deal_write, b"".join(r.to_bytes(_RECORD, "little") for r in order))
    os.close(deal_write)
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
                _work(tasks, runs, deal_read, result_write, by_id)
            os.close(result_write)
            workers.append((pid, result_read))
        results = _take(tasks, runs, deal_read)
        for pid, result_read in workers:
            with os.fdopen(result_read, "rb") as stream:
                try:
                    results.update(_Unpickler(stream, by_id).load())
                except Exception:  # noqa: BLE001 - the worker died; its tasks are run below
                    pass
            os.waitpid(pid, 0)
        workers = []
    finally:
        os.close(deal_read)
        for pid, result_read in workers:  # interrupted: the workers are not wanted any more
            _stop(pid, result_read)
    missing = [i for i in range(len(tasks)) if i not in results]
    for i in missing:
        results[i] = _attempt(tasks[i])
    return [_result(results[i]) for i in range(len(tasks))]


def _runs(count: int) -> list[range]:
    """The tasks dealt as one record: one each, or consecutive runs when there are more
    tasks than a pipe holds records."""
    size = -(-count // _MAX_RECORDS)
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _attempt(task):
    try:
        return task()
    except Exception as error:  # noqa: BLE001 - carried to the caller, raised there in order
        return _Failed(error)


def _result(value):
    if isinstance(value, _Failed):
        raise value.error
    return value


def _take(tasks, runs, deal_read) -> dict[int, object]:
    """Run the tasks this process is dealt until none is left."""
    results = {}
    while True:
        record = os.read(deal_read, _RECORD)
        if len(record) < _RECORD:
            return results
        for i in runs[int.from_bytes(record, "little")]:
            results[i] = _attempt(tasks[i])


def _work(tasks, runs, deal_read, result_write, by_id) -> None:
    """A worker's life: take tasks, send their results, exit without running anything the
    parent registered to run at exit (its files, its test runner's teardown)."""
    global _in_worker
    _in_worker = True
    status = 0
    try:
        results = _take(tasks, runs, deal_read)
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
