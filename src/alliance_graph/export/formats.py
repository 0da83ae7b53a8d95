"""The formats the project ships, registered in the order ``export --list`` shows them."""

from __future__ import annotations

from . import cytoscape, diagrams, gexf, graphml, jsonld, neo4j, rdf, tables
from .registry import Format, register

for _fmt in (
    Format("turtle", rdf.write_turtle, "Turtle, one object a line, stable order (diff-friendly)",
           ("ttl", "longturtle"), (".ttl",), "text/turtle"),
    Format("ntriples", rdf.write_ntriples, "N-Triples, sorted lines",
           ("nt", "n-triples"), (".nt",), "application/n-triples"),
    Format("nquads", rdf.write_nquads,
           "N-Quads: ontology, data, provenance and derived triples as named graphs",
           ("nq", "n-quads"), (".nq",), "application/n-quads"),
    Format("trig", rdf.write_trig, "TriG: the same named graphs as N-Quads",
           (), (".trig",), "application/trig"),
    Format("rdfxml", rdf.write_rdfxml, "RDF/XML",
           ("xml", "rdf", "rdf/xml", "owl"), (".rdf", ".owl", ".xml"), "application/rdf+xml"),
    Format("jsonld", jsonld.write_jsonld, "JSON-LD with the project's context embedded",
           ("json-ld",), (".jsonld", ".json-ld"), "application/ld+json"),
    Format("graphml", graphml.write_graphml, "GraphML (yEd, Gephi, Cytoscape) via NetworkX",
           (), (".graphml",), "application/graphml+xml", dated=True),
    Format("gexf", gexf.write_gexf, "GEXF (Gephi) via NetworkX",
           (), (".gexf",), dated=True),
    Format("cytoscape", cytoscape.write_cytoscape, "Cytoscape.js elements JSON",
           ("cyjs", "cytoscape.js"), (".cyjs", ".cy.json"), dated=True),
    Format("neo4j", neo4j.write_neo4j, "CSV folder for neo4j-admin database import",
           ("neo4j-csv",), (), folder=True, dated=True, folder_files=neo4j.NEO4J_FILES),
    Format("csv", tables.write_tables, "folder with entities.csv and relationships.csv",
           ("tables",), (), folder=True, dated=True, folder_files=tables.TABLE_FILES),
    Format("entities-csv", tables.write_entities, "CSV table of entities",
           ("entities",), (), dated=True),
    Format("relationships-csv", tables.write_relationships, "CSV table of dated relationships",
           ("relationships",), (), dated=True),
    Format("mermaid", diagrams.write_mermaid,
           "Mermaid flowchart of the ownership network on a date",
           ("mmd",), (".mmd", ".mermaid"), dated=True),
    Format("dot", diagrams.write_dot, "Graphviz DOT of the ownership network on a date",
           ("graphviz", "gv"), (".dot", ".gv"), "text/vnd.graphviz", dated=True),
):  # fmt: skip
    register(_fmt)


# BODS 0.4 statements (the logic is alliance_graph.bods's; docs/bods.md)
from ..bods import export as bods_export  # noqa: E402

register(
    Format(
        "bods",
        bods_export.write_array,
        "BODS 0.4 statements, a JSON array (docs/bods.md)",
        ("bods-json",),
        (".bods.json",),
    )
)
register(
    Format(
        "bods-jsonl",
        bods_export.write_lines,
        "BODS 0.4 statements, JSON Lines",
        ("bods-lines",),
        (".bods.jsonl", ".jsonl"),
    )
)
