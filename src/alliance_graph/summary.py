"""What the graph holds: counts per class and the ownership stakes over time."""

from __future__ import annotations

from rdflib import Graph

from .temporal import AG

_COUNTS = """
PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?class .
  ?class rdfs:label ?label .
  FILTER(STRSTARTS(STR(?class), STR(ag:)) && ?class != ag:BestRank
         && !STRSTARTS(STR(?s), STR(ag:)))
} GROUP BY ?class ?label ORDER BY DESC(?n) ?label
"""

_STAKES = """
PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?holderLabel ?heldLabel ?percent ?via ?voting ?from ?until ?status WHERE {
  ?s a ag:Shareholding , ag:BestRank ;
     ag:holder/rdfs:label ?holderLabel ; ag:held/rdfs:label ?heldLabel ; ag:percent ?percent .
  OPTIONAL { ?s ag:heldThrough/rdfs:label ?via }
  BIND(EXISTS { ?s ag:interest ag:VotingInterest } AS ?voting)
  OPTIONAL { ?s ag:startEarliest ?se } OPTIONAL { ?s ag:startLatest ?sl }
  OPTIONAL { ?s ag:endEarliest ?ee } OPTIONAL { ?s ag:endLatest ?el }
  OPTIONAL { ?s ag:endStatus/rdfs:label ?status }
  BIND(IF(BOUND(?se) && BOUND(?sl) && ?se = ?sl, STR(?se),
          CONCAT(COALESCE(STR(?se), "?"), " .. ", COALESCE(STR(?sl), "?"))) AS ?from)
  BIND(IF(BOUND(?ee) && BOUND(?el) && ?ee = ?el, STR(?ee),
       IF(!BOUND(?ee) && !BOUND(?el), "",
          CONCAT(COALESCE(STR(?ee), "?"), " .. ", COALESCE(STR(?el), "?")))) AS ?until)
}
"""


def class_counts(graph: Graph) -> list[dict]:
    return [{"class": str(r.label), "count": int(r.n)} for r in graph.query(_COUNTS)]


def stakes_over_time(graph: Graph) -> list[dict]:
    """Best-ranked shareholdings, by held company, with their start and end bounds."""
    rows = []
    for r in graph.query(_STAKES):
        rows.append(
            {
                "held": str(r.heldLabel),
                "holder": str(r.holderLabel),
                "percent": float(r.percent),
                "votes": bool(r.voting.toPython()) if r.voting is not None else False,
                "through": str(r.via) if r.via else None,
                "from": str(r["from"]),
                "until": str(r.until) if r.until else None,
                "end": str(r.status) if r.status else None,
            }
        )
    # Sorted here: rdflib's ORDER BY fails on unbound keys.
    rows.sort(key=lambda r: (r["held"], r["holder"], r["from"].replace("?", "0")))
    return rows


__all__ = ["AG", "class_counts", "stakes_over_time"]
