"""The ``alliance-graph`` command: a thin layer over the library.

Each subcommand lives in a module of this package and is imported only when it runs, so
that ``alliance-graph --help`` and light commands start fast (no pySHACL, no scipy).
Listing the commands imports none of them: their one-line help comes from
:data:`SHORT_HELP`, which tests/test_cli_help.py keeps equal to each command's own.
"""

from __future__ import annotations

import errno
import importlib
import os
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


# command name -> its one-line help, as click derives it from the docstring (a test
# compares): what `alliance-graph --help` lists without importing the command modules.
SHORT_HELP = {
    "entities": "List entities whose label, alternative label or local name contains TEXT "
    "(any case and spacing), with their kind and the local name to type.",
    "export": "Export the graph for another tool: RDF, GraphML, GEXF, Neo4j, CSV, Mermaid, DOT.",
    "fmt": "Write Turtle files in canonical form: stable prefixes, order and layout.",
    "import": "Turn ownership data you hold into Turtle in this project's vocabulary.",
    "ownership": "Who owns and controls whom on a date: stakes, paths, integrated ownership.",
    "plot": "Draw pictures of the graph as PNG or SVG (matplotlib, no display needed).",
    "push": "Load the ontology and data, with derived day bounds and best ranks, into a "
    "SPARQL server through the Graph Store Protocol.",
    "queries": "List the saved queries: name, summary, parameters and tags.",
    "query": "Run the saved query NAME (see `alliance-graph queries`).",
    "serve": "Serve the graph on the web: /sparql, /api, Linked Data pages, the explorer.",
    "sparql": "Run a read-only SPARQL query given inline or with --file FILE.",
    "summary": "Validate the graph, then show counts per class and the stakes over time.",
    "validate": "Validate data against the ontology, the SHACL shapes and the rule queries.",
}


class LazyGroup(click.Group):
    """A group whose commands are imported when one runs (click's lazy-loading pattern)."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)

    def format_commands(self, ctx, formatter):
        """The command list of ``--help``, as click writes it, from :data:`SHORT_HELP`."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        # A stand-in command per name, so that click shortens each help as its own would.
        rows = [
            (name, click.Command(name, help=SHORT_HELP[name]).get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="alliance-graph")
def cli():
    """A sourced, dated knowledge graph of the Renault-Nissan-Mitsubishi Alliance.

    \b
    Example:
        alliance-graph summary
        alliance-graph validate --format json
    """


class _ReaderGone:
    """Standard output that drops what is written once its reader has gone (``| head``):
    the command still runs to its end and exits with its own code (1 for violations,
    say), where a broken pipe would otherwise end it with Python's 1 and no word."""

    def __init__(self, stream):
        self._stream = stream
        self._gone = False
        self.failed: OSError | None = None  # a write it could not make (a full disk)

    def write(self, text):
        if not self._gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._drop()
            except OSError as exc:
                self.failed = exc
                self._drop()
        return len(text)

    def flush(self):
        if not self._gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop()
            except OSError as exc:
                self.failed = exc
                self._drop()

    def _drop(self):
        self._gone = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())  # so that the flush at exit finds a reader

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv=None):
    """Entry point: library errors become a message on stderr and exit code 2."""
    # numpy's OpenBLAS starts a thread per core when it is imported, and they spin for a
    # while after each call. The sparse solves of the ownership commands gain nothing from
    # them (docs/ownership.md, "Scale"): on two shared cores they only burn CPU, 0.2 s
    # of one wide company's 1 s. A value the user set wins; the library leaves it alone.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if not isinstance(sys.stdout, _ReaderGone) and sys.stdout is sys.__stdout__:
        sys.stdout = _ReaderGone(sys.stdout)
    try:
        # Without standalone mode click returns the code of ctx.exit() instead of exiting.
        rv = cli.main(args=argv, prog_name="alliance-graph", standalone_mode=False)
        sys.stdout.flush()  # here, not at exit: a full disk is then an error we can name
        failed = getattr(sys.stdout, "failed", None)
        if failed is not None:
            raise failed
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
    except BrokenPipeError:  # bytes written past the text stream (an export to '-')
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        sys.exit(EXIT_CANNOT_RUN)  # the output could not all be written
    except OSError as exc:
        # Standard output cannot take it (a full disk, /dev/full): the text stream says so
        # above; bytes written past it (an export to '-') fail here with no file named.
        # Could not run, named, never the 1 of "violations" with a traceback.
        if exc.errno not in (errno.ENOSPC, errno.EFBIG, errno.EIO) or exc.filename:
            raise
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        click.echo(f"Error: cannot write to standard output: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    sys.exit(rv if isinstance(rv, int) else 0)
