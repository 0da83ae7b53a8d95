"""``alliance-graph export``: options map onto export.export; errors exit with code 2."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph

from alliance_graph.cli import cli, main
from alliance_graph.graph import load
from alliance_graph.temporal import AG

RES = "https://w3id.org/alliance-graph/resource/"


def _run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_help_ends_with_examples():
    result = _run("export", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "alliance-graph export --format neo4j -o neo4j-import/" in result.output


def test_list_names_every_format():
    result = _run("export", "--list")
    assert result.exit_code == 0
    for name in ("turtle", "nquads", "jsonld", "graphml", "gexf", "neo4j", "mermaid", "dot"):
        assert f"\n{name} " in result.output


def test_format_guessed_from_the_suffix(tmp_path):
    target = tmp_path / "alliance.ttl"
    result = _run("export", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(target, format="turtle")) > 4000


def test_dash_writes_to_stdout_and_at_restricts(tmp_path):
    result = _run("export", "-f", "mermaid", "--at", "2015-06-30", "-o", "-")
    assert result.exit_code == 0
    assert result.output.startswith("%% Ownership on 2015-06-30")
    assert '(["43.4%"]) --> n_NissanMotor' in result.output


def test_folder_format_with_own_data(tmp_path, data_copy):
    folder = tmp_path / "neo"
    result = _run("export", "--format", "neo4j", "--data", str(data_copy), "-o", str(folder))
    assert result.exit_code == 0, result.output
    with open(folder / "relationships.csv", newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]


def test_no_derived_flag(tmp_path):
    target = tmp_path / "plain.nt"
    assert _run("export", "--no-derived", "-o", str(target)).exit_code == 0
    graph = Graph().parse(target, format="nt")
    assert not list(graph.triples((None, RDF.type, AG.BestRank)))
    assert len(graph) == len(load(derive=False))  # what the files say, nothing added


@pytest.mark.parametrize(
    "args, message",
    [
        (["export", "-f", "turtle", "--at", "2015"], "--at does not apply to turtle"),
        (["export", "-f", "nope"], "unknown export format 'nope'"),
        (["export", "-f", "neo4j"], "writes a folder"),
        (["export", "-o", "x.unknown"], "cannot tell the format"),
        (["export", "-f", "dot", "--at", "last week"], "--at: 'last week' is not a date"),
    ],
)
def test_errors_exit_2_with_a_message(capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and message in err


def test_unusable_reading_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export", "-f", "graphml", "--at", "2015", "--reading", "maybe"])
    assert exc.value.code == 2
    assert "maybe" in capsys.readouterr().err
