"""Checking data against the SHACL shapes and the rule queries: engines, results, report.

:func:`validate` reads the ontology and the data once (with the day bounds and best ranks
that the loader derives), reads the shapes, runs a SHACL engine, runs the rule queries of
``queries/checks`` (:mod:`alliance_graph.checks`) and, when asked, the ontology checks
(:mod:`alliance_graph.ontology_checks`), and returns one :class:`ValidationReport`. Each
result names the node, the rule, its severity, the message, the value, and the file and
line where the node is written; :mod:`alliance_graph.reports` writes the report as text,
JSON, JUnit XML, SARIF or GitHub workflow annotations.

Engines (:data:`ENGINES`; measurements and the choice of the default in
docs/validation.md). Each is a function ``(inputs, shapes graph) -> raw results``; naming
the results (labels, rules, paths, values, file and line) is shared, so a new engine is
one function:

- ``pyshacl``: pySHACL on rdflib's in-memory store, SPARQL by rdflib. The reference.
- ``pyshacl-oxigraph``: the same pySHACL run, SPARQL-based constraints and targets
  answered by Oxigraph on a copy of the same triples.
- ``shacl-rust`` (the default): SHACL Core by the shacl-rust validator (Rust), SHACL-SPARQL
  constraints and SHACL-AF SPARQL targets by Oxigraph, on the data as pyoxigraph loads it
  (rdflib never holds the data). Results are read back into the reference's terms.

pySHACL, shacl-rust, rdflib's SPARQL engine and pyoxigraph are imported inside the
functions that use them, so importing this module costs nothing.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import resources
from .errors import AllianceGraphError, UsageError

if TYPE_CHECKING:
    from rdflib import Graph

SH = "http://www.w3.org/ns/shacl#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SHAPES_NS = "https://w3id.org/alliance-graph/shapes#"

# Prefixes for names in reports (results name nodes, rules and paths by these).
REPORT_PREFIXES = {
    "agsh": SHAPES_NS,
    "ag": "https://w3id.org/alliance-graph/ontology#",
    "res": "https://w3id.org/alliance-graph/resource/",
    "src": "https://w3id.org/alliance-graph/source/",
    "sh": SH,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
}

# From the most to the least severe. `--fail-on warning` fails on violations and warnings.
SEVERITIES = ("Violation", "Warning", "Info")
FAIL_ON = tuple(s.lower() for s in SEVERITIES)
DEFAULT_ENGINE = "shacl-rust"


class ShapesError(AllianceGraphError):
    """The shapes cannot be used: not valid SHACL, or a SPARQL rule that does not run."""


def severity_rank(severity: str) -> int:
    """0 for a violation, 1 for a warning, 2 for an info."""
    try:
        return FAIL_ON.index(severity.lower())
    except ValueError:
        raise UsageError(
            f"unknown severity {severity!r}; choose one of {', '.join(FAIL_ON)}"
        ) from None


@dataclass(frozen=True)
class ValidationResult:
    """One problem: which node breaks which rule, how, and where it is written."""

    focus: str  # the offending node: an IRI, or _:id for a blank node
    focus_label: str | None  # its label, or what it belongs to for a blank node
    rule: str  # the rule broken: a SPARQL constraint, a shape or a check, as a prefixed name
    severity: str  # Violation, Warning or Info
    message: str
    path: str | None = None  # the property at fault, as a prefixed name
    value: str | None = None  # the value at fault, as written in Turtle
    shape: str | None = None  # the shape the rule belongs to
    component: str | None = None  # the SHACL constraint component, e.g. sh:MinCount
    file: str | None = None  # the data file where the node is written, if found
    line: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def sort_key(self) -> tuple:
        return (
            self.file or "",
            self.line or 0,
            self.focus,
            self.rule,
            self.path or "",
            self.value or "",
            self.message,
        )


@dataclass(frozen=True)
class Rule:
    """A rule that ran: a shape, a SHACL-SPARQL constraint, a rule query or an ontology check."""

    id: str  # the name results give it: agsh:label, agsh:TenureShape/ag:role, check:...
    severity: str
    title: str
    description: str
    kind: str  # "shape", "sparql", "check" or "ontology"


@dataclass
class ValidationReport:
    """Every result, in a stable order, and what ran to find them.

    ``conforms`` follows SHACL with warnings allowed: no result of severity Violation.
    :meth:`failed` applies a ``--fail-on`` level.
    """

    conforms: bool
    results: list[ValidationResult]
    engine: str
    data_files: list[str] = field(default_factory=list)
    shapes_files: list[str] = field(default_factory=list)
    triples: int = 0  # triples checked: ontology, data and derived ones
    shapes: int = 0  # node and property shapes with a target, the rules that run
    checks: int = 0  # rule queries run (queries/checks and --checks folders)
    rules: list[Rule] = field(default_factory=list)
    check_files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Results per severity (always all three keys)."""
        found = Counter(r.severity for r in self.results)
        return {s: found.get(s, 0) for s in SEVERITIES}

    def rules_broken(self) -> dict[str, int]:
        return dict(sorted(Counter(r.rule for r in self.results).items()))

    def failing(self, fail_on: str = "violation") -> list[ValidationResult]:
        """The results at or above the ``fail_on`` severity."""
        level = severity_rank(fail_on)
        return [r for r in self.results if severity_rank(r.severity) <= level]

    def failed(self, fail_on: str = "violation") -> bool:
        return bool(self.failing(fail_on))

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "engine": self.engine,
            "data_files": self.data_files,
            "shapes_files": self.shapes_files,
            "check_files": self.check_files,
            "triples": self.triples,
            "shapes": self.shapes,
            "checks": self.checks,
            "counts": self.counts(),
            "rules_broken": self.rules_broken(),
            "results": [r.to_dict() for r in self.results],
        }

    def summary_line(self) -> str:
        files = ", ".join(Path(f).name for f in self.data_files) or "no data file"
        head = "conforms" if self.conforms else "does NOT conform"
        counts = ", ".join(
            f"{n} {s.lower()}{'' if n == 1 else 's'}" for s, n in self.counts().items()
        )
        checks = f" and {self.checks} checks" if self.checks else ""
        return (
            f"{head}: {files} ({self.triples} triples with the ontology) against "
            f"{self.shapes} shapes{checks}: {counts}"
        )

    def to_text(self) -> str:
        """A report for people: one block per result, then the summary line."""
        lines = []
        for r in self.results:
            where = f"{r.file}:{r.line}: " if r.file and r.line else ""
            if r.focus.startswith("_:") and r.focus_label:  # a blank node: its owner
                name = r.focus_label
            else:
                name = f"{r.focus_label} ({r.focus})" if r.focus_label else r.focus
            lines.append(f"{where}{r.severity}: {name}")
            lines.append(f"  rule:    {r.rule}")
            lines.append(f"  message: {r.message}")
            if r.path:
                lines.append(f"  path:    {r.path}")
            if r.value is not None and r.value != r.focus:
                lines.append(f"  value:   {r.value}")
            lines.append("")
        lines.append(self.summary_line())
        return "\n".join(lines) + "\n"


