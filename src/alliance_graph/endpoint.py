"""Remote SPARQL 1.1 servers: queries by the SPARQL 1.1 Protocol, pushes through the Graph
Store Protocol (the standard library's urllib for both).

Any SPARQL 1.1 endpoint works (Oxigraph, Fuseki, Virtuoso, GraphDB...); docs/store.md
lists their query and graph-store URLs. Credentials, when the server wants them, come from
``auth=(user, password)``, a user and password in the URL (``http://user:pw@host/query``),
or the environment (ALLIANCE_GRAPH_USER, ALLIANCE_GRAPH_PASSWORD); a URL is never shown with
its password. A redirect to another origin is refused. Answers are read as a stream, up to
the row limit and :data:`MAX_ANSWER_BYTES`. Every failure (server down, too slow, an HTTP
error, an answer too large or malformed) is an :class:`EndpointError` naming the URL and the
reason.
"""

from __future__ import annotations

import base64
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .errors import EndpointError, UsageError

ENV_ENDPOINT = "ALLIANCE_GRAPH_ENDPOINT"
ENV_USER = "ALLIANCE_GRAPH_USER"
ENV_PASSWORD = "ALLIANCE_GRAPH_PASSWORD"

# Longer queries go by POST: many servers and proxies cap URLs at 2-8 kB.
POST_ABOVE = 1800


# An answer larger than this is refused (reading stops there), unless a row limit stops
# reading earlier: 256 MiB of SPARQL JSON is about a million rows.
MAX_ANSWER_BYTES = 256 * 1024 * 1024
CHUNK = 64 * 1024


def credentials(auth: tuple[str, str] | None = None) -> tuple[str, str] | None:
    """``auth`` if given, else the user and password of the environment, else None."""
    if auth is not None:
        return auth
    user = os.environ.get(ENV_USER)
    if user:
        return user, os.environ.get(ENV_PASSWORD, "")
    return None


