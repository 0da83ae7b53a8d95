"""Snapshots: the stakes a reading takes on a day, one figure per position.

A *position* is one holder's stake in one company held directly or through one
intermediary (``ag:heldThrough``); the positions of a holder in one company add up.

How one position's figure is chosen (docs/ownership.md, "Choosing between claims"):

1. the reading decides which stakes are in the running: ``certain`` those certainly valid
   on every day asked, ``possible`` and ``as-of`` every possibly valid one;
2. ``possible`` takes the largest figure; ``as-of`` the one with the latest evidence
   (``startLatest`` or a citation's ``ag:reportedOn``) on or before the day;
3. where several stakes are certainly valid on the day (overlapping claims), the one with
   the higher ``ag:rank`` wins, then the one with the latest report; if they still tie the
   reading refuses to guess: ``certain: false`` and both are listed as candidates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..temporal import READINGS, DateSpan, parse_date
from .holdings import INTERESTS, RANK_NAMES, Holdings, Stake, as_holdings

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx


def as_span(at: dt.date | str | DateSpan | None) -> DateSpan:
    """``at`` as a span of days: a date, or ``YYYY`` / ``YYYY-MM`` / ``YYYY-MM-DD``;
    None is today."""
    if at is None:
        at = dt.date.today()
    if isinstance(at, DateSpan):
        return at
    if isinstance(at, dt.datetime):
        at = at.date()
    if isinstance(at, dt.date):
        return DateSpan(at, at, "day")
    try:
        return parse_date(str(at))
    except ValueError as exc:
        raise UsageError(f"--at: {exc}") from None


def check(interest: str, reading: str) -> None:
    """Raise :class:`UsageError` for an unknown interest or reading."""
    if interest not in INTERESTS:
        raise UsageError(f"interest {interest!r}: choose one of {', '.join(INTERESTS)}")
    if reading not in READINGS:
        raise UsageError(f"reading {reading!r}: choose one of {', '.join(READINGS)}")


def round_figure(value: float) -> float:
    """12 significant digits: float noise goes, tiny but real stakes stay non-zero."""
    return float(f"{value:.12g}")


def pct(fraction: float) -> float:
    """A fraction as a percent."""
    return round_figure(fraction * 100.0)


@dataclass(frozen=True)
class Choice:
    """The figure a reading takes for one position, and the figures it leaves aside.

    ``others`` are the other possible figures (candidates); ``outranked`` the overlapping
    claims that lost by rank or by an older report, each with the reason.
    """

    stake: Stake
    certain: bool
    others: tuple[Stake, ...]
    outranked: tuple[tuple[Stake, str], ...] = ()
    tie: bool = False


def _asof_key(stake: Stake, span: DateSpan):
    # Latest evidence on or before the day first; with none, the figure that was in
    # place earliest (a change nobody has reported yet is not assumed); then certainty.
    ev = stake.evidence_on_or_before(span.latest)
    se = stake.interval.start_earliest
    return (
        ev or dt.date.min,
        stake.interval.certain_over(span),
        -(se.toordinal() if se else 0),
        stake.iri,
    )


def _overlap_key(stake: Stake):
    return (stake.rank, stake.reported[-1] if stake.reported else dt.date.min)


def _settle(overlapping: list[Stake]):
    """The winner of overlapping claims, the losers with reasons, and whether it tied."""
    ordered = sorted(overlapping, key=lambda s: (_overlap_key(s), s.iri), reverse=True)
    first, second = ordered[0], ordered[1]
    if _overlap_key(first) == _overlap_key(second):
        return min(overlapping, key=lambda s: s.iri), (), True
    losers = []
    for s in ordered[1:]:
        if s.rank < first.rank:
            why = (
                f"overlaps {first.iri} and has the lower rank "
                f"({RANK_NAMES.get(s.rank)} < {RANK_NAMES.get(first.rank)})"
            )
        else:
            last = s.reported[-1].isoformat() if s.reported else "never"
            why = (
                f"overlaps {first.iri} at the same rank and was last reported {last}, "
                f"before {first.reported[-1].isoformat()}"
            )
        losers.append((s, why))
    return first, tuple(losers), False


def choose(stakes: list[Stake], span: DateSpan, interest: str, reading: str) -> Choice | None:
    """The figure ``reading`` takes among the stakes of one position (None: none)."""
    possible = [s for s in stakes if s.interval.possible_during(span)]
    if not possible:
        return None
    certain_ones = [s for s in possible if s.interval.certain_over(span)]
    outranked: tuple = ()
    tie = False
    if reading == "possible":
        chosen = max(possible, key=lambda s: (s.figure(interest), _asof_key(s, span)))
    elif len(certain_ones) > 1:
        chosen, outranked, tie = _settle(certain_ones)
    elif reading == "certain":
        if not certain_ones:
            return None
        chosen = certain_ones[0]
    else:
        chosen = max(possible, key=lambda s: _asof_key(s, span))
    lost = {s.iri for s, _ in outranked}
    others = tuple(s for s in possible if s is not chosen and s.iri not in lost)
    certain = chosen.interval.certain_over(span) and not others and not tie
    return Choice(chosen, certain, others, outranked, tie)


def positions(h: Holdings, interest: str) -> dict[tuple, list[Stake]]:
    """(holder, held, intermediary) -> the stakes of that position, grouped once."""
    groups = h.cache.get(("positions", interest))
    if groups is None:
        groups = {}
        for s in h.stakes:
            if s.has(interest):
                groups.setdefault((s.holder, s.held, s.through), []).append(s)
        h.cache[("positions", interest)] = groups
    return groups


def positions_of_pair(h: Holdings, holder: str, held: str, interest: str) -> dict:
    """The positions of ``holder`` in ``held`` (intermediary -> stakes), indexed once."""
    key = ("pairs", interest)
    by_pair = h.cache.get(key)
    if by_pair is None:
        by_pair = {}
        for (a, b, through), stakes in positions(h, interest).items():
            by_pair.setdefault((a, b), {})[through] = stakes
        h.cache[key] = by_pair
    return by_pair.get((holder, held), {})


def candidate(h: Holdings, o: Stake, interest: str) -> dict:
    return {
        "percent": o.figure(interest),
        "statement": o.iri,
        "sources": list(o.sources),
        "via": h.label(o.through) if o.through else None,
        "approximate": o.approximate,
    }


def chosen(
    h: Holdings, span: DateSpan, interest: str, reading: str
) -> tuple[dict[tuple[str, str], list[Choice]], dict[tuple[str, str], list[str]]]:
    """What a snapshot is made of: the choices of each (holder, held) pair, one per
    position, in a stable order, and the statements possibly valid that the reading
    left out (under ``certain``) by pair. Shared by :func:`snapshot` and the one-pair
    path of integrated ownership that needs no graph library (:mod:`.light`)."""
    edges: dict[tuple[str, str], list[Choice]] = {}
    omitted: dict[tuple[str, str], list[str]] = {}
    for (holder, held, _through), stakes in positions(h, interest).items():
        choice = choose(stakes, span, interest, reading)
        if choice is not None:
            edges.setdefault((holder, held), []).append(choice)
        elif reading == "certain":
            left = [s.iri for s in stakes if s.interval.possible_during(span)]
            if left:
                omitted.setdefault((holder, held), []).extend(left)
    for choices in edges.values():
        choices.sort(key=lambda c: (c.stake.through or "", c.stake.iri))
    return edges, omitted


def pair_percent(choices: list[Choice], interest: str) -> float:
    """The figure of one pair: the sum of its positions' figures (in :func:`chosen`'s
    order), rounded as every figure is."""
    return round_figure(sum(c.stake.figure(interest) for c in choices))


def pair_certain(pair: tuple[str, str], choices: list[Choice], omitted: dict) -> bool:
    """Whether the figure of one pair is certain: every position's choice is, and the
    reading left out none of the pair's statements."""
    return all(c.certain for c in choices) and pair not in omitted