def validate(
    data: Iterable[Path | str] | None = None,
    *,
    shapes: Iterable[Path | str] = (),
    default_shapes: bool = True,
    checks: Iterable[Path | str] = (),
    default_checks: bool = True,
    ontology: bool = False,
    engine: str = DEFAULT_ENGINE,
) -> ValidationReport:
    """Validate ``data`` (RDF files; the shipped data when None).

    The ontology is always mixed into the data, once. The shipped shapes
    (``shapes/*.ttl``) run unless ``default_shapes`` is false, and ``shapes`` adds files
    of extra shapes; the shipped rule queries (``queries/checks/*.rq``) run unless
    ``default_checks`` is false, and ``checks`` adds folders of ``.rq`` files (or single
    files). ``ontology=True`` adds the checks of the ontology itself
    (:mod:`alliance_graph.ontology_checks`).

    Raises :class:`~alliance_graph.errors.DataFileError` for a missing or malformed file,
    :class:`~alliance_graph.errors.UsageError` for an unknown engine and
    :class:`ShapesError` when the shapes cannot run.
    """
    from . import checks as rule_queries

    if engine not in ENGINES:
        raise UsageError(
            f"unknown validation engine {engine!r}; choose one of {', '.join(sorted(ENGINES))}"
        )
    data_files = [Path(p) for p in data] if data is not None else resources.data_files()
    shapes_files = list(resources.shapes_files()) if default_shapes else []
    shapes_files += [Path(p) for p in shapes]
    check_list = rule_queries.load(checks, default=default_checks)
    shapes_graph = _read_shapes(shapes_files)
    inputs = _Inputs(data_files)
    raws = ENGINES[engine](inputs, shapes_graph) if shapes_files else []
    if check_list:
        raws += rule_queries.run(check_list, inputs.store)
    names = _Names(shapes_graph, _FileIndex(data_files))
    results = {names.result(raw) for raw in raws}
    rules = rule_catalogue(shapes_graph) + [c.rule() for c in check_list]
    if ontology:
        from .ontology_checks import check_ontology

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
        shapes=_count_shapes(shapes_graph),
        checks=len(check_list),
        rules=rules,
    )


def _read_shapes(files: list[Path]) -> Graph:
    from rdflib import Graph

    from .graph import parse_into

    graph = Graph()
    for path in files:
        parse_into(graph, path)
    return graph


class _Inputs:
    """The data files, read into rdflib or pyoxigraph on first use (each engine needs one;
    the rule queries always run on pyoxigraph)."""

    def __init__(self, files: list[Path]):
        self.files = files
        self._graph = None
        self._store = None

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            from .graph import load

            self._graph = load(self.files)
        return self._graph

    @property
    def store(self):
        if self._store is None:
            from .store import open_store

            self._store = open_store(self.files)
        return self._store

    def triples(self) -> int:
        if self._graph is not None:
            return len(self._graph)
        return len(self.store)


@dataclass(frozen=True)
class _Raw:
    """One result as an engine gives it: rdflib terms, read against ``data`` (a view of the
    graph the engine ran on, which names blank nodes its own way)."""

    focus: Any
    severity: str
    message: str
    data: Any  # _GraphView or _StoreView
    shape: Any = None
    constraint: Any = None
    component: Any = None
    path: str | None = None  # already written in SPARQL path syntax, full IRIs or names
    value: Any = None
    rule: str | None = None  # set by rule queries; shapes' rules are named from the shapes


# --- engines --------------------------------------------------------------------------


def _run_pyshacl(inputs: _Inputs, shapes_graph: Graph) -> list[_Raw]:
    """pySHACL over rdflib's memory store: the reference engine."""
    graph = inputs.graph
    report = _pyshacl(_query_graphs()[0].over(graph), shapes_graph)
    return _raws_from_report(report, _GraphView(graph))


def _run_pyshacl_oxigraph(inputs: _Inputs, shapes_graph: Graph) -> list[_Raw]:
    """pySHACL, with its SPARQL queries answered by Oxigraph over the same triples."""
    graph = inputs.graph
    report = _pyshacl(_query_graphs()[1].over(graph), shapes_graph)
    return _raws_from_report(report, _GraphView(graph))


