"""The GraphML export (yEd, Gephi, Cytoscape desktop, igraph, NetworkX).

Written here rather than by ``networkx.write_graphml`` so that every ``<key>`` has an id
of its own and one domain: NetworkX's readable key ids are the attribute names, so a
``label`` of nodes and a ``label`` of edges shared one id, which GraphML forbids and
igraph warns about. Key ids are ``node_NAME`` and ``edge_NAME``. An edge's IRI is the
edge's own ``id`` (GraphML's, and NetworkX's multigraph key); it is also the edge
attribute ``iri``, because igraph keeps attributes but not edge ids. Nodes are sorted by
id, edges as the property graph orders them, keys by domain and name: the same graph
gives the same bytes.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from .parts import Parts
from .property_graph import for_options, networkx_graph
from .registry import Options
from .values import text

_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_NS = (
    'xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"'
)


def key_id(domain: str, name: str) -> str:
    """The id of the ``<key>`` for attribute ``name`` of ``domain`` (node or edge)."""
    return f"{domain}_{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}"


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_graphml(parts: Parts, out, options: Options) -> None:
    graph = networkx_graph(for_options(parts, options))
    nodes = sorted(graph.nodes(data=True))
    edges = []
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        attrs = {k: v for k, v in attrs.items() if k != "id"}
        attrs["iri"] = key
        edges.append((source, target, key, attrs))

    keys: dict[tuple[str, str], str] = {}
    for domain, records in (("node", [a for _, a in nodes]), ("edge", [a for *_, a in edges])):
        for attrs in records:
            for name, value in attrs.items():
                keys.setdefault((domain, name), _TYPES[type(value)])
    ids = {(domain, name): key_id(domain, name) for domain, name in keys}
    if len(set(ids.values())) != len(ids):  # two names reduced to one id: number them
        ids = {dn: f"{dn[0]}_{i}" for i, dn in enumerate(sorted(keys))}

    def data(domain: str, attrs: dict) -> str:
        return "".join(
            f'<data key="{ids[domain, name]}">{_escape(text(value))}</data>'
            for name, value in sorted(attrs.items())
        )

    lines = ["<?xml version='1.0' encoding='utf-8'?>", f"<graphml {_NS}>"]
    for (domain, name), kind in sorted(keys.items()):
        lines.append(
            f'  <key id="{ids[domain, name]}" for="{domain}" '
            f'attr.name={quoteattr(name)} attr.type="{kind}" />'
        )
    lines.append('  <graph edgedefault="directed">')
    for node, attrs in nodes:
        lines.append(f"    <node id={quoteattr(node)}>{data('node', attrs)}</node>")
    for source, target, key, attrs in edges:
        lines.append(
            f"    <edge id={quoteattr(key)} source={quoteattr(source)} "
            f"target={quoteattr(target)}>{data('edge', attrs)}</edge>"
        )
    lines += ["  </graph>", "</graphml>"]
    out.write(("\n".join(lines) + "\n").encode("utf-8"))
