"""Every engine against known answers, for the SHACL features the shipped shapes use.

Small cases in the manner of the W3C SHACL test suite (data-shapes-test-suite: core
targets, property and node constraints, paths, SPARQL constraints and SHACL-AF SPARQL
targets), written here for this project, each with the results SHACL prescribes. Dates
get cases of their own: an engine that compares xsd:date values wrongly passes every
other test here (`shacl` 0.3.4 did, docs/validation.md). All cases share one data file
and one shapes file, so each engine runs once.
"""

from __future__ import annotations

import pytest

from alliance_graph.validate import ENGINES, validate

PREFIXES = """\
@prefix res:  <https://w3id.org/alliance-graph/resource/> .
@prefix agsh: <https://w3id.org/alliance-graph/shapes#> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""

# name: (data, shapes, {(focus, rule, path, value, severity)})
CASES = {
    "targetClass follows rdfs:subClassOf; minCount": (
        """res:t1-Sub rdfs:subClassOf res:t1-Super .
        res:t1-bad a res:t1-Sub .
        res:t1-good a res:t1-Sub ; res:t1-p "x" .""",
        """agsh:T1 a sh:NodeShape ; sh:targetClass res:t1-Super ;
            sh:property [ sh:path res:t1-p ; sh:minCount 1 ] .""",
        {("res:t1-bad", "agsh:T1/res:t1-p", "res:t1-p", None, "Violation")},
    ),
    "targetSubjectsOf, targetObjectsOf; nodeKind": (
        """res:t2-a res:t2-q res:t2-iri , "a literal" .""",
        """agsh:T2 a sh:NodeShape ; sh:targetObjectsOf res:t2-q ; sh:nodeKind sh:IRI .
        agsh:T2b a sh:NodeShape ; sh:targetSubjectsOf res:t2-q ;
            sh:property [ sh:path res:t2-q ; sh:maxCount 1 ] .""",
        {
            ('"a literal"', "agsh:T2", None, '"a literal"', "Violation"),
            ("res:t2-a", "agsh:T2b/res:t2-q", "res:t2-q", None, "Violation"),
        },
    ),
    "class counts instances of subclasses": (
        """res:t3-Sub rdfs:subClassOf res:t3-K .
        res:t3-b a res:t3-Sub .
        res:t3-a res:t3-p res:t3-b , res:t3-c .""",
        """agsh:T3 a sh:NodeShape ; sh:targetSubjectsOf res:t3-p ;
            sh:property [ sh:path res:t3-p ; sh:class res:t3-K ] .""",
        {("res:t3-a", "agsh:T3/res:t3-p", "res:t3-p", "res:t3-c", "Violation")},
    ),
    "datatype: an ill-formed xsd:date is not an xsd:date": (
        """res:t4-a res:t4-d "1999-05"^^xsd:date .
        res:t4-b res:t4-d "1999-05-01"^^xsd:date .
        res:t4-c res:t4-d "1999-05-01" .""",
        """agsh:T4 a sh:PropertyShape ; sh:targetSubjectsOf res:t4-d ; sh:path res:t4-d ;
            sh:datatype xsd:date .""",
        {
            ("res:t4-a", "agsh:T4", "res:t4-d", '"1999-05"^^xsd:date', "Violation"),
            ("res:t4-c", "agsh:T4", "res:t4-d", '"1999-05-01"', "Violation"),
        },
    ),
    "dates compared as dates: lessThanOrEquals, minInclusive": (
        """res:t5-a res:t5-start "2010-05-01"^^xsd:date ; res:t5-end "2009-01-01"^^xsd:date .
        res:t5-b res:t5-start "2009-01-01"^^xsd:date ; res:t5-end "2010-05-01"^^xsd:date .
        res:t5-c res:t5-start "1999-06-01"^^xsd:date ; res:t5-end "1999-12-31"^^xsd:date .""",
        """agsh:T5 a sh:NodeShape ; sh:targetSubjectsOf res:t5-start ;
            sh:property [ sh:path res:t5-start ; sh:lessThanOrEquals res:t5-end ] ,
                        [ sh:path res:t5-end ; sh:minInclusive "2000-01-01"^^xsd:date ] .""",
        {
            (
                "res:t5-a",
                "agsh:T5/res:t5-start",
                "res:t5-start",
                '"2010-05-01"^^xsd:date',
                "Violation",
            ),
            ("res:t5-c", "agsh:T5/res:t5-end", "res:t5-end", '"1999-12-31"^^xsd:date', "Violation"),
        },
    ),
    "in: plain strings and IRIs": (
        """res:t6-a res:t6-k "stronghold" .
        res:t6-b res:t6-k "stronghold"@en .
        res:t6-c res:t6-k res:t6-A .
        res:t6-d res:t6-k res:t6-B .""",
        """agsh:T6 a sh:PropertyShape ; sh:targetSubjectsOf res:t6-k ; sh:path res:t6-k ;
            sh:in ( "stronghold" res:t6-A ) .""",
        {
            ("res:t6-b", "agsh:T6", "res:t6-k", '"stronghold"@en', "Violation"),
            ("res:t6-d", "agsh:T6", "res:t6-k", "res:t6-B", "Violation"),
        },
    ),
    "or of datatypes": (
        """res:t7-a res:t7-y "2002"^^xsd:gYear .
        res:t7-b res:t7-y 2002 .""",
        """agsh:T7 a sh:PropertyShape ; sh:targetSubjectsOf res:t7-y ; sh:path res:t7-y ;
            sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:gYear ] ) .""",
        {("res:t7-b", "agsh:T7", "res:t7-y", "2002", "Violation")},
    ),
    "uniqueLang": (
        """res:t8-a res:t8-l "A"@en , "B"@en , "C"@fr .
        res:t8-b res:t8-l "A"@en , "B" , "C" .""",
        """agsh:T8 a sh:PropertyShape ; sh:targetSubjectsOf res:t8-l ; sh:path res:t8-l ;
            sh:uniqueLang true .""",
        {("res:t8-a", "agsh:T8", "res:t8-l", None, "Violation")},
    ),
    "alternative path; numeric range": (
        """res:t9-a res:t9-p1 4.5 ; res:t9-p2 "4.4" .
        res:t9-b res:t9-p1 100.5 .""",
        """agsh:T9 a sh:PropertyShape ; sh:targetSubjectsOf res:t9-p1 ;
            sh:path [ sh:alternativePath ( res:t9-p1 res:t9-p2 ) ] ; sh:datatype xsd:decimal .
        agsh:T9b a sh:PropertyShape ; sh:targetSubjectsOf res:t9-p1 ; sh:path res:t9-p1 ;
            sh:minInclusive 0 ; sh:maxInclusive 100 .""",
        {
            ("res:t9-a", "agsh:T9", "(res:t9-p1|res:t9-p2)", '"4.4"', "Violation"),
            ("res:t9-b", "agsh:T9b", "res:t9-p1", "100.5", "Violation"),
        },
    ),
    "SPARQL constraint: $this, ?path, ?value, message template, dates, declared prefixes": (
        """res:t10-a res:t10-from "2010-05-01"^^xsd:date ; res:t10-to "2009-12-31"^^xsd:date .
        res:t10-b res:t10-from "2009-05-01"^^xsd:date ; res:t10-to "2009-12-31"^^xsd:date .""",
        """agsh:T10 a sh:NodeShape ; sh:targetSubjectsOf res:t10-from ;
            sh:sparql agsh:t10-order .
        agsh:t10-order a sh:SPARQLConstraint ; sh:prefixes agsh:t10-prefixes ;
            sh:message "starts {?value}, after its end {?to}" ;
            sh:select \"\"\"SELECT $this ?path ?value ?to WHERE {
                $this res:t10-from ?value ; res:t10-to ?to .
                FILTER (?value > ?to) BIND (res:t10-from AS ?path) }\"\"\" .
        agsh:t10-prefixes sh:declare [ sh:prefix "res" ;
            sh:namespace "https://w3id.org/alliance-graph/resource/"^^xsd:anyURI ] .""",
        {
            (
                "res:t10-a",
                "agsh:t10-order",
                "res:t10-from",
                '"2010-05-01"^^xsd:date',
                "Violation",
                "starts 2010-05-01, after its end 2009-12-31",
            )
        },
    ),
    "SHACL-AF SPARQL target; two constraints of one shape; severities": (
        """res:t11-a res:t11-n 5 .
        res:t11-b res:t11-n 50 .
        res:t11-c res:t11-n 500 .""",
        """agsh:T11 a sh:NodeShape ; sh:severity sh:Warning ;
            sh:target [ a sh:SPARQLTarget ; sh:prefixes agsh:t10-prefixes ;
                sh:select "SELECT ?this WHERE { ?this res:t11-n ?n FILTER (?n > 10) }" ] ;
            sh:sparql agsh:t11-big , agsh:t11-huge .
        agsh:t11-big a sh:SPARQLConstraint ; sh:prefixes agsh:t10-prefixes ;
            sh:message "big: {?value}" ;
            sh:select "SELECT $this ?value WHERE { $this res:t11-n ?value }" .
        agsh:t11-huge a sh:SPARQLConstraint ; sh:prefixes agsh:t10-prefixes ;
            sh:message "huge: {?value}" ;
            sh:select "SELECT $this ?value WHERE { $this res:t11-n ?value FILTER (?value > 100) }" .
        agsh:T11b a sh:PropertyShape ; sh:severity sh:Info ; sh:targetSubjectsOf res:t11-n ;
            sh:path res:t11-n ; sh:maxInclusive 10 .""",
        {
            ("res:t11-b", "agsh:t11-big", None, "50", "Warning", "big: 50"),
            ("res:t11-c", "agsh:t11-big", None, "500", "Warning", "big: 500"),
            ("res:t11-c", "agsh:t11-huge", None, "500", "Warning", "huge: 500"),
            ("res:t11-b", "agsh:T11b", "res:t11-n", "50", "Info"),
            ("res:t11-c", "agsh:T11b", "res:t11-n", "500", "Info"),
        },
    ),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("engines")
    data, shapes = folder / "data.ttl", folder / "shapes.ttl"
    data.write_text(PREFIXES + "\n".join(d for d, _, _ in CASES.values()) + "\n")
    shapes.write_text(PREFIXES + "\n".join(s for _, s, _ in CASES.values()) + "\n")
    return data, shapes


def _expected() -> set:
    return {e[:5] for _, _, found in CASES.values() for e in found}


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_engine_gives_the_known_answers(engine, files):
    data, shapes = files
    report = validate(
        [data], shapes=[shapes], default_shapes=False, default_checks=False, engine=engine
    )
    got = {(r.focus, r.rule, r.path, r.value, r.severity) for r in report.results}
    missing, extra = _expected() - got, got - _expected()
    assert not missing and not extra, f"missing {sorted(missing)}; extra {sorted(extra)}"
    messages = {(r.focus, r.rule): r.message for r in report.results}
    for _, _, found in CASES.values():
        for e in found:
            if len(e) == 6:
                assert messages[e[0], e[1]] == e[5]
    located = [r for r in report.results if r.focus.startswith("res:")]
    assert all(r.file == str(data) and r.line for r in located)


def test_shacl_rust_failing_beside_the_sparql_half_is_a_shapes_error(files, monkeypatch):
    # shacl-rust runs in a thread while Oxigraph answers the SPARQL constraints: an error
    # it raises there must reach the caller as the shapes' error, once both have finished.
    import shacl_rust

    from alliance_graph.validate import ShapesError

    def refuse(*args, **kwargs):
        raise ValueError("no such constraint component")

    monkeypatch.setattr(shacl_rust, "validate", refuse)
    data, shapes = files
    with pytest.raises(ShapesError, match="cannot be used: no such constraint component"):
        validate([data], shapes=[shapes], default_shapes=False, default_checks=False)
