"""Exports: the format registry, RDF round trips, graph tools, Neo4j, tables, diagrams,
and atomic writing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdf_compare import canonical, same_graph
from rdflib import RDF, Dataset, Graph, URIRef

from alliance_graph import export as E
from alliance_graph.errors import UsageError
from alliance_graph.temporal import AG, BOUNDED_PROPERTIES, parse_date

RES = "https://w3id.org/alliance-graph/resource/"


@pytest.fixture(scope="module")
def parts():
    """The shipped graph, split by origin. Do not mutate."""
    return E.load_parts()


@pytest.fixture(scope="module")
def full_canonical(parts):
    return canonical(parts.full)


def _bytes(fmt: str, parts, **options) -> bytes:
    out = io.BytesIO()
    E.FORMATS[fmt].writer(parts, out, E.Options(**options))
    return out.getvalue()


def _union(*graphs: Graph) -> Graph:
    union = Graph()
    for g in graphs:
        for triple in g:
            union.add(triple)
    return union


# ---------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------


def test_registry_resolves_names_aliases_and_media_types():
    assert E.get("turtle").name == "turtle"
    assert E.get("TTL").name == "turtle"
    assert E.get("text/turtle").name == "turtle"
    assert E.get("application/n-quads").name == "nquads"
    assert E.get("json-ld").name == "jsonld"
    with pytest.raises(UsageError, match="unknown export format 'yaml'.*graphml"):
        E.get("yaml")


def test_guess_uses_the_longest_matching_suffix():
    assert E.guess("out/alliance.ttl").name == "turtle"
    assert E.guess("a.NQ").name == "nquads"
    assert E.guess("graph.cy.json").name == "cytoscape"
    assert E.guess("net.gexf").name == "gexf"
    assert E.guess("net.mmd").name == "mermaid"
    assert E.guess("table.csv") is None  # ambiguous: entities or relationships
    assert E.guess("notes.txt") is None


def test_adding_a_format_is_one_entry_and_one_function(parts, tmp_path, monkeypatch):
    def count(parts, out, options):
        out.write(f"{len(parts.full)}\n".encode())

    monkeypatch.delitem(E.FORMATS, "count", raising=False)  # removed again after the test
    E.register(E.Format("count", count, "number of triples", ("n",), (".count",), "text/x-n"))
    written = E.export(None, tmp_path / "x.count", parts=parts)
    assert written.read_text() == f"{len(parts.full)}\n"
    assert E.get("N").name == E.get("text/x-n").name == "count"


# ---------------------------------------------------------------------------------------
# The parts: ontology, data, provenance, derived
# ---------------------------------------------------------------------------------------


def test_parts_partition_the_graph(parts):
    named = parts.named()
    assert [str(name) for name, _ in named] == [
        "https://w3id.org/alliance-graph/graph/ontology",
        "https://w3id.org/alliance-graph/graph/data",
        "https://w3id.org/alliance-graph/graph/provenance",
        "https://w3id.org/alliance-graph/graph/derived",
    ]
    assert len(_union(*(g for _, g in named)) ^ parts.full) == 0
    # Provenance holds every citation link; the data none.
    assert not list(parts.data.triples((None, AG.citation, None)))
    assert len(list(parts.provenance.triples((None, AG.citation, None)))) > 200
    # Derived: the best ranks and the bounds the loader added, nothing the files say.
    assert (URIRef(RES + "Renault"), RDF.type, AG.BestRank) in parts.derived
    stake = URIRef(RES + "stake-renault-nissan-2002")
    assert (stake, AG.startEarliest, None) in parts.derived
    assert (stake, AG.endEarliest, None) not in parts.derived  # written in the data
    assert (stake, AG.endEarliest, None) in parts.data


# ---------------------------------------------------------------------------------------
# RDF: every export parsed back is the source graph
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, parser",
    [("turtle", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml"), ("jsonld", "json-ld")],
)
def test_rdf_round_trip_is_isomorphic(parts, full_canonical, fmt, parser):
    data = _bytes(fmt, parts)
    back = Graph().parse(data=data, format=parser)
    assert len(back) == len(parts.full)
    assert canonical(back) == full_canonical


@pytest.mark.parametrize(
    "fmt, syntax",
    [("turtle", "TURTLE"), ("ntriples", "N_TRIPLES"), ("nquads", "N_QUADS"),
     ("trig", "TRIG"), ("rdfxml", "RDF_XML"), ("jsonld", "JSON_LD")],
)  # fmt: skip
def test_pyoxigraph_reads_every_rdf_export(parts, fmt, syntax):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(_bytes(fmt, parts), format=getattr(ox.RdfFormat, syntax))
    # The union of the named graphs (quads) or the default graph holds every triple once.
    triples = {(q.subject, q.predicate, q.object) for q in store}
    assert len(triples) == len(parts.full)


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_quads_keep_each_part_in_its_named_graph(parts, fmt):
    dataset = Dataset()
    dataset.parse(data=_bytes(fmt, parts), format=fmt)
    graphs = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    for name, part in parts.named():
        assert same_graph(graphs[str(name)], part), name
    assert set(graphs) == {str(name) for name, _ in parts.named()}
    # Blank node labels differ between graphs, so nothing merged by accident.
    assert len(_union(*graphs.values())) == len(parts.full)


def test_no_derived_leaves_out_the_loaders_additions(parts):
    back = Graph().parse(data=_bytes("ntriples", parts, derived=False), format="nt")
    expected = _union(parts.ontology, parts.data, parts.provenance)
    assert same_graph(back, expected)
    assert not list(back.triples((None, RDF.type, AG.BestRank)))
    dataset = Dataset()
    dataset.parse(data=_bytes("nquads", parts, derived=False), format="nquads")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert "https://w3id.org/alliance-graph/graph/derived" not in names


RDF_FORMATS = ("ntriples", "turtle", "nquads", "trig", "jsonld", "rdfxml")


def _exports_in_processes(jobs: list[tuple[Path, str]], data: list[Path] | None = None) -> list:
    """The six RDF exports written by one new process per (folder, hash seed), the processes
    running side by side; each loads the graph once and writes every format from it."""
    script = (
        "import sys; from pathlib import Path; from alliance_graph import export as E\n"
        "parts = E.load_parts(sys.argv[2:] or None)\n"
        f"for name in {RDF_FORMATS!r}:\n"
        "    E.export(name, Path(sys.argv[1]) / name, parts=parts)\n"
    )
    running = []
    for folder, seed in jobs:
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        args = [sys.executable, "-c", script, str(folder), *(str(p) for p in data or [])]
        running.append(subprocess.Popen(args, env=env))
    for proc in running:
        assert proc.wait(timeout=600) == 0
    return [{name: (folder / name).read_bytes() for name in RDF_FORMATS} for folder, _ in jobs]


def test_rdf_exports_are_stable_across_processes(tmp_path):
    # Blank nodes are named from the statements they hang off and lines sorted: the
    # bytes depend neither on the parser's random labels nor on hashing, which Python
    # salts per process.
    first, second = _exports_in_processes([(tmp_path / "1", "1"), (tmp_path / "2", "2")])
    assert first == second
    lines = first["ntriples"].decode().splitlines()
    assert lines == sorted(lines)
    # N-Quads: one graph after another, as TriG writes them, each graph's lines sorted.
    lines = first["nquads"].decode().splitlines()
    graphs = [line.rsplit(" ", 2)[1] for line in lines]
    order = list(dict.fromkeys(graphs))
    parts = ("ontology", "data", "provenance", "derived")
    assert order == [f"<https://w3id.org/alliance-graph/graph/{part}>" for part in parts]
    assert graphs == sorted(graphs, key=order.index)
    for graph in order:
        group = [line for line in lines if line.rsplit(" ", 2)[1] == graph]
        assert group == sorted(group)


CITED = """\
@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix res: <https://w3id.org/alliance-graph/resource/> .
@prefix src: <https://w3id.org/alliance-graph/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