def public_url(url: str) -> str:
    """``url`` without its user and password (``http://bob:pw@host/q`` -> ``http://host/q``):
    what every message shows."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL to send (no userinfo) and the credentials written in it, if any; a text
    that is not a URL (``http://[::1``) is a :class:`UsageError`."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - read for its check of the host and port
    except ValueError as exc:
        shown = re.sub(r"//[^/]*@", "//", url)  # never the password
        raise UsageError(f"endpoint {shown!r} is not a URL ({exc})") from None
    if "@" not in parts.netloc:
        return url, None
    userinfo = parts.netloc.rpartition("@")[0]
    user, _, password = userinfo.partition(":")
    return public_url(url), (urllib.parse.unquote(user), urllib.parse.unquote(password))


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port or default
    except ValueError:
        port = None
    return parts.scheme, (parts.hostname or "").lower(), port


def _reason(exc: BaseException, timeout) -> str:
    """A one-line reason for a failed request."""
    import socket

    if isinstance(exc, urllib.error.HTTPError):
        try:
            body = exc.read(2000).decode("utf-8", "replace")
        except Exception:  # the body is only a hint
            body = ""
        detail = " ".join(body.split())[:300]
        return f"the server answered HTTP {exc.code} {exc.reason}" + (
            f": {detail}" if detail else ""
        )
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s (--timeout)"
    if isinstance(exc, urllib.error.URLError):
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            return f"no answer within {timeout:g} s (--timeout)"
        reason = getattr(exc.reason, "strerror", None) or str(exc.reason)
        return f"cannot connect ({reason})"
    if isinstance(exc, ConnectionError | OSError):
        return f"cannot connect ({getattr(exc, 'strerror', None) or exc})"
    return f"{type(exc).__name__}: {exc}"


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follows a redirect within the endpoint's origin (scheme, host, port) and refuses one
    that leaves it: the query and the credentials would go to a server not named."""

    def __init__(self, shown: str):
        self.shown = shown

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urllib.parse.urljoin(req.full_url, newurl)
        if _origin(target) != _origin(req.full_url):
            raise EndpointError(
                f"{self.shown}: the server redirected to another origin "
                f"({public_url(target)}); refused, since the query and credentials would "
                "follow it: give that URL as the endpoint if it is the one you mean"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Capped:
    """A binary reader over an HTTP answer that stops at ``cap`` bytes and at a deadline."""

    def __init__(self, response, cap: int, deadline: float | None, shown: str):
        self.response = response
        self.cap = cap
        self.deadline = deadline
        self.shown = shown
        self.read_bytes = 0
        self.failure: EndpointError | None = None

    def read(self, size: int = -1) -> bytes:
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.failure = EndpointError(f"{self.shown}: no complete answer in time (--timeout)")
            raise OSError("deadline")
        size = CHUNK if size is None or size < 0 or size > CHUNK else size
        try:
            data = self.response.read(size)
        except OSError as exc:
            self.failure = EndpointError(f"{self.shown}: the answer broke off: {_reason(exc, 0)}")
            raise
        self.read_bytes += len(data)
        if self.read_bytes > self.cap:
            self.failure = EndpointError(
                f"{self.shown}: the answer is larger than {self.cap // (1024 * 1024)} MiB; "
                "refused (add LIMIT to the query)"
            )
            raise OSError("too large")
        return data

    def readable(self) -> bool:
        return True


def query(
    url: str,
    text: str,
    *,
    form: str,
    limit: int | None = None,
    timeout: float | None = 30.0,
    default_graph: str | None = None,
    auth: tuple[str, str] | None = None,
    max_bytes: int | None = None,
) -> dict:
    """Run a read-only query on ``url``; the fields of an
    :class:`alliance_graph.queries.Result` as a dict.

    SELECT and ASK results are read as SPARQL JSON (or XML, TSV: whatever the server
    sends), CONSTRUCT and DESCRIBE as Turtle (or N-Triples, RDF/XML), as a stream: reading
    stops after ``limit`` rows (the server may still compute them all: add LIMIT to the
    query to spare it), at ``max_bytes`` (:data:`MAX_ANSWER_BYTES`), and when ``timeout``
    seconds have passed since the request was sent. Credentials: ``auth``, else a user and
    password written in the URL, else the environment. A redirect to another origin is
    refused. Every failure is an :class:`EndpointError` naming the URL without its
    password.
    """
    sent_url, in_url = _split_userinfo(url)
    shown = sent_url
    _check_url(sent_url)
    deadline = time.monotonic() + timeout if timeout is not None else None
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    fields = {"query": text}
    if default_graph:
        fields["default-graph-uri"] = default_graph
    encoded = urllib.parse.urlencode(fields)
    accept = (
        "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.5"
        if graph_form
        else "application/sparql-results+json, application/sparql-results+xml;q=0.8, "
        "text/tab-separated-values;q=0.5"
    )
    headers = {"Accept": accept, "User-Agent": "alliance-graph"}
    if len(text.encode("utf-8")) > POST_ABOVE:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            sent_url, data=encoded.encode("ascii"), method="POST", headers=headers
        )
    else:
        joint = "&" if urllib.parse.urlsplit(sent_url).query else "?"
        request = urllib.request.Request(sent_url + joint + encoded, method="GET", headers=headers)
    creds = auth if auth is not None else in_url or credentials(None)
    if creds:
        token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode("ascii")
        request.add_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(_SameOrigin(shown))
    try:
        response = opener.open(request, timeout=timeout)
    except EndpointError:
        raise
    except Exception as exc:
        raise EndpointError(f"{shown}: {_reason(exc, timeout)}") from None
    with response:
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        reader = _Capped(response, max_bytes or MAX_ANSWER_BYTES, deadline, shown)
        try:
            if graph_form:
                return _read_graph(reader, content_type, form, limit, shown)
            return _read_results(reader, content_type, form, limit, shown)
        except (SyntaxError, ValueError, OSError) as exc:
            if reader.failure is not None:
                raise reader.failure from None
            what = "RDF" if graph_form else "SPARQL results"
            detail = " ".join(str(exc).split())[:300]
            raise EndpointError(
                f"{shown}: the answer is not valid {what} (Content-Type "
                f"{content_type or 'none'!r}): {detail}"
            ) from None


_RESULT_FORMATS = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/tab-separated-values": "TSV",
}


