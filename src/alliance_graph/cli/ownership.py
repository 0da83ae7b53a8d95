"""``alliance-graph ownership ...``: stakes, paths, integrated ownership, control, timeline,
and what-if comparisons.

Each subcommand loads the data once through the one loader (validating user data first
with the shipped shapes), applies a scenario if asked, calls one function of
:mod:`alliance_graph.ownership` and prints its records.
"""

from __future__ import annotations

import json
import sys

import click

from ..errors import EXIT_VIOLATIONS
from ..names import curie
from .options import (
    Percent,
    at_option,
    data_option,
    format_option,
    reading_option,
    store_option,
)

ROW_FORMATS = ("csv", "tsv", "jsonl")
_INTEGRATED = ["holder", "held", "at", "direct_percent", "integrated_percent", "certain"]
INTEGRATED_COLUMNS = [*_INTEGRATED, "approximate"]
# For programs (csv, tsv, jsonl) the records also carry the entities' IRIs, which tell
# two entities of one label apart; a table for people shows the labels. New columns go
# after the ones programs already read.
INTEGRATED_RECORD = [*_INTEGRATED, "definition", "approximate", "holder_iri", "held_iri"]


def _for_people(row) -> list[str]:
    return [c for c in row if not c.endswith("_iri")]


def _options(*, at: bool = True, interest: bool = False):
    """The options every ownership command shares (the project's shared ones, plus
    --scenario and --no-validate)."""

    def decorate(f):
        f = format_option(
            help_text="table for people; csv, tsv, json or jsonl for programs "
            "(percentages are numbers 0-100)."
        )(f)
        f = reading_option()(f)
        f = click.option(
            "--scenario",
            "scenario",
            type=click.Path(dir_okay=False),
            metavar="FILE",
            default=None,
            help="What-if changes applied in memory on top of the data (CSV or YAML of "
            "sell/buy/set changes, or RDF in the project's vocabulary); nothing is written.",
        )(f)
        f = click.option(
            "--no-validate",
            is_flag=True,
            help="Do not validate --data with the shipped shapes first (stderr says what "
            "is then taken on trust).",
        )(f)
        f = data_option(f)
        f = store_option(f)
        if interest:
            f = click.option(
                "--interest",
                type=click.Choice(["economic", "voting"]),
                default="economic",
                show_default=True,
                help="Stakes in capital, or the votes their holders may exercise.",
            )(f)
        if at:
            f = at_option()(f)
        return f

    return decorate


def _validated(data, no_validate: bool, data_format=None, scenario=None) -> None:
    """Validate user data, and an RDF scenario with the data it goes on top of, with the
    shipped shapes; exit 1 with the report on violations."""
    from ..ownership import is_rdf_scenario

    # CSV and YAML changes are checked as they are applied; an RDF file is data
    rdf_scenario = bool(scenario) and is_rdf_scenario(scenario)
    if not data and not rdf_scenario:
        return
    if no_validate:
        click.echo(
            "Note: --data not validated (--no-validate): stakes without a citation, an "
            "interest or a figure are left out, and percentages outside 0-100 or "
            "companies held over 100% are computed as given.",
            err=True,
        )
        return
    from ..resources import data_files
    from ..validate import validate

    files = list(data) if data else [str(p) for p in data_files()]
    what = "The data"
    if rdf_scenario:  # its stakes are read as the data's: a stake without a citation is left out
        files.append(scenario)
        what = "The data with the scenario"
    report = validate(files, data_format=data_format)
    if report.failed():
        click.echo(report.to_text(), err=True, nl=False)
        click.echo(
            f"{what} does not conform: fix it, or pass --no-validate to analyse it anyway.",
            err=True,
        )
        sys.exit(EXIT_VIOLATIONS)


def _store(data, no_validate: bool, scenario=None, data_format=None):
    from .. import ownership as own
    from ..persist import configured
    from ..store import open_store

    _validated(data, no_validate, data_format, scenario)
    files = list(data) if data else None
    store = open_store(files, data_format=data_format, store_dir=configured())
    if not scenario:
        return store, []
    # a scenario changes the store it is applied to: a copy in memory, never --store's
    return own.scenario_store(store, scenario)


def _holdings(data, no_validate: bool = False, scenario=None, data_format=None, store=None):
    from .. import ownership as own

    if store is None:
        store, _ = _store(data, no_validate, scenario, data_format)
    h = own.holdings_from_store(store)
    _left_out(h.set_aside, no_validate)
    return h


