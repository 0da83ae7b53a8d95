"""Writing a file or a folder so that it appears whole or not at all.

A file goes to a temporary file in the target folder and is renamed over the target
(``os.replace``) only once it is complete; a folder is built in a temporary folder beside
the target and renamed into place. An error or an interrupt leaves the previous output
as it was and no temporary file behind.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import ExportError


def write_atomically(
    path: Path, write: Callable[[io.BufferedIOBase], None], *, reading: Iterable = ()
) -> None:
    """Write a file through ``write(stream)`` so that it appears whole or not at all: the
    project's one writer (:mod:`alliance_graph.writing`: devices and FIFOs written
    directly, symlinks followed, SIGTERM and SIGINT leave the old file), its errors as
    :class:`ExportError`."""
    from .. import writing

    try:
        writing.write_atomically(path, write, reading=reading)
    except writing.OutputError as exc:
        raise ExportError(str(exc)) from None


def write_folder_atomically(
    target: Path, name: str, files: Iterable[str], write: Callable[[Path], None]
) -> None:
    """Build a folder through ``write(folder)`` and put it in place of ``target``.

    ``name`` is the format's name (for messages), ``files`` the files it writes: a target
    folder holding anything else is refused, never replaced.
    """
    from .. import writing

    files = set(files)
    try:  # as for a file
        writing.refuse_shipped(target)
    except writing.OutputError as exc:
        raise ExportError(str(exc)) from None
    parent = target.parent if str(target.parent) else Path(".")
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target}: exists and is not a folder; {name} writes a folder")
    if target.is_dir():
        strangers = sorted(p.name for p in target.iterdir() if p.name not in files)
        if strangers:
            raise ExportError(
                f"{target}: the folder holds files this export does not write "
                f"({', '.join(strangers[:5])}); give an empty or new folder"
            )
    if not parent.is_dir():
        raise ExportError(f"{target}: the folder {parent} does not exist")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise ExportError(f"{target}: cannot write in {parent}: {exc.strerror}") from None
    old = None
    try:
        write(tmp)
        os.chmod(tmp, 0o777 & ~_umask())
        if target.exists():
            # A folder cannot be replaced in one step: move the old one aside first, and
            # put it back if the new one cannot take its place.
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.rmdir(old)
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except BaseException:
                os.replace(old, target)
                old = None
                raise
        else:
            os.replace(tmp, target)
    except OSError as exc:  # a full disk, a file-size limit, a folder taken away
        shutil.rmtree(tmp, ignore_errors=True)
        where = exc.filename or target
        raise ExportError(f"{target}: could not write {where}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
