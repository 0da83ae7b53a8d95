"""Small ownership graphs in the project's vocabulary, valid under the shipped shapes,
written by the tests that need them (no figures here: each test states its own)."""

from __future__ import annotations

PREFIXES = """@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:src a ag:Source ; rdfs:label "register"@en ;
    ag:url "https://example.org/register/2020"^^xsd:anyURI .
"""

CITE = '[ a ag:Citation ; ag:source ex:src ; ag:locator "p. 1"{extra} ]'


def company(name: str, label: str | None = None) -> str:
    return (
        f'ex:{name} a ag:Company ; rdfs:label "{label or name}"@en ;'
        f" ag:citation {CITE.format(extra='')} .\n"
    )


def stake(
    name: str,
    holder: str,
    held: str,
    percent: float,
    *,
    votes: bool = True,
    start: str = '"2000-01-01"^^xsd:date',
    end: str | None = None,
    extra: str = "",
    reported: str | None = None,
) -> str:
    interests = "ag:EconomicInterest , ag:VotingInterest" if votes else "ag:EconomicInterest"
    when = f" ag:start {start} ;" if start else ""
    until = f" ag:end {end} ; ag:endStatus ag:Ended ;" if end else " ag:endStatus ag:Ongoing ;"
    rep = f' ; ag:reportedOn "{reported}"^^xsd:date' if reported else ""
    return (
        f'ex:{name} a ag:Shareholding ; rdfs:label "{holder} in {held}"@en ;'
        f" ag:holder ex:{holder} ; ag:held ex:{held} ; ag:percent {float(percent)!r} ;"
        f" ag:interest {interests} ;{when}{until}{extra}"
        f" ag:citation {CITE.format(extra=rep)} .\n"
    )


def graph(companies: list[str], *stakes: str) -> str:
    return PREFIXES + "".join(company(c) for c in companies) + "".join(stakes)


# P and S hold all of each other (a cycle through which integrated ownership is
# undefined), and P holds 10% of T.
CLOSED_CYCLE = (
    company("P", "Parent")
    + company("S", "Sub")
    + company("T", "Target")
    + stake("ps", "P", "S", 100)
    + stake("sp", "S", "P", 100)
    + stake("pt", "P", "T", 10)
)
