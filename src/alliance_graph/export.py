"""Exports of the graph to other tools: RDF syntaxes, graph tools, Neo4j, tables, diagrams.

Formats live in a registry keyed by name, in the spirit of rdflib's plugin registry
(``rdflib/plugin.py``): each :class:`Format` names its writer, its aliases, the file
suffixes it is guessed from and its media type. :func:`get` resolves a name, alias or
media type; :func:`guess` a file name. Adding a format is one :func:`register` call and one
writer function. Writers import what they need (NetworkX, the ownership module) themselves,
so that importing this module stays cheap.

Every export is written atomically: a file goes to a temporary file in the target folder
and is renamed over the target (``os.replace``) only once it is complete; a folder is built
in a temporary folder beside the target and renamed into place. An error or an interrupt
leaves the previous output as it was and no temporary file behind.

The decisions (named graphs, derived triples, how RDF becomes a property graph) are in
docs/export.md.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef

from . import resources
from .errors import AllianceGraphError, UsageError
from .graph import PREFIXES, parse_into
from .load import materialise_graph as materialise
from .temporal import AG, READINGS, DateSpan, interval_of, parse_date

GRAPH_NS = Namespace("https://w3id.org/alliance-graph/graph/")
#: The named graphs of the N-Quads and TriG exports, in the order they are written.
GRAPH_NAMES = {
    "ontology": GRAPH_NS.ontology,
    "data": GRAPH_NS.data,
    "provenance": GRAPH_NS.provenance,
    "derived": GRAPH_NS.derived,
}

RES = Namespace(PREFIXES["res"])


class ExportError(AllianceGraphError):
    """An export could not be written (the target is unusable or a writer failed)."""


# ---------------------------------------------------------------------------------------
# What an export reads: the graph, split by origin
# ---------------------------------------------------------------------------------------


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
            union = _bound(Graph())
            for _, part in self.named(derived=False):
                for triple in part:
                    union.add(triple)
            self._visible[False] = union
        return self._visible[False]


def _bound(graph: Graph) -> Graph:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    graph.bind("owl", str(OWL))
    return graph


def load_parts(data: Iterable[Path | str] | None = None) -> Parts:
    """Load the ontology and ``data`` (the shipped data when None) into :class:`Parts`."""
    ontology = _bound(Graph())
    for path in resources.ontology_files():
        parse_into(ontology, path)
    written = _bound(Graph())
    for path in [Path(p) for p in data] if data is not None else resources.data_files():
        parse_into(written, path)

    full = _bound(Graph())
    for triple in ontology:
        full.add(triple)
    for triple in written:
        full.add(triple)
    materialise(full)
    derived = _bound(Graph())
    for triple in full:
        if triple not in written and triple not in ontology:
            derived.add(triple)

    # Provenance: the citation links, the citation nodes and what is said of sources.
    citations = set(written.objects(None, AG.citation))
    sources = set(written.subjects(RDF.type, AG.Source))
    provenance, rest = _bound(Graph()), _bound(Graph())
    for s, p, o in written:
        target = provenance if (p == AG.citation or s in citations or s in sources) else rest
        target.add((s, p, o))
    return Parts(ontology, rest, provenance, derived, full)


# ---------------------------------------------------------------------------------------
# Options and the format registry
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """What every writer is told besides the graph."""

    at: DateSpan | None = None  # restrict graph-shaped exports to this date
    reading: str | None = None  # certain, possible or as-of; None: the format's default
    derived: bool = True  # include the loader's day bounds and ag:BestRank types


Writer = Callable[[Parts, "io.BufferedIOBase | Path", Options], None]


@dataclass(frozen=True)
class Format:
    """One export format: a name, how to find it, and the function that writes it."""

    name: str
    writer: Writer
    description: str
    aliases: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()  # lower case, with the dot; longest match wins
    media_type: str | None = None
    folder: bool = False  # writes a folder of files (the writer receives a Path)
    dated: bool = False  # accepts --at (graph-shaped formats)
    folder_files: tuple[str, ...] = ()  # the files a folder format writes


FORMATS: dict[str, Format] = {}
_LOOKUP: dict[str, str] = {}


def register(fmt: Format) -> Format:
    """Add ``fmt`` to the registry under its name, aliases and media type."""
    FORMATS[fmt.name] = fmt
    for key in (fmt.name, *fmt.aliases, *([fmt.media_type] if fmt.media_type else [])):
        _LOOKUP[key.lower()] = fmt.name
    return fmt


def get(name: str) -> Format:
    """The format named ``name`` (a name, an alias or a media type, any case)."""
    key = _LOOKUP.get(name.strip().lower())
    if key is None:
        raise UsageError(
            f"unknown export format {name!r}; choose one of {', '.join(sorted(FORMATS))}"
        )
    return FORMATS[key]


def guess(path: str | Path) -> Format | None:
    """The format a file name's suffix suggests, or None."""
    name = Path(path).name.lower()
    best = None
    for fmt in FORMATS.values():
        for suffix in fmt.suffixes:
            if name.endswith(suffix) and (best is None or len(suffix) > len(best[0])):
                best = (suffix, fmt)
    return best[1] if best else None


