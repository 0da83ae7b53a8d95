"""The ASGI application: ``alliance_graph.web:app``, or :func:`create_app` with settings.

Starlette (on uvicorn by ``alliance-graph serve``, or any ASGI server): a small toolkit of
routing, requests, responses, middleware and a test client, with nothing we do not use.
The module-level ``app`` reads its settings from the environment (backend.Settings) and
loads nothing until the first request.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import AllianceGraphError
from . import api, linked_data, sparql_protocol
from .backend import Backend, Settings
from .errors import HTTPProblem, make_handler
from .pages import Pages
from .security import BodyLimit, SecurityHeaders

HERE = Path(__file__).parent


class _Static(StaticFiles):
    """The site's own CSS and scripts, revalidated on every use (``Cache-Control:
    no-cache``; unchanged files are answered 304 by their ETag). Without a Cache-Control a
    browser guesses how long a copy stays fresh from the file's age, so the same page
    loaded from cache or from the server depending on when the files were installed."""

    def file_response(self, *args, **kwargs):
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    backend = Backend(settings)
    pages = Pages(backend)
    routes = [
        Route("/", pages.home, name="home"),
        Route("/search", pages.search, name="search"),
        Route("/queries", pages.queries_index, name="queries"),
        Route("/queries/{name}", pages.query_page, name="query"),
        Route("/editor", pages.editor, name="editor"),
        Route("/explorer", pages.explorer, name="explorer"),
        Route("/explorer/view", pages.explorer_view, name="explorer-view"),
        Route("/timeline.svg", pages.timeline_svg, name="timeline"),
        Route(
            "/sparql",
            sparql_protocol.make_endpoint(backend, pages),
            methods=["GET", "POST"],
            name="sparql",
        ),
        *api.routes(backend),
        *linked_data.routes(backend, pages),
        Mount("/static", _Static(directory=str(HERE / "static")), name="static"),
    ]
    handler = make_handler(pages.error_page)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        try:
            yield
        finally:
            backend.close()  # the query workers end with the server

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                BodyLimit,
                limit=settings.max_body,
                # a query of max_query characters percent-encoded (3 bytes each) fits
                query_limit=3 * settings.max_query + 1024,
            ),
            # Read-only and without credentials: any origin may query (SPARQL clients
            # such as YASGUI run in the browser of another site).
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=["Content-Location", "Link", "X-Result-Truncated"],
            ),
        ],
        exception_handlers={
            Exception: handler,
            HTTPException: handler,
            HTTPProblem: handler,
            AllianceGraphError: handler,
        },
    )
    app.state.backend = backend
    app.state.settings = settings
    return app


app = create_app(Settings.from_env())
