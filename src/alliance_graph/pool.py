"""Pre-forked workers for work that can be stopped: :mod:`.isolate`'s bounds without a fork
per request.

:func:`alliance_graph.isolate.run` forks a child for each piece of work: the safest
way to run one untrusted query, but a fork of a server holding a store costs more than
a small query. A :class:`Pool` forks its workers once (each shares the parent's loaded
store copy-on-write, like an isolated child) and hands them requests over a pipe, one at
a time. The bounds stay those of :mod:`.isolate`: each worker runs under ``RLIMIT_AS``
(``max_memory`` beyond what it inherited), and a worker that has not answered at the
time limit is killed with SIGKILL and replaced, as is one that ran out of memory or
died; the caller gets :class:`QueryTimeoutError` or :class:`QueryError` at the limit,
never a hung request. At most ``size`` workers exist; a request waits for a free one
within its own time limit.

The work is a function ``handler(request)`` the workers inherit when they are forked (it
is never pickled); requests and answers are pickled over the pipe.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import queue
import signal
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from . import isolate
from .errors import QueryError, QueryTimeoutError

RECYCLE_AFTER = 1000  # requests a worker answers before it is replaced (bounds any growth)


class Pool:
    """``size`` forked workers running ``handler``, forked by :meth:`start` or on first
    need.

    :meth:`run` answers one request within ``timeout`` seconds (the wait for a free
    worker included) or raises. :meth:`close` ends every worker; a pool that is
    garbage-collected closes itself."""

    def __init__(
        self,
        handler: Callable[[Any], Any],
        *,
        size: int,
        max_memory: int | None,
        what: str = "the query",
        recycle_after: int = RECYCLE_AFTER,
    ):
        if size < 1:
            raise ValueError(f"a pool needs at least one worker, not {size}")
        if not isolate.available():
            raise RuntimeError("a worker pool needs fork (not available on this platform)")
        self.handler = handler
        self.size = size
        self.max_memory = max_memory
        self.what = what
        self.recycle_after = recycle_after
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()  # alive or starting, at most size
        self._closed = False
        self._finalizer = weakref.finalize(self, _end_all, self._workers)

    # -- the caller's side ------------------------------------------------------------

    def run(self, request: Any, *, timeout: float | None) -> Any:
        """``handler(request)`` as computed by a worker. Raises :class:`QueryTimeoutError`
        when no worker is free or none answers within ``timeout``, :class:`QueryError`
        when the worker ran out of memory or died; the library's own errors raised by
        the handler come back as they were."""
        deadline = None if timeout is None else time.monotonic() + timeout
        worker = self._take(deadline, timeout)
        healthy = False
        try:
            worker.conn.send(request)
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not worker.conn.poll(left):
                raise QueryTimeoutError(
                    f"{self.what} did not finish within {timeout:g} s (--timeout); it was stopped"
                )
            try:
                kind, value = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join(5)
                raise isolate.died_error(
                    worker.process.exitcode, self.what, self.max_memory
                ) from None
            healthy = kind in ("ok", "error", "raised")
        except (BrokenPipeError, EOFError, OSError):
            worker.process.join(1)
            raise isolate.died_error(worker.process.exitcode, self.what, self.max_memory) from None
        finally:
            worker.served += 1
            if healthy and worker.served < self.recycle_after and not self._closed:
                self._idle.put(worker)
            else:
                self._retire(worker)
        return isolate.outcome((kind, value), self.what, self.max_memory)

    def start(self) -> None:
        """Fork every worker now (the server calls this before it serves, from its one
        thread; otherwise workers are forked on first need)."""
        with self._lock:
            while len(self._workers) < self.size and not self._closed:
                worker = _Worker.start(self)
                self._workers.add(worker)
                self._idle.put(worker)

    def _take(self, deadline: float | None, timeout: float | None) -> _Worker:
        while True:
            if self._closed:
                raise QueryError(f"{self.what} cannot run: the server is stopping")
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                pass
            with self._lock:
                grow = len(self._workers) < self.size
                if grow:
                    worker = _Worker.start(self)
                    self._workers.add(worker)
            if grow:
                return worker
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise QueryTimeoutError(
                    f"the server is busy: no worker was free within {timeout:g} s"
                )
            try:
                # a retired worker frees a place without coming back: look again soon
                return self._idle.get(timeout=0.05 if left is None else min(left, 0.05))
            except queue.Empty:
                continue

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker`` and forget it; the next request that finds no free worker
        forks a new one."""
        worker.end()
        with self._lock:
            self._workers.discard(worker)

    def pids(self) -> list[int]:
        """The process ids of the workers alive now."""
        with self._lock:
            return sorted(w.process.pid for w in self._workers if w.process.is_alive())

    def close(self) -> None:
        """End every worker (a request still running is answered with an error)."""
        self._closed = True
        self._finalizer()


class _Worker:
    __slots__ = ("process", "conn", "served", "__weakref__")

    def __init__(self, process, conn):
        self.process = process
        self.conn = conn
        self.served = 0

    @classmethod
    def start(cls, pool: Pool) -> _Worker:
        ctx = multiprocessing.get_context("fork")
        mine, theirs = ctx.Pipe(duplex=True)
        base = isolate.address_space()
        parent = os.getpid()
        handler, max_memory, what = pool.handler, pool.max_memory, pool.what

        def main() -> None:
            mine.close()
            _serve(theirs, handler, base, max_memory, what, parent)

        process = ctx.Process(target=main, daemon=True)
        process.start()
        theirs.close()
        return cls(process, mine)

    def end(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _end_all(workers: set) -> None:
    for worker in list(workers):
        worker.end()
    workers.clear()


def _serve(conn, handler, base: int, max_memory: int | None, what: str, parent: int) -> None:
    """A worker's life: answer requests until the pipe closes or the parent is gone."""
    isolate.bound_child(base, max_memory, keep=(conn.fileno(),))
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            # The parent's end closes when it does (no worker keeps a copy: see
            # isolate.release_sockets); a process forked by other code in the parent may,
            # so look at the parent every second as well.
            while not conn.poll(1.0):
                if os.getppid() != parent:
                    os._exit(0)
            request = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        message = isolate.answer(functools.partial(handler, request), what)
        isolate.send_answer(conn, message, what)
        if message[0] == "memory":
            os._exit(0)  # what a failed allocation left behind is not to be trusted
