"""The GEXF export for Gephi: a dynamic graph whose edges live when their facts hold.

GEXF's ``start`` and ``end`` are its time model, so the file is ``mode="dynamic"`` with
``timeformat="date"`` and every dated relationship carries its interval as days:

- ``start`` is ``ag:startEarliest`` and ``end`` the day before ``ag:endLatest`` (GEXF
  intervals are closed, the project's end bounds exclusive): the edge is shown on every
  day the fact *possibly* holds, the uncertain windows included. A fact with no
  ``ag:endLatest`` (ongoing, or ended on an unknown day) has no ``end``.
- the dynamic attribute ``holds`` is ``certain`` on the days the fact certainly holds
  (``ag:startLatest`` to the day before ``ag:endEarliest``: the temporal model's certain
  reading) and ``possible`` in the uncertain windows, so Gephi can filter or colour
  them on its timeline.
- the dates as the sources give them (``2002``, ``1999-05``) stay as the attributes
  ``start_given`` and ``end_given``; the day bounds stay as attributes too.

Edges without dates (links such as ``BUILT_ON``) and nodes are shown at all times.
"""

from __future__ import annotations

import datetime as dt
import re

from .parts import Parts
from .property_graph import for_options, networkx_graph
from .registry import Options

#: Attribute names GEXF keeps for its time model, and what the given dates become.
RENAMED = {"start": "start_given", "end": "end_given"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day(value) -> dt.date | None:
    if isinstance(value, str) and _DAY.match(value):
        return dt.date.fromisoformat(value)
    return None


def _iso(day: dt.date) -> str:
    return day.isoformat()


def spells(attrs: dict) -> tuple[str | None, str | None, list[tuple[str, str | None, str | None]]]:
    """(start, end, spells of ``holds``) of an edge, as GEXF days (closed intervals).

    The spells cover the possible span; each says ``certain`` where
    ``startLatest <= day < endEarliest`` (docs/temporal-model.md), else ``possible``.
    """
    s_early, s_late = _day(attrs.get("startEarliest")), _day(attrs.get("startLatest"))
    e_early, e_late = _day(attrs.get("endEarliest")), _day(attrs.get("endLatest"))
    if s_early is None and e_late is None and s_late is None and e_early is None:
        return None, None, []
    points = sorted({d for d in (s_early, s_late, e_early, e_late) if d is not None})
    if e_late is not None:
        points = [p for p in points if p <= e_late]
    if s_early is not None:
        points = [p for p in points if p >= s_early]
    bounds: list[dt.date | None] = list(points)
    if s_early is None:
        bounds.insert(0, None)
    if e_late is None:
        bounds.append(None)

    def certain(first: dt.date | None) -> bool:
        if s_late is None or first is None or first < s_late:
            return False
        return e_early is None or first < e_early

    one = dt.timedelta(days=1)
    merged: list = []
    for first, after in zip(bounds, bounds[1:], strict=False):
        if first is not None and after is not None and after <= first:
            continue
        value = "certain" if certain(first) else "possible"
        last = after - one if after is not None else None
        if merged and merged[-1][0] == value:
            merged[-1] = (value, merged[-1][1], last)
        else:
            merged.append((value, first, last))
    result = [(v, _iso(f) if f else None, _iso(x) if x else None) for v, f, x in merged]
    start = _iso(s_early) if s_early else None
    end = _iso(e_late - one) if e_late else None
    return start, end, result


def write_gexf(parts: Parts, out, options: Options) -> None:
    import networkx as nx

    graph = networkx_graph(for_options(parts, options))
    for _, attrs in graph.nodes(data=True):
        for old, new in RENAMED.items():
            if old in attrs:
                attrs[new] = attrs.pop(old)
    for _, _, attrs in graph.edges(data=True):
        for old, new in RENAMED.items():
            if old in attrs:
                attrs[new] = attrs.pop(old)
        start, end, holds = spells(attrs)
        if start is not None:
            attrs["start"] = start
        if end is not None:
            attrs["end"] = end
        if holds:
            attrs["holds"] = holds
    graph.graph["mode"] = "dynamic"
    nx.write_gexf(graph, out, encoding="utf-8")
