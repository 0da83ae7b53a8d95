"""``alliance-graph validate``: check data against the ontology, the shapes and the checks."""

from __future__ import annotations

import sys

import click

from ..errors import EXIT_VIOLATIONS
from .options import Seconds, data_option, format_option, output_not_empty

ENGINES = ("shacl-rust", "pyshacl-oxigraph", "pyshacl")
# The report formats of alliance_graph.validate.reports (kept here so --help imports nothing).
FORMATS = ("table", "csv", "tsv", "json", "jsonl", "junit", "sarif", "github", "text")


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@data_option
@click.option(
    "--shapes",
    "shapes",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Extra SHACL shapes file, run with the shipped shapes (repeatable).",
)
@click.option(
    "--no-default-shapes",
    is_flag=True,
    help="Leave out the shipped shapes: run only --shapes and the checks.",
)
@click.option(
    "--checks",
    "checks",
    multiple=True,
    type=click.Path(),
    help="Folder of rule queries (*.rq, every row a problem), run with the shipped ones "
    "(repeatable; a single .rq file works too).",
)
@click.option("--no-default-checks", is_flag=True, help="Leave out the shipped rule queries.")
@click.option(
    "--ontology",
    "ontology",
    is_flag=True,
    help="Also check the ontology: terms labelled and defined, declared, used, OWL 2 DL basics.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="Lowest severity that makes the run fail (exit code 1).",
)
@format_option(
    FORMATS,
    help_text="table for people (text is its old name); csv, tsv, jsonl (a row per "
    "result) or json (the whole report) for programs; junit, sarif or github for CI.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    callback=output_not_empty,
    help="Write the report to this file (atomically) instead of standard output ('-').",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=ENGINES[0],
    show_default=True,
    help="SHACL engine; pyshacl is the reference the others are tested against.",
)
@click.option(
    "--timeout",
    type=Seconds(zero="no limit"),
    default=600.0,
    show_default=True,
    help="Stop with exit code 2 after this many seconds (0: no limit).",
)
def validate(
    files,
    data,
    data_format,
    shapes,
    no_default_shapes,
    checks,
    no_default_checks,
    ontology,
    fail_on,
    fmt,
    output,
    engine,
    timeout,
):
    """Validate data against the ontology, the SHACL shapes and the rule queries.

    Checks the shipped data, or your own RDF files (FILES, or --data; all of them
    together as one graph, the ontology always mixed in, once): every class and property
    declared, dates typed and in order, percentages from 0 to 100, no overlapping stakes,
    no company owned more than 100%, one person per role at a time, every fact cited;
    then the rule queries of
    queries/checks and of --checks folders (SPARQL SELECTs, each row a problem).

    Each result is a violation, a warning or an info; --fail-on sets which of them fail
    the run. Results point at the file and line where the offending node is written.

    Exit codes: 0 nothing at or above --fail-on; 1 something is (the report lists each
    offending node with its label, the rule, the message and the value); 2 the data
    cannot be checked (a missing file, Turtle that does not parse, named with line and
    column, or shapes or checks that cannot run).

    \b
    Example:
        alliance-graph validate
        alliance-graph validate --data my-stakes.ttl --format json
        alliance-graph validate --data my.ttl --checks my-checks/ --fail-on warning \\
            --format sarif -o validation.sarif
    """
    from ..validate import validate as run
    from ..validate.limits import exit_after
    from ..validate.reports import render, write_report

    with exit_after(timeout or None):  # the engines are native code: the limit ends the process
        report = run(
            [*data, *files] or None,
            shapes=list(shapes),
            default_shapes=not no_default_shapes,
            checks=list(checks),
            default_checks=not no_default_checks,
            ontology=ontology,
            engine=engine,
            data_format=data_format,
        )
    text = render(report, fmt, fail_on)
    if output and output != "-":  # "-" is standard output, as for every -o
        # Never over a file the report is made from (data, shapes, checks).
        made_from = [*report.data_files, *report.shapes_files, *report.check_files]
        write_report(output, text, reading=made_from)
        click.echo(report.summary_line(), err=True)
    else:
        click.echo(text, nl=False)
    if report.failed(fail_on):
        # SystemExit rather than click's Exit: `main` runs click with standalone_mode=False,
        # which turns Exit into a return value that it does not pass on.
        sys.exit(EXIT_VIOLATIONS)
