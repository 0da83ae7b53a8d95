"""``alliance-graph fmt``: canonical Turtle, or a check that files already are."""

from __future__ import annotations

import sys

import click

from ..errors import EXIT_CANNOT_RUN, EXIT_VIOLATIONS


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 listing files not canonical.")
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Change nothing; show a short diff per file (--check too).",
)
def fmt(files, check, show_diff):
    """Write Turtle files in canonical form: stable prefixes, order and layout.

    Keeps the comments and the order of the statements (the sections a file is grouped
    into), and rewrites each statement the same way: the subject and its types first,
    one predicate per line in a fixed order, objects sorted, citations inline. A file is
    rewritten only if the result is the same graph (compared in RDFC-1.0 canonical
    form), and atomically. Without FILES: the shipped data and ontology.

    Exit codes: 0 done (or, with --check, every file canonical); 1 with --check, some file
    is not (each is listed); 2 a file cannot be read, parsed or formatted safely.

    \b
    Example:
        alliance-graph fmt --check
        alliance-graph fmt --check --diff my-stakes.ttl
        alliance-graph fmt my-stakes.ttl
    """
    from ..canonical import default_files, formatted_files, write_formatted
    from ..validate.reports import display_path

    check = check or show_diff  # a diff is asked to be seen, not to rewrite the file
    paths = list(files) or default_files()
    # every file is tried before any is written: all their problems are told at once,
    # and none is rewritten while another cannot be
    results, errors = formatted_files(paths)
    changed = [r for r in results if r.changed]
    if check or errors:
        for r in changed:
            shown = display_path(str(r.path))
            click.echo(f"{shown}: not canonical (run `alliance-graph fmt {shown}`)")
            if show_diff:
                click.echo(r.diff)
    if errors:
        for exc in errors:
            click.echo(f"Error: {exc}", err=True)
        written = "" if check else "; nothing was written"
        click.echo(f"{len(errors)} of {len(paths)} files cannot be formatted{written}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    if not check:
        write_formatted(changed)
        for r in changed:
            click.echo(f"{display_path(str(r.path))}: formatted")
    if check and changed:
        click.echo(f"{len(changed)} of {len(results)} files not canonical", err=True)
        sys.exit(EXIT_VIOLATIONS)
    if not changed:
        click.echo(f"{len(results)} file{'s' if len(results) != 1 else ''} canonical")
