"""The library's exceptions. The CLI maps each onto a message and an exit code.

Exit codes, as pySHACL's CLI uses them: 0 clean, 1 violations found, 2 could not run.
"""

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_CANNOT_RUN = 2


class AllianceGraphError(Exception):
    """Anything that stops a command from running (exit code 2)."""

    exit_code = EXIT_CANNOT_RUN


class DataFileError(AllianceGraphError):
    """A data file is missing, unreadable or not valid RDF."""

    def __init__(self, path, message, line=None, column=None):
        self.path = str(path)
        self.line = line
        self.column = column
        self.reason = message
        where = self.path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        # Rebuilt from its parts, so that it crosses a process boundary (isolate.py) whole.
        return (type(self), (self.path, self.reason, self.line, self.column))


class UsageError(AllianceGraphError):
    """A parameter or option has a value the command cannot use."""


class UnknownEntityError(UsageError):
    """A name matches no entity, or several."""


class UnknownQueryError(UsageError):
    """No saved query has that name."""


class ParameterError(UsageError):
    """A query parameter is unknown, missing, or has a value of the wrong type."""


class ReadOnlyError(UsageError):
    """A query would change data (SPARQL Update) and the query commands are read-only."""


class NetworkRefusedError(UsageError):
    """An in-process query would reach the network (SERVICE, FROM) without permission."""


class QueryError(AllianceGraphError):
    """A query is not valid SPARQL, or its evaluation failed."""


class QueryTimeoutError(AllianceGraphError):
    """A query did not finish within its time limit."""


class EndpointError(AllianceGraphError):
    """A SPARQL endpoint is unreachable, too slow, or answered with an error."""


class ExportError(AllianceGraphError):
    """An export could not be written (the target is unusable or a writer failed)."""
