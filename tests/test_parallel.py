"""Sharing the analyses among processes (legalmodel.solver.parallel): the same output for any number
of processes, results in the tasks' order, errors raised as one process would raise them, and
a worker that dies costs time, not results."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import make_runner
from legalmodel.analyses.analyse import analyse
from legalmodel.cli import main
from legalmodel.analyses.diff import diff, without_provision
from legalmodel.solver.parallel import can_fork, in_worker, run_tasks
from legalmodel.pipeline import load_text
from legalmodel.reports.check import dumps, report_json
from legalmodel.reports.diff import diff_json

from strategies import spec_plans

REPO = Path(__file__).resolve().parent.parent
forking = pytest.mark.skipif(not can_fork(), reason="run_tasks forks on Linux only; elsewhere it runs tasks in turn")


def _meeting(marker: Path):
    """Two tasks that each return the process they ran in, the first waiting (up to a minute)
    until the second has started: with two processes, they run in different ones."""
    def first():
        for _ in range(600):
            if marker.exists():
                break
            time.sleep(0.1)
        return os.getpid()

    def second():
        marker.touch()
        return os.getpid()
    return [first, second]


def test_results_come_back_in_the_order_of_the_tasks():
    tasks = [lambda i=i: i * i for i in range(50)]
    assert run_tasks(tasks, 1) == run_tasks(tasks, 2) == run_tasks(tasks, 3) == [i * i for i in range(50)]


def test_results_come_back_in_order_when_tasks_are_dealt_in_runs(monkeypatch, tmp_path):
    """More tasks than parallel._MAX_DEALS are dealt in runs of consecutive ones (in the order
    of dealing, which the solvers they ask set): every task runs once, its result in place."""
    from legalmodel.solver import parallel
    monkeypatch.setattr(parallel, "_MAX_DEALS", 4)
    log = tmp_path / "ran"

    def task(i: int):
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{i}\n")
        return i * i

    results = run_tasks([lambda i=i: task(i) for i in range(50)], 2, first=[7], last=[3, 41],
                        solver_of=[(i * 7) % 5 for i in range(50)])
    assert results == [i * i for i in range(50)]
    assert sorted(int(x) for x in log.read_text(encoding="utf-8").split()) == list(range(50))


def test_without_a_file_to_deal_from_the_tasks_run_here(monkeypatch):
    """Where the shared file the tasks are dealt from cannot be made (no memfd, no writable
    temporary directory), the tasks run one after another in this process: the same results,
    no traceback."""
    from legalmodel.solver import parallel
    def refuse(*_args, **_kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(parallel.os, "memfd_create", refuse, raising=False)
    monkeypatch.setattr(parallel.tempfile, "mkstemp", refuse)
    assert run_tasks([lambda i=i: (i, os.getpid()) for i in range(5)], 2) == [(i, os.getpid()) for i in range(5)]


@forking
def test_two_jobs_run_tasks_in_two_processes(tmp_path):
    first, second = run_tasks(_meeting(tmp_path / "started"), 2)
    assert first != second
    assert os.getpid() in (first, second)


@forking
def test_the_tasks_named_first_are_handed_out_first(tmp_path):
    """With two processes and tasks 0, 1, 2, and no word on the solvers they ask, every
    process takes from the front: task 2 named first is taken with task 0; each waits (up to
    a minute) until the other has started, so task 1 starts last. In order, 2 would start
    last. The results still come back in the order of the tasks."""
    log = tmp_path / "started"

    def task(i: int, partner: int | None):
        def run():
            with open(log, "a", encoding="utf-8") as f:
                f.write(f"{i}\n")
            (tmp_path / f"started-{i}").touch()
            for _ in range(600 if partner is not None else 0):
                if (tmp_path / f"started-{partner}").exists():
                    break
                time.sleep(0.1)
            return i
        return run

    assert run_tasks([task(0, 2), task(1, None), task(2, 0)], 2, first=[2]) == [0, 1, 2]
    assert log.read_text(encoding="utf-8").split()[-1] == "1"


@forking
def test_this_process_takes_tasks_from_the_front_and_the_others_from_the_end(tmp_path):
    """The list dealt: task 4 (named first), then the others by the solver each asks (3, 2,
    5, 0), then task 1 (named last). This process takes from the front and the worker from
    the end; the two tasks taken at once each wait (up to a minute) until the other has
    started, so each process's tasks are fixed: 4, 3, 2 here, and 1, 0, 5 in the worker.
    The results still come back in the order of the tasks."""
    log = tmp_path / "started"
    partner = {4: 1, 1: 4, 3: 0, 0: 3, 2: 5, 5: 2}

    def task(i: int):
        def run():
            with open(log, "a", encoding="utf-8") as f:
                f.write(f"{os.getpid()} {i}\n")
            (tmp_path / f"started-{i}").touch()
            for _ in range(600):
                if (tmp_path / f"started-{partner[i]}").exists():
                    break
                time.sleep(0.1)
            return i
        return run

    results = run_tasks([task(i) for i in range(6)], 2, first=[4], last=[1], solver_of=[3, 0, 2, 1, 0, 2])
    assert results == list(range(6))
    taken: dict[str, list[int]] = {}
    for line in log.read_text(encoding="utf-8").split("\n")[:-1]:
        pid, i = line.split()
        taken.setdefault(pid, []).append(int(i))
    assert taken.pop(str(os.getpid())) == [4, 3, 2]
    assert list(taken.values()) == [[1, 0, 5]]


def test_one_process_releases_each_solver_after_its_last_task():
    """Memory stays bounded: a solver's questions done, it is let go, and not before."""
    events: list = []

    def task(i: int):
        return lambda: events.append(("ran", i)) or i

    solvers = [0, 1, 0, -1, 1, 2, -1]
    assert run_tasks([task(i) for i in range(7)], 1, solver_of=solvers,
                     release=lambda solver: events.append(("released", solver))) == list(range(7))
    assert events == [("ran", 0), ("ran", 1), ("ran", 2), ("released", 0), ("ran", 3), ("ran", 4),
                      ("released", 1), ("ran", 5), ("released", 2), ("ran", 6)]


