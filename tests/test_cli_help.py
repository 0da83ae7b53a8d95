"""``alliance-graph --help`` lists the commands without importing them (issue 14, item 3):
the one-line helps come from a table, which must say what the commands themselves say."""

from __future__ import annotations

import click
import pytest

from alliance_graph.cli import COMMANDS, SHORT_HELP, cli


def test_the_table_names_every_command_and_no_other():
    assert set(SHORT_HELP) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_one_line_help_is_the_commands_own(name):
    command = cli.get_command(click.Context(cli), name)  # imports the command's module
    assert SHORT_HELP[name] == command.get_short_help_str(limit=10**6)


def _listing(width: int, eager: bool) -> str:
    ctx = click.Context(cli, info_name="alliance-graph")
    formatter = click.HelpFormatter(width=width)
    if eager:  # click's own listing: imports every command for its help
        click.Group.format_commands(cli, ctx, formatter)
    else:
        cli.format_commands(ctx, formatter)
    return formatter.getvalue()


@pytest.mark.parametrize("width", [40, 60, 80, 88, 120])
def test_the_listing_is_what_click_writes_from_the_commands(width):
    lazy = _listing(width, eager=False)
    assert "validate" in lazy and "Commands:" in lazy
    assert lazy == _listing(width, eager=True)
