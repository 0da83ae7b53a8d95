"""Entity pages keep each entity's facts per backend (web.entity_view.FactCache) and each
fact's day-independent HTML: a page seen before answers without a query, on any day the
same bytes as a server that never saw it, and over a remote endpoint nothing is kept."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from alliance_graph.web import Settings, create_app, entity_view

HTML = {"Accept": "text/html"}


def badges(page: str) -> list[str]:
    return re.findall(r'<span class="badge">([^<]*)</span>', page)


@pytest.fixture(scope="module")
def kept():
    app = create_app(Settings())
    with TestClient(app) as c:
        yield app, c


def test_a_kept_page_is_the_page_a_fresh_server_renders_on_every_day(kept):
    app, c = kept
    days = ["2001-06-30", "2019-07-01", "2001-06-30", "2012-06"]
    seen = [c.get(f"/resource/NissanMotor?at={d}", headers=HTML).text for d in days]
    with TestClient(create_app(Settings())) as fresh:
        for day, page in zip(days, seen, strict=True):
            entity_view.forget(fresh.app.state.backend)
            assert page == fresh.get(f"/resource/NissanMotor?at={day}", headers=HTML).text
    # not vacuous: the days differ in what is certain
    assert badges(seen[0]).count("certain") != badges(seen[1]).count("certain")
    assert seen[0] == seen[2]


def test_a_page_seen_before_runs_no_query(kept, monkeypatch):
    app, c = kept
    backend = app.state.backend
    first = c.get("/resource/Renault?at=2015", headers=HTML)
    assert first.status_code == 200
    calls = []
    real = backend.sparql

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(backend, "sparql", counting)
    again = c.get("/resource/Renault?at=2019", headers=HTML)
    assert again.status_code == 200 and "Renault" in again.text
    assert calls == []
    entity_view.forget(backend)
    c.get("/resource/Renault?at=2019", headers=HTML)
    assert len(calls) == 4  # read again: its four queries


def test_nothing_is_kept_over_a_remote_endpoint():
    class Remote:  # a backend over an endpoint: no embedded store
        store = None

        def __init__(self):
            self.calls = 0

        def sparql(self, text, **kwargs):
            self.calls += 1
            label = {"p": "http://www.w3.org/2000/01/rdf-schema#label", "o": "Renault"}

            class Answer:  # a label for the entity's own statements, nothing else
                rows = [label] if "SELECT ?p ?o ?oLang ?oLabel" in text else []

            return Answer()

    remote = Remote()
    iri = "https://w3id.org/alliance-graph/resource/Renault"
    assert entity_view.facts_of(remote, iri)["label"] == "Renault"
    assert entity_view.facts_of(remote, iri)["label"] == "Renault"
    assert remote.calls == 8  # four queries each time