# ---------------------------------------------------------------------------------------
# The one entry point
# ---------------------------------------------------------------------------------------


def export(
    fmt: str | None = None,
    output: str | Path = "-",
    *,
    data: Iterable[Path | str] | None = None,
    at: str | DateSpan | None = None,
    reading: str | None = None,
    derived: bool = True,
    parts: Parts | None = None,
    stdout: io.BufferedIOBase | None = None,
) -> Path | None:
    """Export the graph in ``fmt`` to ``output`` (a file, a folder, or ``-`` for stdout).

    ``fmt`` may be None when ``output``'s suffix names the format. ``data`` replaces the
    shipped data files; ``parts`` (from :func:`load_parts`) skips loading. ``at`` restricts
    graph-shaped formats to the relationships valid on that date under ``reading``.
    Returns the path written, or None for stdout.
    """
    to_stdout = str(output) == "-"
    if fmt is None:
        if to_stdout:
            raise UsageError("--format is needed when writing to standard output")
        chosen = guess(output)
        if chosen is None:
            raise UsageError(
                f"cannot tell the format from the file name {str(output)!r}; give --format"
            )
    else:
        chosen = get(fmt)
    if isinstance(at, str):
        try:
            at = parse_date(at)
        except ValueError as exc:
            raise UsageError(f"--at: {exc}") from None
    if at is not None and not chosen.dated:
        dated = ", ".join(sorted(f.name for f in FORMATS.values() if f.dated))
        raise UsageError(
            f"--at does not apply to {chosen.name}, which exports the whole graph with its "
            f"dates; it applies to {dated}"
        )
    if reading is not None and reading not in READINGS:
        raise UsageError(f"--reading must be one of {', '.join(READINGS)}, not {reading!r}")
    if reading is not None and at is None:
        raise UsageError("--reading needs --at")
    if chosen.folder and to_stdout:
        raise UsageError(f"{chosen.name} writes a folder of files; give -o FOLDER")

    if parts is None:
        parts = load_parts(data)
    options = Options(at=at, reading=reading, derived=derived)

    if to_stdout:
        stream = stdout if stdout is not None else sys.stdout.buffer
        buffer = io.BytesIO()  # complete before anything reaches the stream
        chosen.writer(parts, buffer, options)
        stream.write(buffer.getvalue())
        stream.flush()
        return None
    target = Path(output)
    if chosen.folder:
        _write_folder_atomically(
            target, chosen, lambda folder: chosen.writer(parts, folder, options)
        )
    else:
        write_atomically(target, lambda stream: chosen.writer(parts, stream, options))
    return target


