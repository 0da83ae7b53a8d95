"""Graph-tool exports of the property graph: GraphML, GEXF (Gephi) and Cytoscape.js."""

from __future__ import annotations

import json

from .parts import Parts
from .property_graph import for_options, networkx_graph
from .registry import Options


def write_graphml(parts: Parts, out, options: Options) -> None:
    import networkx as nx

    graph = networkx_graph(for_options(parts, options))
    nx.write_graphml(graph, out, encoding="utf-8", named_key_ids=True)


# GEXF gives these edge attribute names a meaning of its own (start and end are its
# time model, which wants one date format for the whole file).
_GEXF_RENAMED = {"start": "start_given", "end": "end_given"}


def write_gexf(parts: Parts, out, options: Options) -> None:
    import networkx as nx

    graph = networkx_graph(for_options(parts, options))
    for _, _, attrs in graph.edges(data=True):
        for old, new in _GEXF_RENAMED.items():
            if old in attrs:
                attrs[new] = attrs.pop(old)
    for _, attrs in graph.nodes(data=True):
        for old, new in _GEXF_RENAMED.items():
            if old in attrs:
                attrs[new] = attrs.pop(old)
    nx.write_gexf(graph, out, encoding="utf-8")


def write_cytoscape(parts: Parts, out, options: Options) -> None:
    # Cytoscape.js "elements" JSON, as networkx.cytoscape_data writes it, but without its
    # "value" and "name" keys, which would overwrite attributes of the same names. JSON
    # takes lists, so several values stay a list; one value is the value itself.
    pg = for_options(parts, options)

    def unwrap(attrs: dict) -> dict:
        return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in attrs.items()}

    elements = {
        "nodes": [
            {"data": {**unwrap(attrs), "id": node}} for node, attrs in sorted(pg.nodes.items())
        ],
        "edges": [
            {"data": {**unwrap(attrs), "id": key, "source": source, "target": target}}
            for source, target, key, attrs in pg.edges
        ],
    }
    doc = {"data": {"name": "alliance-graph"}, "directed": True, "multigraph": True,
           "elements": elements}  # fmt: skip
    out.write(json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    out.write(b"\n")
