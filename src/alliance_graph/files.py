"""RDF files: which format a file is in, and which files a load reads.

One table serves every reader (the store, the rdflib graph, the ownership index) and every
writer that guesses a format from a suffix, so a ``.owl`` file is RDF/XML everywhere.
Nothing here imports rdflib or pyoxigraph: the table names formats, the loader maps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import resources
from .errors import UsageError

STDIN = "-"


@dataclass(frozen=True)
class RdfFormat:
    """One RDF syntax: its name (as ``--data-format`` takes it), its media type, the
    suffixes that mean it, and whether it holds named graphs."""

    name: str
    media_type: str
    suffixes: tuple[str, ...]
    datasets: bool = False


FORMATS = (
    RdfFormat("turtle", "text/turtle", (".ttl", ".turtle")),
    RdfFormat("ntriples", "application/n-triples", (".nt", ".ntriples")),
    RdfFormat("nquads", "application/n-quads", (".nq", ".nquads"), datasets=True),
    RdfFormat("trig", "application/trig", (".trig",), datasets=True),
    RdfFormat("n3", "text/n3", (".n3",)),
    RdfFormat("rdfxml", "application/rdf+xml", (".rdf", ".owl", ".xml")),
    RdfFormat("jsonld", "application/ld+json", (".jsonld", ".json")),
)
# Other names people write for the same formats (rdflib's, the media types, suffixes).
_ALIASES = {
    "ttl": "turtle",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "nq": "nquads",
    "n-quads": "nquads",
    "xml": "rdfxml",
    "rdf/xml": "rdfxml",
    "rdf-xml": "rdfxml",
    "pretty-xml": "rdfxml",
    "owl": "rdfxml",
    "json-ld": "jsonld",
}
BY_NAME = {f.name: f for f in FORMATS}
BY_SUFFIX = {s: f for f in FORMATS for s in f.suffixes}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
DEFAULT = BY_NAME["turtle"]
NAMES = tuple(BY_NAME)


def named(name: str) -> RdfFormat:
    """The format called ``name`` (a name, an alias, a media type or a suffix)."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    fmt = BY_NAME.get(key) or BY_MEDIA_TYPE.get(key) or BY_SUFFIX.get(key)
    if fmt is None:
        fmt = BY_SUFFIX.get("." + key)
    if fmt is None:
        raise UsageError(f"unknown RDF format {name!r}; choose one of {', '.join(NAMES)}")
    return fmt


def format_of(path: Path | str, declared: str | None = None) -> RdfFormat:
    """The format of ``path``: ``declared`` when given, else by suffix, else Turtle."""
    if declared:
        return named(declared)
    return BY_SUFFIX.get(Path(str(path)).suffix.lower(), DEFAULT)


def files_to_load(data=None, *, ontology: bool = True) -> list[Path | str]:
    """The files a load reads, in order: the ontology (unless ``ontology=False``), then
    ``data``, or the shipped data when ``data`` is None. ``-`` stands for standard input
    and is kept as the string ``"-"``."""
    files: list[Path | str] = list(resources.ontology_files()) if ontology else []
    if data is None:
        files += resources.data_files()
    else:
        files += [STDIN if str(p) == STDIN else Path(p) for p in data]
    return files


def read_utf8(path: Path | str) -> str:
    """The text of a UTF-8 file (``-``: standard input), its line ends as they are; a
    missing file, a folder or a byte that is not UTF-8 raises
    :class:`~alliance_graph.errors.DataFileError` naming the file, line and column."""
    import sys

    from .errors import DataFileError

    try:
        data = sys.stdin.buffer.read() if str(path) == STDIN else Path(path).read_bytes()
    except FileNotFoundError:
        raise DataFileError(path, "no such file") from None
    except IsADirectoryError:
        raise DataFileError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise DataFileError(path, f"cannot be read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataFileError(
            path, f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be read", line, column
        ) from None
