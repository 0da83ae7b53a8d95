"""An entity labelled in several languages (valid data: one label per language) is one
row in every saved query, shown by its English label, as every other face shows it
(names.pick_label). Each query runs on its own example twice: on the shipped data, and
with every labelled resource and every labelled ontology term (a class, a unit, a rank:
a user's translation of the vocabulary) given a French label and a label without a
language too.
"""

from __future__ import annotations

import pytest
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from alliance_graph import queries
from alliance_graph.resources import data_files, ontology_files
from alliance_graph.store import open_store, to_rdflib

CATALOGUE = {q.name: q for q in queries.catalogue()}


SHIPPED = [str(p) for p in data_files()]
RES_RENAULT = "https://w3id.org/alliance-graph/resource/Renault"


def _more_labels(folder) -> str:
    # A French and a language-less label for every resource the shipped data labels in
    # English: names that sort before the English one, so that a query taking the first
    # by text alone, or one without a language first, shows them.
    g = Graph()
    for path in [*SHIPPED, *map(str, ontology_files())]:
        g.parse(path)
    extra = Graph()
    for node, label in g.subject_objects(RDFS.label):
        if isinstance(label, Literal) and label.language == "en":
            extra.add((node, RDFS.label, Literal("AAA " + str(label), lang="fr")))
            extra.add((node, RDFS.label, Literal("AAA " + str(label))))
    assert len(extra) > 100
    path = folder / "more-labels.ttl"
    extra.serialize(path, format="turtle")
    return str(path)


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    more = _more_labels(tmp_path_factory.mktemp("labels"))
    return open_store(SHIPPED), open_store([*SHIPPED, more])


LABEL = str(RDFS.label)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_a_second_and_third_label_change_no_row(stores, name):
    plain, labelled = stores
    saved = CATALOGUE[name]
    before = queries.run(saved, saved.example, store=plain, timeout=300)
    after = queries.run(saved, saved.example, store=labelled, timeout=300)
    if before.is_graph:
        # A graph of the entity holds its labels: the added ones, and nothing else new.
        def others(result):
            text = "".join(f"{t} .\n" for t in result.triples if t.predicate.value != LABEL)
            return Graph().parse(data=text, format="nt")

        assert before.triples and isomorphic(others(after), others(before))
        assert len(after.triples) > len(before.triples)
        return
    assert before.rows, f"{name}: its example gives no rows on the shipped data"
    rows = after.rows
    if name == "entity-card":
        # The card lists the entity's own labels as statements: the two added ones are
        # two rows more, and every other row is as it was.
        own = [r for r in rows if r["property"] == "rdfs:label"]
        assert len(own) == 3
        rows = [r for r in rows if r["property"] != "rdfs:label"]
        assert [r for r in before.rows if r["property"] != "rdfs:label"] == rows
        return
    assert rows == before.rows


@pytest.mark.parametrize("name", sorted(n for n, q in CATALOGUE.items() if n != "entity-graph"))
def test_rdflib_chooses_the_same_labels(stores, name):
    # Another SPARQL engine on the same labelled data: the same rows (the label rule is
    # plain SPARQL 1.1, not an Oxigraph feature).
    _, labelled = stores
    saved = CATALOGUE[name]
    ours = queries.run(saved, saved.example, store=labelled, timeout=300)
    theirs = queries.run(saved, saved.example, graph=to_rdflib(labelled), timeout=300)
    assert ours.rows and theirs.rows == ours.rows


def test_pick_label_orders_labels_as_the_queries_do():
    # The Python rule against the SPARQL expression of the saved queries, evaluated by
    # Oxigraph, on label sets with the tags that tell the tiers apart.
    import itertools
    import random

    import pyoxigraph as ox

    from alliance_graph.names import pick_label, sparql_label_key

    pool = [("Zeta", "en"), ("Alpha", "fr"), ("Beta", None), ("Gamma", "en-gb"),
            ("Delta", "eng"), ("Aardvark", "ja"), ("Beta", "de"), ("Omega", None)]  # fmt: skip
    expression = f"SUBSTR(MIN({sparql_label_key('l')}), 2)"
    rng = random.Random(5)
    sets = [c for n in (1, 2, 3) for c in itertools.combinations(pool, n)]
    for labels in rng.sample(sets, 60):
        store = ox.Store()
        node = ox.NamedNode("http://example.org/x")
        for text, lang in labels:
            literal = ox.Literal(text, language=lang) if lang else ox.Literal(text)
            store.add(ox.Quad(node, ox.NamedNode(str(RDFS.label)), literal))
        (row,) = store.query(
            f"SELECT ({expression} AS ?best) WHERE {{ ?x <{RDFS.label}> ?l }} GROUP BY ?x"
        )
        assert pick_label(labels) == row["best"].value, labels


