"""The Cytoscape.js export: the property graph as an ``elements`` JSON document."""

from __future__ import annotations

import json

from .parts import Parts
from .property_graph import for_options
from .registry import Options


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
