"""The one way the project writes a file: whole or not at all, never over what is not ours.

:func:`write_atomically` (and :func:`write_bytes`, :func:`write_text`) is used by
``validate -o``, ``fmt``, ``export`` and ``plot``. The rules:

- A regular file (or a new one) is written to a temporary file in the same folder, flushed
  to disk (fsync), then renamed over the target (``os.replace``), and the folder is synced.
  An existing file keeps its permission bits; a new one gets 0o666 less the umask.
- A symbolic link is followed: the file it points to is replaced, the link stays a link.
- A target that is not a regular file (a device such as /dev/null or /dev/stdout, a FIFO)
  is written directly, never replaced by a regular file. A folder is refused.
- An error, Ctrl-C (SIGINT) or SIGTERM while writing removes the temporary file and leaves
  the old file as it was. SIGTERM then ends the process with status 143 (128 + 15).
- Nothing is written into the folders the project reads its shipped ontology, data,
  shapes, queries and JSON-LD context from (a new file there would be read as one of
  them), nor over any file the output is made from; only ``fmt`` rewrites shipped Turtle,
  in place (``shipped=True``).
- Every OSError (a missing or read-only folder, a full disk, the file-size limit of
  ``ulimit -f``) becomes an :class:`OutputError` naming the path and the reason: exit
  code 2 in the CLI. SIGXFSZ is ignored while writing, so that going over the file-size
  limit is an error (EFBIG) rather than a killed process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import AllianceGraphError


class OutputError(AllianceGraphError):
    """An output file cannot be written; the message names the path and the reason."""


def write_text(
    path: Path | str, text: str, *, reading: Iterable = (), shipped: bool = False
) -> None:
    """Write ``text`` as UTF-8, its line ends exactly as they are in ``text``."""
    write_bytes(path, text.encode("utf-8", "surrogateescape"), reading=reading, shipped=shipped)


def write_bytes(
    path: Path | str, data: bytes, *, reading: Iterable = (), shipped: bool = False
) -> None:
    write_atomically(path, lambda stream: stream.write(data), reading=reading, shipped=shipped)


def refuse_shipped(path: Path | str) -> None:
    """Raise :class:`OutputError` if ``path`` (a file or a folder to write) lies in a
    folder the project reads its shipped files from."""
    from .resources import shipped_folder_of

    folder = shipped_folder_of(os.path.realpath(path))
    if folder is not None:
        raise OutputError(
            f"{path}: lies in {folder}, which the project reads its shipped "
            f"{folder.name} from; write the output to another folder"
        )


def write_atomically(
    path: Path | str,
    write: Callable[[BinaryIO], object],
    *,
    reading: Iterable = (),
    shipped: bool = False,
) -> None:
    """Write a file through ``write(stream)`` (a binary stream) by the rules above.
    ``reading`` are the files the output is made from: writing over one of them (``import
    csv x.csv -o x.csv``) is refused before anything is read or written, as is writing
    into a shipped folder unless ``shipped`` (``fmt`` only)."""
    shown = Path(path)
    target = Path(os.path.realpath(shown))  # a link: the file it points to
    if not shipped:
        refuse_shipped(shown)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write: {_reason(exc)}") from None
    if info is not None:
        for source in reading:
            try:
                same = os.path.samefile(target, source)
            except (OSError, TypeError, ValueError):
                continue  # "-" (standard input), or a file that is not there
            if same:
                raise OutputError(
                    f"{shown}: is the input file {source}; write the output to another file"
                )
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{shown}: is a folder; give a file name")
    with _signals_as_exceptions():
        if info is not None and not stat.S_ISREG(info.st_mode):
            _write_directly(shown, target, write)
        else:
            _write_replacing(shown, target, write, info)


def _write_directly(shown: Path, target: Path, write) -> None:
    """A device or FIFO: open it for writing as it is (O_TRUNC does nothing to these)."""
    try:
        with open(target, "wb") as stream:
            write(stream)
            stream.flush()
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write: {_reason(exc)}") from None


def _write_replacing(shown: Path, target: Path, write, info: os.stat_result | None) -> None:
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"{shown}: the folder {shown.parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write in {shown.parent}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{shown}: cannot write: {_reason(exc)}") from None
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: some file systems cannot open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.EFBIG:
        return "the file is larger than the file-size limit (ulimit -f)"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    return exc.strerror or str(exc)


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    old = os.umask(0o022)  # no /proc: read it by setting it (and put it back)
    os.umask(old)
    return old


class Terminated(BaseException):
    """SIGTERM arrived while a file was being written (raised so that clean-up runs)."""


def _on_term(signum, _frame):
    raise Terminated(signum)


@contextlib.contextmanager
def _signals_as_exceptions() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` and SIGXFSZ is ignored while the block runs (only
    the main thread can set handlers; elsewhere the process's own handlers stay)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old_term = signal.signal(signal.SIGTERM, _on_term)
    old_xfsz = signal.signal(signal.SIGXFSZ, signal.SIG_IGN) if hasattr(signal, "SIGXFSZ") else None
    try:
        yield
    except Terminated:
        signal.signal(signal.SIGTERM, old_term)
        raise SystemExit(128 + signal.SIGTERM) from None
    finally:
        signal.signal(signal.SIGTERM, old_term)
        if old_xfsz is not None:
            signal.signal(signal.SIGXFSZ, old_xfsz)


__all__ = ["OutputError", "Terminated", "write_atomically", "write_bytes", "write_text"]