def _run_shacl_rust(inputs: _Inputs, shapes_graph: Graph) -> list[_Raw]:
    """SHACL Core by shacl-rust, SHACL-SPARQL by Oxigraph, on the pyoxigraph store.

    shacl-rust reads the store's N-Triples and the shapes as N-Triples (so that the blank
    nodes of its results are those of ``shapes_graph``). The SPARQL constraints of node
    shapes run in Oxigraph, as in the pyshacl-oxigraph engine (:class:`_SparqlConstraints`):
    shacl-rust evaluates a constraint with an aggregate over the whole graph for each focus
    node (half a second each on a million triples). SHACL-AF SPARQL targets are answered
    by Oxigraph too (:func:`_resolve_sparql_targets`).
    """
    import shacl_rust

    from .store import to_ntriples

    store = inputs.store
    view = _StoreView(store)
    sparql = _SparqlConstraints(shapes_graph, store)
    raws = sparql.run(view)
    engine_shapes = _resolve_sparql_targets(sparql.without_handled(), store)
    data = to_ntriples(store).decode("utf-8")
    shapes_text = engine_shapes.serialize(format="nt", encoding="utf-8").decode("utf-8")
    try:
        report = shacl_rust.validate(data, shapes_text, data_format="nt", shapes_format="nt")
    except Exception as exc:  # shacl-rust raises plain exceptions for unusable shapes
        raise ShapesError(f"the shapes cannot be used: {exc}") from None
    reader = _ShaclRustReader(shapes_graph)
    return raws + [reader.raw(r, view) for r in report["results"]]


class _SparqlConstraints:
    """SHACL-SPARQL constraints (sh:sparql) of node shapes, run in Oxigraph as pySHACL
    runs them: for each focus node, the query with $this bound to it; each row a result
    whose focus is ?this (else the focus node), whose path is ?path, whose value is
    ?value (else the focus node), and whose messages are the shape's and the
    constraint's sh:message with {?var} filled by each variable's text.

    Focus nodes come from sh:targetNode, sh:targetClass (with rdfs:subClassOf*, and a
    shape that is itself a class), sh:targetSubjectsOf, sh:targetObjectsOf and SHACL-AF
    SPARQL targets. A shape with any other target, a property shape with sh:sparql, or a
    deactivated one is left to shacl-rust.
    """

    def __init__(self, shapes: Graph, store):
        from rdflib import RDF, RDFS, URIRef
        from rdflib.namespace import OWL

        self.shapes = shapes
        self.store = store
        sh = _Sh()
        self.sh = sh
        target_kinds = {
            sh.targetNode,
            sh.targetClass,
            sh.targetSubjectsOf,
            sh.targetObjectsOf,
            sh.target,
        }
        self.handled = []
        for shape in sorted(set(shapes.subjects(sh.sparql, None)), key=str):
            if shapes.value(shape, sh.path) is not None or _true(shapes, shape, sh.deactivated):
                continue
            kinds = {
                p for p, _ in shapes.predicate_objects(shape) if str(p).startswith(SH + "target")
            }
            if not kinds <= target_kinds:
                continue
            if any(
                (target, RDF.type, sh.SPARQLTarget) not in shapes
                for target in shapes.objects(shape, sh.target)
            ):
                continue
            self.handled.append(shape)
        self._class_types = {URIRef(RDFS.Class), URIRef(OWL.Class)}

    def without_handled(self) -> Graph:
        """The shapes without the constraints run here (shacl-rust runs the rest)."""
        if not self.handled:
            return self.shapes
        from rdflib import RDF, RDFS, Graph

        sh = self.sh
        # A handled shape with nothing else to check is left out whole, so that shacl-rust
        # does not compute its focus nodes again (a whole-graph SPARQL target, say).
        inert = {RDF.type, RDFS.label, RDFS.comment, sh.severity, sh.message, sh.sparql}
        inert |= {sh.prefixes, sh.deactivated, sh.name, sh.description, sh.target}
        inert |= {sh.targetNode, sh.targetClass, sh.targetSubjectsOf, sh.targetObjectsOf}
        handled = set(self.handled)
        dropped = {s for s in handled if set(self.shapes.predicates(s)) <= inert}
        rest = Graph()
        for s, p, o in self.shapes:
            if s in dropped or (p == sh.sparql and s in handled):
                continue
            rest.add((s, p, o))
        return rest

    def run(self, view) -> list[_Raw]:
        raws = []
        for shape in self.handled:
            severity = self.shapes.value(shape, self.sh.severity)
            severity = str(severity).rpartition("#")[2] if severity is not None else "Violation"
            focus_nodes = self.focus_nodes(shape)
            if not focus_nodes:
                continue
            shape_messages = [str(m) for m in self.shapes.objects(shape, self.sh.message)]
            for constraint in sorted(self.shapes.objects(shape, self.sh.sparql), key=str):
                if _true(self.shapes, constraint, self.sh.deactivated):
                    continue
                raws += self.constraint(
                    shape, constraint, focus_nodes, severity, shape_messages, view
                )
        return raws

    def _prefixes(self, node) -> str:
        sh = self.sh
        text = ""
        for holder in self.shapes.objects(node, sh.prefixes):
            for declaration in self.shapes.objects(holder, sh.declare):
                name = self.shapes.value(declaration, sh.prefix)
                namespace = self.shapes.value(declaration, sh.namespace)
                if name is not None and namespace is not None:
                    text += f"PREFIX {name}: <{namespace}>\n"
        return text

    def _select(self, text: str, what: str):
        try:
            return self.store.query(text)
        except SyntaxError as exc:
            raise ShapesError(f"{what} is not valid SPARQL: {exc}") from None

    def focus_nodes(self, shape) -> list:
        import pyoxigraph as ox
        from rdflib import RDF

        sh = self.sh
        found: dict = {}

        def add(term):
            found.setdefault(term, None)

        for node in self.shapes.objects(shape, sh.targetNode):
            add(_to_ox(node))
        classes = list(self.shapes.objects(shape, sh.targetClass))
        if any((shape, RDF.type, c) in self.shapes for c in self._class_types):
            classes.append(shape)
        rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
        sub_class = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
        for cls in classes:
            query = f"SELECT DISTINCT ?this WHERE {{ ?this {rdf_type}/{sub_class}* <{cls}> }}"
            for row in self._select(query, "a class target"):
                add(row["this"])
        for prop in self.shapes.objects(shape, sh.targetSubjectsOf):
            for q in self.store.quads_for_pattern(None, _to_ox(prop), None, ox.DefaultGraph()):
                add(q.subject)
        for prop in self.shapes.objects(shape, sh.targetObjectsOf):
            for q in self.store.quads_for_pattern(None, _to_ox(prop), None, ox.DefaultGraph()):
                add(q.object)
        for target in self.shapes.objects(shape, sh.target):
            text = self._prefixes(target) + str(self.shapes.value(target, sh.select))
            for row in self._select(text, "a SPARQL target"):
                if row["this"] is not None:
                    add(row["this"])
        return list(found)

    def constraint(self, shape, constraint, focus_nodes, severity, shape_messages, view):
        import pyoxigraph as ox

        sh = self.sh
        select = self.shapes.value(constraint, sh.select)
        if select is None:
            return []
        text = self._prefixes(constraint) + str(select)
        messages = shape_messages + [
            str(m)
            for m in self.shapes.objects(constraint, sh.message)
            if str(m) not in shape_messages
        ]
        this = ox.Variable("this")
        raws = []
        for focus in focus_nodes:
            try:
                answer = self.store.query(text, substitutions={this: focus})
            except SyntaxError as exc:
                raise ShapesError(f"a SPARQL rule is not valid SPARQL: {exc}") from None
            names = [v.value for v in answer.variables]
            seen = set()
            for row in answer:
                values = {n: row[n] for n in names if row[n] is not None}
                if "failure" in values:
                    continue
                node = values.pop("this", None) or focus
                path = values.pop("path", None)
                value = values.pop("value", None) or focus
                key = (node, path, value, tuple(sorted((k, str(v)) for k, v in values.items())))
                if key in seen:
                    continue
                seen.add(key)
                fill = {k: _ox_text(v) for k, v in values.items()}
                fill.update(this=_ox_text(node), value=_ox_text(value))
                if path is not None:
                    fill["path"] = _ox_text(path)
                filled = sorted({_fill_vars(m, fill) for m in messages})
                raws.append(
                    _Raw(
                        focus=to_rdflib_term(node),
                        severity=severity,
                        message="; ".join(filled),
                        data=view,
                        shape=shape,
                        constraint=constraint,
                        component=sh.SPARQLConstraintComponent,
                        path=_curie(path.value) if isinstance(path, ox.NamedNode) else None,
                        value=to_rdflib_term(value),
                    )
                )
        return raws