def _left_out(set_aside, no_validate: bool) -> None:
    if no_validate and set_aside:
        skipped = [a for a in set_aside if a.winner is None and "deprecated" not in a.reason]
        for a in skipped:
            click.echo(f"Note: left out {a.iri}: {a.reason}", err=True)


def _short(iri: str) -> str:
    # Sources print one way everywhere: src:... (the saved queries' form).
    return curie(iri)


def _json(value) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _table(rows, columns=None) -> None:
    from ..output import render

    click.echo(render(rows, "table", columns), nl=False)


def _records(rows, fmt: str, columns) -> None:
    from ..output import render

    click.echo(render(rows, fmt, columns), nl=False)


@click.group()
def ownership():
    """Who owns and controls whom on a date: stakes, paths, integrated ownership.

    Names are labels, alternative labels or IRIs, in any case. Dates are YYYY, YYYY-MM
    or YYYY-MM-DD; where the sources leave a date open, answers say "certain: false"
    and list the other possible figures (--reading selects how to read them).
    --data files are validated first; --scenario FILE applies what-if changes in memory.

    \b
    Examples:
        alliance-graph ownership stake Renault Nissan --at 2015-06-30
        alliance-graph ownership integrated Renault Nissan --at 2017-06-30 --format json
        alliance-graph ownership control RNAIPL --at 2020
        alliance-graph ownership compare --scenario changes.csv --at 2026-07-01
    """


@ownership.command()
@click.argument("holder")
@click.argument("held")
@_options()
def stake(holder, held, at, data, data_format, no_validate, scenario, reading, fmt):
    """The direct stake of HOLDER in HELD: capital and votes, its parts, with sources.

    The parts say what is held directly and through each intermediary, with the votes
    each part may exercise and the votes its shares carry before any cap; losing
    competing claims are listed with their reason, and when the answer is not certain
    it says why.

    \b
    Example:
        alliance-graph ownership stake Renault Nissan --at 2024-06-01 --format json
    """
    from .. import ownership as own

    record = own.stake(
        _holdings(data, no_validate, scenario, data_format), holder, held, at, reading=reading
    )
    if fmt == "json":
        _json(record)
        return
    row = {
        k: record[k]
        for k in ("holder", "held", "at", "percent", "voting_percent", "certain", "via")
    }
    row["theoretical_voting_percent"] = record["theoretical_voting_percent"]
    row["sources"] = [_short(s) for s in record["sources"]]
    row["candidates"] = [
        f"{c['percent']:g}% ({', '.join(_short(s) for s in c['sources'])})"
        for c in record["candidates"]
    ]
    row["approximate"] = record["approximate"]
    row["holder_iri"], row["held_iri"] = record["holder_iri"], record["held_iri"]
    if fmt in ROW_FORMATS:  # one row, the parts and claims in the json form
        _records([row], fmt, list(row))
        return
    nothing = record["percent"] is None and record["voting_percent"] is None
    # only where none is certain: a claim without a figure (a range) or one the reading
    # left out keeps the table and its reasons
    if nothing and record["certain"] and not record["candidates"] and not record["competing"]:
        # an empty row reads like a figure left out; say what the data holds
        when = ("on " if len(record["at"]) == 10 else "in ") + record["at"]
        click.echo(
            f"The data holds no stake of {record['holder']} in {record['held']} {when} "
            "(chains of stakes: ownership paths or integrated)."
        )
        return
    _table([row], _for_people(row))
    if len(record["parts"]) > 1 or any(p["via"] for p in record["parts"]):
        click.echo("\nParts:")
        _table(
            [
                {
                    "via": p["via"] or "(direct)",
                    "percent": p["percent"],
                    "votes": p["voting_percent"] if p["voting_percent"] is not None else p["votes"],
                    "theoretical_votes": p["theoretical_voting_percent"],
                    "certain": p["certain"],
                    "approximate": p["approximate"],
                }
                for p in record["parts"]
            ]
        )
    if record["competing"]:
        click.echo("\nCompeting claims set aside:")
        _table(
            [
                {"percent": c["percent"], "approximate": c["approximate"], "reason": c["reason"]}
                for c in record["competing"]
            ]
        )
    if record["why_not_certain"]:
        click.echo("\nNot certain because:")
        for reason in record["why_not_certain"]:
            click.echo(f"  - {reason}")


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
def paths(
    holder,
    held,
    max_depth,
    limit,
    at,
    interest,
    data,
    data_format,
    no_validate,
    scenario,
    reading,
    fmt,
):
    """Every chain of stakes from HOLDER to HELD, most significant first, and their sum.

    A path's percent is the product of its stakes. The sum counts each chain once;
    `ownership integrated` also counts the walks round cycles.

    \b
    Example:
        alliance-graph ownership paths Renault Nissan --at 2015-06-30
    """
    from .. import ownership as own

    result = own.paths(
        _holdings(data, no_validate, scenario, data_format),
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
        {
            "percent": p["percent"],
            "certain": p["certain"],
            "path": " -> ".join(p["nodes"]),
            "approximate": p["approximate"],
        }
        for p in result["paths"]
    ]
    if fmt in ROW_FORMATS:
        _records(rows, fmt, ["percent", "certain", "path", "approximate"])
        return
    if rows:
        _table(rows)
    said = ["not certain"] if not result["certain"] else []
    said += ["some figures approximate"] if result["approximate"] else []
    certain = f" ({'; '.join(said)})" if said else ""
    if result["complete"]:
        click.echo(
            f"{len(rows)} path(s) from {result['holder']} to {result['held']} on "
            f"{result['at']}; total {result['total_percent']:g}%{certain}"
        )
    else:
        click.echo(
            f"The {len(rows)} most significant paths from {result['holder']} to "
            f"{result['held']} on {result['at']}; more exist (raise --limit, or see "
            "`ownership integrated` for the share through all of them)."
        )


