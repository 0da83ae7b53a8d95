"""Control: who holds more than half (or half or more) of a company, alone or through
the companies it already controls, by votes or by ownership.

A holder c controls x when its own figure in x plus the whole figures of the companies c
controls pass the threshold (a controlled company's stake counts whole, not scaled by
c's share in it: consolidation's control percentage, and the aggregation of the OFAC 50
Percent Rule). The least fixed point is computed once for the part of the network that
can reach the company asked about, strongly connected components in topological order,
so one question costs time proportional to that part, not to the whole network.
"""

from __future__ import annotations

import datetime as dt

from ..errors import UsageError
from ..temporal import DateSpan
from .holdings import as_holdings
from .snapshot import cached_snapshot, round_figure

THRESHOLDS = ("above-50", "50-or-more")
BASES = ("votes", "ownership")


def passes(figure: float, threshold: str) -> bool:
    # Compared after rounding to 9 decimals, so 50.0 computed as a sum of figures is 50.0
    # and not 49.99999999.
    figure = round(figure, 9)
    return figure > 50.0 if threshold == "above-50" else figure >= 50.0


def controllers_upstream(g, b: str, threshold: str) -> dict[str, set[str]]:
    """Every node that can reach ``b`` (and ``b``) -> the nodes that control it."""
    import networkx as nx

    part = g.subgraph(nx.ancestors(g, b) | {b})
    ctl: dict[str, set[str]] = {x: set() for x in part}
    condensed = nx.condensation(part)
    for comp in nx.topological_sort(condensed):
        members = sorted(condensed.nodes[comp]["members"])
        changed = True
        while changed:
            changed = False
            for x in members:
                preds = [v for v in part.predecessors(x) if v != x]  # own shares: no votes
                candidates = set(preds)
                for v in preds:
                    candidates |= ctl[v]
                candidates -= ctl[x] | {x}
                for c in sorted(candidates):
                    total = sum(g.edges[v, x]["percent"] for v in preds if v == c or c in ctl[v])
                    if passes(total, threshold):
                        ctl[x].add(c)
                        changed = True
    return ctl


def _counted(g, ctl, c: str, x: str) -> dict[str, float]:
    """The figures counted for ``c`` in ``x``: its own and those of what it controls."""
    return {
        v: g.edges[v, x]["percent"] for v in g.predecessors(x) if v != x and (v == c or c in ctl[v])
    }


def _left_out_upstream(g, b: str, omitted_pairs) -> bool:
    """Whether a stake the reading left out is held in ``b`` or in a company upstream of
    it: a walk back from b over the stakes counted (only b's ancestors are visited),
    stopping at the first company a left-out stake is held in. What lies upstream only
    through a left-out stake is never needed: its held company answers first."""
    into = g.graph.get("_omitted_into")
    if into is None:
        into = g.graph["_omitted_into"] = {}
        for u, v in omitted_pairs:
            into.setdefault(v, []).append(u)
    todo, seen = [b], {b}
    while todo:
        x = todo.pop()
        if x in into:
            return True
        for u in g.predecessors(x) if x in g else ():
            if u not in seen:
                seen.add(u)
                todo.append(u)
    return False