def _true(graph, node, prop) -> bool:
    value = graph.value(node, prop)
    return value is not None and str(value).lower() in ("true", "1")


def _to_ox(term):
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _ox_text(term) -> str:
    """What pySHACL writes into a message for a term: str() of the rdflib term."""
    return term.value


def _fill_vars(template: str, values: dict) -> str:
    """pySHACL's message filling: each {?var} or {$var} replaced by the variable's text."""
    for name, text in values.items():
        template = re.sub("{[?$]" + re.escape(name) + "}", lambda _m, t=text: t, template)
    return template


def _resolve_sparql_targets(shapes: Graph, store) -> Graph:
    """A copy of ``shapes`` whose SHACL-AF SPARQL targets are replaced by the nodes they
    select (sh:targetNode), as Oxigraph answers their queries on ``store``.

    The same set of focus nodes, so the same results; but shacl-rust evaluates some
    target queries (joins under a GROUP BY) tens of times slower than Oxigraph: 31 s
    against 2.6 s for the sums of stakes on a million triples. A target that selects a
    blank node is left to shacl-rust, since a blank node of the data cannot be named in
    the shapes graph.
    """
    import pyoxigraph as ox
    from rdflib import RDF, Graph, URIRef

    sh = _Sh()
    targets = [
        (shape, target)
        for shape, target in shapes.subject_objects(sh.target)
        if (target, RDF.type, sh.SPARQLTarget) in shapes and shapes.value(target, sh.select)
    ]
    if not targets:
        return shapes
    resolved = Graph()
    for triple in shapes:
        resolved.add(triple)
    for shape, target in targets:
        prefixes = ""
        for holder in shapes.objects(target, sh.prefixes):
            for declaration in shapes.objects(holder, sh.declare):
                name = shapes.value(declaration, sh.prefix)
                namespace = shapes.value(declaration, sh.namespace)
                if name is not None and namespace is not None:
                    prefixes += f"PREFIX {name}: <{namespace}>\n"
        try:
            answer = store.query(prefixes + str(shapes.value(target, sh.select)))
        except SyntaxError as exc:
            raise ShapesError(f"a SPARQL target is not valid SPARQL: {exc}") from None
        nodes = [row["this"] for row in answer if row["this"] is not None]
        if any(isinstance(n, ox.BlankNode) for n in nodes):
            continue
        resolved.remove((shape, sh.target, target))
        for node in nodes:
            term = URIRef(node.value) if isinstance(node, ox.NamedNode) else to_rdflib_term(node)
            resolved.add((shape, sh.targetNode, term))
    return resolved


# name -> function(inputs, shapes graph) -> raw results
ENGINES: dict[str, Callable[[_Inputs, Graph], list[_Raw]]] = {
    "pyshacl": _run_pyshacl,
    "pyshacl-oxigraph": _run_pyshacl_oxigraph,
    "shacl-rust": _run_shacl_rust,
}


def _pyshacl(data_graph: Graph, shapes_graph: Graph) -> Graph:
    import pyshacl
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError

    _memoise_query_checks()
    try:
        # No inference: the shapes read the ontology's class hierarchy themselves (SHACL's
        # sh:targetClass follows rdfs:subClassOf in the data graph, which holds the
        # ontology). advanced=True for the SPARQL-based targets (SHACL-AF).
        # inplace=True: the graph is ours and validation without rules does not change it.
        _conforms, report_graph, _text = pyshacl.validate(
            data_graph,
            shacl_graph=shapes_graph,
            inference="none",
            advanced=True,
            inplace=True,
            abort_on_first=False,
            allow_warnings=False,
        )
    except (ConstraintLoadError, ShapeLoadError, ReportableRuntimeError) as exc:
        raise ShapesError(f"the shapes cannot be used: {exc}") from None
    return report_graph


