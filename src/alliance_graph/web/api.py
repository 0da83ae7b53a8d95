"""The JSON face: the saved queries as an API (with an OpenAPI 3.1 document built from
their ``#+`` headers), the ownership analyses, and name suggestions.

A saved query's parameters are bound by :func:`alliance_graph.queries.run`, the function
``alliance-graph query`` calls; its rows are those the CLI prints with ``--format json``
(``csv``, ``tsv``), so the two give the same answers.
"""

from __future__ import annotations

import datetime as dt
import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..output import render as render_rows
from ..temporal import READINGS, DateSpan, parse_date
from . import negotiation
from .errors import HTTPProblem
from .sparql_protocol import GRAPH_TYPES

ROW_TYPES = {
    "application/json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/sparql-results+json": "sparql-json",
}
FORMAT_NAMES = {
    "json": "application/json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "sparql-json": "application/sparql-results+json",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "json-ld": "application/ld+json",
    "rdf-xml": "application/rdf+xml",
}
RESERVED = {"format"}  # query-string names that are not query parameters


def describe(q) -> dict:
    """A saved query as JSON: its documentation, parameters and example."""
    return {
        "name": q.name,
        "summary": q.summary,
        "description": q.description,
        "tags": list(q.tags),
        "form": q.form,
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "description": p.description,
                "required": p.required,
                "optional": p.optional,
                "default": p.default,
                "enum": list(p.enum),
                "expects": p.expects,
            }
            for p in q.parameters
        ],
        "example": {k: str(v) for k, v in q.example.items()},
        "url": f"/api/queries/{q.name}",
        "page": f"/queries/{q.name}",
    }


def day_of(text: str | None) -> DateSpan:
    """The day, month or year a page shows: ``?at=`` (YYYY, YYYY-MM or YYYY-MM-DD, read
    as every face reads it: a month or a year is the span of its days), or today. A bad
    value is a 400 naming the parameter. Until 2026-12 the pages took a month's or a
    year's first day, where the CLI and the API took the whole span."""
    if not text or not text.strip():
        today = dt.date.today()
        return DateSpan(today, today, "day")
    try:
        return parse_date(text)
    except ValueError as exc:
        raise HTTPProblem(400, f"parameter 'at': {exc}") from None


