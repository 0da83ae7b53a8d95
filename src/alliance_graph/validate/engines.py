"""The SHACL engines (:data:`ENGINES`): each a function ``(inputs, shapes graph) -> raw
results``, and the inputs they read (the data in rdflib or pyoxigraph, on first use).

- ``pyshacl``: pySHACL on rdflib's in-memory store, SPARQL by rdflib. The reference.
- ``pyshacl-oxigraph``: the same pySHACL run, SPARQL-based constraints and targets
  answered by Oxigraph on a copy of the same triples.
- ``shacl-rust`` (the default): SHACL Core by the shacl-rust validator (Rust), SHACL-SPARQL
  constraints and SHACL-AF SPARQL targets by Oxigraph, on the data as pyoxigraph loads it
  (rdflib never holds the data). Results are read back into the reference's terms.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .results import RawResult, ShapesError
from .rust_reader import ShaclRustReader
from .shapes_graph import ShapesGraph
from .sparql_constraints import SparqlConstraints, resolve_sparql_targets
from .views import GraphView, StoreView

if TYPE_CHECKING:
    from rdflib import Graph

DEFAULT_ENGINE = "shacl-rust"


def read_shapes(files: list[Path]) -> ShapesGraph:
    """The shapes files as one graph of pyoxigraph triples (rdflib is not imported)."""
    return ShapesGraph.read(files)


class Inputs:
    """The data files, read into rdflib or pyoxigraph on first use (each engine needs one;
    the rule queries always run on pyoxigraph)."""

    def __init__(self, files: list[Path], data_format: str | None = None, *, shipped: bool = False):
        self.files = files
        self.data_format = data_format
        self.shipped = shipped
        self._graph = None
        self._store = None

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            import rdflib

            from ..graph import load

            # Literals keep the text the file gives them (rdflib would rewrite
            # "2005-04-30Z"^^xsd:date as "2005-04-30"), so that the shapes read what the
            # loader reads.
            normalise, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
            try:
                self._graph = load(self.files, data_format=self.data_format)
            finally:
                rdflib.NORMALIZE_LITERALS = normalise
        return self._graph

    @property
    def store(self):
        if self._store is None:
            store = open_data_store(None if self.shipped else self.files, self.data_format)
            refuse_rdf_star(store, self.files)
            self._store = store
        return self._store

    def triples(self) -> int:
        if self._graph is not None:
            return len(self._graph)
        return len(self.store)


def open_data_store(files: list[Path] | None, data_format: str | None):
    """The store of the ontology plus ``files`` (the shipped data when None), read only.

    When the queries package is in use, its process-wide cache gives it (the one loaded
    store of these files: a command that validates and then queries, such as summary,
    which imports the queries package first, loads them once). Otherwise the one loader
    opens it, with the same ``--store`` folder, and validate does not import the queries
    package (30 ms of a cold start)."""
    run = sys.modules.get("alliance_graph.queries.run")
    if run is not None:
        return run.cached_store(files, data_format)
    from ..load import open_store

    store_dir = None
    if "alliance_graph.persist" in sys.modules or os.environ.get(STORE_VARIABLE):
        from .. import persist  # only with a store to open: hashlib, shutil, 3 ms

        store_dir = persist.configured()
    return open_store(files, data_format=data_format, store_dir=store_dir)


# persist.ENV_STORE, named here so that a run without a store does not import persist
# (tests/test_imports.py checks that the two agree).
STORE_VARIABLE = "ALLIANCE_GRAPH_STORE"


_QUOTED = re.compile(rb"<<\s*[<_:A-Za-z(\[]")


def refuse_rdf_star(store, files: list[Path]) -> None:
    """A clear error for RDF-star data (quoted triples), which the SHACL engines cannot
    check: the file and the line of the first ``<<``. Files without ``<<`` cost one scan."""
    from ..errors import DataFileError
    from ..load import read_bytes

    candidates = []
    for path in files:
        try:
            data = read_bytes(path)
        except DataFileError:
            continue
        found = _QUOTED.search(data)
        if found:
            candidates.append((Path(path), data.count(b"\n", 0, found.start()) + 1))
    if not candidates:
        return
    if not store.query("ASK { ?s ?p ?o FILTER(isTRIPLE(?s) || isTRIPLE(?o)) }"):
        return  # "<<" inside a string
    path, line = candidates[0]
    raise DataFileError(
        path,
        "RDF-star (a quoted triple << ... >>) is not supported by validate: the SHACL "
        "engines check plain RDF triples",
        line,
    )


def run_pyshacl(inputs: Inputs, shapes_graph: ShapesGraph) -> list[RawResult]:
    """pySHACL over rdflib's memory store: the reference engine."""
    from .bridge import pyshacl_report, query_graphs, raws_from_report

    graph = inputs.graph
    report = pyshacl_report(query_graphs()[0].over(graph), shapes_graph.to_rdflib())
    return raws_from_report(report, GraphView(graph))