def write_atomically(path: Path, write: Callable[[io.BufferedIOBase], None]) -> None:
    """Write a file through ``write(stream)`` so that it appears whole or not at all.

    The bytes go to a temporary file in the same folder, which replaces ``path`` only when
    ``write`` returned; on any error or interrupt the temporary file is removed and
    ``path`` keeps its previous content.
    """
    from . import writing  # the project's one writer: devices, links, signals, errors

    try:
        writing.write_atomically(path, write)
    except writing.OutputError as exc:
        raise ExportError(str(exc)) from None


def _write_folder_atomically(target: Path, fmt: Format, write: Callable[[Path], None]) -> None:
    parent = target.parent if str(target.parent) else Path(".")
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target}: exists and is not a folder; {fmt.name} writes a folder")
    if target.is_dir():
        strangers = sorted(p.name for p in target.iterdir() if p.name not in fmt.folder_files)
        if strangers:
            raise ExportError(
                f"{target}: the folder holds files this export does not write "
                f"({', '.join(strangers[:5])}); give an empty or new folder"
            )
    if not parent.is_dir():
        raise ExportError(f"{target}: the folder {parent} does not exist")
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    old = None
    try:
        write(tmp)
        os.chmod(tmp, 0o777 & ~_umask())
        if target.exists():
            # A folder cannot be replaced in one step: move the old one aside first, and
            # put it back if the new one cannot take its place.
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.rmdir(old)
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except BaseException:
                os.replace(old, target)
                old = None
                raise
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------------------------------
# RDF, through rdflib's serializers
# ---------------------------------------------------------------------------------------


def _canonical(graph: Graph, prefix: str = "") -> Graph:
    """``graph`` with blank nodes renamed from their content, so that output is stable."""
    from rdflib.compare import to_canonical_graph

    canon = to_canonical_graph(graph)
    out = _bound(Graph())
    for s, p, o in canon:
        if prefix:
            s = BNode(prefix + s) if isinstance(s, BNode) else s
            o = BNode(prefix + o) if isinstance(o, BNode) else o
        out.add((s, p, o))
    return out


def _write_turtle(parts: Parts, out, options: Options) -> None:
    # longturtle puts one object on a line, and canon=True names blank nodes from their
    # content: the same graph always gives the same bytes, and a change gives a small diff.
    text = parts.graph(options.derived).serialize(format="longturtle", canon=True)
    out.write(text.encode("utf-8"))


def _write_ntriples(parts: Parts, out, options: Options) -> None:
    text = _canonical(parts.graph(options.derived)).serialize(format="nt")
    lines = sorted(line for line in text.splitlines() if line.strip())
    out.write(("\n".join(lines) + "\n").encode("utf-8"))


def _dataset(parts: Parts, options: Options) -> Dataset:
    dataset = Dataset()
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri, override=True)
    dataset.bind("graph", str(GRAPH_NS))
    for (name, part), tag in zip(parts.named(options.derived), "odpx", strict=False):
        # Blank node labels are scoped to the whole document in N-Quads and TriG: prefix
        # each graph's labels so that two graphs never share one by accident.
        target = dataset.graph(name)
        for triple in _canonical(part, prefix=tag):
            target.add(triple)
    return dataset


def _write_nquads(parts: Parts, out, options: Options) -> None:
    text = _dataset(parts, options).serialize(format="nquads")
    lines = sorted(line for line in text.splitlines() if line.strip())
    out.write(("\n".join(lines) + "\n").encode("utf-8"))


def _write_trig(parts: Parts, out, options: Options) -> None:
    out.write(_dataset(parts, options).serialize(format="trig").encode("utf-8"))


def _write_rdfxml(parts: Parts, out, options: Options) -> None:
    out.write(parts.graph(options.derived).serialize(format="pretty-xml").encode("utf-8"))


