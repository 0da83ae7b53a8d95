"""Time limits for a validation.

The engines are native code that a thread cannot interrupt, so a limit either ends the
process or runs the work in another one:

- :func:`exit_after` (for the command line): a watchdog thread that prints the reason and
  ends the process with exit code 2 when the time passes. Nothing is being written then:
  the report is written after the limit is lifted.
- :func:`run_with_timeout` (for the Python API): the work runs in the killed child of
  :mod:`alliance_graph.isolate`, started with ``spawn`` (a forked child of a process
  whose native thread pools hold locks can hang).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import EXIT_CANNOT_RUN, AllianceGraphError


class ValidationTimeoutError(AllianceGraphError):
    """The validation did not finish within its time limit (exit code 2)."""


def timeout_message(timeout: float, what: str = "validation") -> str:
    return f"the {what} did not finish within {timeout:g} s (--timeout); it was stopped"


@contextlib.contextmanager
def exit_after(timeout: float | None, what: str = "validation") -> Iterator[None]:
    """End the process with exit code 2 and a message on stderr if the block runs longer
    than ``timeout`` seconds (None: no limit)."""
    if timeout is None:
        yield
        return

    def expire():
        sys.stderr.write(f"Error: {timeout_message(timeout, what)}\n")
        sys.stderr.flush()
        os._exit(EXIT_CANNOT_RUN)

    timer = threading.Timer(timeout, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def run_with_timeout(work: Callable[[], Any], timeout: float, what: str = "validation"):
    """``work()`` (picklable) in a child process; its value, or its error raised here;
    after ``timeout`` seconds the child is killed and :class:`ValidationTimeoutError`
    raised. The child is the one :mod:`alliance_graph.isolate` starts, with ``spawn``."""
    if timeout <= 0:
        raise ValueError("timeout must be more than 0 seconds")
    from .. import isolate

    return isolate.run(
        work,
        timeout=timeout,
        max_memory=None,
        what=f"the {what}",
        start="spawn",
        timeout_error=ValidationTimeoutError,
    )
