"""The derived triples: day bounds of dates given at any precision, and best-rank marks.

Written once, for every face: the loader adds these to the store, the rdflib graph and
the ownership index alike (docs/temporal-model.md says what they mean). The date rules
themselves live in :mod:`alliance_graph.temporal`; this module only applies them.

A source is anything that answers ``quads(predicate)`` with the pyoxigraph quads of one
predicate: a store (:func:`store_source`) or a list of parsed quads (:func:`quads_source`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox

from .namespaces import AG, RDF_TYPE, XSD
from .temporal import BOUNDED_NAMES, rank_of, span_of_lexical

Source = Callable[[ox.NamedNode], Iterable[ox.Quad]]

_DEFAULT = ox.DefaultGraph()
_TYPE = ox.NamedNode(RDF_TYPE)
_DATE = ox.NamedNode(XSD + "date")
BEST_RANK = ox.NamedNode(AG + "BestRank")


def _ag(name: str) -> ox.NamedNode:
    return ox.NamedNode(AG + name)


def store_source(store: ox.Store) -> Source:
    """The default graph of ``store`` as a source."""

    def quads(predicate):
        return store.quads_for_pattern(None, predicate, None, _DEFAULT)

    return quads


def quads_source(quads: Iterable[ox.Quad]) -> Source:
    """Parsed quads as a source (indexed by predicate once)."""
    by_predicate: dict = {}
    for q in quads:
        by_predicate.setdefault(q.predicate, []).append(q)

    def lookup(predicate):
        return by_predicate.get(predicate, ())

    return lookup


@lru_cache(maxsize=65536)
def _bounds(value: ox.Literal) -> tuple[ox.Literal, ox.Literal] | None:
    # Many facts share a date: each one is parsed once (keyed by the literal itself,
    # whose hash is cheaper than reading out its text and datatype).
    span = span_of_lexical(value.value, value.datatype.value)
    if span is None:
        return None
    return (
        ox.Literal(span.earliest.isoformat(), datatype=_DATE),
        ox.Literal(span.latest.isoformat(), datatype=_DATE),
    )


def day_bounds(source: Source) -> list[ox.Quad]:
    """``ag:startEarliest`` / ``ag:startLatest`` (and the same for end, date, deadline)
    for every date the data gives, unless the data writes that bound itself (bounds from
    report dates win over those of the date's precision). A node given several dates
    for one property (which the shapes flag) is bounded by all of them: its earliest
    earliest day and its latest latest day, whatever order the dates are read in."""
    return [q for batch in _bound_batches(source) for q in batch]


def _bound_batches(source: Source) -> Iterator[list[ox.Quad]]:
    for prop, names in BOUNDED_NAMES.items():
        yield _bounds_of(source, prop, *names)


def _bounds_of(source: Source, prop: str, lo_name: str, hi_name: str) -> list[ox.Quad]:
    # The bounds of one property's dates: reads the property and its two bounds only.
    lo_prop, hi_prop = _ag(lo_name), _ag(hi_name)
    has_lo = {q.subject for q in source(lo_prop)}
    has_hi = {q.subject for q in source(hi_prop)}
    # The bounds depend on the set of dates alone, never on the order a source yields
    # them: a store's index order and a file's order differ, and every face must give
    # the same bounds for the same data.
    spans: dict = {}
    # Unpacking a quad costs half as much as reading its attributes one by one.
    for node, _, value, _ in source(_ag(prop)):
        if not isinstance(value, ox.Literal):
            continue
        bounds = _bounds(value)
        if bounds is None:
            continue
        known = spans.setdefault(node, bounds)
        if known is not bounds and known != bounds:
            spans[node] = _hull(known, bounds)
    added = []
    for node, (lo, hi) in spans.items():
        if node not in has_lo:
            added.append(ox.Quad(node, lo_prop, lo))
        if node not in has_hi:
            added.append(ox.Quad(node, hi_prop, hi))
    return added


def _hull(a: tuple, b: tuple) -> tuple:
    # ISO days of four-digit years (all the date rules read) order as their text does.
    lo = a[0] if a[0].value <= b[0].value else b[0]
    hi = a[1] if a[1].value >= b[1].value else b[1]
    return (lo, hi)


def best_rank(source: Source) -> list[ox.Quad]:
    """``rdf:type ag:BestRank`` for every claim that answers use (Wikidata's "truthy"):
    a node with a citation that is not deprecated and whose rivals (``ag:competesWith``,
    either way) rank no higher. No rank reads as normal."""
    # A claim given several ranks (which the shapes flag) counts at the lowest
    # (temporal.rank_of, the rule the ownership index explains set-aside claims by).
    given: dict = {}
    for node, _, value, _ in source(_ag("rank")):
        given.setdefault(node, []).append(value.value if isinstance(value, ox.NamedNode) else "")
    ranks = {node: rank_of(iris) for node, iris in given.items()}
    rivals: dict = {}
    for quad in source(_ag("competesWith")):
        rivals.setdefault(quad.subject, set()).add(quad.object)
        rivals.setdefault(quad.object, set()).add(quad.subject)

    def rank(node) -> int:
        return ranks.get(node, 1)

    claims = dict.fromkeys(node for node, _, _, _ in source(_ag("citation")))
    added = []
    for node in claims:
        own = rank(node)
        if own == 0 or any(rank(r) > own for r in rivals.get(node, ())):
            continue
        added.append(ox.Quad(node, _TYPE, BEST_RANK))
    return added


def derived(source: Source) -> list[ox.Quad]:
    """Every derived quad for ``source`` (in the default graph)."""
    return [q for batch in batches(source) for q in batch]


def batches(source: Source) -> Iterator[list[ox.Quad]]:
    """The derived quads of ``source`` a batch at a time: the bounds of each dated
    property, then the best-rank marks. No batch reads what another adds, so a caller may
    insert each into the store it reads before asking for the next, and holds one batch
    at a time rather than all of them (100 MB less at the peak of a 1M-triple load)."""
    yield from _bound_batches(source)
    yield best_rank(source)


def add_to(store: ox.Store, *, bulk: bool = False) -> None:
    """Insert the derived quads of ``store`` into it, batch by batch (``bulk``: with
    ``Store.bulk_extend``, for an on-disk store being built)."""
    extend = store.bulk_extend if bulk else store.extend
    for batch in batches(store_source(store)):
        extend(batch)


def materialise(store: ox.Store) -> ox.Store:
    """Add the derived quads to ``store`` in place (marks of an earlier run replaced)."""
    for quad in list(store.quads_for_pattern(None, _TYPE, BEST_RANK, _DEFAULT)):
        store.remove(quad)
    add_to(store)
    return store
