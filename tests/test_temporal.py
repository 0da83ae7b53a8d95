"""Dates of mixed precision, derived bounds, and the readings."""

import datetime as dt

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef

from alliance_graph.load import materialise_graph as materialise
from alliance_graph.temporal import (
    AG,
    DateSpan,
    Interval,
    interval_of,
    parse_date,
    span_of_literal,
)

D = dt.date


@pytest.mark.parametrize(
    "text, earliest, latest, precision",
    [
        ("2017", D(2017, 1, 1), D(2017, 12, 31), "year"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month"),  # leap year
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28), "month"),
        ("1999-03-27", D(1999, 3, 27), D(1999, 3, 27), "day"),
    ],
)
def test_parse_date_spans(text, earliest, latest, precision):
    span = parse_date(text)
    assert span == DateSpan(earliest, latest, precision)
    assert str(span) == text


@pytest.mark.parametrize("text", ["", "99", "2017-13", "2017-02-30", "17-01-01", "2017/01"])
def test_parse_date_rejects_bad_text(text):
    with pytest.raises(ValueError, match="date"):
        parse_date(text)


def test_span_of_literal_needs_matching_datatype():
    assert span_of_literal(Literal("2017", datatype=XSD.gYear)).precision == "year"
    # a day written with the year type, a plain string, and a number are not dates
    assert span_of_literal(Literal("2017-01-01", datatype=XSD.gYear)) is None
    assert span_of_literal(Literal("2017")) is None
    assert span_of_literal(Literal(2017)) is None


def _fact(g, name, **props):
    node = URIRef(f"http://example.org/{name}")
    g.add((node, AG.citation, URIRef("http://example.org/c")))
    for key, value in props.items():
        g.add((node, AG[key], value))
    return node


def test_materialise_derives_bounds_and_keeps_written_ones():
    g = Graph()
    year = _fact(g, "y", start=Literal("2017", datatype=XSD.gYear))
    bounded = _fact(
        g,
        "b",
        start=Literal("1999", datatype=XSD.gYear),
        startEarliest=Literal("1999-03-27", datatype=XSD.date),
    )
    materialise(g)
    assert g.value(year, AG.startEarliest) == Literal("2017-01-01", datatype=XSD.date)
    assert g.value(year, AG.startLatest) == Literal("2017-12-31", datatype=XSD.date)
    # the written bound wins; the missing one is derived
    assert g.value(bounded, AG.startEarliest) == Literal("1999-03-27", datatype=XSD.date)
    assert g.value(bounded, AG.startLatest) == Literal("1999-12-31", datatype=XSD.date)


def test_materialise_skips_malformed_dates_without_crashing():
    g = Graph()
    bad = _fact(g, "bad", start=Literal("2017-13", datatype=XSD.gYearMonth))
    materialise(g)
    assert g.value(bad, AG.startEarliest) is None


def test_best_rank_follows_competing_ranks():
    g = Graph()
    preferred = _fact(g, "p", rank=AG.PreferredRank)
    normal = _fact(g, "n", rank=AG.NormalRank)
    deprecated = _fact(g, "d", rank=AG.DeprecatedRank)
    lone = _fact(g, "lone")
    g.add((preferred, AG.competesWith, normal))
    g.add((deprecated, AG.competesWith, preferred))
    materialise(g)
    best = set(g.subjects(RDF.type, AG.BestRank))
    assert best == {preferred, lone}


def test_interval_readings():
    # started some day in 2005-04-30 .. 2010-04-05, ended in 2010-04-06 .. 2015-04-30
    iv = Interval(D(2005, 4, 30), D(2010, 4, 5), D(2010, 4, 6), D(2015, 4, 30))
    assert not iv.certain_on(D(2008, 1, 1)) and iv.possible_on(D(2008, 1, 1))
    assert iv.certain_on(D(2010, 4, 5))
    assert not iv.certain_on(D(2010, 4, 6)) and iv.possible_on(D(2012, 1, 1))
    assert not iv.possible_on(D(2015, 4, 30))  # the end day is outside
    assert not iv.possible_on(D(2005, 4, 29))
    assert iv.possible_during(parse_date("2005"))
    assert not iv.certain_over(parse_date("2010-04"))


