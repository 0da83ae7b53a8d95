"""The ownership index (:class:`~.holdings.Holdings`) as JSON data and back, so that it
can be kept beside an on-disk store (:func:`alliance_graph.persist.kept`) instead of
being read from the store's quads at every start.

Strings (IRIs, labels, reasons) are written once in a table and referred to by
position; days are ordinal numbers (``datetime.date.toordinal``); figures are JSON
numbers, which read back as the same floats.
"""

from __future__ import annotations

import datetime as dt

from ..temporal import Interval
from .model import Holdings, SetAside, Stake

# Bump when the layout below changes: files of another version are rebuilt.
# 2: several values set aside; 3: their pairs; 4: unfigured bounds; 5: a NaN or INF
# percent refused (a snapshot kept from such data under --no-validate is rebuilt);
# 6: ag:approximate
VERSION = "holdings-6"


def _ordinal(day):
    return None if day is None else day.toordinal()


def stake_fields(x: Stake, text=None) -> list:
    """What a stake holds besides its IRI, holder and held, as JSON data: the one layout
    of both kept files (this one, and ``holdings.sqlite`` of :mod:`.by_company`).
    ``text`` maps each string to what is written for it (None: the string itself)."""
    i = x.interval
    return [
        x.through if text is None or x.through is None else text(x.through),
        x.percent,
        x.voting_percent,
        x.voting_cap,
        x.economic,
        x.voting,
        [_ordinal(d) for d in (i.start_earliest, i.start_latest, i.end_earliest, i.end_latest)],
        [d.toordinal() for d in x.evidence],
        list(x.sources) if text is None else [text(src) for src in x.sources],
        x.rank,
        [d.toordinal() for d in x.reported],
        x.approximate,
    ]


def stake_from_fields(
    iri: str, holder: str, held: str, r: list, text=None, day=dt.date.fromordinal
) -> Stake:
    """The :class:`Stake` that :func:`stake_fields` wrote (``text`` reads back what it
    mapped each string to)."""
    # The frozen dataclasses' __init__ sets each field through object.__setattr__: at
    # tens of thousands of stakes that was most of the reading. The same fields are set
    # here directly (the objects compare equal: tests/test_kept.py).
    se, sl, ee, el = r[6]
    interval = object.__new__(Interval)
    interval.__dict__.update(
        start_earliest=None if se is None else day(se),
        start_latest=None if sl is None else day(sl),
        end_earliest=None if ee is None else day(ee),
        end_latest=None if el is None else day(el),
    )
    x = object.__new__(Stake)
    x.__dict__.update(
        iri=iri,
        holder=holder,
        held=held,
        through=r[0] if text is None or r[0] is None else text(r[0]),
        percent=float(r[1]),
        voting_percent=None if r[2] is None else float(r[2]),
        voting_cap=None if r[3] is None else float(r[3]),
        economic=bool(r[4]),
        voting=bool(r[5]),
        interval=interval,
        evidence=tuple(map(day, r[7])),
        sources=tuple(r[8]) if text is None else tuple(map(text, r[8])),
        rank=int(r[9]),
        reported=tuple(map(day, r[10])),
        approximate=bool(r[11]),
    )
    return x


def encode(h: Holdings) -> dict:
    """``h`` as JSON data (lists, numbers, strings)."""
    table: dict[str, int] = {}

    def s(text):
        return None if text is None else table.setdefault(text, len(table))

    def stake(x: Stake) -> list:
        return [s(x.iri), s(x.holder), s(x.held), *stake_fields(x, s)]

    data = {
        "stakes": [stake(x) for x in h.stakes],
        "labels": [[s(k), s(v)] for k, v in h.labels.items()],
        "alt_labels": [[s(k), [s(a) for a in v]] for k, v in h.alt_labels.items()],
        "kinds": [[s(k), s(v)] for k, v in h.kinds.items()],
        "entities": sorted(s(e) for e in h.entities),
        "set_aside": [
            [
                s(a.iri),
                s(a.reason),
                None if a.stake is None else stake(a.stake),
                s(a.winner),
                [s(x) for x in a.holders],
                [s(x) for x in a.helds],
                [s(x) for x in a.bounds],
            ]
            for a in h.set_aside
        ],
    }
    data["strings"] = list(table)
    return data


def decode(data: dict) -> Holdings:
    """The :class:`Holdings` that :func:`encode` wrote."""
    table = data["strings"]

    def s(i):
        return None if i is None else table[i]

    def stake(r: list) -> Stake:
        return stake_from_fields(table[r[0]], table[r[1]], table[r[2]], r[3:], table.__getitem__)

    return Holdings(
        [stake(r) for r in data["stakes"]],
        {table[k]: table[v] for k, v in data["labels"]},
        {table[k]: [table[a] for a in v] for k, v in data["alt_labels"]},
        {table[k]: table[v] for k, v in data["kinds"]},
        {table[e] for e in data["entities"]},
        [
            SetAside(
                table[a],
                table[b],
                None if c is None else stake(c),
                s(w),
                tuple(table[x] for x in hs),
                tuple(table[x] for x in ds),
                tuple(s(x) for x in bs),
            )
            for a, b, c, w, hs, ds, bs in data["set_aside"]
        ],
    )
