"""Visitors' SPARQL on the web server runs in pre-forked worker processes (issue 15: "a slow
or huge query cannot take the server down"): the workers are reused between requests, a
query past the time limit or the memory bound is stopped with its worker, the server
answers the next query, and the workers end with the server."""

from __future__ import annotations

import os
import time

import pytest
from starlette.testclient import TestClient

from alliance_graph.cli import main
from alliance_graph.web import Settings, create_app

CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
LABELS = (
    "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
    "ORDER BY ?s ?l LIMIT 5"
)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def labels_in_process(app) -> list:
    """The same query on the server's store, evaluated here, without the server."""
    store = app.state.backend.store
    return [(s["s"].value, s["l"].value) for s in store.query(LABELS)]


def test_visitor_queries_run_in_reused_workers():
    app = create_app(Settings())
    with TestClient(app) as c:
        answers = [c.get("/sparql", params={"query": LABELS, "format": "json"}) for _ in range(10)]
        pids = app.state.backend.pool.pids()
        assert all(a.status_code == 200 for a in answers)
        rows = [
            (b["s"]["value"], b["l"]["value"]) for b in answers[0].json()["results"]["bindings"]
        ]
        assert rows == labels_in_process(app) and len(rows) == 5
        assert all(a.json() == answers[0].json() for a in answers)
        # one client, one query at a time: one worker answered all ten, not the server
        assert len(pids) == 1 and pids[0] != os.getpid()
    assert not alive(pids[0])  # the workers end with the server


def test_a_query_past_the_memory_bound_stops_but_the_server_answers():
    app = create_app(Settings(max_memory=300 << 20, timeout=120, row_cap=10**9))
    with TestClient(app) as c:
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        (first,) = app.state.backend.pool.pids()
        huge = c.get("/sparql", params={"query": CROSS, "format": "json"})
        assert huge.status_code == 400
        assert "needed more than" in huge.json()["reason"]
        assert not alive(first)
        again = c.get("/sparql", params={"query": LABELS, "format": "json"})
        assert again.status_code == 200
        assert len(again.json()["results"]["bindings"]) == 5
        assert app.state.backend.pool.pids() != [first]


def test_a_timed_out_query_leaves_nothing_running():
    app = create_app(Settings(timeout=0.5, row_cap=10**9))
    with TestClient(app) as c:
        c.get("/sparql", params={"query": "ASK {}"})
        (first,) = app.state.backend.pool.pids()
        start = time.monotonic()
        slow = c.get("/sparql", params={"query": CROSS, "format": "json"})
        assert slow.status_code == 503
        assert time.monotonic() - start < 3.0
        assert not alive(first)  # killed at the limit, not left to finish
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_the_pages_own_queries_do_not_use_the_workers():
    app = create_app(Settings())
    with TestClient(app) as c:
        page = c.get("/resource/Renault", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Renault" in page.text
        assert "pool" not in app.state.backend.__dict__  # no worker was ever forked


def test_serve_names_a_bad_memory_bound(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--max-memory", "lots", "--port", "0"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--max-memory" in err and "'lots'" in err
    assert "Traceback" not in err


def test_saved_queries_on_the_users_files_run_in_workers_with_the_same_answers():
    """With --data (the user's files, here the shipped ones given by name) a saved query
    runs in a worker, bounded like a visitor's query; its answer is the one the server on
    the shipped data computes in process."""
    from alliance_graph import resources

    params = {"date": "2015-06-30", "reading": "as-of"}
    given = create_app(Settings(data=tuple(str(p) for p in resources.data_files())))
    with TestClient(given) as c, TestClient(create_app(Settings())) as shipped:
        theirs = c.get("/api/queries/stakes-on-date", params=params)
        ours = shipped.get("/api/queries/stakes-on-date", params=params)
        bad = c.get("/api/queries/stakes-on-date", params={"date": "30 June 2015"})
        pids = given.state.backend.pool.pids()
    assert theirs.status_code == 200 and ours.status_code == 200
    assert theirs.json() == ours.json() and len(ours.json()) > 10
    assert len(pids) == 1 and pids[0] != os.getpid()
    assert bad.status_code == 400 and "parameter 'date'" in bad.json()["reason"]
