"""``queries``, ``query``, ``sparql`` and ``push``: the saved queries, ad-hoc SPARQL and
remote servers. Each command parses its options and calls one library function."""

from __future__ import annotations

import json

import click

from .. import queries as catalogue_api
from ..endpoint import ENV_ENDPOINT
from ..errors import UsageError
from ..output import FORMATS, render
from .options import Seconds, data_arguments, data_option, format_option, store_option

TABLE_LIMIT = 1000
ROW_FORMATS = (*FORMATS, "sparql-json")
GRAPH_FORMATS = tuple(catalogue_api.GRAPH_FORMATS)


def run_options(f):
    """The options shared by ``query`` and ``sparql``: where to run, how to print."""
    options = [
        format_option(
            ROW_FORMATS + GRAPH_FORMATS,
            default=None,
            help_text="Output format. Default: table for SELECT and ASK, turtle for "
            "CONSTRUCT and DESCRIBE (which also take ntriples, json-ld, or any row format).",
        ),
        data_option,
        store_option,
        click.option(
            "--endpoint",
            envvar=ENV_ENDPOINT,
            metavar="URL",
            help=f"Run on this SPARQL 1.1 endpoint instead of in process (or set "
            f"{ENV_ENDPOINT}). Basic auth from ALLIANCE_GRAPH_USER / ALLIANCE_GRAPH_PASSWORD.",
        ),
        click.option(
            "--graph",
            "default_graph",
            metavar="IRI",
            help="With --endpoint: the graph to query as the default graph (where push "
            "--graph put the data).",
        ),
        click.option(
            "--engine",
            type=click.Choice(["oxigraph", "rdflib"]),
            default="oxigraph",
            show_default=True,
            help="In-process engine.",
        ),
        click.option(
            "--limit",
            type=click.IntRange(min=0),
            default=None,
            help=f"Show at most N rows (0: all). Default: {TABLE_LIMIT} for tables, all "
            "otherwise. A cut result says so on stderr.",
        ),
        click.option(
            "--timeout",
            type=Seconds(),
            default=catalogue_api.DEFAULT_TIMEOUT,
            show_default=True,
            help="Give up after this many seconds, in process or remote.",
        ),
        click.option(
            "--max-memory",
            "max_memory",
            metavar="SIZE",
            default=None,
            help="In process, stop a query that needs more memory than this (512M, 2G; "
            "default: half the machine's memory).",
        ),
        click.option(
            "--allow-network",
            is_flag=True,
            help="In process, let SERVICE and FROM reach other servers (refused otherwise).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _limit(fmt: str | None, limit: int | None) -> int | None:
    if limit == 0:
        return None
    if limit is None:
        return TABLE_LIMIT if fmt in (None, "table") else None
    return limit


def _options(
    fmt,
    *,
    data,
    data_format,
    endpoint,
    default_graph,
    engine,
    limit,
    timeout,
    allow_network,
    max_memory=None,
):
    """The library's keyword arguments for the options of :func:`run_options`."""
    from ..isolate import parse_size

    return {
        "max_memory": parse_size(max_memory) if max_memory else None,
        "data": data_arguments(data),
        "data_format": data_format,
        "endpoint": endpoint or None,
        "default_graph": default_graph,
        "engine": engine,
        "limit": _limit(fmt, limit),
        "timeout": timeout,
        "allow_network": allow_network,
    }


def _emit(result, fmt: str | None) -> None:
    if fmt is None:
        fmt = "turtle" if result.is_graph else "table"
    if fmt in GRAPH_FORMATS:
        click.echo(result.serialize(fmt), nl=False)
    elif fmt == "sparql-json":
        click.echo(json.dumps(result.to_sparql_json(), indent=2, ensure_ascii=False))
    else:
        # Tables are for people: IRIs shortened to res:..., ag:..., src:...
        rows = result.to_rows(compact_iris=fmt == "table")
        click.echo(render(rows, fmt, result.columns), nl=False)
        if fmt == "table" and not rows:
            click.echo("(no results)", err=True)
    if result.truncated:
        click.echo(
            f"truncated: showing the first {result.limit} results; --limit N shows more, "
            "--limit 0 all",
            err=True,
        )


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"-p {pair!r}: write a parameter as name=value")
        if name in params:
            raise UsageError(f"parameter {name!r} is given twice")
        params[name] = value
    return params


@click.group("queries", invoke_without_command=True)
@format_option(FORMATS)
@click.option("--tag", help="Only the queries with this tag.")
@click.pass_context
def queries_cmd(ctx, fmt, tag):
    """List the saved queries: name, summary, parameters and tags.

    `queries show NAME` prints one query with its documentation and SPARQL.

    \b
    Example:
        alliance-graph queries
        alliance-graph queries --tag ownership
        alliance-graph queries show stakes-on-date
    """
    if ctx.invoked_subcommand is not None:
        return
    rows = []
    for q in catalogue_api.catalogue():
        if tag and tag not in q.tags:
            continue
        rows.append(
            {
                "name": q.name,
                "summary": q.summary,
                "parameters": [
                    f"{p.name}{'' if p.required else '?'}:{p.type}" for p in q.parameters
                ],
                "tags": list(q.tags),
            }
        )
    click.echo(render(rows, fmt, ["name", "summary", "parameters", "tags"]), nl=False)


@queries_cmd.command("show")
@click.argument("name")
def show(name):
    """Print one saved query: what it answers, its parameters, an example and its SPARQL.

    \b
    Example:
        alliance-graph queries show stake-history
    """
    q = catalogue_api.get(name)
    lines = [f"{q.name}: {q.summary}", "", click.wrap_text(q.description, 88), ""]
    if q.parameters:
        lines.append("Parameters:")
        for p in q.parameters:
            if p.required:
                note = "required"
            elif p.default is not None:
                shown = catalogue_api.compact(p.default) if p.type == "iri" else p.default
                note = f"default {shown}"
            else:
                note = "optional"
            lines.append(f"  {p.name} ({p.type}, {note}): {p.description or p.expects}")
            if p.enum:
                lines.append(f"      one of: {', '.join(str(v) for v in p.enum)}")
        lines.append("")
    if q.tags:
        lines += [f"Tags: {', '.join(q.tags)}", ""]
    lines += ["Example:", f"  {q.example_command()}", "", f"SPARQL ({q.path}):", "", q.text]
    click.echo("\n".join(lines), nl=False)


@click.command("query")
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of the query; repeat for several.",
)
@run_options
def query(name, params, fmt, **run):
    """Run the saved query NAME (see `alliance-graph queries`).

    Parameters are checked against their declared type and bound as RDF terms, never
    pasted into the query text. Runs in process on the shipped data (or --data files), or
    on any SPARQL 1.1 endpoint with --endpoint.

    \b
    Example:
        alliance-graph query stakes-on-date -p date=2003-06-30
        alliance-graph query stake-history -p holder=Renault -p held=NissanMotor --format csv
        alliance-graph query entity-graph -p entity=NissanDiesel --format turtle
        alliance-graph query members-on-date -p date=2017-06-30 \\
            --endpoint http://localhost:7878/query
    """
    result = catalogue_api.run(
        name,
        _params(params),
        **_options(fmt, **run),
    )
    _emit(result, fmt)


