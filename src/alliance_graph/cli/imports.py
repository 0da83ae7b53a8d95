"""``alliance-graph import``: ownership data in BODS or in a CSV of stakes, as Turtle."""

from __future__ import annotations

import click

from .options import output_option


@click.group("import")
def import_cmd():
    """Turn ownership data you hold into Turtle in this project's vocabulary.

    The Turtle then works with every command that takes --data (validate, ownership,
    query, export).

    \b
    Example:
        alliance-graph import bods statements.json -o stakes.ttl
        alliance-graph import csv docs/examples/stakes.csv -o stakes.ttl
    """


def _write(output: str, write, source: str) -> str:
    """Write through ``write(stream)`` to ``output`` and return its name for messages:
    a file, atomically, or ``-``, standard output (as for export), whole once the import
    has succeeded, so that a failed import writes nothing there either."""
    import io
    from pathlib import Path

    from ..export import write_atomically

    if output == "-":
        buffer = io.BytesIO()
        write(buffer)
        stdout = click.get_binary_stream("stdout")
        stdout.write(buffer.getvalue())
        stdout.flush()
        return "standard output"
    write_atomically(Path(output), write, reading=[source])
    return output


_turtle_output = output_option(
    required=True,
    metavar="OUT.ttl",
    help_text="Turtle file to write (atomically: whole or not at all); '-' is standard output.",
)


@import_cmd.command("bods")
@click.argument("file", type=click.Path(dir_okay=False))
@_turtle_output
def bods_cmd(file, output):
    """Import BODS 0.4 statements (a JSON array, or JSON Lines) as Turtle.

    Entities and persons become organisations and people; relationship records become
    shareholdings with their interests, shares (ranges as bounds), dates, statement
    dates (as reported-on) and sources; replaced or closed records end their claims.
    Statements that cannot be mapped are listed on stderr with their statementId and
    the reason (docs/bods.md).

    \b
    Example:
        alliance-graph import bods docs/examples/chain-and-cycle.bods.json -o sample.ttl
        alliance-graph ownership integrated "Holding A" --data sample.ttl --at 2024-06-30
    """
    from ..bods.importer import ImportReport, write_turtle

    report = ImportReport()
    try:
        written = _write(output, lambda out: write_turtle(file, out, report), file)
    finally:  # the reasons, also when no statement could be imported
        for sid, reason in report.skipped:
            click.echo(f"not imported: statement {sid}: {reason}", err=True)
        for sid, reason in report.notes:
            click.echo(f"note: statement {sid}: {reason}", err=True)
    click.echo(
        f"Wrote {written}: {report.statements} statements read, {report.entities} entities, "
        f"{report.persons} persons, {report.stakes} stakes, {len(report.skipped)} not imported",
        err=True,
    )


@import_cmd.command("csv")
@click.argument("file", type=click.Path(dir_okay=False))
@_turtle_output
def csv_cmd(file, output):
    """Import a CSV of stakes, one row a stake, as Turtle.

    Columns: holder, held and percent, required; interest, start, end, source, note,
    holder_kind, held_kind and through, optional; dates as YYYY, YYYY-MM or
    YYYY-MM-DD. Every bad
    row is named by line and column, and then nothing is written (exit code 2).
    See docs/import-csv.md.

    \b
    Example:
        alliance-graph import csv docs/examples/stakes.csv -o stakes.ttl
        alliance-graph ownership stake "Holding A" "Company B" --data stakes.ttl --at 2020
    """
    from ..imports.csv import CsvReport, read, write_turtle

    read(file)  # every row checked before a temporary file is even opened
    report = CsvReport()
    written = _write(output, lambda out: write_turtle(file, out, report), file)
    for line in report.guessed:
        click.echo(f"kind {line}", err=True)
    click.echo(f"Wrote {written}: {report.rows} stakes, {len(report.entities)} entities", err=True)
