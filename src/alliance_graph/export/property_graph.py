"""RDF as a property graph: entities as nodes, binary relationships as edges.

GraphML, GEXF, Cytoscape.js, Neo4j and the CSV tables share this one mapping; the
decisions are in docs/export.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from ..claims import set_aside_because
from ..names import other_names, pick_label
from ..temporal import AG, DateSpan, interval_of
from .parts import Parts
from .registry import Options
from .values import local_name, plain_value, scalar, text

#: Relationship classes drawn as an edge between two of their roles, with the edge type.
EDGE_CLASSES = {
    AG.Shareholding: (AG.holder, AG.held, "HOLDS_SHARES_IN"),
    AG.Membership: (AG.member, AG.organisation, "MEMBER_OF"),
    AG.Tenure: (AG.person, AG.organisation, "HOLDS_POST_AT"),
    AG.Signing: (AG.person, AG.agreement, "SIGNED"),
    AG.MarketPresence: (AG.company, AG.place, "PRESENT_IN"),
}

#: Types of resource that are never nodes: they become attributes (sources) or are dropped.
_NOT_NODES = {AG.Source, AG.Citation}


def _edge_type(prop) -> str:
    """``builtOn`` -> ``BUILT_ON``: Neo4j's convention for relationship types."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local_name(prop)).upper()


