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

from .. import queries
from ..errors import NetworkRefusedError, QueryTimeoutError
from ..namespaces import PREFIXES, RES, SRC
from . import names

ENV_DATA = "ALLIANCE_GRAPH_DATA"  # files separated by os.pathsep
ENV_ENDPOINT = "ALLIANCE_GRAPH_ENDPOINT"
ENV_TIMEOUT = "ALLIANCE_GRAPH_TIMEOUT"
ENV_ROW_CAP = "ALLIANCE_GRAPH_ROW_CAP"


@dataclass(frozen=True)
class Settings:
    """How the server runs. ``timeout`` (seconds) and ``row_cap`` bound every query;
    ``max_queries`` queries run at once (the others wait up to ``timeout``, then 503);
    request bodies stop at ``max_body`` bytes, query texts at ``max_query`` characters."""

    data: tuple[str, ...] | None = None
    endpoint: str | None = None
    timeout: float = 10.0
    row_cap: int = 10_000
    max_queries: int = 8
    max_body: int = 256 * 1024
    max_query: int = 64 * 1024

    @classmethod
    def from_env(cls) -> Settings:
        data = os.environ.get(ENV_DATA)
        return cls(
            data=tuple(p for p in data.split(os.pathsep) if p) if data else None,
            endpoint=os.environ.get(ENV_ENDPOINT) or None,
            timeout=float(os.environ.get(ENV_TIMEOUT, cls.timeout)),
            row_cap=int(os.environ.get(ENV_ROW_CAP, cls.row_cap)),
        )


_LABELS = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?s ?label ?alt ?type WHERE {{
  ?s rdfs:label ?label .
  FILTER(STRSTARTS(STR(?s), "{RES}") || STRSTARTS(STR(?s), "{SRC}"))
  OPTIONAL {{ ?s skos:altLabel ?alt }}
  OPTIONAL {{ ?s rdf:type ?type FILTER(STRSTARTS(STR(?type), "{PREFIXES["ag"]}")
                                      && ?type != <{PREFIXES["ag"]}BestRank>) }}
}}
"""

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
            return open_store(list(self.settings.data) if self.settings.data else None)

    def warm(self) -> None:
        """Load now what is otherwise loaded on first use: a bad data file or an
        unreachable endpoint then fails at start, naming the file or the URL."""
        _ = self.directory
        _ = self.holdings

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

    def sparql(self, text: str, *, limit: int | None = None) -> queries.Result:
        """Run ad-hoc read-only SPARQL: SERVICE and FROM refused, time and rows bounded."""
        queries.check_read_only(text)
        try:
            queries.check_no_network(text)  # also when a remote endpoint answers
        except NetworkRefusedError as exc:
            what = str(exc).split(";")[0]  # the CLI's advice does not apply here
            raise NetworkRefusedError(
                f"{what}; this server answers from its own graph only"
            ) from None
        cap = self.settings.row_cap if limit is None else min(limit, self.settings.row_cap)
        return self._bounded(
            lambda left: queries.sparql(text, limit=cap, timeout=left, **self._where())
        )

    def run(self, name: str, params: dict) -> queries.Result:
        """Run a saved query with ``params`` bound exactly as ``alliance-graph query`` binds
        them."""
        saved = queries.get(name)
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
        from .. import resources

        files = list(self.settings.data) if self.settings.data else resources.data_files()
        return ownership.holdings_from_files(files)

    def sparql_unbounded(self, text: str) -> queries.Result:
        # For the server's own reads (the whole graph, once): no row cap.
        return queries.sparql(
            text, limit=None, timeout=max(60.0, self.settings.timeout), **self._where()
        )

    @cached_property
    def directory(self):
        """Every labelled resource (res: and src:) with its labels and kind."""
        labels: dict[str, str] = {}
        alts: dict[str, list[str]] = {}
        kinds: dict[str, str] = {}
        for row in self.sparql_unbounded(_LABELS).rows:
            s = row["s"]
            labels.setdefault(s, row["label"])
            if row.get("alt") and row["alt"] not in alts.setdefault(s, []):
                alts[s].append(row["alt"])
            alts.setdefault(s, [])
            if row.get("type"):
                kinds.setdefault(s, row["type"].rsplit("#", 1)[-1])
        return names.directory(labels, alts, kinds)

    def resolve(self, name: str) -> str:
        return names.resolve(self.directory, name)

    def suggest_all(self) -> list[dict]:
        """Every named resource of res: (for the entity inputs of the query forms)."""
        d = self.directory
        return [
            {"iri": iri, "local": iri[len(RES) :], "label": d.label(iri)}
            for iri in sorted(d.entities, key=lambda i: d.label(i).casefold())
            if iri.startswith(RES)
        ]

    def suggest(self, text: str, n: int = 10) -> list[dict]:
        """Resources whose label, alternative label or local name contains ``text``."""
        wanted = " ".join(text.split()).casefold()
        if not wanted:
            return []
        d = self.directory
        agents = self.holdings.entities
        found = []
        for iri in d.entities:
            local = iri.rsplit("/", 1)[-1]
            words = [w.casefold() for w in (d.label(iri), local, *d.alt_labels.get(iri, []))]
            if not any(wanted in w for w in words):
                continue
            # exact names first, then names that start so; companies and people before
            # facts, sources last
            if wanted in words:
                closeness = 0
            elif any(w.startswith(wanted) for w in words):
                closeness = 1
            else:
                closeness = 2
            kind = 0 if iri in agents else 2 if iri.startswith(SRC) else 1
            found.append((closeness, kind, d.label(iri).casefold(), iri))
        found.sort()
        return [
            {
                "iri": iri,
                "label": d.label(iri),
                "kind": d.kinds.get(iri, ""),
                "path": local_path(iri),
            }
            for *_, iri in found[:n]
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


def iri_of_path(path: str) -> str:
    """The graph IRI a local path stands for (inverse of :func:`local_path`)."""
    return "https://w3id.org/alliance-graph/" + path.lstrip("/")


def data_files(settings: Settings) -> list[Path] | None:
    return [Path(p) for p in settings.data] if settings.data else None
