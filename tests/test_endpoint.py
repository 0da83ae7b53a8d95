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


# The comparisons over the whole catalogue are one test per saved query, so that
# pytest-xdist shares them out (each worker starts its own server for this module).
NAMES = sorted(q.name for q in queries.catalogue())
SELECTS = sorted(q.name for q in queries.catalogue() if q.form == "SELECT")


@pytest.mark.parametrize("name", NAMES)
def test_every_saved_query_answers_the_same_remotely_and_in_process(pushed, name):
    q = queries.get(name)
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
        main(
            [
                "query",
                "stakes-on-date",
                "-p",
                "date=2003-06-30",
                "-p",
                "reading=certain",
                "--format",
                "json",
            ]
        )
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


# --- hostile servers (issue 10 items 3-5): loopback only, every wait bounded --------------


class Hostile(http.server.BaseHTTPRequestHandler):
    """Answers as ``Hostile.mode`` says; records what it was sent."""

    mode = "ok"
    seen: list = []
    sent = 0
    redirect_to = ""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        Hostile.seen.append((self.command, self.path, dict(self.headers), body))
        mode = Hostile.mode
        if mode == "silent":
            time.sleep(3)
            return
        if mode == "500":
            self._send(500, b"internal trouble", "text/plain")
        elif mode == "redirect" and not self.path.startswith("/moved"):
            self.send_response(302)
            self.send_header("Location", Hostile.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "wrong-json":
            self._send(200, b'{"head": 5, "results": "no"}')
        elif mode == "bad-iri":
            doc = {
                "head": {"vars": ["x"]},
                "results": {"bindings": [{"x": {"type": "uri", "value": "not an iri"}}]},
            }
            self._send(200, json.dumps(doc).encode())
        elif mode == "huge":
            self._huge()
        else:
            doc = {
                "head": {"vars": ["x"]},
                "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]},
            }
            self._send(200, json.dumps(doc).encode())

    def _send(self, code, data, kind="application/sparql-results+json"):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _huge(self, rows=2_000_000):
        """About 200 MB of SPARQL JSON rows, streamed; counts what got through."""
        row = b'{"x":{"type":"literal","value":"' + b"v" * 60 + b'"}},'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        try:
            self.wfile.write(b'{"head":{"vars":["x"]},"results":{"bindings":[')
            block = row * 1000
            for _ in range(rows // 1000):
                self.wfile.write(block)
                Hostile.sent += len(block)
            self.wfile.write(b'{"x":{"type":"literal","value":"end"}}]}}')
        except OSError:  # the client stopped reading and closed the connection
            pass

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args):
        pass


def _serve(handler):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    return httpd


@pytest.fixture
def hostile():
    Hostile.mode, Hostile.seen, Hostile.sent = "ok", [], 0
    httpd = _serve(Hostile)
    yield f"http://127.0.0.1:{httpd.server_port}/sparql"
    httpd.shutdown()
    httpd.server_close()


class Elsewhere(Recorder):
    """Another origin (another port): must never be reached by a redirect."""


@pytest.fixture
def elsewhere():
    Recorder.seen, Recorder.delay = [], 0.0
    httpd = _serve(Elsewhere)
    yield f"http://127.0.0.1:{httpd.server_port}/steal"
    httpd.shutdown()
    httpd.server_close()


def test_a_silent_server_is_exit_2_within_the_timeout(hostile, capsys):
    Hostile.mode = "silent"
    started = time.monotonic()
    with pytest.raises(SystemExit) as exit_:
        main(["sparql", "SELECT ?x WHERE { }", "--endpoint", hostile, "--timeout", "0.5"])
    assert exit_.value.code == 2
    assert time.monotonic() - started < 2.5
    assert f"{hostile}: no answer within 0.5 s" in capsys.readouterr().err


def test_a_server_error_is_exit_2_naming_the_endpoint(hostile, capsys):
    Hostile.mode = "500"
    with pytest.raises(SystemExit) as exit_:
        main(["sparql", "SELECT ?x WHERE { }", "--endpoint", hostile])
    assert exit_.value.code == 2
    assert f"{hostile}: the server answered HTTP 500" in capsys.readouterr().err


def test_a_redirect_to_another_origin_is_refused_and_sends_nothing_there(
    hostile, elsewhere, monkeypatch
):
    Hostile.mode, Hostile.redirect_to = "redirect", elsewhere
    monkeypatch.setenv("ALLIANCE_GRAPH_USER", "reader")
    monkeypatch.setenv("ALLIANCE_GRAPH_PASSWORD", "s3cret")
    with pytest.raises(EndpointError, match="redirected to another origin"):
        queries.sparql("SELECT ?x WHERE { }", endpoint=hostile)
    assert Recorder.seen == []  # the other server got no request, so no credentials
    assert Hostile.seen[0][2]["Authorization"] == "Basic cmVhZGVyOnMzY3JldA=="


def test_a_redirect_within_the_origin_is_followed(hostile):
    Hostile.mode, Hostile.redirect_to = "redirect", "/moved?query=ASK%7B%7D"
    assert queries.sparql("SELECT ?x WHERE { }", endpoint=hostile).rows == [{"x": "1"}]
    assert [p.split("?")[0] for _, p, _, _ in Hostile.seen] == ["/sparql", "/moved"]


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("wrong-json", "the answer is not valid SPARQL results"),
        ("bad-iri", "the answer is not valid SPARQL results"),
    ],
)
def test_a_malformed_answer_is_exit_2_naming_the_endpoint(hostile, capsys, mode, message):
    Hostile.mode = mode
    with pytest.raises(SystemExit) as exit_:
        main(["sparql", "SELECT ?x WHERE { }", "--endpoint", hostile])
    err = capsys.readouterr().err
    assert exit_.value.code == 2, err
    assert f"{hostile}: {message}" in err
    assert "Traceback" not in err


