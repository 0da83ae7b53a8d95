"""The ``alliance-graph`` command: a thin layer over the library.

Each subcommand lives in a module of this package and is imported only when it runs, so
that ``alliance-graph --help`` and light commands start fast (no pySHACL, no scipy).
"""

from __future__ import annotations

import importlib
import sys

import click

from ..errors import EXIT_CANNOT_RUN, AllianceGraphError

# command name -> "module:attribute" inside this package
COMMANDS = {
    "entities": "entities:entities",
    "export": "export:export",
    "plot": "plot:plot",
    "ownership": "ownership:ownership",
    "summary": "summary:summary",
    "validate": "validate:validate",
    "fmt": "fmt:fmt",
    "queries": "query:queries_cmd",
    "query": "query:query",
    "sparql": "query:sparql_cmd",
    "push": "query:push",
    "serve": "serve:serve",
    "import": "imports:import_cmd",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="alliance-graph")
def cli():
    """A sourced, dated knowledge graph of the Renault-Nissan-Mitsubishi Alliance.

    \b
    Example:
        alliance-graph summary
        alliance-graph validate --format json
    """


def main(argv=None):
    """Entry point: library errors become a message on stderr and exit code 2."""
    try:
        # Without standalone mode click returns the code of ctx.exit() instead of exiting.
        rv = cli.main(args=argv, prog_name="alliance-graph", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    except click.ClickException as exc:
        # Usage errors are "could not run" (2), never "violations" (1).
        exc.show()
        sys.exit(EXIT_CANNOT_RUN)
    except AllianceGraphError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(rv if isinstance(rv, int) else 0)
