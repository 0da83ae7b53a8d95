"""``alliance-graph export``: the graph in a format another tool reads."""

from __future__ import annotations

import click

from ..temporal import READINGS
from .options import data_arguments, data_option, output_not_empty


@click.command()
@click.option(
    "--format",
    "-f",
    "fmt",
    metavar="FORMAT",
    help="Format name, alias or media type (see --list); guessed from -o's suffix if left out.",
)
@click.option(
    "--output",
    "-o",
    default="-",
    show_default=True,
    metavar="PATH",
    callback=output_not_empty,
    help="File or folder to write, written atomically; '-' is standard output.",
)
@click.option(
    "--at",
    metavar="DATE",
    help="Only relationships valid on DATE (YYYY, YYYY-MM or YYYY-MM-DD); "
    "graph-shaped formats only.",
)
@click.option(
    "--reading",
    type=click.Choice(READINGS),
    help="How --at reads uncertain dates (default as-of; see docs/temporal-model.md).",
)
@click.option(
    "--derived/--no-derived",
    default=True,
    show_default=True,
    help="Include the day bounds and ag:BestRank types the loader derives.",
)
@data_option
@click.option("--list", "list_formats", is_flag=True, help="List the formats and exit.")
def export(fmt, output, at, reading, derived, data, data_format, list_formats):
    """Export the graph for another tool: RDF, GraphML, GEXF, Neo4j, CSV, Mermaid, DOT.

    RDF formats carry the whole graph (ontology, data, provenance and, unless
    --no-derived, the derived day bounds); N-Quads and TriG put each part in a named
    graph. Graph-shaped formats draw entities as nodes and relationships as edges;
    Mermaid and DOT draw the ownership network on --at (default today). Output is
    written to a temporary file and renamed into place, so a failed export never
    leaves a half-written file.

    \b
    Example:
        alliance-graph export -o alliance.ttl
        alliance-graph export --format graphml --at 2015 -o alliance-2015.graphml
        alliance-graph export --format neo4j -o neo4j-import/
        alliance-graph export --format mermaid --at 2024-06-30 -o -
    """
    from .. import export as exports

    if list_formats:
        from .. import output as out

        rows = [
            {
                "format": f.name,
                "aliases": list(f.aliases),
                "suffixes": list(f.suffixes),
                "writes": "folder" if f.folder else "file",
                "--at": f.dated,
                "description": f.description,
            }
            for f in exports.FORMATS.values()
        ]
        click.echo(out.render(rows, "table", max_width=70), nl=False)
        return
    notes: list[str] = []
    written = exports.export(
        fmt,
        output,
        data=data_arguments(data),
        data_format=data_format,
        at=at,
        reading=reading,
        derived=derived,
        notes=notes,
    )
    for note in notes:
        click.echo(f"Note: left out {note}", err=True)
    if written is not None:
        click.echo(f"Wrote {written}", err=True)
