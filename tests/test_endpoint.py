"""A real SPARQL server: Oxigraph's, from the ``oxigraph`` package on PyPI, started on
127.0.0.1 and a free port. The graph is pushed into it through the Graph Store Protocol,
then every saved query runs there and in process, and the answers must be the same.

Also the client's behaviour against small fake servers: credentials from the environment,
POST for long queries, and clear errors when a server is down, silent or failing.
"""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_queries import normalised  # tests/ is on sys.path under pytest

from alliance_graph import queries
from alliance_graph.cli import main
from alliance_graph.endpoint import graph_store_url, push
from alliance_graph.errors import EndpointError, UsageError
from alliance_graph.store import open_store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    assert found, "the oxigraph server is missing: pip install -e '.[test]' installs it"
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An Oxigraph server for this module; its query URL."""
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen(
        [_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/query"
    probe = url + "?query=ASK%7B%7D"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("oxigraph serve did not answer within 60 s")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def pushed(server):
    """The server, after `alliance-graph push` put the shipped graph in it."""
    with pytest.raises(SystemExit) as exit_:
        main(["push", "--endpoint", server])
    assert exit_.value.code == 0
    return server


# Each saved query with its example, plus parameters that reach other branches.
EXTRA = {
    "stakes-on-date": [{"date": "2003-06-30", "reading": "possible"}, {"date": "2024-06-01"}],
    "stake-history": [{"holder": "NissanMotor", "held": "Renault", "claims": "all"}],
    "roles-on-date": [{"date": "2010-06-30", "reading": "possible"}],
    "events-in-period": [{"from": "1999-01-01", "to": "1999-12-31", "kind": "Agreement"}],
    "plan-targets": [{}, {"plan": "plan-re-nissan"}],
    "measures-over-time": [{"metric": "PlatformCommonisation", "subject": "CMF"}],
    "competing-claims": [{}],
    "provenance": [{"entity": "Renault"}],
}


def test_push_loads_the_materialised_graph(pushed):
    remote = queries.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=pushed)
    assert remote.rows == [{"n": len(open_store())}]
    ask = "ASK { ?s a <https://w3id.org/alliance-graph/ontology#BestRank> }"
    assert queries.sparql(ask, endpoint=pushed).boolean is True
    describe = "DESCRIBE <https://w3id.org/alliance-graph/resource/Ampere>"
    assert len(queries.sparql(describe, endpoint=pushed).triples) >= 5


def test_every_saved_query_answers_the_same_remotely_and_in_process(pushed):
    for q in queries.catalogue():
        for params in [q.example, *EXTRA.get(q.name, [])]:
            local = queries.run(q, params)
            remote = queries.run(q, params, endpoint=pushed)
            assert remote.columns == local.columns, q.name
            assert normalised(remote) == normalised(local), (q.name, params)
            assert len(local) > 0 or params != q.example, q.name


def test_a_nasty_value_is_the_same_value_remotely(pushed, tmp_path):
    from test_query_safety import ECHO, NASTY

    (tmp_path / "echo.rq").write_text(ECHO)
    echo = queries.get("echo", folder=tmp_path)
    local = queries.run(echo, {"text": NASTY}).rows
    remote = queries.run(echo, {"text": NASTY}, endpoint=pushed).rows
    assert remote == local == [{"echo": NASTY, "length": len(NASTY), "who": "none"}]
    # ... and the server's data did not change.
    count = queries.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=pushed)
    assert count.rows == [{"n": len(open_store())}]


def test_cli_runs_a_saved_query_on_the_endpoint_from_the_environment(pushed, capsys, monkeypatch):
    monkeypatch.setenv("ALLIANCE_GRAPH_ENDPOINT", pushed)
    with pytest.raises(SystemExit) as exit_:
        main(["query", "stakes-on-date", "-p", "date=2003-06-30", "-p", "reading=certain",
              "--format", "json"])
    assert exit_.value.code == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["holderLabel"], r["percent"]) for r in rows} == {
        ("Renault", 44.4),
        ("Nissan Motor", 15.0),
    }


def test_construct_comes_back_as_rdf(pushed, capsys):
    with pytest.raises(SystemExit):
        main(["query", "entity-graph", "-p", "entity=NissanDiesel", "--endpoint", pushed])
    turtle = capsys.readouterr().out
    assert "res:stake-renault-nissandiesel-1999" in turtle and "@prefix ag:" in turtle


def test_push_into_a_named_graph_and_query_it(server):
    graph = "https://w3id.org/alliance-graph/graph/test"
    done = push(server, graph=graph)
    assert done["method"] == "PUT" and "graph=https" in done["url"]
    local = queries.run("twins", {})
    remote = queries.run("twins", {}, endpoint=server, default_graph=graph)
    assert normalised(remote) == normalised(local)
    again = push(server, graph=graph)  # replace: the graph does not grow
    n = queries.sparql(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", endpoint=server
    )
    assert n.rows == [{"n": again["triples"]}]


def test_server_errors_name_the_url_and_the_reason(pushed):
    with pytest.raises(EndpointError, match=r"127\.0\.0\.1.*answered with an error|HTTP 400"):
        queries.sparql("SELECT * WHERE { ?s ?p }", endpoint=pushed)


def test_a_server_that_is_down_is_exit_2(capsys):
    url = f"http://127.0.0.1:{_free_port()}/query"
    with pytest.raises(SystemExit) as exit_:
        main(["query", "twins", "--endpoint", url])
    assert exit_.value.code == 2
    assert f"Error: {url}: cannot connect" in capsys.readouterr().err


# --- fake servers: what the client sends, and slow answers -------------------------------


class Recorder(http.server.BaseHTTPRequestHandler):
    seen: list = []
    delay = 0.0

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        Recorder.seen.append((self.command, self.path, dict(self.headers), body))
        time.sleep(Recorder.delay)
        doc = {
            "head": {"vars": ["x"]},
            "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]},
        }
        data = json.dumps(doc).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def fake():
    Recorder.seen, Recorder.delay = [], 0.0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/sparql"
    httpd.shutdown()
    httpd.server_close()


def test_basic_auth_comes_from_the_environment(fake, monkeypatch):
    monkeypatch.setenv("ALLIANCE_GRAPH_USER", "reader")
    monkeypatch.setenv("ALLIANCE_GRAPH_PASSWORD", "s3cret")
    assert queries.sparql("SELECT ?x WHERE { }", endpoint=fake).rows == [{"x": "1"}]
    (_, _, headers, _), *_ = Recorder.seen
    assert headers["Authorization"] == "Basic cmVhZGVyOnMzY3JldA=="  # reader:s3cret


def test_long_queries_go_by_post(fake):
    queries.sparql("SELECT ?x WHERE { }", endpoint=fake)
    queries.sparql("SELECT ?x WHERE { }" + " " * 3000 + "# long", endpoint=fake)
    assert [method for method, *_ in Recorder.seen] == ["GET", "POST"]
    assert b"query=" in Recorder.seen[1][3]


def test_a_slow_server_times_out_with_exit_2(fake, capsys):
    Recorder.delay = 3.0
    with pytest.raises(SystemExit) as exit_:
        main(["sparql", "SELECT ?x WHERE { }", "--endpoint", fake, "--timeout", "0.5"])
    assert exit_.value.code == 2
    assert "no answer within 0.5 s" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("endpoint", "store"),
    [
        ("http://localhost:7878/query", "http://localhost:7878/store"),
        ("http://localhost:3030/ds/sparql", "http://localhost:3030/ds/data"),
        ("http://localhost:3030/ds/query", "http://localhost:3030/ds/data"),
        ("http://localhost:8890/sparql", "http://localhost:8890/sparql-graph-crud-auth"),
        (
            "http://localhost:7200/repositories/ag",
            "http://localhost:7200/repositories/ag/rdf-graphs/service",
        ),
    ],
)
def test_graph_store_url_of_known_servers(endpoint, store):
    assert graph_store_url(endpoint) == store


def test_unknown_layouts_ask_for_the_store_url():
    with pytest.raises(UsageError, match="--store"):
        graph_store_url("http://localhost/some/deep/path/endpoint")


def test_the_catalogue_prints_the_same_bytes_in_process_and_on_the_server(pushed, capsys):
    # GROUP_CONCAT lists come sorted and decimals in their canonical form, so the same
    # saved query prints the same CSV, JSON and SPARQL JSON bytes on either engine.
    def printed(name, params, fmt, *where):
        argv = ["query", name, "--format", fmt, *where]
        for k, v in params.items():
            argv += ["-p", f"{k}={v}"]
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        out = capsys.readouterr()
        assert exit_.value.code == 0, out.err
        return out.out.encode()

    compared = 0
    for q in queries.catalogue():
        if q.form != "SELECT":
            continue
        for params in [q.example, *EXTRA.get(q.name, [])]:
            for fmt in ("csv", "json", "sparql-json"):
                local = printed(q.name, params, fmt)
                remote = printed(q.name, params, fmt, "--endpoint", pushed)
                assert remote == local, (q.name, params, fmt)
                compared += 1
    assert compared >= 3 * len(queries.catalogue())


def test_list_cells_are_sorted_and_decimals_canonical():
    from alliance_graph.queries.results import Result, canonical_decimal, json_term, sorted_lists

    assert [canonical_decimal(x) for x in ("15.0", "15", "00.50", "-0.0", "1e3x")] == [
        "15", "15", "0.5", "0", "1e3x"
    ]
    dec = ox.Literal("15.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    assert json_term(dec)["value"] == "15"
    cell = ox.Literal("b; a; c", language="en")
    result = Result("SELECT", ["x"], [{"x": cell}])
    tidy = sorted_lists(result, {"x": "; "}).solutions[0]["x"]
    assert (tidy.value, tidy.language) == ("a; b; c", "en")