@forking
def test_each_process_releases_a_solver_when_it_turns_to_another(tmp_path):
    """Among processes, the tasks between the ends are in the order of their solvers: a
    process that turns from one solver's tasks to another's never goes back, and lets the
    first go; no process releases a solver before it has run its last task of it."""
    log = tmp_path / "events"

    def note(line: str) -> None:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {line}\n")

    def task(i: int):
        return lambda: note(f"ran {solvers[i]}") or i

    solvers = [2, 0, 1, 1, 0, 2, 0, 1]
    assert run_tasks([task(i) for i in range(8)], 2, solver_of=solvers,
                     release=lambda solver: note(f"released {solver}")) == list(range(8))
    by_process: dict[str, list[str]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, event = line.split(" ", 1)
        by_process.setdefault(pid, []).append(event)
    for events in by_process.values():
        for n, event in enumerate(events):
            if event.startswith("released"):
                solver = event.split()[1]
                assert f"ran {solver}" in events[:n]
                assert f"ran {solver}" not in events[n:], events


@forking
def test_a_result_names_the_shared_objects_instead_of_copying_them(tmp_path):
    shared = {"a": "spec"}
    wait, go = _meeting(tmp_path / "started")
    results = run_tasks([lambda: (wait(), shared), lambda: (go(), shared)], 2, shared=[shared])
    assert {pid for pid, _ in results} != {os.getpid()}  # one of them came from the worker
    assert all(value is shared for _pid, value in results)


def test_the_first_failing_task_in_order_is_raised_after_all_have_run(tmp_path):
    def fail(message):
        raise ValueError(message)

    tasks = [lambda: 1, lambda: fail("second"), lambda: (tmp_path / "ran").touch(), lambda: fail("fourth")]
    for jobs in (1, 2):
        (tmp_path / "ran").unlink(missing_ok=True)
        with pytest.raises(ValueError, match="second"):
            run_tasks(tasks, jobs)
        if jobs == 1:
            assert (tmp_path / "ran").exists()


@forking
def test_the_tasks_of_a_worker_that_dies_are_run_again(tmp_path):
    wait, go = _meeting(tmp_path / "started")

    def dies_in_a_worker():
        go()
        if in_worker():
            os._exit(3)
        return "done here"

    assert run_tasks([wait, dies_in_a_worker, lambda: "last"], 2)[1:] == ["done here", "last"]


@settings(max_examples=25, deadline=None)
@given(spec_plans())
def test_any_number_of_processes_gives_the_same_report(plan):
    spec = load_text(plan.text, name="spec.lm")
    one = dumps(report_json(analyse(spec, jobs=1)))
    assert dumps(report_json(analyse(spec, jobs=2))) == one


@settings(max_examples=25, deadline=None)
@given(spec_plans(), st.data())
def test_any_number_of_processes_gives_the_same_diff(plan, data):
    spec = load_text(plan.text, name="spec.lm")
    if not spec.provisions:
        return
    taken_out = data.draw(st.sampled_from(sorted(spec.provisions)))
    smaller = without_provision(spec, taken_out)
    one = dumps(diff_json(diff(spec, smaller, jobs=1)))
    assert dumps(diff_json(diff(spec, smaller, jobs=2))) == one


@pytest.mark.parametrize("args", [
    ["diff", "specs/osl", "--from", "2016-10-05", "--to", "2023-01-01", "--format", "json"],
    ["diff", "specs/osl", "--amendment", "2020:575"],
    ["impact", "specs/osl", "10 kap. 18 a §", "--format", "json"],
])
def test_diff_and_impact_print_the_same_bytes_with_one_process_or_two(args, monkeypatch):
    monkeypatch.chdir(REPO)
    runner = make_runner()  # stdout apart from stderr, on any click allowed
    one = runner.invoke(main, [*args, "--jobs", "1"])
    two = runner.invoke(main, [*args, "--jobs", "2"])
    assert one.exit_code in (0, 1) and two.exit_code == one.exit_code, one.output
    assert two.stdout == one.stdout  # stderr may hold progress lines, which follow the clock


@pytest.mark.parametrize("args", [
    ["specs/osl", "--format", "json"],
    ["specs/osl", "--as-of", "2016-10-05", "--format", "json"],
    ["specs/osl", "--as-of", "2025-04-01", "--format", "sarif"],
    ["specs/", "--format", "text"],
])
def test_check_prints_the_same_bytes_with_one_process_or_two(args, monkeypatch):
    monkeypatch.chdir(REPO)
    runner = make_runner()  # stdout apart from stderr, on any click allowed
    one = runner.invoke(main, ["check", *args, "--jobs", "1"])
    two = runner.invoke(main, ["check", *args, "--jobs", "2"])
    assert one.exit_code in (0, 1) and two.exit_code == one.exit_code
    assert two.stdout == one.stdout  # stderr may hold progress lines, which follow the clock


def test_the_default_number_of_processes_follows_the_larger_spec(monkeypatch):
    """analyse.default_jobs: every core for small specs, at most two for large ones, one for
    the largest; a diff is sized by its larger version, not by both together."""
    from types import SimpleNamespace

    from legalmodel.analyses import analyse as analyse_module
    monkeypatch.setattr(analyse_module, "usable_cores", lambda: 8)

    def sized(n):
        return SimpleNamespace(provisions=dict.fromkeys(range(n)))

    assert analyse_module.default_jobs(sized(100)) == 8
    assert analyse_module.default_jobs(sized(1_900), sized(1_900)) == 8
    assert analyse_module.default_jobs(sized(10_243)) == 2
    assert analyse_module.default_jobs(sized(10_243), sized(10_243)) == 2  # the benchmark's 10,000 diff
    assert analyse_module.default_jobs(sized(20_001)) == 1
