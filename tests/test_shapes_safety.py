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


@pytest.mark.parametrize(
    "body",
    [
        "ex:S a sh:NodeShape ; sh:targetClass ag:Company ; sh:node ex:S .\n",
        "ex:S a sh:NodeShape ; sh:targetClass ag:Company ;\n"
        "  sh:property [ sh:path ag:holds ; sh:node ex:S ] .\n",
        "ex:S a sh:NodeShape ; sh:targetClass ag:Company ; sh:or ( ex:T ex:U ) .\n"
        "ex:T a sh:NodeShape ; sh:not ex:S .\nex:U a sh:NodeShape .\n",
    ],
    ids=["node", "property", "or-not"],
)
def test_recursive_shapes_are_refused_by_name_not_a_crash(tmp_path, body):
    # shacl-rust recursed on these until the process died (signal 11, exit 139). In a
    # child process, so that a crash cannot take the test runner with it.
    import subprocess
    import sys

    path = tmp_path / "mine.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "alliance_graph", "validate", "--shapes", str(path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-1000:])
    assert "the shapes are recursive (" in proc.stderr
    assert "<http://example.org/S>" in proc.stderr and "Traceback" not in proc.stderr


def test_shapes_that_share_a_shape_without_a_cycle_are_not_recursive():
    import pyoxigraph as ox

    from alliance_graph.validate.shapes_graph import ShapesGraph
    from alliance_graph.validate.shapes_safety import recursion

    text = HEAD + (
        "ex:A a sh:NodeShape ; sh:node ex:C ; sh:and ( ex:B ex:C ) .\n"
        "ex:B a sh:NodeShape ; sh:node ex:C .\nex:C a sh:NodeShape .\n"
    )
    shapes = ShapesGraph(q.triple for q in ox.parse(text, format=ox.RdfFormat.TURTLE))
    assert recursion(shapes) is None
    from alliance_graph import resources

    assert recursion(ShapesGraph.read(resources.shapes_files())) is None
