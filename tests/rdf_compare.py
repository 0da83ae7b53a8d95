"""Graph isomorphism for the tests, decided by Oxigraph's RDFC-1.0 canonicalisation.

rdflib's ``isomorphic``/``to_isomorphic`` hash every blank node by repeated refinement in
Python: on the shipped graph (about 6,500 triples, hundreds of citation nodes) one hash
took 10-30 s, and the export tests asked for a dozen. RDFC-1.0 (the W3C's RDF Dataset
Canonicalization) gives two graphs the same canonical quads exactly when they are
isomorphic; pyoxigraph computes it in Rust in a fraction of a second. The rdflib graphs are
written as N-Triples by rdflib and read by pyoxigraph's parser, which keeps every literal
as written, so the comparison sees the terms rdflib holds.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph


def canonical(graph: Graph) -> list[str]:
    """The graph's triples, blank nodes named by RDFC-1.0, as sorted N-Triples lines."""
    text = graph.serialize(format="nt", encoding="utf-8")
    dataset = ox.Dataset(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(quad.triple) for quad in dataset)


def same_graph(a: Graph, b: Graph) -> bool:
    """True when the two graphs are isomorphic (equal up to blank node names)."""
    return len(a) == len(b) and canonical(a) == canonical(b)
