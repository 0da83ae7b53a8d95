"""A shareholding with several values where the shapes allow one (two holders, two
figures, two written day bounds) gets the same answer whatever order the files are
loaded in: the ownership index and the BODS export both set it aside and say why
(alliance_graph.claims), where they used to take whichever value the store listed first.
"""

from __future__ import annotations

import json

import pytest

from alliance_graph import ownership
from alliance_graph.cli import main
from alliance_graph.resources import data_files

RES = "https://w3id.org/alliance-graph/resource/"
STAKE = RES + "stake-renault-nissan-1999"  # Renault 36.8% of Nissan Motor, 1999-2002
PREFIXES = """@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix res: <https://w3id.org/alliance-graph/resource/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
# One more value for a property the shipped stake already gives once (or, for the bound,
# two written values of a bound the data did not write).
SECOND_VALUES = {
    "holder": ("res:stake-renault-nissan-1999 ag:holder res:FrenchState .", RES + "FrenchState"),
    "held": ("res:stake-renault-nissan-1999 ag:held res:NissanDiesel .", RES + "NissanDiesel"),
    "percent": ("res:stake-renault-nissan-1999 ag:percent 44.4 .", "44.4"),
    "heldThrough": (
        "res:stake-renault-nissan-1999 ag:heldThrough res:Ampere , res:RNPO .",
        RES + "RNPO",
    ),
    "startLatest": (
        'res:stake-renault-nissan-1999 ag:startLatest "1999-05-20"^^xsd:date , '
        '"1999-05-25"^^xsd:date .',
        "1999-05-25",
    ),
}


def _files(tmp_path, triple):
    extra = tmp_path / "extra.ttl"
    extra.write_text(PREFIXES + triple + "\n", encoding="utf-8")
    shipped = [str(p) for p in data_files()]
    return [*shipped, str(extra)], [str(extra), *shipped]


@pytest.mark.parametrize("prop", sorted(SECOND_VALUES))
def test_the_ownership_index_sets_the_claim_aside_in_either_order(tmp_path, prop):
    triple, shown = SECOND_VALUES[prop]
    answers = []
    for files in _files(tmp_path, triple):
        h = ownership.holdings_from_files(files)
        assert STAKE not in {s.iri for s in h.stakes}
        (aside,) = [a for a in h.set_aside if a.iri == STAKE]
        assert f"values of ag:{prop} (" in aside.reason and shown in aside.reason
        answers.append(
            (sorted(s.iri for s in h.stakes), sorted((a.iri, a.reason) for a in h.set_aside))
        )
    assert answers[0] == answers[1]


def test_the_same_figure_written_two_ways_is_one_value(tmp_path):
    # 36.8 as a double and as a decimal: two literals, one number.
    for files in _files(tmp_path, "res:stake-renault-nissan-1999 ag:percent 3.68E1 ."):
        h = ownership.holdings_from_files(files)
        (stake,) = [s for s in h.stakes if s.iri == STAKE]
        assert stake.percent == pytest.approx(36.8)


def _cli(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    captured = capsys.readouterr()
    return exit_.value.code, captured.out, captured.err


def test_ownership_stake_answers_the_same_in_either_order(tmp_path, capsys):
    triple, _ = SECOND_VALUES["holder"]
    runs = []
    for files in _files(tmp_path, triple):
        argv = ["ownership", "stake", "Renault", "Nissan Motor", "--at", "2000-06-30"]
        argv += [arg for f in files for arg in ("--data", f)]
        code, out, err = _cli(capsys, [*argv, "--no-validate", "--format", "json"])
        assert code == 0, err
        assert f"Note: left out {STAKE}: 2 values of ag:holder" in err
        runs.append(json.loads(out))
    assert runs[0] == runs[1]
    # Renault's 36.8% on that day comes from that claim alone: set aside, no figure is left.
    code, out, err = _cli(capsys, [*argv[:6], "--format", "json"])
    assert code == 0, err
    assert json.loads(out)["percent"] == pytest.approx(36.8)
    assert runs[0]["percent"] is None


def test_the_bods_export_leaves_the_claim_out_in_either_order(tmp_path, capsys):
    triple, _ = SECOND_VALUES["holder"]
    written = []
    for i, files in enumerate(_files(tmp_path, triple)):
        target = tmp_path / f"bods-{i}.json"
        argv = ["export", "-f", "bods", "-o", str(target)]
        code, _, err = _cli(capsys, [*argv, *[a for f in files for a in ("--data", f)]])
        assert code == 0, err
        assert f"Note: left out {STAKE}: 2 values of ag:holder" in err
        statements = json.loads(target.read_text(encoding="utf-8"))
        written.append(statements)
        assert STAKE not in json.dumps(statements)
    assert written[0] == written[1]


def test_the_bods_export_of_a_rival_with_two_ranks_and_two_end_statuses_is_one(tmp_path, capsys):
    # The article's deprecated 43.4% claim, given a second rank and a second end status:
    # still a losing rival of the 2002 stake (the lowest rank counts), and its payload
    # the same whichever file is read first.
    extra = (
        "res:claim-article-renault-nissan-2001 ag:rank ag:PreferredRank ; ag:endStatus ag:Ongoing ."
    )
    payloads = []
    for i, files in enumerate(_files(tmp_path, extra)):
        target = tmp_path / f"bods-{i}.json"
        argv = ["export", "-f", "bods", "-o", str(target)]
        code, _, err = _cli(capsys, [*argv, *[a for f in files for a in ("--data", f)]])
        assert code == 0, err
        found = [
            rival
            for statement in json.loads(target.read_text(encoding="utf-8"))
            for note in statement.get("annotations", ())
            for rival in note.get("allianceGraph", {}).get("rivals", ())
            if rival["iri"] == RES + "claim-article-renault-nissan-2001"
        ]
        assert found, "the claim is no longer stated as a rival"
        payloads.append(found)
    assert payloads[0] == payloads[1]
    assert {r["rank"] for r in payloads[0]} == {"DeprecatedRank"}


@pytest.mark.parametrize("fmt", ["graphml", "cytoscape"])
def test_the_property_graph_exports_leave_the_claim_out_in_either_order(tmp_path, capsys, fmt):
    triple, _ = SECOND_VALUES["startLatest"]
    written = []
    for i, files in enumerate(_files(tmp_path, triple)):
        target = tmp_path / f"graph-{i}.{fmt}"
        argv = ["export", "-f", fmt, "-o", str(target), "--at", "2000", "--reading", "certain"]
        code, _, err = _cli(capsys, [*argv, *[a for f in files for a in ("--data", f)]])
        assert code == 0, err
        assert f"Note: left out {STAKE}: 2 values of ag:startLatest" in err
        text = target.read_text(encoding="utf-8")
        assert "stake-renault-nissan-1999" not in text
        written.append(text)
    assert written[0] == written[1]
    # Without the second bound the stake is certain all through 2000 and is exported.
    target = tmp_path / f"graph-shipped.{fmt}"
    code, _, err = _cli(capsys, ["export", "-f", fmt, "-o", str(target), *argv[5:]])
    assert code == 0, err
    assert "stake-renault-nissan-1999" in target.read_text(encoding="utf-8")


def test_a_bound_written_twice_reads_as_the_widest_in_either_order():
    import datetime as dt

    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import XSD

    from alliance_graph.temporal import AG, Interval, interval_of

    node = URIRef(RES + "membership-x")
    written = {
        "startEarliest": ["2001-01-01", "2000-06-01"],
        "startLatest": ["2001-03-01", "2001-02-01"],
        "endEarliest": ["2005-01-01", "2004-01-01"],
        "endLatest": ["2005-06-30", "2005-12-31"],
    }
    readings = []
    for order in (1, -1):
        g = Graph()
        for prop, days in written.items():
            for day in days[::order]:
                g.add((node, AG[prop], Literal(day, datatype=XSD.date)))
        readings.append(interval_of(g, node))
    day = dt.date.fromisoformat
    widest = Interval(day("2000-06-01"), day("2001-03-01"), day("2004-01-01"), day("2005-12-31"))
    assert readings == [widest, widest]


def test_an_entity_with_labels_in_several_languages_shows_one_label_in_every_face(tmp_path, capsys):
    # Valid data (one label per language): Renault also labelled in French and without a
    # language. Every face shows the English label of the shipped file, in either order.
    from rdflib import RDFS, Graph, URIRef

    shipped = Graph()
    for path in data_files():
        shipped.parse(path)
    (english,) = [
        str(v) for v in shipped.objects(URIRef(RES + "Renault"), RDFS.label) if v.language == "en"
    ]
    extra = (
        "res:Renault <http://www.w3.org/2000/01/rdf-schema#label>"
        ' "Régie Renault"@fr , "AAA Renault" .'
    )
    for i, files in enumerate(_files(tmp_path, extra)):
        data = [a for f in files for a in ("--data", f)]
        code, out, err = _cli(
            capsys,
            [
                "ownership",
                "stake",
                "res:Renault",
                "res:NissanMotor",
                "--at",
                "2000-06-30",
                "--format",
                "json",
                *data,
            ],
        )
        assert code == 0, err
        assert json.loads(out)["holder"] == english
        code, out, err = _cli(capsys, ["entities", "res:Renault", "--format", "json", *data])
        assert code == 0, err
        assert [e["label"] for e in json.loads(out) if e["iri"] == RES + "Renault"] == [english]
        target = tmp_path / f"relationships-{i}.csv"
        code, _, err = _cli(capsys, ["export", "-f", "relationships-csv", "-o", str(target), *data])
        assert code == 0, err
        import csv

        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        (row,) = [r for r in rows if r["id"] == STAKE]
        assert row["from_label"] == english
        target = tmp_path / f"bods-{i}.json"
        code, _, err = _cli(capsys, ["export", "-f", "bods", "-o", str(target), *data])
        assert code == 0, err
        names = [
            s["recordDetails"].get("name")
            for s in json.loads(target.read_text(encoding="utf-8"))
            if s.get("recordId", "").endswith("/Renault")
        ]
        assert names and set(names) == {english}, names


def test_a_pair_with_a_claim_set_aside_is_never_certain_in_any_face(tmp_path, capsys):
    # Renault's 1999 claim on Nissan given a second figure: ownership has no figure for
    # 2000 and says it is not certain, and why; stakes-on-date lists each figure, each
    # not certain (in Oxigraph and in rdflib); the web's ownership API says why too.
    from starlette.testclient import TestClient

    from alliance_graph.web import Settings, create_app

    triple, _ = SECOND_VALUES["percent"]
    files, _ = _files(tmp_path, triple)
    data = [a for f in files for a in ("--data", f)]
    argv = ["ownership", "stake", "Renault", "Nissan Motor", "--at", "2000-06-30", *data]
    code, out, err = _cli(capsys, [*argv, "--no-validate", "--format", "json"])
    assert code == 0, err
    record = json.loads(out)
    assert record["percent"] is None and record["certain"] is False
    (why,) = [w for w in record["why_not_certain"] if "res:stake-renault-nissan-1999" in w]
    assert "2 values of ag:percent (36.8, 44.4)" in why
    # The same pair on the shipped data alone: the one figure, certain.
    code, out, err = _cli(capsys, [*argv[:6], "--format", "json"])
    assert json.loads(out)["certain"] is True
    for engine in ("oxigraph", "rdflib"):
        code, out, err = _cli(
            capsys,
            ["query", "stakes-on-date", "-p", "date=2000-06-30", "-p", "held=NissanMotor",
             *data, "--engine", engine, "-f", "json"],
        )  # fmt: skip
        assert code == 0, err
        rows = [r for r in json.loads(out) if r["stake"] == STAKE]
        assert sorted(float(r["percent"]) for r in rows) == [36.8, 44.4], engine
        assert all(r["certain"] is False for r in rows), engine
    with TestClient(create_app(Settings(data=tuple(files)))) as client:
        answer = client.get(
            "/api/ownership/stake",
            params={"holder": "Renault", "held": "Nissan Motor", "at": "2000-06-30"},
        ).json()
    assert answer["certain"] is False
    assert any("2 values of ag:percent" in w for w in answer["why_not_certain"])


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_stakes_on_date_reads_a_bound_written_twice_as_one_widest_row(tmp_path, capsys, engine):
    # Two written startLatest days (1999-05-20, 1999-05-25): ownership sets the claim
    # aside; stakes-on-date gives one row, never certain, with the later of the two as
    # its startLatest (the widest reading, as temporal.interval_of), in either order.
    triple, _ = SECOND_VALUES["startLatest"]
    answers = []
    for files in _files(tmp_path, triple):
        data = [a for f in files for a in ("--data", f)]
        code, out, err = _cli(
            capsys,
            ["query", "stakes-on-date", "-p", "date=2000-06-30", "-p", "held=NissanMotor",
             *data, "--engine", engine, "-f", "json"],
        )  # fmt: skip
        assert code == 0, err
        (row,) = [r for r in json.loads(out) if r["stake"] == STAKE]
        assert row["startLatest"] == "1999-05-25" and row["certain"] is False
        answers.append(row)
    assert answers[0] == answers[1]
    # The shipped data alone: one row, certain, as before.
    code, out, err = _cli(
        capsys,
        ["query", "stakes-on-date", "-p", "date=2000-06-30", "-p", "held=NissanMotor",
         "--engine", engine, "-f", "json"],
    )  # fmt: skip
    (row,) = [r for r in json.loads(out) if r["stake"] == STAKE]
    assert row["certain"] is True


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize(
    ("query", "node", "params", "key"),
    [
        ("members-on-date", "membership-renault", ["date=2000-06-30"], "member"),
        ("roles-on-date", "tenure-ghosn-nissan-chairman",
         ["date=2010-06-30", "organisation=NissanMotor"], "tenure"),
    ],
)  # fmt: skip
def test_members_and_roles_read_a_bound_written_twice_as_one_widest_row(
    tmp_path, capsys, engine, query, node, params, key
):
    # Two written startLatest days (the derived one, and 400 days later): one row, the
    # later day, not certain, whatever order the files come in; before, a row for each
    # value, one of them certain.
    from alliance_graph.store import open_store

    store = open_store()
    (written,) = [
        q.object.value
        for q in store.quads_for_pattern(
            __import__("pyoxigraph").NamedNode(RES + node),
            __import__("pyoxigraph").NamedNode(
                "https://w3id.org/alliance-graph/ontology#startLatest"
            ),
            None,
        )
    ]
    import datetime as dt

    later = (dt.date.fromisoformat(written) + dt.timedelta(days=400)).isoformat()
    # Both written (a written bound replaces the derived one): two values in the store.
    triple = f'res:{node} ag:startLatest "{written}"^^xsd:date , "{later}"^^xsd:date .'
    rows_seen = []
    for files in _files(tmp_path, triple):
        data = [a for f in files for a in ("--data", f)]
        argv = ["query", query, *[x for p in params for x in ("-p", p)], *data, "--engine",
                engine, "-f", "json"]  # fmt: skip
        code, out, err = _cli(capsys, argv)
        assert code == 0, err
        rows = [r for r in json.loads(out) if (r.get(key) or "").endswith(node)
                or r.get(key) == RES + "Renault"]  # fmt: skip
        assert len(rows) == 1, rows
        assert rows[0]["startLatest"] == later and rows[0]["certain"] is False
        rows_seen.append(rows[0])
    assert rows_seen[0] == rows_seen[1]