def _read_results(reader: _Capped, content_type: str, form: str, limit, shown: str) -> dict:
    fmt = getattr(ox.QueryResultsFormat, _RESULT_FORMATS.get(content_type, "JSON"))
    answer = ox.parse_query_results(reader, format=fmt)
    if isinstance(answer, ox.QueryBoolean):
        if form != "ASK":
            raise EndpointError(f"{shown}: answered a {form} query with a boolean")
        return {"form": form, "boolean": bool(answer)}
    if form == "ASK":
        raise EndpointError(f"{shown}: answered an ASK query with rows, not a boolean")
    variables = [v.value for v in answer.variables]
    solutions, cut = [], False
    for row in answer:
        if limit is not None and len(solutions) >= limit:
            cut = True
            break
        solutions.append({v: row[v] for v in variables})
    return {
        "form": form,
        "variables": variables,
        "solutions": solutions,
        "truncated": cut,
        "limit": limit,
    }


def _read_graph(reader: _Capped, content_type: str, form: str, limit, shown: str) -> dict:
    fmt = ox.RdfFormat.from_media_type(content_type) if content_type else None
    fmt = fmt or ox.RdfFormat.TURTLE
    triples, cut = [], False
    for quad in ox.parse(reader, format=fmt):
        if limit is not None and len(triples) >= limit:
            cut = True
            break
        triples.append(quad.triple)
    return {"form": form, "triples": triples, "truncated": cut, "limit": limit}


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"endpoint {public_url(url)!r} is not an http(s) URL")


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL of a server, guessed from its query URL.

    Oxigraph ``/query`` -> ``/store``; Fuseki ``/ds/query`` or ``/ds/sparql`` -> ``/ds/data``;
    Virtuoso ``/sparql`` -> ``/sparql-graph-crud-auth``; GraphDB ``/repositories/r`` ->
    ``/repositories/r/rdf-graphs/service``. Anything else needs ``store_url``.
    """
    parts = urllib.parse.urlsplit(public_url(endpoint))
    segments = [s for s in parts.path.split("/") if s]
    if segments == ["query"]:
        path = "/store"
    elif segments == ["sparql"]:
        path = "/sparql-graph-crud-auth"
    elif len(segments) == 2 and segments[0] == "repositories":
        path = f"/repositories/{segments[1]}/rdf-graphs/service"
    elif len(segments) == 2 and segments[1] in ("query", "sparql"):
        path = f"/{segments[0]}/data"
    else:
        raise UsageError(
            f"cannot tell the graph store URL of {public_url(endpoint)}; give it with --store URL "
            "(Oxigraph: .../store, Fuseki: .../DATASET/data)"
        )
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def push(
    endpoint: str,
    *,
    store_url: str | None = None,
    graph: str | None = None,
    replace: bool = True,
    data: Iterable[Path | str] | None = None,
    timeout: float | None = 60.0,
    auth: tuple[str, str] | None = None,
    data_format: str | None = None,
) -> dict:
    """Load the ontology and ``data`` (the shipped data when None), with their derived
    bounds and best ranks, into a server through the SPARQL 1.1 Graph Store Protocol.

    ``replace=True`` sends HTTP PUT: the target graph then holds exactly this graph.
    ``replace=False`` sends POST: the triples are added to what the graph holds (blank
    nodes are new each time, so adding twice duplicates the citations). The target is
    ``graph`` (an IRI) or the default graph. Returns what was done.
    """
    from .store import open_store, to_ntriples

    endpoint, in_url = _split_userinfo(endpoint)
    if store_url:
        store_url, in_store_url = _split_userinfo(store_url)
        in_url = in_store_url or in_url
    target = store_url or graph_store_url(endpoint)
    _check_url(target)
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise UsageError(f"--graph {graph!r} is not an IRI: {exc}") from None
    query_string = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
    url = f"{target}?{query_string}"
    store = open_store(data, data_format=data_format)
    body = to_ntriples(store)
    method = "PUT" if replace else "POST"
    request = urllib.request.Request(
        url, data=body, method=method, headers={"Content-Type": "application/n-triples"}
    )
    handlers: list = [_SameOrigin(target)]
    creds = auth if auth is not None else in_url or credentials(None)
    if creds:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, target, *creds)
        handlers += [
            urllib.request.HTTPBasicAuthHandler(passwords),
            urllib.request.HTTPDigestAuthHandler(passwords),
        ]
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
    except EndpointError:
        raise
    except Exception as exc:
        raise EndpointError(f"{url}: {_reason(exc, timeout or 0)}") from None
    return {
        "url": url,
        "method": method,
        "graph": graph or "default graph",
        "triples": len(store),
        "status": status,
    }
