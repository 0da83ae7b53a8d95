"""What an export reads: the graph, split by where each triple comes from.

:func:`load_parts` parses the ontology and the data with the one loader (pyoxigraph
quads, literals as written), names every blank node stably (:mod:`.blank_nodes`), adds
the derived triples, and splits the result into ontology, data, provenance and derived
parts: the named graphs of N-Quads and TriG. Because blank nodes are named here, once,
every writer can serialise as it is: the same files give the same bytes in every run
without canonicalising on each export.

The parts are kept as pyoxigraph quads. The line-based writers (N-Triples, N-Quads)
serialise those directly; the rdflib graphs the other writers and the graph-shaped
exports read are built from them the first time they are asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, Graph, Namespace, URIRef

from .. import derive, resources
from ..files import files_to_load
from ..graph import PREFIXES
from ..load import add_quads, parse
from ..temporal import AG
from .blank_nodes import relabelled

GRAPH_NS = Namespace("https://w3id.org/alliance-graph/graph/")
#: The named graphs of the N-Quads and TriG exports, in the order they are written.
GRAPH_NAMES = {
    "ontology": GRAPH_NS.ontology,
    "data": GRAPH_NS.data,
    "provenance": GRAPH_NS.provenance,
    "derived": GRAPH_NS.derived,
}
_PARTS = tuple(GRAPH_NAMES)
_TYPE = ox.NamedNode(str(RDF.type))
_CITATION = ox.NamedNode(str(AG.citation))
_SOURCE = ox.NamedNode(str(AG.Source))


@dataclass
class Parts:
    """The graph an export reads, split by where each triple comes from.

    ``quads`` maps each part (ontology; data, the data files less their provenance;
    provenance, the ``ag:citation`` links, citation nodes and descriptions of sources;
    derived, the day bounds and ``ag:BestRank`` types the loader adds) to its quads, in
    the default graph (the part's graph name is ``GRAPH_NAMES[part]``), without
    duplicates. ``union`` is what the analyses
    read, in the default graph: the union of the four parts. The rdflib graphs
    ``ontology``, ``data``, ``provenance``, ``derived`` and ``full`` (the union) are built
    from them when first read; do not mutate them.
    """

    quads: dict[str, list[ox.Quad]]
    union: list[ox.Quad]
    _graphs: dict = field(default_factory=dict, repr=False)
    _triples: dict = field(default_factory=dict, repr=False)

    def named_quads(self, derived: bool = True) -> list[tuple[URIRef, list[ox.Quad]]]:
        """The parts an export shows, each with its graph name, in the order written."""
        names = _PARTS if derived else _PARTS[:3]
        return [(GRAPH_NAMES[n], self.quads[n]) for n in names]

    def triples(self, derived: bool = True) -> list[ox.Quad]:
        """The union of the parts an export shows, in the default graph, no duplicates."""
        if derived:
            return self.union
        if False not in self._triples:
            seen = dict.fromkeys(q for _, part in self.named_quads(derived=False) for q in part)
            self._triples[False] = list(seen)
        return self._triples[False]

    def _graph(self, key: str) -> Graph:
        if key not in self._graphs:
            if key == "full":
                graph = bound(Graph())
                add_quads(graph, self.union)
            else:
                graph = bound(Graph(identifier=GRAPH_NAMES[key]))
                add_quads(graph, self.quads[key])
            self._graphs[key] = graph
        return self._graphs[key]

    @property
    def ontology(self) -> Graph:
        return self._graph("ontology")

    @property
    def data(self) -> Graph:
        return self._graph("data")

    @property
    def provenance(self) -> Graph:
        return self._graph("provenance")

    @property
    def derived(self) -> Graph:
        return self._graph("derived")

    @property
    def full(self) -> Graph:
        return self._graph("full")

    def holdings(self):
        """The stakes of ``union`` as the ownership analyses read them (cached). ``union``
        holds the derived part already, so its quads go into a store as they are, with no
        rdflib graph copied across and no second derivation."""
        if "holdings" not in self._graphs:
            from ..ownership import holdings_from_store

            store = ox.Store()
            store.extend(self.union)
            self._graphs["holdings"] = holdings_from_store(store)
        return self._graphs["holdings"]

    def named(self, derived: bool = True) -> list[tuple[URIRef, Graph]]:
        """The parts an export shows as rdflib graphs (identified by their graph names)."""
        names = _PARTS if derived else _PARTS[:3]
        return [(GRAPH_NAMES[n], self._graph(n)) for n in names]

    def graph(self, derived: bool = True) -> Graph:
        """The union of the parts an export shows (cached; do not mutate it)."""
        if derived:
            return self.full
        if "visible" not in self._graphs:
            graph = bound(Graph())
            add_quads(graph, self.triples(derived=False))
            self._graphs["visible"] = graph
        return self._graphs["visible"]


def bound(graph: Graph) -> Graph:
    """``graph`` with the project's prefixes (and ``owl``) bound, for the writers."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    graph.bind("owl", str(OWL))
    graph.bind("graph", str(GRAPH_NS))  # written only where used: TriG's graph names
    return graph


def load_parts(
    data: Iterable[Path | str] | None = None, *, data_format: str | None = None
) -> Parts:
    """Load the ontology and ``data`` (the shipped data when None; ``data_format`` for
    files whose suffix does not say, and ``-``) into :class:`Parts`."""
    ontology = [q for path in resources.ontology_files() for q in parse(path)]
    written: list[ox.Quad] = []
    for path in files_to_load(data, ontology=False):
        written += parse(path, data_format)
    # One labelling over both, so that two files never share a label by accident.
    ontology, written = _name_blank_nodes(ontology, written)
    given = dict.fromkeys(ontology)
    ontology = list(given)
    distinct = dict.fromkeys(written)
    written = list(distinct)

    # The derived triples, from everything the files say less the marks of an earlier
    # run (they are derived again), as the loader derives them. (Merging a dict reuses
    # the hashes it holds: the quads are hashed once, 0.4 s less at 1M.)
    given.update(distinct)
    stale = {q for q in given if q.predicate == _TYPE and q.object == derive.BEST_RANK}
    for q in stale:
        del given[q]
    new = [q for q in derive.derived(derive.quads_source(list(given))) if q not in given]
    derived = list(dict.fromkeys(new))
    union = list(given) + derived
    derived_only = [q for q in derived if q not in stale]  # re-derived marks stay put

    # Provenance: the citation links, the citation nodes and what is said of sources.
    citations = {q.object for q in written if q.predicate == _CITATION}
    sources = {q.subject for q in written if q.predicate == _TYPE and q.object == _SOURCE}
    provenance, rest = [], []
    for q in written:
        is_provenance = q.predicate == _CITATION or q.subject in citations or q.subject in sources
        (provenance if is_provenance else rest).append(q)
    quads = {
        "ontology": ontology,
        "data": rest,
        "provenance": provenance,
        "derived": derived_only,
    }
    return Parts(quads, union)


def _name_blank_nodes(*parts: list[ox.Quad]) -> list[list[ox.Quad]]:
    """``parts`` with their blank nodes given stable labels (one labelling over all)."""
    b = ox.BlankNode
    touched = [
        [i for i, q in enumerate(part) if isinstance(q.subject, b) or isinstance(q.object, b)]
        for part in parts
    ]
    flat = [part[i] for part, at in zip(parts, touched, strict=True) for i in at]
    renamed = iter(relabelled(flat))
    result = []
    for part, indices in zip(parts, touched, strict=True):
        part = list(part)
        for i in indices:
            part[i] = next(renamed)
        result.append(part)
    return result


# An escaped UTF-16 surrogate (\uD800-\uDFFF) in a string: not a character, so no RDF
# syntax allows it and no UTF-8 writer can write it. rdflib accepts it when parsing.
