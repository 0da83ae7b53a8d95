"""``alliance-graph ownership ...``: stakes, paths, integrated ownership, control, timeline.

Each subcommand reads the data once, calls one function of :mod:`alliance_graph.ownership`
and prints its records (a table for people, JSON for programs).
"""

from __future__ import annotations

import json

import click

from ..temporal import READINGS

FORMATS = ("table", "json")


def _options(*, at: bool = True, interest: bool = False):
    """The options every ownership command shares."""

    def decorate(f):
        f = click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default="table",
            show_default=True,
            help="table for people, json for programs (percentages are numbers 0-100).",
        )(f)
        f = click.option(
            "--reading",
            type=click.Choice(READINGS),
            default="as-of",
            show_default=True,
            help="certain: only stakes certainly valid; possible: the largest possible "
            "figure; as-of: the latest figure known on the day (see docs/ownership.md).",
        )(f)
        f = click.option(
            "--data",
            "data",
            multiple=True,
            type=click.Path(dir_okay=False),
            metavar="FILE",
            help="Turtle file(s) in the alliance-graph vocabulary to analyse instead of "
            "the shipped data (repeat for several).",
        )(f)
        if interest:
            f = click.option(
                "--interest",
                type=click.Choice(["economic", "voting"]),
                default="economic",
                show_default=True,
                help="Stakes in capital, or the votes their holders may exercise.",
            )(f)
        if at:
            f = click.option(
                "--at",
                "at",
                metavar="DATE",
                default=None,
                help="YYYY, YYYY-MM or YYYY-MM-DD (default: today).",
            )(f)
        return f

    return decorate


def _holdings(data):
    from .. import ownership, resources

    return ownership.holdings_from_files(list(data) if data else resources.data_files())


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _json(value) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _table(rows, columns=None) -> None:
    from ..output import render

    click.echo(render(rows, "table", columns), nl=False)


@click.group()
def ownership():
    """Who owns and controls whom on a date: stakes, paths, integrated ownership.

    Names are labels, alternative labels or IRIs, in any case. Dates are YYYY, YYYY-MM
    or YYYY-MM-DD; where the sources leave a date open, answers say "certain: false"
    and list the other possible figures (--reading selects how to read them).

    \b
    Examples:
        alliance-graph ownership stake Renault Nissan --at 2015-06-30
        alliance-graph ownership integrated Renault Nissan --at 2017-06-30 --format json
        alliance-graph ownership control RNAIPL --at 2020
    """


@ownership.command()
@click.argument("holder")
@click.argument("held")
@_options()
def stake(holder, held, at, data, reading, fmt):
    """The direct stake of HOLDER in HELD: capital and votes, with sources.

    \b
    Example:
        alliance-graph ownership stake Renault Nissan --at 2024-06-01 --format json
    """
    from .. import ownership as own

    record = own.stake(_holdings(data), holder, held, at, reading=reading)
    if fmt == "json":
        _json(record)
        return
    row = dict(record)
    row["sources"] = [_short(s) for s in record["sources"]]
    row["candidates"] = [
        f"{c['percent']:g}% ({', '.join(_short(s) for s in c['sources'])})"
        for c in record["candidates"]
    ]
    _table([row])


@ownership.command()
@click.argument("holder")
@click.argument("held")
@click.option("--max-depth", type=int, default=None, metavar="N", help="Longest path, in stakes.")
@click.option(
    "--limit",
    type=int,
    default=100,
    show_default=True,
    metavar="N",
    help="List the N most significant paths only (0: all; inside large cycles of "
    "cross-holdings there can be millions). The total is given when no other path exists.",
)
@_options(interest=True)
def paths(holder, held, max_depth, limit, at, interest, data, reading, fmt):
    """Every chain of stakes from HOLDER to HELD, most significant first, and their sum.

    A path's percent is the product of its stakes. The sum counts each chain once;
    `ownership integrated` also counts the walks round cycles.

    \b
    Example:
        alliance-graph ownership paths Renault Nissan --at 2015-06-30
    """
    from .. import ownership as own

    result = own.paths(
        _holdings(data),
        holder,
        held,
        at,
        max_depth=max_depth,
        limit=limit or None,
        interest=interest,
        reading=reading,
    )
    if fmt == "json":
        _json(result)
        return
    rows = [
        {"percent": p["percent"], "certain": p["certain"], "path": " -> ".join(p["nodes"])}
        for p in result["paths"]
    ]
    if rows:
        _table(rows)
    if result["complete"]:
        click.echo(
            f"{len(rows)} path(s) from {result['holder']} to {result['held']} on "
            f"{result['at']}; total {result['total_percent']:g}%"
        )
    else:
        click.echo(
            f"The {len(rows)} most significant paths from {result['holder']} to "
            f"{result['held']} on {result['at']}; more exist (raise --limit, or see "
            "`ownership integrated` for the share through all of them)."
        )