src:s a ag:Source ; rdfs:label "a source"@en .
res:a a ag:Company ; rdfs:label "A"@en ;
    ag:citation [ a ag:Citation ; ag:source src:s ; ag:locator "p. 1" ] ,
                [ a ag:Citation ; ag:source src:s ; ag:locator "p. 2" ] ,
                [ a ag:Citation ; ag:source src:s ; ag:locator "p. 2" ] .
res:b a ag:Company ; rdfs:label "B"@en ;
    ag:citation [ a ag:Citation ; ag:source src:s ; ag:locator "p. 1" ] .
"""

# The same statements, in another order and with other blank node labels.
CITED_REORDERED = """\
@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix res: <https://w3id.org/alliance-graph/resource/> .
@prefix src: <https://w3id.org/alliance-graph/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

_:z ag:locator "p. 1" ; ag:source src:s ; a ag:Citation .
res:b ag:citation _:z ; rdfs:label "B"@en ; a ag:Company .
res:a ag:citation _:y2 , _:x , _:y1 ; rdfs:label "A"@en ; a ag:Company .
_:y1 ag:locator "p. 2" ; ag:source src:s ; a ag:Citation .
_:x ag:locator "p. 1" ; ag:source src:s ; a ag:Citation .
_:y2 a ag:Citation ; ag:source src:s ; ag:locator "p. 2" .
src:s rdfs:label "a source"@en ; a ag:Source .
"""


def test_blank_node_labels_come_from_the_statements_not_the_file_order(tmp_path):
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    one.write_text(CITED, encoding="utf-8")
    two.write_text(CITED_REORDERED, encoding="utf-8")
    a, b = E.load_parts([one]), E.load_parts([two])
    assert _bytes("ntriples", a) == _bytes("ntriples", b)
    assert _bytes("turtle", a) == _bytes("turtle", b)
    # Two identical citations of one company stay two nodes (a counter tells them apart).
    back = Graph().parse(data=_bytes("ntriples", a), format="nt")
    assert len(set(back.objects(URIRef(RES + "a"), AG.citation))) == 3
    assert same_graph(back, a.full)


SHARED_AND_CYCLIC = """\
@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix res: <https://w3id.org/alliance-graph/resource/> .