def test_missing_bounds_are_unbounded_but_never_certain_without_start():
    assert Interval(None, None, None, None).possible_on(D(1900, 1, 1))
    assert not Interval(None, None, None, None).certain_on(D(2000, 1, 1))
    ongoing = Interval(D(2017, 1, 1), D(2017, 12, 31))
    assert ongoing.certain_on(D(2099, 1, 1))


def test_interval_of_reads_shipped_data(graph):
    res = "https://w3id.org/alliance-graph/resource/"
    iv = interval_of(graph, URIRef(res + "stake-renault-nissan-2010"))
    assert iv == Interval(D(2005, 4, 30), D(2010, 4, 5), D(2010, 4, 6), D(2015, 4, 30))


def test_inserting_the_derived_quads_batch_by_batch_gives_the_same_store(tmp_path):
    # open_store inserts each batch before computing the next (to hold one at a time):
    # that is only right if no batch reads what another adds. Generated data has dates
    # of every precision, bounds written in the data, and competing ranked claims.
    import sys
    from pathlib import Path

    import pyoxigraph as ox

    from alliance_graph import derive

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import generate as gen

    parsed = ox.Store()
    parsed.load(gen.generate(4000, seed=5), format=ox.RdfFormat.TURTLE)
    at_once, by_batch = ox.Store(), ox.Store()
    at_once.extend(parsed)  # the same blank nodes in both
    by_batch.extend(parsed)
    everything = derive.day_bounds(derive.store_source(at_once))
    everything += derive.best_rank(derive.store_source(at_once))
    at_once.extend(everything)
    derive.add_to(by_batch)
    assert len(everything) > 500
    assert {q.predicate.value.rsplit("#")[-1] for q in everything} >= {
        "startEarliest",
        "startLatest",
        "endEarliest",
        "endLatest",
        "type",
    }
    assert set(by_batch) == set(at_once)
    assert len(by_batch) == len(parsed) + len(set(everything) - set(parsed))


@pytest.mark.parametrize("kept", [False, True], ids=["in memory", "on disk"])
def test_the_store_bounds_and_marks_facts_about_iris_and_blank_nodes_alike(tmp_path, kept):
    # Day bounds and marks must reach the very node the data gives, whether an IRI
    # (outside ASCII too) or a blank node, in memory and in the kept on-disk store
    # (which is built without a transaction), with bounds of every precision.
    import calendar

    from alliance_graph.load import open_store

    data = tmp_path / "facts.ttl"
    data.write_text(
        f"@prefix ag: <{AG}> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://example.org/stake/Citroën-1> ag:start "2019-02"^^xsd:gYearMonth ;\n'
        "    ag:citation <https://example.org/source> .\n"
        '[] ag:start "2016"^^xsd:gYear ; ag:end "2020-03-31"^^xsd:date ;\n'
        '    ag:citation <https://example.org/source> ; ag:note "the blank one" .\n',
        encoding="utf-8",
    )
    store = open_store([data], ontology=False, store_dir=tmp_path / "kept" if kept else None)
    rows = {
        (str(r["note"].value) if r["note"] else r["n"].value, r["lo"].value, r["hi"].value, r["e"])
        for r in store.query(
            f"PREFIX ag: <{AG}> SELECT ?n ?note ?lo ?hi ?e WHERE {{"
            " ?n ag:startEarliest ?lo ; ag:startLatest ?hi ; a ag:BestRank ."
            " OPTIONAL { ?n ag:note ?note } OPTIONAL { ?n ag:endEarliest ?e } }"
        )
    }
    last_of_february = calendar.monthrange(2019, 2)[1]
    assert {(n, lo, hi, e.value if e else None) for n, lo, hi, e in rows} == {
        ("https://example.org/stake/Citroën-1", "2019-02-01", f"2019-02-{last_of_february}", None),
        ("the blank one", "2016-01-01", "2016-12-31", "2020-03-31"),
    }


