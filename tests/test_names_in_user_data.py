"""A name means one thing in every face on data a user brings: IRIs of the user's own
namespace, a brand that shares a company's label, a place given where a company is
meant. The ownership commands, the saved queries' parameters, `entities` and the web's
suggestions resolve through one resolver (alliance_graph.names) over one pool of the
data's resources; a parameter that names a kind of thing (a holder is an agent, a held
company an organisation) takes only things of that kind."""

from __future__ import annotations

import json

import pytest

from alliance_graph.cli import main

STAKE = """\
@prefix ag:   <https://w3id.org/alliance-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix src:  <https://w3id.org/alliance-graph/source/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix co:   <{ns}> .

src:reg-2020 a ag:Source ;
    rdfs:label "Company register extract, 2020"@en ;
    ag:publisher "Example register" ;
    ag:published "2020-01-10"^^xsd:date ;
    ag:url "https://register.example.org/2020"^^xsd:anyURI .

co:AcmeHold a ag:Company ;
    rdfs:label "Acme Holding"@en ;
    skos:altLabel "Acme"@en ;
    ag:citation [ a ag:Citation ; ag:source src:reg-2020 ; ag:locator "entry 1" ] .

co:BetaCorp a ag:Company ;
    rdfs:label "Beta Corp"@en ;
    ag:citation [ a ag:Citation ; ag:source src:reg-2020 ; ag:locator "entry 2" ] .

co:stake-acme-beta a ag:Shareholding ;
    rdfs:label "Acme in Beta, 60% (2015-2020)"@en ;
    ag:holder co:AcmeHold ;
    ag:held co:BetaCorp ;
    ag:percent 60.0 ;
    ag:interest ag:EconomicInterest , ag:VotingInterest ;
    ag:start "2015"^^xsd:gYear ;
    ag:end "2020-06"^^xsd:gYearMonth ;
    ag:citation [ a ag:Citation ; ag:source src:reg-2020 ; ag:locator "entry 3" ] .
"""

BRAND_AND_PLACE = """\
@prefix ag:   <https://w3id.org/alliance-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix src:  <https://w3id.org/alliance-graph/source/> .
@prefix co:   <{ns}> .

co:brand-beta a ag:Brand ;
    rdfs:label "Beta Corp"@en ;
    ag:citation [ a ag:Citation ; ag:source src:reg-2020 ; ag:locator "entry 9" ] .

co:Springfield a ag:Place ;
    rdfs:label "Springfield"@en ;
    ag:citation [ a ag:Citation ; ag:source src:reg-2020 ; ag:locator "entry 10" ] .
"""

OWN = "http://example.org/co/"
RES = "https://w3id.org/alliance-graph/resource/"


def _files(tmp_path, ns, *extra):
    paths = []
    for i, text in enumerate((STAKE, *extra)):
        path = tmp_path / f"part{i}.ttl"
        path.write_text(text.format(ns=ns), encoding="utf-8")
        paths.append(str(path))
    return paths


def _run(capsys, *args):
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    return done.value.code, out, err


def _data(paths):
    return [a for p in paths for a in ("--data", p)]


