"""``alliance-graph summary``: validate the graph and show what it holds."""

from __future__ import annotations

import json

import click

from ..errors import EXIT_VIOLATIONS

NEXT_STEPS = """\
Where to go next:
  alliance-graph validate --help           check your own Turtle files against the shapes
  alliance-graph queries                   the saved questions (who owned what, when)
  alliance-graph ownership stake Renault "Nissan Motor" --at 2010-06-30
  alliance-graph export --help             Turtle, JSON-LD, GraphML, GEXF, Neo4j CSV, Mermaid
"""


@click.command()
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Turtle file(s) to read instead of the shipped data (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for programs.",
)
def summary(data, fmt):
    """Validate the graph, then show counts per class and the stakes over time.

    The stakes are the best-ranked shareholdings (deprecated claims left out) with
    the day bounds of their start and end: "a .. b" means the change happened on a
    day between a and b that no source reports.

    \b
    Example:
        alliance-graph summary
        alliance-graph summary --format json | python -m json.tool
    """
    from .. import output
    from ..graph import load
    from ..summary import class_counts, stakes_over_time
    from ..validate import validate

    files = list(data) or None
    report = validate(files)
    graph = load(files)
    counts = class_counts(graph)
    stakes = stakes_over_time(graph)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "conforms": report.conforms,
                    "violations": len(report.results),
                    "counts": counts,
                    "stakes": stakes,
                },
                indent=2,
            )
        )
    else:
        status = (
            "conforms to the shapes"
            if report.conforms
            else (
                f"does NOT conform: {len(report.results)} problem(s); "
                "run `alliance-graph validate` for the report"
            )
        )
        click.echo(f"Validation: the graph {status}.\n")
        click.echo(f"What the graph holds ({len(graph)} triples with the ontology):")
        click.echo(output.render(counts, "table"))
        click.echo("Ownership stakes over time (best-ranked claims):")
        click.echo(output.render(stakes, "table", max_width=34))
        click.echo(NEXT_STEPS)
    if not report.conforms:
        raise click.exceptions.Exit(EXIT_VIOLATIONS)
