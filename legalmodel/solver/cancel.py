"""Stopping a request that is no longer wanted: the language server's check of a text the
drafter has since edited. The request runs on one thread inside `cancellable(event)`; once
the event is set, the next solver question that thread asks raises `Cancelled` (every check
goes through encode.check_under, which asks `raise_if_cancelled` first), and the question
already running is stopped by interrupting Z3's context (`stop`). Nothing of the request's
answer survives, so nothing partial is ever shown as its result."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import z3

_current = threading.local()
_lock = threading.Lock()
_asking: set[threading.Event] = set()  # the requests whose thread is inside a Z3 check now


class Cancelled(Exception):
    """The request was cancelled before it finished: there is no answer."""


@contextmanager
def cancellable(event: threading.Event):
    """Solver questions asked by this thread inside the block raise Cancelled once `event` is set."""
    before = getattr(_current, "event", None)
    _current.event = event
    try:
        yield
    finally:
        _current.event = before


def begin_question() -> threading.Event | None:
    """Before a solver question: raise Cancelled where this thread's request was cancelled,
    else note that the request's thread is in Z3 now (the only time `stop` may interrupt
    Z3: an interrupt while it builds terms or asserts them leaves the context unusable).
    Returns what end_question takes."""
    event = getattr(_current, "event", None)
    if event is None:
        return None
    with _lock:
        if event.is_set():
            raise Cancelled()
        _asking.add(event)
    return event


def end_question(event: threading.Event | None) -> None:
    if event is not None:
        with _lock:
            _asking.discard(event)


def stop(event: threading.Event) -> None:
    """Cancel the request that runs under `event`, from another thread: set it, and interrupt
    the question Z3 is working on for it, if any (Z3 answers it `unknown` at once, and the
    request's next question raises Cancelled)."""
    with _lock:
        event.set()
        if event in _asking:
            z3.main_ctx().interrupt()