def context() -> dict:
    """The JSON-LD context shipped with the project (contexts/alliance.jsonld)."""
    path = resources.resource_dir("contexts") / "alliance.jsonld"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as exc:
        raise ExportError(f"{path}: cannot read the JSON-LD context: {exc}") from None


def _write_jsonld(parts: Parts, out, options: Options) -> None:
    # The context is embedded, not referenced: a reader never has to fetch anything.
    text = _canonical(parts.graph(options.derived)).serialize(
        format="json-ld", context=context(), auto_compact=True
    )
    doc = json.loads(text)
    if isinstance(doc.get("@graph"), list):  # the serializer's order follows hashing
        doc["@graph"].sort(key=lambda item: str(item.get("@id", "")))
    text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    out.write(text.encode("utf-8"))


# ---------------------------------------------------------------------------------------
# The property graph: entities as nodes, binary relationships as edges
# ---------------------------------------------------------------------------------------

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

_INTEGER_TYPES = {
    XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger,
    XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
    XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort,
}  # fmt: skip
_FLOAT_TYPES = {XSD.decimal, XSD.double, XSD.float}


def _local(iri) -> str:
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _edge_type(prop) -> str:
    """``builtOn`` -> ``BUILT_ON``: Neo4j's convention for relationship types."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", _local(prop)).upper()


def _value(term):
    """A plain Python value for an RDF term: str, int, float or bool."""
    if isinstance(term, Literal):
        if term.datatype in _FLOAT_TYPES:
            return float(term)
        if term.datatype in _INTEGER_TYPES:
            return int(term)
        if term.datatype == XSD.boolean:
            return str(term).strip().lower() in ("true", "1")
        return str(term)
    if isinstance(term, URIRef) and str(term).startswith(str(AG)):
        return _local(term)  # controlled individuals: EconomicInterest, PreferredRank
    return str(term)


class _Vocabulary:
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
        key = "label" if p == RDFS.label else _local(p)
        if isinstance(o, URIRef) and not str(o).startswith(str(AG)):
            links.setdefault(key, []).append(o)
        elif not isinstance(o, BNode):
            values.setdefault(key, []).append(_value(o))
    for items in values.values():
        items.sort(key=_text)
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


def _chosen_stakes(full: Graph, at: DateSpan, reading: str) -> dict[str, bool]:
    """The shareholdings the ownership snapshots take on ``at``, and their certainty."""
    from . import ownership

    held = ownership.holdings(full)
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
) -> PropertyGraph:
    """Build the property graph of best-ranked entities and relationships.

    Relationships of the classes in :data:`EDGE_CLASSES` become edges between their two
    roles; other resources become nodes, and their links to other nodes become edges named
    after the property. With ``at``, relationships not valid on that date are left out and
    the kept ones carry ``certain``. Under ``reading`` ``certain`` or ``possible`` a
    relationship is kept when it is certainly or possibly valid; under ``as-of`` (the
    default) the shareholdings are those the ownership snapshots take, one figure per
    stake, and the other relationships are kept when possibly valid.
    """
    reading = reading or "as-of"
    full = parts.full
    shown = parts.graph(derived)
    vocab = _Vocabulary(full)
    # Under as-of, the ownership module picks one figure per stake (the latest evidence);
    # other relationships have no competing figures to pick from and are kept if possible.
    stakes = _chosen_stakes(full, at, reading) if at is not None and reading == "as-of" else None

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
            links.pop(_local(from_prop), None)
            links.pop(_local(to_prop), None)
            attrs = {"id": str(node), "relation": relation, "kind": _local(kind)}
            attrs.update(_merge(values, links))
            edges.append((str(source), str(target), str(node), attrs))
            continue
        attrs = {"kind": _local(kind), "labels": [_local(c) for c in vocab.ancestors(kind)]}
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


def _label(full: Graph, node) -> str:
    value = full.value(node, RDFS.label)
    return str(value) if value is not None else ""


def _relationship_row(node, kind, values, links, edge, full) -> dict:
    row = {"id": str(node), "kind": _local(kind), "label": ""}
    if edge is not None:
        source, target, _ = edge
        row.update(
            {
                "from": str(source),
                "from_label": _label(full, source),
                "to": str(target),
                "to_label": _label(full, target),
            }
        )
    for key, items in _merge(values, links).items():
        if edge is not None and key in (_local(edge[2][0]), _local(edge[2][1])):
            continue
        row[key] = items
    return row


# ---------------------------------------------------------------------------------------
# Flattening for tools that take only str, int, float and bool
# ---------------------------------------------------------------------------------------


def _scalar(items: list):
    """One value for a list: the value itself, or its items joined with '; ' (in the
    list's order, which the builder made stable)."""
    if len(items) == 1:
        return items[0]
    return "; ".join(_text(v) for v in items)


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


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
            target = _text
        for attrs in records:
            if key in attrs:
                attrs[key] = target(attrs[key])


def _flat(attrs: dict) -> dict:
    out = {}
    for key, value in attrs.items():
        out[key] = _scalar(value) if isinstance(value, list) else value
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


def _options_graph(parts: Parts, options: Options) -> PropertyGraph:
    return property_graph(parts, at=options.at, reading=options.reading, derived=options.derived)


def _write_graphml(parts: Parts, out, options: Options) -> None:
    import networkx as nx

    graph = networkx_graph(_options_graph(parts, options))
    nx.write_graphml(graph, out, encoding="utf-8", named_key_ids=True)


# GEXF gives these edge attribute names a meaning of its own (start and end are its
# time model, which wants one date format for the whole file).
_GEXF_RENAMED = {"start": "start_given", "end": "end_given"}


def _write_gexf(parts: Parts, out, options: Options) -> None:
    import networkx as nx

    graph = networkx_graph(_options_graph(parts, options))
    for _, _, attrs in graph.edges(data=True):
        for old, new in _GEXF_RENAMED.items():
            if old in attrs:
                attrs[new] = attrs.pop(old)
    for _, attrs in graph.nodes(data=True):
        for old, new in _GEXF_RENAMED.items():
            if old in attrs:
                attrs[new] = attrs.pop(old)
    nx.write_gexf(graph, out, encoding="utf-8")


def _write_cytoscape(parts: Parts, out, options: Options) -> None:
    # Cytoscape.js "elements" JSON, as networkx.cytoscape_data writes it, but without its
    # "value" and "name" keys, which would overwrite attributes of the same names. JSON
    # takes lists, so several values stay a list; one value is the value itself.
    pg = _options_graph(parts, options)

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


# ---------------------------------------------------------------------------------------
# Neo4j: CSV files for neo4j-admin database import
# ---------------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NEO4J_FILES = ("nodes.csv", "relationships.csv")


def _neo4j_columns(records: list[dict], skip: set[str]) -> list[tuple[str, str, str]]:
    """(attribute, header, kind) for every attribute, typed as neo4j-admin reads them."""
    keys = sorted({k for r in records for k in r} - skip)
    columns = []
    for key in keys:
        values = [r[key] for r in records if key in r]
        items = [x for v in values for x in (v if isinstance(v, list) else [v])]
        is_list = any(isinstance(v, list) and len(v) > 1 for v in values)
        if all(isinstance(x, bool) for x in items):
            kind = "boolean"
        elif all(isinstance(x, int) and not isinstance(x, bool) for x in items):
            kind = "long"
        elif all(isinstance(x, int | float) and not isinstance(x, bool) for x in items):
            kind = "float"
        elif all(isinstance(x, str) and _ISO_DAY.match(x) for x in items):
            kind = "date"
        else:
            kind = "string"
        if is_list and kind == "string" and any(";" in str(x) for x in items):
            is_list = False  # ';' is the array delimiter: keep such values as one string
        suffix = kind + ("[]" if is_list else "")
        columns.append((key, f"{key}:{suffix}", suffix))
    return columns


def _neo4j_cell(value, kind: str) -> str:
    items = value if isinstance(value, list) else [value]
    if kind.endswith("[]"):
        return ";".join(_text(x) for x in items)
    if len(items) > 1:
        return "; ".join(_text(x) for x in items)
    return _text(items[0])


def _write_neo4j(parts: Parts, folder: Path, options: Options) -> None:
    pg = _options_graph(parts, options)
    node_records = list(pg.nodes.values())
    columns = _neo4j_columns(node_records, {"labels", "kind"})
    with open(folder / "nodes.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id:ID", ":LABEL", *(h for _, h, _ in columns)])
        for node, attrs in sorted(pg.nodes.items()):
            writer.writerow(
                [node, ";".join(attrs["labels"])]
                + [_neo4j_cell(attrs[k], kind) if k in attrs else "" for k, _, kind in columns]
            )
    edge_records = [attrs for *_, attrs in pg.edges]
    columns = _neo4j_columns(edge_records, {"relation"})
    with open(folder / "relationships.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([":START_ID", ":END_ID", ":TYPE", *(h for _, h, _ in columns)])
        for source, target, _, attrs in pg.edges:
            writer.writerow(
                [source, target, attrs["relation"]]
                + [_neo4j_cell(attrs[k], kind) if k in attrs else "" for k, _, kind in columns]
            )


# ---------------------------------------------------------------------------------------
# Tables for spreadsheets and pandas
# ---------------------------------------------------------------------------------------

TABLE_FILES = ("entities.csv", "relationships.csv")
_ENTITY_FIRST = ["id", "kind", "label"]
_RELATIONSHIP_FIRST = ["id", "kind", "label", "from", "from_label", "to", "to_label"]


def entity_rows(parts: Parts, options: Options) -> list[dict]:
    """One row per entity (every node that is not a relationship), values flattened."""
    pg = _options_graph(parts, options)
    vocab = _Vocabulary(parts.full)
    rows = []
    for node, attrs in sorted(pg.nodes.items()):
        if vocab.is_relationship(AG[attrs["kind"]]):
            continue
        row = {"id": node}
        row.update({k: v for k, v in attrs.items() if k != "labels"})
        # Links to other nodes are edges of the property graph; in a table, columns.
        for key, targets in pg.links.get(node, {}).items():
            row[key] = list(row.get(key, [])) + targets
        rows.append(row)
    return rows


def relationship_rows(parts: Parts, options: Options) -> list[dict]:
    """One row per dated relationship (best-ranked, valid on ``at`` when given)."""
    pg = _options_graph(parts, options)
    return sorted(pg.relationships, key=lambda r: r["id"])


def _fill_labels(rows: list[dict], full: Graph) -> None:
    for row in rows:
        if not row.get("label"):
            row["label"] = _label(full, URIRef(row["id"]))


def _table_csv(rows: list[dict], first: list[str], out) -> None:
    keys = {k for r in rows for k in r}
    columns = [c for c in first] + sorted(keys - set(first) - {"sources"})
    columns += ["sources"] if "sources" in keys else []
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if c not in row else _cell(row[c]) for c in columns])
    out.write(text.getvalue().encode("utf-8"))


