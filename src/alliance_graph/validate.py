"""Checking the graph against the SHACL shapes: engines, results and the report.

:func:`validate` loads the ontology and the data once (with the day bounds and best ranks
that :func:`alliance_graph.graph.load` derives), reads the shapes, runs an engine and
returns a :class:`ValidationReport`. The engines all speak W3C SHACL: each returns a
validation report graph, which :func:`_results` reads into plain results, so that adding
an engine is one function and one entry in :data:`ENGINES`.

Engines:

- ``pyshacl``: pySHACL on rdflib's in-memory store, SPARQL by rdflib. The reference.
- ``pyshacl-oxigraph`` (the default): the same pySHACL run, SPARQL-based constraints and
  targets answered by Oxigraph on a copy of the same triples. Identical results, about
  four times faster on the shipped data (docs/validation.md).

pySHACL, rdflib's SPARQL engine and pyoxigraph are imported inside the functions that use
them, so importing this module costs nothing.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

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

SEVERITIES = ("Violation", "Warning", "Info")
DEFAULT_ENGINE = "pyshacl-oxigraph"


class ShapesError(AllianceGraphError):
    """The shapes cannot be used: not valid SHACL, or a SPARQL rule that does not run."""


@dataclass(frozen=True)
class ValidationResult:
    """One problem: which node breaks which rule, how, and where it is written."""

    focus: str  # the offending node: an IRI, or _:id for a blank node
    focus_label: str | None  # its label, or what it belongs to for a blank node
    rule: str  # the rule broken: a SPARQL constraint or a shape, as a prefixed name
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


@dataclass
class ValidationReport:
    """Whether the data conforms, and every result, in a stable order."""

    conforms: bool
    results: list[ValidationResult]
    engine: str
    data_files: list[str] = field(default_factory=list)
    shapes_files: list[str] = field(default_factory=list)
    triples: int = 0  # triples checked: ontology, data and derived ones
    shapes: int = 0  # node and property shapes with a target, the rules that run

    def counts(self) -> dict[str, int]:
        """Results per severity (always all three keys)."""
        found = Counter(r.severity for r in self.results)
        return {s: found.get(s, 0) for s in SEVERITIES}

    def rules_broken(self) -> dict[str, int]:
        return dict(sorted(Counter(r.rule for r in self.results).items()))

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "engine": self.engine,
            "data_files": self.data_files,
            "shapes_files": self.shapes_files,
            "triples": self.triples,
            "shapes": self.shapes,
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
        return (
            f"{head}: {files} ({self.triples} triples with the ontology) against "
            f"{self.shapes} shapes: {counts}"
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
    shapes: Iterable[Path | str] | None = None,
    engine: str = DEFAULT_ENGINE,
) -> ValidationReport:
    """Validate ``data`` (Turtle files; the shipped data when None) against ``shapes``.

    The ontology is always mixed in, once; ``shapes`` replaces the shipped shapes when
    given (pass ``resources.shapes_files() + [extra]`` to add to them). Raises
    :class:`~alliance_graph.errors.DataFileError` for a missing or malformed file,
    :class:`~alliance_graph.errors.UsageError` for an unknown engine and
    :class:`ShapesError` when the shapes cannot run.
    """
    from .graph import load, parse_into

    if engine not in ENGINES:
        raise UsageError(
            f"unknown validation engine {engine!r}; choose one of {', '.join(sorted(ENGINES))}"
        )
    data_files = [Path(p) for p in data] if data is not None else resources.data_files()
    shapes_files = [Path(p) for p in shapes] if shapes is not None else resources.shapes_files()
    graph = load(data_files)
    from rdflib import Graph

    shapes_graph = Graph()
    for path in shapes_files:
        parse_into(shapes_graph, path)
    report_graph = ENGINES[engine](graph, shapes_graph)
    results = _results(report_graph, graph, shapes_graph, data_files)
    return ValidationReport(
        conforms=not results,
        results=results,
        engine=engine,
        data_files=[str(p) for p in data_files],
        shapes_files=[str(p) for p in shapes_files],
        triples=len(graph),
        shapes=_count_shapes(shapes_graph),
    )


# --- engines --------------------------------------------------------------------------


def _run_pyshacl(data_graph: Graph, shapes_graph: Graph) -> Graph:
    """pySHACL over rdflib's memory store: the reference engine."""
    return _pyshacl(_query_graphs()[0].over(data_graph), shapes_graph)


def _run_pyshacl_oxigraph(data_graph: Graph, shapes_graph: Graph) -> Graph:
    """pySHACL, with its SPARQL queries answered by Oxigraph over the same triples."""
    return _pyshacl(_query_graphs()[1].over(data_graph), shapes_graph)


