"""Labels and owners of nodes, read from the graph an engine ran on (rdflib or pyoxigraph),
so that results name blank nodes as that engine does. Terms in and out are pyoxigraph's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from .vocabulary import RDFS_LABEL

if TYPE_CHECKING:
    from rdflib import Graph

_LABEL = ox.NamedNode(RDFS_LABEL)


def _first_label(labels) -> str | None:
    """English or untagged first, then by text."""
    if not labels:
        return None
    return min(labels, key=lambda lit: (lit.language not in ("en", None), lit.value)).value


class GraphView:
    """Labels and owners of nodes in an rdflib graph."""

    def __init__(self, graph: Graph):
        self.graph = graph

    @staticmethod
    def _to_rdflib(term):
        from rdflib import BNode, URIRef

        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        return None

    def label(self, term) -> str | None:
        from rdflib import Literal, URIRef

        node = self._to_rdflib(term)
        if node is None:
            return None
        labels = [
            ox.Literal(str(o), language=o.language) if o.language else ox.Literal(str(o))
            for o in self.graph.objects(node, URIRef(RDFS_LABEL))
            if isinstance(o, Literal)
        ]
        return _first_label(labels)

    def owner(self, term):
        """(subject, predicate) of a triple whose object is ``term``, or None."""
        from ..terms import to_oxigraph_term

        node = self._to_rdflib(term)
        if node is None:
            return None
        found = next(iter(self.graph.subject_predicates(node)), None)
        if found is None:
            return None
        return to_oxigraph_term(found[0]), to_oxigraph_term(found[1])


class StoreView:
    """Labels and owners of nodes in a pyoxigraph store."""

    def __init__(self, store):
        self.store = store

    def label(self, term) -> str | None:
        if not isinstance(term, ox.NamedNode | ox.BlankNode):
            return None
        return _first_label(
            [
                q.object
                for q in self.store.quads_for_pattern(term, _LABEL, None, ox.DefaultGraph())
                if isinstance(q.object, ox.Literal)
            ]
        )

    def owner(self, term):
        """(subject, predicate) of a triple whose object is ``term``, or None."""
        if not isinstance(term, ox.NamedNode | ox.BlankNode):
            return None
        for q in self.store.quads_for_pattern(None, None, term, ox.DefaultGraph()):
            return q.subject, q.predicate
        return None