def _report_cycles(cycles) -> None:
    for c in cycles:
        click.echo(
            f"Warning: {c['message']}. Pairs through it are left out "
            f"(members: {', '.join(c['members'])}).",
            err=True,
        )


@ownership.command()
@click.argument("holder", required=False)
@click.argument("held", required=False)
@click.option("--all", "all_pairs", is_flag=True, help="Every holder in every company.")
@click.option(
    "--min",
    "min_percent",
    type=Percent(),
    default=0.01,
    show_default=True,
    metavar="PERCENT",
    help="With --all: leave out pairs below PERCENT (0 keeps every pair reached).",
)
@click.option(
    "--plain",
    is_flag=True,
    help="The plain Leontief sum over all walks, (I - A)^-1 A, instead of the default "
    "that removes the edges into the holder (Vitali et al. 2011, SI section 3).",
)
@_options(interest=True)
def integrated(
    holder,
    held,
    all_pairs,
    min_percent,
    plain,
    at,
    interest,
    data,
    data_format,
    no_validate,
    scenario,
    reading,
    fmt,
):
    """Integrated ownership of HOLDER in HELD through all chains and cycles.

    With HOLDER alone: in every company it reaches. With --all: every holder in every
    company, streamed (json, jsonl or csv keep memory bounded), pairs below --min left
    out. Computed with sparse LU solves, not by listing paths. A cycle whose members
    hold all of each other (or a company held over 100%) is reported on stderr, and
    every pair that does not depend on it is still answered.

    \b
    Examples:
        alliance-graph ownership integrated Renault Nissan --at 2017-06-30
        alliance-graph ownership integrated Renault Nissan --at 2017-06-30 --plain
        alliance-graph ownership integrated --all --at 2015-06-30 --format jsonl
    """
    from .. import ownership as own
    from ..errors import UsageError

    definition = "plain" if plain else "corrected"
    options = {"definition": definition, "interest": interest, "reading": reading}
    found = store = None
    if holder and not all_pairs and not scenario:
        # One company with --store: only the part of the network it reaches is read
        # (ownership/by_company.py); None where the whole network is needed.
        store, _ = _store(data, no_validate, None, data_format)
        found = own.integrated_from_index(store, holder, held, at, **options)
    if found is not None:
        result, set_aside = found
        _left_out(set_aside, no_validate)
        _print_integrated(result, fmt)
        return
    h = _holdings(data, no_validate, scenario, data_format, store=store)
    if all_pairs:
        if holder or held:
            raise UsageError("give either --all or HOLDER [HELD], not both")
        g = own.snapshot(h, at, interest=interest, reading=reading)
        _report_cycles(own.undefined_cycles(h, at, interest=interest, reading=reading, snapshot=g))
        records = own.integrated_records(h, at, min_percent=min_percent, snapshot=g, **options)
        if fmt == "table":
            rows = list(records)
            if rows:
                _table(rows, INTEGRATED_COLUMNS)
            else:
                click.echo("No pair at or above --min on that date.")
        else:
            _stream_records(records, fmt)
        return
    if not holder:
        raise UsageError("name a HOLDER (and optionally a HELD company), or use --all")
    if held is None:
        g = own.snapshot(h, at, interest=interest, reading=reading)
        _report_cycles(own.undefined_cycles(h, at, interest=interest, reading=reading, snapshot=g))
        result = own.integrated(h, holder, None, at, snapshot=g, **options)
    else:
        result = own.integrated(h, holder, held, at, **options)
    _print_integrated(result, fmt)


