"""Exports of the graph to other tools: RDF syntaxes, graph tools, Neo4j, tables, diagrams.

One module a job:

- :mod:`.registry`: the formats by name, alias, media type and suffix (:func:`register`,
  :func:`get`, :func:`guess`); :mod:`.formats` registers the shipped ones;
- :mod:`.parts`: what an export reads (:func:`load_parts`), with stable blank-node
  labels from :mod:`.blank_nodes`;
- :mod:`.rdf` and :mod:`.jsonld`: the RDF syntaxes;
- :mod:`.property_graph`: RDF as nodes and edges, read by :mod:`.graphml`, :mod:`.gexf`
  (dynamic, for Gephi), :mod:`.cytoscape`, :mod:`.neo4j` and :mod:`.tables`;
- :mod:`.diagrams`: the ownership network as Mermaid and DOT;
- :mod:`.dispatch`: :func:`export`, the one entry point; :mod:`.atomic` writes files and
  folders whole or not at all.

Writers import what they need (NetworkX, the ownership module) themselves, so that
importing this package stays cheap. The decisions (named graphs, derived triples, how RDF
becomes a property graph) are in docs/export.md.
"""

from __future__ import annotations

from ..errors import ExportError
from . import formats as _formats  # noqa: F401  (registers the shipped formats)
from .atomic import write_atomically, write_folder_atomically
from .blank_nodes import stable_labels
from .diagrams import ownership_arrows, ownership_network
from .dispatch import export
from .jsonld import context
from .neo4j import NEO4J_FILES
from .parts import GRAPH_NAMES, GRAPH_NS, Parts, load_parts
from .property_graph import EDGE_CLASSES, PropertyGraph, networkx_graph, property_graph
from .registry import FORMATS, Format, Options, Writer, get, guess, register
from .tables import TABLE_FILES, entity_rows, relationship_rows

__all__ = [
    "EDGE_CLASSES",
    "FORMATS",
    "GRAPH_NAMES",
    "GRAPH_NS",
    "NEO4J_FILES",
    "TABLE_FILES",
    "ExportError",
    "Format",
    "Options",
    "Parts",
    "PropertyGraph",
    "Writer",
    "context",
    "entity_rows",
    "export",
    "get",
    "guess",
    "load_parts",
    "networkx_graph",
    "ownership_arrows",
    "ownership_network",
    "property_graph",
    "register",
    "relationship_rows",
    "stable_labels",
    "write_atomically",
    "write_folder_atomically",
]
