"""Ownership on a date: snapshots, direct stakes, paths, integrated ownership, control.

Every analysis reads the best-ranked shareholdings (``ag:BestRank``: Wikidata's "truthy"
reading) and one of the three readings of docs/temporal-model.md on the day asked:

- ``certain``: only stakes certainly valid on the day (every day of it, for a month or a
  year);
- ``possible``: every stake possibly valid; where one position has several possible
  figures, the largest (an upper bound, for screening);
- ``as-of`` (default): per position, the figure with the latest evidence (``startLatest``
  or a citation's ``ag:reportedOn``) on or before the day; when it is not certain the
  answer says ``certain: false`` and lists the other possible figures with their sources.

A *position* is one holder's stake in one company held directly or through one
intermediary (``ag:heldThrough``); the positions of a holder in one company add up (Renault
held Nissan directly and through the French trust in 2023-2025). See docs/ownership.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AllianceGraphError, DataFileError, UsageError
from .temporal import READINGS, DateSpan, Interval, parse_date

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from rdflib import Graph

AG = "https://w3id.org/alliance-graph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"

INTERESTS = ("economic", "voting")
_INTEREST_IRI = {"economic": AG + "EconomicInterest", "voting": AG + "VotingInterest"}


class OwnershipError(AllianceGraphError):
    """The ownership data cannot answer the question as asked."""


class SingularOwnershipError(OwnershipError):
    """Companies in a cycle hold all of each other, so integrated ownership is undefined."""

    def __init__(self, companies: list[str], detail: str = ""):
        self.companies = companies
        names = ", ".join(companies[:10]) + (" ..." if len(companies) > 10 else "")
        super().__init__(
            "integrated ownership is undefined: the cycle of "
            f"{names} holds {detail or '100% of each of its members'} "
            "(I - A is singular); check the stakes of these companies"
        )


# ---------------------------------------------------------------------------------------
# Stakes as read from the RDF
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stake:
    """One best-ranked shareholding with a figure."""

    iri: str
    holder: str
    held: str
    through: str | None
    percent: float
    voting_percent: float | None
    voting_cap: float | None
    economic: bool
    voting: bool
    interval: Interval
    evidence: tuple[dt.date, ...]  # startLatest and reportedOn days, sorted
    sources: tuple[str, ...]

    def has(self, interest: str) -> bool:
        return self.economic if interest == "economic" else self.voting

    def figure(self, interest: str) -> float:
        """The percent this stake gives: capital, or the votes the holder may exercise."""
        if interest == "economic":
            return self.percent
        votes = self.voting_percent if self.voting_percent is not None else self.percent
        if self.voting_cap is not None:
            votes = min(votes, self.voting_cap)
        return votes

    def evidence_on_or_before(self, day: dt.date) -> dt.date | None:
        best = None
        for d in self.evidence:
            if d <= day:
                best = d
        return best


@dataclass
class Holdings:
    """The shareholdings of a graph, read once, and the names of the entities they join.

    Build it with :func:`holdings` (from an rdflib graph) or :func:`holdings_from_files`
    (a faster parser for large files); every analysis accepts it in place of a graph.
    """

    stakes: list[Stake]
    labels: dict[str, str] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    entities: set[str] = field(default_factory=set)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or _local_name(iri)


def _local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1] or iri
    return iri


_PRECISION = {XSD + "date": "day", XSD + "gYearMonth": "month", XSD + "gYear": "year"}
_BOUNDS = {
    AG + "start": (AG + "startEarliest", AG + "startLatest"),
    AG + "end": (AG + "endEarliest", AG + "endLatest"),
}
_RANK = {AG + "DeprecatedRank": 0, AG + "NormalRank": 1, AG + "PreferredRank": 2}

# Predicates whose values the stakes need; everything else in the graph is skipped.
_WANTED = {
    RDF_TYPE,
    RDFS_LABEL,
    SKOS_ALT,
    RDFS_SUBCLASS,
    *(
        AG + p
        for p in (
            "holder",
            "held",
            "heldThrough",
            "percent",
            "votingPercent",
            "votingCap",
            "interest",
            "start",
            "end",
            "startEarliest",
            "startLatest",
            "endEarliest",
            "endLatest",
            "citation",
            "source",
            "reportedOn",
            "rank",
            "competesWith",
        )
    ),
}


def _span(lexical: str, datatype: str | None) -> DateSpan | None:
    """Like :func:`alliance_graph.temporal.span_of_literal`, on plain strings."""
    precision = _PRECISION.get(datatype or "")
    if precision is None:
        return None
    try:
        span = parse_date(lexical)
    except ValueError:
        return None
    return span if span.precision == precision else None


def _day(lexical: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(lexical)
    except ValueError:
        return None


class _Index:
    """predicate -> subject -> [objects]; objects are IRIs/blank ids (str) or literals
    as (lexical, datatype, language) tuples."""

    def __init__(self) -> None:
        self.by_pred: dict[str, dict[str, list]] = {p: {} for p in _WANTED}

    def add(self, s: str, p: str, o) -> None:
        table = self.by_pred.get(p)
        if table is not None:
            table.setdefault(s, []).append(o)

    def get(self, p: str, s: str) -> list:
        return self.by_pred[p].get(s, [])

    def one(self, p: str, s: str):
        values = self.by_pred[p].get(s)
        return values[0] if values else None


def _index_rdflib(graph: Graph) -> _Index:
    from rdflib import BNode, Literal, URIRef

    index = _Index()
    for p in _WANTED:
        table = index.by_pred[p]
        for s, o in graph.subject_objects(URIRef(p)):
            if isinstance(o, Literal):
                value = (str(o), str(o.datatype) if o.datatype else None, o.language)
            elif isinstance(o, BNode):
                value = "_:" + str(o)
            else:
                value = str(o)
            key = "_:" + str(s) if isinstance(s, BNode) else str(s)
            table.setdefault(key, []).append(value)
    return index


def holdings(graph: Graph) -> Holdings:
    """Read the stakes of an rdflib graph loaded by :func:`alliance_graph.graph.load`.

    Uses the loader's ``ag:BestRank`` marks; a graph without any (loaded with
    ``derive=False``) gets the same rule applied here, and day bounds are derived from
    ``ag:start`` / ``ag:end`` where the graph has none.
    """
    return _build(_index_rdflib(graph))


def holdings_from_files(paths: Iterable[Path | str], *, ontology: bool = True) -> Holdings:
    """Like ``holdings(load(paths))`` but parsed with pyoxigraph (Rust), several times
    faster on large files; the result is the same (tests compare them)."""
    import pyoxigraph as ox

    from . import resources

    files = list(resources.ontology_files()) if ontology else []
    files += [Path(p) for p in paths]
    index = _Index()
    add = index.add
    wanted = _WANTED
    for path in files:
        if not path.exists():
            raise DataFileError(path, "no such file")
        if path.is_dir():
            raise DataFileError(path, "is a folder, not an RDF file")
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        try:
            for quad in ox.parse(path=str(path), format=fmt, rename_blank_nodes=True):
                p = quad.predicate.value
                if p not in wanted:
                    continue
                s = quad.subject
                s = "_:" + s.value if isinstance(s, ox.BlankNode) else s.value
                o = quad.object
                if isinstance(o, ox.Literal):
                    value = (o.value, o.datatype.value, o.language)
                elif isinstance(o, ox.BlankNode):
                    value = "_:" + o.value
                else:
                    value = o.value
                add(s, p, value)
        except SyntaxError as exc:
            line = getattr(exc, "lineno", None)
            raise DataFileError(path, f"not valid RDF: {exc.msg or exc}", line) from None
    return _build(index)


def _build(index: _Index) -> Holdings:
    types = index.by_pred[RDF_TYPE]
    shareholdings = [s for s, ts in types.items() if AG + "Shareholding" in ts]
    marked = {s for s, ts in types.items() if AG + "BestRank" in ts}
    best = marked if marked else _best_rank(index)

    stakes = []
    for s in sorted(shareholdings):
        if s not in best:
            continue
        stake = _stake(index, s)
        if stake is not None:
            stakes.append(stake)

    # Entities: every holder, held and intermediary, and every instance of a subclass of
    # ag:Agent (so that a company without stakes still resolves by name).
    agent_classes = {AG + "Agent"}
    sub = index.by_pred[RDFS_SUBCLASS]
    changed = True
    while changed:
        changed = False
        for cls, supers in sub.items():
            if cls not in agent_classes and any(x in agent_classes for x in supers):
                agent_classes.add(cls)
                changed = True
    agent_classes |= {AG + c for c in ("Company", "Organisation", "Person", "State", "Trust")}
    entities = {s for s, ts in types.items() if any(t in agent_classes for t in ts)}
    for table in ("holder", "held", "heldThrough"):
        for values in index.by_pred[AG + table].values():
            entities.update(v for v in values if isinstance(v, str))
    labels, alts, kinds = {}, {}, {}
    for e in entities:
        labels[e] = _pick_label(index.get(RDFS_LABEL, e)) or _local_name(e)
        alts[e] = sorted({v[0] for v in index.get(SKOS_ALT, e) if isinstance(v, tuple)})
        own = sorted(
            t[len(AG) :] for t in types.get(e, ()) if t.startswith(AG) and t != AG + "BestRank"
        )
        kinds[e] = own[0] if own else "Agent"
    return Holdings(stakes, labels, alts, kinds, entities)


def _pick_label(values: list) -> str | None:
    literals = [v for v in values if isinstance(v, tuple)]
    if not literals:
        return None
    literals.sort(key=lambda v: (v[2] not in (None, "en"), v[2] or "", v[0]))
    return literals[0][0]


def _best_rank(index: _Index) -> set[str]:
    """The rule of :func:`alliance_graph.temporal.mark_best_rank`, on the index."""
    ranks = index.by_pred[AG + "rank"]

    def rank(node: str) -> int:
        values = ranks.get(node)
        return _RANK.get(values[0], 1) if values else 1

    rivals: dict[str, set[str]] = {}
    for a, bs in index.by_pred[AG + "competesWith"].items():
        for b in bs:
            rivals.setdefault(a, set()).add(b)
            rivals.setdefault(b, set()).add(a)
    best = set()
    for node in index.by_pred[AG + "citation"]:
        own = rank(node)
        if own == 0 or any(rank(r) > own for r in rivals.get(node, ())):
            continue
        best.add(node)
    return best


def _number(index: _Index, prop: str, node: str) -> float | None:
    values = index.get(AG + prop, node)
    if not values:
        return None
    numbers = set()
    for v in values:
        text = v[0] if isinstance(v, tuple) else v
        try:
            numbers.add(float(text))
        except ValueError:
            raise OwnershipError(
                f"shareholding {node} has ag:{prop} {text!r}, which is not a number"
            ) from None
    if len(numbers) > 1:
        raise OwnershipError(
            f"shareholding {node} has {len(numbers)} different values of ag:{prop}: "
            + ", ".join(f"{n:g}" for n in sorted(numbers))
        )
    return numbers.pop()


def _stake(index: _Index, s: str) -> Stake | None:
    holder = index.one(AG + "holder", s)
    held = index.one(AG + "held", s)
    percent = _number(index, "percent", s)
    if not isinstance(holder, str) or not isinstance(held, str) or percent is None:
        return None  # a qualitative claim ("majority") or an incomplete one: no figure
    through = index.one(AG + "heldThrough", s)
    interests = set(index.get(AG + "interest", s))

    bounds: dict[str, dt.date | None] = {}
    for prop, (lo_prop, hi_prop) in _BOUNDS.items():
        lo = index.one(lo_prop, s)
        hi = index.one(hi_prop, s)
        lo_day = _day(lo[0]) if isinstance(lo, tuple) else None
        hi_day = _day(hi[0]) if isinstance(hi, tuple) else None
        given = index.one(prop, s)
        if isinstance(given, tuple) and (lo is None or hi is None):
            span = _span(given[0], given[1])
            if span is not None:
                lo_day = lo_day if lo is not None else span.earliest
                hi_day = hi_day if hi is not None else span.latest
        bounds[lo_prop] = lo_day
        bounds[hi_prop] = hi_day
    interval = Interval(
        bounds[AG + "startEarliest"],
        bounds[AG + "startLatest"],
        bounds[AG + "endEarliest"],
        bounds[AG + "endLatest"],
    )
    evidence = set()
    if interval.start_latest is not None:
        evidence.add(interval.start_latest)
    sources = []
    for c in index.get(AG + "citation", s):
        for src in index.get(AG + "source", c):
            if isinstance(src, str) and src not in sources:
                sources.append(src)
        for rep in index.get(AG + "reportedOn", c):
            day = _day(rep[0]) if isinstance(rep, tuple) else None
            if day is not None:
                evidence.add(day)
    return Stake(
        iri=s,
        holder=holder,
        held=held,
        through=through if isinstance(through, str) else None,
        percent=percent,
        voting_percent=_number(index, "votingPercent", s),
        voting_cap=_number(index, "votingCap", s),
        economic=_INTEREST_IRI["economic"] in interests,
        voting=_INTEREST_IRI["voting"] in interests,
        interval=interval,
        evidence=tuple(sorted(evidence)),
        sources=tuple(sorted(sources)),
    )


def _as_holdings(source) -> Holdings:
    if isinstance(source, Holdings):
        return source
    return holdings(source)


# ---------------------------------------------------------------------------------------
# Snapshots
# ---------------------------------------------------------------------------------------


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


def _check(interest: str, reading: str) -> None:
    if interest not in INTERESTS:
        raise UsageError(f"interest {interest!r}: choose one of {', '.join(INTERESTS)}")
    if reading not in READINGS:
        raise UsageError(f"reading {reading!r}: choose one of {', '.join(READINGS)}")


@dataclass(frozen=True)
class _Choice:
    """The figure a reading takes for one position, and the figures it leaves aside."""

    stake: Stake
    certain: bool
    others: tuple[Stake, ...]


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


def _choose(stakes: list[Stake], span: DateSpan, interest: str, reading: str) -> _Choice | None:
    possible = [s for s in stakes if s.interval.possible_during(span)]
    if not possible:
        return None
    if reading == "certain":
        pool = [s for s in possible if s.interval.certain_over(span)]
        if not pool:
            return None
        chosen = max(pool, key=lambda s: _asof_key(s, span))
    elif reading == "possible":
        chosen = max(possible, key=lambda s: (s.figure(interest), _asof_key(s, span)))
    else:
        chosen = max(possible, key=lambda s: _asof_key(s, span))
    others = tuple(s for s in possible if s is not chosen)
    certain = chosen.interval.certain_over(span) and not others
    return _Choice(chosen, certain, others)


def _positions(h: Holdings, interest: str) -> dict[tuple, list[Stake]]:
    groups: dict[tuple, list[Stake]] = {}
    for s in h.stakes:
        if s.has(interest):
            groups.setdefault((s.holder, s.held, s.through), []).append(s)
    return groups


def snapshot(
    graph,
    at: dt.date | str | DateSpan | None = None,
    *,
    interest: str = "economic",
    reading: str = "as-of",
) -> nx.DiGraph:
    """The stakes of one kind of interest valid on ``at``, as a directed graph.

    ``graph`` is an rdflib graph or :class:`Holdings`. Nodes are entity IRIs with
    ``label``, ``iri`` and ``kind`` (class local name). Edges run holder -> held with
    ``percent`` (0-100; for ``interest="voting"`` the votes the holder may exercise:
    ``ag:votingPercent`` where given, capped by ``ag:votingCap``), ``sources``,
    ``statements`` (the shareholding IRIs), ``certain``, ``via`` (the intermediary's label,
    or None when held directly), ``candidates`` (the other possible figures, each a dict
    with percent, statement, sources, via) and ``parts`` (one entry per position).
    """
    import networkx as nx

    _check(interest, reading)
    h = _as_holdings(graph)
    span = as_span(at)
    g = nx.DiGraph(at=str(span), interest=interest, reading=reading)
    edges: dict[tuple[str, str], list[_Choice]] = {}
    for (holder, held, _through), stakes in _positions(h, interest).items():
        choice = _choose(stakes, span, interest, reading)
        if choice is not None:
            edges.setdefault((holder, held), []).append(choice)
    for (holder, held), choices in sorted(edges.items()):
        for node in (holder, held):
            if node not in g:
                g.add_node(node, label=h.label(node), iri=node, kind=h.kinds.get(node, "Agent"))
        choices.sort(key=lambda c: (c.stake.through or "", c.stake.iri))
        sources: list[str] = []
        for c in choices:
            sources += [x for x in c.stake.sources if x not in sources]
        vias = [h.label(c.stake.through) for c in choices if c.stake.through]
        g.add_edge(
            holder,
            held,
            percent=round(sum(c.stake.figure(interest) for c in choices), 10),
            sources=sources,
            statements=[c.stake.iri for c in choices],
            certain=all(c.certain for c in choices),
            via="; ".join(vias) if vias else None,
            candidates=[
                {
                    "percent": o.figure(interest),
                    "statement": o.iri,
                    "sources": list(o.sources),
                    "via": h.label(o.through) if o.through else None,
                }
                for c in choices
                for o in c.others
            ],
            parts=[
                {
                    "percent": c.stake.figure(interest),
                    "statement": c.stake.iri,
                    "via": h.label(c.stake.through) if c.stake.through else None,
                    "certain": c.certain,
                }
                for c in choices
            ],
        )
    return g