def _print_integrated(result, fmt: str) -> None:
    rows = result if isinstance(result, list) else [result]
    if fmt == "json":
        _json(result)
        return
    if fmt != "table":
        _records(rows, fmt, INTEGRATED_RECORD)
        return
    if not rows:
        click.echo("No stakes from this holder on that date.")
        return
    _table(rows, INTEGRATED_COLUMNS)


class _Echo:
    """A file-like writer onto click's standard output (what CliRunner captures)."""

    def write(self, text: str) -> None:
        click.echo(text, nl=False)


def _stream_records(records, fmt: str) -> None:
    """Write records as they come (json array, jsonl, csv or tsv): bounded memory."""
    from ..output import stream

    stream(records, fmt, INTEGRATED_RECORD, _Echo())


THRESHOLD_HELP = (
    "above-50: more than half (consolidation's control); 50-or-more: half or more "
    "(the OFAC 50 Percent Rule, which counts ownership: use it with --basis ownership)."
)
BASIS_HELP = (
    "votes: the votes holders may exercise (consolidation); ownership: capital, votes or "
    "not (the OFAC 50 Percent Rule aggregates ownership)."
)


@ownership.command()
@click.argument("held")
@click.option(
    "--threshold",
    type=click.Choice(["above-50", "50-or-more"]),
    default="above-50",
    show_default=True,
    help=THRESHOLD_HELP,
)
@click.option(
    "--basis",
    type=click.Choice(["votes", "ownership"]),
    default="votes",
    show_default=True,
    help=BASIS_HELP,
)
@_options()
def control(held, threshold, basis, at, data, data_format, no_validate, scenario, reading, fmt):
    """Who controls HELD, directly or through controlled companies, by votes or ownership.

    A holder's aggregate figure in HELD is its own stake plus the whole stakes of the
    companies it controls (not scaled by its share in them); it controls HELD when that
    passes the threshold. Every holder's aggregate is listed, also below the threshold.

    \b
    Example:
        alliance-graph ownership control "Renault Nissan Automotive India Private Ltd" --at 2020
        alliance-graph ownership control RNAIPL --at 2026 --format json
        alliance-graph ownership control Nissan --basis ownership --threshold 50-or-more
    """
    from .. import ownership as own

    result = own.control(
        _holdings(data, no_validate, scenario, data_format),
        held,
        at,
        threshold=threshold,
        reading=reading,
        basis=basis,
    )
    if fmt == "json":
        _json(result)
        return
    if fmt in ROW_FORMATS:  # one row per holder: its aggregate, and whether it controls
        rows = [
            {
                "held": result["held"],
                "at": result["at"],
                "holder": a["holder"],
                "aggregate_percent": a["aggregate_percent"],
                "direct_percent": a["direct_percent"],
                # The json's key and value (the flag the analysis sets, not a match of
                # labels, which two holders may share).
                "controls": a["controls"],
                "certain": a["certain"],
                "approximate": a["approximate"],
                "held_iri": result["held_iri"],
                "holder_iri": a["holder_iri"],
            }
            for a in result["aggregates"]
        ]
        _records(rows, fmt, list(rows[0]) if rows else ["held", "at", "holder"])
        return
    _print_control(result)


