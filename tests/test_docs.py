"""Every command has --help with a real example and is documented in the README."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from alliance_graph.cli import cli
from alliance_graph.cli.reference import commands

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


COMMANDS = list(commands())


def test_the_walk_finds_the_commands_users_rely_on():
    names = {" ".join(path) for path, _ in COMMANDS}
    for expected in (
        "summary",
        "validate",
        "query",
        "queries",
        "sparql",
        "push",
        "export",
        "plot network",
        "plot timeline",
        "ownership stake",
        "ownership integrated",
        "ownership control",
    ):
        assert expected in names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_help_ends_with_a_real_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    # the example runs this very command
    assert "alliance-graph " + " ".join(path) in result.output


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_command_appears_in_the_readme(path):
    assert "alliance-graph " + " ".join(path) in README


def test_the_cli_reference_is_generated_from_help():
    from alliance_graph.cli.reference import reference

    docs = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
    assert docs.read_text() == reference(), (
        "docs/cli.md is stale: run python -m alliance_graph.cli.reference > docs/cli.md"
    )
