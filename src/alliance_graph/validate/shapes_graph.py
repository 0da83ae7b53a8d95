"""The shapes as pyoxigraph triples, indexed both ways: what every engine and the report's
names read of them, without rdflib (pySHACL gets an rdflib copy, :meth:`ShapesGraph.to_rdflib`).

The files are read by the one loader (:func:`alliance_graph.load.parse`: errors name the
file, line and column); a triple stated twice is kept once, as in an RDF graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_FIRST, _REST, _NIL = (ox.NamedNode(RDF + n) for n in ("first", "rest", "nil"))


class ShapesGraph:
    """A small read-only graph: ``objects``, ``subjects``, ``value`` ... over pyoxigraph
    terms, in the order the triples were read."""

    def __init__(self, triples: Iterable[ox.Triple] = ()):
        self.triples: list[ox.Triple] = list(dict.fromkeys(triples))
        self._indexes: tuple[dict, dict, dict] | None = None  # made on the first look-up
        self._rdflib = None

    def _index(self) -> tuple[dict, dict, dict]:
        """subject -> predicate -> [object], object -> predicate -> [subject] and
        predicate -> [(subject, object)]; a copy that is only written needs none."""
        if self._indexes is None:
            out: dict = {}
            into: dict = {}
            pairs: dict = {}
            for t in self.triples:
                s, p, o = t.subject, t.predicate, t.object
                out.setdefault(s, {}).setdefault(p, []).append(o)
                into.setdefault(o, {}).setdefault(p, []).append(s)
                pairs.setdefault(p, []).append((s, o))
            self._indexes = (out, into, pairs)
        return self._indexes

    @classmethod
    def read(cls, files: Iterable[Path | str]) -> ShapesGraph:
        from ..load import parse

        return cls(q.triple for path in files for q in parse(path))

    @classmethod
    def of(cls, graph) -> ShapesGraph:
        """``graph`` itself, or an rdflib graph's triples as pyoxigraph terms."""
        if isinstance(graph, ShapesGraph):
            return graph
        from ..terms import to_oxigraph_term as ox_term

        return cls(ox.Triple(ox_term(s), ox_term(p), ox_term(o)) for s, p, o in graph)

    def __len__(self) -> int:
        return len(self.triples)

    def __iter__(self):
        return iter(self.triples)

    def objects(self, subject, predicate) -> list:
        return list(self._index()[0].get(subject, {}).get(predicate, ()))

    def subjects(self, predicate, obj=None) -> list:
        """Subjects of ``predicate`` with ``obj`` (any object when None), each once."""
        if obj is not None:
            return list(dict.fromkeys(self._index()[1].get(obj, {}).get(predicate, ())))
        return list(dict.fromkeys(s for s, _ in self._index()[2].get(predicate, ())))

    def subject_objects(self, predicate) -> list[tuple]:
        return list(self._index()[2].get(predicate, ()))

    def predicates(self, subject) -> list:
        return list(self._index()[0].get(subject, {}))

    def predicate_objects(self, subject) -> list[tuple]:
        return [(p, o) for p, objs in self._index()[0].get(subject, {}).items() for o in objs]

    def value(self, subject, predicate):
        """One object of ``subject`` and ``predicate``, or None."""
        found = self._index()[0].get(subject, {}).get(predicate)
        return found[0] if found else None

    def has(self, subject, predicate, obj) -> bool:
        return obj in self._index()[0].get(subject, {}).get(predicate, ())

    def items(self, head) -> list:
        """The members of the RDF list starting at ``head``."""
        out, seen = [], set()
        while head is not None and head != _NIL and head not in seen:
            seen.add(head)
            first = self.value(head, _FIRST)
            if first is not None:
                out.append(first)
            head = self.value(head, _REST)
        return out

    def ntriples(self) -> str:
        return ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")

    def to_rdflib(self):
        """An rdflib graph of the same triples (the same blank node ids), made once."""
        if self._rdflib is None:
            from rdflib import Graph

            from ..terms import to_rdflib_term as term

            graph = Graph()
            graph.addN(
                (term(t.subject), term(t.predicate), term(t.object), graph) for t in self.triples
            )
            self._rdflib = graph
        return self._rdflib
