"""Loading the ontology and data into one graph, with errors that name file and line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph
from rdflib.util import guess_format

from . import resources
from .errors import DataFileError
from .namespaces import PROJECT_PREFIXES
from .temporal import materialise

PREFIXES = PROJECT_PREFIXES


def _bind(graph: Graph) -> Graph:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def parse_into(graph: Graph, path: Path | str) -> None:
    """Parse one RDF file into ``graph``, turning every failure into :class:`DataFileError`."""
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "no such file")
    if path.is_dir():
        raise DataFileError(path, "is a folder, not an RDF file")
    from .bods import importer as bods  # BODS 0.4 statements as triples (docs/bods.md)

    if bods.is_bods(path):
        return graph.parse(data=bods.to_ntriples(path), format="nt")
    fmt = guess_format(str(path)) or "turtle"
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, f"cannot be read: {exc.strerror}") from None
    try:
        graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib's parsers raise many types; all mean bad input
        line, column, reason = _locate(exc, text)
        raise DataFileError(path, f"not valid {fmt}: {reason}", line, column) from None


def _locate(exc: Exception, text: bytes) -> tuple[int | None, int | None, str]:
    """Line and column (1-based) of a parse error, where the parser tells it."""
    # rdflib's Turtle/N3 parser raises BadSyntax with the offset into the text.
    offset = getattr(exc, "_i", None)
    why = getattr(exc, "_why", None)
    if offset is not None and why is not None:
        data = getattr(exc, "_str", text)
        if isinstance(data, str):
            data = data.encode()
        before = data[:offset]
        line = before.count(b"\n") + 1
        column = offset - (before.rfind(b"\n") + 1) + 1
        return line, column, str(why)
    line = getattr(exc, "lineno", None) or getattr(exc, "line", None)
    column = getattr(exc, "offset", None) or getattr(exc, "column", None)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (
        line if isinstance(line, int) else None,
        column if isinstance(column, int) else None,
        first,
    )


def load(
    data: Iterable[Path | str] | None = None,
    *,
    ontology: bool = True,
    derive: bool = True,
) -> Graph:
    """The ontology plus ``data`` (the shipped data when None), with derived bounds.

    ``derive=False`` keeps exactly what the files say (for formatting and diffing).
    """
    graph = _bind(Graph())
    for path in resources.files_to_load(data, ontology=ontology):
        parse_into(graph, path)
    if derive:
        materialise(graph)
    return graph
