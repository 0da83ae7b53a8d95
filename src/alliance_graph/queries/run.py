"""Running SPARQL: in process (pyoxigraph, or rdflib) or on a SPARQL 1.1 endpoint.

Every query is read-only and bounded: updates are refused before anything runs; in
process, ``SERVICE`` and ``FROM`` are refused unless ``allow_network`` is set (decided
from the parsed query, :mod:`.safety`); results stop at ``limit`` rows (flagged
``truncated``) and queries at ``timeout`` seconds. The shipped saved queries are checked
by the test suite, so their runs skip the parse (bound values cannot change a query's
shape: they are RDF terms in a VALUES row).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .. import files as rdf_files
from .. import names as names_mod
from .. import persist
from ..deadline import bad_seconds, within
from ..errors import DataFileError, NetworkRefusedError, QueryError, QueryTimeoutError, UsageError
from ..guard import no_network
from ..isolate import default_max_memory
from ..isolate import run as isolated
from ..terms import from_rdflib
from .catalogue import SavedQuery, get, is_shipped, parse_saved_query, queries_dir
from .results import Result, sorted_lists
from .safety import check, check_read_only, expanded
from .text import query_form

if TYPE_CHECKING:
    from rdflib import Graph

DEFAULT_TIMEOUT = 30.0
ENGINES = ("oxigraph", "rdflib")


def run(
    query: str | SavedQuery,
    params: Mapping[str, Any] | None = None,
    *,
    folder: Path | str | None = None,
    **options,
) -> Result:
    """Run the saved query ``query`` (a name or a :class:`SavedQuery`) with ``params``.

    Options are those of :func:`sparql`: ``data``, ``data_format``, ``store``, ``graph``,
    ``endpoint``, ``engine``, ``limit``, ``timeout``, ``allow_network``,
    ``default_graph``, ``auth``. Names given to IRI parameters resolve against the data
    the query runs on (labels, alternative labels, local names, in any case).
    """
    saved = query if isinstance(query, SavedQuery) else _saved(query, folder)
    if _in_memory(options):
        # Found once for the names and the query alike (one look at the files' state).
        options["store"] = cached_store(options.get("data"), options.get("data_format"))
    names = None
    if any(p.type == "iri" for p in saved.parameters):
        names = names_mod.LazyNames(options.get("store"), lambda: names_for(**options))
    text = saved.bind(params, names=names)
    return sorted_lists(sparql(text, trusted=is_shipped(saved), **options), dict(saved.lists))


def _in_memory(options) -> bool:
    return (
        options.get("engine", "oxigraph") == "oxigraph"
        and not options.get("endpoint")
        and options.get("store") is None
        and options.get("graph") is None
    )


def _saved(name: str, folder) -> SavedQuery:
    """:func:`.catalogue.get`, with the file's path worked out once per name (the file's
    state is still checked on every call: an edited query is read again)."""
    path = _query_path(name, None if folder is None else str(folder))
    if path is not None:
        try:
            return parse_saved_query(path)
        except DataFileError:
            pass  # gone since: get() says what there is
    return get(name, folder)


@lru_cache(maxsize=256)
def _query_path(name: str, folder: str | None) -> Path | None:
    path = (Path(folder) if folder is not None else queries_dir()) / f"{name}.rq"
    return path if re.match(r"^[\w.-]+$", name) and path.is_file() else None


def names_for(
    *,
    data: Iterable[Path | str] | None = None,
    data_format: str | None = None,
    store: ox.Store | None = None,
    graph: Graph | None = None,
    endpoint: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    default_graph: str | None = None,
    auth: tuple[str, str] | None = None,
    **_ignored,
) -> names_mod.Names:
    """The names of the data a query would run on (see :func:`sparql`'s options)."""
    if endpoint:
        return _endpoint_names(endpoint, timeout, default_graph, auth)
    if graph is not None:
        from ..load import from_rdflib as store_of

        return names_mod.for_store(store_of(graph))
    if store is None:
        store = cached_store(data, data_format)
    from .. import names_kept  # sqlite3: only when a name must be looked up

    return names_kept.for_store(store)


def _endpoint_names(endpoint, timeout, default_graph, auth) -> names_mod.Names:
    from .. import endpoint as remote

    def ask(text: str) -> dict:  # the fields of a Result
        return remote.query(
            endpoint,
            text,
            form="SELECT",
            limit=None,
            timeout=timeout,
            default_graph=default_graph,
            auth=auth,
        )

    labels, classes = ask(names_mod.NAMES_QUERY), ask(names_mod.SUBCLASS_QUERY)
    return names_mod.from_triples(
        ((r["s"].value, r["p"].value, r["o"]) for r in labels["solutions"]),
        ((r["s"].value, r["o"].value) for r in classes["solutions"]),
    )


def sparql(
    text: str,
    *,
    data: Iterable[Path | str] | None = None,
    data_format: str | None = None,
    store: ox.Store | None = None,
    graph: Graph | None = None,
    endpoint: str | None = None,
    engine: str = "oxigraph",
    limit: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    allow_network: bool = False,
    default_graph: str | None = None,
    auth: tuple[str, str] | None = None,
    trusted: bool = False,
    isolate: bool | None = None,
    max_memory: int | None = None,
) -> Result:
    """Run a read-only SPARQL query and return its :class:`Result`.

    Where: on ``endpoint`` (a SPARQL 1.1 query URL) when given; else in process on
    ``store`` (pyoxigraph) or ``graph`` (rdflib) when given; else on the ontology plus
    ``data`` files (the shipped data when None), loaded into ``engine`` ("oxigraph", the
    default, or "rdflib"). ``limit`` caps the rows (None: no cap); ``timeout`` the seconds.
    ``trusted`` skips the parse check (for the project's own saved queries only).

    In process, a query runs ``isolate``-d (default: when not ``trusted``, or on ``data``
    files of the user's): in
    a forked child killed at ``timeout`` and bounded by ``max_memory`` bytes (default
    half the machine), so a runaway query stops instead of running on (:mod:`..isolate`).
    """
    if isolate is None:
        # The project's own query on the user's own files is bounded too: a saved query
        # may still outgrow memory on a large graph of a shape its tests never saw.
        isolate = not trusted or data is not None
    if max_memory is None and isolate:
        max_memory = default_max_memory()
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose oxigraph or rdflib")
    if limit is not None and limit < 0:
        raise UsageError(f"limit must be 0 or more, not {limit}")
    if timeout is not None and (why := bad_seconds(timeout)):
        raise UsageError(f"timeout: {why}")
    use_rdflib = graph is not None or (engine == "rdflib" and store is None and not endpoint)
    if trusted:
        form = query_form(text)
    elif endpoint:
        # The server's own parser decides the rest (it may know extensions ours does not).
        check_read_only(text)
        form = query_form(text)
    else:
        form = check(
            text, engine="rdflib" if use_rdflib else "oxigraph", allow_network=allow_network
        )
    if endpoint:
        from .. import endpoint as remote

        fields = remote.query(  # the fields of a Result: endpoint does not import queries
            endpoint,
            text,
            form=form,
            limit=limit,
            timeout=timeout,
            default_graph=default_graph,
            auth=auth,
        )
        return Result(**fields)
    if use_rdflib:
        if graph is None:
            graph = cached_graph(data, data_format)
        return _run_rdflib(graph, text, form, limit, timeout, allow_network, isolate, max_memory)
    if store is None:
        store = cached_store(data, data_format)
    return _run_oxigraph(store, text, form, limit, timeout, isolate, max_memory, inline=trusted)


@lru_cache(maxsize=64)
def _paths(data: tuple | None) -> tuple[str, ...]:
    """The files a load of ``data`` reads, resolved (once per process: resolving reads
    every folder above a file)."""
    out = []
    for p in rdf_files.files_to_load(None if data is None else list(data)):
        if str(p) == rdf_files.STDIN:
            out.append(rdf_files.STDIN)
            continue
        try:
            out.append(str(Path(p).resolve()))
        except OSError:
            out.append(str(p))
    return tuple(out)


def _data_key(data, data_format) -> tuple:
    """Files and their state: the cache key of a loaded store (one stat a file)."""
    key = []
    for p in _paths(None if data is None else tuple(str(d) for d in data)):
        if p == rdf_files.STDIN:
            key.append((rdf_files.STDIN, None, None))
            continue
        try:
            st = os.stat(p)
            key.append((p, st.st_mtime_ns, st.st_size))
        except OSError:
            key.append((p, None, None))  # the loader names the missing file
    return (tuple(key), data_format, data is None)


def cached_store(data=None, data_format=None, store_dir=None) -> ox.Store:
    """The store of the ontology plus ``data``, loaded once per state of the files.

    With ``store_dir`` (default: the one set by ``--store`` or ``ALLIANCE_GRAPH_STORE``,
    :func:`alliance_graph.persist.configured`), the materialised graph is read from the
    on-disk store there, built first if the files changed (:mod:`alliance_graph.persist`).
    """
    if store_dir is None:
        store_dir = persist.configured()
    return _store(_data_key(data, data_format), None if store_dir is None else str(store_dir))


def cached_graph(data=None, data_format=None) -> Graph:
    """The rdflib graph of the ontology plus ``data``, loaded once per state of the files."""
    return _graph(_data_key(data, data_format))


def _files(key) -> list | None:
    files, _fmt, shipped = key
    from .. import resources

    if shipped:
        return None
    return [k[0] for k in files[len(resources.ontology_files()) :]]


@lru_cache(maxsize=4)
def _store(key: tuple, store_dir: str | None = None) -> ox.Store:
    # Queries are read-only, so one loaded store serves every query on the same files.
    from ..load import open_store

    return open_store(_files(key), data_format=key[1], store_dir=store_dir)


@lru_cache(maxsize=2)
def _graph(key: tuple) -> Graph:
    from ..load import load_graph

    return load_graph(_files(key), data_format=key[1])


def _take(items: Iterable, limit: int | None, stop, convert=None):
    out = []
    truncated = False
    for item in items:
        if stop.is_set():
            break
        if limit is not None and len(out) >= limit:
            truncated = True
            break
        out.append(convert(item) if convert else item)
    return out, truncated


def _unique(items: Iterable) -> Iterable:
    seen = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item


def _bounded(work, timeout, isolate: bool, max_memory, inline: bool = False):
    if isolate:
        return isolated(lambda: work(_NEVER), timeout=timeout, max_memory=max_memory)
    if inline:
        return _inline(work, timeout)
    return within(work, timeout, "the query")


class _Clock:
    """A stop signal given by the clock: set once ``timeout`` seconds have passed."""

    def __init__(self, timeout: float | None):
        self.end = None if timeout is None else time.monotonic() + timeout
        self.hit = False

    def is_set(self) -> bool:
        if self.end is not None and time.monotonic() > self.end:
            self.hit = True
        return self.hit


def _inline(work, timeout):
    """Run a trusted query in the caller's thread, checking the clock between solutions:
    no worker thread to start (a shipped query is known to finish; only its rows can be
    many). A step the engine takes at once (a sort) is not interrupted."""
    clock = _Clock(timeout)
    value = work(clock)
    if clock.hit:
        raise QueryTimeoutError(f"the query did not finish within {timeout:g} s (--timeout)")
    return value


class _Never:
    """A stop signal that is never given (an isolated query is stopped by a kill)."""

    def is_set(self) -> bool:
        return False


_NEVER = _Never()


def _run_oxigraph(
    store: ox.Store,
    text: str,
    form: str,
    limit,
    timeout,
    isolate=False,
    max_memory=None,
    inline=False,
) -> Result:
    def work(stop):
        try:
            return evaluate(stop)
        except SyntaxError as exc:
            raise QueryError(f"not valid SPARQL: {exc}") from None
        except (OSError, RuntimeError, ValueError) as exc:  # e.g. a SERVICE that fails
            raise QueryError(f"the query failed: {exc}") from None
        except MemoryError:
            raise QueryError("the query ran out of memory") from None

    def evaluate(stop):
        answer = store.query(text)
        if form == "ASK":
            return Result(form, boolean=bool(answer))
        if form in ("CONSTRUCT", "DESCRIBE"):
            # A graph is a set: pyoxigraph may yield a triple more than once.
            triples, cut = _take(_unique(answer), limit, stop)
            return Result(form, triples=triples, truncated=cut, limit=limit)
        variables = [v.value for v in answer.variables]

        def solution(s):
            return {v: s[v] for v in variables}

        solutions, cut = _take(answer, limit, stop, solution)
        return Result(form, variables, solutions, truncated=cut, limit=limit)

    return _bounded(work, timeout, isolate, max_memory, inline)


def _rdflib_prepared(text: str):
    """The query parsed for rdflib with \\u escapes expanded as Java and Jena read them:
    only where the backslash is not itself escaped. (rdflib's own parseQuery expands every
    \\u, so a value holding the text \\u0022 would come back as a quote.)"""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import Query

    return translateQuery(Query.parse_string(expanded(text), parse_all=True))


def _run_rdflib(
    graph: Graph, text, form, limit, timeout, allow_network, isolate=False, max_memory=None
) -> Result:
    import rdflib.plugins.sparql as rdflib_sparql

    def work(stop):
        saved = rdflib_sparql.SPARQL_LOAD_GRAPHS
        if not allow_network:
            rdflib_sparql.SPARQL_LOAD_GRAPHS = False
        try:
            with no_network(not allow_network, what="the query"):
                return evaluate(stop)
        finally:
            rdflib_sparql.SPARQL_LOAD_GRAPHS = saved

    def evaluate(stop):
        try:
            answer = graph.query(_rdflib_prepared(text))
        except NetworkRefusedError:
            raise
        except RecursionError:
            raise QueryError("the query is nested too deeply for the rdflib engine") from None
        except Exception as exc:  # rdflib's parser and evaluator raise many types
            raise QueryError(f"the rdflib engine could not run the query: {exc}") from None
        try:
            return collect(answer, stop)
        except NetworkRefusedError:
            raise
        except Exception as exc:  # rdflib evaluates lazily, while results are read
            raise QueryError(f"the rdflib engine could not run the query: {exc}") from None

    def collect(answer, stop):
        if form == "ASK":
            return Result(form, boolean=bool(answer.askAnswer))
        if form in ("CONSTRUCT", "DESCRIBE"):

            def triple(t):
                return ox.Triple(*(from_rdflib(x) for x in t))

            triples, cut = _take(answer.graph, limit, stop, triple)
            return Result(form, triples=triples, truncated=cut, limit=limit)
        variables = [str(v) for v in answer.vars]

        def solution(row):
            d = row.asdict()
            return {v: from_rdflib(d.get(v)) for v in variables}

        solutions, cut = _take(answer, limit, stop, solution)
        return Result(form, variables, solutions, truncated=cut, limit=limit)

    return _bounded(work, timeout, isolate, max_memory)


def run_rdflib(
    graph: Graph,
    text: str,
    *,
    limit=None,
    timeout=DEFAULT_TIMEOUT,
    allow_network=False,
    check_first: bool = True,
) -> Result:
    """Run ``text`` on an rdflib ``graph``. ``check_first=False`` skips the parsed check,
    leaving only the network guard: for tests that the second wall holds on its own."""
    if check_first:
        form = check(text, engine="rdflib", allow_network=allow_network)
    else:
        form = query_form(text)
    return _run_rdflib(
        graph,
        text,
        form,
        limit,
        timeout,
        allow_network,
        isolate=True,
        max_memory=default_max_memory(),
    )
