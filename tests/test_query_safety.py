"""The safety rules of the query commands, each with a test that fails without it:
parameters are values, never query text; nothing writes; nothing in process reaches the
network; results and time are bounded."""

from __future__ import annotations

import socket
import threading

import pyoxigraph as ox
import pytest

from alliance_graph import queries
from alliance_graph.cli import main
from alliance_graph.errors import (
    DataFileError,
    NetworkRefusedError,
    ParameterError,
    QueryError,
    QueryTimeoutError,
    ReadOnlyError,
)
from alliance_graph.store import open_store

NASTY = (
    'x" } ; DROP ALL ; INSERT DATA { <urn:a> <urn:b> "c" } #\n'
    'SELECT * WHERE { ?s ?p ?o } \'\'\' """ \\" \\u0022 \\\\u0022 \r\t { } ; . '
    "DELETE WHERE { ?s ?p ?o } <urn:x> ?y $z 😀"
)

ECHO = """\
#+ summary: Echo
#+ description: Returns its parameters, to show they are values and never query text.
#+ params:
#+   - {name: text, type: string, description: any text}
#+   - {name: who, type: iri, optional: true, description: any IRI}
#+ example: {text: hello}

SELECT ?echo ?length ?who
WHERE {
  BIND(?_text AS ?echo)
  BIND(STRLEN(?_text) AS ?length)
  BIND(COALESCE(?__who_iri, "none") AS ?who)
}
"""


