"""Remote SPARQL 1.1 servers: queries through SPARQLWrapper, pushes through the Graph Store
Protocol.

Any SPARQL 1.1 endpoint works (Oxigraph, Fuseki, Virtuoso, GraphDB...); docs/store.md
lists their query and graph-store URLs. Credentials, when the server wants them, come from
``auth=(user, password)`` or the environment (ALLIANCE_GRAPH_USER, ALLIANCE_GRAPH_PASSWORD).
Every failure (server down, too slow, an HTTP error) is an :class:`EndpointError` naming the
URL and the reason.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .errors import EndpointError, QueryError, UsageError

ENV_ENDPOINT = "ALLIANCE_GRAPH_ENDPOINT"
ENV_USER = "ALLIANCE_GRAPH_USER"
ENV_PASSWORD = "ALLIANCE_GRAPH_PASSWORD"

# Longer queries go by POST: many servers and proxies cap URLs at 2-8 kB.
POST_ABOVE = 1800


def credentials(auth: tuple[str, str] | None = None) -> tuple[str, str] | None:
    """``auth`` if given, else the user and password of the environment, else None."""
    if auth is not None:
        return auth
    user = os.environ.get(ENV_USER)
    if user:
        return user, os.environ.get(ENV_PASSWORD, "")
    return None


def _reason(exc: BaseException, timeout) -> str:
    """A one-line reason for a failed request."""
    import socket
    import urllib.error

    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    if isinstance(exc, SPARQLWrapperException):
        detail = " ".join(str(getattr(exc, "msg", "") or exc).split())
        return f"the server answered with an error: {detail[:300]}"
    if isinstance(exc, urllib.error.HTTPError):
        try:
            body = exc.read().decode("utf-8", "replace")
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


def query(
    url: str,
    text: str,
    *,
    form: str,
    limit: int | None = None,
    timeout: float | None = 30.0,
    default_graph: str | None = None,
    auth: tuple[str, str] | None = None,
):
    """Run a read-only query on ``url`` and return a :class:`alliance_graph.queries.Result`.

    SELECT and ASK results are read as SPARQL JSON, CONSTRUCT and DESCRIBE as Turtle.
    ``limit`` keeps the first rows (the server still computes them all: add LIMIT to the
    query to spare it); ``timeout`` bounds the whole request.
    """
    from SPARQLWrapper import BASIC, GET, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper

    from .deadline import within as _deadline
    from .queries import Result

    _check_url(url)
    client = SPARQLWrapper(url)
    client.setQuery(text)
    client.setReturnFormat(TURTLE if form in ("CONSTRUCT", "DESCRIBE") else JSON)
    client.setMethod(POST if len(text.encode("utf-8")) > POST_ABOVE else GET)
    client.setRequestMethod(URLENCODED)
    if timeout is not None:
        client.setTimeout(max(1, math.ceil(timeout)))
    if default_graph:
        client.addDefaultGraph(default_graph)
    creds = credentials(auth)
    if creds:
        client.setHTTPAuth(BASIC)
        client.setCredentials(*creds)

    def fetch(stop):
        answer = client.query()
        return answer.response.read(), answer.response.headers.get("Content-Type", "")

    try:
        body, content_type = _deadline(fetch, timeout, f"{url}")
    except Exception as exc:
        from .errors import QueryTimeoutError

        if isinstance(exc, QueryTimeoutError):
            raise EndpointError(f"{url}: no answer within {timeout:g} s (--timeout)") from None
        raise EndpointError(f"{url}: {_reason(exc, timeout)}") from None

    if form in ("CONSTRUCT", "DESCRIBE"):
        fmt = (
            ox.RdfFormat.from_media_type(content_type.split(";")[0].strip()) or ox.RdfFormat.TURTLE
        )
        try:
            triples = [q.triple for q in ox.parse(body, format=fmt)]
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{url}: the answer is not valid {fmt.name}: {exc}") from None
        cut = limit is not None and len(triples) > limit
        return Result(form, triples=triples[:limit] if cut else triples, truncated=cut, limit=limit)
    try:
        data = json.loads(body)
    except ValueError:
        raise EndpointError(
            f"{url}: the answer is not SPARQL JSON results (Content-Type {content_type!r})"
        ) from None
    if form == "ASK":
        return Result(form, boolean=bool(data.get("boolean")))
    variables = list(data.get("head", {}).get("vars", []))
    bindings = data.get("results", {}).get("bindings", [])
    cut = limit is not None and len(bindings) > limit
    if cut:
        bindings = bindings[:limit]
    solutions = [{v: _term(b.get(v)) for v in variables} for b in bindings]
    return Result(form, variables, solutions, truncated=cut, limit=limit)


def _term(value: dict | None):
    """A pyoxigraph term from one SPARQL JSON binding."""
    if value is None:
        return None
    kind = value.get("type")
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return ox.Literal(value["value"], language=value["xml:lang"])
        if "datatype" in value:
            return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(value["value"])
    raise QueryError(f"unsupported term in the server's answer: {value!r}")


def _check_url(url: str) -> None:
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"endpoint {url!r} is not an http(s) URL")


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL of a server, guessed from its query URL.

    Oxigraph ``/query`` -> ``/store``; Fuseki ``/ds/query`` or ``/ds/sparql`` -> ``/ds/data``;
    Virtuoso ``/sparql`` -> ``/sparql-graph-crud-auth``; GraphDB ``/repositories/r`` ->
    ``/repositories/r/rdf-graphs/service``. Anything else needs ``store_url``.
    """
    import urllib.parse

    parts = urllib.parse.urlsplit(endpoint)
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
            f"cannot tell the graph store URL of {endpoint}; give it with --store URL "
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
    import urllib.parse
    import urllib.request

    from .store import open_store, to_ntriples

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
    handlers = []
    creds = credentials(auth)
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
    except Exception as exc:
        raise EndpointError(f"{url}: {_reason(exc, timeout or 0)}") from None
    return {
        "url": url,
        "method": method,
        "graph": graph or "default graph",
        "triples": len(store),
        "status": status,
    }
