"""What the graph holds: counts per class and the ownership stakes over time."""

from __future__ import annotations

from .queries import cached_store, names_for, sparql

CLASS_COUNTS = """
PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?class .
  FILTER(STRSTARTS(STR(?class), STR(ag:)) && ?class != ag:BestRank
         && (isBlank(?s) || !STRSTARTS(STR(?s), STR(ag:)))
         && EXISTS { ?class rdfs:label [] })
} GROUP BY ?class
"""

_STAKES = """
PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?holder ?held ?percent ?via ?voting ?from ?until ?status WHERE {
  ?s a ag:Shareholding , ag:BestRank ; ag:holder ?holder ; ag:held ?held ; ag:percent ?percent .
  FILTER(EXISTS { ?holder rdfs:label [] } && EXISTS { ?held rdfs:label [] })
  OPTIONAL { ?s ag:heldThrough ?via FILTER EXISTS { ?via rdfs:label [] } }
  BIND(EXISTS { ?s ag:interest ag:VotingInterest } AS ?voting)
  OPTIONAL { ?s ag:startEarliest ?se } OPTIONAL { ?s ag:startLatest ?sl }
  OPTIONAL { ?s ag:endEarliest ?ee } OPTIONAL { ?s ag:endLatest ?el }
  OPTIONAL { ?s ag:endStatus ?status FILTER EXISTS { ?status rdfs:label [] } }
  BIND(IF(BOUND(?se) && BOUND(?sl) && ?se = ?sl, STR(?se),
          CONCAT(COALESCE(STR(?se), "?"), " .. ", COALESCE(STR(?sl), "?"))) AS ?from)
  BIND(IF(BOUND(?ee) && BOUND(?el) && ?ee = ?el, STR(?ee),
       IF(!BOUND(?ee) && !BOUND(?el), "",
          CONCAT(COALESCE(STR(?ee), "?"), " .. ", COALESCE(STR(?el), "?")))) AS ?until)
}
"""


def _run(text: str, data, data_format, store):
    if store is None:
        store = cached_store(data, data_format)
    return sparql(text, store=store, trusted=True, timeout=None).rows


def class_counts(data=None, *, data_format=None, store=None) -> list[dict]:
    """How many things of each class the graph holds (the shipped data when None)."""
    if store is None:
        store = cached_store(data, data_format)
    return counted(_run(CLASS_COUNTS, data, data_format, store), names_for(store=store))


def counted(rows, names) -> list[dict]:
    """The rows of :data:`CLASS_COUNTS` as :func:`class_counts` gives them, the classes
    named through ``names`` (a :class:`alliance_graph.names.Names`): for a face that runs
    the query elsewhere (the web server, on its store or endpoint)."""
    # By the label every face shows a class by (names.pick_label): a user's translation
    # of the ontology adds labels, not rows.
    out = [{"class": names.label(r["class"]), "count": int(r["n"])} for r in rows]
    out.sort(key=lambda r: (-r["count"], r["class"]))
    return out


def stakes_over_time(data=None, *, data_format=None, store=None) -> list[dict]:
    """Best-ranked shareholdings, by held company, with their start and end bounds."""
    if store is None:
        store = cached_store(data, data_format)
    # Entities by the label every face shows them by (names.pick_label), one row a stake
    # however many languages label them: a label joined in SPARQL gave a row per label.
    names = names_for(store=store)
    rows = []
    for r in _run(_STAKES, data, data_format, store):
        rows.append(
            {
                "held": names.label(r["held"]),
                "holder": names.label(r["holder"]),
                "percent": float(r["percent"]),
                "votes": bool(r["voting"]),
                "through": names.label(r["via"]) if r["via"] else None,
                "from": r["from"],
                "until": r["until"] or None,
                "end": names.label(r["status"]) if r["status"] else None,
            }
        )
    rows.sort(key=lambda r: (r["held"], r["holder"], r["from"].replace("?", "0")))
    return rows


def triple_count(data=None, *, data_format=None, store=None) -> int:
    """The triples of the graph with the ontology (derived ones included)."""
    if store is None:
        store = cached_store(data, data_format)
    return len(store)


__all__ = ["class_counts", "stakes_over_time", "triple_count"]