def _cell(value) -> str:
    if isinstance(value, list):
        return _scalar(value) if len(value) != 1 else _text(value[0])
    return _text(value)


def _write_entities(parts: Parts, out, options: Options) -> None:
    _table_csv(entity_rows(parts, options), _ENTITY_FIRST, out)


def _write_relationships(parts: Parts, out, options: Options) -> None:
    rows = relationship_rows(parts, options)
    _fill_labels(rows, parts.full)
    _table_csv(rows, _RELATIONSHIP_FIRST, out)


def _write_tables(parts: Parts, folder: Path, options: Options) -> None:
    with open(folder / "entities.csv", "wb") as f:
        _write_entities(parts, f, options)
    with open(folder / "relationships.csv", "wb") as f:
        _write_relationships(parts, f, options)


# ---------------------------------------------------------------------------------------
# Diagrams as text: the ownership network on a date
# ---------------------------------------------------------------------------------------


def ownership_network(graph, at: str | DateSpan | None = None, reading: str | None = None):
    """The ownership network on ``at`` (today when None), as a NetworkX DiGraph.

    ``graph`` is an rdflib graph as :func:`alliance_graph.graph.load` gives it, or the
    ownership module's ``Holdings``. Nodes and edges are those of
    :func:`alliance_graph.ownership.snapshot` for economic interest; each of an edge's
    ``parts`` (one per position: direct, or through an intermediary) gains ``voting``:
    False where the shares carry no votes (the position is absent from the voting
    snapshot). The graph's ``at`` and ``reading`` attributes say what was drawn.
    """
    from . import ownership

    span = ownership.as_span(at)
    reading = reading or "as-of"
    held = ownership.holdings(graph) if not isinstance(graph, ownership.Holdings) else graph
    economic = ownership.snapshot(held, span, interest="economic", reading=reading)
    voting = ownership.snapshot(held, span, interest="voting", reading=reading)
    with_votes = {p["statement"] for *_, a in voting.edges(data=True) for p in a["parts"]}
    for _, _, attrs in economic.edges(data=True):
        for part in attrs["parts"]:
            part["voting"] = part["statement"] in with_votes
    economic.graph["at"] = str(span)
    economic.graph["reading"] = reading
    return economic


