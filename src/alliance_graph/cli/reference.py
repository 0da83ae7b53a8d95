"""The CLI reference (docs/cli.md), generated from the commands' own ``--help``.

Run ``python -m alliance_graph.cli.reference > docs/cli.md`` after changing a command;
tests/test_docs.py fails while the file differs from what this prints.
"""

from __future__ import annotations

import click

from . import cli

HEADER = """# Command-line reference

Generated from `--help` by `python -m alliance_graph.cli.reference > docs/cli.md`;
`tests/test_docs.py` checks that it is current. Exit codes everywhere: 0 done, 1
violations found (`validate`, `summary`, `fmt --check`), 2 could not run.
"""


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    """Every command below ``group`` as (path, command), depth first, by name."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from commands(command, path)


def help_text(path: tuple[str, ...]) -> str:
    from click.testing import CliRunner

    result = CliRunner().invoke(
        cli, [*path, "--help"], terminal_width=88, prog_name="alliance-graph"
    )
    return result.output


def reference() -> str:
    parts = [HEADER]
    for path, _ in commands():
        name = "alliance-graph " + " ".join(path)
        parts.append(f"\n## {name}\n\n```\n{help_text(path).rstrip()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    print(reference(), end="")
