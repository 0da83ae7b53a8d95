"""``alliance-graph summary``: validate the graph and show what it holds."""

from __future__ import annotations

import json
import shlex

import click

from ..errors import EXIT_VIOLATIONS
from .options import data_arguments, data_option, format_option, store_option

NEXT_STEPS = """\
Where to go next:
  alliance-graph validate --help           check your own Turtle files against the shapes
  alliance-graph queries                   the saved questions (who owned what, when)
  {example}
  alliance-graph export --help             Turtle, JSON-LD, GraphML, GEXF, Neo4j CSV, Mermaid
"""


def _example(stakes, files) -> str:
    # A question this data answers: on the shipped data Renault in Nissan Motor; on a
    # user's files their first stake, on the last day its start may fall on.
    if not files:
        return 'alliance-graph ownership stake Renault "Nissan Motor" --at 2010-06-30'
    if not stakes:
        return "alliance-graph ownership --help       (these files hold no stakes)"
    first = stakes[0]
    day = first["from"].split("..")[-1].strip()
    at = f" --at {day}" if day and day != "?" else ""
    data = " ".join(f"--data {shlex.quote(str(f))}" for f in files)
    return (
        f"alliance-graph ownership stake {shlex.quote(first['holder'])} "
        f"{shlex.quote(first['held'])}{at} {data}"
    )


@click.command()
@data_option
@store_option
@format_option()
def summary(data, data_format, fmt):
    """Validate the graph, then show counts per class and the stakes over time.

    The stakes are the best-ranked shareholdings (deprecated claims left out) with
    the day bounds of their start and end: "a .. b" means the change happened on a
    day between a and b that no source reports. json prints one object; jsonl, csv and
    tsv one record per count and per stake, with a "section" column.

    \b
    Example:
        alliance-graph summary
        alliance-graph summary --format json | python -m json.tool
        alliance-graph summary --format csv > summary.csv
    """
    from .. import output
    from ..summary import class_counts, stakes_over_time, triple_count
    from ..validate import validate

    files = data_arguments(data)
    report = validate(files, data_format=data_format)
    counts = class_counts(files, data_format=data_format)
    stakes = stakes_over_time(files, data_format=data_format)
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
                ensure_ascii=False,
            )
        )
    elif fmt in ("jsonl", "csv", "tsv"):
        head = {
            "section": "validation",
            "conforms": report.conforms,
            "violations": len(report.results),
        }
        records = [head] + [{"section": "counts", **c} for c in counts]
        records += [{"section": "stakes", **s} for s in stakes]
        columns = list(dict.fromkeys(k for r in records for k in r))
        click.echo(output.render(records, fmt, columns), nl=False)
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
        n = triple_count(files, data_format=data_format)
        click.echo(f"What the graph holds ({n} triples with the ontology and derived bounds):")
        click.echo(output.render(counts, "table"))
        click.echo("Ownership stakes over time (best-ranked claims):")
        click.echo(output.render(stakes, "table", max_width=34))
        click.echo(NEXT_STEPS.format(example=_example(stakes, files)))
    if not report.conforms:
        raise click.exceptions.Exit(EXIT_VIOLATIONS)