class Listener:
    """A TCP port that records who connects (and closes at once): proof of contact."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def echo(tmp_path):
    (tmp_path / "echo.rq").write_text(ECHO)
    return queries.get("echo", folder=tmp_path)


def fingerprint(store) -> list[str]:
    return sorted(str(q) for q in store.quads_for_pattern(None, None, None))


# --- parameters are values ---------------------------------------------------------


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_value_full_of_quotes_braces_and_keywords_is_just_a_value(echo, engine):
    store = open_store()
    before = fingerprint(store)
    options = {"store": store} if engine == "oxigraph" else {"engine": "rdflib"}
    (row,) = queries.run(echo, {"text": NASTY}, **options).rows
    assert row["echo"] == NASTY
    assert row["length"] == len(NASTY)
    assert fingerprint(store) == before


def test_the_bound_text_holds_one_escaped_literal(echo):
    text = echo.bind({"text": NASTY})
    values = text[text.index("VALUES") :].splitlines()[0]
    # One line: the newline and carriage return of the value are escaped, not copied.
    assert values.startswith('VALUES (?_text) { ("x\\" } ; DROP ALL')
    assert values.endswith('😀") }')


def test_an_iri_parameter_cannot_carry_query_text(echo):
    for attack in ("urn:x> } ; DROP ALL ; <urn:y", "res:Renault> . ?s ?p ?o", 'a"b'):
        with pytest.raises(ParameterError, match="'who'"):
            queries.run(echo, {"text": "t", "who": attack})


def test_catalogue_parameters_reject_what_they_do_not_allow():
    with pytest.raises(ParameterError, match="'reading'.*not an allowed value"):
        queries.run("stakes-on-date", {"date": "2003-06-30", "reading": NASTY})
    with pytest.raises(ParameterError, match="'date' expects date"):
        queries.run("stakes-on-date", {"date": '2003-06-30"^^<urn:x> } ; DROP ALL #'})


# --- read-only --------------------------------------------------------------------------

UPDATES = [
    'INSERT DATA { <urn:a> <urn:b> "c" }',
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP DEFAULT",
    "CREATE GRAPH <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "MOVE DEFAULT TO <urn:g>",
    "COPY DEFAULT TO <urn:g>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "insert data { <urn:a> <urn:b> <urn:c> }",
    # an update hidden after a query, or behind a \\u escape some engines expand first
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
    "PREFIX ag: <urn:x#> SELECT * WHERE { ?s ?p ?o } ; CLEAR DEFAULT",
    "\\u0044ROP ALL",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_before_anything_runs(update, listener):
    store = open_store()
    before = fingerprint(store)
    with pytest.raises(ReadOnlyError, match="read-only"):
        queries.sparql(update, store=store)
    assert fingerprint(store) == before
    # Refused before contacting an endpoint too.
    with pytest.raises(ReadOnlyError):
        queries.sparql(update, endpoint=listener.url)
    assert listener.hits == 0


def test_cli_refuses_updates_with_exit_2_and_leaves_the_data_file_alone(
    data_copy, listener, capsys
):
    before = data_copy.read_bytes()
    for args in (
        ["sparql", "DELETE WHERE { ?s ?p ?o }", "--data", str(data_copy)],
        ["sparql", "CLEAR ALL", "--endpoint", listener.url],
    ):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        assert exit_.value.code == 2
        assert "read-only" in capsys.readouterr().err
    assert data_copy.read_bytes() == before
    assert listener.hits == 0


@pytest.mark.parametrize(
    "harmless",
    [
        'SELECT ("DROP ALL; INSERT DATA {}" AS ?x) WHERE {}',
        "SELECT ?s WHERE { ?s <urn:DELETE> ?o } # then DROP ALL",
        "PREFIX ex: <urn:ex#> SELECT ?s WHERE { ?s ex:INSERT ?o }",
        "SELECT ?s WHERE { ?s ?p '''CLEAR\nDEFAULT''' }",
    ],
)
def test_update_words_inside_strings_iris_and_comments_are_not_updates(harmless):
    assert queries.sparql(harmless).form == "SELECT"


# --- no network or file system in process -------------------------------------------------


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_service_and_from_are_refused_in_process(listener, engine):
    for text in (
        f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ):
        with pytest.raises(NetworkRefusedError, match="--allow-network"):
            queries.sparql(text, engine=engine)
    assert listener.hits == 0


def test_allow_network_is_the_explicit_way_out(listener):
    # pyoxigraph does call SERVICE endpoints: the flag is what lets it.
    with pytest.raises(QueryError, match="the query failed"):
        queries.sparql(
            f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}", allow_network=True
        )
    assert listener.hits == 1


def test_rdflib_engine_is_guarded_even_past_the_keyword_check(listener, graph):
    # The audit hook stops rdflib's own HTTP calls, whatever the query text looked like.
    text = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    with pytest.raises(NetworkRefusedError, match="urllib.Request|socket.connect"):
        queries.run_rdflib(graph, text, timeout=10, check_first=False)
    assert listener.hits == 0


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_remote_json_ld_contexts_are_not_fetched(tmp_path, listener, engine):
    doc = tmp_path / "remote-context.jsonld"
    doc.write_text(
        f'{{"@context": "http://127.0.0.1:{listener.port}/context.jsonld", '
        '"@id": "urn:x:a", "name": "A"}'
    )
    with pytest.raises(DataFileError, match="remote-context.jsonld"):
        queries.sparql("SELECT * WHERE { ?s ?p ?o }", data=[doc], engine=engine)
    assert listener.hits == 0


# --- bounded results and time --------------------------------------------------------------


def test_tables_stop_at_1000_rows_and_say_so(capsys):
    with pytest.raises(SystemExit) as exit_:
        # One-line cells: a table wraps long ones over several lines.
        main(["sparql", "SELECT (STRLEN(STR(?o)) AS ?n) WHERE { ?s ?p ?o }"])
    assert exit_.value.code == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1000 + 2  # header and rule
    assert "truncated: showing the first 1000 results" in err
    with pytest.raises(SystemExit):
        main(["sparql", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--format", "csv"])
    out, err = capsys.readouterr()
    assert len(out.splitlines()) > 4000 and "truncated" not in err


def _query_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "alliance-graph-query"]


def test_in_process_queries_time_out_and_stop(capsys):
    # 4 000 x 4 000 solutions, converted one by one: far more than 0.2 s of work.
    heavy = "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y }"
    with pytest.raises(QueryTimeoutError, match="did not finish within 0.2 s"):
        queries.sparql(heavy, timeout=0.2)
    # The worker stops at its next solution instead of running on in the background.
    for worker in _query_threads():
        worker.join(30)
    assert not _query_threads()
    with pytest.raises(SystemExit) as exit_:
        main(["sparql", heavy, "--timeout", "0.2", "--format", "csv"])
    assert exit_.value.code == 2
    assert "did not finish within 0.2 s" in capsys.readouterr().err


def test_timeout_also_bounds_rdflib(graph):
    heavy = "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y }"
    with pytest.raises(QueryTimeoutError):
        queries.sparql(heavy, graph=graph, timeout=0.2)
    for worker in _query_threads():
        worker.join(60)
    assert not _query_threads()


def test_literal_results_keep_their_terms():
    # A bound value comes back as the same RDF term, not a re-parsed string.
    result = queries.sparql('SELECT ?x WHERE { BIND("a\\"b"@en AS ?x) }')
    assert result.solutions[0]["x"] == ox.Literal('a"b', language="en")


# --- the network check is decided from the parsed query (issue 10, item 1) -------------

# Lexical traps around the operations that must be refused: an escaped local name, codepoint
# escapes, comments and strings that a keyword lexer could misread.
TRAPS = [
    "FILTER(?o != ex:a\\#)",
    "FILTER(?o != ex:a\\')",
    'FILTER(?o != ex:a\\")',
    "FILTER(?o != ex:a\\.b)",
    'FILTER(?o != "\\u005C")',
    'FILTER(?o != "a\\u0022")',
    'FILTER(?o != """x"y""")',
    "FILTER(?o != '''x'y''')",
    "FILTER(?o != <http://ex/a\\u0023b>)",
    "# a comment \\u000A",
    'FILTER(?o != "x#y")',
    "FILTER(?o != ex:\\%41)",
]


