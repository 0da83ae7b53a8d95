"""Small data files of the kind a user brings: two companies of the user's own namespace
and one sourced stake between them, for the tests that ask every face about such data."""

from __future__ import annotations

_ONE_STAKE = """\
@prefix ag:   <https://w3id.org/alliance-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <http://example.org/> .
ex:src a ag:Source ; rdfs:label "A register"@en ; ag:publisher "R" ;
    ag:published "2020-01-10"^^xsd:date ; ag:url "https://example.org/r"^^xsd:anyURI .
ex:A a ag:Company ; rdfs:label "{holder}"@en ;
    ag:citation [ a ag:Citation ; ag:source ex:src ; ag:locator "1" ] .
ex:B a ag:Company ; rdfs:label "{held}"@en ;
    ag:citation [ a ag:Citation ; ag:source ex:src ; ag:locator "2" ] .
ex:s a ag:Shareholding ; rdfs:label "{holder} in {held}"@en ; ag:holder ex:A ; ag:held ex:B ;
    ag:percent {percent} ; ag:interest ag:EconomicInterest , ag:VotingInterest ;
    {dates}
    ag:citation [ a ag:Citation ; ag:source ex:src ; ag:locator "3" ] .
"""


def one_stake(path, *, holder: str, held: str, dates: str, percent: str = "60.0"):
    """Write a Turtle file at ``path`` where ``holder`` holds ``percent`` of ``held``,
    with ``dates`` (Turtle predicates and objects, each ended by " ;"); return the path."""
    text = _ONE_STAKE.format(holder=holder, held=held, percent=percent, dates=dates)
    path.write_text(text, encoding="utf-8")
    return path