@click.command("sparql")
@click.argument("text", required=False, metavar="QUERY")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help="Read the query from this file ('-' for stdin).",
)
@run_options
def sparql_cmd(text, path, fmt, **run):
    """Run a read-only SPARQL query given inline or with --file FILE.

    Updates (INSERT, DELETE, LOAD, CLEAR, DROP...) are refused before anything runs; in
    process, SERVICE and FROM are refused unless --allow-network.

    \b
    Example:
        alliance-graph sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
        alliance-graph sparql --file my-query.rq --format json
        alliance-graph sparql 'DESCRIBE <https://w3id.org/alliance-graph/resource/Renault>'
    """
    if (text is None) == (path is None):
        raise UsageError("give the query either inline or with --file FILE (one of them)")
    if path is not None:
        from ..files import read_utf8

        text = read_utf8(path)
    result = catalogue_api.sparql(
        text,
        **_options(fmt, **run),
    )
    _emit(result, fmt)


@click.command("push")
@click.option(
    "--endpoint",
    envvar=ENV_ENDPOINT,
    required=True,
    metavar="URL",
    help=f"The server's SPARQL query URL (or set {ENV_ENDPOINT}); its graph "
    "store URL is worked out from it.",
)
@click.option(
    "--store",
    "store_url",
    metavar="URL",
    help="The server's Graph Store Protocol URL, when it cannot be worked out "
    "(Oxigraph .../store, Fuseki .../DATASET/data).",
)
@click.option(
    "--graph", metavar="IRI", help="Load into this named graph (default: the default graph)."
)
@click.option(
    "--replace/--add",
    default=True,
    show_default=True,
    help="--replace (HTTP PUT) makes the target graph hold exactly this data; "
    "--add (HTTP POST) adds to what it holds.",
)
@data_option
@click.option(
    "--timeout",
    type=Seconds(),
    default=60.0,
    show_default=True,
    help="Give up after this many seconds.",
)
def push(endpoint, store_url, graph, replace, data, data_format, timeout):
    """Load the ontology and data, with derived day bounds and best ranks, into a SPARQL
    server through the Graph Store Protocol.

    By default the target graph is REPLACED (HTTP PUT): afterwards it holds exactly this
    data. --add sends HTTP POST and keeps what the graph held. Basic or digest auth from
    ALLIANCE_GRAPH_USER / ALLIANCE_GRAPH_PASSWORD.

    \b
    Example:
        oxigraph serve --location /tmp/ag --bind 127.0.0.1:7878 &
        alliance-graph push --endpoint http://127.0.0.1:7878/query
        alliance-graph query stakes-on-date -p date=2010-06-30 \\
            --endpoint http://127.0.0.1:7878/query
    """
    from ..endpoint import push as push_graph

    done = push_graph(
        endpoint,
        store_url=store_url,
        graph=graph,
        replace=replace,
        data=data_arguments(data),
        data_format=data_format,
        timeout=timeout,
    )
    verb = "replaced" if replace else "added to"
    click.echo(
        f"{verb} the {done['graph']} with {done['triples']} triples: "
        f"{done['method']} {done['url']} (HTTP {done['status']})"
    )