def test_several_dates_or_ranks_on_one_node_give_the_same_marks_in_every_face(tmp_path):
    # The shapes flag a second ag:start or ag:rank, but a query run without validating
    # still reads the marks. Each face reads the quads in its own order (a file's order,
    # a store's index order), so the marks must depend on the set of quads alone: here
    # the same facts are written in both orders, and every face must agree with the
    # rule computed by hand (the hull of the dates' days; the lowest of the ranks).
    from alliance_graph.export.parts import load_parts
    from alliance_graph.load import load_graph, open_store

    ag = str(AG)
    lines = [f"@prefix ag: <{ag}> .", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."]
    dates = ['"2005"^^xsd:gYear', '"2001-03-04"^^xsd:date']
    ranks = ["ag:DeprecatedRank", "ag:PreferredRank"]
    for name, order in (("forth", 1), ("back", -1)):
        d, r = dates[::order], ranks[::order]
        lines.append(f"<https://example.org/{name}> ag:start {d[0]}, {d[1]} ;")
        lines.append(f"    ag:citation <https://example.org/source> ; ag:rank {r[0]}, {r[1]} .")
    lines.append(
        '<https://example.org/plain> ag:start "2010-07"^^xsd:gYearMonth ;'
        " ag:citation <https://example.org/source> ."
    )
    data = tmp_path / "twice.ttl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # By hand: 2001-03-04 is the earliest day either date allows, 2005-12-31 the latest;
    # a claim both deprecated and preferred counts as deprecated, so it is not best.
    expected = {
        ("https://example.org/forth", "2001-03-04", "2005-12-31", False),
        ("https://example.org/back", "2001-03-04", "2005-12-31", False),
        ("https://example.org/plain", "2010-07-01", "2010-07-31", True),
    }
    best = f"{ag}BestRank"

    store = open_store([data], ontology=False)
    marks = {}
    for r in store.query(
        f"PREFIX ag: <{ag}> SELECT ?n ?lo ?hi ?best WHERE {{"
        " ?n ag:startEarliest ?lo ; ag:startLatest ?hi ."
        f" BIND(EXISTS {{ ?n a <{best}> }} AS ?best) }}"
    ):
        marks[r["n"].value] = (r["lo"].value, r["hi"].value, r["best"].value == "true")
    assert {(n, *v) for n, v in marks.items()} == expected

    graph = load_graph([data], ontology=False)
    assert {
        (
            str(n),
            str(graph.value(n, AG.startEarliest)),
            str(graph.value(n, AG.startLatest)),
            (n, RDF.type, URIRef(best)) in graph,
        )
        for n in graph.subjects(AG.start, None, unique=True)
    } == expected

    derived = load_parts([data]).triples(True)
    by_node: dict = {}
    for q in derived:
        by_node.setdefault(q.subject.value, set()).add((q.predicate.value, q.object.value))
    assert {
        (
            n,
            next(o for p, o in facts if p == f"{ag}startEarliest"),
            next(o for p, o in facts if p == f"{ag}startLatest"),
            (str(RDF.type), best) in facts,
        )
        for n, facts in by_node.items()
        if any(p == f"{ag}start" for p, _ in facts)
    } == expected


def test_the_ownership_index_explains_a_claim_with_two_ranks_by_the_lower(tmp_path):
    # The index says why a stake was set aside; with a rank given twice it must read the
    # rank the loader read when it left the mark off, in whichever order they are written.
    from alliance_graph.ownership.holdings import holdings_from_files

    ag = str(AG)
    lines = [f"@prefix ag: <{ag}> .", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."]
    for name, ranks in (
        ("forth", "ag:DeprecatedRank, ag:PreferredRank"),
        ("back", "ag:PreferredRank, ag:DeprecatedRank"),
    ):
        lines.append(
            f"<https://example.org/{name}> a ag:Shareholding ; ag:holder <https://example.org/a> ;"
            f' ag:held <https://example.org/b> ; ag:percent "10"^^xsd:decimal ;'
            f' ag:start "2001"^^xsd:gYear ; ag:citation <https://example.org/source> ;'
            f" ag:rank {ranks} ."
        )
    lines.append(
        "<https://example.org/plain> a ag:Shareholding ; ag:holder <https://example.org/a> ;"
        ' ag:held <https://example.org/c> ; ag:percent "5"^^xsd:decimal ;'
        ' ag:start "2001"^^xsd:gYear ; ag:citation <https://example.org/source> .'
    )
    data = tmp_path / "ranks.ttl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = holdings_from_files([data])
    assert [stake.iri for stake in found.stakes] == ["https://example.org/plain"]
    assert {(a.iri, a.reason) for a in found.set_aside} == {
        ("https://example.org/forth", "deprecated rank"),
        ("https://example.org/back", "deprecated rank"),
    }
