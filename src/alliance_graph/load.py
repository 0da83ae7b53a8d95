"""The one loader: every face reads RDF through here.

Files are parsed by pyoxigraph (its Rust parsers read every format of
:mod:`alliance_graph.files`), checked for what must never run (entity declarations in
RDF/XML; JSON-LD contexts are never fetched), and the derived triples of
:mod:`alliance_graph.derive` are added. What a face gets is one of:

- :func:`open_store`: a pyoxigraph store (saved queries, the ownership index, exports);
- :func:`load_graph`: an rdflib graph with the literals exactly as written (pySHACL,
  formatting, code written against rdflib).

Both come from the same parse and the same derivation, so they hold the same triples
(the store writes numbers in their canonical form: ``15.0`` as ``15``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from . import derive
from . import files as rdf_files
from .derive import add_to as add_derived  # open_store's `derive` flag hides the module
from .errors import DataFileError
from .guard import no_network
from .namespaces import PROJECT_PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph

_DEFAULT = ox.DefaultGraph()
_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "n3": ox.RdfFormat.N3,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
# An XML document type declaration can define entities that expand without limit (the
# "billion laughs"); RDF/XML never needs one.
_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)\b")
# pyoxigraph's RDF/XML parser takes time in the square of the element depth (20,000
# levels: 19 s; 100,000, a 5 MB file: minutes); libxml2 stops at 256 by default. Real
# RDF/XML nests a few levels: 1,000 leaves room and costs the parser 0.01 s.
XML_DEPTH = 1000
_stdin_cache: dict[str, bytes] = {}
_ENCODED = re.compile(r"is encoding ([0-9A-Fa-f]{4,6}) that is not a valid unicode character")


def _name(path) -> str:
    return "<stdin>" if str(path) == rdf_files.STDIN else str(path)


def read_bytes(path: Path | str) -> bytes:
    """The bytes of ``path`` (``-``: standard input, read once per process)."""
    if str(path) == rdf_files.STDIN:
        if "data" not in _stdin_cache:
            _stdin_cache["data"] = sys.stdin.buffer.read().removeprefix(b"\xef\xbb\xbf")
        return _stdin_cache["data"]
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "no such file")
    if path.is_dir():
        raise DataFileError(path, "is a folder, not an RDF file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, f"cannot be read: {exc.strerror}") from None
    except MemoryError:
        raise DataFileError(path, "too large to read into memory") from None
    return data.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark: a signature


def _check(path, fmt: rdf_files.RdfFormat, data: bytes) -> None:
    if fmt.name == "rdfxml":
        m = _DOCTYPE.search(data)
        if m:
            line = data.count(b"\n", 0, m.start()) + 1
            raise DataFileError(
                _name(path),
                f"RDF/XML with a <!{m.group(1).decode()}> declaration is refused "
                "(entity expansion can exhaust memory, external entities read other files); "
                "remove the declaration and write the values out",
                line,
            )
        _check_depth(path, data)


def _check_depth(path, data: bytes) -> None:
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    depth = 0

    def start(_name, _attributes):
        nonlocal depth
        depth += 1
        if depth > XML_DEPTH:
            raise _TooDeep(parser.CurrentLineNumber)

    def end(_name):
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except _TooDeep as deep:
        raise DataFileError(
            _name(path),
            f"RDF/XML nested deeper than {XML_DEPTH} elements is refused (the parser's "
            "time grows with the square of the depth); write the inner nodes apart and "
            "link them by rdf:about or rdf:nodeID",
            deep.line,
        ) from None
    except xml.parsers.expat.ExpatError:
        pass  # not well-formed: the RDF/XML parser names the place


class _TooDeep(Exception):
    def __init__(self, line: int):
        self.line = line


def _base(path) -> str | None:
    if str(path) == rdf_files.STDIN:
        return None
    return Path(path).resolve().as_uri()


def _syntax_error(path, fmt, exc: SyntaxError) -> DataFileError:
    reason = str(exc.msg if getattr(exc, "msg", None) else exc)
    reason = reason.replace("\ufeff", "U+FEFF (a byte-order mark)")
    surrogate = _ENCODED.search(reason)
    if surrogate and 0xD800 <= int(surrogate.group(1), 16) <= 0xDFFF:
        reason += (
            " (a surrogate code point, not a character: write the character itself in "
            "UTF-8, or escape its code point with \\U)"
        )
    if "LoadDocumentCallback" in reason:
        reason = (
            "its @context names another document, which is never fetched or read "
            "(write the context inline)"
        )
    if str(path).lower().endswith((".csv", ".tsv")):
        # A spreadsheet given as data: say how it becomes RDF.
        reason += f" (a CSV file is imported first: alliance-graph import csv {path} -o OUT.ttl)"
    line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
    column = exc.offset if isinstance(exc.offset, int) and exc.offset > 0 else None
    return DataFileError(_name(path), f"not valid {fmt.name}: {reason}", line, column)


def _prepare(path, data_format: str | None):
    fmt = rdf_files.format_of(path, data_format)
    data = read_bytes(path)
    _check(path, fmt, data)
    return fmt, data


def _bods(path) -> list[ox.Quad] | None:
    """The quads of a BODS 0.4 file (``.json``/``.jsonl`` statements), mapped into our
    vocabulary by :mod:`alliance_graph.bods.importer`; None for any other file."""
    if str(path) == rdf_files.STDIN or Path(path).suffix.lower() not in (".json", ".jsonl"):
        return None
    from .bods import importer

    if not importer.is_bods(path):
        return None
    return [ox.Quad(t.subject, t.predicate, t.object) for t in importer.triples(path)]


def parse(path: Path | str, data_format: str | None = None) -> list[ox.Quad]:
    """The quads of one file as written (named graphs folded into the default graph);
    every failure is a :class:`DataFileError` naming the file, line and column."""
    if data_format is None:
        bods = _bods(path)
        if bods is not None:
            return bods
    fmt, data = _prepare(path, data_format)
    try:
        with no_network(what=f"reading {_name(path)}"):
            quads = ox.parse(
                data, format=_OX_FORMATS[fmt.name], base_iri=_base(path), rename_blank_nodes=True
            )
            if fmt.datasets:
                out = [
                    q if isinstance(q.graph_name, ox.DefaultGraph) else ox.Quad(*q.triple)
                    for q in quads
                ]
            else:  # every quad is in the default graph: nothing to fold
                out = list(quads)
    except SyntaxError as exc:
        raise _syntax_error(path, fmt, exc) from None
    except (ValueError, OSError) as exc:
        raise DataFileError(_name(path), f"not valid {fmt.name}: {exc}") from None
    except MemoryError:  # pyoxigraph's lexer holds one token in at most 16 MiB
        raise DataFileError(
            _name(path), "a token (a string or IRI) is too long to read, or the file too large"
        ) from None
    # In these syntaxes a quoted triple is written with "<<": text without it has none,
    # and the scan of every quad (0.3 s at 1M) is skipped.
    if fmt.name not in _STAR_WRITTEN_WITH_CHEVRONS or b"<<" in data:
        _refuse_star(path, out, data)
    return out


_STAR_WRITTEN_WITH_CHEVRONS = frozenset({"turtle", "trig", "ntriples", "nquads"})


def _refuse_star(path, quads: Iterable[ox.Quad], data: bytes) -> None:
    for q in quads:
        if isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple):
            at = data.find(b"<<")
            raise DataFileError(
                _name(path),
                "RDF-star (a quoted triple << ... >>) is not supported: write the statement "
                "as a node, as the data model does",
                data.count(b"\n", 0, at) + 1 if at >= 0 else None,
            )


def load_into(
    store: ox.Store, path: Path | str, data_format: str | None = None, *, bulk: bool = False
) -> None:
    """Parse one file into the default graph of ``store`` (Rust all the way for the
    formats without named graphs: the fast path of large loads). ``bulk`` writes without
    a transaction (``Store.bulk_load``): many times faster into an on-disk store being
    built, slower in memory. BODS 0.4 JSON
    statements are read through their mapping (:mod:`alliance_graph.bods`)."""
    if data_format is None:
        bods = _bods(path)
        if bods is not None:
            store.extend(bods)
            return
    fmt, data = _prepare(path, data_format)
    if fmt.datasets:
        (store.bulk_extend if bulk else store.extend)(parse(path, data_format))
        return
    load = store.bulk_load if bulk else store.load
    try:
        with no_network(what=f"reading {_name(path)}"):
            load(data, format=_OX_FORMATS[fmt.name], base_iri=_base(path), to_graph=_DEFAULT)
    except SyntaxError as exc:
        raise _syntax_error(path, fmt, exc) from None
    except (ValueError, OSError) as exc:
        raise DataFileError(_name(path), f"not valid {fmt.name}: {exc}") from None
    except MemoryError:  # pyoxigraph's lexer holds one token in at most 16 MiB
        raise DataFileError(
            _name(path), "a token (a string or IRI) is too long to read, or the file too large"
        ) from None


def open_store(
    data: Iterable[Path | str] | None = None,
    *,
    ontology: bool = True,
    derive: bool = True,
    data_format: str | None = None,
    store_dir: Path | str | None = None,
) -> ox.Store:
    """A store with the ontology plus ``data`` (the shipped data when None), with the
    derived triples unless ``derive=False``. ``data_format`` names the format of the
    data files (default: by suffix, else Turtle); ``-`` reads standard input.

    With ``store_dir``, the store is the on-disk one kept there for the same file
    contents (read-only), built first when there is none (:mod:`alliance_graph.persist`);
    standard input is never kept (it is loaded in memory)."""
    paths = rdf_files.files_to_load(data, ontology=ontology)

    def fill(store: ox.Store, bulk: bool = False) -> None:
        for path in paths:
            load_into(store, path, data_format if _is_data(path) else None, bulk=bulk)
        if derive:
            add_derived(store, bulk=bulk)

    if store_dir is not None and rdf_files.STDIN not in [str(p) for p in paths]:
        from . import persist

        for path in paths:
            read_check(path)
        options = f"derive={derive};format={data_format};ontology={ontology}"
        return persist.open_persistent(
            store_dir, paths, lambda store: fill(store, bulk=True), options=options
        )
    store = ox.Store()
    fill(store)
    return store


def read_check(path: Path | str) -> None:
    """Raise the loader's :class:`DataFileError` if ``path`` is missing or a folder."""
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "no such file")
    if path.is_dir():
        raise DataFileError(path, "is a folder, not an RDF file")