def _memoise_query_checks() -> None:
    """Let pySHACL check each SPARQL constraint's text once, not once per focus node.

    pySHACL runs about ten regular expressions over a constraint's text before every
    query (no VALUES, no MINUS ...); the outcome depends on the text alone. This uses the
    hook pySHACL keeps for its query helper class. Failures are not remembered, so an
    invalid query still fails every time.
    """
    try:
        from pyshacl import helper
    except ImportError:  # pragma: no cover - pySHACL without the hook: run unmemoised
        return
    base = helper.get_query_helper_cls()
    if getattr(base, "_alliance_memo", False):
        return
    passed: set = set()

    class MemoisedQueryHelper(base):
        _alliance_memo = True

        def check_invalid_sparql(self, sparql_text, valuenode=None, extravars=None):
            key = (sparql_text, valuenode is not None, tuple(sorted(extravars or ())))
            if key not in passed:
                super().check_invalid_sparql(sparql_text, valuenode, extravars)
                passed.add(key)
            return True

    helper.SPARQLQueryHelperCls = MemoisedQueryHelper


def _graph_view(cls, graph: Graph):
    """A graph of class ``cls`` over the same store as ``graph`` (no copy)."""
    return cls(
        store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager
    )


@functools.cache
def _query_graphs():
    """The two graph classes the engines hand to pySHACL (built on first use, so that
    importing this module does not import rdflib)."""
    from rdflib import XSD, BNode, Graph, Literal, URIRef, Variable
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.query import Result

    class PreparedQueryGraph(Graph):
        """rdflib Graph that parses each distinct query text once.

        pySHACL sends the same constraint text for every focus node; rdflib would parse
        it every time (3 ms), which costs more than answering it.
        """

        @classmethod
        def over(cls, graph):
            view = _graph_view(cls, graph)
            view._prepared = {}
            return view

        def query(
            self,
            query_object,
            processor="sparql",
            result="sparql",
            initNs=None,
            initBindings=None,
            use_store_provided=True,
            **kwargs,
        ):
            if isinstance(query_object, str):
                prepared = self._prepared.get(query_object)
                if prepared is None:
                    prepared = prepareQuery(query_object, initNs=initNs)
                    self._prepared[query_object] = prepared
                query_object = prepared
            return super().query(
                query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
            )

    class OxigraphQueryGraph(Graph):
        """rdflib Graph whose SPARQL queries Oxigraph answers over a copy of its triples.

        pySHACL reads triples (SHACL Core) through rdflib as usual, so Core results are
        the reference's; only SPARQL goes to Oxigraph. Terms come back as the very rdflib
        terms of the graph (Oxigraph writes 15.0 as 15 and plain strings as xsd:string;
        the map undoes that), so reports name the same values as the reference's.
        """

        @classmethod
        def over(cls, graph):
            import pyoxigraph as ox

            view = _graph_view(cls, graph)
            view._ox = ox
            view._back = {}
            view._converted = {}
            store = ox.Store()
            store.extend(
                [ox.Quad(view._to_ox(s), view._to_ox(p), view._to_ox(o)) for s, p, o in graph]
            )
            view._store = store
            return view

        def _to_ox(self, term):
            converted = self._converted.get(term)
            if converted is None:
                converted = self._converted[term] = self._convert(term)
            return converted

        def _convert(self, term):
            ox = self._ox
            if isinstance(term, URIRef):
                return ox.NamedNode(term)
            if isinstance(term, BNode):
                return ox.BlankNode(term)
            if term.language:
                converted = ox.Literal(term, language=term.language)
            elif term.datatype:
                converted = ox.Literal(term, datatype=ox.NamedNode(term.datatype))
            else:
                converted = ox.Literal(term)
            self._back.setdefault(_ox_key(converted), term)
            return converted

        def _from_ox(self, term):
            ox = self._ox
            if isinstance(term, ox.NamedNode):
                return URIRef(term.value)
            if isinstance(term, ox.BlankNode):
                return BNode(term.value)
            known = self._back.get(_ox_key(term))
            if known is not None:
                return known
            if term.language:
                return Literal(term.value, lang=term.language)
            if term.datatype.value == str(XSD.string):
                return Literal(term.value)
            return Literal(term.value, datatype=URIRef(term.datatype.value))

        def query(
            self,
            query_object,
            processor="sparql",
            result="sparql",
            initNs=None,
            initBindings=None,
            use_store_provided=True,
            **kwargs,
        ):
            if not isinstance(query_object, str):  # a prepared rdflib query: rdflib answers
                return super().query(
                    query_object,
                    processor,
                    result,
                    initNs,
                    initBindings,
                    use_store_provided,
                    **kwargs,
                )
            ox = self._ox
            substitutions = {
                ox.Variable(str(k)): self._to_ox(v) for k, v in (initBindings or {}).items()
            }
            try:
                answer = self._store.query(
                    query_object,
                    substitutions=substitutions,
                    prefixes={k: str(v) for k, v in (initNs or {}).items()},
                )
            except SyntaxError as exc:
                raise ShapesError(f"a SPARQL rule is not valid SPARQL: {exc}") from None
            if isinstance(answer, ox.QueryBoolean):
                out = Result("ASK")
                out.askAnswer = bool(answer)
                return out
            out = Result("SELECT")
            out.vars = [Variable(v.value) for v in answer.variables]
            out.bindings = [
                {
                    var: self._from_ox(value)
                    for var, value in zip(out.vars, row, strict=True)
                    if value is not None
                }
                for row in answer
            ]
            return out

    return PreparedQueryGraph, OxigraphQueryGraph


def _ox_key(literal) -> tuple:
    """What identifies a literal once Oxigraph has normalised its lexical form."""
    datatype = literal.datatype.value if literal.datatype is not None else None
    if literal.language:
        return ("lang", literal.value, literal.language)
    if datatype in _NUMERIC:
        try:
            from decimal import Decimal

            return ("number", datatype, Decimal(literal.value))
        except ArithmeticError:
            pass
    return ("literal", literal.value, datatype)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {
    _XSD + t
    for t in (
        "decimal",
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "double",
        "float",
    )
}


