"""The embedded store: the ontology and data in a pyoxigraph store, with derived bounds.

The saved queries run here by default. pyoxigraph parses, materialises and answers the
shipped graph in a few milliseconds and imports in a few more, where rdflib needs a
quarter of a second to import alone (measurements in docs/store.md). The rdflib API stays
one call away: :func:`to_rdflib` copies a store into an rdflib Graph (for pySHACL, or for
code written against rdflib), and :func:`alliance_graph.graph.load` still builds one
directly.

The derived triples are those of :func:`alliance_graph.temporal.materialise`, computed by
the same date rules (:func:`alliance_graph.temporal.span_of_lexical`); a test compares
the two materialisations triple for triple.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from . import resources
from .errors import DataFileError
from .temporal import AG_IRI, BOUNDED_NAMES, RANK_ORDER, XSD_IRI, span_of_lexical

if TYPE_CHECKING:
    from rdflib import Graph

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_DATE = ox.NamedNode(XSD_IRI + "date")
_DEFAULT = ox.DefaultGraph()

# File suffixes pyoxigraph reads; anything else is read as Turtle, as graph.load does.
_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}


def _ag(name: str) -> ox.NamedNode:
    return ox.NamedNode(AG_IRI + name)


def load_into(store: ox.Store, path: Path | str) -> None:
    """Parse one RDF file into the default graph of ``store``.

    Failures become :class:`DataFileError` naming the file, line and column. JSON-LD
    files may not load remote contexts: pyoxigraph refuses them (no document loader is
    set), so loading never reaches the network.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "no such file")
    if path.is_dir():
        raise DataFileError(path, "is a folder, not an RDF file")
    from .bods import importer as bods  # BODS 0.4 statements as triples (docs/bods.md)

    if bods.is_bods(path):
        return store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in bods.triples(path))
    fmt = _FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, f"cannot be read: {exc.strerror}") from None
    try:
        # The same base IRI as graph.parse_into, so relative IRIs resolve identically.
        store.load(data, format=fmt, base_iri=path.resolve().as_uri(), to_graph=_DEFAULT)
    except SyntaxError as exc:
        reason = str(exc.msg if hasattr(exc, "msg") else exc)
        raise DataFileError(
            path, f"not valid {fmt.name}: {reason}", exc.lineno, exc.offset
        ) from None
    except (ValueError, OSError) as exc:
        raise DataFileError(path, f"not valid {fmt.name}: {exc}") from None


def open_store(
    data: Iterable[Path | str] | None = None,
    *,
    ontology: bool = True,
    derive: bool = True,
) -> ox.Store:
    """An in-memory store with the ontology plus ``data`` (the shipped data when None).

    ``derive=True`` adds the day bounds and ``ag:BestRank`` types (see :func:`materialise`).
    """
    store = ox.Store()
    for path in resources.files_to_load(data, ontology=ontology):
        load_into(store, path)
    if derive:
        materialise(store)
    return store


def materialise(store: ox.Store) -> ox.Store:
    """Add derived day bounds and ``ag:BestRank`` types to ``store`` in place.

    The rules of :func:`alliance_graph.temporal.materialise`: bounds written in the data
    win over derived ones; a claim is best-ranked when it is not deprecated and no claim
    it competes with has a higher rank. Each property is read in one scan and the new
    triples are added in one batch, so that a million triples take seconds, not minutes.
    """
    added = []
    for prop, (lo_name, hi_name) in BOUNDED_NAMES.items():
        lo_prop, hi_prop = _ag(lo_name), _ag(hi_name)
        has_lo, has_hi = _subjects(store, lo_prop), _subjects(store, hi_prop)
        for quad in store.quads_for_pattern(None, _ag(prop), None, _DEFAULT):
            value = quad.object
            if not isinstance(value, ox.Literal):
                continue
            bounds = _bounds(value.value, value.datatype.value)
            if bounds is None:
                continue
            node = quad.subject
            # The first date of a node wins, as graph.value does in the rdflib loader.
            if node not in has_lo:
                added.append(ox.Quad(node, lo_prop, bounds[0]))
                has_lo.add(node)
            if node not in has_hi:
                added.append(ox.Quad(node, hi_prop, bounds[1]))
                has_hi.add(node)
    store.extend(added)
    mark_best_rank(store)
    return store


@lru_cache(maxsize=65536)
def _bounds(text: str, datatype: str) -> tuple[ox.Literal, ox.Literal] | None:
    # Many facts share a date: each one is parsed once.
    span = span_of_lexical(text, datatype)
    if span is None:
        return None
    return (
        ox.Literal(span.earliest.isoformat(), datatype=XSD_DATE),
        ox.Literal(span.latest.isoformat(), datatype=XSD_DATE),
    )


def _subjects(store: ox.Store, predicate) -> set:
    return {q.subject for q in store.quads_for_pattern(None, predicate, None, _DEFAULT)}


def mark_best_rank(store: ox.Store) -> None:
    """Type as ``ag:BestRank`` every claim that answers use (Wikidata's "truthy")."""
    best = _ag("BestRank")
    for quad in list(store.quads_for_pattern(None, RDF_TYPE, best, _DEFAULT)):
        store.remove(quad)
    order = {AG_IRI + name: value for name, value in RANK_ORDER.items()}
    ranks: dict = {}
    for quad in store.quads_for_pattern(None, _ag("rank"), None, _DEFAULT):
        ranks.setdefault(quad.subject, quad.object)  # the first rank, as graph.value
    rivals: dict = {}
    for quad in store.quads_for_pattern(None, _ag("competesWith"), None, _DEFAULT):
        rivals.setdefault(quad.subject, set()).add(quad.object)
        rivals.setdefault(quad.object, set()).add(quad.subject)

    def rank(node) -> int:
        value = ranks.get(node)
        return order.get(value.value, 1) if isinstance(value, ox.NamedNode) else 1

    added = []
    for node in _subjects(store, _ag("citation")):
        own = rank(node)
        if own == 0 or any(rank(r) > own for r in rivals.get(node, ())):
            continue
        added.append(ox.Quad(node, RDF_TYPE, best))
    store.extend(added)


def to_ntriples(store: ox.Store) -> bytes:
    """The default graph of ``store`` as N-Triples."""
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=_DEFAULT)


def to_rdflib(store: ox.Store) -> Graph:
    """A copy of the default graph of ``store`` in an rdflib Graph (Memory store), with
    the project's prefixes bound: for pySHACL and for code written against rdflib."""
    from rdflib import Graph

    from .graph import PREFIXES

    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    graph.parse(data=to_ntriples(store), format="nt")
    return graph


def from_rdflib(graph: Graph) -> ox.Store:
    """A pyoxigraph store holding the triples of an rdflib graph (taken as they are: run
    :func:`materialise` on the result if they lack derived bounds)."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store