def run_pyshacl_oxigraph(inputs: Inputs, shapes_graph: ShapesGraph) -> list[RawResult]:
    """pySHACL, with its SPARQL queries answered by Oxigraph over the same triples."""
    from .bridge import pyshacl_report, query_graphs, raws_from_report

    graph = inputs.graph
    report = pyshacl_report(query_graphs()[1].over(graph), shapes_graph.to_rdflib())
    return raws_from_report(report, GraphView(graph))


def run_shacl_rust(inputs: Inputs, shapes_graph: ShapesGraph) -> list[RawResult]:
    """SHACL Core by shacl-rust, SHACL-SPARQL by Oxigraph, on the pyoxigraph store.

    shacl-rust reads the store's N-Triples and the shapes as N-Triples (so that the blank
    nodes of its results are those of ``shapes_graph``). The SPARQL constraints of node
    shapes run in Oxigraph, as in the pyshacl-oxigraph engine (:class:`.SparqlConstraints`):
    shacl-rust evaluates a constraint with an aggregate over the whole graph for each focus
    node (half a second each on a million triples). SHACL-AF SPARQL targets are answered
    by Oxigraph too (:func:`.resolve_sparql_targets`).
    """
    import threading

    import shacl_rust

    from ..load import to_ntriples
    from .shapes_safety import refuse_recursion

    refuse_recursion(shapes_graph)  # shacl-rust recurses on them until the process dies
    store = inputs.store
    view = StoreView(store)
    sparql = SparqlConstraints(shapes_graph, store)
    engine_shapes = resolve_sparql_targets(sparql.without_handled(), store)
    data = to_ntriples(store).decode("utf-8")
    shapes_text = engine_shapes.ntriples()
    core: dict = {}

    def check_core() -> None:
        try:
            core["report"] = shacl_rust.validate(
                data, shapes_text, data_format="nt", shapes_format="nt"
            )
        except Exception as exc:  # shacl-rust raises plain exceptions for unusable shapes
            core["error"] = exc

    # shacl-rust and Oxigraph both let go of the GIL, so the SPARQL half runs in Oxigraph
    # while shacl-rust checks SHACL Core on its copy of the text: on two free cores the
    # pair takes 54 ms against 82 ms one after the other on the shipped data.
    worker = threading.Thread(target=check_core, name="shacl-rust", daemon=True)
    worker.start()
    try:
        raws = sparql.run(view)
    finally:
        worker.join()
    if "error" in core:
        raise ShapesError(f"the shapes cannot be used: {core['error']}") from None
    reader = ShaclRustReader(shapes_graph)
    return raws + [reader.raw(r, view) for r in core["report"]["results"]]


# name -> function(inputs, shapes graph) -> raw results
ENGINES: dict[str, Callable[[Inputs, ShapesGraph], list[RawResult]]] = {
    "pyshacl": run_pyshacl,
    "pyshacl-oxigraph": run_pyshacl_oxigraph,
    "shacl-rust": run_shacl_rust,
}