def _print_control(result) -> None:
    if result["controllers"]:
        rows = [
            {
                "controller": c["controller"],
                "percent": c["percent"],
                "ultimate": c["ultimate"],
                "certain": c["certain"],
                "approximate": c["approximate"],
                "chain": [f"{s['holder']} -> {s['held']} ({s['percent']:g}%)" for s in c["chain"]],
            }
            for c in result["controllers"]
        ]
        _table(rows)
    else:
        click.echo(
            f"No one controls {result['held']} on {result['at']} "
            f"({result['threshold']}, by {result['basis']})."
        )
    if result["aggregates"]:
        click.echo("Aggregate figures (own stake plus the whole stakes of what it controls):")
        _table(
            [
                {
                    "holder": a["holder"],
                    "aggregate_percent": a["aggregate_percent"],
                    "direct_percent": a["direct_percent"],
                    "through": a["through"],
                    "controls": a["controls"],
                    "certain": a["certain"],
                    "approximate": a["approximate"],
                }
                for a in result["aggregates"]
            ]
        )


@ownership.command()
@click.argument("holder")
@click.argument("held")
@click.option("--plain", is_flag=True, help="Plain integrated ownership (see `integrated`).")
@_options(at=False)
def timeline(holder, held, plain, data, data_format, no_validate, scenario, reading, fmt):
    """The days on which HOLDER's direct, voting or integrated stake in HELD changes.

    \b
    Example:
        alliance-graph ownership timeline Renault Nissan
        alliance-graph ownership timeline Nissan Renault --format json
    """
    from .. import ownership as own

    records = own.timeline(
        _holdings(data, no_validate, scenario, data_format),
        holder,
        held,
        definition="plain" if plain else "corrected",
        reading=reading,
    )
    if fmt == "json":
        _json(records)
        return
    columns = [
        "from",
        "until",
        "direct_percent",
        "voting_percent",
        "integrated_percent",
        "certain",
        "approximate",
    ]
    if fmt != "table":
        _records(records, fmt, [*columns, "sources"])
        return
    if not records:
        click.echo("No stake between them on any day.")
        return
    _table(records, columns)


@ownership.command()
@click.option(
    "--scenario",
    "scenario",
    required=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="The what-if changes (CSV or YAML of sell/buy/set changes, or RDF).",
)
@at_option()
@click.option(
    "--min",
    "min_percent",
    type=Percent(),
    default=0.01,
    show_default=True,
    metavar="PERCENT",
    help="Leave out integrated figures that move by less than PERCENT.",
)
@data_option
@click.option("--no-validate", is_flag=True, help="Do not validate --data first.")
@store_option
@reading_option()
@format_option()
def compare(scenario, at, min_percent, data, data_format, no_validate, reading, fmt):
    """Before and after a what-if SCENARIO on --at: integrated ownership, control, and
    the rules (agreement terms among them) the scenario would break.

    Nothing is written to the data: the changes are applied to a copy in memory. A CSV
    scenario has the columns action (sell, buy or set), holder, held, percent, date
    (YYYY-MM-DD) and optionally through; YAML takes a list of the same keys.

    \b
    Example:
        alliance-graph ownership compare --scenario docs/examples/trust-sale.csv --at 2026-07-01
    """
    from ..ownership import compare as compare_scenario
    from ..persist import configured

    _validated(data, no_validate, data_format)
    result = compare_scenario(
        list(data) if data else None,
        scenario,
        at,
        reading=reading,
        min_percent=min_percent,
        data_format=data_format,
        store_dir=configured(),
    )
    if fmt == "json":
        _json(result)
        return
    if fmt in ROW_FORMATS:  # the integrated figures that move, one row each
        columns = ["holder", "held", "before_percent", "after_percent", "holder_iri", "held_iri"]
        _records(result["integrated"], fmt, columns)
        return

    def for_people(rows):
        return [{k: v for k, v in r.items() if not k.endswith("_iri")} for r in rows]

    click.echo(f"Scenario {scenario} on {result['at']}:")
    _table(for_people(result["changes"]))
    click.echo("\nIntegrated ownership that moves (blank: undefined, see below):")
    if result["integrated"]:
        _table(for_people(result["integrated"]))
    else:
        click.echo("  (nothing moves by --min or more)")
    for cycle in result["undefined"]:
        click.echo(f"  undefined {cycle['when']} the scenario: {cycle['message']}")
    click.echo("\nControl of the companies changed, and of those downstream where it moves:")
    _table(for_people(result["control"]))
    click.echo("\nRules the scenario would break (validation of the changed data):")
    if result["broken"]:
        _table(result["broken"])
    else:
        click.echo("  (none)")