# --- reading what the engines give ----------------------------------------------------


def _raws_from_report(report: Graph, view) -> list[_Raw]:
    """A W3C SHACL validation report graph (pySHACL's) as raw results."""
    from rdflib import RDF

    sh = _Sh()
    raws = []
    for node in report.subjects(RDF.type, sh.ValidationResult):
        path = report.value(node, sh.resultPath)
        severity = report.value(node, sh.resultSeverity)
        messages = sorted({str(m) for m in report.objects(node, sh.resultMessage)})
        raws.append(
            _Raw(
                focus=report.value(node, sh.focusNode),
                severity=str(severity).rpartition("#")[2] if severity else "Violation",
                message="; ".join(messages),
                data=view,
                shape=report.value(node, sh.sourceShape),
                constraint=report.value(node, sh.sourceConstraint),
                component=report.value(node, sh.sourceConstraintComponent),
                path=_sparql_path(report, path) if path is not None else None,
                value=report.value(node, sh.value),
            )
        )
    return raws


class _ShaclRustReader:
    """shacl-rust's result dictionaries as the reference engine would give them.

    shacl-rust names the shape but not the SPARQL constraint of a result, fills message
    templates with N-Triples terms, and adds its own generic message to a shape's
    sh:message. So: the constraint is the one of the shape whose message template
    matches; templates are filled again with what pySHACL writes for a term (a literal's
    text, an IRI); a shape's own messages replace the generic ones, as in pySHACL.
    """

    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self._templates: dict = {}

    def raw(self, result: dict, view) -> _Raw:
        from rdflib import URIRef

        sh = _Sh()
        shape = _from_nt(result.get("sourceShape"))
        component = _from_nt(result.get("sourceConstraintComponent"))
        found = list(result.get("messages") or [])
        constraint = None
        templates = self.messages_of(shape)
        if component == sh.SPARQLConstraintComponent:
            constraint, filled = self._sparql(shape, found)
            messages = filled
        elif templates:
            messages = [_fill(t, found) or t for t in templates]
        else:
            messages = found
        value = _from_nt(result.get("value"))
        focus = _from_nt(result.get("focusNode"))
        if value is None and constraint is not None and not self.shapes.value(shape, sh.path):
            value = focus  # pySHACL: a SPARQL rule of a node shape reports the focus node
        severity = result.get("severity") or ""
        return _Raw(
            focus=focus,
            severity=severity.strip("<>").rpartition("#")[2] or "Violation",
            message="; ".join(sorted(set(messages))),
            data=view,
            shape=shape,
            constraint=constraint if isinstance(constraint, URIRef) else None,
            component=component,
            path=_nt_path(result.get("resultPath")),
            value=value,
        )

    def messages_of(self, node) -> list[str]:
        if node not in self._templates:
            sh = _Sh()
            self._templates[node] = [str(m) for m in self.shapes.objects(node, sh.message)]
        return self._templates[node]

    def _sparql(self, shape, found: list[str]):
        sh = _Sh()
        own = self.messages_of(shape)
        constraints = sorted(self.shapes.objects(shape, sh.sparql), key=str)
        for constraint in constraints:
            templates = own + [t for t in self.messages_of(constraint) if t not in own]
            filled = [_fill(t, found) for t in templates]
            if templates and all(f is not None for f in filled):
                return constraint, filled
        # No template tells the constraints apart: the first one, and the engine's words.
        first = constraints[0] if constraints else None
        return first, found


_VAR = re.compile(r"\{[?$](\w+)\}")


def _fill(template: str, messages: list[str]) -> str | None:
    """``template`` filled as pySHACL fills it, from the message shacl-rust made of it."""
    names = _VAR.findall(template)
    if not names:
        return template if template in messages else None
    pieces = _VAR.split(template)  # text, var, text, var, ..., text
    pattern = "".join(
        re.escape(p) if i % 2 == 0 else f"(?P<v{i}>.*?)" for i, p in enumerate(pieces)
    )
    for message in messages:
        match = re.fullmatch(pattern, message, re.S)
        if match:
            return "".join(
                p if i % 2 == 0 else _plain(match.group(f"v{i}")) for i, p in enumerate(pieces)
            )
    return None


def _plain(text: str) -> str:
    """What pySHACL writes for a term that shacl-rust wrote in N-Triples: a literal's text,
    an IRI as it is, a blank node's id."""
    term = _from_nt(text) if text[:1] in '"<_' else None
    return str(term) if term is not None else text


@functools.lru_cache(maxsize=4096)
def _from_nt(text: str | None):
    """An rdflib term from its N-Triples form (None for None or what does not parse)."""
    if not text:
        return None
    from rdflib import XSD, Literal
    from rdflib.util import from_n3

    try:
        with _quiet_rdflib():
            term = from_n3(text)
    except Exception:
        return None
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))  # a plain string, as rdflib's parsers give it
    return term


_NT_IRI = re.compile(r"<([^<>\s]*)>")


def _nt_path(text: str | None) -> str | None:
    """shacl-rust's SPARQL-like path text with names: ``(ag:a|ag:b)``, ``^ag:c``."""
    if not text:
        return None
    text = _NT_IRI.sub(lambda m: _curie(m.group(1)), text)
    return re.sub(r"\s*([|/])\s*", r"\1", text).strip()