def ownership_arrows(net) -> list[tuple[str, str, str, bool]]:
    """(holder, held, caption, voting) for every position, in a stable order."""
    arrows = []
    for u, v in sorted(net.edges):
        attrs = net.edges[u, v]
        for part in sorted(attrs["parts"], key=lambda p: (p["via"] or "", p["statement"])):
            caption = f"{float(part['percent']):g}%"
            if part["via"]:
                caption += f" via {part['via']}"
            if not (part["certain"] and not attrs["candidates"]):
                caption += " (uncertain)"
            arrows.append((u, v, caption, part["voting"]))
    return arrows


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes and markup become entity codes."""
    replacements = {"#": "#35;", '"': "#quot;", "&": "#amp;", "<": "#lt;", ">": "#gt;",
                    "|": "#124;", "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;",
                    "\n": " "}  # fmt: skip
    return "".join(replacements.get(ch, ch) for ch in text)


def _ids(nodes: Iterable[str]) -> dict[str, str]:
    """Identifiers made only of ASCII letters, digits and '_', unique, never a keyword."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for node in sorted(nodes):
        base = "n_" + (re.sub(r"[^A-Za-z0-9_]", "_", _local(node)) or "node")
        name, n = base, 2
        while name in used:
            name, n = f"{base}_{n}", n + 1
        used.add(name)
        ids[node] = name
    return ids


