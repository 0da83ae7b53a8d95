"""Checking data against the SHACL shapes and the rule queries: engines, results, report.

:func:`validate` reads the ontology and the data once (with the day bounds and best ranks
that the loader derives), reads the shapes, runs a SHACL engine, runs the rule queries of
``queries/checks`` (:mod:`.checks`) and, when asked, the ontology checks
(:mod:`.ontology_checks`), and returns one :class:`ValidationReport`. Each
result names the node, the rule, its severity, the message, the value, and the file and
line where the node is written; :mod:`.reports` writes the report as text,
JSON, JUnit XML, SARIF or GitHub workflow annotations.

Engines (:data:`ENGINES`, :mod:`.engines`; measurements and the choice of the default in
docs/validation.md) each turn the inputs into raw results; naming them (labels, rules,
paths, values, file and line) is shared, so a new engine is one function. One job per
module:

- :mod:`.results`: results, rules, the report, raw results;
- :mod:`.engines`: the engines and their inputs;
- :mod:`.bridge`: pySHACL over rdflib (SPARQL by rdflib or by Oxigraph);
- :mod:`.sparql_constraints`: SHACL-SPARQL constraints and targets in Oxigraph;
- :mod:`.rust_reader`: shacl-rust's results in the reference's terms;
- :mod:`.naming`: readable names and the rule catalogue;
- :mod:`.views`: labels and owners of nodes in the graph an engine ran on;
- :mod:`.locations`: the file and line where a node is written;
- :mod:`.checks`, :mod:`.ontology_checks`: the rule queries and the ontology checks;
- :mod:`.reports`: the report as text, JSON, JUnit, SARIF or GitHub annotations;
- :mod:`.shapes_graph`: the shapes as pyoxigraph triples; :mod:`.literals`: a value as
  Turtle writes it.

Shapes, raw results and names are pyoxigraph terms whatever the engine, so the default
engine never imports rdflib; pySHACL, rdflib and shacl-rust are imported inside the
functions that use them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .. import resources
from ..errors import UsageError
from . import checks as rule_queries
from .engines import DEFAULT_ENGINE, ENGINES, Inputs, read_shapes
from .locations import FileIndex
from .naming import Names, count_shapes, rule_catalogue
from .results import (
    FAIL_ON,
    SEVERITIES,
    RawResult,
    Rule,
    ShapesError,
    ValidationReport,
    ValidationResult,
    severity_rank,
)
from .vocabulary import REPORT_PREFIXES, SH, SHAPES_NS

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "FAIL_ON",
    "REPORT_PREFIXES",
    "SEVERITIES",
    "SH",
    "SHAPES_NS",
    "RawResult",
    "Rule",
    "ShapesError",
    "ValidationReport",
    "ValidationResult",
    "rule_catalogue",
    "severity_rank",
    "validate",
]


def validate(
    data: Iterable[Path | str] | None = None,
    *,
    shapes: Iterable[Path | str] = (),
    default_shapes: bool = True,
    checks: Iterable[Path | str] = (),
    default_checks: bool = True,
    ontology: bool = False,
    engine: str = DEFAULT_ENGINE,
    timeout: float | None = None,
    data_format: str | None = None,
) -> ValidationReport:
    """Validate ``data`` (RDF files; the shipped data when None).

    The ontology is always mixed into the data, once. The shipped shapes
    (``shapes/*.ttl``) run unless ``default_shapes`` is false, and ``shapes`` adds files
    of extra shapes; the shipped rule queries (``queries/checks/*.rq``) run unless
    ``default_checks`` is false, and ``checks`` adds folders of ``.rq`` files (or single
    files). ``ontology=True`` adds the checks of the ontology itself
    (:mod:`.ontology_checks`).

    Raises :class:`~alliance_graph.errors.DataFileError` for a missing or malformed file,
    :class:`~alliance_graph.errors.UsageError` for an unknown engine and
    :class:`ShapesError` when the shapes cannot run. With ``timeout`` (seconds), the work
    runs in a child process that is stopped when the time passes:
    :class:`~alliance_graph.validate.limits.ValidationTimeoutError`. ``data_format``
    names the syntax of files whose suffix does not say (and of ``-``, standard input),
    as for every other face.
    """
    if isinstance(data, str | Path):  # one file, not the characters of its name
        data = [data]
    if timeout is not None:
        from functools import partial

        from ..deadline import bad_seconds
        from .limits import run_with_timeout

        if why := bad_seconds(timeout):
            raise UsageError(f"timeout: {why}")
        work = partial(
            validate,
            data,
            shapes=shapes,
            default_shapes=default_shapes,
            checks=checks,
            default_checks=default_checks,
            ontology=ontology,
            engine=engine,
            data_format=data_format,
        )
        return run_with_timeout(work, timeout)
    if engine not in ENGINES:
        raise UsageError(
            f"unknown validation engine {engine!r}; choose one of {', '.join(sorted(ENGINES))}"
        )
    data_files = [Path(p) for p in data] if data is not None else resources.data_files()
    shapes_files = list(resources.shapes_files()) if default_shapes else []
    shapes_files += [Path(p) for p in shapes]
    check_list = rule_queries.load(checks, default=default_checks)
    shapes_graph = read_shapes(shapes_files)
    if shapes:  # a user's shapes: their SPARQL reads the data graph only
        from .shapes_safety import refuse_unsafe_sparql

        refuse_unsafe_sparql([Path(p) for p in shapes], shapes_graph)
    inputs = Inputs(data_files, data_format, shipped=data is None)
    raws = ENGINES[engine](inputs, shapes_graph) if shapes_files else []
    if check_list:
        raws += rule_queries.run(check_list, inputs.store)
    names = Names(shapes_graph, FileIndex(data_files))
    results = {names.result(raw) for raw in raws}
    rules = rule_catalogue(shapes_graph) + [c.rule() for c in check_list]
    if ontology:
        from .ontology_checks import check_ontology  # pyhornedowl: only when asked

        found, ontology_rules = check_ontology(inputs.files, shapes_files)
        results.update(found)
        rules += ontology_rules
    ordered = sorted(results, key=ValidationResult.sort_key)
    return ValidationReport(
        conforms=not any(r.severity == "Violation" for r in ordered),
        results=ordered,
        engine=engine,
        data_files=[str(p) for p in data_files],
        shapes_files=[str(p) for p in shapes_files],
        check_files=[str(c.path) for c in check_list],
        triples=inputs.triples(),
        shapes=count_shapes(shapes_graph),
        checks=len(check_list),
        rules=rules,
    )
