"""The ownership index kept beside an on-disk store as SQLite, read one company at a time
(issue 14, item 5): one company's integrated ownership without reading every stake.

``integrated <company>`` reports what the company holds, directly and through the
companies it holds: only the stakes of the companies reachable from it along stakes
matter. ``holdings.json`` (:mod:`.kept`) has to be read whole (about a second of CPU
at a million triples, before the day's snapshot and matrix of the whole network); this
file keeps the same stakes in a table indexed by holder (and by held company), so that a
breadth-first walk from the company reads only the part it reaches, and the answer is
computed on that part: in plain Python by :mod:`.light` when it is small (then numpy,
scipy and networkx are not imported), on the sparse path otherwise.

The answer is the whole network's: every stake of a reached holder is read, so the
snapshot of the part has every edge the whole snapshot has between the companies a walk
from the holder can visit, with the nodes in the same order (sorted IRIs). What the part
cannot see is a cycle elsewhere through which integrated ownership is undefined (the
command reports every such cycle of the day, and the message of an over-subscribed one
counts holders outside the part); so the file records, per interest, whether any cycle
of the network could be undefined on any day (:func:`cycles_safe`), and where one could,
:func:`.integrated.integrated_from_index` steps aside (None) and the caller computes on the whole
network as before.

Written once by :func:`alliance_graph.persist.kept_file` (the header, digest, lock and
rebuild rules of every kept file), opened read-only and immutable.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..temporal import DateSpan
from .holdings import INTERESTS
from .kept import stake_fields, stake_from_fields
from .matrix import TOLERANCE
from .model import Holdings, SetAside, Stake

# Bump when the tables below change: files of another version are rebuilt.
# 4: several values of a single-valued property set aside; 5: a NaN or INF percent refused
VERSION = "holdings-sqlite-6"
FILE = "holdings.sqlite"


def for_store(store) -> Index | None:
    """The index kept beside an on-disk store (built on first use from
    :func:`~.holdings.holdings_from_store`); None for a store not opened from a folder,
    or a folder that cannot be written."""
    from .. import persist
    from .holdings import holdings_from_store

    path = persist.kept_file(store, FILE, VERSION, lambda p: write(holdings_from_store(store), p))
    return None if path is None else Index(path)


def _stake_row(x: Stake) -> str:
    # The layout of holdings.json's stakes (kept.stake_fields); iri, holder and held are
    # columns of their own.
    return json.dumps(stake_fields(x), ensure_ascii=False)


def _bounds(x: Stake) -> tuple[int | None, int | None]:
    # The earliest start and the latest end as day numbers (None: unbounded), the two
    # bounds Interval.possible_during reads.
    i = x.interval
    return (
        None if i.start_earliest is None else i.start_earliest.toordinal(),
        None if i.end_latest is None else i.end_latest.toordinal(),
    )


def write(h: Holdings, path: Path | str) -> None:
    """Write the stakes, names and set-aside claims of ``h`` as an SQLite database."""
    db = sqlite3.connect(str(path))
    try:
        db.executescript(
            # economic, voting, starts and ends: what decides whether a stake can count on
            # a day, so that a walk reads only those (the figures stay in data)
            "CREATE TABLE stake (iri TEXT, holder TEXT, held TEXT, economic INTEGER,"
            " voting INTEGER, starts INTEGER, ends INTEGER, data TEXT);"
            "CREATE TABLE entity (iri TEXT PRIMARY KEY, label TEXT, kind TEXT) WITHOUT ROWID;"
            "CREATE TABLE set_aside (iri TEXT, reason TEXT, winner TEXT);"
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
        )
        db.executemany(
            "INSERT INTO stake VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (x.iri, x.holder, x.held, x.economic, x.voting, *_bounds(x), _stake_row(x))
                for x in h.stakes
            ),
        )
        db.executemany(
            "INSERT INTO entity VALUES (?, ?, ?)",
            ((e, h.label(e), h.kinds.get(e, "Agent")) for e in sorted(h.entities)),
        )
        db.executemany(
            "INSERT INTO set_aside VALUES (?, ?, ?)",
            ((a.iri, a.reason, a.winner) for a in h.set_aside),
        )
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            ((f"cycles-safe-{i}", json.dumps(cycles_safe(h.stakes, i))) for i in INTERESTS),
        )
        db.execute("CREATE INDEX stake_holder ON stake (holder)")
        db.execute("CREATE INDEX stake_held ON stake (held)")
        db.commit()
    finally:
        db.close()


def cycles_safe(stakes: list[Stake], interest: str) -> bool:
    """Whether no cycle of these stakes can make integrated ownership undefined on any
    day, under any reading (the test of :func:`.matrix.bad_cycles`).

    On a day, the figure of a pair is at most the sum over its positions of the largest
    figure each takes on any day; a strongly connected component of a day lies inside
    one of the network of every pair with a non-zero figure on some day, and the stakes
    inside it are among that one's. So a day's cycle can be over-subscribed only if some
    member's bound inside its component is above 100%, and singular only if all of its
    members' bounds reach 100%, which needs a cycle among the members whose bound does.
    Neither found: safe. (Margins of :data:`.matrix.TOLERANCE` cover the rounding.)
    """
    from .light import components

    best: dict[tuple, float] = {}  # position -> its largest figure, in 0..1
    nonzero: set[tuple[str, str]] = set()
    for s in stakes:
        if not s.has(interest):
            continue
        f = s.figure(interest) / 100.0
        key = (s.holder, s.held, s.through)
        best[key] = max(best.get(key, f), f)
        if f != 0.0:
            nonzero.add((s.holder, s.held))
    bound: dict[tuple[str, str], float] = {}
    for (u, v, _), f in best.items():
        if (u, v) in nonzero:
            bound[(u, v)] = bound.get((u, v), 0.0) + f
    nodes = sorted({n for pair in bound for n in pair})
    index = {n: i for i, n in enumerate(nodes)}
    a: dict[int, dict[int, float]] = {}
    for (u, v), f in bound.items():
        a.setdefault(index[u], {})[index[v]] = f
    full: set[int] = set()  # members whose bound inside their component reaches 100%
    for component in components(a, len(nodes)):
        members = set(component)
        if len(component) == 1 and component[0] not in a.get(component[0], {}):
            continue
        inside = dict.fromkeys(component, 0.0)
        for u in component:
            for v, f in a.get(u, {}).items():
                if v in members:
                    inside[v] += f
        if max(inside.values()) > 1.0 + TOLERANCE / 2:
            return False
        full.update(v for v, total in inside.items() if total >= 1.0 - 2 * TOLERANCE)
    among = {u: {v: f for v, f in a.get(u, {}).items() if v in full} for u in full}
    for part in components(among, len(nodes)):
        if part[0] in full and (len(part) > 1 or part[0] in among[part[0]]):
            return False
    return True


class Index:
    """An index :func:`write` wrote, answering from the file."""

    def __init__(self, path: Path | str):
        uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
        self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)

    def iri_of(self, name: str | None) -> str | None:
        """The IRI of an entity named by its full IRI (``<...>`` or bare), else None:
        labels go through the names index of the whole holdings."""
        if not isinstance(name, str):
            return None
        text = name.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        if not text.startswith(("http:", "https:")):
            return None
        row = self.db.execute("SELECT 1 FROM entity WHERE iri = ?", (text,)).fetchone()
        return text if row else None

    def cycles_safe(self, interest: str) -> bool:
        row = self.db.execute(
            "SELECT value FROM meta WHERE key = ?", (f"cycles-safe-{interest}",)
        ).fetchone()
        return row is not None and json.loads(row[0]) is True

    def set_aside(self) -> list[SetAside]:
        """The claims the analyses do not use, with their reasons (figures not kept)."""
        rows = self.db.execute("SELECT iri, reason, winner FROM set_aside ORDER BY rowid")
        return [SetAside(iri, reason, None, winner) for iri, reason, winner in rows]

    def reachable(self, start: str, span: DateSpan, interest: str, also=()) -> Holdings:
        """The holdings of the part of the network reachable from ``start`` along stakes
        of ``interest`` possibly valid during ``span``: every such stake of each holder
        reached, the only ones a snapshot of the span takes (in the order of the whole
        index: by statement IRI), with the names of every company they join (and of
        ``also``)."""
        if interest not in INTERESTS:
            raise ValueError(f"interest {interest!r}")
        seen = {start}
        frontier = [start]
        stakes: list[Stake] = []
        # The stakes that can count during the span, chosen by SQLite (the test of
        # Interval.possible_during on the day numbers); breadth first, a level at a time:
        # one query per 500 holders of a level, its rows decoded by one JSON parse. At 22k
        # stakes read, one query and one decoding per holder and per stake of any day were
        # 0.2 s of a 1.3 s answer; half of them could not count.
        can_count = (
            f"{interest} = 1 AND (starts IS NULL OR starts <= ?) AND (ends IS NULL OR ? < ends)"
        )
        days = (span.latest.toordinal(), span.earliest.toordinal())
        while frontier:
            rows = []
            for k in range(0, len(frontier), 500):
                chunk = frontier[k : k + 500]
                marks = ", ".join("?" * len(chunk))
                rows += self.db.execute(
                    f"SELECT iri, holder, held, data FROM stake"
                    f" WHERE holder IN ({marks}) AND {can_count}",
                    (*chunk, *days),
                )
            fields = json.loads("[" + ",".join(row[3] for row in rows) + "]")
            frontier = []
            for (iri, holder, held, _), r in zip(rows, fields, strict=True):
                stakes.append(stake_from_fields(iri, holder, held, r))
                if held not in seen:
                    seen.add(held)
                    frontier.append(held)
        stakes.sort(key=lambda s: s.iri)
        names = {start, *(x for x in also if x is not None)}
        for s in stakes:
            names.update((s.holder, s.held))
            if s.through:
                names.add(s.through)
        labels, kinds = {}, {}
        ordered = sorted(names)
        for k in range(0, len(ordered), 500):
            chunk = ordered[k : k + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT iri, label, kind FROM entity WHERE iri IN ({marks})", chunk
            )
            for iri, label, kind in rows:
                labels[iri], kinds[iri] = label, kind
        return Holdings(stakes, labels, {}, kinds, set(labels))