def test_the_summary_lists_each_stake_and_class_once_by_its_english_labels(stores):
    from alliance_graph import summary

    plain, labelled = stores
    before = summary.stakes_over_time(store=plain)
    assert before and summary.stakes_over_time(store=labelled) == before
    assert any(r["end"] for r in before)  # an end status: a term of the vocabulary
    counts = summary.class_counts(store=plain)
    assert counts and summary.class_counts(store=labelled) == counts


def test_the_entity_page_names_each_resource_once_by_its_english_label(tmp_path):
    # The web face: the page of Nissan Motor, whose stakes, facts and sources link to
    # resources that now carry three labels each; the page reads as on the shipped data.
    import re

    from starlette.testclient import TestClient

    from alliance_graph.web import Settings, create_app

    more = _more_labels(tmp_path)

    def page(data):
        with TestClient(create_app(Settings(data=tuple(data)))) as client:
            response = client.get(
                "/resource/NissanMotor?at=2010-06-30", headers={"Accept": "text/html"}
            )
            assert response.status_code == 200
            return response.text

    before, after = page(SHIPPED), page([*SHIPPED, more])
    assert "AAA " not in before
    # The page's own list of labels may show the added ones; nothing else may.
    shown = re.findall(r"AAA [^<\"]*", after)
    assert all(text.startswith("AAA Nissan Motor") for text in shown), sorted(set(shown))[:5]
    assert re.search(r"<h1[^>]*>\s*Nissan Motor\s*<", after)


def test_the_home_and_ontology_pages_name_each_term_once_by_its_english_label(tmp_path):
    # The web face over a translated vocabulary: the home page counts what
    # `alliance-graph summary` counts, class by class, by the same English labels; the
    # ontology page defines each term by its English label.
    import html
    import re

    from starlette.testclient import TestClient

    from alliance_graph import summary
    from alliance_graph.web import Settings, create_app

    more = _more_labels(tmp_path)
    with TestClient(create_app(Settings(data=(*SHIPPED, more)))) as client:
        home = client.get("/", headers={"Accept": "text/html"}).text
        ontology = client.get("/ontology", headers={"Accept": "text/html"}).text
    table = home[home.index("<caption>Resources by kind") : home.index("</table>")]
    shown = [
        {"class": html.unescape(k), "count": int(n)}
        for k, n in re.findall(r'<tr><td>([^<]*)</td><td class="num">(\d+)</td></tr>', table)
    ]
    assert shown == summary.class_counts(SHIPPED)
    assert "AAA " not in table
    term = ontology[ontology.index('id="Shareholding"') :]
    term = term[: term.index("</dd>")]
    assert "<strong>shareholding</strong>" in term and "AAA " not in term


def test_every_saved_query_orders_labels_by_the_one_expression():
    # The .rq files write the label rule out (they are plain files for grlc and any
    # SPARQL client): each occurrence is names.sparql_label_key's, spacing aside.
    import re

    from alliance_graph.names import sparql_label_key
    from alliance_graph.queries import queries_dir

    def flat(text):
        return re.sub(r"\s+", "", text)

    found = 0
    for path in sorted(queries_dir().glob("*.rq")):
        text = flat(path.read_text(encoding="utf-8"))
        for match in re.finditer(r"CONCAT\(IF\(LANGMATCHES\(LANG\(\?(\w+)\)", text):
            name = match.group(1)
            assert text.startswith(flat(sparql_label_key(name)), match.start()), path.name
            found += 1
    assert found >= 20