res:p ag:note _:shared . res:q ag:note _:shared . _:shared ag:note "both" .
_:c1 ag:note _:c2 . _:c2 ag:note _:c3 . _:c3 ag:note _:c1 .
_:d1 ag:note _:d2 . _:d2 ag:note _:d1 .
"""


def test_shared_and_cyclic_blank_nodes_are_stable_too(tmp_path):
    path = tmp_path / "odd.ttl"
    path.write_text(SHARED_AND_CYCLIC, encoding="utf-8")
    parts = E.load_parts([path])
    first = {name: _bytes(name, parts) for name in RDF_FORMATS}  # this process
    assert _exports_in_processes([(tmp_path / "other", "7")], [path]) == [first]
    for fmt, parser in (("ntriples", "nt"), ("turtle", "turtle"), ("trig", "trig")):
        if fmt == "trig":
            dataset = Dataset()
            dataset.parse(data=first[fmt], format="trig")
            back = _union(*(g for g in dataset.graphs() if len(g)))
        else:
            back = Graph().parse(data=first[fmt], format=parser)
        assert same_graph(back, parts.full), fmt
    labels = set(E.stable_labels(Graph().parse(data=SHARED_AND_CYCLIC, format="turtle")).values())
    assert len(labels) == 6  # shared, c1-c3, d1-d2: six nodes, six labels


def test_the_isomorphism_check_agrees_with_rdflib_on_small_graphs():
    # tests/rdf_compare.py replaces rdflib's slow isomorphism on the big graphs; on small
    # ones, where rdflib is quick, both must decide alike, including when only the shape
    # of blank node cycles differs (every node with one edge in and one out).
    from rdflib.compare import isomorphic

    note = "@prefix n: <http://example.org/> .\n"
    cycles_3_2 = note + "_:a n:n _:b . _:b n:n _:c . _:c n:n _:a . _:d n:n _:e . _:e n:n _:d ."
    cycles_2_3 = note + "_:p n:n _:q . _:q n:n _:p . _:r n:n _:s . _:s n:n _:t . _:t n:n _:r ."
    cycle_5 = note + "_:a n:n _:b . _:b n:n _:c . _:c n:n _:d . _:d n:n _:e . _:e n:n _:a ."
    changed = CITED_REORDERED.replace('ag:locator "p. 2" .', 'ag:locator "p. 3" .')
    pairs = [
        (CITED, CITED_REORDERED),
        (CITED, changed),
        (cycles_3_2, cycles_2_3),
        (cycles_3_2, cycle_5),
    ]
    decided = []
    for one, two in pairs:
        a, b = Graph().parse(data=one, format="turtle"), Graph().parse(data=two, format="turtle")
        assert len(a) == len(b)
        assert same_graph(a, b) == isomorphic(a, b)
        decided.append(same_graph(a, b))
    assert decided == [True, False, True, False]


def test_blank_node_labels_do_not_depend_on_the_order_triples_come_in():
    triples = list(Graph().parse(data=SHARED_AND_CYCLIC + CITED, format="turtle"))

    def relabelled(order):
        mapping = E.stable_labels(order)
        return {tuple(mapping.get(t, t) for t in triple) for triple in order}

    expected = relabelled(triples)
    for order in (triples[::-1], sorted(triples, key=lambda t: (str(t[1]), str(t[2])))):
        assert relabelled(order) == expected


@pytest.mark.parametrize("mode", ["json-ld-1.1", "json-ld-1.0"])
def test_jsonld_reads_in_pyld(parts, mode):
    from pyld import jsonld

    def no_fetching(url, options=None):
        raise AssertionError(f"pyld tried to fetch {url}")

    doc = json.loads(_bytes("jsonld", parts))
    options = {"processingMode": mode, "documentLoader": no_fetching}
    expanded = jsonld.expand(doc, options)
    assert expanded and all("@id" in node for node in expanded)
    nquads = jsonld.to_rdf(doc, {**options, "format": "application/n-quads"})
    back = Graph().parse(data=nquads, format="nt")
    assert len(back) == len(parts.full)
    assert same_graph(back, parts.full)


def test_jsonld_embeds_the_shipped_context(parts):
    doc = json.loads(_bytes("jsonld", parts))
    assert doc["@context"] == E.context()  # embedded: a reader never fetches it
    assert doc["@context"]["ag"] == str(AG)
    ids = [item.get("@id", "") for item in doc["@graph"]]
    assert ids == sorted(ids)


# ---------------------------------------------------------------------------------------
# The property graph and the formats built on it
# ---------------------------------------------------------------------------------------


def _shareholding_edges(pg, holder, held):
    return [
        attrs
        for s, t, _, attrs in pg.edges
        if attrs.get("relation") == "HOLDS_SHARES_IN" and s == RES + holder and t == RES + held
    ]


def test_property_graph_draws_stakes_as_edges_between_entities(parts):
    pg = E.property_graph(parts)
    renault = pg.nodes[RES + "Renault"]
    assert renault["kind"] == "Company"
    assert renault["labels"] == ["Company", "Organisation", "Agent"]
    assert renault["label"] == ["Renault"]
    # Every best-ranked shareholding is an edge; deprecated claims are left out.
    percents = sorted(e["percent"][0] for e in _shareholding_edges(pg, "Renault", "NissanMotor"))
    assert 44.4 in percents and 36.8 in percents
    assert not any(s == RES + "claim-article-renault-nissan-2001" for s in pg.nodes)
    assert not any(k == RES + "claim-article-renault-nissan-2001" for *_, k, _ in pg.edges)


def test_property_graph_without_derived_values(parts):
    # Bounds written in the data stay; bounds the loader derived go, as in RDF exports.
    def stake(pg, name):
        return next(a for *_, k, a in pg.edges if k == RES + name)

    plain = E.property_graph(parts, derived=False)
    assert "startEarliest" not in stake(plain, "stake-renault-nissan-2002")  # from ag:start
    assert stake(plain, "stake-renault-nissan-2015")["startEarliest"] == ["2010-04-06"]
    assert stake(E.property_graph(parts), "stake-renault-nissan-2002")["startEarliest"] == [
        "2002-03-01"
    ]


@pytest.mark.parametrize(
    "reading, expected",
    [("as-of", [44.3]), ("possible", [43.4, 44.3]), ("certain", [])],
)
def test_at_keeps_the_relationships_valid_under_the_reading(parts, reading, expected):
    # 2012-06-01: 44.3% is the latest reported figure, 43.4% may already hold, and
    # neither is certain.
    pg = E.property_graph(parts, at=parse_date("2012-06-01"), reading=reading)
    edges = _shareholding_edges(pg, "Renault", "NissanMotor")
    assert sorted(e["percent"][0] for e in edges) == expected
    assert all(e["certain"] == [False] for e in edges)
    state = _shareholding_edges(pg, "FrenchState", "Renault")
    # About 15% from 2003 to 2015, kept approximate (15.01% is only known for April 2015).
    assert [(e["percent"], e["certain"]) for e in state] == [([15.0], [True])]


def _check_flat(attrs: dict):
    for key, value in attrs.items():
        assert isinstance(value, str | int | float | bool), (key, value)
        assert value is not None


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_tool_exports_read_back_with_networkx(parts, tmp_path, fmt, reader):
    path = E.export(fmt, tmp_path / f"a.{fmt}", parts=parts, at="2015-06-30")
    back = reader(path)
    expected = E.networkx_graph(E.property_graph(parts, at=parse_date("2015-06-30")))
    assert set(back.nodes) == set(expected.nodes)
    assert set(back.edges(keys=True)) == set(expected.edges(keys=True))
    # GEXF keeps start and end for its time model: the given dates are renamed there.
    renames = {"start_given": "start", "end_given": "end"} if fmt == "gexf" else {}
    for node, attrs in expected.nodes(data=True):
        _check_flat(attrs)
        assert {renames.get(k, k): v for k, v in back.nodes[node].items()} == attrs
    for u, v, k, attrs in expected.edges(keys=True, data=True):
        _check_flat(attrs)
        got = dict(back.edges[u, v, k])
        if fmt == "gexf":
            for key in ("start", "end", "holds", "id"):  # time model; the edge's own id
                got.pop(key, None)
        else:
            assert got.pop("iri") == k  # GraphML: the IRI is the edge id and an attribute
        got = {renames.get(key, key): value for key, value in got.items()}
        attrs = {key: value for key, value in attrs.items() if key != "id"}
        assert got == attrs, (u, v, k)
    stake = expected.edges[RES + "Renault", RES + "NissanMotor", RES + "stake-renault-nissan-2015"]
    assert stake["percent"] == 43.4 and stake["interest"] == "EconomicInterest; VotingInterest"


def test_graphml_keys_have_their_own_ids_and_no_edge_id_key(parts):
    from xml.etree import ElementTree as ET

    root = ET.fromstring(_bytes("graphml", parts))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = root.findall("g:key", ns)
    ids = [k.get("id") for k in keys]
    assert len(ids) == len(set(ids))  # unique over both domains
    names = [(k.get("for"), k.get("attr.name")) for k in keys]
    assert ("node", "label") in names and ("edge", "label") in names
    assert ("edge", "id") not in names
    used = {d.get("key") for d in root.iter("{http://graphml.graphdrawing.org/xmlns}data")}
    assert used <= set(ids)
    # Each data element's key is declared for the element it sits in.
    domain = {k.get("id"): k.get("for") for k in keys}
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("node", "edge"):
            for d in element.findall("g:data", ns):
                assert domain[d.get("key")] == tag


def test_igraph_reads_graphml_without_warnings(parts, tmp_path):
    import warnings

    import igraph

    path = E.export("graphml", tmp_path / "a.graphml", parts=parts, at="2015-06-30")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning igraph gives fails the test
        graph = igraph.Graph.Read_GraphML(str(path))
    expected = E.property_graph(parts, at=parse_date("2015-06-30"))
    assert graph.vcount() == len(expected.nodes) and graph.ecount() == len(expected.edges)
    assert sorted(graph.es["iri"]) == sorted(key for *_, key, _ in expected.edges)
    assert sorted(graph.vs["id"]) == sorted(expected.nodes)


def test_gexf_is_dynamic_with_days_and_uncertain_windows(parts, tmp_path):
    from xml.etree import ElementTree as ET

    path = E.export("gexf", tmp_path / "a.gexf", parts=parts)
    root = ET.parse(path).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft"}
    graph = root.find("g:graph", ns)
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    back = nx.read_gexf(path)
    # docs/temporal-model.md: 44.4% from 2002-03-01 (a known day), last reported on
    # 2005-04-29 (endEarliest 2005-04-30), 44.3% reported on 2010-04-05 (endLatest).
    # Shown while possible; GEXF intervals are closed, so it ends the day before.
    edge = back.edges[RES + "Renault", RES + "NissanMotor", RES + "stake-renault-nissan-2002"]
    assert (edge["start"], edge["end"]) == ("2002-03-01", "2010-04-04")
    assert edge["holds"] == [
        ("certain", "2002-03-01", "2005-04-29"),
        ("possible", "2005-04-30", "2010-04-04"),
    ]
    assert edge["start_given"] == "2002-03-01"  # the date as given stays an attribute
    # An ongoing stake has no end; a stake whose start is only bounded starts possible.
    facts = {key: a for *_, key, a in E.property_graph(parts).edges}
    for *_, k, attrs in back.edges(keys=True, data=True):
        if "holds" not in attrs:
            continue
        # networkx reads a bound the file leaves out as the text "None"
        spells = [tuple(None if x == "None" else x for x in spell) for spell in attrs["holds"]]
        assert spells[0][1] == attrs.get("start")
        assert spells[-1][2] == attrs.get("end")
        for (_, _, last), (_, first, _) in zip(spells, spells[1:], strict=False):  # contiguous
            gap = dt.date.fromisoformat(first) - dt.date.fromisoformat(last)
            assert gap == dt.timedelta(days=1), k
        fact = facts[k]
        if fact.get("startEarliest") != fact.get("startLatest"):
            assert spells[0][0] == "possible", k
        if "endLatest" not in fact:
            assert "end" not in attrs, k
    # Dated relationships that are not stakes are on the timeline too.
    tenures = [a for *_, a in back.edges(data=True) if a.get("relation") == "HOLDS_POST_AT"]
    assert any("start" in a for a in tenures)


def test_cytoscape_json_parses_back(parts):
    doc = json.loads(_bytes("cytoscape", parts))
    nodes = doc["elements"]["nodes"]
    edges = doc["elements"]["edges"]
    ids = [n["data"]["id"] for n in nodes]
    assert len(ids) == len(set(ids)) == len(E.property_graph(parts).nodes)
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    measures = [n["data"] for n in nodes if n["data"].get("kind") == "Measure"]
    # "value" is a measure's own figure here, not networkx's copy of the node key.
    assert any(isinstance(m.get("value"), float) for m in measures)


def test_neo4j_csv_has_the_headers_neo4j_admin_expects(parts, tmp_path):
    folder = E.export("neo4j", tmp_path / "neo4j", parts=parts)
    assert sorted(p.name for p in folder.iterdir()) == ["nodes.csv", "relationships.csv"]
    with open(folder / "nodes.csv", newline="", encoding="utf-8") as f:
        nodes = list(csv.reader(f))
    with open(folder / "relationships.csv", newline="", encoding="utf-8") as f:
        rels = list(csv.reader(f))
    assert nodes[0][:2] == ["id:ID", ":LABEL"]
    assert rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    typed = re.compile(r"^[A-Za-z][A-Za-z0-9_]*:(string|long|float|boolean|date)(\[\])?$")
    for header in nodes[0][2:] + rels[0][3:]:
        assert typed.match(header), header
    assert "percent:float" in rels[0] and "startEarliest:date" in rels[0]
    assert "sources:string[]" in rels[0]
    ids = {row[0] for row in nodes[1:]}
    assert len(ids) == len(nodes) - 1
    assert all(row[0] in ids and row[1] in ids for row in rels[1:])
    renault = next(row for row in nodes[1:] if row[0] == RES + "Renault")
    assert renault[1] == "Company;Organisation;Agent"
    # Typed cells hold what their type says.
    for table in (nodes, rels):
        for i, header in enumerate(table[0]):
            kind = header.split(":")[-1]
            for row in table[1:]:
                if not row[i]:
                    continue
                for cell in row[i].split(";") if kind.endswith("[]") else [row[i]]:
                    if kind.startswith("float"):
                        float(cell)
                    elif kind.startswith("long"):
                        int(cell)
                    elif kind.startswith("boolean"):
                        assert cell in ("true", "false")
                    elif kind.startswith("date"):
                        dt.date.fromisoformat(cell)


def test_tables_of_entities_and_dated_relationships(parts, tmp_path):
    folder = E.export("csv", tmp_path / "tables", parts=parts, at="2015-06-30")
    with open(folder / "entities.csv", newline="", encoding="utf-8") as f:
        entities = {row["id"]: row for row in csv.DictReader(f)}
    with open(folder / "relationships.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert entities[RES + "Renault"]["kind"] == "Company"
    assert entities[RES + "Renault"]["country"] == RES + "France"
    by_id = {row["id"]: row for row in rows}
    stake = by_id[RES + "stake-renault-nissan-2015"]
    assert (stake["from_label"], stake["to_label"], stake["percent"]) == (
        "Renault", "Nissan Motor", "43.4",
    )  # fmt: skip
    assert (stake["startEarliest"], stake["startLatest"]) == ("2010-04-06", "2015-04-30")
    assert RES + "stake-renault-nissan-2002" not in by_id  # ended by 2010
    assert all(row["kind"] != "" for row in rows)
    single = _bytes("relationships-csv", parts).decode()
    assert single.splitlines()[0].startswith("id,kind,label,from,from_label,to,to_label")


# ---------------------------------------------------------------------------------------
# Diagrams: ids that never break Mermaid or DOT
# ---------------------------------------------------------------------------------------

WEIRD = """\
@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix res: <https://w3id.org/alliance-graph/resource/> .
@prefix src: <https://w3id.org/alliance-graph/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

