"""Work that can be stopped: run it in a forked child with a memory limit and kill it at
the time limit.

Neither pyoxigraph nor rdflib can cancel a query once it runs, and a thread cannot be
killed: a query past its time limit would go on in the background, and one that builds
a huge intermediate result would take the machine's memory. A forked child shares the
loaded store (copy on write, so nothing is reloaded), runs under ``RLIMIT_AS`` and is
killed with SIGKILL when the time is up; its answer comes back pickled over a pipe.
Where ``fork`` is not available, the work runs in a thread (:mod:`.deadline`) instead.
"""

from __future__ import annotations

import os
import re
import signal
import stat
from collections.abc import Callable, Collection
from typing import Any

from .errors import AllianceGraphError, QueryError, QueryTimeoutError, UsageError

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$", re.I)
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(text: str) -> int:
    """``512M``, ``2G``, ``1.5GiB`` or a number of bytes → bytes."""
    m = _SIZE.match(str(text))
    if not m:
        raise UsageError(f"--max-memory: {text!r} is not a size such as 512M or 2G")
    return int(float(m.group(1)) * _UNITS[m.group(2).upper()])


def default_max_memory() -> int:
    """Half of the machine's memory: enough for any real query, and the machine never
    swaps because of one."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (ValueError, OSError, AttributeError):
        return 4 << 30


def address_space() -> int:
    """The bytes this process maps now. A forked child inherits the parent's mappings:
    its memory limit is on what it adds to them."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def available() -> bool:
    import multiprocessing  # here, not at the top: 40 ms that trusted queries never use

    return "fork" in multiprocessing.get_all_start_methods()


def run(
    work: Callable[[], Any],
    *,
    timeout: float | None,
    max_memory: int | None,
    what: str = "the query",
    start: str = "fork",
    timeout_error: type[AllianceGraphError] = QueryTimeoutError,
) -> Any:
    """``work()``'s result, computed in a child process bounded by ``timeout`` seconds
    and ``max_memory`` bytes (None: no bound). Raises ``timeout_error`` or
    :class:`QueryError` naming the limit that stopped it; the library's own errors
    raised by ``work`` come back as they were.

    ``start="fork"`` (the default) shares the loaded store with the child; ``"spawn"``
    starts a fresh interpreter (``work`` must then be picklable), for work that runs
    native thread pools, whose locks a forked child can inherit held."""
    if start == "fork" and not available():
        from .deadline import within

        return within(lambda _stop: work(), timeout, what)
    import multiprocessing

    ctx = multiprocessing.get_context(start)
    reader, writer = ctx.Pipe(duplex=False)
    base = address_space() if start == "fork" else 0
    process = ctx.Process(target=_child, args=(writer, work, base, max_memory, what), daemon=True)
    process.start()
    writer.close()
    try:
        ready = reader.poll(timeout)
        if not ready:
            raise timeout_error(
                f"{what} did not finish within {timeout:g} s (--timeout); it was stopped"
            )
        try:
            message = reader.recv()
        except (EOFError, OSError):
            process.join(5)
            raise died_error(process.exitcode, what, max_memory) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        reader.close()
    return outcome(message, what, max_memory)


def _child(writer, work, base: int, max_memory: int | None, what: str) -> None:
    bound_child(base, max_memory, keep=(writer.fileno(),))
    send_answer(writer, answer(work, what), what)
    os._exit(0)


# -- shared with the pre-forked workers of :mod:`.pool` ---------------------------------


def bound_child(base: int, max_memory: int | None, keep: Collection[int] = ()) -> None:
    """What a child does first: leave Ctrl-C to the parent, silence stderr (an engine's
    abort message on running out of memory is only noise beside the parent's clear
    error; what the child has to say comes over the pipe), let go of the parent's
    sockets but those in ``keep`` (:func:`release_sockets`), and take its memory limit
    (``max_memory`` beyond ``base``, what it inherited)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import faulthandler

    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 2)
    release_sockets(keep, devnull)
    os.close(devnull)
    if max_memory is not None:
        import resource

        limit = base + max_memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def release_sockets(keep: Collection[int], devnull: int) -> None:
    """Point every socket this forked child inherited, but those in ``keep``, at
    ``devnull`` (an open /dev/null).

    A child holds a copy of each of the parent's sockets: a web server's listening
    socket, its clients' open connections, other workers' pipes. A connection the
    server closes stays open for its client while any copy lives, so a browser sent
    its next request on a kept-alive connection that no process would ever read, and
    waited (docs/testing.md). The numbers stay taken (dup2 over them, not close): the
    parent's socket objects, copied into the child, would otherwise close whatever the
    child opened later under the same number."""
    for fd in _open_fds():
        if fd in keep or fd == devnull:
            continue
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.dup2(devnull, fd)
        except OSError:  # the listing's own descriptor, closed by now
            continue


def _open_fds() -> list[int]:
    for listing in ("/proc/self/fd", "/dev/fd"):
        try:
            return [int(name) for name in os.listdir(listing)]
        except (OSError, ValueError):
            continue
    import resource

    # every number the process may use; no limit (RLIM_INFINITY, -1 here) reads as 65,536
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return list(range(65536 if soft < 0 or soft > 65536 else soft))


def answer(work: Callable[[], Any], what: str) -> tuple:
    """``work()`` as a message for the pipe: ``("ok", value)``, ``("memory", None)``, the
    library's error itself (``("raised", error)``) when it pickles, else its class name
    and text (``("error", (name, text))``); never a traceback."""
    try:
        return ("ok", work())
    except MemoryError:
        return ("memory", None)
    except AllianceGraphError as exc:
        import pickle

        try:
            pickle.loads(pickle.dumps(exc))
            return ("raised", exc)
        except Exception:
            return ("error", (type(exc).__name__, str(exc)))
    except BaseException as exc:
        return ("error", ("QueryError", f"{what} failed: {exc}"))


def send_answer(conn, message: tuple, what: str) -> None:
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # an answer that cannot be sent (too large to pickle)
        conn.send(("error", ("QueryError", f"{what} answered, but not sendably: {exc}")))


def outcome(message: tuple, what: str, max_memory: int | None) -> Any:
    """The value a child's message carries, or the error it names, raised."""
    kind, value = message
    if kind == "ok":
        return value
    if kind == "memory":
        raise QueryError(over_memory_message(what, max_memory))
    if kind == "raised":
        raise value
    name, text = value
    raise error_class(name)(text)


def over_memory_message(what: str, max_memory: int | None) -> str:
    limit = f"{max_memory / (1 << 30):.2g} GiB" if max_memory else "the machine's memory"
    return f"{what} needed more than {limit} (--max-memory) and was stopped"


def died_error(code, what, max_memory) -> QueryError:
    if code is not None and code < 0 and -code in (signal.SIGABRT, signal.SIGSEGV):
        return QueryError(over_memory_message(what, max_memory))
    return QueryError(f"{what} stopped without an answer (exit status {code})")


def error_class(name: str):
    from . import errors

    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, AllianceGraphError):
        try:
            cls("probe")
            return cls
        except TypeError:
            pass
    return QueryError
