"""The names index of an on-disk store, kept beside it as an SQLite file and read in
place (issue 14 item 5).

Building the index reads every label of the store and computes the compared forms of
every name (seconds at a million triples); reading it back whole as JSON still cost
seconds. Resolving one name needs three look-ups, so the index is kept as an SQLite
database (the standard library's ``sqlite3``: data only, nothing in it runs) and
:class:`~alliance_graph.names.Names` answers from it through mappings that query it.
It is written once by :func:`alliance_graph.persist.kept_file` (a private file renamed
into place, its digest checked at every opening) and opened read-only and immutable, so
any number of processes read it at once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path

from . import names as names_mod
from . import persist
from .names import Entry, Names

# Bump when the tables below change: files of another version are rebuilt.
VERSION = "names-sqlite-1"
FILE = "names.sqlite"


def for_store(store) -> Names:
    """The names of ``store`` (:func:`alliance_graph.names.for_store`), kept beside it
    when it is an on-disk store."""
    hit = names_mod.cached(store)
    if hit is not None:
        return hit
    path = persist.kept_file(store, FILE, VERSION, lambda p: write(names_mod.from_store(store), p))
    if path is None:
        return names_mod.for_store(store)
    hit = read(path)
    names_mod.remember(store, hit)
    return hit


def write(names: Names, path: Path | str) -> None:
    """Write ``names`` as an SQLite database at ``path``."""
    db = sqlite3.connect(str(path))
    try:
        db.executescript(
            "CREATE TABLE entry (iri TEXT PRIMARY KEY, label TEXT, alts TEXT, kinds TEXT)"
            " WITHOUT ROWID;"
            "CREATE TABLE form (form INTEGER, text TEXT, iri TEXT);"
            "CREATE TABLE below (kind TEXT, sub TEXT);"
        )
        db.executemany(
            "INSERT INTO entry VALUES (?, ?, ?, ?)",
            (
                (e.iri, e.label, json.dumps(e.alt_labels), json.dumps(e.kinds))
                for e in names.entries.values()
            ),
        )
        db.executemany("INSERT INTO form VALUES (?, ?, ?)", names.forms())
        db.executemany(
            "INSERT INTO below VALUES (?, ?)",
            ((k, sub) for k, subs in names.below.items() for sub in subs),
        )
        db.execute("CREATE INDEX form_text ON form (form, text)")
        db.commit()
    finally:
        db.close()


def read(path: Path | str) -> Names:
    """The :class:`Names` of a file :func:`write` wrote, answering from the file."""
    uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
    db = sqlite3.connect(uri, uri=True, check_same_thread=False)
    below: dict[str, set[str]] = {}
    for kind, sub in db.execute("SELECT kind, sub FROM below"):
        below.setdefault(kind, set()).add(sub)
    entries = _Entries(db)
    return Names.over(entries, _Forms(db, 0, entries), _Forms(db, 1), _Forms(db, 2), below)


def _entry(row) -> Entry:
    iri, label, alts, kinds = row
    return Entry(iri, label, json.loads(alts), json.loads(kinds))


class _Entries(Mapping):
    """IRI -> :class:`Entry`, from the file."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __getitem__(self, iri: str) -> Entry:
        row = self.db.execute("SELECT * FROM entry WHERE iri = ?", (iri,)).fetchone()
        if row is None:
            raise KeyError(iri)
        return _entry(row)

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.db.execute("SELECT iri FROM entry"))

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM entry").fetchone()[0]

    def values(self):
        return [_entry(r) for r in self.db.execute("SELECT * FROM entry")]


class _Forms(Mapping):
    """A compared form -> the set of IRIs it names (``entries`` given: the list of
    entries, as the index of names as written holds)."""

    def __init__(self, db: sqlite3.Connection, form: int, entries: _Entries | None = None):
        self.db, self.form, self.entries = db, form, entries

    def _wrap(self, iris: list[str]):
        if self.entries is None:
            return set(iris)
        return [self.entries[i] for i in iris]

    def __getitem__(self, text: str):
        iris = [
            r[0]
            for r in self.db.execute(
                "SELECT iri FROM form WHERE form = ? AND text = ?", (self.form, text)
            )
        ]
        if not iris:
            raise KeyError(text)
        return self._wrap(iris)

    def __iter__(self) -> Iterator[str]:
        rows = self.db.execute("SELECT DISTINCT text FROM form WHERE form = ?", (self.form,))
        return (r[0] for r in rows)

    def __len__(self) -> int:
        query = "SELECT COUNT(DISTINCT text) FROM form WHERE form = ?"
        return self.db.execute(query, (self.form,)).fetchone()[0]

    def items(self):
        grouped: dict[str, list[str]] = {}
        rows = self.db.execute("SELECT text, iri FROM form WHERE form = ?", (self.form,))
        for text, iri in rows:
            grouped.setdefault(text, []).append(iri)
        return [(k, self._wrap(v)) for k, v in grouped.items()]
