"""``alliance-graph serve``: the graph on the web (a SPARQL endpoint, the saved queries as an
API, Linked Data pages and the ownership explorer) on uvicorn."""

from __future__ import annotations

import click

from ..endpoint import ENV_ENDPOINT
from .options import Seconds, data_option


@click.command()
@data_option
@click.option(
    "--endpoint",
    envvar=ENV_ENDPOINT,
    metavar="URL",
    help="Serve the same pages over this remote SPARQL 1.1 endpoint instead of the embedded store.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The default is loopback only; 0.0.0.0 listens on every interface.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--timeout",
    type=Seconds(),
    default=10.0,
    show_default=True,
    help="Seconds a query may run; a slower one is answered 503.",
)
@click.option(
    "--row-cap",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Rows (or triples) a query may return at most.",
)
@click.option(
    "--max-queries",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Queries that run at once (a visitor's SPARQL each in one of as many worker "
    "processes); the others wait.",
)
@click.option(
    "--max-memory",
    metavar="SIZE",
    default=None,
    help="Memory a visitor's query may add in its worker process (512M, 2G; "
    "default: half the machine's memory); a query past it is stopped.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(min=1),
    default=1024,
    show_default=True,
    help="Open connections at most (uvicorn answers 503 beyond).",
)
def serve(
    data,
    data_format,
    endpoint,
    host,
    port,
    timeout,
    row_cap,
    max_queries,
    max_memory,
    max_connections,
):
    """Serve the graph on the web: /sparql, /api, Linked Data pages, the explorer.

    Binds 127.0.0.1 unless --host says otherwise. The data is only read. The app is
    also importable as alliance_graph.web:app for any ASGI server.

    \b
    Example:
        alliance-graph serve --port 8000
        alliance-graph serve --endpoint http://localhost:7878/query
    """
    import uvicorn

    from ..isolate import parse_size
    from ..web import Settings, create_app

    settings = Settings(
        data=tuple(data) or None,
        data_format=data_format,
        endpoint=endpoint or None,
        timeout=timeout,
        row_cap=row_cap,
        max_queries=max_queries,
        max_memory=parse_size(max_memory) if max_memory else None,
    )
    app = create_app(settings)
    app.state.backend.warm()  # a bad file or endpoint fails here, named, exit code 2
    # A port in use or a host that is not this machine's: named here, exit 2, before the
    # banner says "serving" (uvicorn found them after it and exited with its own 3).
    sock = _listen(host, port)
    port = sock.getsockname()[1]  # the one chosen for --port 0
    where = "loopback only" if host in ("127.0.0.1", "localhost", "::1") else "ALL interfaces"
    source = f"the endpoint {endpoint}" if endpoint else "the embedded store"
    click.echo(
        f"alliance-graph: serving {source} on http://{host}:{port}/ ({where}; "
        f"--host sets the address); SPARQL at /sparql, API at /api/openapi.json",
        err=True,
    )
    config = uvicorn.Config(
        app, limit_concurrency=max_connections, log_level="warning", server_header=False
    )
    uvicorn.Server(config).run(sockets=[sock])


def _listen(host: str, port: int):
    """A socket bound to ``host``:``port`` (as uvicorn binds one), or a UsageError."""
    import socket

    from ..errors import UsageError

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"--host {host!r}: no address of this name ({exc})") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise UsageError(
            f"--port {port}: cannot listen on {host}:{port} ({exc.strerror}); another "
            "server may hold it: choose another port, or --port 0 for a free one"
        ) from None
    return sock
