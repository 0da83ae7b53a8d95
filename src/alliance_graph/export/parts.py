"""What an export reads: the graph, split by where each triple comes from.

:func:`load_parts` reads the ontology and the data, names every blank node stably
(:mod:`.blank_nodes`), adds the loader's derived triples, and splits the result into
ontology, data, provenance and derived parts: the named graphs of N-Quads and TriG.
Because blank nodes are named here, once, every writer can serialise as it is: the same
files give the same bytes in every run without canonicalising on each export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, BNode, Graph, Namespace, URIRef

from .. import resources
from ..errors import DataFileError
from ..graph import PREFIXES, parse_into
from ..load import materialise_graph as materialise
from ..temporal import AG
from .blank_nodes import stable_labels

GRAPH_NS = Namespace("https://w3id.org/alliance-graph/graph/")
#: The named graphs of the N-Quads and TriG exports, in the order they are written.
GRAPH_NAMES = {
    "ontology": GRAPH_NS.ontology,
    "data": GRAPH_NS.data,
    "provenance": GRAPH_NS.provenance,
    "derived": GRAPH_NS.derived,
}


@dataclass
class Parts:
    """The graph an export reads, split by where each triple comes from.

    ``full`` is what the analyses read: the union of the four parts. The split gives the
    named graphs of N-Quads and TriG, and lets ``derived=False`` leave the loader's
    additions out of an export.
    """

    ontology: Graph
    data: Graph  # the data files, less their provenance
    provenance: Graph  # ag:citation links, citation nodes, descriptions of sources
    derived: Graph  # day bounds and ag:BestRank types that the loader adds
    full: Graph
    _visible: dict = field(default_factory=dict, repr=False)

    def named(self, derived: bool = True) -> list[tuple[URIRef, Graph]]:
        names = ["ontology", "data", "provenance"] + (["derived"] if derived else [])
        return [(GRAPH_NAMES[n], getattr(self, n)) for n in names]

    def graph(self, derived: bool = True) -> Graph:
        """The union of the parts an export shows (cached; do not mutate it)."""
        if derived:
            return self.full
        if False not in self._visible:
            union = bound(Graph())
            for _, part in self.named(derived=False):
                for triple in part:
                    union.add(triple)
            self._visible[False] = union
        return self._visible[False]


def bound(graph: Graph) -> Graph:
    """``graph`` with the project's prefixes (and ``owl``) bound, for the writers."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    graph.bind("owl", str(OWL))
    graph.bind("graph", str(GRAPH_NS))  # written only where used: TriG's graph names
    return graph


def load_parts(data: Iterable[Path | str] | None = None) -> Parts:
    """Load the ontology and ``data`` (the shipped data when None) into :class:`Parts`."""
    ontology = bound(Graph(identifier=GRAPH_NAMES["ontology"]))
    for path in resources.ontology_files():
        parse_into(ontology, path)
    written = bound(Graph())
    for path in [Path(p) for p in data] if data is not None else resources.data_files():
        check_escapes(path)
        parse_into(written, path)
    _name_blank_nodes(ontology, written)

    full = bound(Graph())
    for triple in ontology:
        full.add(triple)
    for triple in written:
        full.add(triple)
    materialise(full)
    derived = bound(Graph(identifier=GRAPH_NAMES["derived"]))
    for triple in full:
        if triple not in written and triple not in ontology:
            derived.add(triple)

    # Provenance: the citation links, the citation nodes and what is said of sources.
    citations = set(written.objects(None, AG.citation))
    sources = set(written.subjects(RDF.type, AG.Source))
    # Each part is identified by its graph name: the TriG writer takes the parts as they are.
    provenance = bound(Graph(identifier=GRAPH_NAMES["provenance"]))
    rest = bound(Graph(identifier=GRAPH_NAMES["data"]))
    for s, p, o in written:
        target = provenance if (p == AG.citation or s in citations or s in sources) else rest
        target.add((s, p, o))
    return Parts(ontology, rest, provenance, derived, full)


def _name_blank_nodes(*graphs: Graph) -> None:
    """Give the blank nodes of ``graphs`` their stable labels, in place (one labelling
    over all of them, so that two files never share a label by accident)."""
    touched = [[t for t in g if isinstance(t[0], BNode) or isinstance(t[2], BNode)] for g in graphs]
    mapping = stable_labels(t for triples in touched for t in triples)
    for graph, triples in zip(graphs, touched, strict=True):
        for s, p, o in triples:
            graph.remove((s, p, o))
        for s, p, o in triples:
            graph.add((mapping.get(s, s), p, mapping.get(o, o)))


# An escaped UTF-16 surrogate (\uD800-\uDFFF) in a string: not a character, so no RDF
# syntax allows it and no UTF-8 writer can write it. rdflib accepts it when parsing.
_SURROGATE = re.compile(
    rb"(?<!\\)(?:\\\\)*\\(?:u|U0000)([dD][89a-fA-F][0-9a-fA-F]{2})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?"
)


def check_escapes(path: Path | str) -> None:
    """Refuse a data file that escapes a lone surrogate, naming its line and column.

    JSON allows a surrogate pair written as two escapes (``\\ud83d\\ude00``); Turtle and
    N-Triples allow none (an escape there is a code point, and surrogates are not
    characters). Files that cannot be read are left to the parser to report.
    """
    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError:
        return
    pairs_allowed = path.suffix.lower() in (".jsonld", ".json")
    for match in _SURROGATE.finditer(text):
        if pairs_allowed and match.group(2) and match.group(1)[1:2].lower() in b"89ab":
            continue
        start = match.start(1) - (2 if text[match.start(1) - 2 : match.start(1)] == b"\\u" else 6)
        line = text.count(b"\n", 0, start) + 1
        column = start - (text.rfind(b"\n", 0, start) + 1) + 1
        escape = text[start : match.end(1)].decode("ascii")
        raise DataFileError(
            path,
            f"{escape} is a surrogate code point, not a character; write the character "
            "itself (UTF-8) or escape its code point with \\U",
            line,
            column,
        )
