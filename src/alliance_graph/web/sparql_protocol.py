"""The SPARQL 1.1 Protocol at ``/sparql``: query by GET, POST form and POST direct;
results by content negotiation or ``?format=``; the service description when no query is
given. Read-only: updates are answered 400 and never run; SERVICE and FROM are refused;
every query runs under the server's time limit and row cap (:class:`Settings`)."""

from __future__ import annotations

import json
import urllib.parse

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..errors import AllianceGraphError
from . import negotiation
from .errors import HTTPProblem

SELECT_TYPES = {
    "application/sparql-results+json": "sparql-json",
    "application/json": "sparql-json",
    "application/sparql-results+xml": "sparql-xml",
    "application/xml": "sparql-xml",
    "text/csv": "sparql-csv",
    "text/tab-separated-values": "sparql-tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "rdf-xml",
    "text/plain": "ntriples",
}
# ?format= names (and the media types themselves)
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "jsonld": "application/ld+json",
    "rdf-xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
}
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"


def _media_for(request: Request, form: str) -> str:
    table = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else SELECT_TYPES
    fmt = request.query_params.get("format")
    if fmt:
        media = FORMAT_NAMES.get(fmt.lower(), fmt.lower())
        if media not in table:
            kinds = "graph" if table is GRAPH_TYPES else "SELECT and ASK"
            names = sorted(k for k, v in FORMAT_NAMES.items() if v in table)
            raise HTTPProblem(
                400, f"format {fmt!r} cannot carry {kinds} results; choose {', '.join(names)}"
            )
        return media
    media = negotiation.choose(request.headers.get("accept"), list(table))
    if media is None:
        raise HTTPProblem(
            406,
            f"none of the Accept header's types can carry this result; offered: {', '.join(table)}",
        )
    return media


def render(result, media: str) -> bytes:
    """``result`` in one of the protocol's media types."""
    if result.is_graph:
        return result.serialize(GRAPH_TYPES[media]).encode("utf-8")
    fmt = SELECT_TYPES[media]
    if fmt == "sparql-json":
        return json.dumps(result.to_sparql_json(), ensure_ascii=False).encode("utf-8")
    if fmt == "sparql-xml":
        return result.to_sparql_xml().encode("utf-8")
    if fmt == "sparql-csv":
        return result.to_sparql_csv().encode("utf-8")
    return result.to_sparql_tsv().encode("utf-8")


async def _query_text(request: Request) -> str | None:
    """The query of a protocol request; refuses updates and graph parameters."""
    params = request.query_params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    form: dict[str, list[str]] = {}
    text = None
    if request.method == "POST":
        body = (await request.body()).decode("utf-8", "replace")
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
        elif ctype == "application/sparql-query":
            text = body
        elif ctype == "application/sparql-update":
            raise HTTPProblem(
                400,
                "refused: this endpoint is read-only; SPARQL Update "
                "(application/sparql-update) is not accepted",
            )
        else:
            raise HTTPProblem(
                415,
                "POST a query as application/x-www-form-urlencoded "
                f"(query=...) or application/sparql-query, not {ctype or 'nothing'}",
            )
    if "update" in form or "update" in params:
        raise HTTPProblem(
            400,
            "refused: this endpoint is read-only; the update parameter "
            "(SPARQL Update) is not accepted",
        )
    for key in ("using-graph-uri", "using-named-graph-uri"):
        if key in form or key in params:
            raise HTTPProblem(
                400, f"refused: {key} belongs to SPARQL Update; this endpoint is read-only"
            )
    for key in ("default-graph-uri", "named-graph-uri"):
        if form.get(key) or params.get(key):
            raise HTTPProblem(
                400,
                f"{key} is not supported: the endpoint answers from its one "
                "default graph (FROM and FROM NAMED are refused too)",
            )
    if text is None:
        values = form.get("query") or params.getlist("query")
        if len(values) > 1:
            raise HTTPProblem(400, "give one query parameter, not several")
        text = values[0] if values else None
    return text


def make_endpoint(backend, pages):
    """The ``/sparql`` handler bound to a backend (and the page that shows the editor)."""

    async def sparql(request: Request) -> Response:
        text = await _query_text(request)
        if text is None:
            accept = request.headers.get("accept", "")
            if negotiation.choose(accept, ["text/turtle", "text/html"]) == "text/html" and (
                "text/html" in accept
            ):
                return await pages.editor(request)
            return service_description(request)
        if len(text) > backend.settings.max_query:
            raise HTTPProblem(
                413,
                f"the query is longer than {backend.settings.max_query} "
                "characters, the limit of this server",
            )
        if not text.strip():
            raise HTTPProblem(400, "the query parameter is empty")
        from ..queries import check_read_only, query_form

        try:
            check_read_only(text)  # an update is refused as such, before anything else
            form = query_form(text)
        except AllianceGraphError as exc:
            raise HTTPProblem(400, str(exc)) from None
        media = _media_for(request, form)
        body, truncated, limit = await run_in_threadpool(
            backend.sparql_rendered, text, render, media
        )
        headers = {"Vary": "Accept"}
        if truncated:
            headers["X-Result-Truncated"] = f"first {limit} results (the row cap)"
        return Response(body, media_type=media, headers=headers)

    return sparql


def service_description(request: Request) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, negotiated like a graph."""
    endpoint = ox.NamedNode(str(request.url.replace(query="")))
    node = ox.BlankNode("service")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def sd(name):
        return ox.NamedNode(SD + name)

    triples = [
        ox.Triple(node, rdf_type, sd("Service")),
        ox.Triple(node, sd("endpoint"), endpoint),
        ox.Triple(node, sd("supportedLanguage"), sd("SPARQL11Query")),
    ]
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        triples.append(ox.Triple(node, sd("resultFormat"), ox.NamedNode(FORMATS_NS + name)))
    dataset, graph = ox.BlankNode("dataset"), ox.BlankNode("graph")
    triples += [
        ox.Triple(node, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), graph),
        ox.Triple(graph, rdf_type, sd("Graph")),
    ]
    offers = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
    fmt = request.query_params.get("format")
    media = FORMAT_NAMES.get(fmt.lower(), fmt) if fmt else None
    if media not in offers:
        media = negotiation.choose(request.headers.get("accept"), offers) or "text/turtle"
    formats = {
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "application/ld+json": ox.RdfFormat.JSON_LD,
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
    }
    prefixes = {"sd": SD, "formats": FORMATS_NS} if media == "text/turtle" else None
    body = ox.serialize(triples, format=formats[media], prefixes=prefixes)
    return Response(body, media_type=media, headers={"Vary": "Accept"})