def test_a_label_in_another_language_is_a_name_every_face_resolves(tmp_path, capsys):
    # A user with Japanese and French names in their data types them: the resolver of
    # `entities`, of the ownership commands and of the saved queries' IRI parameters
    # finds the entity (shown by its English label) through each.
    import json

    from alliance_graph.cli import main

    extra = tmp_path / "names.ttl"
    extra.write_text(
        "@prefix res: <https://w3id.org/alliance-graph/resource/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'res:Renault rdfs:label "Régie Renault"@fr .\n'
        'res:NissanMotor rdfs:label "日産自動車"@ja .\n',
        encoding="utf-8",
    )
    data = [a for f in [*SHIPPED, str(extra)] for a in ("--data", f)]

    def run(*argv):
        with pytest.raises(SystemExit) as exit_:
            main([*argv, "--format", "json", *data])
        captured = capsys.readouterr()
        assert exit_.value.code == 0, captured.err
        return json.loads(captured.out)

    (found,) = run("entities", "Régie Renault")
    assert found["iri"] == RES_RENAULT and found["label"] == "Renault"
    assert "Régie Renault" in found["alt_labels"]
    record = run("ownership", "stake", "Régie Renault", "日産自動車", "--at", "2015-06-30")
    assert (record["holder"], record["held"]) == ("Renault", "Nissan Motor")
    assert record["percent"] is not None
    rows = run("query", "stakes-on-date", "-p", "date=2015-06-30", "-p", "held=日産自動車")
    assert {r["heldLabel"] for r in rows} == {"Nissan Motor"}
    assert "Renault" in {r["holderLabel"] for r in rows}


def test_the_timeline_orders_the_members_by_their_english_labels():
    # plot timeline's default companies: ordered by the label every face shows, however
    # many languages label them (French labels here that would reverse the order).
    from alliance_graph.graph import load
    from alliance_graph.plot import alliance_members

    graph = load(SHIPPED)
    members = alliance_members(graph)
    assert len(members) >= 3
    english = {
        m: next(str(v) for v in graph.objects(URIRef(m), RDFS.label) if v.language == "en")
        for m in members
    }
    assert members == sorted(members, key=english.get)
    for rank, m in enumerate(reversed(members)):
        # The French one stored first, where a reader taking the first label finds it.
        graph.remove((URIRef(m), RDFS.label, None))
        graph.add((URIRef(m), RDFS.label, Literal(f"{rank:03d}", lang="fr")))
        graph.add((URIRef(m), RDFS.label, Literal(english[m], lang="en")))
    assert alliance_members(graph) == members


def test_the_property_graph_exports_name_each_node_by_its_english_label(tmp_path, capsys):
    # GraphML, GEXF, Cytoscape, Neo4j and the entities table: a node's label is the one
    # every face shows; the labels of other languages join its alternative labels (the
    # names it answers to), never its label.
    import csv
    import json

    from alliance_graph.cli import main

    more = _more_labels(tmp_path)

    def nodes(data, name):
        out = tmp_path / f"{name}.json"
        args = ["export", "-f", "cytoscape", "-o", str(out)]
        with pytest.raises(SystemExit) as done:
            main([*args, *(a for p in data for a in ("--data", p))])
        assert done.value.code == 0, capsys.readouterr().err
        graph = json.loads(out.read_text(encoding="utf-8"))
        return {n["data"]["id"]: n["data"] for n in graph["elements"]["nodes"]}

    before, after = nodes(SHIPPED, "before"), nodes([*SHIPPED, more], "after")
    assert before.keys() == after.keys() and len(before) > 100
    assert {i: n.get("label") for i, n in after.items()} == {
        i: n.get("label") for i, n in before.items()
    }
    renault = after[RES_RENAULT]
    assert "AAA Renault" in renault["altLabel"] and renault["label"] == "Renault"

    table = tmp_path / "entities.csv"
    with pytest.raises(SystemExit):
        main(["export", "-f", "entities-csv", "-o", str(table), "--data", *SHIPPED[:1],
              "--data", more, *(a for p in SHIPPED[1:] for a in ("--data", p))])  # fmt: skip
    with table.open(encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert rows[RES_RENAULT]["label"] == "Renault"