src:s a ag:Source ; rdfs:label "a source"@en .
res:end a ag:Company ; rdfs:label "Fancy \\"Q\\" [Holdings] & Söhne <x> | #1 {end}"@en ;
    ag:citation [ a ag:Citation ; ag:source src:s ; ag:locator "here" ] .
res:graph a ag:Company ; rdfs:label "subgraph --> end; style"@en ;
    ag:citation [ a ag:Citation ; ag:source src:s ; ag:locator "here" ] .
res:stake-1 a ag:Shareholding ; rdfs:label "stake"@en ;
    ag:holder res:end ; ag:held res:graph ; ag:percent 12.5 ;
    ag:interest ag:EconomicInterest ;
    ag:start "2010-01-01"^^xsd:date ; ag:endStatus ag:Ongoing ;
    ag:citation [ a ag:Citation ; ag:source src:s ; ag:locator "here" ] .
res:stake-2 a ag:Shareholding ; rdfs:label "stake"@en ;
    ag:holder res:graph ; ag:held res:end ; ag:percent 7 ;
    ag:interest ag:EconomicInterest , ag:VotingInterest ;
    ag:start "2010-01-01"^^xsd:date ; ag:endStatus ag:Ongoing ;
    ag:citation [ a ag:Citation ; ag:source src:s ; ag:locator "here" ] .
