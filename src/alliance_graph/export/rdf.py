"""The RDF exports: Turtle, N-Triples, N-Quads, TriG and RDF/XML.

Blank nodes already carry stable labels (:func:`.parts.load_parts` names them once), so
each writer serialises the graph as it is and the output is the same in every run:
N-Triples and N-Quads are pyoxigraph's serialiser over the parsed quads, lines sorted
(N-Quads graph by graph; no rdflib graph is built for them); Turtle, TriG and RDF/XML
go through rdflib's serialisers, which sort subjects, predicates and objects. Nothing is
canonicalised on export, so an export costs about what the serialiser costs (figures in
docs/export.md).
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.term import Node

from ..graph import PREFIXES
from .parts import GRAPH_NS, Parts
from .registry import Options

# pyoxigraph escapes these in literals where rdflib's N-Triples writer (which the export
# used before) writes the character itself; both are valid N-Triples. They are written as
# rdflib wrote them, so that the bytes of an export do not change with the writer.
_ECHAR = re.compile(rb"\\(\\|[tbf]|u00[01][0-9A-F]|u007F)")
_UNESCAPED = {b"\\": b"\\\\", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(match: re.Match) -> bytes:
    code = match.group(1)
    return _UNESCAPED.get(code) or bytes([int(code[1:], 16)])


def split_lines(text: bytes, end: bytes = b"\n") -> list[bytes]:
    """The lines of pyoxigraph's N-Triples ``text``, control characters as rdflib writes
    them, split at ``end`` (``b" .\\n"`` leaves each line's final " ." out); ``text`` is
    freed when this returns (200 MB at 1M triples)."""
    # Every escape starts with a backslash: text without one has nothing to put back, and
    # looking for the byte costs a tenth of the pattern's scan (0.005 s against 0.06 s
    # for 1.2M lines).
    if b"\\" in text and _ECHAR.search(text) is not None:
        text = _ECHAR.sub(_unescape, text)
    lines = text.split(end)
    if lines and not lines[-1]:
        lines.pop()  # what follows the last one
    return lines


def _write_sorted(out, lines: list[bytes], end: bytes = b"\n") -> None:
    lines.sort()
    write_lines(out, lines, end)


def write_lines(out, lines: list[bytes], end: bytes = b"\n") -> None:
    """Write ``lines``, each followed by ``end``."""
    # Written a few thousand lines at a time: joining all of them first made one more copy
    # of the whole text (157 MB at 1M triples), whose fresh pages cost more than the
    # copying (to a file at 1M: 0.12-0.13 s in chunks against 0.37-0.77 s joined whole).
    for k in range(0, len(lines), _CHUNK):
        out.write(end.join(lines[k : k + _CHUNK]))
        out.write(end)


_CHUNK = 4096


def lines_of(quads: list, end: bytes = b"\n") -> list[bytes]:
    """The N-Triples lines of ``quads`` (in the default graph), as :func:`split_lines`
    splits them, in the order of ``quads``."""
    # Serialised a slice at a time (8 MB of text each at most) rather than in one piece:
    # the whole text at 1M triples is 157 MB of fresh pages on every export, and filling
    # them cost more than the serialiser (1.2M quads to lines: 0.70 s in slices against
    # 1.24 s whole, docs/export.md). The slices' memory is reused from one to the next.
    lines: list[bytes] = []
    for k in range(0, len(quads), _SLICE):
        text = ox.serialize(quads[k : k + _SLICE], format=ox.RdfFormat.N_TRIPLES)
        lines += split_lines(text, end)
    return lines


_SLICE = 65536


def write_turtle(parts: Parts, out, options: Options) -> None:
    # longturtle puts one object on a line; rdflib's Turtle writer sorts subjects,
    # predicates and objects, and blank nodes have stable labels: the same graph always
    # gives the same bytes, and a change gives a small diff.
    out.write(parts.graph(options.derived).serialize(format="longturtle", encoding="utf-8"))


def write_ntriples(parts: Parts, out, options: Options) -> None:
    # pyoxigraph's serialiser over the parsed quads (literals as written, stable blank-node
    # labels), then the lines sorted: no rdflib graph is built.
    _write_sorted(out, lines_of(parts.triples(options.derived)))


def write_nquads(parts: Parts, out, options: Options) -> None:
    # One graph after another, in the order TriG writes them (ontology, data, provenance,
    # derived), each graph's lines sorted. A line ends in " .\n" and nowhere else
    # (N-Triples escapes newlines in literals), so each part's N-Triples is split there
    # and joined again with its graph name put before the " .": no copy of the text with
    # the names in, and no sort across graphs (at 1M triples 1.4-1.7x Store.dump against
    # 2.2-2.35x for one sort of every line; docs/export.md). A blank node keeps its one
    # label in every graph it appears in: the same node, as in the union.
    for name, part in parts.named_quads(options.derived):
        _write_sorted(out, lines_of(part, b" .\n"), f" <{name}> .\n".encode())


def dataset(parts: Parts, options: Options, empty: bool = False) -> Dataset:
    """The parts as the named graphs of an rdflib Dataset (none with ``empty``: the
    prefixes only)."""
    result = Dataset()
    for prefix, iri in PREFIXES.items():
        result.bind(prefix, iri, override=True)
    result.bind("graph", str(GRAPH_NS))
    for name, part in [] if empty else parts.named(options.derived):
        target = result.graph(name)
        for triple in part:
            target.add(triple)
    return result


def write_trig(parts: Parts, out, options: Options) -> None:
    # rdflib's TriG writer sorts what is inside each graph. It is given the parts
    # themselves, in their order (each part's identifier is its graph name), rather than
    # a Dataset holding copies: copying into a Dataset cost more than writing, and a
    # Dataset yields its graphs in the order the store hashes them.
    serializer = TrigSerializer(dataset(parts, options, empty=True))
    serializer.contexts = [part for _, part in parts.named(options.derived)]
    serializer.serialize(out, encoding="utf-8")


def _order(triple: tuple) -> tuple:
    # IRIs, then blank nodes, then literals (by text, datatype, language); each term's
    # text as a plain str, which compares in C where rdflib's terms compare in Python.
    # A subject is never a literal and a predicate always an IRI (the graph comes from
    # pyoxigraph's quads), so one flat tuple per triple orders as a tuple per term would,
    # at half the cost (9.8 s against 4.9 s for 1.2M triples).
    s, p, o = triple
    if isinstance(o, Literal):
        return (
            isinstance(s, BNode),
            str(s),
            str(p),
            2,
            str(o),
            str(o.datatype or ""),
            o.language or "",
        )
    return (isinstance(s, BNode), str(s), str(p), 1 if isinstance(o, BNode) else 0, str(o), "", "")


class SortedGraph(Graph):
    """A view of another graph's store whose triples come in sorted order.

    rdflib's store yields triples in the order of Python's salted hashes, so a serialiser
    that walks the store without sorting (RDF/XML) writes different bytes in every
    process. Serialising this view instead gives the same bytes for the same graph. The
    triples are sorted once and indexed by subject, which is how the RDF/XML writer
    asks for them.
    """

    def __init__(self, graph: Graph):
        super().__init__(store=graph.store, identifier=graph.identifier)
        self.namespace_manager = graph.namespace_manager
        self._everything: list | None = None
        self._by_subject: dict = {}

    def _index(self) -> None:
        if self._everything is None:
            self._everything = sorted(Graph.triples(self, (None, None, None)), key=_order)
            for triple in self._everything:
                self._by_subject.setdefault(triple[0], []).append(triple)

    def triples(self, triple):  # type: ignore[override]
        s, p, o = triple
        if isinstance(p, Node) or p is None:
            self._index()
            if s is None and p is None and o is None:
                return iter(self._everything)
            if s is not None:
                return iter(
                    [
                        t
                        for t in self._by_subject.get(s, ())
                        if (p is None or t[1] == p) and (o is None or t[2] == o)
                    ]
                )
        found = list(super().triples(triple))
        if len(found) > 1:
            found.sort(key=_order)
        return iter(found)

    def __contains__(self, triple) -> bool:
        return next(iter(Graph.triples(self, triple)), None) is not None


_XMLNS = re.compile(rb"(?:\n  xmlns(?::[A-Za-z0-9_.-]+)?=\"[^\"]*\")+")


def write_rdfxml(parts: Parts, out, options: Options) -> None:
    import warnings

    with warnings.catch_warnings():
        # pretty-xml warns when a list node has other triples too: it then writes the list
        # node by node instead of as a collection, and loses nothing (the export is
        # isomorphic to the graph: tests/test_export.py). Not the user's concern.
        warnings.filterwarnings(
            "ignore", message=r"Assertions on .* other than RDF\.first and RDF\.rest"
        )
        text = SortedGraph(parts.graph(options.derived)).serialize(
            format="pretty-xml", encoding="utf-8"
        )
    # The namespace declarations come from a set: put them in alphabetical order.
    match = _XMLNS.search(text)
    if match:
        declarations = sorted(match.group(0).split(b"\n")[1:])
        text = (
            text[: match.start()] + b"".join(b"\n" + d for d in declarations) + text[match.end() :]
        )
    out.write(text)
