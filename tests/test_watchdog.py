"""The time limit of a solver question, kept by one watchdog thread per process
(solver/cancel.py) instead of Z3's timer per check: a question over its limit is stopped and
said to have timed out, one within it is not, the solver stays usable, and a forked worker
keeps limits of its own."""

import multiprocessing
import time

import z3

from legalmodel.semantics.encode import check_under, make_solver, reason_unknown


def hard_solver(limit_ms: int) -> z3.Solver:
    """A solver whose question takes far longer than a second: 30 pigeons, 29 holes."""
    solver = make_solver(limit_ms)
    pigeons = [z3.Int(f"pigeon{i}") for i in range(30)]
    solver.add(z3.Distinct(pigeons), *[z3.And(p >= 0, p < 29) for p in pigeons])
    return solver


def ask_hard(limit_ms: int) -> tuple[str, str, float]:
    solver = hard_solver(limit_ms)
    started = time.monotonic()
    result = check_under(solver, [])
    return str(result), reason_unknown(solver), time.monotonic() - started


def ask_hard_then_easy(limit_ms: int) -> tuple[str, str, bool]:
    solver = hard_solver(limit_ms)
    first = check_under(solver, [])
    switch = z3.Bool("switch")
    solver.add(z3.Implies(switch, z3.BoolVal(False)))
    return str(first), str(check_under(solver, [switch])), solver.timed_out


def _answer(task, args, sender) -> None:
    sender.send(task(*args))


def in_child(task, *args):
    """`task(*args)` in a forked process, so that a watchdog that fails to stop the question
    fails the test (after a minute) instead of hanging it."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_answer, args=(task, args, sender))
    child.start()
    try:
        assert receiver.poll(60), "the question was not stopped within a minute"
        return receiver.recv()
    finally:
        child.kill()
        child.join()


def test_a_question_over_its_limit_is_stopped_and_said_to_time_out():
    result, reason, took = in_child(ask_hard, 200)
    assert (result, reason) == ("unknown", "timeout")
    assert took < 10


def test_the_solver_answers_again_after_a_stopped_question():
    # stopped, then answered (not stopped again), and not flagged as timed out
    assert in_child(ask_hard_then_easy, 200) == ("unknown", "unsat", False)


def test_a_question_within_its_limit_is_answered_and_not_flagged():
    # questions of microseconds, each under a limit of 200 ms, asked for three times that
    # long: a watchdog that still times a question after it ended would stop a later one
    solver = make_solver(200)
    x = z3.Int("x")
    solver.add(x > 3)
    until = time.monotonic() + 0.6
    while time.monotonic() < until:
        assert check_under(solver, []) == z3.sat
        assert not solver.timed_out


def started_then_forked(limit_ms: int) -> tuple[str, str, float]:
    """A watchdog started in this process, then a question in a child forked from it: the
    child inherits none of the watchdog's thread."""
    ask_hard(100)
    return in_child(ask_hard, limit_ms)


def test_a_forked_worker_keeps_its_own_limits():
    result, reason, took = in_child(started_then_forked, 200)
    assert (result, reason) == ("unknown", "timeout")
    assert took < 10
