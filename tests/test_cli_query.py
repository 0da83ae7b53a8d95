"""The ``queries``, ``query``, ``sparql`` and ``push`` commands, driven through the CLI."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from alliance_graph import queries
from alliance_graph.cli import cli, main

COMMANDS = (["queries"], ["queries", "show"], ["query"], ["sparql"], ["push"])


def invoke(*args, input=None):
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def exit_code(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_ending_with_an_example(command):
    text = invoke(*command, "--help").output
    tail = text[text.rindex("Example:") :]
    assert "alliance-graph " in tail
    assert text.index("Example:") > text.index("Usage:")


def test_queries_lists_the_catalogue():
    out = invoke("queries").output
    for q in queries.catalogue():
        assert q.name in out
    rows = json.loads(invoke("queries", "--format", "json").output)
    stakes = next(r for r in rows if r["name"] == "stakes-on-date")
    assert stakes["parameters"] == ["date:date", "reading?:string", "held?:iri"]
    tagged = json.loads(invoke("queries", "--tag", "ownership", "--format", "json").output)
    assert {r["name"] for r in tagged} == {"stakes-on-date", "stake-history"}


def test_queries_show_prints_documentation_example_and_sparql():
    out = invoke("queries", "show", "stakes-on-date").output
    assert out.startswith("stakes-on-date: Stakes valid on a date")
    assert "reading (string, default as-of)" in out and "one of: as-of, certain, possible" in out
    assert "alliance-graph query stakes-on-date -p date=2003-06-30 -p reading=as-of" in out
    assert "SELECT ?holder" in out and "ag:startLatest" in out


def test_unknown_query_is_exit_2(capsys):
    code, _, err = exit_code(capsys, "queries", "show", "no-such-query")
    assert code == 2 and "no saved query 'no-such-query'" in err


def test_table_shortens_iris_and_csv_keeps_them():
    table = invoke(
        "query", "stakes-on-date", "-p", "date=2003-06-30", "-p", "reading=certain"
    ).output
    assert "res:Renault" in table and "https://" not in table
    rows = list(
        csv.DictReader(
            io.StringIO(
                invoke(
                    "query",
                    "stakes-on-date",
                    "-p",
                    "date=2003-06-30",
                    "-p",
                    "reading=certain",
                    "--format",
                    "csv",
                ).output
            )
        )
    )
    assert {r["holder"] for r in rows} == {
        "https://w3id.org/alliance-graph/resource/Renault",
        "https://w3id.org/alliance-graph/resource/NissanMotor",
    }
    renault = next(r for r in rows if r["holderLabel"] == "Renault")
    assert renault["percent"] == "44.4" and "src:justauto-2002-warrants" in renault["sources"]


@pytest.mark.parametrize("fmt", ["tsv", "json", "jsonl", "sparql-json"])
def test_row_formats(fmt):
    out = invoke("query", "twins", "--format", fmt).output
    if fmt == "tsv":
        assert out.splitlines()[0].split("\t")[:3] == ["pair", "model1", "marque1"]
    elif fmt == "json":
        assert len(json.loads(out)) == 3
    elif fmt == "jsonl":
        assert [json.loads(line)["sharedPartsPercent"] for line in out.splitlines()] == [80.0] * 3
    else:
        doc = json.loads(out)
        assert doc["head"]["vars"][0] == "pair" and len(doc["results"]["bindings"]) == 3


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [
        (None, ox.RdfFormat.TURTLE),
        ("turtle", ox.RdfFormat.TURTLE),
        ("ntriples", ox.RdfFormat.N_TRIPLES),
        ("json-ld", ox.RdfFormat.JSON_LD),
    ],
)
def test_construct_results_are_rdf(fmt, rdf_format):
    args = ["query", "entity-graph", "-p", "entity=NissanDiesel"]
    out = invoke(*args, *(["--format", fmt] if fmt else [])).output
    triples = list(ox.parse(out.encode(), format=rdf_format))
    assert len(triples) == len(queries.run("entity-graph", {"entity": "NissanDiesel"}).triples)


def test_construct_as_a_table_and_select_as_turtle(capsys):
    out = invoke("query", "entity-graph", "-p", "entity=NissanDiesel", "--format", "csv").output
    assert out.splitlines()[0] == "subject,predicate,object"
    code, _, err = exit_code(capsys, "query", "twins", "--format", "turtle")
    assert code == 2 and "needs a CONSTRUCT or DESCRIBE query" in err


def test_parameter_errors_are_exit_2_naming_the_parameter(capsys):
    cases = [
        (["-p", "date=30/06/2003"], "parameter 'date' expects date"),
        ([], "needs parameter 'date'"),
        (["-p", "date=2003-06-30", "-p", "when=now"], "no parameter 'when'"),
        (["-p", "date"], "write a parameter as name=value"),
        (["-p", "date=2003-06-30", "-p", "date=2004-01-01"], "given twice"),
    ]
    for extra, message in cases:
        code, _, err = exit_code(capsys, "query", "stakes-on-date", *extra)
        assert code == 2 and message in err, (extra, err)


def test_a_reversed_period_is_exit_2_naming_both_dates(capsys):
    code, out, err = exit_code(
        capsys, "query", "events-in-period", "-p", "from=2018", "-p", "to=2017"
    )
    assert code == 2 and not out
    assert "'to' (2017) ends on 2017-12-31" in err and "'from' (2018) begins on 2018-01-01" in err


def test_sparql_inline_file_and_stdin(tmp_path):
    text = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/alliance-graph/ontology#Platform> }"
    )
    assert json.loads(invoke("sparql", text, "--format", "json").output) == [{"n": 4}]
    path = tmp_path / "q.rq"
    path.write_text(text)
    assert json.loads(invoke("sparql", "--file", str(path), "--format", "json").output) == [
        {"n": 4}
    ]
    piped = invoke("sparql", "--file", "-", "--format", "json", input=text).output
    assert json.loads(piped) == [{"n": 4}]


def test_sparql_needs_exactly_one_query(capsys, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK {}")
    for args in (["sparql"], ["sparql", "ASK {}", "--file", str(path)]):
        code, _, err = exit_code(capsys, *args)
        assert code == 2 and "either inline or with --file FILE" in err


def test_ask_and_describe():
    assert json.loads(invoke("sparql", "ASK { ?s ?p ?o }", "--format", "json").output) == [
        {"answer": True}
    ]
    out = invoke("sparql", "DESCRIBE <https://w3id.org/alliance-graph/resource/Ampere>").output
    assert "Renault's company for electric vehicles" in out


def test_query_on_a_users_own_files(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text(
        "@prefix ag: <https://w3id.org/alliance-graph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<urn:x:p> a ag:Platform ; rdfs:label "Mine" ; ag:citation [ ag:source <urn:x:s> ] .\n'
    )
    rows = json.loads(invoke("query", "platforms", "--data", str(mine), "--format", "json").output)
    # Sources outside the project's src: namespace keep their full IRI.
    assert [(r["platformLabel"], r["sources"]) for r in rows] == [("Mine", "urn:x:s")]


def test_bad_data_file_is_exit_2_with_file_and_line(capsys, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ag: <https://w3id.org/alliance-graph/ontology#> .\nag:x ag:y .\n")
    code, _, err = exit_code(capsys, "query", "twins", "--data", str(bad))
    assert code == 2 and f"{bad}:2" in err


def test_rdflib_engine_from_the_cli():
    a = json.loads(
        invoke("query", "members-on-date", "-p", "date=2018-01-01", "--format", "json").output
    )
    b = json.loads(
        invoke(
            "query",
            "members-on-date",
            "-p",
            "date=2018-01-01",
            "--format",
            "json",
            "--engine",
            "rdflib",
        ).output
    )
    assert sorted(r["memberLabel"] for r in a) == sorted(r["memberLabel"] for r in b)
    assert len(a) == 3


def test_limit_option(capsys):
    out = invoke("query", "competing-claims", "--limit", "2", "--format", "json")
    assert len(json.loads(out.stdout)) == 2
    assert "truncated: showing the first 2 results" in out.stderr
    # 21, and the Chennai and Dacia pairs of inventory R20 and R24
    assert len(json.loads(invoke("query", "competing-claims", "--format", "json").stdout)) == 29


def test_push_needs_an_endpoint(capsys, monkeypatch):
    monkeypatch.delenv("ALLIANCE_GRAPH_ENDPOINT", raising=False)
    code, _, err = exit_code(capsys, "push")
    assert code == 2 and "--endpoint" in err


def test_the_query_path_imports_neither_rdflib_nor_pyshacl():
    # Cold start is the point of the embedded store: a saved query through the CLI loads
    # pyoxigraph, never rdflib (a quarter of a second to import) or pySHACL. (Ad-hoc
    # `sparql` text is checked by rdflib's SPARQL parser, so it does import rdflib.)
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from alliance_graph.cli import main\n"
        "for args in (['query', 'stakes-on-date', '-p', 'date=2003-06-30', '--format', 'csv'],\n"
        "             ['queries']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as exit_:\n"
        "        assert exit_.code == 0, args\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyshacl')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_iri_parameters_take_any_name_of_the_data(capsys):
    # Labels, alternative labels, local names in any case: all resolve, as ownership does.
    import json

    from alliance_graph.cli import main

    def rows(*argv):
        with pytest.raises(SystemExit) as exit_:
            main([*argv, "--format", "json"])
        assert exit_.value.code == 0
        return json.loads(capsys.readouterr().out)

    by_label = rows("query", "stake-history", "-p", "holder=Renault", "-p", "held=Nissan")
    by_local = rows("query", "stake-history", "-p", "holder=renault", "-p", "held=nissanmotor")
    by_spaced = rows("query", "stake-history", "-p", "holder=Renault", "-p", "held=Nissan Motor")
    assert by_label and by_label == by_local == by_spaced
    assert all("Nissan Motor" in r["label"] for r in by_label)


@pytest.mark.parametrize(
    ("value", "said"),
    [("Ghosn", "Did you mean: Carlos Ghosn"), ("Nisan", "Did you mean: Nissan Motor")],
)
def test_an_unknown_name_is_exit_2_with_suggestions(value, said, capsys):
    from alliance_graph.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(
            ["query", "roles-on-date", "-p", "date=2010", "-p", f"person={value}"]
            if value == "Ghosn"
            else ["query", "entity-card", "-p", f"entity={value}"]
        )
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "alliance-graph entities" in err


def test_entities_lists_what_to_type(capsys):
    import json

    with pytest.raises(SystemExit) as exit_:
        main(["entities", "nissan", "--format", "json"])
    assert exit_.value.code == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["label"] == "Nissan Motor" and rows[0]["name"] == "NissanMotor"
    assert rows[0]["kind"] == "Company"
    with pytest.raises(SystemExit):
        main(["entities", "--kind", "person", "--format", "csv"])
    people = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {"Carlos Ghosn", "Louis Schweitzer"} <= {p["label"] for p in people}
    assert {p["kind"] for p in people} == {"Person"}
    # Every name it lists resolves back to its entity through a saved query's parameter.
    for p in people:
        card = queries.run("entity-card", {"entity": p["name"].lower()}).rows
        assert card
