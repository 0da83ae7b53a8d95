"""The shareholdings of a graph, read once from a materialised pyoxigraph store.

There is one loader, :func:`alliance_graph.store.open_store`: it parses every format and
writes the derived day bounds (``ag:startEarliest`` ... ``ag:endLatest``) and the
``ag:BestRank`` types. :func:`holdings_from_store` only reads them; it applies no rule of
its own. :func:`holdings_from_files` and :func:`holdings` (an rdflib graph) go through the
same store.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..claims import SINGLE_VALUED, set_aside_because, unread_date
from ..names import other_names, pick_label
from ..temporal import RANK_ORDER, Interval, rank_of
from .errors import OwnershipError
from .model import Holdings, SetAside, Stake, local_name

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox
    from rdflib import Graph

AG = "https://w3id.org/alliance-graph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"

INTERESTS = ("economic", "voting")
INTEREST_IRI = {"economic": AG + "EconomicInterest", "voting": AG + "VotingInterest"}
RANK_NAMES = {value: name.removesuffix("Rank").lower() for name, value in RANK_ORDER.items()}


# Predicates whose values the stakes need; everything else in the store is skipped.
WANTED = (
    RDF_TYPE,
    RDFS_LABEL,
    SKOS_ALT,
    RDFS_SUBCLASS,
    *(
        AG + p
        for p in (
            *SINGLE_VALUED,  # holder, held, heldThrough, the figures, the written bounds
            "interest",
            "start",
            "end",
            "citation",
            "source",
            "reportedOn",
            "approximate",
            "rank",
            "competesWith",
        )
    ),
)


def _lit(value) -> tuple[str, str | None, str | None]:
    """(lexical, datatype IRI, language) of a pyoxigraph literal."""
    return (value.value, value.datatype.value if value.datatype else None, value.language)


class _Index:
    """predicate -> subject -> [objects]; objects are IRIs/blank ids (str) or literals."""

    def __init__(self, store: ox.Store) -> None:
        import pyoxigraph as ox

        default = ox.DefaultGraph()
        literal, blank = ox.Literal, ox.BlankNode
        self.by_pred: dict[str, dict[str, list]] = {}
        for p in WANTED:
            table: dict[str, list] = {}
            for quad in store.quads_for_pattern(None, ox.NamedNode(p), None, default):
                s = quad.subject
                key = "_:" + s.value if type(s) is blank else s.value
                o = quad.object
                kind = type(o)
                value = o if kind is literal else ("_:" + o.value if kind is blank else o.value)
                values = table.get(key)
                if values is None:
                    table[key] = [value]
                else:
                    values.append(value)
            self.by_pred[p] = table

    def get(self, p: str, s: str) -> list:
        return self.by_pred[p].get(s, [])

    def one(self, p: str, s: str):
        values = self.by_pred[p].get(s)
        return values[0] if values else None


@lru_cache(maxsize=65536)
def _day(lexical: str, node: str, prop: str) -> dt.date:
    try:
        return dt.date.fromisoformat(lexical)
    except ValueError:
        raise OwnershipError(f"{node} has ag:{prop} {lexical!r}, which is not a day") from None


def holdings_from_store(store: ox.Store) -> Holdings:
    """Read the stakes of a store materialised by :func:`alliance_graph.store.open_store`
    (``derive=True``): its ``ag:BestRank`` types and derived day bounds, as written.

    Raises :class:`OwnershipError` when the store holds shareholdings but no
    ``ag:BestRank`` mark (it was opened with ``derive=False``), and for a date the loader
    could not read into day bounds (a time zone, say), naming the node and the value.

    For an on-disk store (``--store``) the result is kept beside it and read back by
    later processes (:func:`alliance_graph.persist.kept`, :mod:`.kept`).
    """
    from .. import persist
    from . import kept

    return persist.kept(
        store, "holdings", kept.VERSION, lambda: _build(_Index(store)), kept.encode, kept.decode
    )


def holdings_from_files(paths: Iterable[Path | str], *, ontology: bool = True) -> Holdings:
    """``holdings_from_store(open_store(paths))``: any RDF format the loader reads."""
    from ..store import open_store

    return holdings_from_store(open_store([Path(p) for p in paths], ontology=ontology))


def holdings(graph: Graph) -> Holdings:
    """The stakes of an rdflib graph, read through the same store and rules (the graph is
    copied into a store and materialised there: bounds it already has are kept)."""
    from ..store import from_rdflib, materialise

    return holdings_from_store(materialise(from_rdflib(graph)))


def as_holdings(source) -> Holdings:
    """``source`` as :class:`Holdings`: Holdings, a pyoxigraph store or an rdflib graph."""
    if isinstance(source, Holdings):
        return source
    import pyoxigraph as ox

    if isinstance(source, ox.Store):
        return holdings_from_store(source)
    return holdings(source)


def _build(index: _Index) -> Holdings:
    types = index.by_pred[RDF_TYPE]
    shareholdings = sorted(s for s, ts in types.items() if AG + "Shareholding" in ts)
    best = {s for s, ts in types.items() if AG + "BestRank" in ts}
    if shareholdings and not best and any(index.by_pred[AG + "citation"]):
        raise OwnershipError(
            "the store has no ag:BestRank marks: open it with open_store(..., derive=True) "
            "or run alliance_graph.store.materialise on it first"
        )
    stakes, set_aside = [], []
    for s in shareholdings:
        stake, missing = _stake(index, s)
        if s not in best:
            set_aside.append(_losing(index, s, stake, best))
        elif stake is None:
            set_aside.append(SetAside(s, missing, **_named_if_not_computed(index, s)))
        else:
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
        given = [(v.value, v.language) for v in index.get(RDFS_LABEL, e) if not isinstance(v, str)]
        labels[e] = pick_label(given) or local_name(e)
        # Labels in other languages are names too (names.other_names, as the resolver).
        alt_texts = [_lit(v)[0] for v in index.get(SKOS_ALT, e) if not isinstance(v, str)]
        alts[e] = other_names(given, alt_texts, labels[e])
        own = sorted(
            t[len(AG) :] for t in types.get(e, ()) if t.startswith(AG) and t != AG + "BestRank"
        )
        kinds[e] = own[0] if own else "Agent"
    return Holdings(stakes, labels, alts, kinds, entities, set_aside)


def _losing(index: _Index, s: str, stake: Stake | None, best: set[str]) -> SetAside:
    """Why the loader did not mark ``s`` best-ranked."""
    rank = _rank(index, s)
    if not index.get(AG + "citation", s):
        return SetAside(s, "no citation: an unsourced claim is never used", stake)
    if rank == 0:
        return SetAside(s, "deprecated rank", stake)
    rivals = set(index.get(AG + "competesWith", s))
    rivals |= {a for a, bs in index.by_pred[AG + "competesWith"].items() if s in bs}
    higher = sorted(r for r in rivals if _rank(index, r) > rank)
    winner = next((r for r in higher if r in best), higher[0] if higher else None)
    if winner is not None:
        return SetAside(
            s,
            f"{RANK_NAMES.get(rank, 'normal')} rank, outranked by the "
            f"{RANK_NAMES.get(_rank(index, winner), 'normal')} claim {winner}",
            stake,
            winner,
        )
    return SetAside(s, "not best-ranked", stake)


def _rank(index: _Index, s: str) -> int:
    # Literals read as normal, as the loader reads them when it marks the best claims.
    return rank_of(v if isinstance(v, str) else "" for v in index.get(AG + "rank", s))


def _number(index: _Index, prop: str, node: str) -> float | None:
    values = index.get(AG + prop, node)
    if not values:
        return None
    numbers = set()
    for v in values:
        text = v if isinstance(v, str) else _lit(v)[0]
        try:
            number = float(text)
        except ValueError:
            raise OwnershipError(
                f"shareholding {node} has ag:{prop} {text!r}, which is not a number"
            ) from None
        if not math.isfinite(number):  # NaN and INF are xsd:double values, not shares
            raise OwnershipError(
                f"shareholding {node} has ag:{prop} {text!r}, which is not a finite number"
            )
        numbers.add(number)
    return numbers.pop()  # one value: _stake sets aside a claim with several


_BOUNDS = {"start": ("startEarliest", "startLatest"), "end": ("endEarliest", "endLatest")}


def _bound(index: _Index, prop: str, s: str) -> dt.date | None:
    value = index.one(AG + prop, s)
    if value is None or isinstance(value, str):
        return None
    return _day(_lit(value)[0], s, prop)


_SINGLE = {prop: AG + prop for prop in SINGLE_VALUED}


_DAY_BOUNDS = ("startEarliest", "startLatest", "endEarliest", "endLatest")


def _named_if_not_computed(index: _Index, s: str) -> dict:
    # The holders and held companies of a best-ranked claim the analyses cannot compute
    # with (several values where the shapes allow one, or no figure: a range, words), so
    # that the answers on those pairs say they are not certain (SetAside.holders); for a
    # claim with no figure its day bounds too (when it may hold). Other set-aside claims
    # (no holder or held) name no pair.
    malformed = bool(set_aside_because(lambda prop: index.get(_SINGLE[prop], s)))
    if not malformed and _number(index, "percent", s) is not None:
        return {}
    named = {
        f"{role}s": tuple(sorted(v for v in index.get(AG + role, s) if isinstance(v, str)))
        for role in ("holder", "held")
    }
    if not malformed:
        days = (_bound(index, b, s) for b in _DAY_BOUNDS)
        named["bounds"] = tuple(d.isoformat() if d else None for d in days)
    return named


def _stake(index: _Index, s: str) -> tuple[Stake | None, str]:
    # Several values where the shapes allow one: set aside, never the first one listed
    # (which changes with the order the files were loaded in; claims.py).
    reason = set_aside_because(lambda prop: index.get(_SINGLE[prop], s))
    if reason:
        return None, reason
    holder = index.one(AG + "holder", s)
    held = index.one(AG + "held", s)
    percent = _number(index, "percent", s)
    if not isinstance(holder, str) or not isinstance(held, str):
        return None, "no ag:holder or no ag:held"
    if percent is None:
        return None, "no ag:percent (a qualitative claim): no figure to compute with"
    through = index.one(AG + "heldThrough", s)
    interests = set(index.get(AG + "interest", s))
    for prop, (lo, _hi) in _BOUNDS.items():
        given = index.one(AG + prop, s)
        if given is not None and not isinstance(given, str) and index.one(AG + lo, s) is None:
            raise OwnershipError(unread_date(s, prop, _lit(given)[0]))
    interval = Interval(
        _bound(index, "startEarliest", s),
        _bound(index, "startLatest", s),
        _bound(index, "endEarliest", s),
        _bound(index, "endLatest", s),
    )
    sources, reported = [], set()
    for c in index.get(AG + "citation", s):
        for src in index.get(AG + "source", c):
            if isinstance(src, str) and src not in sources:
                sources.append(src)
        for rep in index.get(AG + "reportedOn", c):
            if not isinstance(rep, str):
                reported.add(_day(_lit(rep)[0], s, "reportedOn"))
    evidence = set(reported)
    if interval.start_latest is not None:
        evidence.add(interval.start_latest)
    stake = Stake(
        iri=s,
        holder=holder,
        held=held,
        through=through if isinstance(through, str) else None,
        percent=percent,
        voting_percent=_number(index, "votingPercent", s),
        voting_cap=_number(index, "votingCap", s),
        economic=INTEREST_IRI["economic"] in interests,
        voting=INTEREST_IRI["voting"] in interests,
        interval=interval,
        evidence=tuple(sorted(evidence)),
        sources=tuple(sorted(sources)),
        rank=_rank(index, s),
        reported=tuple(sorted(reported)),
        approximate=any(
            not isinstance(v, str) and _lit(v)[0] in ("true", "1")
            for v in index.get(AG + "approximate", s)
        ),
    )
    return stake, ""