class Vocabulary:
    """The class hierarchy of the ontology, for node kinds and Neo4j labels."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._ancestors: dict = {}

    def ancestors(self, cls) -> list:
        """``cls`` and its super-classes in the ag: namespace, most specific first."""
        if cls not in self._ancestors:
            chain, seen = [], set()
            frontier = [cls]
            while frontier:
                current = frontier.pop(0)
                if current in seen or not str(current).startswith(str(AG)):
                    continue
                seen.add(current)
                chain.append(current)
                frontier.extend(sorted(self.graph.objects(current, RDFS.subClassOf)))
            self._ancestors[cls] = chain
        return self._ancestors[cls]

    def kind(self, node) -> URIRef | None:
        """The most specific ag: class of ``node`` (ag:BestRank aside)."""
        classes = [
            c for c in self.graph.objects(node, RDF.type)
            if str(c).startswith(str(AG)) and c != AG.BestRank
        ]  # fmt: skip
        if not classes:
            return None
        return max(sorted(classes), key=lambda c: len(self.ancestors(c)))

    def is_relationship(self, cls) -> bool:
        return cls is not None and AG.Relationship in self.ancestors(cls)


def _describe(shown: Graph, full: Graph, node) -> tuple[dict, dict]:
    """The attributes of ``node``: literal values and links, keyed by property name."""
    values: dict[str, list] = {}
    links: dict[str, list] = {}
    for p, o in shown.predicate_objects(node):
        if p in (RDF.type, AG.citation):
            continue
        key = "label" if p == RDFS.label else local_name(p)
        if isinstance(o, URIRef) and not str(o).startswith(str(AG)):
            links.setdefault(key, []).append(o)
        elif not isinstance(o, BNode):
            values.setdefault(key, []).append(plain_value(o))
    if "label" in values:
        # One label, the one every face shows (names.pick_label); the others (other
        # languages) join the alternative labels, the names it answers to, as in
        # `entities`. All of them joined made "Beta Corp; Bêta Société" a node's name.
        given = [
            (str(o), o.language) for o in shown.objects(node, RDFS.label) if isinstance(o, Literal)
        ]
        shown_label = pick_label(given)
        values["label"] = [shown_label]
        others = other_names(given, values.get("altLabel", ()), shown_label)
        if others:
            values["altLabel"] = others
    for items in values.values():
        items.sort(key=text)
    for targets in links.values():
        targets.sort()
    sources = sorted(
        {str(s) for c in full.objects(node, AG.citation) for s in full.objects(c, AG.source)}
    )
    if sources:
        values["sources"] = sources
    return values, links


def _valid(full: Graph, node, at: DateSpan | None, reading: str) -> tuple[bool, bool | None]:
    """Whether a relationship is kept on ``at``, and whether it is certain then."""
    if at is None:
        return True, None
    interval = interval_of(full, node)
    certain = interval.certain_over(at)
    if reading == "certain":
        return certain, certain
    return interval.possible_during(at), certain


def _chosen_stakes(parts: Parts, at: DateSpan, reading: str) -> dict[str, bool]:
    """The shareholdings the ownership snapshots take on ``at``, and their certainty."""
    from .. import ownership

    held = parts.holdings()
    chosen: dict[str, bool] = {}
    for interest in ownership.INTERESTS:
        snap = ownership.snapshot(held, at, interest=interest, reading=reading)
        for _, _, attrs in snap.edges(data=True):
            for part in attrs["parts"]:
                chosen[part["statement"]] = part["certain"] and not attrs["candidates"]
    return chosen


@dataclass
class PropertyGraph:
    """Entities and relationships as nodes and edges, with plain attribute values.

    ``nodes`` and ``edges`` keep lists (several labels, several sources); the writers
    flatten them as their format needs.
    """

    nodes: dict  # IRI -> {"kind": ..., "labels": [...], attributes}
    edges: list  # (source IRI, target IRI, key, {"relation": TYPE, attributes})
    relationships: list  # rows for the relationships table: every dated relationship
    links: dict  # IRI -> {property name: [IRIs of nodes]}: the edges of a node, by name


def property_graph(
    parts: Parts,
    *,
    at: DateSpan | None = None,
    reading: str | None = None,
    derived: bool = True,
    notes: list[str] | None = None,
) -> PropertyGraph:
    """Build the property graph of best-ranked entities and relationships.

    Relationships of the classes in :data:`EDGE_CLASSES` become edges between their two
    roles; other resources become nodes, and their links to other nodes become edges named
    after the property. With ``at``, relationships not valid on that date are left out and
    the kept ones carry ``certain``. Under ``reading`` ``certain`` or ``possible`` a
    relationship is kept when it is certainly or possibly valid; under ``as-of`` (the
    default) the shareholdings are those the ownership snapshots take, one figure per
    stake, and the other relationships are kept when possibly valid. A shareholding giving
    several values where the shapes allow one is left out, as the ownership analyses set
    it aside, and ``notes`` (a list) receives its IRI and the reason.
    """
    reading = reading or "as-of"
    full = parts.full
    shown = parts.graph(derived)
    vocab = Vocabulary(full)
    # Under as-of, the ownership module picks one figure per stake (the latest evidence);
    # other relationships have no competing figures to pick from and are kept if possible.
    stakes = _chosen_stakes(parts, at, reading) if at is not None and reading == "as-of" else None

    # 1. Which resources take part: typed, best-ranked if they are claims, valid on `at`.
    kinds: dict = {}
    certainty: dict = {}
    for node in set(full.subjects(RDF.type, None)):
        if not isinstance(node, URIRef) or str(node).startswith(str(AG)):
            continue
        kind = vocab.kind(node)
        if kind is None or kind in _NOT_NODES or kind == OWL.Ontology:
            continue
        if any(True for _ in full.objects(node, AG.citation)) and (
            (node, RDF.type, AG.BestRank) not in full
        ):
            continue  # deprecated or outranked claims
        if AG.Shareholding in vocab.ancestors(kind):
            reason = set_aside_because(lambda p, n=node: [str(v) for v in full.objects(n, AG[p])])
            if reason:
                if notes is not None:
                    notes.append(f"{node}: {reason}")
                continue
        if vocab.is_relationship(kind):
            if stakes is not None and kind == AG.Shareholding:
                keep, certain = str(node) in stakes, stakes.get(str(node))
            else:
                keep, certain = _valid(full, node, at, reading)
            if not keep:
                continue
            certainty[node] = certain
        kinds[node] = kind

    # 2. Binary relationships between two kept resources become edges.
    as_edge: dict = {}
    for node, kind in kinds.items():
        spec = EDGE_CLASSES.get(kind)
        if spec is None:
            continue
        ends = [list(full.objects(node, prop)) for prop in spec[:2]]
        if all(len(e) == 1 and e[0] in kinds and e[0] not in as_edge for e in ends):
            as_edge[node] = (ends[0][0], ends[1][0], spec)

    nodes, edges, rows, node_links = {}, [], [], {}
    for node in sorted(kinds):
        values, links = _describe(shown, full, node)
        kind = kinds[node]
        if certainty.get(node) is not None:
            values["certain"] = [certainty[node]]
        if vocab.is_relationship(kind):
            rows.append(_relationship_row(node, kind, values, links, as_edge.get(node), full))
        if node in as_edge:
            source, target, (from_prop, to_prop, relation) = as_edge[node]
            links.pop(local_name(from_prop), None)
            links.pop(local_name(to_prop), None)
            attrs = {"id": str(node), "relation": relation, "kind": local_name(kind)}
            attrs.update(_merge(values, links))
            edges.append((str(source), str(target), str(node), attrs))
            continue
        attrs = {"kind": local_name(kind), "labels": [local_name(c) for c in vocab.ancestors(kind)]}
        for key, targets in links.items():
            inside = [t for t in targets if t in kinds and t not in as_edge]
            if inside:
                node_links.setdefault(str(node), {})[key] = sorted(str(t) for t in inside)
            for t in sorted(inside):
                key_id = f"{node} {key} {t}"
                edges.append((str(node), str(t), key_id,
                              {"id": key_id, "relation": _edge_type(key)}))  # fmt: skip
            outside = [t for t in targets if t not in inside]
            if outside:
                values.setdefault(key, []).extend(str(t) for t in outside)
        attrs.update({k: v for k, v in values.items()})
        nodes[str(node)] = attrs
    edges.sort(key=lambda e: (e[0], e[1], e[2]))
    return PropertyGraph(nodes, edges, rows, node_links)


def _merge(values: dict, links: dict) -> dict:
    merged = {k: list(v) for k, v in values.items()}
    for key, targets in links.items():
        merged.setdefault(key, []).extend(str(t) for t in targets)
    return merged


def label_of(full: Graph, node) -> str:
    labels = full.objects(node, RDFS.label)
    return pick_label((str(v), v.language) for v in labels if isinstance(v, Literal)) or ""


def _relationship_row(node, kind, values, links, edge, full) -> dict:
    row = {"id": str(node), "kind": local_name(kind), "label": ""}
    if edge is not None:
        source, target, _ = edge
        row.update(
            {
                "from": str(source),
                "from_label": label_of(full, source),
                "to": str(target),
                "to_label": label_of(full, target),
            }
        )
    for key, items in _merge(values, links).items():
        if edge is not None and key in (local_name(edge[2][0]), local_name(edge[2][1])):
            continue
        row[key] = items
    return row


def _unify(records: Iterable[dict]) -> None:
    """Give every attribute one type across ``records`` (GraphML declares one per key).

    int and float become float; anything mixed with str becomes str.
    """
    records = list(records)
    types: dict[str, set] = {}
    for attrs in records:
        for key, value in attrs.items():
            types.setdefault(key, set()).add(type(value))
    for key, seen in types.items():
        if len(seen) < 2:
            continue
        if seen <= {int, float}:
            target = float
        else:
            target = text
        for attrs in records:
            if key in attrs:
                attrs[key] = target(attrs[key])


def _flat(attrs: dict) -> dict:
    out = {}
    for key, value in attrs.items():
        out[key] = scalar(value) if isinstance(value, list) else value
    return out


def networkx_graph(pg: PropertyGraph, *, flat: bool = True):
    """The property graph as a ``networkx.MultiDiGraph`` keyed by IRIs.

    With ``flat`` (the default), every attribute value is a str, int, float or bool, as
    GraphML and GEXF need: lists are joined with '; ' and each key has one type.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    node_attrs = {n: (_flat(a) if flat else dict(a)) for n, a in pg.nodes.items()}
    edge_attrs = [(s, t, k, _flat(a) if flat else dict(a)) for s, t, k, a in pg.edges]
    if flat:
        _unify(node_attrs.values())
        _unify(a for *_, a in edge_attrs)
    for node, attrs in node_attrs.items():
        graph.add_node(node, **attrs)
    for source, target, key, attrs in edge_attrs:
        graph.add_edge(source, target, key=key, **attrs)
    return graph


def for_options(parts: Parts, options: Options) -> PropertyGraph:
    return property_graph(
        parts,
        at=options.at,
        reading=options.reading,
        derived=options.derived,
        notes=options.notes,
    )
