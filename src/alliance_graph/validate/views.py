"""Labels and owners of nodes, read from the graph an engine ran on (rdflib or pyoxigraph),
so that results name blank nodes as that engine does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .vocabulary import RDFS_LABEL

if TYPE_CHECKING:
    from rdflib import Graph


def graph_label(graph: Graph, term) -> str | None:
    """The label of ``term`` in an rdflib graph, English or untagged first."""
    from rdflib import Literal, URIRef

    labels = [o for o in graph.objects(term, URIRef(RDFS_LABEL)) if isinstance(o, Literal)]
    if not labels:
        return None
    labels.sort(key=lambda lit: (lit.language not in ("en", None), str(lit)))
    return str(labels[0])


class GraphView:
    """Labels and owners of nodes in an rdflib graph."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def label(self, term) -> str | None:
        return graph_label(self.graph, term)

    def owner(self, term):
        """(subject, predicate) of a triple whose object is ``term``, or None."""
        return next(iter(self.graph.subject_predicates(term)), None)


class StoreView:
    """Labels and owners of nodes in a pyoxigraph store, as rdflib terms."""

    def __init__(self, store):
        import pyoxigraph as ox

        self.store = store
        self.ox = ox
        self._label = ox.NamedNode(RDFS_LABEL)

    def _to_ox(self, term):
        from rdflib import BNode, URIRef

        if isinstance(term, URIRef):
            return self.ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return self.ox.BlankNode(str(term))
        return None

    def label(self, term) -> str | None:
        node = self._to_ox(term)
        if node is None:
            return None
        labels = [
            q.object
            for q in self.store.quads_for_pattern(node, self._label, None, self.ox.DefaultGraph())
            if isinstance(q.object, self.ox.Literal)
        ]
        if not labels:
            return None
        labels.sort(key=lambda lit: (lit.language not in ("en", None), lit.value))
        return labels[0].value

    def owner(self, term):
        from rdflib import BNode, URIRef

        node = self._to_ox(term)
        if node is None:
            return None
        for q in self.store.quads_for_pattern(None, None, node, self.ox.DefaultGraph()):
            s = q.subject
            subject = URIRef(s.value) if isinstance(s, self.ox.NamedNode) else BNode(s.value)
            return subject, URIRef(q.predicate.value)
        return None
