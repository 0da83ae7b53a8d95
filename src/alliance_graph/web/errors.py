"""Errors as answers: a page for people, a JSON body for programs, never a traceback.

Library errors keep their message (it names the parameter, the file or the reason); their
class gives the status: a bad value 400 (an unknown name given as a parameter too: the
APIs say so themselves), an unknown resource or query 404, a timed-out query 503, a
failing remote endpoint 502. Anything unexpected is 500 with a generic reason.
"""

from __future__ import annotations

import logging
import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import errors as lib
from ..names import LIST_HINT
from . import negotiation

_CLI_PARAMETER = re.compile(r"\(-p (\w+)=\.\.\.\)")

log = logging.getLogger("alliance_graph.web")


class HTTPProblem(Exception):
    """An answer other than 200 with a reason for the client."""

    def __init__(self, status: int, reason: str, headers: dict | None = None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}


def status_of(exc: Exception) -> int:
    if isinstance(exc, HTTPProblem):
        return exc.status
    if isinstance(exc, HTTPException):
        return exc.status_code
    if isinstance(exc, lib.UnknownEntityError | lib.UnknownQueryError):
        return 404
    if isinstance(exc, lib.QueryTimeoutError):
        return 503
    if isinstance(exc, lib.EndpointError):
        return 502
    if isinstance(exc, lib.UsageError | lib.QueryError | lib.DataFileError):
        return 400
    if isinstance(exc, lib.AllianceGraphError):
        return 400
    return 500


TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Too large",
    415: "Unsupported media type",
    500: "Server error",
    502: "Bad gateway",
    503: "Unavailable",
}


def make_handler(render_page):
    """The exception handler of the app; ``render_page(request, status, title, reason)``
    builds the HTML page."""

    async def handle(request: Request, exc: Exception) -> Response:
        status = status_of(exc)
        if status == 500:
            log.exception("unexpected error on %s", request.url.path)
            reason = "an unexpected error; it has been logged"
        elif isinstance(exc, HTTPException):
            reason = exc.detail or TITLES.get(status, "error")
        else:
            reason = str(exc)
        # The resolver's hint names the CLI's command; a visitor has the suggestions.
        reason = reason.replace(LIST_HINT, "(GET /api/suggest?q=TEXT lists names to use)")
        # ... and how to give a parameter on the command line: here it is ?name=value.
        reason = _CLI_PARAMETER.sub(r"(?\1=...)", reason)
        headers = dict(getattr(exc, "headers", None) or {})
        if status == 503:
            headers.setdefault("Retry-After", "5")
        title = TITLES.get(status, "Error")
        accept = request.headers.get("accept", "")
        wants = negotiation.choose(accept, ["application/json", "text/html"])
        if wants == "text/html" and "text/html" in accept:
            return render_page(request, status, title, reason, headers)
        return JSONResponse(
            {"status": status, "error": title, "reason": reason},
            status_code=status,
            headers=headers,
        )

    return handle