class _GraphView:
    """Labels and owners of nodes in an rdflib graph."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def label(self, term) -> str | None:
        return _label(self.graph, term)

    def owner(self, term):
        """(subject, predicate) of a triple whose object is ``term``, or None."""
        return next(iter(self.graph.subject_predicates(term)), None)


class _StoreView:
    """Labels and owners of nodes in a pyoxigraph store, as rdflib terms."""

    def __init__(self, store):
        import pyoxigraph as ox

        self.store = store
        self.ox = ox
        self._label = ox.NamedNode(RDFS_LABEL)

    def _to_ox(self, term):
        from rdflib import BNode, URIRef

        if isinstance(term, URIRef):
            return self.ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return self.ox.BlankNode(str(term))
        return None

    def label(self, term) -> str | None:
        node = self._to_ox(term)
        if node is None:
            return None
        labels = [
            q.object
            for q in self.store.quads_for_pattern(node, self._label, None, self.ox.DefaultGraph())
            if isinstance(q.object, self.ox.Literal)
        ]
        if not labels:
            return None
        labels.sort(key=lambda lit: (lit.language not in ("en", None), lit.value))
        return labels[0].value

    def owner(self, term):
        from rdflib import BNode, URIRef

        node = self._to_ox(term)
        if node is None:
            return None
        for q in self.store.quads_for_pattern(None, None, node, self.ox.DefaultGraph()):
            s = q.subject
            subject = URIRef(s.value) if isinstance(s, self.ox.NamedNode) else BNode(s.value)
            return subject, URIRef(q.predicate.value)
        return None


def to_rdflib_term(term):
    """A pyoxigraph term as an rdflib term (plain strings stay plain)."""
    import pyoxigraph as ox
    from rdflib import XSD, BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype is None or term.datatype.value == str(XSD.string):
        return Literal(term.value)
    with _quiet_rdflib():
        return Literal(term.value, datatype=URIRef(term.datatype.value))


@contextmanager
def _quiet_rdflib():
    """rdflib logs a traceback for every ill-typed literal it builds ("1999-05" typed
    xsd:date); the datatype rules report those, so the log says nothing new."""
    import logging

    logger = logging.getLogger("rdflib.term")
    disabled = logger.disabled
    logger.disabled = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.disabled = disabled


# --- naming results -------------------------------------------------------------------


class _Sh:
    def __getattr__(self, name):
        from rdflib import URIRef

        return URIRef(SH + name)


class _Names:
    """Readable names for nodes, rules, paths and values in a report."""

    def __init__(self, shapes: Graph, index: _FileIndex | None = None):
        self.shapes = shapes
        self.index = index
        self._iri = re.compile(r"<?(https?://[^\s,;()<>\"]+)>?")

    def result(self, raw: _Raw) -> ValidationResult:
        from rdflib import URIRef

        if raw.rule is not None:
            rule = raw.rule
        elif isinstance(raw.constraint, URIRef):
            rule = self.node(raw.constraint)
        else:
            rule = self.rule(raw.shape, raw.path)
        where = self.where(raw.focus, raw.data)
        return ValidationResult(
            focus=self.node(raw.focus),
            focus_label=self.label(raw.focus, raw.data),
            rule=rule,
            severity=raw.severity,
            message=self.shorten(raw.message) or self.default_message(raw.component),
            path=self.shorten(raw.path) if raw.path else None,
            value=self.term(raw.value),
            shape=self.rule(raw.shape, raw.path) if raw.shape is not None else None,
            component=self.node(raw.component) if raw.component is not None else None,
            file=where[0] if where else None,
            line=where[1] if where else None,
        )

    def node(self, term) -> str:
        from rdflib import BNode, Literal

        if term is None:
            return ""
        if isinstance(term, BNode):
            return f"_:{term}"
        if isinstance(term, Literal):  # a literal focus node (sh:targetObjectsOf, sh:targetNode)
            return self.term(term)
        return _curie(str(term))

    def term(self, term) -> str | None:
        from rdflib import BNode, Literal

        if term is None:
            return None
        if isinstance(term, Literal):  # as Turtle writes it: 36.8, "44.4", "2002"^^xsd:gYear
            with warnings.catch_warnings():  # rdflib warns on ill-typed numbers
                warnings.simplefilter("ignore")
                return term._literal_n3(use_plain=True, qname_callback=_qname)
        if isinstance(term, BNode):
            return f"_:{term}"
        return _curie(str(term))

    def path(self, path) -> str | None:
        """A SHACL path of the shapes graph in SPARQL syntax."""
        if path is None:
            return None
        return _sparql_path(self.shapes, path)

    def rule(self, shape, path: str | None = None) -> str:
        """A shape's name; an unnamed property shape is named by its node shape and path."""
        from rdflib import BNode, URIRef

        if shape is None:
            return ""
        if not isinstance(shape, BNode):
            return self.node(shape)
        parent = next(iter(self.shapes.subjects(URIRef(SH + "property"), shape)), None)
        own = self.path(self.shapes.value(shape, URIRef(SH + "path"))) or path
        own = self.shorten(own) if own else None
        if parent is not None and not isinstance(parent, BNode):
            return f"{self.node(parent)}/{own or 'shape'}"
        return f"shape on {own or self.node(shape)}"

    def label(self, term, data) -> str | None:
        from rdflib import BNode, URIRef

        if term is None:
            return None
        label = data.label(term)
        if label is not None or not isinstance(term, BNode):
            return label
        # A blank node (a citation) is named by what it belongs to.
        owned = data.owner(term)
        if owned is None:
            return None
        owner, prop = owned
        what = (
            "citation" if prop == URIRef(REPORT_PREFIXES["ag"] + "citation") else _curie(str(prop))
        )
        owner_label = data.label(owner)
        owner_name = self.node(owner)
        return (
            f"{what} of {owner_label} ({owner_name})" if owner_label else f"{what} of {owner_name}"
        )

    def where(self, term, data) -> tuple[str, int] | None:
        """File and line where ``term`` is written (a blank node: where its owner is)."""
        from rdflib import BNode, URIRef

        if self.index is None:
            return None
        for _ in range(5):  # a blank node inside a blank node: climb to a named owner
            if not isinstance(term, BNode):
                break
            owned = data.owner(term)
            term = owned[0] if owned else None
        return self.index.where(str(term)) if isinstance(term, URIRef) else None

    def shorten(self, text: str) -> str:
        return self._iri.sub(lambda m: _curie(m.group(1)), text)

    @staticmethod
    def default_message(component) -> str:
        name = str(component).rpartition("#")[2] if component is not None else "a rule"
        return f"breaks {name}"