def _is_data(path) -> bool:
    from . import resources

    return Path(str(path)).parent != resources.resource_dir("ontology")


def parse_files(
    data: Iterable[Path | str] | None = None,
    *,
    ontology: bool = True,
    derive: bool = True,
    data_format: str | None = None,
) -> list[ox.Quad]:
    """The quads of the ontology plus ``data`` exactly as written, plus the derived ones."""
    quads: list[ox.Quad] = []
    for path in rdf_files.files_to_load(data, ontology=ontology):
        quads += parse(path, data_format if _is_data(path) else None)
    if derive:
        quads += _derived(quads)
    return quads


def _derived(quads: list[ox.Quad]) -> list[ox.Quad]:
    return derive.derived(derive.quads_source(quads))


def load_graph(
    data: Iterable[Path | str] | None = None,
    *,
    ontology: bool = True,
    derive: bool = True,
    data_format: str | None = None,
) -> Graph:
    """An rdflib graph of the ontology plus ``data`` (see :func:`parse_files`), with the
    project's prefixes bound. ``derive=False`` keeps exactly what the files say."""
    return graph_of(parse_files(data, ontology=ontology, derive=derive, data_format=data_format))


def parse_into(graph: Graph, path: Path | str, data_format: str | None = None) -> Graph:
    """Add the triples of one file, as written, to an rdflib ``graph``."""
    add_quads(graph, parse(path, data_format))
    return graph


