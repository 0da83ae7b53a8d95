"""The options the commands share, declared once (sqlite-utils' shared output options are
the model): the same flag means the same thing, with the same help, in every command.

- ``--data FILE`` (repeatable, ``-`` for standard input) and ``--data-format``;
- ``--store DIR``: the on-disk store of the loaded graph;
- ``--at DATE`` and ``--reading``;
- ``-f/--format`` for what a command prints, ``-o/--output`` for what it writes;
- :class:`Seconds`, the type of every ``--timeout``; :class:`Percent`, of every ``--min``.
"""

from __future__ import annotations

import click

from .. import files
from ..output import FORMATS as ROW_FORMATS
from ..temporal import READINGS

DATA_HELP = (
    "Read these RDF files (with the ontology) instead of the shipped data; repeat for "
    "several. Any RDF syntax by suffix (.ttl .nt .nq .trig .rdf .owl .jsonld); '-' reads "
    "standard input."
)
READING_HELP = (
    "How to read dates the sources leave open: as-of (the latest figure known on the "
    "day), certain (only what the dates prove) or possible (what they allow). "
    "See docs/temporal-model.md."
)


class Seconds(click.ParamType):
    """A time limit in seconds (:func:`alliance_graph.deadline.bad_seconds`), and ``0``
    where ``zero`` says what it means (validate: no limit)."""

    name = "seconds"

    def __init__(self, zero: str | None = None):
        self.zero = zero

    def convert(self, value, param, ctx):
        from ..deadline import bad_seconds

        if self.zero and _is_zero(value):
            return 0.0
        why = bad_seconds(value)
        if why:
            self.fail(why + (f", or 0 ({self.zero})" if self.zero else ""), param, ctx)
        return float(value)


def _is_zero(value) -> bool:
    try:
        return float(value) == 0
    except (TypeError, ValueError):
        return False


class Percent(click.ParamType):
    """A percentage from 0 to 100 (``nan`` and ``-5`` used to pass as thresholds)."""

    name = "percent"

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not 0 <= number <= 100:  # False for nan too
            self.fail(f"{value!r} is not a percentage from 0 to 100", param, ctx)
        return number


def data_option(f):
    """``--data FILE`` (repeatable) and ``--data-format NAME``."""
    f = click.option(
        "--data-format",
        "data_format",
        type=click.Choice(files.NAMES),
        default=None,
        help="The RDF syntax of --data files whose suffix does not say (and of '-').",
    )(f)
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(dir_okay=False, allow_dash=True),
        metavar="FILE",
        help=DATA_HELP,
    )(f)


STORE_HELP = (
    "Keep the loaded graph in an on-disk store in this folder and read it from there "
    "while the files are unchanged (rebuilt when their contents change; safe for "
    "several readers at once). Or set ALLIANCE_GRAPH_STORE. See docs/store.md."
)


def _use_store(ctx, param, value):
    from .. import persist

    persist.configure(value)


def store_option(f):
    """``--store DIR`` (or ``ALLIANCE_GRAPH_STORE``): the on-disk store of the loaded
    graph (:mod:`alliance_graph.persist`). Set for the process, so the commands need no
    parameter for it."""
    return click.option(
        "--store",
        "store_dir",
        envvar="ALLIANCE_GRAPH_STORE",
        metavar="DIR",
        default=None,
        expose_value=False,
        callback=_use_store,
        help=STORE_HELP,
    )(f)


def at_option(help_default: str = "today"):
    def decorate(f):
        return click.option(
            "--at",
            "at",
            metavar="DATE",
            default=None,
            help=f"The day, month or year to look at: YYYY, YYYY-MM or YYYY-MM-DD "
            f"(default: {help_default}).",
        )(f)

    return decorate


def reading_option(default: str | None = "as-of"):
    def decorate(f):
        return click.option(
            "--reading",
            type=click.Choice(READINGS),
            default=default,
            show_default=default is not None,
            help=READING_HELP,
        )(f)

    return decorate


def format_option(choices=ROW_FORMATS, default: str | None = "table", help_text: str = ""):
    """``-f/--format``: what a command prints (table for people; csv, tsv, json, jsonl
    for programs)."""

    def decorate(f):
        return click.option(
            "-f",
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=default is not None,
            help=help_text or "table for people; csv, tsv, json or jsonl for programs.",
        )(f)

    return decorate


def output_not_empty(ctx, param, value):
    """The callback of every ``-o``: an empty path would name the current folder."""
    if value is not None and not str(value).strip():
        raise click.BadParameter("is empty: give a file name, or - for standard output")
    return value


def output_option(
    default: str | None = "-",
    help_text: str = "",
    *,
    required: bool = False,
    metavar: str = "PATH",
):
    """``-o/--output PATH``: where a command writes (atomically; '-' is standard output)."""

    def decorate(f):
        return click.option(
            "-o",
            "--output",
            "output",
            default=None if required else default,
            required=required,
            callback=output_not_empty,
            show_default=default is not None and not required,
            metavar=metavar,
            help=help_text
            or "Write here (a temporary file renamed into place); '-' is standard output.",
        )(f)

    return decorate


def data_arguments(data: tuple[str, ...]) -> list[str] | None:
    """``--data`` values as the library takes them (None: the shipped data)."""
    return list(data) or None
