"""The materialised graph kept on disk (``--store DIR``, ``ALLIANCE_GRAPH_STORE``).

A load parses every file and derives the day bounds and marks again; at a million
triples that is seconds before the first answer. Here the result of a load is kept in
pyoxigraph's on-disk store (RocksDB), one folder per set of inputs::

    DIR/<key>/db        the store, opened read-only by every reader
    DIR/<key>/sources   what it was built from (file, content hash), for people
    DIR/<key>.lock      taken while one process builds it
    DIR/<key>/holdings.json     the ownership index, computed once (:func:`kept`)
    DIR/<key>/holdings.sqlite   the same stakes by holder, read one company at a time
                                (:func:`kept_file`; ownership/by_company.py)
    DIR/<key>/names.sqlite      the names index, read in place (:func:`kept_file`,
                                checked against ``names.sqlite.head``)

``<key>`` is a hash of the files' contents (not their dates or paths), their format and
the build recipe (:data:`RECIPE`, pyoxigraph's version): the store is rebuilt only when a
file's bytes change. A build writes into a private temporary folder, which is renamed to
``DIR/<key>`` once complete: a reader sees a whole store or none, never half of one, and
readers never write, so any number of processes may read at once
(``pyoxigraph.Store.read_only``). Two processes that need the same missing store wait for
one build (a file lock), not two. Older builds beyond :data:`KEEP` are removed, oldest
first, when a new one is made.

What the faces compute from a store and read at every start (the Holdings of the
ownership commands, the names index of label parameters) is kept beside it the same way
(:func:`kept`, :func:`kept_file`): built once by the first process that needs it, under
a lock, written to a private file and renamed into place, read by every later one; a
file that is missing, of another format version, of another store or damaged (its
BLAKE2b digest does not match) is rebuilt, so a kept file can make an answer faster but
not different. The formats are JSON and SQLite: reading either runs no code (unlike a
pickle, whose loading can call any function), so even a file someone else put there can
at worst make us rebuild, or answer from the data it claims, never execute anything.

This module knows nothing of RDF formats: :func:`alliance_graph.load.open_store` hands it
the files and a function that fills an empty store.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from .errors import DataFileError, UsageError

ENV_STORE = "ALLIANCE_GRAPH_STORE"
# Bump when what a load derives changes: stores built by an older recipe are not reused.
RECIPE = "materialised-2"  # 2: several dates or ranks on a node, read as a set
KEEP = 4
T = TypeVar("T")
_READY = "sources"
_settings: dict[str, str | None] = {}
# id(store) -> (store, its folder DIR/<key>), for the stores opened here
_opened: dict[int, tuple[ox.Store, Path]] = {}
# what decoding JSON of the wrong shape raises: the file is then rebuilt
_DAMAGED = (AttributeError, KeyError, IndexError, TypeError, ValueError)


def configure(path: str | os.PathLike | None) -> None:
    """Use ``path`` as the store folder of this process (the ``--store`` option); None
    goes back to ``ALLIANCE_GRAPH_STORE`` or no store."""
    if path is None or str(path) == "":
        _settings.pop("dir", None)
    else:
        _settings["dir"] = str(path)


def configured() -> str | None:
    """The store folder in use: :func:`configure`'s, else ``ALLIANCE_GRAPH_STORE``'s
    (none within :func:`not_kept`)."""
    if _settings.get("off"):
        return None
    return _settings.get("dir") or os.environ.get(ENV_STORE) or None


@contextlib.contextmanager
def not_kept():
    """Within it, nothing is read from or kept in the store folder: for the files of one
    run (a scenario's temporary copy), which would otherwise be built there and push the
    data's own stores out (only :data:`KEEP` are kept)."""
    before = _settings.get("off")
    _settings["off"] = "1"
    try:
        yield
    finally:
        if before is None:
            _settings.pop("off", None)
        else:
            _settings["off"] = before


def content_hash(path: Path | str) -> str:
    """The BLAKE2b hash of a file's bytes (read in blocks: memory stays flat)."""
    digest = hashlib.blake2b(digest_size=20)
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise DataFileError(path, f"cannot be read: {exc.strerror}") from None
    return digest.hexdigest()


def key_of(files: Sequence[Path | str], *, options: str = "") -> tuple[str, list[str]]:
    """The key of a store built from ``files`` (in order) with ``options``, and the
    content hash of each file."""
    hashes = [content_hash(f) for f in files]
    digest = hashlib.blake2b(digest_size=16)
    for part in (RECIPE, ox.__version__, options, *hashes):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest(), hashes


def open_persistent(
    folder: str | os.PathLike,
    files: Sequence[Path | str],
    build: Callable[[ox.Store], None],
    *,
    options: str = "",
) -> ox.Store:
    """The store of ``files`` kept under ``folder``: opened read-only when it was built
    from the same contents, else built first by ``build(empty_store)``."""
    root = Path(folder)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--store {root}: cannot create the folder: {exc.strerror}") from None
    if not root.is_dir():
        raise UsageError(f"--store {root}: not a folder")
    key, hashes = key_of(files, options=options)
    final = root / key
    if not (final / _READY).is_file():
        with _Lock(root / f"{key}.lock"):
            if not (final / _READY).is_file():  # another process may have built it
                _build(root, final, files, hashes, build)
                _prune(root, keep=final)
    try:
        store = ox.Store.read_only(str(final / "db"))
    except (OSError, RuntimeError) as exc:  # a file of it truncated or removed
        reason = str(exc).split("  ")[0]
        raise UsageError(
            f"--store {root}: the kept store {final} cannot be opened ({reason}); remove "
            "that folder and run again to build it anew"
        ) from None
    if len(_opened) > 16:
        _opened.clear()
    _opened[id(store)] = (store, final)
    return store


def folder_of(store: ox.Store) -> Path | None:
    """``DIR/<key>`` of a store :func:`open_persistent` opened; None for any other."""
    hit = _opened.get(id(store))
    return hit[1] if hit is not None and hit[0] is store else None


def kept(
    store: ox.Store,
    name: str,
    version: str,
    build: Callable[[], T],
    encode: Callable[[T], object],
    decode: Callable[[object], T],
) -> T:
    """``build()``, computed once per on-disk store and kept beside it as
    ``DIR/<key>/<name>.json`` (``encode``/``decode`` turn the value into JSON data and
    back); for a store not opened from a folder, simply ``build()``. ``version`` names
    the encoding: bump it when ``encode`` changes. A file that does not match (missing,
    damaged, another version or store) is rebuilt; one that cannot be written is not an
    error (the value is returned all the same)."""
    folder = folder_of(store)
    if folder is None:
        return build()
    path = folder / f"{name}.json"
    header = {"name": name, "version": version, "store": folder.name}
    found = _read_kept(path, header)
    if found is not None:
        try:
            return decode(found)
        except _DAMAGED:
            pass  # well-formed JSON of the wrong shape: rebuilt below
    try:
        lock = _Lock(folder.parent / f"{folder.name}.{name}.lock")
        lock.__enter__()
    except (OSError, UsageError):
        return build()
    try:
        found = _read_kept(path, header)  # another process may have written it meanwhile
        if found is not None:
            try:
                return decode(found)
            except _DAMAGED:
                pass
        value = build()
        _write_kept(path, header, encode(value))
        return value
    finally:
        lock.__exit__()


def kept_file(
    store: ox.Store, name: str, version: str, write: Callable[[Path], None]
) -> Path | None:
    """The file ``DIR/<key>/<name>`` beside an on-disk store, written once by
    ``write(path)`` (for a format read in place, such as an SQLite index) and checked at
    every use against ``<name>.head`` (version, store, BLAKE2b digest of the bytes): a
    file that does not match is written again. None for a store not opened from a folder,
    or when the folder cannot be written."""
    folder = folder_of(store)
    if folder is None:
        return None
    path = folder / name
    header = {"name": name, "version": version, "store": folder.name}
    if _file_matches(path, header):
        return path
    try:
        lock = _Lock(folder.parent / f"{folder.name}.{name}.lock")
        lock.__enter__()
    except (OSError, UsageError):
        return None
    try:
        if _file_matches(path, header):
            return path
        tmp = path.with_name(f".{name}-{os.getpid()}")
        try:
            Path(tmp).unlink(missing_ok=True)
            write(tmp)
            head = dict(header, digest=content_hash(tmp))
            head_tmp = path.with_name(f".{name}.head-{os.getpid()}")
            head_tmp.write_text(json.dumps(head), encoding="utf-8")
            os.replace(tmp, path)
            os.replace(head_tmp, path.with_name(f"{name}.head"))
        except (OSError, DataFileError):
            Path(tmp).unlink(missing_ok=True)
            return None
        return path
    finally:
        lock.__exit__()


def _file_matches(path: Path, header: dict) -> bool:
    try:
        head = json.loads(path.with_name(f"{path.name}.head").read_text(encoding="utf-8"))
        if not isinstance(head, dict) or {k: head.get(k) for k in header} != header:
            return False
        return head.get("digest") == content_hash(path)
    except (OSError, ValueError, DataFileError):
        return False


def _read_kept(path: Path, header: dict):
    try:
        with open(path, "rb") as f:
            head = json.loads(f.readline())
            payload = f.read()
    except (OSError, ValueError):
        return None
    if not isinstance(head, dict) or {k: head.get(k) for k in header} != header:
        return None
    if head.get("digest") != hashlib.blake2b(payload, digest_size=20).hexdigest():
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return None


def _write_kept(path: Path, header: dict, data) -> None:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    head = dict(header, digest=hashlib.blake2b(payload, digest_size=20).hexdigest())
    tmp = path.with_name(f".{path.name}-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(json.dumps(head).encode() + b"\n")
            f.write(payload)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _build(root: Path, final: Path, files, hashes, build) -> None:
    tmp = root / f".build-{final.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        store = ox.Store(str(tmp / "db"))
        build(store)
        store.flush()
        del store  # closes the database before it moves
        (tmp / _READY).write_text(
            "".join(f"{h}  {f}\n" for h, f in zip(hashes, files, strict=True)), encoding="utf-8"
        )
        shutil.rmtree(final, ignore_errors=True)  # a half-built leftover of a crash
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def builds(folder: str | os.PathLike) -> list[Path]:
    """The complete stores under ``folder``, oldest first."""
    root = Path(folder)
    found = [
        p
        for p in root.iterdir()
        if not p.name.startswith(".") and p.is_dir() and (p / _READY).is_file()
    ]
    return sorted(found, key=lambda p: (p / _READY).stat().st_mtime_ns)


def _prune(root: Path, keep: Path) -> None:
    # A reader that still has an old store open keeps its files (they are unlinked, not
    # truncated); a new reader never opens a store that is being removed (it is renamed
    # away first).
    old = [p for p in builds(root) if p != keep]
    for path in old[: max(0, len(old) - (KEEP - 1))]:
        trash = root / f".old-{path.name}-{os.getpid()}"
        try:
            os.replace(path, trash)
        except OSError:
            continue
        shutil.rmtree(trash, ignore_errors=True)
        Path(f"{path}.lock").unlink(missing_ok=True)
        for lock in root.glob(f"{path.name}.*.lock"):
            lock.unlink(missing_ok=True)


class _Lock:
    """An exclusive lock on a file (``flock``): held by one builder at a time, released
    by the system if the process dies."""

    def __init__(self, path: Path, wait: float = 3600.0):
        self.path = path
        self.wait = wait

    def __enter__(self):
        import fcntl

        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        end = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > end:
                    os.close(self.fd)
                    raise UsageError(
                        f"--store: {self.path} has been locked by another build for "
                        f"{self.wait:g} s; remove it if no build is running"
                    ) from None
                time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        import fcntl

        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
