"""Simple paths of stakes between two companies, most significant first."""

from __future__ import annotations

import datetime as dt

from ..errors import UsageError
from ..temporal import DateSpan
from .holdings import as_holdings
from .snapshot import cached_snapshot, pct


def between(g, a: str, b: str) -> set:
    """The nodes of ``g`` that lie on some walk from a to b (the omitted stakes of a
    certain-reading snapshot count as walks too)."""
    import networkx as nx

    omitted = g.graph.get("omitted", {})
    union = g
    if omitted:  # a copy only when there is something to add
        union = nx.DiGraph(g.edges)
        union.add_edges_from(omitted)
    if a not in union or b not in union:
        return set()
    return (nx.descendants(union, a) | {a}) & (nx.ancestors(union, b) | {b})


def paths(
    graph,
    holder: str,
    held: str,
    at: dt.date | str | DateSpan | None = None,
    *,
    max_depth: int | None = None,
    limit: int | None = None,
    interest: str = "economic",
    reading: str = "as-of",
) -> dict:
    """Every simple path of stakes from ``holder`` to ``held``, most significant first.

    ``{"holder", "held", "at", "paths": [{"nodes": [labels], "percent", "certain",
    "approximate"}], "total_percent", "complete", "certain", "approximate"}``; a path is
    approximate when one of its stakes is a figure the sources give as "about" (and the
    answer when one of its paths is). A path's percent is the product of its
    stakes; the total is their sum, which counts each chain once: integrated ownership
    also counts the walks that go round cycles. ``certain`` (for the whole answer) is
    true only when every path is certain and no possible stake the reading left out lies
    between the two.

    The search is confined to the companies that lie between the two. Simple paths are
    exponentially many inside large cycles of cross-holdings, so ``limit`` lists only the
    ``limit`` most significant, found best-first (Yen's k shortest simple paths on
    -log(stake), :func:`networkx.shortest_simple_paths`) without listing the others; the
    total is then given only if no other path exists (``complete``).
    """
    import math

    import networkx as nx

    from ..entities import resolve

    h = as_holdings(graph)
    a, b = resolve(h, holder), resolve(h, held)
    if max_depth is not None and max_depth < 1:
        raise UsageError(f"--max-depth must be at least 1, not {max_depth}")
    if limit is not None and limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    g = cached_snapshot(h, at, interest, reading)
    # A plain copy of the part between the two: views filter on every step of the search.
    sub = nx.DiGraph()
    inside = between(g, a, b) if a != b else set()
    omitted_between = [e for e in g.graph.get("omitted", {}) if set(e) <= inside]
    if a != b:
        part = g.subgraph(inside)
        sub.add_edges_from(
            (u, v, {"p": d["percent"] / 100.0, "w": -math.log(d["percent"] / 100.0)})
            for u, v, d in part.edges(data=True)
            if d["percent"] > 0
        )
    found, complete = [], True
    # the two may lie between each other only through stakes the reading leaves out
    # (between() reads those too), and then no path joins them in sub
    if a in sub and b in sub and nx.has_path(sub, a, b):
        if limit is not None and max_depth is None:
            walker = nx.shortest_simple_paths(sub, a, b, weight="w")
        else:
            walker = nx.all_simple_paths(sub, a, b, cutoff=max_depth)
        for nodes in walker:
            if limit is not None and max_depth is None and len(found) == limit:
                complete = False  # a further path exists
                break
            product, certain, about = 1.0, True, False
            for u, v in zip(nodes, nodes[1:], strict=False):
                product *= sub.edges[u, v]["p"]
                certain = certain and g.edges[u, v]["certain"]
                about = about or g.edges[u, v]["approximate"]
            found.append((product, nodes, certain, about))
    found.sort(key=lambda p: (-p[0], len(p[1]), [h.label(n) for n in p[1]]))
    if limit is not None and len(found) > limit:
        found, complete = found[:limit], False
    return {
        "holder": h.label(a),
        "held": h.label(b),
        "at": g.graph["at"],
        "paths": [
            {
                "nodes": [h.label(n) for n in nodes],
                "percent": pct(p),
                "certain": c,
                "approximate": about,
                "node_iris": list(nodes),
            }
            for p, nodes, c, about in found
        ],
        "total_percent": pct(sum(p for p, *_ in found)) if complete else None,
        "complete": complete,
        "certain": complete and all(c for _, _, c, _ in found) and not omitted_between,
        "approximate": any(about for *_, about in found),
        "holder_iri": a,
        "held_iri": b,
    }