def test_a_huge_answer_stops_at_the_row_limit(hostile):
    Hostile.mode = "huge"
    result = queries.sparql("SELECT ?x WHERE { }", endpoint=hostile, limit=2)
    assert [r["x"] for r in result.rows] == ["v" * 60] * 2
    assert result.truncated
    time.sleep(0.5)  # let the server notice the closed connection
    assert Hostile.sent < 20_000_000  # of about 200 MB: reading stopped early


def test_a_huge_answer_without_a_limit_stops_at_the_size_cap(hostile):
    from alliance_graph import endpoint

    Hostile.mode = "huge"
    with pytest.raises(EndpointError, match=r"larger than 1 MiB"):
        endpoint.query(hostile, "SELECT ?x WHERE { }", form="SELECT", max_bytes=1024 * 1024)


def test_a_password_in_the_url_is_used_and_never_shown(hostile, capsys):
    secret = hostile.replace("http://", "http://bob:pa%3Ass@")
    queries.sparql("SELECT ?x WHERE { }", endpoint=secret)
    assert Hostile.seen[0][2]["Authorization"] == "Basic Ym9iOnBhOnNz"  # bob:pa:ss
    down = f"http://bob:hunter2@127.0.0.1:{_free_port()}/query"
    for argv in (
        ["sparql", "SELECT ?x WHERE { }", "--endpoint", down],
        ["push", "--endpoint", down],
    ):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        err = capsys.readouterr().err
        assert exit_.value.code == 2
        assert "hunter2" not in err and "bob" not in err
        assert "127.0.0.1" in err


def test_a_password_in_the_environment_endpoint_is_never_shown(capsys, monkeypatch):
    monkeypatch.setenv("ALLIANCE_GRAPH_ENDPOINT", f"http://bob:hunter2@127.0.0.1:{_free_port()}/q")
    with pytest.raises(SystemExit) as exit_:
        main(["query", "twins"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "hunter2" not in err and "cannot connect" in err


@pytest.mark.parametrize("name", SELECTS)
def test_the_catalogue_prints_the_same_bytes_in_process_and_on_the_server(pushed, capsys, name):
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

    q = queries.get(name)
    compared = 0
    for params in [q.example, *EXTRA.get(q.name, [])]:
        for fmt in ("csv", "json", "sparql-json"):
            local = printed(q.name, params, fmt)
            remote = printed(q.name, params, fmt, "--endpoint", pushed)
            assert remote == local, (q.name, params, fmt)
            compared += 1
    assert compared >= 3


def test_the_byte_comparison_covers_the_catalogue():
    # The parametrised test above compares this many outputs over all SELECT queries.
    compared = sum(3 * (1 + len(EXTRA.get(name, []))) for name in SELECTS)
    assert compared >= 3 * len(queries.catalogue())


def test_list_cells_are_sorted_and_decimals_canonical():
    from alliance_graph.queries.results import Result, canonical_decimal, json_term, sorted_lists

    assert [canonical_decimal(x) for x in ("15.0", "15", "00.50", "-0.0", "1e3x")] == [
        "15",
        "15",
        "0.5",
        "0",
        "1e3x",
    ]
    dec = ox.Literal("15.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    assert json_term(dec)["value"] == "15"
    cell = ox.Literal("b; a; c", language="en")
    result = Result("SELECT", ["x"], [{"x": cell}])
    tidy = sorted_lists(result, {"x": "; "}).solutions[0]["x"]
    assert (tidy.value, tidy.language) == ("a; b; c", "en")