def control(
    graph,
    held: str,
    at: dt.date | str | DateSpan | None = None,
    *,
    threshold: str = "above-50",
    reading: str = "as-of",
    basis: str = "votes",
) -> dict:
    """Who controls ``held`` on ``at``, and through which chain.

    ``basis="votes"`` (default, as consolidation reads control) counts the stakes with
    votes (``ag:VotingInterest``) at the votes the holder may exercise
    (``ag:votingPercent`` capped by ``ag:votingCap``); ``basis="ownership"`` counts
    capital (``ag:EconomicInterest``), as the OFAC 50 Percent Rule aggregates ownership,
    votes or not. ``threshold`` is ``"above-50"`` (strictly more than 50%) or
    ``"50-or-more"`` (the OFAC rule).

    ``{"held", "at", "threshold", "basis", "controlled", "controllers": [{"controller",
    "percent", "direct_percent", "votes_percent", "direct_votes_percent", "through",
    "chain", "ultimate", "certain", "approximate"}], "holders": [{"holder", "percent",
    "votes_percent", "certain", "approximate"}], "aggregates": [{"holder",
    "aggregate_percent", "direct_percent", "through", "controls", "certain",
    "approximate"}]}`` (approximate: a counted figure is one the sources give as
    "about"); ``chain`` lists the control steps ``{"holder", "held", "percent",
    "votes_percent", "approximate"}`` from the controller down to
    ``held``; ``aggregates`` gives every holder's own stake plus the whole stakes of the
    companies it controls, also below the threshold; the ``votes_*`` keys are None under
    ``basis="ownership"``.
    """
    from ..entities import resolve

    if threshold not in THRESHOLDS:
        raise UsageError(f"threshold {threshold!r}: choose one of {', '.join(THRESHOLDS)}")
    if basis not in BASES:
        raise UsageError(f"basis {basis!r}: choose one of {', '.join(BASES)}")
    votes = basis == "votes"
    h = as_holdings(graph)
    b = resolve(h, held)
    g = cached_snapshot(h, at, "voting" if votes else "economic", reading)
    omitted_pairs = list(g.graph.get("omitted", {}))
    result = {
        "held": h.label(b),
        "at": g.graph["at"],
        "threshold": threshold,
        "basis": basis,
        "controlled": False,
        "controllers": [],
        "holders": [],
        "aggregates": [],
        "held_iri": b,
    }
    if b not in g:
        return result
    # A stake the reading leaves out can change who controls b wherever it is held in b
    # or in a company upstream of b: the holder may then control that company and count
    # its votes (looking only at the chain counted missed a left-out stake in a company
    # it would have brought in). With one, no aggregate is certain.
    left_out = bool(omitted_pairs) and _left_out_upstream(g, b, omitted_pairs)

    def as_votes(value):
        return value if votes else None

    result["holders"] = sorted(
        (
            {
                "holder": h.label(v),
                "percent": g.edges[v, b]["percent"],
                "votes_percent": as_votes(g.edges[v, b]["percent"]),
                "certain": g.edges[v, b]["certain"],
                "approximate": g.edges[v, b]["approximate"],
                "holder_iri": v,
            }
            for v in g.predecessors(b)
            if v != b
        ),
        key=lambda r: (-r["percent"], r["holder"]),
    )
    ctl = controllers_upstream(g, b, threshold)

    def chain_of(c: str):
        steps, edges, todo, seen = [], [], [b], set()
        while todo:  # walk back from b to c over the figures that were counted
            x = todo.pop()
            if x in seen or x == c:
                continue
            seen.add(x)
            for v, figure in sorted(_counted(g, ctl, c, x).items()):
                steps.append(
                    {
                        "holder": h.label(v),
                        "held": h.label(x),
                        "percent": figure,
                        "votes_percent": as_votes(figure),
                        "approximate": g.edges[v, x]["approximate"],
                        "holder_iri": v,
                        "held_iri": x,
                    }
                )
                edges.append((v, x))
                todo.append(v)
        certain = all(g.edges[e]["certain"] for e in edges) and not left_out
        about = any(g.edges[e]["approximate"] for e in edges)
        return sorted(steps, key=lambda s: (s["holder"], s["held"])), certain, about

    candidates = set()
    for v in g.predecessors(b):
        if v != b:
            candidates |= {v} | ctl[v]
    for c in sorted(candidates):
        counted = _counted(g, ctl, c, b)
        chain, certain, about = chain_of(c)
        total = round_figure(sum(counted.values()))
        through = sorted(h.label(v) for v in counted if v != c)
        result["aggregates"].append(
            {
                "holder": h.label(c),
                "aggregate_percent": total,
                "direct_percent": counted.get(c),
                "through": through,
                "controls": c in ctl[b],
                "certain": certain,
                "approximate": about,
                "holder_iri": c,
            }
        )
        if c in ctl[b]:
            result["controllers"].append(
                {
                    "controller": h.label(c),
                    "percent": total,
                    "direct_percent": counted.get(c),
                    "votes_percent": as_votes(total),
                    "direct_votes_percent": as_votes(counted.get(c)),
                    "through": through,
                    "chain": chain,
                    "ultimate": not ctl[c],
                    "certain": certain,
                    "approximate": about,
                    "controller_iri": c,
                }
            )
    result["aggregates"].sort(key=lambda r: (-r["aggregate_percent"], r["holder"], r["holder_iri"]))
    result["controllers"].sort(
        key=lambda r: (not r["ultimate"], r["controller"], r["controller_iri"])
    )
    result["controlled"] = bool(result["controllers"])
    return result
