"""The RDF exports: Turtle, N-Triples, N-Quads, TriG and RDF/XML, through rdflib.

Blank nodes already carry stable labels (:func:`.parts.load_parts` names them once), so
each writer serialises the graph as it is and the output is the same in every run:
N-Triples and N-Quads as sorted lines, Turtle and TriG through rdflib's serialisers,
which sort subjects, predicates and objects. Nothing is canonicalised on export, so an
export costs about what rdflib's serialiser costs (figures in docs/export.md).
"""

from __future__ import annotations

from rdflib import Dataset, Graph

from ..graph import PREFIXES
from .parts import GRAPH_NS, Parts
from .registry import Options


def _sorted_lines(chunks: list[bytes]) -> bytes:
    lines = sorted(line for chunk in chunks for line in chunk.splitlines() if line.strip())
    return b"\n".join(lines) + b"\n"


def _ntriples(graph: Graph) -> bytes:
    return graph.serialize(format="nt", encoding="utf-8")


def write_turtle(parts: Parts, out, options: Options) -> None:
    # longturtle puts one object on a line; rdflib's Turtle writer sorts subjects,
    # predicates and objects, and blank nodes have stable labels: the same graph always
    # gives the same bytes, and a change gives a small diff.
    out.write(parts.graph(options.derived).serialize(format="longturtle", encoding="utf-8"))


def write_ntriples(parts: Parts, out, options: Options) -> None:
    out.write(_sorted_lines([_ntriples(parts.graph(options.derived))]))


def write_nquads(parts: Parts, out, options: Options) -> None:
    # Each part's N-Triples lines with its graph name before the final " .". A blank node
    # keeps its one label in every graph it appears in: the same node, as in the union.
    chunks = []
    for name, part in parts.named(options.derived):
        tail = f" <{name}> .".encode()
        chunks.append(
            b"\n".join(line[:-2] + tail for line in _ntriples(part).splitlines() if line.strip())
        )
    out.write(_sorted_lines(chunks))


def dataset(parts: Parts, options: Options) -> Dataset:
    """The parts as the named graphs of an rdflib Dataset (for TriG)."""
    result = Dataset()
    for prefix, iri in PREFIXES.items():
        result.bind(prefix, iri, override=True)
    result.bind("graph", str(GRAPH_NS))
    for name, part in parts.named(options.derived):
        target = result.graph(name)
        for triple in part:
            target.add(triple)
    return result


def write_trig(parts: Parts, out, options: Options) -> None:
    out.write(dataset(parts, options).serialize(format="trig", encoding="utf-8"))


def write_rdfxml(parts: Parts, out, options: Options) -> None:
    out.write(parts.graph(options.derived).serialize(format="pretty-xml", encoding="utf-8"))
