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
VERSION = "holdings-1"


def encode(h: Holdings) -> dict:
    """``h`` as JSON data (lists, numbers, strings)."""
    table: dict[str, int] = {}

    def s(text):
        return None if text is None else table.setdefault(text, len(table))

    def d(day):
        return None if day is None else day.toordinal()

    def stake(x: Stake) -> list:
        i = x.interval
        return [
            s(x.iri),
            s(x.holder),
            s(x.held),
            s(x.through),
            x.percent,
            x.voting_percent,
            x.voting_cap,
            x.economic,
            x.voting,
            [d(i.start_earliest), d(i.start_latest), d(i.end_earliest), d(i.end_latest)],
            [d(e) for e in x.evidence],
            [s(src) for src in x.sources],
            x.rank,
            [d(r) for r in x.reported],
        ]

    data = {
        "stakes": [stake(x) for x in h.stakes],
        "labels": [[s(k), s(v)] for k, v in h.labels.items()],
        "alt_labels": [[s(k), [s(a) for a in v]] for k, v in h.alt_labels.items()],
        "kinds": [[s(k), s(v)] for k, v in h.kinds.items()],
        "entities": sorted(s(e) for e in h.entities),
        "set_aside": [
            [s(a.iri), s(a.reason), None if a.stake is None else stake(a.stake), s(a.winner)]
            for a in h.set_aside
        ],
    }
    data["strings"] = list(table)
    return data


def decode(data: dict) -> Holdings:
    """The :class:`Holdings` that :func:`encode` wrote."""
    table = data["strings"]
    day = dt.date.fromordinal

    def s(i):
        return None if i is None else table[i]

    def d(n):
        return None if n is None else day(n)

    new = object.__new__

    def stake(r: list) -> Stake:
        # The frozen dataclasses' __init__ sets each field through object.__setattr__:
        # at tens of thousands of stakes that was most of the reading. The same fields
        # are set here directly (the objects compare equal: tests/test_kept.py).
        se, sl, ee, el = r[9]
        interval = new(Interval)
        interval.__dict__.update(
            start_earliest=d(se), start_latest=d(sl), end_earliest=d(ee), end_latest=d(el)
        )
        x = new(Stake)
        x.__dict__.update(
            iri=table[r[0]],
            holder=table[r[1]],
            held=table[r[2]],
            through=s(r[3]),
            percent=float(r[4]),
            voting_percent=None if r[5] is None else float(r[5]),
            voting_cap=None if r[6] is None else float(r[6]),
            economic=bool(r[7]),
            voting=bool(r[8]),
            interval=interval,
            evidence=tuple(day(n) for n in r[10]),
            sources=tuple(table[i] for i in r[11]),
            rank=int(r[12]),
            reported=tuple(day(n) for n in r[13]),
        )
        return x

    return Holdings(
        [stake(r) for r in data["stakes"]],
        {table[k]: table[v] for k, v in data["labels"]},
        {table[k]: [table[a] for a in v] for k, v in data["alt_labels"]},
        {table[k]: table[v] for k, v in data["kinds"]},
        {table[e] for e in data["entities"]},
        [
            SetAside(table[a], table[b], None if c is None else stake(c), s(w))
            for a, b, c, w in data["set_aside"]
        ],
    )
