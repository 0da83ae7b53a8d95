"""The web face over HTTP, in process (Starlette's TestClient): the SPARQL 1.1 Protocol,
the saved-query API and its OpenAPI document, Linked Data, the ownership API, the pages,
escaping, security headers and errors."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from starlette.testclient import TestClient

from alliance_graph import queries
from alliance_graph.cli import cli
from alliance_graph.web import Settings, create_app

ROOT = Path(__file__).resolve().parents[1]
AG = Namespace("https://w3id.org/alliance-graph/ontology#")
RES = Namespace("https://w3id.org/alliance-graph/resource/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
JSON_TYPE = "application/sparql-results+json"
LABELS = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?s"
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings())) as c:
        yield c


def cli_output(*args) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


# -- SPARQL 1.1 Protocol -----------------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_json(client):
    expected = queries.sparql(LABELS, limit=None).to_sparql_json()
    got = client.get("/sparql", params={"query": LABELS}, headers={"accept": JSON_TYPE})
    assert got.status_code == 200
    assert got.headers["content-type"].startswith(JSON_TYPE)
    assert got.json() == expected
    form = client.post("/sparql", data={"query": LABELS}, headers={"accept": JSON_TYPE})
    direct = client.post(
        "/sparql",
        content=LABELS.encode(),
        headers={"content-type": "application/sparql-query", "accept": JSON_TYPE},
    )
    assert form.json() == expected
    assert direct.json() == expected
    assert len(expected["results"]["bindings"]) > 50


def test_result_formats_by_accept_and_by_format(client):
    rows = queries.sparql(LABELS, limit=None).rows
    xml = client.get(
        "/sparql", params={"query": LABELS}, headers={"accept": "application/sparql-results+xml"}
    )
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    results = ET.fromstring(xml.content).findall("r:results/r:result", ns)
    assert len(results) == len(rows)
    first = results[0].find("r:binding[@name='s']/r:uri", ns).text
    assert first == rows[0]["s"]

    text = client.get("/sparql", params={"query": LABELS, "format": "csv"}).text
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["s", "l"]
    assert table[1] == [rows[0]["s"], rows[0]["l"]]

    tsv = client.get(
        "/sparql", params={"query": LABELS}, headers={"accept": "text/tab-separated-values"}
    )
    lines = tsv.text.splitlines()
    assert lines[0] == "?s\t?l"
    assert lines[1].startswith(f'<{rows[0]["s"]}>\t"')

    ask = client.get(
        "/sparql", params={"query": f"ASK {{ ?s a <{AG.Company}> }}", "format": "json"}
    )
    assert ask.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    "media, rdflib_format",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_results_are_rdf(client, media, rdflib_format):
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o . FILTER(?s = <{RES.Renault}>) }}"
    expected = queries.sparql(text)
    answer = client.get("/sparql", params={"query": text}, headers={"accept": media})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    g = Graph().parse(data=answer.text, format=rdflib_format)
    assert len(g) == len(expected) > 3
    assert (RES.Renault, RDF.type, AG.Company) in g


def test_a_format_that_cannot_carry_the_result_is_refused(client):
    answer = client.get("/sparql", params={"query": LABELS, "format": "turtle"})
    assert answer.status_code == 400
    assert "turtle" in answer.json()["reason"]
    none = client.get("/sparql", params={"query": LABELS}, headers={"accept": "image/png"})
    assert none.status_code == 406


def test_service_description(client):
    answer = client.get("/sparql", headers={"accept": "text/turtle"})
    assert answer.status_code == 200
    g = Graph().parse(data=answer.text, format="turtle")
    service = next(g.subjects(RDF.type, SD.Service))
    assert (service, SD.endpoint, URIRef("http://testserver/sparql")) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    formats = {str(o) for o in g.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats


def count_triples(client) -> int:
    answer = client.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "format": "json"}
    )
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(
    "request_args",
    [
        {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}},
        {
            "content": b"CLEAR ALL",
            "headers": {"content-type": "application/sparql-update"},
        },
    ],
    ids=["update-param", "insert-as-query", "delete-as-query", "sparql-update-body"],
)
def test_updates_are_refused_and_change_nothing(client, request_args):
    before = count_triples(client)
    answer = client.post("/sparql", **request_args)
    assert answer.status_code == 400
    reason = answer.json()["reason"]
    assert "read-only" in reason
    assert count_triples(client) == before


@pytest.mark.parametrize("word", ["SERVICE", "FROM"])
def test_service_and_from_are_refused(client, word):
    text = (
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
        if word == "SERVICE"
        else "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"
    )
    answer = client.get("/sparql", params={"query": text})
    assert answer.status_code == 400
    assert word in answer.json()["reason"]
    assert "own graph only" in answer.json()["reason"]
    assert "--allow-network" not in answer.json()["reason"]


def test_syntax_errors_are_400_with_the_reason(client):
    answer = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert answer.status_code == 400
    assert "SPARQL" in answer.json()["reason"]
    assert "Traceback" not in answer.text


def test_cors(client):
    answer = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"origin": "https://yasgui.example"}
    )
    assert answer.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={
            "origin": "https://yasgui.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_row_cap_and_request_size_are_bounded():
    settings = Settings(row_cap=5, max_body=2000, max_query=1000)
    with TestClient(create_app(settings)) as small:
        answer = small.get("/sparql", params={"query": LABELS, "format": "json"})
        assert len(answer.json()["results"]["bindings"]) == 5
        assert "5" in answer.headers["x-result-truncated"]
        body = small.post("/sparql", data={"query": "ASK {}" + " " * 3000})
        assert body.status_code == 413
        long = small.get("/sparql", params={"query": "ASK {}" + " " * 1200})
        assert long.status_code == 413
        assert "1000" in long.json()["reason"]
        huge = small.get("/api/queries/twins", params={"x": "y" * 5000})
        assert huge.status_code == 414
        assert "query string" in huge.json()["reason"]


def test_a_slow_query_is_answered_503_within_the_limit():
    # A three-way cross product: the worker process that evaluates it is killed at the
    # limit, so nothing keeps running after the test (tests/test_web_workers.py).
    settings = Settings(timeout=0.5, row_cap=10**9)
    slow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with TestClient(create_app(settings)) as c:
        c.get("/sparql", params={"query": "ASK {}"})  # load the store first
        start = time.monotonic()
        answer = c.get("/sparql", params={"query": slow, "format": "json"})
        elapsed = time.monotonic() - start
    assert answer.status_code == 503
    assert "0.5 s" in answer.json()["reason"]
    assert answer.headers["retry-after"]
    assert elapsed < 3.0


# -- the saved queries as an API -----------------------------------------------------------


def test_the_query_list_is_the_catalogue(client):
    listed = client.get("/api/queries").json()
    assert [q["name"] for q in listed] == [p.stem for p in sorted((ROOT / "queries").glob("*.rq"))]
    stakes = next(q for q in listed if q["name"] == "stakes-on-date")
    assert [p["name"] for p in stakes["parameters"]] == ["date", "reading", "held"]


@pytest.mark.parametrize(
    "name, params",
    [
        ("stakes-on-date", {"date": "2019-07-01", "reading": "possible"}),
        ("stakes-on-date", {"date": "2003-06-30", "held": "NissanMotor"}),
        ("stake-history", {"holder": "Renault", "held": "NissanMotor"}),
        ("members-on-date", {"date": "2018-01-01"}),
    ],
)
def test_same_answers_as_the_query_command(client, name, params):
    args = [a for k, v in params.items() for a in ("-p", f"{k}={v}")]
    expected_json = json.loads(cli_output("query", name, *args, "--format", "json"))
    expected_csv = cli_output("query", name, *args, "--format", "csv")
    got = client.get(f"/api/queries/{name}", params=params)
    assert got.status_code == 200
    assert got.json() == expected_json
    assert len(expected_json) > 0
    as_csv = client.get(f"/api/queries/{name}", params={**params, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text == expected_csv
    by_accept = client.get(f"/api/queries/{name}", params=params, headers={"accept": "text/csv"})
    assert by_accept.text == expected_csv


def test_a_construct_query_answers_rdf(client):
    expected = cli_output(
        "query", "entity-graph", "-p", "entity=NissanDiesel", "--format", "ntriples"
    )
    answer = client.get(
        "/api/queries/entity-graph",
        params={"entity": "NissanDiesel"},
        headers={"accept": "application/n-triples"},
    )
    g1 = Graph().parse(data=answer.text, format="nt")
    g2 = Graph().parse(data=expected, format="nt")
    assert len(g1) == len(g2) > 10


@pytest.mark.parametrize(
    "params, named, expects",
    [
        ({"date": "30 June 2003"}, "date", "date"),
        ({"date": "2003-02-30"}, "date", "date"),
        ({"date": "2003-06-30", "reading": "maybe"}, "reading", "certain, possible"),
        ({"date": "2003-06-30", "colour": "red"}, "colour", "date"),
        ({}, "date", "date"),
    ],
)
def test_a_bad_value_is_400_naming_the_parameter_and_its_type(client, params, named, expects):
    answer = client.get("/api/queries/stakes-on-date", params=params)
    assert answer.status_code == 400
    reason = answer.json()["reason"]
    assert repr(named) in reason
    assert expects in reason


def test_a_reversed_period_is_400_in_the_web_words(client):
    answer = client.get("/api/queries/events-in-period", params={"from": "2018", "to": "2017"})
    assert answer.status_code == 400
    reason = answer.json()["reason"]
    assert "'to' (2017)" in reason and "'from' (2018)" in reason and "-p " not in reason


def test_an_unknown_query_is_404(client):
    answer = client.get("/api/queries/no-such-query")
    assert answer.status_code == 404
    assert "no saved query" in answer.json()["reason"]


def test_the_openapi_document_is_valid_and_follows_the_headers(client):
    from openapi_spec_validator import validate

    doc = client.get("/api/openapi.json").json()
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    # Independently of the code: the header of the .rq file, read as YAML here.
    text = (ROOT / "queries" / "stakes-on-date.rq").read_text()
    header = yaml.safe_load("\n".join(ln[2:] for ln in text.splitlines() if ln.startswith("#+")))
    op = doc["paths"]["/api/queries/stakes-on-date"]["get"]
    assert op["summary"] == header["summary"].strip()
    params = {p["name"]: p for p in op["parameters"]}
    # grlc's own decorators (issue 16): enumerate and defaults, lists of one-key maps
    enumerate_ = {k: v for d in header["enumerate"] for k, v in d.items()}
    defaults = {k: v for d in header["defaults"] for k, v in d.items()}
    assert params["reading"]["schema"]["enum"] == enumerate_["reading"]
    assert params["reading"]["schema"]["default"] == defaults["reading"]
    assert params["date"]["schema"] == {"type": "string", "format": "date"}
    assert params["date"]["required"] is True
    assert params["held"]["required"] is False
    assert params["date"]["example"] == header["example"]["date"]
    for q in queries.catalogue():
        assert f"/api/queries/{q.name}" in doc["paths"]


# -- the ownership API ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, params, command",
    [
        ("stake", {"holder": "Renault", "held": "Nissan", "at": "2015-06-30"},
         ["stake", "Renault", "Nissan", "--at", "2015-06-30"]),
        ("integrated", {"holder": "Renault", "held": "Nissan", "at": "2017-06-30"},
         ["integrated", "Renault", "Nissan", "--at", "2017-06-30"]),
        ("control", {"held": "Mitsubishi Motors", "at": "2019"},
         ["control", "Mitsubishi Motors", "--at", "2019"]),
        ("timeline", {"holder": "Renault", "held": "Nissan"}, ["timeline", "Renault", "Nissan"]),
        ("paths", {"holder": "Renault", "held": "Mitsubishi Motors", "at": "2019-07-01"},
         ["paths", "Renault", "Mitsubishi Motors", "--at", "2019-07-01"]),
    ],
)  # fmt: skip
def test_ownership_records_are_those_the_cli_prints(client, path, params, command):
    expected = json.loads(cli_output("ownership", *command, "--format", "json"))
    answer = client.get(f"/api/ownership/{path}", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.json() == expected


def test_the_stake_of_renault_in_nissan_in_2015(client):
    # Renault's board reported 43.4% of Nissan on 2015-04-30 (data/alliance.ttl cites it).
    record = client.get(
        "/api/ownership/stake",
        params={"holder": "Renault", "held": "Nissan Motor", "at": "2015-06-30"},
    ).json()
    assert record["percent"] == 43.4


def test_ownership_errors_name_the_parameter(client):
    missing = client.get("/api/ownership/stake", params={"holder": "Renault"})
    assert missing.status_code == 400
    assert "'held'" in missing.json()["reason"]
    # An unknown name is a bad value of a parameter, as in the saved queries' API: the
    # same status, the parameter named, and the hint a visitor can follow.
    unknown = client.get("/api/ownership/stake", params={"holder": "Renault", "held": "Toyota"})
    in_query = client.get("/api/queries/stakes-on-date", params={"date": "2012", "held": "Toyota"})
    assert unknown.status_code == in_query.status_code == 400
    for answer in (unknown, in_query):
        reason = answer.json()["reason"]
        assert "parameter 'held'" in reason and "Toyota" in reason
        assert "/api/suggest" in reason and "alliance-graph entities" not in reason
    reading = client.get("/api/ownership/control", params={"held": "Nissan", "reading": "sure"})
    assert reading.status_code == 400
    assert "'reading'" in reading.json()["reason"]
    day = client.get("/api/ownership/control", params={"held": "Nissan", "at": "2023-02-30"})
    assert day.status_code == 400
    assert day.json()["reason"].startswith("parameter 'at'") and "--at" not in day.text
    extra = client.get("/api/ownership/control", params={"held": "Nissan", "foo": "bar"})
    assert extra.status_code == 400 and "'foo'" in extra.json()["reason"]
    # Every parameter the OpenAPI document declares is taken.
    spec = client.get("/api/openapi.json").json()
    declared = [p["name"] for p in spec["paths"]["/api/ownership/paths"]["get"]["parameters"]]
    everything = {"holder": "Renault", "held": "Nissan Motor", "at": "2012", "reading": "as-of",
                  "interest": "economic", "limit": "5"}  # fmt: skip
    assert sorted(declared) == sorted(everything)
    assert client.get("/api/ownership/paths", params=everything).status_code == 200


# -- Linked Data --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "media, ext, rdflib_format",
    [
        ("text/turtle", "ttl", "turtle"),
        ("application/ld+json", "jsonld", "json-ld"),
        ("application/n-triples", "nt", "nt"),
        ("application/rdf+xml", "rdf", "xml"),
    ],
)
def test_resources_dereference_by_content_negotiation(client, media, ext, rdflib_format):
    answer = client.get("/resource/MitsubishiMotors", headers={"accept": media})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    assert answer.headers["content-location"] == f"/resource/MitsubishiMotors.{ext}"
    assert "Accept" in answer.headers["vary"]
    assert 'rel="alternate"; type="text/turtle"' in answer.headers["link"]
    g = Graph().parse(data=answer.text, format=rdflib_format)
    assert (RES.MitsubishiMotors, RDF.type, AG.Company) in g
    # the statement nodes hanging off it, with their own triples and citations
    stake = RES["stake-nissan-mmc-2016"]
    assert (stake, AG.held, RES.MitsubishiMotors) in g
    assert (stake, AG.percent, None) in g
    assert any(g.objects(stake, AG.citation))
    same = client.get(f"/resource/MitsubishiMotors.{ext}")
    assert Graph().parse(data=same.text, format=rdflib_format).isomorphic(g)


def test_browsers_get_the_page(client):
    answer = client.get(
        "/resource/MitsubishiMotors",
        headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-location"] == "/resource/MitsubishiMotors.html"
    assert "<h1>Mitsubishi Motors</h1>" in answer.text


def test_sources_and_ontology_terms_dereference(client):
    source = client.get("/source/bloomberg-2016-10-21", headers={"accept": "text/turtle"})
    g = Graph().parse(data=source.text, format="turtle")
    src = URIRef("https://w3id.org/alliance-graph/source/bloomberg-2016-10-21")
    assert (src, RDF.type, AG.Source) in g
    onto = client.get("/ontology", headers={"accept": "text/turtle"})
    assert onto.headers["content-location"] == "/ontology.ttl"
    og = Graph().parse(data=onto.text, format="turtle")
    assert (AG.Shareholding, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in og
    page = client.get("/ontology", headers=HTML)
    assert 'id="Shareholding"' in page.text
    # Each term with its label and its definition, as the ontology file gives them.
    term = page.text[page.text.index('id="Shareholding"') :]
    term = term[: term.index("</dd>")]
    definition = og.value(AG.Shareholding, URIRef("http://www.w3.org/2004/02/skos/core#definition"))
    assert definition and "<strong>shareholding</strong>" in term
    assert str(definition).replace("'", "&#39;") in term


def test_an_unknown_resource_is_404(client):
    answer = client.get("/resource/NoSuchThing", headers={"accept": "text/turtle"})
    assert answer.status_code == 404
    page = client.get("/resource/NoSuchThing", headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "NoSuchThing" in page.text


# -- pages ----------------------------------------------------------------------------------


def test_home_counts_what_the_data_holds(client, graph):
    page = client.get("/", headers=HTML).text
    companies = len(set(graph.subjects(RDF.type, AG.Company)))
    assert f'<td>company</td><td class="num">{companies}</td>' in page
    assert f"{len(graph):,} triples" in page
    assert 'href="/explorer?at=2019-07-01"' in page


def test_search_and_suggestions(client):
    hits = client.get("/api/suggest", params={"q": "nissan"}).json()
    iris = [h["iri"] for h in hits]
    assert str(RES.NissanMotor) in iris
    assert all("nissan" in (h["label"] + h["iri"]).lower() for h in hits)
    page = client.get("/search", params={"q": "Nissan"}, headers=HTML).text
    assert '<a href="/resource/NissanMotor">Nissan Motor</a>' in page
    assert 'names <a href="/resource/NissanMotor">' in page  # "Nissan" is its alt label


def fact_of(page: str, label: str) -> str:
    """The HTML of the fact whose heading holds ``label``."""
    for block in page.split('<article class="fact')[1:]:
        heading = block[block.index("<h3>") : block.index("</h3>")]
        if label in heading:
            return block[: block.index("</article>")]
    raise AssertionError(f"no fact headed {label!r}")


def test_entity_page_facts_certainty_and_citations(client):
    page = client.get("/resource/MitsubishiMotors", params={"at": "2019-07-01"}, headers=HTML).text
    assert "Stakes received" in page
    # The 34% stake held from 2016-10-20 to 2024-11-08 is certain on 2019-07-01 ...
    fact = fact_of(page, "Nissan in Mitsubishi Motors, 34%")
    assert "certain</span> on 2019-07-01" in fact
    assert "start 2016-10-20" in fact and "end 2024-11-08" in fact
    assert "Bloomberg on Nissan completing its Mitsubishi Motors purchase" in fact
    # ... and the article's "majority" claim is shown with its rank and the reason.
    claim = fact_of(page, "a majority stake (the article")
    assert "deprecated" in claim
    assert "Why this rank" in claim
    assert "Competes with" in claim
    assert 'href="/resource/NissanMotor"' in page
    assert 'href="/resource/MitsubishiMotors.ttl"' in page
    before = client.get("/resource/MitsubishiMotors", params={"at": "2010-01-01"}, headers=HTML)
    fact = fact_of(before.text, "Nissan in Mitsubishi Motors, 34%")
    assert "not valid</span> on 2010-01-01" in fact


def test_a_bad_day_is_400_naming_the_parameter(client):
    answer = client.get("/resource/Renault", params={"at": "yesterday"}, headers=HTML)
    assert answer.status_code == 400
    assert "parameter &#39;at&#39;" in answer.text or "parameter 'at'" in answer.text


def test_query_form_has_typed_labelled_inputs(client):
    page = client.get("/queries/stakes-on-date", headers=HTML).text
    assert '<label for="p-date">' in page
    assert 'id="p-date" name="date" type="date" value="2003-06-30" required' in page
    assert '<select id="p-reading" name="reading"' in page
    assert '<option value="possible">' in page
    assert 'list="entities"' in page
    assert "SavedQuery(" not in page  # the search box keeps its own value
    run = client.get(
        "/queries/stakes-on-date",
        params={"date": "2019-07-01", "reading": "certain", "run": "1"},
        headers=HTML,
    ).text
    assert "<table" in run
    assert "format=csv" in run
    assert "Mitsubishi Motors" in run
    bad = client.get("/queries/stakes-on-date", params={"date": "x", "run": "1"}, headers=HTML)
    assert bad.status_code == 400
    assert "expects date" in bad.text


def test_editor_runs_and_refuses(client):
    page = client.get("/editor", params={"from": "twins"}, headers=HTML).text
    assert "<textarea" in page and "SELECT" in page
    ran = client.get("/editor", params={"query": LABELS, "run": "1"}, headers=HTML).text
    assert "<table" in ran
    refused = client.get("/editor", params={"query": "DROP ALL", "run": "1"}, headers=HTML).text
    assert "read-only" in refused


def test_explorer_shows_the_network_of_the_day(client):
    early = client.get("/explorer/view", params={"at": "2001-07-01"}, headers=HTML).text
    later = client.get("/explorer/view", params={"at": "2019-07-01"}, headers=HTML).text
    assert "Mitsubishi Motors" not in early
    assert "Mitsubishi Motors" in later
    assert "<svg" in later
    panel = client.get(
        "/explorer", params={"at": "2019-07-01", "company": "Nissan"}, headers=HTML
    ).text
    assert "Stakes it holds" in panel
    assert "34.07" in panel
    assert "Integrated ownership" in panel
    # its holders over time: the records of `ownership timeline`, the day's one marked
    from alliance_graph import ownership

    records = ownership.timeline(
        ownership.holdings_from_files([ROOT / "data" / "alliance.ttl"]), "Renault", "Nissan"
    )
    for r in records:
        assert f"at={r['from']}&amp;reading=as-of&amp;company=" in panel
    (today,) = [r for r in records if r["from"] <= "2019-07-01" < (r["until"] or "9999")]
    assert f'aria-current="true"><td><a href="/explorer?at={today["from"]}&amp;' in panel
    assert panel.count('aria-current="true"') == 2  # Renault's record, the trust's record
    # Nissan held 70% of the Chennai joint venture in 2019 (data/alliance.ttl, inventory
    # R20): it controls it, and the step of control names its source.
    jv = client.get(
        "/explorer/view", params={"at": "2019-07-01", "company": "RNAIPL"}, headers=HTML
    )
    control = jv.text[jv.text.index("Control (votes") :]
    assert "Nissan Motor holds 70.0% of the votes in Renault Nissan Automotive India" in control
    assert 'href="/source/' in control


def test_security_headers(client):
    answer = client.get("/", headers=HTML)
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert (
        client.get("/sparql", params={"query": "ASK {}"}).headers["x-content-type-options"]
        == "nosniff"
    )


# -- escaping and errors ---------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    g = Graph()
    bad = RES["Evil"]
    g.add((bad, RDF.type, AG.Company))
    g.add((bad, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(HOSTILE, lang="en")))
    g.add((bad, AG.description, Literal('"><img src=x onerror=alert(1)>')))
    g.serialize(path, format="turtle")
    with TestClient(create_app(Settings(data=(str(path),)))) as c:
        yield c


@pytest.mark.parametrize(
    "url",
    [
        "/resource/Evil",
        "/search?q=alert",
        "/queries/entity-card?entity=Evil&run=1",
        "/search?q=" + HOSTILE,
    ],
)
def test_data_and_user_strings_are_escaped(hostile, url):
    page = hostile.get(url, headers=HTML).text
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page


def test_no_traceback_on_unexpected_errors(monkeypatch):
    app = create_app(Settings())

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(app.state.backend, "sparql", broken)
    monkeypatch.setattr(app.state.backend, "sparql_rendered", broken)  # /sparql's way in
    with TestClient(app, raise_server_exceptions=False) as c:
        answer = c.get("/sparql", params={"query": "ASK {}"})
        page = c.get("/", headers=HTML)
    assert answer.status_code == 500
    assert "secret" not in answer.text and "Traceback" not in answer.text
    assert answer.json()["status"] == 500
    assert page.status_code == 500
    assert "secret" not in page.text and "Traceback" not in page.text
    assert page.headers["content-type"].startswith("text/html")


def test_the_module_level_app_is_importable():
    from alliance_graph.web import app

    assert callable(app)


@pytest.mark.parametrize("fmt", ["xml", "json", "tsv", "csv"])
def test_rdflib_reads_every_result_format_back(client, fmt):
    # rdflib's own result parsers, independent of our serialisers: typed, tagged and plain
    # literals, IRIs and unbound values come back as they went in.
    from rdflib.query import Result

    text = (
        "PREFIX ag: <https://w3id.org/alliance-graph/ontology#> "
        "SELECT ?s ?percent ?label ?through WHERE { ?s ag:percent ?percent ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label "
        "OPTIONAL { ?s ag:heldThrough ?through } } ORDER BY ?s"
    )
    answer = client.get("/sparql", params={"query": text, "format": fmt})
    parsed = Result.parse(io.BytesIO(answer.content), format=fmt)
    expected = queries.sparql(text, limit=None)
    got = [tuple(row) for row in parsed]
    assert len(got) == len(expected) > 20
    for row, solution in zip(got, expected.solutions, strict=True):
        for value, var in zip(row, ["s", "percent", "label", "through"], strict=True):
            term = solution[var]
            if term is None:
                assert value is None or str(value) == ""
            elif fmt == "csv":  # CSV carries values only
                assert str(value) == term.value
            else:
                assert str(value) == term.value
                if hasattr(term, "language") and term.language:
                    assert value.language == term.language
                if (
                    hasattr(term, "datatype")
                    and not getattr(term, "language", None)
                    and (term.datatype.value != "http://www.w3.org/2001/XMLSchema#string")
                ):
                    assert str(value.datatype) == term.datatype.value


@pytest.mark.parametrize("asset", ["site.css", "suggest.js", "explorer.js"])
def test_the_sites_own_assets_are_revalidated_on_every_use(client, asset):
    # With no Cache-Control a browser guesses freshness from the file's age, and a
    # fresh checkout's files went stale in the middle of a browser test; "no-cache" makes
    # every use a conditional request, answered 304 while the file is unchanged.
    first = client.get(f"/static/{asset}")
    assert first.status_code == 200 and first.content
    assert first.headers["cache-control"] == "no-cache"
    again = client.get(f"/static/{asset}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["cache-control"] == "no-cache"


def _explorer_row(view: str, start: str, end: str, label: str) -> list[str]:
    """The cells (text) of the row of ``label`` in the explorer's table between the
    headings ``start`` and ``end``: company, percent, certain, about, ..."""
    import re

    section = view[view.index(start) : view.index(end)]
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.S):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in {section}")


def test_pages_read_a_year_as_every_face_does(client):
    # ?at=2002 is the whole year, as for `ownership stake --at 2002` and the API: the
    # explorer's holder table gives that answer's figure and certainty, and the entity
    # page reads the 1999 stake (ended 2002-03-01) as possible over 2002, not certain.

    from alliance_graph import ownership
    from alliance_graph.graph import load

    answer = ownership.stake(ownership.holdings(load()), "Renault", "Nissan Motor", "2002")
    api = client.get(
        "/api/ownership/stake", params={"holder": "Renault", "held": "Nissan Motor", "at": "2002"}
    ).json()
    assert (api["percent"], api["certain"]) == (answer["percent"], answer["certain"])
    view = client.get(
        "/explorer/view", params={"at": "2002", "company": "Nissan Motor"}, headers=HTML
    ).text
    cells = _explorer_row(view, "Its holders</h3>", "Its holders over time", "Renault")
    assert float(cells[1]) == answer["percent"]
    assert (cells[2] == "yes") is answer["certain"]
    page = client.get("/resource/NissanMotor", params={"at": "2002"}, headers=HTML).text
    fact = fact_of(page, "36.8%")
    assert '<span class="badge">possible</span> on 2002' in fact
    assert 'value="2002-01-01"' in page  # the day input shows the span's first day


@pytest.mark.parametrize(
    ("entity", "day"), [("CarlosGhosn", "2000-05-01"), ("NissanMotor", "2002"), ("Renault", "2020")]
)
def test_the_entity_page_calls_certain_only_the_claims_answers_use(client, entity, day):
    # A claim a rival outranks (Ghosn as president of Nissan from 1 April 2000, against
    # the preferred June 2000) was shown "certain"; no saved query lists it. The badges
    # are held here to the ag:BestRank types, read from the store by a query of the test.
    from alliance_graph.store import open_store

    store = open_store()
    res = "https://w3id.org/alliance-graph/resource/"
    best = {
        str(r["f"].value)[len(res) :]
        for r in store.query(
            "PREFIX ag: <https://w3id.org/alliance-graph/ontology#> SELECT DISTINCT ?f "
            f"WHERE {{ ?f ?p <{res}{entity}> ; a ag:BestRank }}"
        )
    }
    page = client.get(f"/resource/{entity}", params={"at": day}, headers=HTML).text
    badges = dict(
        (path, state)
        for state, path in re.findall(
            r'<article class="fact certainty-([a-z-]+)">\s*<h3><a href="/resource/([^"]+)">', page
        )
    )
    assert badges
    unused = {path for path, state in badges.items() if state in ("deprecated", "outranked")}
    assert unused == set(badges) - best
    assert "undated" not in badges.values()


def test_the_entity_page_reads_a_bound_written_twice_as_the_widest_in_either_order(tmp_path):
    # startLatest written as 2001-06-01 and 2002-06-01: on 2002-01-01 the stake is
    # possible (the widest reading, temporal.interval_of), whichever value comes first.
    from user_data import one_stake

    badges = []
    for first, second in (("2001-06-01", "2002-06-01"), ("2002-06-01", "2001-06-01")):
        path = one_stake(
            tmp_path / f"own-{first}.ttl",
            holder="Alpha",
            held="Beta",
            dates=f'ag:startEarliest "2001-01-01"^^xsd:date ; ag:startLatest "{first}"^^xsd:date'
            f' , "{second}"^^xsd:date ; ag:endStatus ag:Ongoing ;',
        )
        text = path.read_text(encoding="utf-8").replace(
            "@prefix ex:   <http://example.org/> .",
            "@prefix ex:   <https://w3id.org/alliance-graph/resource/> .",
        )
        path.write_text(text, encoding="utf-8")
        with TestClient(create_app(Settings(data=(str(path),)))) as c:
            page = c.get("/resource/B", params={"at": "2002-01-01"}, headers=HTML).text
        badges.append(re.findall(r'<article class="fact certainty-([a-z-]+)">', page))
    assert badges[0] == badges[1] == ["possible"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/ownership/stake?holder=Renault&held=Nissan&at=2002&at=2017",
        "/api/ownership/stake?holder=Renault&holder=Nissan&held=Nissan",
        "/api/queries/stakes-on-date?date=2002&date=2017",
        "/explorer/view?at=2002&at=2017",
        "/resource/Renault?at=2002&at=2017",
    ],
)
def test_a_parameter_given_twice_is_a_400_in_every_face(client, url):
    # The ownership API and the pages took the last value; the queries' API refused.
    answer = client.get(url, headers=HTML)
    assert answer.status_code == 400
    assert "is given 2 times" in answer.text


def test_a_query_error_on_the_web_says_how_to_give_it_on_the_web(client):
    answer = client.get("/api/queries/stakes-on-date?date=")
    assert answer.status_code == 400
    reason = answer.json()["reason"]
    assert "needs parameter 'date'" in reason and "(?date=...)" in reason
    assert "-p " not in reason


def test_explorer_says_which_figures_the_sources_give_as_about(client):
    # The French State's stake in Renault in mid-2002 is "about" 38% in the data: the holder
    # table says so; Renault's exact stake in Nissan does not.

    from alliance_graph import ownership
    from alliance_graph.graph import load

    h = ownership.holdings(load())
    answer = ownership.stake(h, "French State", "Renault", "2002-06-30")
    exact = ownership.stake(h, "Renault", "Nissan Motor", "2002-06-30")
    view = client.get(
        "/explorer/view", params={"at": "2002-06-30", "company": "Renault"}, headers=HTML
    ).text
    cells = _explorer_row(view, "Its holders</h3>", "Its holders over time", "French State")
    assert (cells[3] == "yes") is answer["approximate"] is True
    cells = _explorer_row(view, "Stakes it holds</h3>", "Its holders</h3>", "Nissan Motor")
    assert (cells[3] == "yes") is exact["approximate"] is False