# name -> function(data graph, shapes graph) -> W3C SHACL validation report graph
ENGINES: dict[str, Callable[[Graph, Graph], Graph]] = {
    "pyshacl": _run_pyshacl,
    "pyshacl-oxigraph": _run_pyshacl_oxigraph,
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


# --- reading a SHACL validation report ------------------------------------------------


def _results(report: Graph, data: Graph, shapes: Graph, files: list[Path]) -> list:
    """The W3C SHACL report graph as :class:`ValidationResult`s, in a stable order."""
    from rdflib import RDF, URIRef

    sh = _Sh()
    names = _Names(data, shapes)
    results = []
    for node in report.subjects(RDF.type, sh.ValidationResult):
        focus = report.value(node, sh.focusNode)
        shape = report.value(node, sh.sourceShape)
        constraint = report.value(node, sh.sourceConstraint)
        component = report.value(node, sh.sourceConstraintComponent)
        path = report.value(node, sh.resultPath)
        value = report.value(node, sh.value)
        severity = report.value(node, sh.resultSeverity)
        messages = sorted({str(m) for m in report.objects(node, sh.resultMessage)})
        rule = constraint if isinstance(constraint, URIRef) else None
        results.append(
            ValidationResult(
                focus=names.node(focus),
                focus_label=names.label(focus),
                rule=names.node(rule) if rule is not None else names.rule(shape, path),
                severity=str(severity).rpartition("#")[2] if severity else "Violation",
                message=names.shorten("; ".join(messages)) or names.default_message(component),
                path=names.path(path, report),
                value=names.term(value),
                shape=names.rule(shape, path),
                component=names.node(component) if component is not None else None,
            )
        )
    results = _locate(results, data, files)
    return sorted(set(results), key=ValidationResult.sort_key)


class _Sh:
    def __getattr__(self, name):
        from rdflib import URIRef

        return URIRef(SH + name)


class _Names:
    """Readable names for nodes, rules, paths and values in a report."""

    def __init__(self, data: Graph, shapes: Graph):
        self.data = data
        self.shapes = shapes
        self._iri = re.compile(r"<?(https?://[^\s,;()<>\"]+)>?")

    def node(self, term) -> str:
        from rdflib import BNode

        if term is None:
            return ""
        if isinstance(term, BNode):
            return f"_:{term}"
        return _curie(str(term))

    def term(self, term) -> str | None:
        from rdflib import BNode, Literal

        if term is None:
            return None
        if isinstance(term, Literal):  # as Turtle writes it: 36.8, "44.4", "2002"^^xsd:gYear
            with warnings.catch_warnings():  # rdflib warns on ill-typed numbers
                warnings.simplefilter("ignore")
                return term._literal_n3(
                    use_plain=True, qname_callback=self.data.namespace_manager.normalizeUri
                )
        if isinstance(term, BNode):
            return f"_:{term}"
        return _curie(str(term))

    def path(self, path, graph=None) -> str | None:
        """A SHACL path in SPARQL syntax, read from ``graph`` (the shapes graph by default)."""
        if path is None:
            return None
        return _sparql_path(graph if graph is not None else self.shapes, path)

    def rule(self, shape, path=None) -> str:
        """A shape's name; an unnamed property shape is named by its node shape and path."""
        from rdflib import BNode, URIRef

        if shape is None:
            return ""
        if not isinstance(shape, BNode):
            return self.node(shape)
        parent = next(iter(self.shapes.subjects(URIRef(SH + "property"), shape)), None)
        own_path = self.shapes.value(shape, URIRef(SH + "path")) or path
        if parent is not None and not isinstance(parent, BNode):
            return f"{self.node(parent)}/{self.path(own_path) or 'shape'}"
        return f"shape on {self.path(own_path) or self.node(shape)}"

    def label(self, term) -> str | None:
        from rdflib import BNode, URIRef

        if term is None:
            return None
        label = _label(self.data, term)
        if label is not None or not isinstance(term, BNode):
            return label
        # A blank node (a citation) is named by what it belongs to.
        owner, prop = next(iter(self.data.subject_predicates(term)), (None, None))
        if owner is None:
            return None
        what = (
            "citation" if prop == URIRef(REPORT_PREFIXES["ag"] + "citation") else _curie(str(prop))
        )
        owner_label = _label(self.data, owner)
        owner_name = self.node(owner)
        return (
            f"{what} of {owner_label} ({owner_name})" if owner_label else f"{what} of {owner_name}"
        )

    def shorten(self, text: str) -> str:
        return self._iri.sub(lambda m: _curie(m.group(1)), text)

    @staticmethod
    def default_message(component) -> str:
        name = str(component).rpartition("#")[2] if component is not None else "a rule"
        return f"breaks {name}"


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


def _locate(results: list, data: Graph, files: list[Path]) -> list:
    """Add the file and line where each result's node is written (its subject line)."""
    if not results:
        return results
    from rdflib import BNode, URIRef

    texts = {}
    for path in files:
        try:
            texts[path] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    found: dict[str, tuple[str, int] | None] = {}
    located = []
    for r in results:
        if r.focus not in found:
            node = BNode(r.focus[2:]) if r.focus.startswith("_:") else _expand(r.focus)
            if isinstance(node, BNode):  # a blank node is written inside its owner
                node = next(iter(data.subjects(None, node)), None)
            found[r.focus] = _where(node, texts) if isinstance(node, URIRef) else None
        where = found[r.focus]
        if where is not None:
            r = ValidationResult(**{**r.to_dict(), "file": where[0], "line": where[1]})
        located.append(r)
    return located


def _expand(name: str):
    from rdflib import URIRef

    if name.startswith("<") and name.endswith(">"):
        return URIRef(name[1:-1])
    prefix, _, local = name.partition(":")
    if prefix in REPORT_PREFIXES:
        return URIRef(REPORT_PREFIXES[prefix] + local)
    return None


_PREFIX_DECL = re.compile(r"^\s*@?prefix\s+([A-Za-z0-9_.\-]*):\s*<([^>]*)>", re.M | re.I)


def _where(node, texts: dict) -> tuple[str, int] | None:
    """The first line of a file that starts with ``node`` (its subject line)."""
    iri = str(node)
    for path, text in texts.items():
        spellings = [re.escape(f"<{iri}>")]
        for prefix, namespace in _PREFIX_DECL.findall(text):
            if iri.startswith(namespace) and len(iri) > len(namespace):
                spellings.append(re.escape(f"{prefix}:{iri[len(namespace) :]}"))
        pattern = re.compile(r"^[ \t]*(?:" + "|".join(spellings) + r")(?=[\s;,.])", re.M)
        match = pattern.search(text)
        if match:
            return str(path), text.count("\n", 0, match.start()) + 1
    return None
