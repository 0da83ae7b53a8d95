"""Writing a file or a folder so that it appears whole or not at all.

A file goes to a temporary file in the target folder and is renamed over the target
(``os.replace``) only once it is complete; a folder is built in a temporary folder beside
the target and renamed into place. An error or an interrupt leaves the previous output
as it was and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import ExportError


def write_atomically(path: Path, write: Callable[[io.BufferedIOBase], None]) -> None:
    """Write a file through ``write(stream)`` so that it appears whole or not at all.

    The bytes go to a temporary file in the same folder, which replaces ``path`` only when
    ``write`` returned; on any error or interrupt the temporary file is removed and
    ``path`` keeps its previous content.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name")
    if not folder.is_dir():
        raise ExportError(f"{path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write in {folder}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_folder_atomically(
    target: Path, name: str, files: Iterable[str], write: Callable[[Path], None]
) -> None:
    """Build a folder through ``write(folder)`` and put it in place of ``target``.

    ``name`` is the format's name (for messages), ``files`` the files it writes: a target
    folder holding anything else is refused, never replaced.
    """
    files = set(files)
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
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
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
