"""What the web face runs on: the embedded store (or a remote endpoint) and the library.

Every answer comes from the library: SPARQL through :mod:`alliance_graph.queries`, the
ownership analyses through :mod:`alliance_graph.ownership`, names through
:mod:`alliance_graph.web.names`. Nothing here reads RDF files or evaluates SPARQL itself.
The store is loaded once, on first use, and only read afterwards.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .. import isolate, queries
from ..deadline import bad_seconds
from ..errors import NetworkRefusedError, QueryTimeoutError, UsageError
from ..isolate import parse_size
from ..names import DATA
from ..namespaces import RES, SRC
from . import names

ENV_DATA = "ALLIANCE_GRAPH_DATA"  # files separated by os.pathsep
ENV_ENDPOINT = "ALLIANCE_GRAPH_ENDPOINT"
ENV_TIMEOUT = "ALLIANCE_GRAPH_TIMEOUT"
ENV_ROW_CAP = "ALLIANCE_GRAPH_ROW_CAP"
ENV_MAX_MEMORY = "ALLIANCE_GRAPH_MAX_MEMORY"


@dataclass(frozen=True)
class Settings:
    """How the server runs. ``timeout`` (seconds) and ``row_cap`` bound every query;
    ``max_queries`` queries run at once (the others wait up to ``timeout``, then 503);
    a visitor's query runs in one of at most ``max_queries`` worker processes, each
    bounded by ``max_memory`` bytes (None: half the machine's memory); request bodies
    stop at ``max_body`` bytes, query texts at ``max_query`` characters."""

    data: tuple[str, ...] | None = None
    data_format: str | None = None
    endpoint: str | None = None
    timeout: float = 10.0
    row_cap: int = 10_000
    max_queries: int = 8
    max_body: int = 256 * 1024
    max_query: int = 64 * 1024
    max_memory: int | None = None

    @classmethod
    def from_env(cls) -> Settings:
        """The settings of ``alliance_graph.web:app``; a value that is not one raises
        :class:`UsageError` naming the variable (the same checks as ``serve``'s options)."""
        data = os.environ.get(ENV_DATA)
        memory = os.environ.get(ENV_MAX_MEMORY)
        timeout = os.environ.get(ENV_TIMEOUT)
        if timeout is not None and bad_seconds(timeout):
            raise UsageError(f"{ENV_TIMEOUT}: {bad_seconds(timeout)}")
        row_cap = os.environ.get(ENV_ROW_CAP)
        if row_cap is not None and not (row_cap.strip().isascii() and row_cap.strip().isdigit()
                                        and int(row_cap) > 0):  # fmt: skip
            raise UsageError(f"{ENV_ROW_CAP}: {row_cap!r} is not a whole number of rows above 0")
        try:
            max_memory = parse_size(memory) if memory else None
        except UsageError as exc:
            raise UsageError(str(exc).replace("--max-memory", ENV_MAX_MEMORY, 1)) from None
        return cls(
            data=tuple(p for p in data.split(os.pathsep) if p) if data else None,
            endpoint=os.environ.get(ENV_ENDPOINT) or None,
            timeout=float(timeout) if timeout is not None else cls.timeout,
            row_cap=int(row_cap) if row_cap is not None else cls.row_cap,
            max_memory=max_memory,
        )


_ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


@dataclass(eq=False)  # hashable by identity: pages cache pictures per backend
class Backend:
    settings: Settings
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def _slots(self) -> threading.BoundedSemaphore:
        return threading.BoundedSemaphore(self.settings.max_queries)

    @cached_property
    def store(self):
        """The embedded pyoxigraph store (None when serving a remote endpoint)."""
        if self.settings.endpoint:
            return None
        from ..store import open_store

        with self._lock:
            return open_store(
                list(self.settings.data) if self.settings.data else None,
                data_format=self.settings.data_format,
            )

    @cached_property
    def pool(self):
        """The worker processes that run visitors' queries on the embedded store
        (:mod:`alliance_graph.pool`): forked from this process once the store is loaded,
        so each holds it copy-on-write; a worker past the time limit or its memory is
        killed and replaced. None over a remote endpoint (the remote server bounds its
        own work) or where fork is not available (the query layer's own isolation
        then applies)."""
        if self.settings.endpoint or not isolate.available():
            return None
        from ..pool import Pool

        store = self.store
        memory = self.settings.max_memory or isolate.default_max_memory()

        def evaluate(request):
            # Checked already (queries.check, in the server): the worker only evaluates,
            # in its own thread; the server kills it at the time limit.
            kind, *args = request
            if kind == "sparql":
                text, cap = args
                return queries.sparql(
                    text, store=store, limit=cap, timeout=None, trusted=True, isolate=False
                )
            if kind == "rendered":  # the answer's bytes, written here, not in the server
                text, cap, render, media = args
                result = queries.sparql(
                    text, store=store, limit=cap, timeout=None, trusted=True, isolate=False
                )
                return render(result, media), result.truncated, result.limit
            name, params, cap = args
            return queries.run(
                queries.get(name), params, store=store, limit=cap, timeout=None, isolate=False
            )

        with self._lock:
            return Pool(evaluate, size=self.settings.max_queries, max_memory=memory)

    def close(self) -> None:
        """End the worker processes (the server is stopping)."""
        pool = self.__dict__.get("pool")
        if pool is not None:
            pool.close()

    def warm(self) -> None:
        """Load now what is otherwise loaded on first use: a bad data file or an
        unreachable endpoint then fails at start, naming the file or the URL; the query
        workers are forked."""
        _ = self.directory
        _ = self.holdings
        if self.pool is not None:
            self.pool.start()  # forked now, from the one thread there is before serving

    def _where(self) -> dict:
        if self.settings.endpoint:
            return {"endpoint": self.settings.endpoint}
        return {"store": self.store}

    def _bounded(self, work):
        """``work(seconds)`` in a query slot; the wait for the slot and the query share
        one time limit, so that a client has its answer (or its 503) within it."""
        start = time.monotonic()
        limit = self.settings.timeout
        if not self._slots.acquire(timeout=limit):
            raise QueryTimeoutError(f"the server is busy: no query slot freed within {limit:g} s")
        try:
            left = limit - (time.monotonic() - start)
            if left <= 0.01:
                raise QueryTimeoutError(f"the query did not start within {limit:g} s")
            try:
                return work(left)
            except QueryTimeoutError:
                raise QueryTimeoutError(
                    f"the query did not finish within the server's time limit of {limit:g} s"
                ) from None
        finally:
            self._slots.release()

    def sparql(
        self, text: str, *, limit: int | None = None, trusted: bool = False
    ) -> queries.Result:
        """Run read-only SPARQL, time and rows bounded. A visitor's text (``trusted``
        false) is checked from its parsed form first (SERVICE and FROM refused, also when
        a remote endpoint answers) and runs where a runaway query can be stopped; the
        pages' own queries are the project's text and skip both."""
        if not trusted:
            _check_visitor(text)
        cap = self.settings.row_cap if limit is None else min(limit, self.settings.row_cap)
        if not trusted and self.pool is not None:
            return self._bounded(lambda left: self.pool.run(("sparql", text, cap), timeout=left))
        return self._bounded(
            lambda left: queries.sparql(
                text, limit=cap, timeout=left, trusted=trusted, **self._where()
            )
        )

    def sparql_rendered(self, text: str, render, media: str) -> tuple[bytes, bool, int | None]:
        """A visitor's query answered as ``render(result, media)`` bytes, with the row cap's
        flag and figure. Where the workers run it they write the bytes too (``render``,
        a module-level function, travels to them by name): the server then moves bytes,
        and its one process is not where every answer is converted and written."""
        if self.pool is None:
            result = self.sparql(text)
            return render(result, media), result.truncated, result.limit
        _check_visitor(text)
        cap = self.settings.row_cap
        return self._bounded(
            lambda left: self.pool.run(("rendered", text, cap, render, media), timeout=left)
        )

    def run(self, name: str, params: dict) -> queries.Result:
        """Run a saved query with ``params`` bound exactly as ``alliance-graph query`` binds
        them. On the shipped data it runs here (the project's queries are known to finish
        on it); on the user's own files in a worker process, as ``alliance-graph query
        --data`` runs it isolated (a saved query can outgrow memory on a large graph)."""
        saved = queries.get(name)
        if self.settings.data and self.pool is not None:
            cap = self.settings.row_cap
            return self._bounded(
                lambda left: self.pool.run(("run", saved.name, dict(params), cap), timeout=left)
            )
        return self._bounded(
            lambda left: queries.run(
                saved, params, limit=self.settings.row_cap, timeout=left, **self._where()
            )
        )

    def catalogue(self) -> list[queries.SavedQuery]:
        return queries.catalogue()

    @cached_property
    def rdflib_graph(self):
        """The same graph as an rdflib Graph, for the library functions that read one
        (the timeline picture); copied from the store or fetched from the endpoint once."""
        if self.settings.endpoint:
            from rdflib import Graph

            from ..namespaces import PREFIXES as prefixes

            graph = Graph()
            for prefix, ns in prefixes.items():
                graph.bind(prefix, ns, override=True)
            graph.parse(data=self.sparql_unbounded(_ALL).serialize("ntriples"), format="nt")
            return graph
        from ..store import to_rdflib

        return to_rdflib(self.store)

    @cached_property
    def holdings(self):
        """The ownership module's reading of the graph, built once."""
        from .. import ownership

        if self.settings.endpoint:
            return ownership.holdings(self.rdflib_graph)
        return ownership.holdings_from_store(self.store)  # the store already loaded

    def sparql_unbounded(self, text: str) -> queries.Result:
        # For the server's own reads (the whole graph, once): no row cap.
        return queries.sparql(
            text,
            limit=None,
            timeout=max(60.0, self.settings.timeout),
            trusted=True,  # the server's own text
            **self._where(),
        )

    @cached_property
    def directory(self):
        """The one resolver's index of this graph (:class:`alliance_graph.names.Names`):
        labels, alternative labels, local names and kinds, built once."""
        return names.directory(self.sparql_unbounded)

    def resolve(self, name: str) -> str:
        return names.resolve(self.directory, name)

    def suggest_all(self) -> list[dict]:
        """Every named resource of the data, in any namespace (for the entity inputs of
        the query forms: a local name for res:, the IRI for others)."""
        return [
            {
                "iri": e.iri,
                "local": e.iri[len(RES) :] if e.iri.startswith(RES) else e.iri,
                "label": e.label,
            }
            for e in names.search(self.directory, None, namespace=DATA)
        ]

    def suggest(self, text: str, n: int = 10) -> list[dict]:
        """Resources whose label, alternative label or local name contains ``text``: the
        resolver's own search (best match first), companies and people before facts,
        sources last."""
        if not " ".join(text.split()):
            return []
        agents = self.holdings.entities
        found = [
            e
            for e in names.search(self.directory, text)
            if self.directory.is_data(e.iri) or e.iri.startswith(SRC)
        ]
        found.sort(key=lambda e: 0 if e.iri in agents else 2 if e.iri.startswith(SRC) else 1)
        return [
            {"iri": e.iri, "label": e.label, "kind": e.kind, "path": local_path(e.iri)}
            for e in found[:n]
        ]


def local_path(iri: str) -> str | None:
    """The path at which this server dereferences ``iri`` (None for other IRIs)."""
    base = "https://w3id.org/alliance-graph/"
    if not iri.startswith(base):
        return None
    rest = iri[len(base) :]
    if rest.startswith("ontology#"):
        return "/ontology#" + rest[len("ontology#") :]
    return "/" + rest


def _check_visitor(text: str) -> None:
    """A visitor's text checked from its parsed form (SERVICE and FROM refused, also when
    a remote endpoint answers)."""
    try:
        queries.check(text, allow_network=False)
    except NetworkRefusedError as exc:
        what = str(exc).split(";")[0]  # the CLI's advice does not apply here
        raise NetworkRefusedError(f"{what}; this server answers from its own graph only") from None


def iri_of_path(path: str) -> str:
    """The graph IRI a local path stands for (inverse of :func:`local_path`)."""
    return "https://w3id.org/alliance-graph/" + path.lstrip("/")


def data_files(settings: Settings) -> list[Path] | None:
    return [Path(p) for p in settings.data] if settings.data else None
