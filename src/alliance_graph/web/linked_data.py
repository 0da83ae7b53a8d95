"""Linked Data: every IRI of the graph dereferences at the matching local path.

``https://w3id.org/alliance-graph/resource/Renault`` is served at ``/resource/Renault``,
``…/source/x`` at ``/source/x``, the ontology's hash terms at ``/ontology``. The answer is
negotiated (HTML, Turtle, JSON-LD, N-Triples, RDF/XML) and given directly, 200 with a
``Content-Location`` naming the document sent (``/resource/Renault.ttl``), ``Vary:
Accept`` and ``Link`` headers to every alternate: one round trip instead of a 303's two
(docs/web.md says why this is the choice). The description of a resource is the saved
query ``entity-graph``: its own triples, its citations, and the statement nodes that point
at it with theirs.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..namespaces import AG
from . import negotiation
from .backend import iri_of_path
from .errors import HTTPProblem

TYPES = {
    "text/html": "html",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
}
EXTENSIONS = {ext: media for media, ext in TYPES.items()}
GRAPH_FORMAT = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdf-xml",
}
ONTOLOGY_GRAPH = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o .
  FILTER(STRSTARTS(STR(?s), "{AG.rstrip("#")}")) }}"""


def _split(name: str) -> tuple[str, str | None]:
    stem, dot, ext = name.rpartition(".")
    if dot and ext in EXTENSIONS:
        return stem, EXTENSIONS[ext]
    return name, None


def _headers(base: str, media: str) -> dict:
    links = [f'<{base}.{ext}>; rel="alternate"; type="{m}"' for m, ext in TYPES.items()]
    return {
        "Content-Location": f"{base}.{TYPES[media]}",
        "Vary": "Accept",
        "Link": ", ".join(links),
    }


def _choose(request: Request, forced: str | None) -> str:
    if forced:
        return forced
    media = negotiation.choose(request.headers.get("accept"), list(TYPES))
    if media is None:
        raise HTTPProblem(406, f"this resource comes as {', '.join(TYPES)}")
    return media


def routes(backend, pages):
    async def describe(request: Request, kind: str):
        name, forced = _split(request.path_params["name"])
        media = _choose(request, forced)
        iri = iri_of_path(f"/{kind}/{name}")
        base = f"/{kind}/{name}"
        if media == "text/html":
            response = await pages.entity(request, iri)
            response.headers.update(_headers(base, media))
            return response
        if iri not in backend.directory:  # the one resolver knows every described resource
            raise HTTPProblem(404, f"the graph says nothing about <{iri}>")
        result = await run_in_threadpool(backend.run, "entity-graph", {"entity": f"<{iri}>"})
        if not len(result):
            raise HTTPProblem(404, f"the graph says nothing about <{iri}>")
        body = result.serialize(GRAPH_FORMAT[media])
        return Response(body, media_type=media, headers=_headers(base, media))

    async def resource(request):
        return await describe(request, "resource")

    async def source(request):
        return await describe(request, "source")

    async def ontology(request: Request):
        name, forced = _split(request.path_params.get("name", "ontology"))
        media = _choose(request, forced)
        if media == "text/html":
            response = await pages.ontology(request)
            response.headers.update(_headers("/ontology", media))
            return response
        result = await run_in_threadpool(backend.sparql, ONTOLOGY_GRAPH)
        body = result.serialize(GRAPH_FORMAT[media])
        return Response(body, media_type=media, headers=_headers("/ontology", media))

    return [
        Route("/resource/{name:path}", resource, name="resource"),
        Route("/source/{name:path}", source, name="source"),
        Route("/ontology", ontology, name="ontology"),
        Route("/ontology.{ext}", _ontology_ext(ontology), name="ontology-file"),
    ]


def _ontology_ext(ontology):
    async def handler(request: Request):
        ext = request.path_params["ext"]
        if ext not in EXTENSIONS:
            raise HTTPProblem(404, f"no /ontology.{ext}; try {', '.join(EXTENSIONS)}")
        request.path_params["name"] = f"ontology.{ext}"
        return await ontology(request)

    return handler


__all__ = ["routes"]
