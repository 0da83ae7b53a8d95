"""The days on which a holder's stake in a company changes."""

from __future__ import annotations

import datetime as dt

from .holdings import as_holdings
from .integrated import check_definition, integrated
from .light import reach
from .snapshot import check
from .stake import stake


def timeline(
    graph,
    holder: str,
    held: str,
    *,
    definition: str = "corrected",
    reading: str = "as-of",
) -> list[dict]:
    """The days on which the direct, voting or integrated figure of ``holder`` in
    ``held`` changes, or on which it becomes or stops being certain.

    Every day on which some stake between them starts, ends, becomes certain or is
    reported (the only days a reading can change) is tried; a record is written where
    something differs from the day before: ``{"from", "until", "direct_percent",
    "voting_percent", "integrated_percent", "certain", "approximate", "sources"}``
    (approximate: the direct or the integrated figure rests on one the sources give as
    "about"; ``until`` excluded,
    None for the last; ``from`` None for a first record that holds since before any day
    the data names: a start not known). The figures are those of :func:`stake` and
    :func:`integrated` on each day: one code path.
    """
    from ..entities import resolve

    check_definition(definition)
    check("economic", reading)
    h = as_holdings(graph)
    a, b = resolve(h, holder), resolve(h, held)
    # Only stakes on some walk from a to b, on any day, can move the figures.
    down: dict[str, set[str]] = {}
    up: dict[str, set[str]] = {}
    for s in h.stakes:
        down.setdefault(s.holder, set()).add(s.held)
        up.setdefault(s.held, set()).add(s.holder)
    nodes = down.keys() | up.keys()
    if a not in nodes or b not in nodes:
        return []
    between = reach(down, a) & reach(up, b)
    local = h.subset([s for s in h.stakes if s.holder in between and s.held in between])
    days = set()
    for s in local.stakes:
        iv = s.interval
        days.update(
            d
            for d in (iv.start_earliest, iv.start_latest, iv.end_earliest, iv.end_latest)
            if d is not None
        )
        days.update(s.evidence)
    records: list[dict] = []
    last = None
    for day in sorted(days):
        d = stake(local, a, b, day, reading=reading)
        integ = integrated(local, a, b, day, definition=definition, reading=reading)
        value = (
            d["percent"],
            d["voting_percent"],
            integ["integrated_percent"],
            d["certain"] and integ["certain"],
            d["approximate"] or integ["approximate"],
        )
        if value == last:
            continue
        if records:
            records[-1]["until"] = day.isoformat()
        last = value
        records.append(
            {
                "from": day.isoformat(),
                "until": None,
                "direct_percent": value[0],
                "voting_percent": value[1],
                "integrated_percent": value[2] if value[2] else None,
                "certain": value[3],
                "approximate": value[4],
                "sources": d["sources"],
            }
        )
    # Before the first day the data names (a start unknown, or no date at all) the stake
    # may already hold, as `stake` answers on such a day: a record from an open start
    # ("from" None) says so, where the timeline used to begin at that first day, or say
    # nothing at all for a stake with no dates.
    before = (min(days) - dt.timedelta(days=1)) if days else dt.date.today()
    d = stake(local, a, b, before, reading=reading)
    integ = integrated(local, a, b, before, definition=definition, reading=reading)
    if d["percent"] is not None or d["voting_percent"] is not None:
        records.insert(
            0,
            {
                "from": None,
                "until": records[0]["from"] if records else None,
                "direct_percent": d["percent"],
                "voting_percent": d["voting_percent"],
                "integrated_percent": integ["integrated_percent"] or None,
                "certain": d["certain"] and integ["certain"],
                "approximate": d["approximate"] or integ["approximate"],
                "sources": d["sources"],
            },
        )
    # A leading record where nothing holds says nothing.
    while (
        records
        and records[0]["direct_percent"] is None
        and records[0]["voting_percent"] is None
        and records[0]["integrated_percent"] is None
    ):
        records.pop(0)
    return records