def _qname(iri) -> str | None:
    name = _curie(str(iri))
    return None if name.startswith("<") else name


def rule_catalogue(shapes: Graph) -> list[Rule]:
    """Every rule the shapes can report, named as results name them, with its severity."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDFS

    sh = _Sh()
    names = _Names(shapes)
    targets = [sh.targetClass, sh.targetNode, sh.targetSubjectsOf, sh.targetObjectsOf, sh.target]
    node_level = [
        URIRef(SH + p)
        for p in (
            "or",
            "and",
            "not",
            "xone",
            "node",
            "class",
            "datatype",
            "closed",
            "in",
            "nodeKind",
        )
    ]

    def text(node, *props) -> str:
        for prop in props:
            values = sorted(
                (v for v in shapes.objects(node, prop) if isinstance(v, Literal)),
                key=lambda v: (v.language not in ("en", None), str(v)),
            )
            if values:
                return " ".join(str(values[0]).split())
        return ""

    def severity(node, default="Violation") -> str:
        value = shapes.value(node, sh.severity)
        return str(value).rpartition("#")[2] if value is not None else default

    rules: dict[str, Rule] = {}

    def add(rule_id, node, kind, sev):
        if rule_id in rules:
            return
        title = text(node, RDFS.label, sh.message) or rule_id
        description = text(node, RDFS.comment, sh.message, RDFS.label) or title
        rules[rule_id] = Rule(rule_id, sev, title, description, kind)

    for shape in sorted({s for t in targets for s in shapes.subjects(t, None)}, key=str):
        if shapes.value(shape, sh.path) is not None:
            add(names.rule(shape), shape, "shape", severity(shape))
            continue
        if any(shapes.value(shape, p) is not None for p in node_level):
            add(names.rule(shape), shape, "shape", severity(shape))
        for prop in sorted(shapes.objects(shape, sh.property), key=str):
            add(names.rule(prop), prop, "shape", severity(prop))
        for constraint in sorted(shapes.objects(shape, sh.sparql), key=str):
            rule_id = names.rule(shape) if isinstance(constraint, BNode) else names.node(constraint)
            add(rule_id, constraint, "sparql", severity(shape))
    return sorted(rules.values(), key=lambda r: r.id)


def _sparql_path(graph: Graph, path, depth: int = 0) -> str:
    """SHACL's path syntax (sequences, alternatives, inverse, repeats) written as SPARQL."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection

    if isinstance(path, URIRef):
        return _curie(str(path))
    if not isinstance(path, BNode) or depth > 10:
        return str(path)

    def inner(node):
        return _sparql_path(graph, node, depth + 1)

    sh = _Sh()
    if (graph.value(path, sh.alternativePath)) is not None:
        members = Collection(graph, graph.value(path, sh.alternativePath))
        return "(" + "|".join(inner(m) for m in members) + ")"
    if (graph.value(path, sh.inversePath)) is not None:
        return "^" + inner(graph.value(path, sh.inversePath))
    for name, mark in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        if (graph.value(path, getattr(sh, name))) is not None:
            return "(" + inner(graph.value(path, getattr(sh, name))) + ")" + mark
    return "/".join(inner(m) for m in Collection(graph, path))


def _curie(iri: str) -> str:
    for prefix, namespace in REPORT_PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-:]*", local) and not local.endswith("."):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def _label(graph: Graph, term) -> str | None:
    from rdflib import Literal, URIRef

    labels = [o for o in graph.objects(term, URIRef(RDFS_LABEL)) if isinstance(o, Literal)]
    if not labels:
        return None
    labels.sort(key=lambda lit: (lit.language not in ("en", None), str(lit)))
    return str(labels[0])


def _count_shapes(shapes: Graph) -> int:
    """Shapes with a target of their own: the rules that select nodes to check."""
    from rdflib import URIRef

    targets = [
        URIRef(SH + t)
        for t in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
    ]
    return len({s for t in targets for s in shapes.subjects(t, None)})


# --- where a node is written ----------------------------------------------------------

_PREFIX_LINE = re.compile(r"^\s*@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I)
_BASE_LINE = re.compile(r"^\s*@?base\s+<([^>]*)>", re.I)
_SUBJECT = re.compile(r"^([ \t]*)(<[^<>\s]*>|[A-Za-z][\w.-]*:[^\s;,()\[\]\"]*|:[^\s;,()\[\]\"]*)")


class _FileIndex:
    """Where each subject is first written, over all data files, read in one pass each.

    A subject written at the start of a line wins over a name at the start of an
    indented line (an object continued on a new line); one pass per file, so that
    locating thousands of results in a large file stays cheap.
    """

    def __init__(self, files: list[Path]):
        self.files = [Path(f) for f in files]
        self._index: dict[str, tuple[str, int]] | None = None
        self._indented: dict[str, tuple[str, int]] = {}

    def where(self, iri: str) -> tuple[str, int] | None:
        if self._index is None:
            self._index = {}
            for path in self.files:
                self._read(path)
        return self._index.get(iri) or self._indented.get(iri)

    def _read(self, path: Path) -> None:
        from urllib.parse import urljoin

        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return
        base = path.resolve().as_uri()
        prefixes: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line or line[0] == "#":
                continue
            declared = _PREFIX_LINE.match(line)
            if declared:
                prefixes[declared.group(1) or ""] = urljoin(base, declared.group(2))
                continue
            based = _BASE_LINE.match(line)
            if based:
                base = urljoin(base, based.group(1))
                continue
            match = _SUBJECT.match(line)
            if not match:
                continue
            name = match.group(2)
            if name.startswith("<"):
                iri = urljoin(base, name[1:-1])
            else:
                prefix, _, local = name.partition(":")
                if prefix not in prefixes:
                    continue
                iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local.rstrip("."))
            target = self._indented if match.group(1) else self._index
            target.setdefault(iri, (str(path), number))