"""


@pytest.fixture(scope="module")
def weird_parts(tmp_path_factory):
    path = tmp_path_factory.mktemp("weird") / "weird.ttl"
    path.write_text(WEIRD, encoding="utf-8")
    return E.load_parts([path])


MERMAID_NODE = re.compile(r'^    n_[A-Za-z0-9_]+\["[^"\[\]<>&|{}]*"\]$')
# holder, a line into the figure's own node, an arrow from it to the held company
MERMAID_EDGE = re.compile(
    r'^    (n_[A-Za-z0-9_]+) (---|-\.-) (p_[0-9]+)\(\["([^"<>&|\[\]]*)"\]\) (-->|-\.->) '
    r"(n_[A-Za-z0-9_]+)$"
)
MERMAID_STYLE = re.compile(
    r"^    (classDef figure [a-z:#0-9,-]+|class (p_[0-9]+,)*p_[0-9]+ figure)$"
)


def _check_mermaid(text: str) -> list[str]:
    lines = text.splitlines()
    body = [line for line in lines if not line.startswith("%%")]
    assert body[0] == "flowchart LR"
    for line in body[1:]:
        assert MERMAID_NODE.match(line) or MERMAID_EDGE.match(line) or MERMAID_STYLE.match(line), (
            line
        )
    return body[1:]


def _mermaid_arrows(body: list[str]) -> list[tuple[str, str, str, bool]]:
    """(holder id, held id, figure, voting) of every arrow; each figure node once."""
    arrows, figures = [], []
    for line in body:
        match = MERMAID_EDGE.match(line)
        if match:
            holder, line_style, figure, caption, arrow, held = match.groups()
            assert (line_style == "---") == (arrow == "-->")  # one style along the arrow
            figures.append(figure)
            arrows.append((holder, held, caption, arrow == "-->"))
    assert len(figures) == len(set(figures))  # a figure node belongs to one arrow only
    return arrows


def test_mermaid_ids_and_labels_never_break_the_syntax(weird_parts):
    text = _bytes("mermaid", weird_parts, at=parse_date("2020")).decode()
    body = _check_mermaid(text)
    nodes = [line for line in body if MERMAID_NODE.match(line)]
    assert len(nodes) == 2
    # Ids are prefixed (never a keyword such as "end" or "graph"); markup becomes codes.
    assert (
        '    n_end["Fancy #quot;Q#quot; #91;Holdings#93; #amp; Söhne #lt;x#gt; #124; #35;1 '
        '#123;end#125;"]'
    ) in nodes
    assert '    n_graph["subgraph --#gt; end; style"]' in nodes
    arrows = _mermaid_arrows(body)
    assert ("n_end", "n_graph", "12.5%", False) in arrows  # no votes: dotted
    assert ("n_graph", "n_end", "7%", True) in arrows


def test_mermaid_of_the_alliance(parts):
    body = _check_mermaid(_bytes("mermaid", parts, at=parse_date("2015-06-30")).decode())
    arrows = _mermaid_arrows(body)
    assert ("n_NissanMotor", "n_Renault", "15% via Nissan Finance Co.", False) in arrows
    assert ("n_Renault", "n_NissanMotor", "43.4%", True) in arrows


def test_mermaid_figures_sit_on_their_own_arrow_in_2017(parts):
    # Issue 16: in the 2017 chart "49% (uncertain)" (Renault's stake in RNAIPL) was drawn
    # as an edge label that the layout put beside another arrow. Each figure is now a node
    # on the path from holder to held, so it cannot belong to any other arrow.
    body = _check_mermaid(_bytes("mermaid", parts, at=parse_date("2017-06-30")).decode())
    arrows = _mermaid_arrows(body)
    # The Chennai joint venture was 30/70 in 2017 (inventory R20): each figure on its arrow.
    assert ("n_Renault", "n_RNAIPL", "30%", True) in arrows
    assert ("n_NissanMotor", "n_RNAIPL", "70%", True) in arrows
    assert not any("|" in line for line in body)  # no edge labels left
    net = E.ownership_network(parts.full, "2017-06-30")
    assert len(arrows) == len(E.ownership_arrows(net))


_DOT_STRING = r'"(?:[^"\\]|\\.)*"'
DOT_NODE = re.compile(rf"^    {_DOT_STRING} \[label={_DOT_STRING}\];$")
DOT_EDGE = re.compile(
    rf"^    {_DOT_STRING} -> {_DOT_STRING} \[label={_DOT_STRING}(, style=dashed)?\];$"
)


def _check_dot(text: str) -> list[str]:
    lines = text.splitlines()
    assert lines[0] == "digraph ownership {" and lines[-1] == "}"
    statements = [line for line in lines[1:-1] if DOT_NODE.match(line) or DOT_EDGE.match(line)]
    assert len(statements) >= 2
    for line in lines[1:-1]:
        if line not in statements:  # the graph's own attributes
            assert re.match(r"^    (label=|labelloc=|node \[|edge \[)", line), line
    return statements


def test_dot_quotes_every_id_and_label(weird_parts):
    statements = _check_dot(_bytes("dot", weird_parts, at=parse_date("2020")).decode())
    assert any('\\"Q\\" [Holdings] & Söhne <x> | #1 {end}' in s for s in statements)
    assert any("style=dashed" in s and "12.5%" in s for s in statements)
    assert any(s.startswith(f'    "{RES}end" -> "{RES}graph"') for s in statements)


def test_dot_of_the_alliance_has_dashed_non_voting_stakes(parts):
    statements = _check_dot(_bytes("dot", parts, at=parse_date("2015-06-30")).decode())
    prefix = f'    "{RES}NissanMotor" -> "{RES}Renault"'
    nissan_renault = [s for s in statements if s.startswith(prefix)]
    assert nissan_renault and all("style=dashed" in s for s in nissan_renault)


# ---------------------------------------------------------------------------------------
# Atomic writing: a failure never leaves a half-written file or a temporary file
# ---------------------------------------------------------------------------------------


def _failing(exc: BaseException):
    def writer(parts, out, options):
        if isinstance(out, Path):
            (out / "nodes.csv").write_text("half")
        else:
            out.write(b"half a file")
        raise exc

    return writer


@pytest.mark.parametrize("exc", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_a_failing_export_keeps_the_old_file(parts, tmp_path, monkeypatch, exc):
    target = tmp_path / "alliance.ttl"
    target.write_text("good old content")
    broken = E.Format("turtle", _failing(exc), "broken", ("ttl",), (".ttl",))
    monkeypatch.setitem(E.FORMATS, "turtle", broken)
    with pytest.raises(type(exc)):
        E.export("turtle", target, parts=parts)
    assert target.read_text() == "good old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alliance.ttl"]


@pytest.mark.parametrize("exc", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_a_failing_folder_export_keeps_the_old_folder(parts, tmp_path, monkeypatch, exc):
    target = tmp_path / "neo4j"
    E.export("neo4j", target, parts=parts)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    broken = E.Format("neo4j", _failing(exc), "broken", folder=True,
                      folder_files=E.NEO4J_FILES)  # fmt: skip
    monkeypatch.setitem(E.FORMATS, "neo4j", broken)
    with pytest.raises(type(exc)):
        E.export("neo4j", target, parts=parts)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neo4j"]


def test_a_folder_export_replaces_its_own_output_but_no_other_folder(parts, tmp_path):
    target = tmp_path / "tables"
    E.export("csv", target, parts=parts)
    E.export("csv", target, parts=parts)  # replacing a previous export is fine
    assert sorted(p.name for p in target.iterdir()) == ["entities.csv", "relationships.csv"]
    (target / "mine.txt").write_text("keep me")
    with pytest.raises(E.ExportError, match="mine.txt"):
        E.export("csv", target, parts=parts)
    assert (target / "mine.txt").read_text() == "keep me"


def test_stdout_gets_nothing_from_a_failing_export(parts, monkeypatch):
    broken = E.Format("turtle", _failing(RuntimeError("boom")), "broken", ("ttl",), (".ttl",))
    monkeypatch.setitem(E.FORMATS, "turtle", broken)
    stream = io.BytesIO()
    with pytest.raises(RuntimeError):
        E.export("turtle", "-", parts=parts, stdout=stream)
    assert stream.getvalue() == b""


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"fmt": "turtle", "at": "2015"}, "--at does not apply to turtle"),
        ({"fmt": "neo4j"}, "writes a folder"),
        ({"fmt": "graphml", "reading": "certain"}, "--reading needs --at"),
        ({"fmt": "graphml", "at": "2015-13"}, "--at: '2015-13' is not a valid date"),
        ({"fmt": None, "output": "x.unknown"}, "cannot tell the format"),
    ],
)
def test_export_refuses_what_it_cannot_do(parts, kwargs, message):
    kwargs = {"output": "-", **kwargs}
    with pytest.raises(UsageError, match=re.escape(message)):
        E.export(kwargs.pop("fmt"), kwargs.pop("output"), parts=parts, **kwargs)


def test_export_to_a_missing_folder_names_it(parts, tmp_path):
    with pytest.raises(E.ExportError, match="does not exist"):
        E.export("turtle", tmp_path / "nope" / "a.ttl", parts=parts)


def test_derived_bounds_are_in_exports_by_default(parts):
    # Remote users get the day bounds the readings need, unless they ask otherwise.
    text = _bytes("ntriples", parts).decode()
    for lo, hi in BOUNDED_PROPERTIES.values():
        assert f"<{lo}>" in text and f"<{hi}>" in text
    assert f"<{AG.BestRank}>" in text