def single(request: Request, name: str) -> str | None:
    """The one value of query parameter ``name`` (None when not given); given twice, a
    400, as every API says (a page once took the last of ``?at=2002&at=2017``)."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise HTTPProblem(400, f"parameter {name!r} is given {len(values)} times")
    return values[0] if values else None


def params_of(request: Request) -> dict:
    """The query parameters of a request, each once; empty values mean "not given"."""
    params = {}
    for key in request.query_params:
        if key in RESERVED:
            continue
        values = request.query_params.getlist(key)
        if len(values) > 1:
            raise HTTPProblem(400, f"parameter {key!r} is given {len(values)} times")
        if values[0].strip():
            params[key] = values[0]
    return params


def media_of(request: Request, graph: bool) -> str:
    offers = list(GRAPH_TYPES) if graph else list(ROW_TYPES)
    if graph:
        offers = [o for o in offers if o != "text/plain"] + ["application/json", "text/csv"]
    fmt = request.query_params.get("format")
    if fmt:
        media = FORMAT_NAMES.get(fmt.lower())
        if media is None or media not in offers:
            allowed = [k for k, v in FORMAT_NAMES.items() if v in offers]
            raise HTTPProblem(400, f"format {fmt!r}: choose {', '.join(allowed)}")
        return media
    media = negotiation.choose(request.headers.get("accept"), offers)
    if media is None:
        raise HTTPProblem(406, f"this answer comes as {', '.join(offers)}")
    return media


def result_response(result, media: str, filename: str | None = None) -> Response:
    """A Result as the CLI would print it in that format."""
    if result.is_graph and media in GRAPH_TYPES:
        body = result.serialize(GRAPH_TYPES[media])
    elif ROW_TYPES.get(media) == "sparql-json":
        body = json.dumps(result.to_sparql_json(), ensure_ascii=False)
    else:
        body = render_rows(result.to_rows(), ROW_TYPES[media], result.columns)
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers["X-Result-Truncated"] = f"first {result.limit} results (the row cap)"
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(body.encode("utf-8"), media_type=media, headers=headers)


def routes(backend):
    from starlette.routing import Route

    async def list_queries(request):
        return JSONResponse([describe(q) for q in backend.catalogue()])

    async def run_query(request):
        name = request.path_params["name"]
        from .. import queries

        saved = await run_in_threadpool(queries.get, name)
        params = params_of(request)
        media = media_of(request, saved.form in ("CONSTRUCT", "DESCRIBE"))
        result = await run_in_threadpool(backend.run, name, params)
        ext = {"text/csv": "csv", "text/tab-separated-values": "tsv"}.get(media)
        return result_response(result, media, f"{name}.{ext}" if ext else None)

    async def openapi_doc(request):
        from .openapi import document

        return JSONResponse(document(backend.catalogue()))

    def ownership_route(name, call, accepted):
        async def handler(request):
            # As the saved queries' API (params_of): a parameter given twice, or one the
            # analysis does not take, is an error, not silently ignored; an empty one is
            # not given (a form's empty field).
            args = params_of(request)
            unknown = sorted(set(request.query_params) - set(accepted))
            if unknown:
                raise HTTPProblem(
                    400,
                    f"/api/ownership/{name} has no parameter {unknown[0]!r} "
                    f"(it takes {', '.join(accepted)})",
                )
            reading = args.get("reading", "as-of")
            if reading not in READINGS:
                raise HTTPProblem(
                    400,
                    f"parameter 'reading' expects one of {', '.join(READINGS)} (got {reading!r})",
                )
            if "at" in args:
                args["at"] = day_of(args["at"])
            record = await run_in_threadpool(call, backend.holdings, args)
            return JSONResponse(record)

        return Route(f"/api/ownership/{name}", handler, name=f"ownership-{name}")

    def need(h, args, *names, optional=()):
        """The entities named by these parameters (resolved as the CLI resolves them), an
        unknown or ambiguous name a 400 naming the parameter, as in the queries' API."""
        from ..entities import resolve
        from ..errors import UnknownEntityError

        missing = [n for n in names if n not in args]
        if missing:
            raise HTTPProblem(
                400, f"parameter {missing[0]!r} is required (a name, alternative label or IRI)"
            )
        out = []
        for n in (*names, *optional):
            if n not in args:
                out.append(None)
                continue
            try:
                out.append(resolve(h, args[n]))
            except UnknownEntityError as exc:
                raise HTTPProblem(400, f"parameter {n!r}: {exc}") from None
        return out

    def allowed(args, name, choices, default):
        value = args.get(name, default)
        if value not in choices:
            raise HTTPProblem(
                400, f"parameter {name!r} expects one of {', '.join(choices)} (got {value!r})"
            )
        return value

    def stake(h, a):
        from .. import ownership

        holder, held = need(h, a, "holder", "held")
        return ownership.stake(h, holder, held, a.get("at"), reading=a.get("reading", "as-of"))

    def integrated(h, a):
        from .. import ownership

        holder, held = need(h, a, "holder", optional=("held",))
        return ownership.integrated(
            h,
            holder,
            held,
            a.get("at"),
            definition=allowed(a, "definition", ownership.DEFINITIONS, "corrected"),
            interest=allowed(a, "interest", ownership.INTERESTS, "economic"),
            reading=a.get("reading", "as-of"),
        )

    def control(h, a):
        from .. import ownership

        (held,) = need(h, a, "held")
        return ownership.control(
            h,
            held,
            a.get("at"),
            threshold=allowed(a, "threshold", ownership.THRESHOLDS, "above-50"),
            reading=a.get("reading", "as-of"),
        )

    def timeline(h, a):
        from .. import ownership

        holder, held = need(h, a, "holder", "held")
        return ownership.timeline(
            h,
            holder,
            held,
            definition=allowed(a, "definition", ownership.DEFINITIONS, "corrected"),
            reading=a.get("reading", "as-of"),
        )

    def paths(h, a):
        from .. import ownership

        holder, held = need(h, a, "holder", "held")
        limit = a.get("limit", "100")
        if not limit.isdigit():
            raise HTTPProblem(400, f"parameter 'limit' expects a whole number (got {limit!r})")
        return ownership.paths(
            h,
            holder,
            held,
            a.get("at"),
            limit=min(int(limit) or 1000, 1000),
            interest=allowed(a, "interest", ownership.INTERESTS, "economic"),
            reading=a.get("reading", "as-of"),
        )

    def network(h, a):
        from .. import ownership

        g = ownership.snapshot(
            h,
            a.get("at"),
            interest=allowed(a, "interest", ownership.INTERESTS, "economic"),
            reading=a.get("reading", "as-of"),
        )
        return {
            "at": g.graph["at"],
            "reading": g.graph["reading"],
            "interest": g.graph["interest"],
            "nodes": [dict(attrs) for _, attrs in sorted(g.nodes(data=True))],
            "edges": [
                {"holder": u, "held": v, **attrs} for u, v, attrs in sorted(g.edges(data=True))
            ],
        }

    async def suggest(request):
        q = request.query_params.get("q", "")[:200]
        return JSONResponse(await run_in_threadpool(backend.suggest, q))

    from .openapi import ownership_parameters

    accepted = ownership_parameters()  # the parameters the OpenAPI document declares
    return [
        Route("/api/queries", list_queries, name="api-queries"),
        Route("/api/queries/{name}", run_query, name="api-query"),
        Route("/api/openapi.json", openapi_doc, name="openapi"),
        Route("/api/suggest", suggest, name="suggest"),
        *(
            ownership_route(name, call, accepted[name])
            for name, call in (
                ("stake", stake),
                ("integrated", integrated),
                ("control", control),
                ("timeline", timeline),
                ("paths", paths),
                ("network", network),
            )
        ),
    ]
