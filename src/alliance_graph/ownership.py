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
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AllianceGraphError, DataFileError, UsageError
from .temporal import READINGS, DateSpan, Interval, parse_date, span_of_lexical

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
    # positions by kind of interest, grouped once for every snapshot taken of these stakes
    _positions: dict = field(default_factory=dict, repr=False, compare=False)
    # the last snapshots the analyses built (never handed out: snapshot() builds anew)
    _snapshots: dict = field(default_factory=dict, repr=False, compare=False)
    _name_index: dict | None = field(default=None, repr=False, compare=False)  # entities.py

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or _local_name(iri)


def _local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1] or iri
    return iri


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


def _lit(value) -> tuple[str, str | None, str | None]:
    """(lexical, datatype IRI, language) of a literal from either parser."""
    if type(value) is tuple:
        return value
    return (value.value, value.datatype.value if value.datatype else None, value.language)


@lru_cache(maxsize=65536)
def _span_cached(lexical: str, datatype: str | None) -> DateSpan | None:
    return span_of_lexical(lexical, datatype)


@lru_cache(maxsize=65536)
def _day(lexical: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(lexical)
    except ValueError:
        return None


class _Index:
    """predicate -> subject -> [objects]; objects are IRIs/blank ids (str) or literals,
    kept as the parser gives them (read them with :func:`_lit`)."""

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
    tables = index.by_pred
    literal, blank = ox.Literal, ox.BlankNode
    for path in files:
        if not path.exists():
            raise DataFileError(path, "no such file")
        if path.is_dir():
            raise DataFileError(path, "is a folder, not an RDF file")
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        try:
            # The hot loop of a large load: plain type tests and one dict lookup per triple.
            quads = _bods_triples(path)  # BODS 0.4 statements, if the file holds them
            if quads is None:
                quads = ox.parse(path=str(path), format=fmt, rename_blank_nodes=True)
            for quad in quads:
                table = tables.get(quad.predicate.value)
                if table is None:
                    continue
                s = quad.subject
                key = "_:" + s.value if type(s) is blank else s.value
                o = quad.object
                kind = type(o)
                if kind is literal:
                    value = o  # converted only when read (most never are)
                elif kind is blank:
                    value = "_:" + o.value
                else:
                    value = o.value
                values = table.get(key)
                if values is None:
                    table[key] = [value]
                else:
                    values.append(value)
        except SyntaxError as exc:
            line = getattr(exc, "lineno", None)
            raise DataFileError(path, f"not valid RDF: {exc.msg or exc}", line) from None
    return _build(index)


def _bods_triples(path: Path):
    from .bods import importer

    return importer.triples(path) if importer.is_bods(path) else None


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
        alts[e] = sorted({_lit(v)[0] for v in index.get(SKOS_ALT, e) if not isinstance(v, str)})
        own = sorted(
            t[len(AG) :] for t in types.get(e, ()) if t.startswith(AG) and t != AG + "BestRank"
        )
        kinds[e] = own[0] if own else "Agent"
    return Holdings(stakes, labels, alts, kinds, entities)


def _pick_label(values: list) -> str | None:
    literals = [_lit(v) for v in values if not isinstance(v, str)]
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
        text = v if isinstance(v, str) else _lit(v)[0]
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
        lo_day = None if lo is None or isinstance(lo, str) else _day(_lit(lo)[0])
        hi_day = None if hi is None or isinstance(hi, str) else _day(_lit(hi)[0])
        given = index.one(prop, s)
        if given is not None and not isinstance(given, str) and (lo is None or hi is None):
            span = _span_cached(*_lit(given)[:2])
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
            day = None if isinstance(rep, str) else _day(_lit(rep)[0])
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
    groups = h._positions.get(interest)
    if groups is None:
        groups = {}
        for s in h.stakes:
            if s.has(interest):
                groups.setdefault((s.holder, s.held, s.through), []).append(s)
        h._positions[interest] = groups
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
            percent=_round(sum(c.stake.figure(interest) for c in choices)),
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


_CACHE_SIZE = 8


def _cached_snapshot(h: Holdings, at, interest: str, reading: str):
    """The snapshot the analyses share, built once per (day, interest, reading): asking
    several questions of one date costs one snapshot."""
    _check(interest, reading)
    key = (as_span(at), interest, reading)
    g = h._snapshots.pop(key, None)
    if g is None:
        g = snapshot(h, key[0], interest=interest, reading=reading)
    h._snapshots[key] = g  # most recently used last
    while len(h._snapshots) > _CACHE_SIZE:
        h._snapshots.pop(next(iter(h._snapshots)))
    return g


def _cached_matrix(g) -> _Matrix:
    mx = g.graph.get("_matrix")
    if mx is None:
        mx = g.graph["_matrix"] = _matrix(g)
    return mx


# ---------------------------------------------------------------------------------------
# Direct stakes
# ---------------------------------------------------------------------------------------


def _figures(h: Holdings, holder: str, held: str, span: DateSpan, interest: str, reading: str):
    """(percent or None, certain, sources, via, candidates, statements) for one pair."""
    choices, leftovers = [], []
    for stakes in _group_pair(h, holder, held, interest).values():
        choice = _choose(stakes, span, interest, reading)
        if choice is not None:
            choices.append(choice)
        else:  # nothing certain under "certain", but maybe something possible
            leftovers += [s for s in stakes if s.interval.possible_during(span)]
    others = [o for c in choices for o in c.others] + leftovers
    candidates = [
        {
            "percent": o.figure(interest),
            "statement": o.iri,
            "sources": list(o.sources),
            "via": h.label(o.through) if o.through else None,
        }
        for o in sorted(others, key=lambda o: o.iri)
    ]
    sources: list[str] = []
    for c in choices:
        sources += [x for x in c.stake.sources if x not in sources]
    vias = [h.label(c.stake.through) for c in choices if c.stake.through]
    percent = _round(sum(c.stake.figure(interest) for c in choices)) if choices else None
    certain = all(c.certain for c in choices) and not leftovers
    return (
        percent,
        certain,
        sources,
        "; ".join(vias) if vias else None,
        candidates,
        [c.stake.iri for c in choices],
    )


def _group_pair(h: Holdings, holder: str, held: str, interest: str) -> dict:
    """The positions of ``holder`` in ``held`` (intermediary -> stakes), indexed once."""
    key = ("pairs", interest)
    by_pair = h._positions.get(key)
    if by_pair is None:
        by_pair = {}
        for (a, b, through), stakes in _positions(h, interest).items():
            by_pair.setdefault((a, b), {})[through] = stakes
        h._positions[key] = by_pair
    return by_pair.get((holder, held), {})


def stake(
    graph,
    holder: str,
    held: str,
    at: dt.date | str | DateSpan | None = None,
    *,
    reading: str = "as-of",
) -> dict:
    """The direct stake of ``holder`` in ``held`` on ``at`` (names, alt labels or IRIs).

    ``{"holder", "held", "at", "percent", "voting_percent", "certain", "sources", "via",
    "candidates"}``: ``percent`` is the economic stake, ``voting_percent`` the votes the
    holder may exercise (None when there is no such stake); ``candidates`` are the other
    figures possible on that day, with their sources.
    """
    from .entities import resolve

    _check("economic", reading)
    h = _as_holdings(graph)
    a, b = resolve(h, holder), resolve(h, held)
    span = as_span(at)
    eco = _figures(h, a, b, span, "economic", reading)
    vote = _figures(h, a, b, span, "voting", reading)
    sources = list(eco[2]) + [x for x in vote[2] if x not in eco[2]]
    candidates = list(eco[4])
    for c in vote[4]:
        if all(c["statement"] != x["statement"] for x in candidates):
            candidates.append(c)
    return {
        "holder": h.label(a),
        "held": h.label(b),
        "at": str(span),
        "percent": eco[0],
        "voting_percent": vote[0],
        "certain": eco[1] and vote[1],
        "sources": sources,
        "via": eco[3] or vote[3],
        "candidates": candidates,
    }


# ---------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------


def _between(g, a: str, b: str):
    """The part of ``g`` that lies on some walk from a to b."""
    import networkx as nx

    if a not in g or b not in g:
        return g.subgraph([])
    down = nx.descendants(g, a) | {a}
    up = nx.ancestors(g, b) | {b}
    return g.subgraph(down & up)


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

    ``{"holder", "held", "at", "paths": [{"nodes": [labels], "percent", "certain"}],
    "total_percent", "complete"}``. A path's percent is the product of its stakes; the
    total is their sum, which counts each chain once: integrated ownership
    (:func:`integrated`) also counts the walks that go round cycles.

    The search is confined to the companies that lie between the two. Simple paths are
    exponentially many inside large cycles of cross-holdings, so ``limit`` lists only the
    ``limit`` most significant, found best-first (Yen's k shortest simple paths on
    -log(stake), :func:`networkx.shortest_simple_paths`) without listing the others; the
    total is then given only if no other path exists (``complete``).
    """
    import math

    import networkx as nx

    from .entities import resolve

    h = _as_holdings(graph)
    a, b = resolve(h, holder), resolve(h, held)
    if max_depth is not None and max_depth < 1:
        raise UsageError(f"--max-depth must be at least 1, not {max_depth}")
    if limit is not None and limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    g = _cached_snapshot(h, at, interest, reading)
    # A plain copy of the part between the two: views filter on every step of the search.
    sub = nx.DiGraph()
    if a != b:
        between = _between(g, a, b)
        sub.add_edges_from(
            (u, v, {"p": d["percent"] / 100.0, "w": -math.log(d["percent"] / 100.0)})
            for u, v, d in between.edges(data=True)
            if d["percent"] > 0
        )
    found, complete = [], True
    if a in sub and b in sub:
        if limit is not None and max_depth is None:
            walker = nx.shortest_simple_paths(sub, a, b, weight="w")
        else:
            walker = nx.all_simple_paths(sub, a, b, cutoff=max_depth)
        for nodes in walker:
            if limit is not None and max_depth is None and len(found) == limit:
                complete = False  # a further path exists
                break
            product, certain = 1.0, True
            for u, v in zip(nodes, nodes[1:], strict=False):
                product *= sub.edges[u, v]["p"]
                certain = certain and g.edges[u, v]["certain"]
            found.append((product, nodes, certain))
    found.sort(key=lambda p: (-p[0], len(p[1]), [h.label(n) for n in p[1]]))
    if limit is not None and len(found) > limit:
        found, complete = found[:limit], False
    return {
        "holder": h.label(a),
        "held": h.label(b),
        "at": g.graph["at"],
        "paths": [
            {"nodes": [h.label(n) for n in nodes], "percent": _pct(p), "certain": c}
            for p, nodes, c in found
        ],
        "total_percent": _pct(sum(p for p, _, _ in found)) if complete else None,
        "complete": complete,
    }


def _round(value: float) -> float:
    """12 significant digits: float noise goes, tiny but real stakes stay non-zero."""
    return float(f"{value:.12g}")


def _pct(fraction: float) -> float:
    """A fraction as a percent."""
    return _round(fraction * 100.0)


# ---------------------------------------------------------------------------------------
# Integrated ownership (Vitali, Glattfelder & Battiston 2011, and its SI section 3)
# ---------------------------------------------------------------------------------------

DEFINITIONS = ("corrected", "plain")


@dataclass
class _Matrix:
    nodes: list[str]
    index: dict[str, int]
    a: object  # scipy.sparse.csr_matrix, A[i, j] = share of j held by i (0..1)
    uncertain: object  # csr, 1 where the edge i->j is not certain
    a_t: object = None  # A transposed, as csr (walks backwards)
    a_csc: object = None


def _matrix(g) -> _Matrix:
    import numpy as np
    from scipy import sparse

    nodes = sorted(g.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    m = g.number_of_edges()
    rows = np.empty(m, dtype=np.int64)
    cols = np.empty(m, dtype=np.int64)
    vals = np.empty(m, dtype=np.float64)
    unc = np.zeros(m, dtype=bool)
    for k, (u, v, d) in enumerate(g.edges(data=True)):
        rows[k], cols[k], vals[k], unc[k] = (
            index[u],
            index[v],
            d["percent"] / 100.0,
            not d["certain"],
        )
    n = len(nodes)
    a = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
    u = sparse.csr_matrix((np.ones(int(unc.sum())), (rows[unc], cols[unc])), shape=(n, n))
    return _Matrix(nodes, index, a, u, a.T.tocsr(), a.tocsc())


def _check_cycles(a, nodes: list[str], label) -> None:
    """Raise :class:`SingularOwnershipError` when a cycle holds all of its members.

    The spectral radius of a non-negative matrix is the largest over its strongly
    connected components; within one, it lies between the smallest and the largest column
    sum (Perron-Frobenius). Columns summing to at most 100% with one below keep it under 1
    (I - A invertible, the walk sums converge); all at 100% make I - A singular.
    """
    import numpy as np
    from scipy.sparse.csgraph import connected_components

    n = a.shape[0]
    if n == 0 or a.nnz == 0:
        return
    _, comp = connected_components(a, directed=True, connection="strong")
    coo = a.tocoo()
    inside = comp[coo.row] == comp[coo.col]
    if not inside.any():
        return
    sizes = np.bincount(comp, minlength=comp.max() + 1)
    loops = np.zeros(len(sizes), dtype=bool)
    diag = coo.row == coo.col
    loops[comp[coo.row[diag]]] = True
    cyclic = (sizes > 1) | loops
    colsum = np.bincount(coo.col[inside], weights=coo.data[inside], minlength=n)
    tol = 1e-9
    for c in np.flatnonzero(cyclic):
        members = np.flatnonzero(comp == c)
        sums = colsum[members]
        names = sorted(label(nodes[i]) for i in members)
        if sums.min() >= 1.0 - tol:
            raise SingularOwnershipError(names)
        if sums.max() > 1.0 + tol:
            worst = members[int(np.argmax(sums))]
            raise SingularOwnershipError(
                names,
                f"{sums.max() * 100:g}% of {label(nodes[worst])}, more than all of it",
            )


def _reach(adj, start: int):
    from scipy.sparse.csgraph import breadth_first_order

    return breadth_first_order(adj, start, directed=True, return_predecessors=False)


def _layers(a, uncertain):
    """A two-layer copy of the network: crossing an uncertain stake moves a walk from the
    first layer to the second, so a node reached in the second layer is reached only
    through some uncertain stake."""
    from scipy import sparse

    n = a.shape[0]
    struct = a.copy()
    struct.data[:] = 1.0
    certain = struct - struct.multiply(uncertain)
    certain.eliminate_zeros()
    return sparse.bmat([[certain, uncertain], [sparse.csr_matrix((n, n)), struct]], format="csr")


def _without_edges_into(m, i: int):
    m = m.tocsc(copy=True)
    m.data[m.indptr[i] : m.indptr[i + 1]] = 0.0
    m.eliminate_zeros()
    return m.tocsr()


def _taint(mx: _Matrix, i: int, corrected: bool):
    """Nodes reached from i (sorted) and, among them, those reached through at least one
    uncertain stake. For the corrected definition walks that come back to i do not count;
    only holders on such a cycle need the slower exact pass on their own sub-network."""
    import numpy as np

    if getattr(mx, "_layers", None) is None:
        mx._layers = _layers(mx.a, mx.uncertain)
    n = mx.a.shape[0]
    order = _reach(mx._layers, i)
    reached = np.unique(order % n)
    tainted = np.unique(order[order >= n] - n)
    if corrected and (order == n + i).any():
        keep = np.concatenate(([i], reached[reached != i])).astype(np.int64)
        local = _tainted_local(_sub(mx.a, keep), _sub(mx.uncertain, keep), True)
        tainted = np.sort(keep[local])
    return reached, tainted


def _solve_row(a_sub, corrected: bool):
    """Row 0 of the integrated ownership of a sub-network whose node 0 is the holder.

    Plain: x = e0' (I - A)^-1 A, i.e. (I - A)' x = A' e0. Corrected: the same with the
    edges into the holder (column 0) removed, so that no walk comes back to it.
    """
    import numpy as np
    from scipy import sparse
    from scipy.sparse.linalg import splu

    k = a_sub.shape[0]
    if corrected:
        a_sub = _without_edges_into(a_sub, 0)
    rhs = np.asarray(a_sub[0].todense()).ravel()
    if k == 1:
        return rhs
    m = (sparse.identity(k, format="csc") - a_sub.T).tocsc()
    try:
        return splu(m).solve(rhs)
    except RuntimeError as exc:  # "Factor is exactly singular": _check_cycles missed it
        raise SingularOwnershipError(["(a cycle)"], str(exc)) from None


def _sub(a, keep):
    return a[keep][:, keep]


def integrated(
    graph,
    holder: str,
    held: str | None = None,
    at: dt.date | str | DateSpan | None = None,
    *,
    definition: str = "corrected",
    interest: str = "economic",
    reading: str = "as-of",
) -> dict | list[dict]:
    """Integrated ownership of ``holder`` in ``held``, or in everything it reaches.

    Through every chain, cross-holding and cycle, computed by one sparse LU solve on the
    part of the network the holder reaches (never a dense matrix, never path by path).
    ``definition="corrected"`` (default) removes the edges into the holder, so that a
    holder does not count as owning itself through a cycle; ``"plain"`` is the Leontief
    sum over all walks, row ``holder`` of (I - A)^-1 A. Records are
    ``{"holder", "held", "at", "direct_percent", "integrated_percent", "certain",
    "definition"}``; with ``held=None`` a list, one per company reached, largest first.
    """
    from .entities import resolve

    _check_definition(definition)
    h = _as_holdings(graph)
    a_iri = resolve(h, holder)
    b_iri = resolve(h, held) if held is not None else None
    g = _cached_snapshot(h, at, interest, reading)
    at_text = g.graph["at"]

    def record(target: str, value: float, certain: bool) -> dict:
        direct = g.edges[a_iri, target]["percent"] if g.has_edge(a_iri, target) else None
        return {
            "holder": h.label(a_iri),
            "held": h.label(target),
            "at": at_text,
            "direct_percent": direct,
            "integrated_percent": _pct(value),
            "certain": certain,
            "definition": definition,
        }

    if a_iri not in g:
        return record(b_iri, 0.0, True) if b_iri is not None else []
    import numpy as np

    mx = _cached_matrix(g)
    i = mx.index[a_iri]
    corrected = definition == "corrected"
    reached = np.sort(_reach(mx.a, i))
    if b_iri is not None:
        j = mx.index.get(b_iri)
        if j is None or (j == i and corrected) or not _member(reached, j):
            return record(b_iri, 0.0, True)
        # Only the companies on some walk from the holder to the held company matter.
        members = np.intersect1d(reached, _reach(mx.a_t, j))
    else:
        members = reached
    rest = members[members != i]
    keep = np.concatenate(([i], rest)).astype(np.int64)
    sub = _sub(mx.a, keep)
    _check_cycles(sub, [mx.nodes[k] for k in keep], h.label)
    row = _solve_row(sub, corrected)
    tainted = _tainted_local(sub, _sub(mx.uncertain, keep), corrected)
    if b_iri is not None:
        local = 0 if j == i else 1 + int(np.searchsorted(rest, j))
        return record(b_iri, float(row[local]), not tainted[local])
    on_cycle = _self_reach(mx.a_csc, i, reached)
    out = [
        record(mx.nodes[node], float(row[local]), not tainted[local])
        for local, node in enumerate(keep.tolist())
        if node != i or (not corrected and on_cycle)
    ]
    out.sort(key=lambda r: (-r["integrated_percent"], r["held"]))
    return out


def _member(sorted_array, value: int) -> bool:
    import numpy as np

    k = int(np.searchsorted(sorted_array, value))
    return k < len(sorted_array) and int(sorted_array[k]) == value


def _tainted_local(a_sub, u_sub, corrected: bool):
    """For each node of a sub-network whose node 0 is the holder: whether some walk from
    the holder reaches it through an uncertain stake (not counting walks back into the
    holder under the corrected definition)."""
    import numpy as np

    k = a_sub.shape[0]
    if u_sub.nnz == 0:
        return np.zeros(k, dtype=bool)
    if corrected:
        a_sub, u_sub = _without_edges_into(a_sub, 0), _without_edges_into(u_sub, 0)
    order = _reach(_layers(a_sub, u_sub), 0)
    tainted = np.zeros(k, dtype=bool)
    tainted[order[order >= k] - k] = True
    return tainted


def _self_reach(a_csc, i: int, reached) -> bool:
    """Whether i lies on a cycle: one of its holders is reached from it."""
    import numpy as np

    holders_of_i = a_csc.indices[a_csc.indptr[i] : a_csc.indptr[i + 1]]
    return bool(np.isin(holders_of_i, reached).any())


def _all_pairs(h: Holdings, g, definition: str, certainty: bool, block: int | None):
    """Yield (holder index, target indices, values 0..1, tainted mask or None) per holder.

    One sparse LU factorisation of (I - A)' for the whole network, then one solve per
    holder, ``block`` right-hand sides at a time (memory n x block, never n x n). The
    corrected values come from the plain ones: a walk from i to j is a walk that never
    returns to i, preceded by any number of closed walks through i, so plain[i, j] =
    (1 + plain[i, i]) * corrected[i, j] for j != i. Entries that no path supports are
    exactly zero: they are masked by reachability, not left to rounding.
    """
    import numpy as np
    from scipy import sparse
    from scipy.sparse.linalg import splu

    mx = _cached_matrix(g)
    n = len(mx.nodes)
    if n == 0:
        return mx, []
    _check_cycles(mx.a, mx.nodes, h.label)
    # Holders before the companies they hold (cycles kept together): I - P' is then block
    # triangular and its LU fills in only inside the cycles, so each solve is cheap.
    perm = _topological_order(mx.a)
    inv = np.empty(n, dtype=np.int64)
    inv[perm] = np.arange(n)
    p = mx.a[perm][:, perm]
    lu = splu((sparse.identity(n, format="csc") - p.T).tocsc(), permc_spec="NATURAL")
    holders = np.flatnonzero(np.diff(mx.a.indptr))
    if block is None:
        block = max(1, min(256, 2_000_000 // n))
    rows_of_p = p.T.tocsc()  # column k = row k of P
    a_csc = mx.a_csc
    out = []
    for start in range(0, len(holders), block):
        chunk = holders[start : start + block]
        sol = lu.solve(np.asfortranarray(rows_of_p[:, inv[chunk]].toarray()))
        if sol.ndim == 1:
            sol = sol[:, None]
        for k, i in enumerate(chunk):
            i = int(i)
            x = sol[inv, k]  # back to the original order
            if certainty:
                reached, tainted = _taint(mx, i, definition == "corrected")
            else:
                reached, tainted = np.sort(_reach(mx.a, i)), None
            on_cycle = _self_reach(a_csc, i, reached)
            self_value = float(x[i]) if on_cycle else 0.0
            targets = reached if on_cycle else reached[reached != i]
            values = x[targets]
            if definition == "corrected":
                keep = targets != i
                targets, values = targets[keep], values[keep] / (1.0 + self_value)
            elif on_cycle:
                values = np.where(targets == i, self_value, values)
            mask = None
            if tainted is not None:
                mask = np.isin(targets, tainted)
            out.append((i, targets, values, mask))
    return mx, out


def _topological_order(a):
    """Node indices ordered so that every stake between two strongly connected
    components goes from an earlier to a later one."""
    import networkx as nx
    import numpy as np
    from scipy.sparse.csgraph import connected_components

    count, comp = connected_components(a, directed=True, connection="strong")
    coo = a.tocoo()
    across = comp[coo.row] != comp[coo.col]
    condensed = nx.DiGraph()
    condensed.add_nodes_from(range(count))
    sources, targets = comp[coo.row[across]].tolist(), comp[coo.col[across]].tolist()
    condensed.add_edges_from(zip(sources, targets, strict=True))
    rank = np.empty(count, dtype=np.int64)
    rank[list(nx.topological_sort(condensed))] = np.arange(count)
    return np.argsort(rank[comp], kind="stable")


def integrated_matrix(
    graph,
    at: dt.date | str | DateSpan | None = None,
    *,
    definition: str = "corrected",
    interest: str = "economic",
    reading: str = "as-of",
    block: int | None = None,
):
    """Integrated ownership of every holder in every company it reaches, as
    ``(nodes, scipy.sparse.csr_matrix)`` with fractions 0..1 (row holder, column held)."""
    import numpy as np
    from scipy import sparse

    _check_definition(definition)
    h = _as_holdings(graph)
    g = _cached_snapshot(h, at, interest, reading)
    mx, rows = _all_pairs(h, g, definition, certainty=False, block=block)
    n = len(mx.nodes)
    if not rows:
        return mx.nodes, sparse.csr_matrix((n, n))
    # Rows come in holder order with sorted columns: build the CSR arrays directly (no
    # row-index array, no sort), 12 bytes a non-zero.
    counts = np.zeros(n, dtype=np.int64)
    for i, t, _, _ in rows:
        counts[i] = len(t)
    indptr = np.concatenate(([0], np.cumsum(counts)))
    index_type = np.int32 if indptr[-1] < 2**31 and n < 2**31 else np.int64
    indices = np.concatenate([t.astype(index_type, copy=False) for _, t, _, _ in rows])
    data = np.concatenate([x for _, _, x, _ in rows])
    return mx.nodes, sparse.csr_matrix((data, indices, indptr), shape=(n, n))


def integrated_all(
    graph,
    at: dt.date | str | DateSpan | None = None,
    *,
    definition: str = "corrected",
    interest: str = "economic",
    reading: str = "as-of",
) -> list[dict]:
    """The records of :func:`integrated` for every holder and every company it reaches
    (``ownership integrated --all``), by holder then largest first."""
    _check_definition(definition)
    h = _as_holdings(graph)
    g = _cached_snapshot(h, at, interest, reading)
    mx, rows = _all_pairs(h, g, definition, certainty=True, block=None)
    at_text = g.graph["at"]
    records = []
    for i, targets, values, tainted in rows:
        holder = mx.nodes[i]
        group = []
        for t, v, bad in zip(targets.tolist(), values.tolist(), tainted.tolist(), strict=True):
            held = mx.nodes[t]
            edge = g.get_edge_data(holder, held)
            group.append(
                {
                    "holder": h.label(holder),
                    "held": h.label(held),
                    "at": at_text,
                    "direct_percent": edge["percent"] if edge else None,
                    "integrated_percent": _pct(v),
                    "certain": not bad,
                    "definition": definition,
                }
            )
        group.sort(key=lambda r: (-r["integrated_percent"], r["held"]))
        records.append((h.label(holder), holder, group))
    records.sort(key=lambda x: (x[0], x[1]))
    return [r for _, _, group in records for r in group]


def _check_definition(definition: str) -> None:
    if definition not in DEFINITIONS:
        raise UsageError(f"definition {definition!r}: choose one of {', '.join(DEFINITIONS)}")


# ---------------------------------------------------------------------------------------
# Control
# ---------------------------------------------------------------------------------------

THRESHOLDS = ("above-50", "50-or-more")


def _passes(votes: float, threshold: str) -> bool:
    # Votes are compared in hundredths of a percent rounded, so 50.0 computed as a sum
    # of figures is 50.0 and not 49.99999999.
    votes = round(votes, 9)
    return votes > 50.0 if threshold == "above-50" else votes >= 50.0


def _controlled_by(g, c: str, threshold: str) -> dict[str, dict[str, float]]:
    """The companies ``c`` controls, each with the votes counted for it (voter -> %).

    A company is controlled when the votes of ``c`` and of the companies ``c`` already
    controls pass the threshold; a controlled company's votes count whole (not scaled by
    ``c``'s share in it). Repeated until nothing changes.
    """
    import networkx as nx

    reach = nx.descendants(g, c)
    controlled: dict[str, dict[str, float]] = {}
    changed = True
    while changed:
        changed = False
        voters = {c} | set(controlled)
        for x in sorted(reach - set(controlled) - {c}):
            counted = {v: g.edges[v, x]["percent"] for v in g.predecessors(x) if v in voters}
            if _passes(sum(counted.values()), threshold):
                controlled[x] = counted
                changed = True
    return controlled


def control(
    graph,
    held: str,
    at: dt.date | str | DateSpan | None = None,
    *,
    threshold: str = "above-50",
    reading: str = "as-of",
) -> dict:
    """Who controls ``held`` by voting rights on ``at``, and through which chain.

    Only stakes with votes count (``ag:VotingInterest``, at the votes the holder may
    exercise: ``ag:votingPercent`` capped by ``ag:votingCap``); Nissan's Renault shares
    before 2023 and the shares in the French trust have none. ``threshold`` is
    ``"above-50"`` (strictly more than 50%, as consolidation reads control) or
    ``"50-or-more"`` (the "50 percent rule" of sanctions screening).

    ``{"held", "at", "threshold", "controlled", "controllers": [{"controller",
    "votes_percent", "direct_votes_percent", "through", "chain", "ultimate", "certain"}],
    "holders": [{"holder", "votes_percent", "certain"}]}``; ``chain`` lists the control
    steps ``{"holder", "held", "votes_percent"}`` from the controller down to ``held``.
    """
    import networkx as nx

    from .entities import resolve

    if threshold not in THRESHOLDS:
        raise UsageError(f"threshold {threshold!r}: choose one of {', '.join(THRESHOLDS)}")
    h = _as_holdings(graph)
    b = resolve(h, held)
    g = _cached_snapshot(h, at, "voting", reading)
    result = {
        "held": h.label(b),
        "at": g.graph["at"],
        "threshold": threshold,
        "controlled": False,
        "controllers": [],
        "holders": [],
    }
    if b not in g:
        return result
    result["holders"] = sorted(
        (
            {
                "holder": h.label(v),
                "votes_percent": g.edges[v, b]["percent"],
                "certain": g.edges[v, b]["certain"],
            }
            for v in g.predecessors(b)
        ),
        key=lambda r: (-r["votes_percent"], r["holder"]),
    )
    found = {}
    for c in sorted(nx.ancestors(g, b)):
        controlled = _controlled_by(g, c, threshold)
        if b in controlled:
            found[c] = controlled
    for c, controlled in found.items():
        counted = controlled[b]
        chain, todo, seen = [], [b], set()
        while todo:  # walk back from b to c over the votes that were counted
            x = todo.pop()
            if x in seen or x == c:
                continue
            seen.add(x)
            for v, pct in sorted(controlled[x].items()):
                chain.append({"holder": h.label(v), "held": h.label(x), "votes_percent": pct})
                todo.append(v)
        steps = {(s["holder"], s["held"]) for s in chain}
        edges = [(v, x) for x in seen for v in controlled[x]]
        certain = all(g.edges[e]["certain"] for e in edges)
        ultimate = not any(c in other for o, other in found.items() if o != c) and not any(
            c in _controlled_by(g, o, threshold) for o in nx.ancestors(g, c)
        )
        result["controllers"].append(
            {
                "controller": h.label(c),
                "votes_percent": _round(sum(counted.values())),
                "direct_votes_percent": counted.get(c),
                "through": sorted(h.label(v) for v in counted if v != c),
                "chain": sorted(chain, key=lambda s: (s["holder"], s["held"])) if steps else [],
                "ultimate": ultimate,
                "certain": certain,
            }
        )
    result["controllers"].sort(key=lambda r: (not r["ultimate"], r["controller"]))
    result["controlled"] = bool(result["controllers"])
    return result


# ---------------------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------------------


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
    "voting_percent", "integrated_percent", "certain", "sources"}`` (``until`` excluded,
    None for the last).
    """
    import networkx as nx

    from .entities import resolve

    _check_definition(definition)
    _check("economic", reading)
    h = _as_holdings(graph)
    a, b = resolve(h, holder), resolve(h, held)
    # Only stakes on some walk from a to b, on any day, can move the figures.
    union = nx.DiGraph()
    union.add_edges_from((s.holder, s.held) for s in h.stakes)
    if a not in union or b not in union:
        return []
    between = (nx.descendants(union, a) | {a}) & (nx.ancestors(union, b) | {b})
    local = Holdings(
        [s for s in h.stakes if s.holder in between and s.held in between],
        h.labels,
        h.alt_labels,
        h.kinds,
        h.entities,
    )
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
                "sources": d["sources"],
            }
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