def _write_mermaid(parts: Parts, out, options: Options) -> None:
    net = ownership_network(parts.full, options.at, options.reading)
    ids = _ids(net.nodes)
    lines = [
        "%% Ownership on " + net.graph["at"] + " (" + net.graph["reading"] + " reading)",
        "%% Solid arrows carry votes; dotted arrows are shares without votes.",
        "flowchart LR",
    ]
    for node in sorted(net.nodes):
        label = net.nodes[node].get("label") or _local(node)
        lines.append(f'    {ids[node]}["{_mermaid_text(label)}"]')
    for u, v, caption, voting in ownership_arrows(net):
        arrow = "-->" if voting else "-.->"
        lines.append(f'    {ids[u]} {arrow}|"{_mermaid_text(caption)}"| {ids[v]}')
    out.write(("\n".join(lines) + "\n").encode("utf-8"))


def _dot_string(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as \\n."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _write_dot(parts: Parts, out, options: Options) -> None:
    net = ownership_network(parts.full, options.at, options.reading)
    title = f"Ownership on {net.graph['at']} ({net.graph['reading']} reading)"
    lines = [
        "digraph ownership {",
        f"    label={_dot_string(title)};",
        "    labelloc=t; rankdir=LR;",
        '    node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica"];',
        '    edge [fontname="Helvetica"];',
    ]
    for node in sorted(net.nodes):
        label = net.nodes[node].get("label") or _local(node)
        lines.append(f"    {_dot_string(node)} [label={_dot_string(label)}];")
    for u, v, caption, voting in ownership_arrows(net):
        style = "" if voting else ", style=dashed"
        lines.append(
            f"    {_dot_string(u)} -> {_dot_string(v)} [label={_dot_string(caption)}{style}];"
        )
    lines.append("}")
    out.write(("\n".join(lines) + "\n").encode("utf-8"))


# ---------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------

for _fmt in (
    Format("turtle", _write_turtle, "Turtle, one object a line, stable order (diff-friendly)",
           ("ttl", "longturtle"), (".ttl",), "text/turtle"),
    Format("ntriples", _write_ntriples, "N-Triples, sorted lines",
           ("nt", "n-triples"), (".nt",), "application/n-triples"),
    Format("nquads", _write_nquads,
           "N-Quads: ontology, data, provenance and derived triples as named graphs",
           ("nq", "n-quads"), (".nq",), "application/n-quads"),
    Format("trig", _write_trig, "TriG: the same named graphs as N-Quads",
           (), (".trig",), "application/trig"),
    Format("rdfxml", _write_rdfxml, "RDF/XML",
           ("xml", "rdf", "rdf/xml", "owl"), (".rdf", ".owl", ".xml"), "application/rdf+xml"),
    Format("jsonld", _write_jsonld, "JSON-LD with the project's context embedded",
           ("json-ld",), (".jsonld", ".json-ld"), "application/ld+json"),
    Format("graphml", _write_graphml, "GraphML (yEd, Gephi, Cytoscape) via NetworkX",
           (), (".graphml",), "application/graphml+xml", dated=True),
    Format("gexf", _write_gexf, "GEXF (Gephi) via NetworkX",
           (), (".gexf",), dated=True),
    Format("cytoscape", _write_cytoscape, "Cytoscape.js elements JSON",
           ("cyjs", "cytoscape.js"), (".cyjs", ".cy.json"), dated=True),
    Format("neo4j", _write_neo4j, "CSV folder for neo4j-admin database import",
           ("neo4j-csv",), (), folder=True, dated=True, folder_files=NEO4J_FILES),
    Format("csv", _write_tables, "folder with entities.csv and relationships.csv",
           ("tables",), (), folder=True, dated=True, folder_files=TABLE_FILES),
    Format("entities-csv", _write_entities, "CSV table of entities",
           ("entities",), (), dated=True),
    Format("relationships-csv", _write_relationships, "CSV table of dated relationships",
           ("relationships",), (), dated=True),
    Format("mermaid", _write_mermaid, "Mermaid flowchart of the ownership network on a date",
           ("mmd",), (".mmd", ".mermaid"), dated=True),
    Format("dot", _write_dot, "Graphviz DOT of the ownership network on a date",
           ("graphviz", "gv"), (".dot", ".gv"), "text/vnd.graphviz", dated=True),
):  # fmt: skip
    register(_fmt)

# BODS 0.4 statements (logic in alliance_graph.bods; docs/bods.md)
from .bods import export as _bods  # noqa: E402

register(Format("bods", _bods.write_array, "BODS 0.4 statements, a JSON array (docs/bods.md)",
                ("bods-json",), (".bods.json",)))
register(Format("bods-jsonl", _bods.write_lines, "BODS 0.4 statements, JSON Lines",
                ("bods-lines",), (".bods.jsonl", ".jsonl")))
