"""``alliance-graph entities``: the names a user can type, and what they name."""

from __future__ import annotations

import click

from .options import data_arguments, data_option, format_option, store_option


@click.command()
@click.argument("text", required=False)
@click.option(
    "--kind",
    metavar="KIND",
    help="Only entities of this kind (a class: Company, "
    "Person, Agreement...; its subclasses count too).",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Also sources and the terms of vocabularies (default: the data's resources, in "
    "any namespace).",
)
@data_option
@store_option
@format_option()
def entities(text, kind, everything, data, data_format, fmt):
    """List entities whose label, alternative label or local name contains TEXT
    (any case and spacing), with their kind and the local name to type.

    Every command that takes a name (ownership, saved-query parameters) resolves it the
    same way, so what this lists is what they accept.

    \b
    Example:
        alliance-graph entities nissan
        alliance-graph entities --kind Person
        alliance-graph entities "renault group" --format json
    """
    from ..names import DATA, curie
    from ..output import render
    from ..queries import names_for

    names = names_for(data=data_arguments(data), data_format=data_format)
    found = names.search(text, kind=kind, namespace=None if everything else DATA)
    rows = []
    for e in found:
        record = e.record()
        if fmt == "table":
            record["iri"] = curie(record["iri"])
        rows.append(record)
    click.echo(render(rows, fmt, ["label", "kind", "name", "iri", "alt_labels"]), nl=False)
    if not rows and fmt == "table":
        click.echo("(no entities match)", err=True)
