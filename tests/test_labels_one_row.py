"""An entity labelled in several languages (valid data: one label per language) is one
row in every saved query, shown by its English label, as every other face shows it
(names.pick_label). Each query runs on its own example twice: on the shipped data, and
with every labelled resource given a French label and a label without a language too.
"""

from __future__ import annotations

import pytest
from rdflib import RDFS, Graph, Literal
from rdflib.compare import isomorphic

from alliance_graph import queries
from alliance_graph.resources import data_files
from alliance_graph.store import open_store, to_rdflib

CATALOGUE = {q.name: q for q in queries.catalogue()}


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    shipped = [str(p) for p in data_files()]
    g = Graph()
    for path in shipped:
        g.parse(path)
    extra = Graph()
    for node, label in g.subject_objects(RDFS.label):
        if isinstance(label, Literal) and label.language == "en":
            # Names that sort before the English one, so that a query taking the first
            # by text alone, or one without a language first, shows them.
            extra.add((node, RDFS.label, Literal("AAA " + str(label), lang="fr")))
            extra.add((node, RDFS.label, Literal("AAA " + str(label))))
    assert len(extra) > 100
    path = tmp_path_factory.mktemp("labels") / "more-labels.ttl"
    extra.serialize(path, format="turtle")
    return open_store(shipped), open_store([*shipped, str(path)])


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
