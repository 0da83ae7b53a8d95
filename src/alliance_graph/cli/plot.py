"""``alliance-graph plot``: the ownership network on a date, and the stakes over time."""

from __future__ import annotations

import click

from .options import at_option, data_arguments, data_option, output_option, reading_option

_output_option = output_option(
    required=True,
    metavar="FILE",
    help_text="Picture to write: .png or .svg (written atomically).",
)


@click.group()
def plot():
    """Draw pictures of the graph as PNG or SVG (matplotlib, no display needed).

    \b
    Example:
        alliance-graph plot network --at 2017-06-30 -o network.png
        alliance-graph plot timeline -o timeline.svg
    """


@plot.command()
@at_option()
@reading_option()
@_output_option
@data_option
def network(at, reading, output, data, data_format):
    """The ownership network on a date: companies, and stakes as arrows.

    Arrows run from holder to held company, labelled with the percent of capital;
    shares without votes are dashed, and a figure not certain on that date ends in '?'.

    \b
    Example:
        alliance-graph plot network --at 2017-06-30 -o docs/img/network-2017.png
        alliance-graph plot network --at 2024 --reading certain -o network-2024.svg
    """
    from .. import plot as plots
    from ..graph import load

    files = data_arguments(data)
    graph = load(files, data_format=data_format)
    written = plots.save(plots.network(graph, at, reading=reading), output, reading=files or ())
    click.echo(f"Wrote {written}", err=True)


@plot.command()
@click.argument("companies", nargs=-1, metavar="[COMPANY ...]")
@_output_option
@data_option
def timeline(companies, output, data, data_format):
    """The stakes between companies over time, with the key events.

    COMPANY is a label, alternative label or IRI (case does not matter); by default
    the members of the Alliance. Lines are solid where a figure certainly held, faded
    with a hatched window where the sources only bound the day it changed.

    \b
    Example:
        alliance-graph plot timeline -o docs/img/timeline.png
        alliance-graph plot timeline Renault "French State" Nissan -o state.svg
    """
    from .. import plot as plots
    from ..graph import load

    files = data_arguments(data)
    graph = load(files, data_format=data_format)
    figure = plots.timeline(graph, list(companies) or None)
    written = plots.save(figure, output, reading=files or ())
    click.echo(f"Wrote {written}", err=True)
