"""Loading files: shipped data, user files, and errors that name file and line."""

import pytest
from rdflib import RDF

from alliance_graph.errors import DataFileError
from alliance_graph.graph import load
from alliance_graph.temporal import AG


def test_shipped_graph_has_ontology_and_data(graph):
    assert (AG.Shareholding, None, None) in graph
    assert len(set(graph.subjects(AG.holder, None))) > 20


def test_user_file_replaces_shipped_data(tmp_path):
    f = tmp_path / "mine.ttl"
    f.write_text(
        "@prefix ag: <https://w3id.org/alliance-graph/ontology#> .\n"
        '<http://example.org/a> a ag:Company ; <http://www.w3.org/2000/01/rdf-schema#label> "A" .\n'
    )
    g = load([f])
    companies = set(g.subjects(RDF.type, AG.Company))
    assert {str(c) for c in companies} == {"http://example.org/a"}


def test_malformed_turtle_names_file_line_and_column(tmp_path):
    f = tmp_path / "bad.ttl"
    f.write_text('@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e "open .\n')
    with pytest.raises(DataFileError) as info:
        load([f])
    err = info.value
    assert err.path == str(f) and err.line == 3 and err.column is not None
    assert str(err).startswith(f"{f}:3:")


def test_missing_file_is_named(tmp_path):
    missing = tmp_path / "nope.ttl"
    with pytest.raises(DataFileError, match="nope.ttl: no such file"):
        load([missing])


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(DataFileError, match="is a folder"):
        load([tmp_path])