@pytest.mark.parametrize("trap", TRAPS)
def test_service_behind_a_lexical_trap_is_refused(trap, listener):
    text = (
        "PREFIX ex: <http://ex/>\n"
        f"SELECT * WHERE {{ ?s ?p ?o {trap} SERVICE <{listener.url}> {{ ?a ?b ?c }} }}"
    )
    with pytest.raises((NetworkRefusedError, QueryError)):
        queries.sparql(text)
    assert listener.hits == 0


@pytest.mark.parametrize("trap", TRAPS[:4])
def test_from_and_updates_behind_a_trap_are_refused(trap, listener):
    from_text = (
        f"PREFIX ex: <http://ex/>\nSELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o {trap} }}"
    )
    with pytest.raises((NetworkRefusedError, QueryError)):
        queries.sparql(from_text)
    update = f"PREFIX ex: <http://ex/>\nDELETE WHERE {{ ?s ?p ?o {trap} }}"
    with pytest.raises((ReadOnlyError, QueryError)):
        queries.sparql(update)
    assert listener.hits == 0


def test_the_check_fuzzed_with_the_grammar_s_escapes_never_lets_a_service_through(listener):
    """Seeded: queries built from the grammar's strings, IRIs, escaped local names,
    codepoint escapes and comments around a SERVICE. Whatever the check lets through is
    run for real by pyoxigraph; the listener must never be reached."""
    import random

    rng = random.Random(20261201)
    pieces = [
        '"a"',
        "'b'",
        '"""c"d"""',
        "'''e'f'''",
        '"\\u0022"',
        '"\\\\u0022"',
        '"\\u005C"',
        "<http://ex/x>",
        "<http://ex/\\u0078>",
        "ex:a",
        "ex:a\\#",
        "ex:a\\'",
        "ex:a\\.",
        "ex:\\-b",
        "ex:a%20",
        "?v",
        "1",
        "# comment\n",
        "#\\u000A\n",
        "\\u0023",
        "\\u0022",
        "\\u0027",
        "\\u005C",
        "\\\\",
    ]
    store = open_store([], ontology=False)
    passed = 0
    for _ in range(120):
        before = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
        text = (
            "PREFIX ex: <http://ex/>\n"
            f"SELECT * WHERE {{ BIND({before} AS ?z) SERVICE <{listener.url}> {{ ?a ?b ?c }} }}"
        )
        try:
            queries.sparql(text, store=store, timeout=5)
        except (NetworkRefusedError, QueryError, ReadOnlyError):
            continue
        passed += 1
    assert listener.hits == 0
    assert passed == 0  # every one of them holds a SERVICE: none may run


# --- a runaway query is stopped, not left running (issue 10, item 11) --------------------

CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_timeout_stops_the_work(engine):
    import multiprocessing
    import time

    start = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="it was stopped"):
        queries.sparql(CROSS, engine=engine, timeout=1.5)
    assert time.monotonic() - start < 10
    # The child that ran the query is gone: nothing goes on in the background.
    assert multiprocessing.active_children() == []


def test_a_memory_limit_ends_a_query_with_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["sparql", CROSS, "--max-memory", "300M", "--timeout", "120"])
    assert exit_.value.code == 2
    assert "needed more than" in capsys.readouterr().err


def test_a_catastrophic_regex_on_rdflib_stops_at_the_timeout():
    import time

    text = 'SELECT * WHERE { BIND("' + "a" * 40 + '!" AS ?x) FILTER(REGEX(?x, "^(a+)+$")) }'
    start = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        queries.sparql(text, engine="rdflib", timeout=1.5)
    assert time.monotonic() - start < 10
