"""A user's shapes file may read the data graph and nothing else: SPARQL in it that names
a SERVICE or FROM, or is an update, is refused (exit 2, naming the file and the shape)
before any engine runs, and nothing reaches a listener on 127.0.0.1."""

from __future__ import annotations

import socket
import threading

import pytest

from alliance_graph.cli import main

HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix ex: <http://example.org/> .
"""


@pytest.fixture
def listener():
    """A TCP server on a free port of 127.0.0.1 that counts the connections it accepts."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen.append(conn.recv(200))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def shapes(port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return {
        "SERVICE in a constraint": (
            "ex:S a sh:NodeShape ; sh:targetClass ag:Company ;\n"
            f'  sh:sparql [ sh:select """SELECT $this WHERE {{ SERVICE <{url}> '
            '{ $this ?p ?o } }""" ] .\n',
            "the sh:select of the sh:sparql of <http://example.org/S>",
            "SERVICE",
        ),
        "FROM in a SPARQL target": (
            "ex:T a sh:NodeShape ;\n"
            '  sh:target [ a sh:SPARQLTarget ; sh:select """SELECT ?this '
            f'FROM <{url}> WHERE {{ ?this a ag:Company }}""" ] ;\n'
            "  sh:property [ sh:path ag:country ; sh:minCount 1 ] .\n",
            "the sh:select of the sh:target of <http://example.org/T>",
            "FROM",
        ),
        "an update in a rule": (
            "ex:R a sh:NodeShape ; sh:targetClass ag:Company ;\n"
            f'  sh:sparql [ sh:select """INSERT DATA {{ <{url}> <{url}> <{url}> }}""" ] .\n',
            "the sh:select of the sh:sparql of <http://example.org/R>",
            "Update",
        ),
    }


@pytest.mark.parametrize("engine", ["shacl-rust", "pyshacl"])
@pytest.mark.parametrize("case", ["SERVICE in a constraint", "FROM in a SPARQL target",
                                  "an update in a rule"])  # fmt: skip
def test_unsafe_sparql_in_shapes_is_refused_and_nothing_is_reached(
    tmp_path, capsys, listener, engine, case
):
    port, seen = listener
    body, where, what = shapes(port)[case]
    path = tmp_path / "mine.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(SystemExit) as exit:
        main(["validate", "--shapes", str(path), "--engine", engine])
    err = capsys.readouterr().err
    assert exit.value.code == 2, err
    assert f"{path}: {where}: refused" in err and what in err, err
    assert "Traceback" not in err
    assert seen == []


def test_a_user_shape_that_reads_the_data_still_runs(tmp_path, capsys):
    path = tmp_path / "mine.ttl"
    path.write_text(
        HEAD + "ex:U a sh:NodeShape ; sh:targetClass ag:Company ;\n"
        '  sh:sparql [ sh:message "no country" ;\n'
        "    sh:prefixes <https://w3id.org/alliance-graph/shapes> ;\n"
        '    sh:select """SELECT $this WHERE {\n'
        '      FILTER NOT EXISTS { $this ag:country ?c } }""" ] .\n',
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as exit:
        main(["validate", "--shapes", str(path), "--format", "json"])
    out = capsys.readouterr().out
    import json

    report = json.loads(out)
    # Companies of the shipped data without a country, counted here from the data.
    from alliance_graph.load import open_store

    store = open_store()
    expected = {
        str(r["c"].value)
        for r in store.query(
            "PREFIX ag: <https://w3id.org/alliance-graph/ontology#> "
            "SELECT ?c WHERE { ?c a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
            "ag:Company FILTER NOT EXISTS { ?c ag:country ?x } }"
        )
    }
    mine = {r["focus"] for r in report["results"] if r["rule"] == "<http://example.org/U>"}
    assert len(mine) == len(expected)
    assert exit.value.code == (1 if report["counts"]["Violation"] else 0)