def _stake_rows(capsys, paths, **params):
    code, out, err = _run(
        capsys,
        "query",
        "stakes-on-date",
        *(a for k, v in {"date": "2016", **params}.items() for a in ("-p", f"{k}={v}")),
        *_data(paths),
        "-f",
        "json",
    )
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("ns", [OWN, RES], ids=["own namespace", "res"])
def test_a_company_is_found_by_name_in_every_face(tmp_path, capsys, ns):
    paths = _files(tmp_path, ns)
    code, out, err = _run(
        capsys, "ownership", "stake", "Acme", "Beta Corp", "--at", "2016", *_data(paths),
        "-f", "json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["percent"] == 60
    (row,) = _stake_rows(capsys, paths, held="Beta Corp")
    assert row["held"] == ns + "BetaCorp" and float(row["percent"]) == 60
    code, out, err = _run(
        capsys, "query", "stake-history", "-p", "holder=Acme", "-p", "held=Beta Corp",
        *_data(paths), "-f", "json",
    )  # fmt: skip
    assert code == 0, err
    assert [r["stake"] for r in json.loads(out)] == [ns + "stake-acme-beta"]
    # `entities` lists what the commands accept.
    code, out, err = _run(capsys, "entities", "beta", *_data(paths), "-f", "json")
    assert code == 0, err
    assert ns + "BetaCorp" in [e["iri"] for e in json.loads(out)]


def test_the_web_suggests_and_answers_names_of_the_users_namespace(tmp_path):
    from starlette.testclient import TestClient

    from alliance_graph.web import Settings, create_app

    paths = _files(tmp_path, OWN)
    with TestClient(create_app(Settings(data=tuple(paths)))) as client:
        hits = client.get("/api/suggest", params={"q": "beta"}).json()
        assert [h["iri"] for h in hits][0] == OWN + "BetaCorp"  # companies first
        answer = client.get(
            "/api/queries/stakes-on-date", params={"date": "2016", "held": "Beta Corp"}
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        rows = body["results"] if isinstance(body, dict) and "results" in body else body
        assert OWN + "BetaCorp" in json.dumps(rows)


def test_a_brand_of_the_same_name_does_not_make_the_company_ambiguous(tmp_path, capsys):
    paths = _files(tmp_path, OWN, BRAND_AND_PLACE)
    code, out, err = _run(
        capsys, "ownership", "stake", "Acme", "Beta Corp", "--at", "2016", *_data(paths),
        "-f", "json",
    )  # fmt: skip
    assert code == 0, err
    (row,) = _stake_rows(capsys, paths, held="Beta Corp")
    assert row["held"] == OWN + "BetaCorp"
    # Where any kind of thing is meant, the name is ambiguous, and says between what.
    code, out, err = _run(capsys, "query", "entity-card", "-p", "entity=Beta Corp", *_data(paths))
    assert code == 2
    assert "names 2 of them" in err and "Brand" in err and "Company" in err


@pytest.mark.parametrize("given", ["Springfield", OWN + "Springfield"])
def test_a_place_given_for_a_company_is_an_error_not_an_empty_answer(tmp_path, capsys, given):
    paths = _files(tmp_path, OWN, BRAND_AND_PLACE)
    code, out, err = _run(
        capsys, "query", "stakes-on-date", "-p", "date=2016", "-p", f"held={given}",
        *_data(paths),
    )  # fmt: skip
    assert code == 2 and not out
    assert "parameter 'held'" in err and "Springfield" in err
    assert "Place" in err and "not an organisation" in err
    assert "Traceback" not in err


def test_a_written_iri_of_the_right_kind_is_answered_without_the_whole_index(tmp_path):
    # The look-up that spares building the index (seconds at a million triples) checks
    # the kind in the store, and agrees with the index on both sides.
    from alliance_graph.errors import UnknownEntityError
    from alliance_graph.names import DATA, LazyNames, for_store
    from alliance_graph.store import open_store

    store = open_store(_files(tmp_path, OWN, BRAND_AND_PLACE))
    built = []

    def build():
        built.append(1)
        return for_store(store)

    lazy = LazyNames(store, build)
    iri = lazy.resolve(f"<{OWN}AcmeHold>", namespace=DATA, kinds=["Agent"])
    assert iri == OWN + "AcmeHold" and not built
    with pytest.raises(UnknownEntityError, match="not an agent"):
        lazy.resolve(OWN + "Springfield", namespace=DATA, kinds=["Agent"], what="agent")
    assert built
    assert for_store(store).resolve(OWN + "AcmeHold", kinds=["Agent"]) == iri


def test_a_default_the_data_lacks_is_named_as_the_default(tmp_path, capsys):
    # members-on-date defaults to res:Alliance; data without it is told so, not that a
    # parameter the user never wrote names nothing.
    paths = _files(tmp_path, OWN)
    code, out, err = _run(capsys, "query", "members-on-date", "-p", "date=2019", *_data(paths))
    assert code == 2 and not out
    assert "parameter 'organisation' was not given" in err
    assert "its default, res:Alliance, is not one of this data" in err
    # Given, the same value is the user's own, and the error says what it names.
    code, out, err = _run(
        capsys, "query", "members-on-date", "-p", "date=2019", "-p", "organisation=res:Alliance",
        *_data(paths),
    )  # fmt: skip
    assert code == 2 and "was not given" not in err and "res:Alliance" in err


TWO_OMEGAS = """\
@prefix ag:   <https://w3id.org/alliance-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix src:  <https://w3id.org/alliance-graph/source/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix co:   <{ns}> .
""" + "".join(
    f"""
co:Omega{c} a ag:Company ;
    rdfs:label "Omega"@en ;
    ag:citation [ a ag:Citation ; ag:source src:reg-2020 ; ag:locator "entry {c}" ] .
co:stake-acme-omega-{c} a ag:Shareholding ;
    rdfs:label "Acme in Omega {c}"@en ;
    ag:holder co:AcmeHold ; ag:held co:Omega{c} ; ag:percent {p} ;
    ag:interest ag:EconomicInterest , ag:VotingInterest ;
    ag:start "2015"^^xsd:gYear ; ag:endStatus ag:Ongoing ;
    ag:citation [ a ag:Citation ; ag:source src:reg-2020 ; ag:locator "entry s{c}" ] .
"""
    for c, p in (("FR", "20.0"), ("DE", "55.0"))
)


def test_two_companies_of_one_label_are_told_apart_by_iri(tmp_path, capsys):
    # The ownership records name entities by label, as every face shows them, and by
    # IRI, as the saved queries' rows do: the two Omegas are two records with two keys.
    import csv
    import io

    paths = _files(tmp_path, OWN, TWO_OMEGAS)
    code, out, err = _run(
        capsys, "ownership", "integrated", "--all", "--at", "2017", *_data(paths), "-f", "csv"
    )
    assert code == 0, err
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["held"] == "Omega"]
    assert sorted((r["held_iri"], float(r["integrated_percent"])) for r in rows) == [
        (OWN + "OmegaDE", 55.0), (OWN + "OmegaFR", 20.0)
    ]  # fmt: skip
    assert {r["holder_iri"] for r in rows} == {OWN + "AcmeHold"}
    queried = {(r["held"], float(r["percent"])) for r in _stake_rows(capsys, paths, date="2017")}
    assert {(r["held_iri"], float(r["direct_percent"])) for r in rows} <= queried
    # control: the flat rows carry the json's own flag and the IRIs, for either Omega.
    for iri, controls in ((OWN + "OmegaDE", True), (OWN + "OmegaFR", False)):
        code, out, err = _run(
            capsys, "ownership", "control", iri, "--at", "2017", *_data(paths), "-f", "json"
        )
        assert code == 0, err
        record = json.loads(out)
        assert record["held_iri"] == iri
        (aggregate,) = record["aggregates"]
        assert aggregate["holder_iri"] == OWN + "AcmeHold" and aggregate["controls"] is controls
        code, out, err = _run(
            capsys, "ownership", "control", iri, "--at", "2017", *_data(paths), "-f", "csv"
        )
        (row,) = csv.DictReader(io.StringIO(out))
        assert row["controls"] == str(controls).lower() and row["held_iri"] == iri
