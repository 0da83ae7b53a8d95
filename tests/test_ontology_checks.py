"""``validate --ontology``: the ontology's own checks, on the shipped files and on a copy
broken once per rule."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from alliance_graph import resources
from alliance_graph.cli import cli
from alliance_graph.validate.ontology_checks import RULES, check_ontology

ONTOLOGY_BREAKS = """
ag:Unlabelled a owl:Class ;
    skos:definition "A class without a label."@en .
ag:Undefined a owl:Class ;
    rdfs:label "undefined"@en .
ag:Orphan a owl:Class ;
    rdfs:label "orphan"@en ;
    skos:definition "A class nothing uses and no note explains."@en .
ag:holder a owl:DatatypeProperty .
"""

DATA_BREAKS = """
res:stake-renault-nissan-1999 ag:sharePrice 4.0 .
res:Renault ag:country "France" .
"""


def test_shipped_ontology_passes_every_check():
    result = CliRunner().invoke(cli, ["validate", "--ontology", "--fail-on", "info"])
    assert result.exit_code == 0, result.output
    assert "0 violations, 0 warnings, 0 infos" in result.output


def test_each_check_catches_its_break(tmp_path):
    ontology = tmp_path / "ontology.ttl"
    shutil.copy(resources.ontology_files()[0], ontology)
    ontology.write_text(ontology.read_text() + ONTOLOGY_BREAKS)
    data = tmp_path / "data.ttl"
    shutil.copy(resources.data_files()[0], data)
    data.write_text(data.read_text() + DATA_BREAKS)
    results, rules = check_ontology([data], resources.shapes_files(), [ontology])
    assert {r.id for r in rules} == set(RULES)
    found = {(r.rule, r.focus) for r in results}
    expected = {
        ("ontology:labelled", "ag:Unlabelled"),
        ("ontology:defined", "ag:Undefined"),
        ("ontology:declared", "ag:sharePrice"),  # used by the data, declared nowhere
        ("ontology:used", "ag:Orphan"),
        ("ontology:property-kind", "ag:holder"),  # object and datatype property at once
        ("ontology:property-kind", "ag:sharePrice"),  # a predicate of no declared kind
        ("ontology:property-kind", "ag:country"),  # an object property with a literal
        ("ontology:owl2-dl", "ag:holder"),  # illegal punning
    }
    assert expected <= found, sorted(found - expected)
    assert not {rule for rule, _ in found} - set(RULES)
    orphan = next(r for r in results if r.rule == "ontology:used")
    assert orphan.severity == "Warning" and orphan.file == str(ontology) and orphan.line
    (dl,) = [r for r in results if r.rule == "ontology:owl2-dl" and r.focus == "ag:holder"]
    assert "punning" in dl.message.lower() and "DataProperty" in dl.message


CONTRADICTIONS = """
res:Renault a ag:Person .
res:stake-renault-nissan-1999 a ag:Event .
res:IvanEspinosa ag:holder res:Renault .
"""


def test_owl_rl_closure_finds_seeded_contradictions(tmp_path):
    # An organisation typed as a person, a stake typed as an event, and a person used as a
    # shareholding (ag:holder's domain): the disjointness axioms make each a contradiction.
    data = tmp_path / "data.ttl"
    shutil.copy(resources.data_files()[0], data)
    data.write_text(data.read_text() + CONTRADICTIONS)
    results, _ = check_ontology([data], resources.shapes_files())
    found = {r.focus: r for r in results if r.rule == "ontology:consistent"}
    assert set(found) == {"res:Renault", "res:stake-renault-nissan-1999", "res:IvanEspinosa"}
    assert "ag:Organisation and ag:Person" in found["res:Renault"].message
    assert "ag:Relationship and ag:Event" in found["res:stake-renault-nissan-1999"].message
    assert found["res:Renault"].severity == "Violation"
    assert found["res:Renault"].file == str(data) and found["res:Renault"].line


def test_owl_rl_closure_of_the_shipped_files_is_consistent():
    from rdflib import Graph

    from alliance_graph.graph import parse_into
    from alliance_graph.validate.ontology_checks import owl_rl_contradictions

    onto, data = Graph(), Graph()
    for path in resources.ontology_files():
        parse_into(onto, path)
    for path in resources.data_files():
        parse_into(data, path)
    size = len(data)
    assert owl_rl_contradictions(onto, data) == []
    assert len(data) == size  # the closure works on a copy