@ownership.command()
@click.argument("holder", required=False)
@click.argument("held", required=False)
@click.option("--all", "all_pairs", is_flag=True, help="Every holder in every company.")
@click.option(
    "--plain",
    is_flag=True,
    help="The plain Leontief sum over all walks, (I - A)^-1 A, instead of the default "
    "that removes the edges into the holder (Vitali et al. 2011, SI section 3).",
)
@_options(interest=True)
def integrated(holder, held, all_pairs, plain, at, interest, data, reading, fmt):
    """Integrated ownership of HOLDER in HELD through all chains and cycles.

    With HOLDER alone: in every company it reaches. With --all: every holder in
    every company. Computed with sparse LU solves, not by listing paths.

    \b
    Examples:
        alliance-graph ownership integrated Renault Nissan --at 2017-06-30
        alliance-graph ownership integrated Renault Nissan --at 2017-06-30 --plain
        alliance-graph ownership integrated --all --at 2015-06-30 --format json
    """
    from .. import ownership as own
    from ..errors import UsageError

    definition = "plain" if plain else "corrected"
    h = _holdings(data)
    if all_pairs:
        if holder or held:
            raise UsageError("give either --all or HOLDER [HELD], not both")
        records = own.integrated_all(
            h, at, definition=definition, interest=interest, reading=reading
        )
    elif holder:
        records = own.integrated(
            h, holder, held, at, definition=definition, interest=interest, reading=reading
        )
    else:
        raise UsageError("name a HOLDER (and optionally a HELD company), or use --all")
    if fmt == "json":
        _json(records)
        return
    rows = records if isinstance(records, list) else [records]
    if not rows:
        click.echo("No stakes from this holder on that date.")
        return
    _table(rows, ["holder", "held", "at", "direct_percent", "integrated_percent", "certain"])


@ownership.command()
@click.argument("held")
@click.option(
    "--threshold",
    type=click.Choice(["above-50", "50-or-more"]),
    default="above-50",
    show_default=True,
    help="above-50: more than half the votes (consolidation); 50-or-more: half or more "
    "(the sanctions-screening 50 percent rule).",
)
@_options()
def control(held, threshold, at, data, reading, fmt):
    """Who controls HELD by voting rights, directly or through controlled companies.

    Only stakes with votes count, at the votes their holders may exercise (caps
    applied); a controlled company's votes count whole for its controller.

    \b
    Example:
        alliance-graph ownership control "Renault Nissan Automotive India" --at 2020
        alliance-graph ownership control RNAIPL --at 2026 --format json
    """
    from .. import ownership as own

    result = own.control(_holdings(data), held, at, threshold=threshold, reading=reading)
    if fmt == "json":
        _json(result)
        return
    if result["controllers"]:
        rows = [
            {
                "controller": c["controller"],
                "votes_percent": c["votes_percent"],
                "ultimate": c["ultimate"],
                "certain": c["certain"],
                "chain": [
                    f"{s['holder']} -> {s['held']} ({s['votes_percent']:g}%)" for s in c["chain"]
                ],
            }
            for c in result["controllers"]
        ]
        _table(rows)
    else:
        click.echo(
            f"No one controls {result['held']} on {result['at']} ({threshold}). Voting holders:"
        )
        if result["holders"]:
            _table(result["holders"])


@ownership.command()
@click.argument("holder")
@click.argument("held")
@click.option("--plain", is_flag=True, help="Plain integrated ownership (see `integrated`).")
@_options(at=False)
def timeline(holder, held, plain, data, reading, fmt):
    """The days on which HOLDER's direct, voting or integrated stake in HELD changes.

    \b
    Example:
        alliance-graph ownership timeline Renault Nissan
        alliance-graph ownership timeline Nissan Renault --format json
    """
    from .. import ownership as own

    records = own.timeline(
        _holdings(data),
        holder,
        held,
        definition="plain" if plain else "corrected",
        reading=reading,
    )
    if fmt == "json":
        _json(records)
        return
    if not records:
        click.echo("No stake between them on any day.")
        return
    _table(
        records,
        ["from", "until", "direct_percent", "voting_percent", "integrated_percent", "certain"],
    )
