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


@pytest.mark.parametrize(
    "name, literal, where",
    [
        ("lone.ttl", r'"bad \uD800 here"@en', ":6:21:"),
        ("upper.nt", r'"bad \U0000DFFF here"', ":1:"),
        ("pair.ttl", r'"\uD83D\uDE00"@en', ":6:17:"),  # a pair is no better in Turtle
    ],
)
def test_an_escaped_surrogate_is_refused_with_file_and_line(tmp_path, capsys, name, literal, where):
    # Issue 10: rdflib accepts the escape, then writing UTF-8 crashed with a traceback.
    path = tmp_path / name
    if name.endswith(".nt"):
        path.write_text(
            "<https://w3id.org/alliance-graph/resource/x> "
            f"<http://www.w3.org/2000/01/rdf-schema#label> {literal} .\n",
            encoding="utf-8",
        )
    else:
        path.write_text(
            "@prefix ag: <https://w3id.org/alliance-graph/ontology#> .\n"
            "@prefix res: <https://w3id.org/alliance-graph/resource/> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
            "res:x a ag:Company ;\n"
            f"    rdfs:label {literal} .\n",
            encoding="utf-8",
        )
    with pytest.raises(SystemExit) as exc:
        main(["export", "-f", "nt", "--data", str(path), "-o", str(tmp_path / "out.nt")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {path}{where}") and "surrogate" in err
    assert not (tmp_path / "out.nt").exists()


def test_escapes_that_are_characters_still_export(tmp_path):
    path = tmp_path / "fine.jsonld"
    # JSON may write a character outside the BMP as a surrogate pair of escapes; an
    # escaped backslash before "uD800" is no escape at all.
    path.write_text(
        '{"@id": "https://w3id.org/alliance-graph/resource/x",'
        ' "http://www.w3.org/2000/01/rdf-schema#label": "smile \\ud83d\\ude00 \\\\uD800"}',
        encoding="utf-8",
    )
    out = tmp_path / "out.nt"
    result = _run("export", "-f", "nt", "--data", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "smile \U0001f600 \\\\uD800" in out.read_text(encoding="utf-8")


def test_a_folder_export_into_a_read_only_folder_is_exit_2(tmp_path, capsys):
    # Issue 10 item 9: every OSError on output is exit 2 naming the path and the reason.
    import subprocess

    from alliance_graph.cli import main

    ro = tmp_path / "ro"
    ro.mkdir()
    subprocess.run(["chattr", "+i", str(ro)], check=True)  # read-only even for root
    try:
        with pytest.raises(SystemExit) as exit_:
            main(["export", "-f", "neo4j", "-o", str(ro / "neo4j")])
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert str(ro / "neo4j") in err and "cannot write" in err
        assert not any(ro.iterdir())
    finally:
        subprocess.run(["chattr", "-i", str(ro)], check=True)


def test_rdfxml_export_warns_of_nothing(tmp_path, recwarn, capsys):
    # rdflib's pretty-xml printed five UserWarnings about list nodes it writes node by
    # node; the file was whole, so the noise told the user nothing.
    import warnings

    warnings.simplefilter("always")
    with pytest.raises(SystemExit) as exit_:
        main(["export", "-f", "rdfxml", "-o", str(tmp_path / "a.rdf")])
    assert exit_.value.code == 0
    assert not [w for w in recwarn if "Assertions on" in str(w.message)]
    assert "Warning" not in capsys.readouterr().err