def figures(
    h: Holdings, span: DateSpan, interest: str, reading: str
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], bool], dict, list[str], set]:
    """The figures of a snapshot without its graph: each (holder, held) pair's percent
    (:func:`pair_percent`) and whether it is certain (:func:`pair_certain`), the omitted
    statements by pair (:func:`chosen`'s), the sorted IRIs of every company these join
    and the pairs whose figure sums a stake the sources give as "about": what the matrix
    is built from, where no graph library is needed (:mod:`.light`,
    :func:`.integrated.integrated_from_index`)."""
    edges, omitted = chosen(h, span, interest, reading)
    percent = {pair: pair_percent(choices, interest) for pair, choices in edges.items()}
    certain = {pair: pair_certain(pair, choices, omitted) for pair, choices in edges.items()}
    nodes = sorted({n for p in percent for n in p} | {n for p in omitted for n in p})
    about = {pair for pair, choices in edges.items() if any(c.stake.approximate for c in choices)}
    return percent, certain, omitted, nodes, about


def snapshot(
    graph,
    at: dt.date | str | DateSpan | None = None,
    *,
    interest: str = "economic",
    reading: str = "as-of",
) -> nx.DiGraph:
    """The stakes of one kind of interest valid on ``at``, as a directed graph.

    ``graph`` is :class:`Holdings`, a materialised pyoxigraph store or an rdflib graph.
    Nodes are entity IRIs with ``label``, ``iri`` and ``kind`` (class local name). Edges
    run holder -> held with ``percent`` (0-100; for ``interest="voting"`` the votes the
    holder may exercise: ``ag:votingPercent`` where given, capped by ``ag:votingCap``),
    ``sources``, ``statements`` (the shareholding IRIs), ``certain``, ``via`` (the
    intermediary's label, or None when held directly), ``approximate`` (a figure the
    sources give as "about"), ``candidates`` (the other possible figures, each a dict with
    percent, statement, sources, via, approximate) and ``parts`` (one entry per
    position). ``g.graph["omitted"]`` maps (holder, held) to the statements possibly
    valid that the reading left out (under ``certain``): answers that could depend on them
    are not certain.
    """
    import networkx as nx

    check(interest, reading)
    h = as_holdings(graph)
    span = as_span(at)
    edges, omitted = chosen(h, span, interest, reading)
    g = nx.DiGraph(at=str(span), interest=interest, reading=reading, omitted=omitted)
    for (holder, held), choices in sorted(edges.items()):
        for node in (holder, held):
            if node not in g:
                g.add_node(node, label=h.label(node), iri=node, kind=h.kinds.get(node, "Agent"))
        sources: list[str] = []
        for c in choices:
            sources += [x for x in c.stake.sources if x not in sources]
        vias = [h.label(c.stake.through) for c in choices if c.stake.through]
        g.add_edge(
            holder,
            held,
            percent=pair_percent(choices, interest),
            sources=sources,
            statements=[c.stake.iri for c in choices],
            certain=pair_certain((holder, held), choices, omitted),
            via="; ".join(vias) if vias else None,
            approximate=any(c.stake.approximate for c in choices),
            candidates=[candidate(h, o, interest) for c in choices for o in c.others],
            parts=[
                {
                    "percent": c.stake.figure(interest),
                    "statement": c.stake.iri,
                    "via": h.label(c.stake.through) if c.stake.through else None,
                    "certain": c.certain,
                    "approximate": c.stake.approximate,
                }
                for c in choices
            ],
        )
    return g


CACHE_SIZE = 8


def cached_snapshot(h: Holdings, at, interest: str, reading: str):
    """The snapshot the analyses share, built once per (day, interest, reading): asking
    several questions of one date costs one snapshot."""
    check(interest, reading)
    key = ("snapshot", as_span(at), interest, reading)
    snaps = h.cache.setdefault("snapshots", {})
    g = snaps.pop(key, None)
    if g is None:
        g = snapshot(h, key[1], interest=interest, reading=reading)
    snaps[key] = g  # most recently used last
    while len(snaps) > CACHE_SIZE:
        snaps.pop(next(iter(snaps)))
    return g