def new_graph() -> Graph:
    """An empty rdflib graph with the project's prefixes bound."""
    from rdflib import Graph

    graph = Graph()
    for prefix, iri in PROJECT_PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def add_quads(graph: Graph, quads: Iterable[ox.Quad]) -> Graph:
    from .terms import to_rdflib

    graph.addN(
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph) for q in quads
    )
    return graph


def graph_of(quads: Iterable[ox.Quad]) -> Graph:
    """An rdflib graph (project prefixes bound) holding ``quads``."""
    return add_quads(new_graph(), quads)


def to_ntriples(store: ox.Store) -> bytes:
    """The default graph of ``store`` as N-Triples."""
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=_DEFAULT)


def to_rdflib(store: ox.Store) -> Graph:
    """A copy of the default graph of ``store`` in an rdflib graph."""
    return graph_of(store.quads_for_pattern(None, None, None, _DEFAULT))


def from_rdflib(graph: Graph) -> ox.Store:
    """A store holding the triples of an rdflib graph as they are (no derivation)."""
    from .terms import from_rdflib as term

    store = ox.Store()
    store.extend(ox.Quad(term(s), term(p), term(o)) for s, p, o in graph)
    return store


def materialise_graph(graph: Graph) -> Graph:
    """Add the derived triples to an rdflib ``graph`` in place (earlier marks replaced)."""
    from rdflib import RDF, URIRef

    from .terms import from_rdflib as term

    graph.remove((None, RDF.type, URIRef(derive.BEST_RANK.value)))
    quads = [ox.Quad(term(s), term(p), term(o)) for s, p, o in graph]
    return add_quads(graph, _derived(quads))
