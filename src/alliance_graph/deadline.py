"""Work with a time limit: run it in a worker thread and stop waiting at the limit."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from .errors import QueryTimeoutError

WEEK = 7 * 24 * 3600.0  # the longest time limit taken


def bad_seconds(value) -> str | None:
    """Why ``value`` is not a time limit (a finite number above 0, at most a week), or
    None when it is one. ``inf`` and ``nan`` reach clocks and threads that fail on them."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return f"{value!r} is not a number of seconds"
    if not (0 < seconds <= WEEK):  # False for nan too
        return f"{value!r} is not a number of seconds above 0 and up to {WEEK:g} (a week)"
    return None


def within(work: Callable[[threading.Event], Any], timeout: float | None, what: str):
    """Run ``work(stop)`` in a worker thread and wait at most ``timeout`` seconds.

    On timeout ``stop`` is set, so work that checks it between steps (results taken one
    solution at a time) ends there, and :class:`QueryTimeoutError` is raised. Work that
    cannot check it (an engine busy inside one step) finishes in a daemon thread, so a
    command still exits at once.
    """
    box: dict = {}
    stop = threading.Event()

    def target():
        try:
            box["value"] = work(stop)
        except BaseException as exc:  # handed to the caller's thread
            # Without its traceback: the worker's frames hold engine objects, which must
            # be dropped on the thread that made them.
            exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            box["error"] = exc

    worker = threading.Thread(target=target, name="alliance-graph-work", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        stop.set()
        raise QueryTimeoutError(f"{what} did not finish within {timeout:g} s (--timeout)")
    if "error" in box:
        raise box["error"]
    return box["value"]
