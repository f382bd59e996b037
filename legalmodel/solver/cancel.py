"""Stopping a solver question from outside it: a question over its time limit, and every
question of a request that is no longer wanted (the language server's check of a text the
drafter has since edited). Every check goes through encode.check_under, which brackets it
with `begin_question` and `end_question`.

**Time limits.** Z3's own limit per check (its `timeout` parameter) wakes a timer thread to
start and to stop every check, which costs more than most of legalmodel's questions do
(docs/performance.md). Here one watchdog thread per process sleeps until the earliest limit
of the questions running, and interrupts the context of one still running then. It is woken
for a question only when that question's limit comes before its next wake-up, which is
rare: the limits are seconds, the questions are not.

**Cancelled requests.** The request runs on one thread inside `cancellable(event)`; once the
event is set, the next solver question that thread asks raises `Cancelled`, and the question
already running is stopped by interrupting Z3's context (`stop`). Nothing of the request's
answer survives, so nothing partial is ever shown as its result.

Either interrupt is made only while the question is registered as running, under the lock
that `end_question` takes: an interrupt while Z3 builds terms or asserts them leaves the
context unusable."""

from __future__ import annotations

import math
import os
import threading
import time
from contextlib import contextmanager

import z3

_current = threading.local()
_lock = threading.Lock()
_asking: set[threading.Event] = set()  # the requests whose thread is inside a Z3 check now


class Cancelled(Exception):
    """The request was cancelled before it finished: there is no answer."""


class Question:
    """One check under way: the request it is part of (None: none that can be cancelled), the
    context to interrupt, when its time limit runs out (None: never), and whether the
    watchdog stopped it there."""

    __slots__ = ("event", "context", "until", "timed_out")

    def __init__(self, event: threading.Event | None, context, until: float | None):
        self.event, self.context, self.until, self.timed_out = event, context, until, False


class _Watchdog:
    """The thread that interrupts a question once its limit has passed. Started at the first
    limited question of a process (a forked worker starts its own: threads do not survive a
    fork)."""

    def __init__(self):
        self.running: set[Question] = set()  # the limited questions under way
        self.wake_at = math.inf  # when the thread next looks, unless woken before
        self.wakeup = threading.Condition(_lock)
        self.thread: threading.Thread | None = None

    def add(self, question: Question) -> None:
        """Under _lock."""
        self.running.add(question)
        if question.until < self.wake_at:
            if self.thread is None:
                self.thread = threading.Thread(target=self._watch, name="legalmodel-watchdog", daemon=True)
                self.thread.start()
            self.wake_at = question.until
            self.wakeup.notify()

    def _watch(self) -> None:
        with _lock:
            while True:
                now = time.monotonic()
                for question in [q for q in self.running if q.until <= now]:
                    question.timed_out = True
                    self.running.discard(question)
                    z3.Z3_interrupt(question.context)
                self.wake_at = min((q.until for q in self.running), default=math.inf)
                self.wakeup.wait(None if self.wake_at == math.inf else self.wake_at - now)


_watchdog = _Watchdog()


def _after_fork() -> None:
    """In a forked child: a lock or a watchdog as the parent's thread left them is no use."""
    global _lock, _watchdog
    _lock = threading.Lock()
    _asking.clear()
    _watchdog = _Watchdog()


os.register_at_fork(after_in_child=_after_fork)


@contextmanager
def cancellable(event: threading.Event):
    """Solver questions asked by this thread inside the block raise Cancelled once `event` is set."""
    before = getattr(_current, "event", None)
    _current.event = event
    try:
        yield
    finally:
        _current.event = before


def begin_question(context, limit_ms: int | None) -> Question | None:
    """Before a solver question on `context` (its ref) that may take `limit_ms` (None or 0:
    no limit): raise Cancelled where this thread's request was cancelled, else note that the
    question is running, for `stop` and the watchdog. Returns what end_question takes."""
    event = getattr(_current, "event", None)
    if event is None and not limit_ms:
        return None
    question = Question(event, context, time.monotonic() + limit_ms / 1000 if limit_ms else None)
    with _lock:
        if event is not None:
            if event.is_set():
                raise Cancelled()
            _asking.add(event)
        if question.until is not None:
            _watchdog.add(question)
    return question


def end_question(question: Question | None) -> bool:
    """After the question: whether the watchdog stopped it at its time limit."""
    if question is None:
        return False
    with _lock:
        if question.event is not None:
            _asking.discard(question.event)
        _watchdog.running.discard(question)
    return question.timed_out


def stop(event: threading.Event) -> None:
    """Cancel the request that runs under `event`, from another thread: set it, and interrupt
    the question Z3 is working on for it, if any (Z3 answers it `unknown` at once, and the
    request's next question raises Cancelled)."""
    with _lock:
        event.set()
        if event in _asking:
            z3.main_ctx().interrupt()
