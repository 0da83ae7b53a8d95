"""Time limits for a validation.

The engines are native code that a thread cannot interrupt, so a limit either ends the
process or runs the work in another one:

- :func:`exit_after` (for the command line): a watchdog thread that prints the reason and
  ends the process with exit code 2 when the time passes. Nothing is being written then:
  the report is written after the limit is lifted.
- :func:`run_with_timeout` (for the Python API): the work runs in a child process started
  with ``spawn`` (a forked child of a process whose native thread pools hold locks can
  hang), which is killed when the time passes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
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


def _child(conn, work: Callable[[], Any]) -> None:
    try:
        outcome = ("value", work())
    except AllianceGraphError as exc:
        try:
            pickle.loads(pickle.dumps(exc))
            outcome = ("error", exc)
        except Exception:  # an error class whose arguments do not survive pickling
            outcome = ("message", (str(exc), getattr(exc, "exit_code", EXIT_CANNOT_RUN)))
    except BaseException as exc:  # a bug: say what it was, the parent raises it
        outcome = ("message", (f"validation failed: {type(exc).__name__}: {exc}", 2))
    conn.send(outcome)
    conn.close()


def run_with_timeout(work: Callable[[], Any], timeout: float, what: str = "validation"):
    """``work()`` (picklable) in a child process; its value, or its error raised here;
    after ``timeout`` seconds the child is killed and :class:`ValidationTimeoutError`
    raised."""
    if timeout <= 0:
        raise ValueError("timeout must be more than 0 seconds")
    import multiprocessing  # only with a timeout: `validate` itself needs exit_after

    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, work), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise ValidationTimeoutError(timeout_message(timeout, what))
        try:
            kind, value = receive.recv()
        except EOFError:
            child.join(1)
            raise AllianceGraphError(
                f"the {what} process ended without an answer (exit status {child.exitcode}); "
                "it may have run out of memory"
            ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receive.close()
    if kind == "value":
        return value
    if kind == "error":
        raise value
    message, code = value
    error = AllianceGraphError(message)
    error.exit_code = code
    raise error
