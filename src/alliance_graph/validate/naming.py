"""Readable names in a report: nodes and values as prefixed names or Turtle, rules named
after their shapes, SHACL paths in SPARQL syntax, labels, and the catalogue of every rule the
shapes can report."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .literals import turtle_literal
from .results import RawResult, Rule, ValidationResult
from .shapes_graph import ShapesGraph
from .vocabulary import REPORT_PREFIXES, SH, SHACL, curie

if TYPE_CHECKING:
    from .locations import FileIndex

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_CITATION = ox.NamedNode(REPORT_PREFIXES["ag"] + "citation")


class Names:
    """Readable names for nodes, rules, paths and values in a report (pyoxigraph terms)."""

    def __init__(self, shapes: ShapesGraph, index: FileIndex | None = None):
        self.shapes = ShapesGraph.of(shapes)
        self.index = index
        self._iri = re.compile(r"<?(https?://[^\s,;()<>\"]+)>?")

    def result(self, raw: RawResult) -> ValidationResult:
        if raw.rule is not None:
            rule = raw.rule
        elif isinstance(raw.constraint, ox.NamedNode):
            rule = self.node(raw.constraint)
        else:
            rule = self.rule(raw.shape, raw.path)
        places = self.places(raw.focus, raw.data, raw.path, raw.value)
        where = places[0] if places else None
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
            also=tuple(f"{file}:{line}" for file, line in places[1:]),
        )

    def node(self, term) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        if isinstance(term, ox.Literal):  # a literal focus node (sh:targetObjectsOf, sh:targetNode)
            return self.term(term)
        return curie(term.value)

    def term(self, term) -> str | None:
        if term is None:
            return None
        if isinstance(term, ox.Literal):  # as Turtle writes it: 36.8, "44.4", "2002"^^xsd:gYear
            datatype = term.datatype.value if term.datatype is not None else None
            return turtle_literal(term.value, datatype, term.language, _qname)
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return curie(term.value)

    def path(self, path) -> str | None:
        """A SHACL path of the shapes graph in SPARQL syntax."""
        if path is None:
            return None
        return sparql_path(self.shapes, path)

    def rule(self, shape, path: str | None = None) -> str:
        """A shape's name; an unnamed property shape is named by its node shape and path."""
        if shape is None:
            return ""
        if not isinstance(shape, ox.BlankNode):
            return self.node(shape)
        parent = next(iter(self.shapes.subjects(SHACL.property, shape)), None)
        own = self.path(self.shapes.value(shape, SHACL.path)) or path
        own = self.shorten(own) if own else None
        if parent is not None and not isinstance(parent, ox.BlankNode):
            return f"{self.node(parent)}/{own or 'shape'}"
        return f"shape on {own or self.node(shape)}"

    def label(self, term, data) -> str | None:
        if term is None:
            return None
        label = data.label(term)
        if label is not None or not isinstance(term, ox.BlankNode):
            return label
        # A blank node (a citation) is named by what it belongs to.
        owned = data.owner(term)
        if owned is None:
            return None
        owner, prop = owned
        what = "citation" if prop == _CITATION else curie(prop.value)
        owner_label = data.label(owner)
        owner_name = self.node(owner)
        return (
            f"{what} of {owner_label} ({owner_name})" if owner_label else f"{what} of {owner_name}"
        )

    def places(self, term, data, path: str | None = None, value=None) -> list[tuple[str, int]]:
        """File and line where ``term`` is written (a blank node: where its owner is); each
        place that writes the property of ``path`` when it is one property, those that hold
        the literal ``value`` first."""
        if self.index is None:
            return []
        text = value.value if isinstance(value, ox.Literal) and value.value else None
        prop = _one_property(path)
        for _ in range(5):  # a blank node inside a blank node: climb to a named owner
            if not isinstance(term, ox.BlankNode):
                break
            owned = data.owner(term)
            term, prop = (owned[0], owned[1].value) if owned else (None, None)
        if not isinstance(term, ox.NamedNode):
            return []
        return self.index.places(term.value, prop, text)

    def shorten(self, text: str) -> str:
        return self._iri.sub(lambda m: curie(m.group(1)), text)

    @staticmethod
    def default_message(component) -> str:
        name = component.value.rpartition("#")[2] if component is not None else "a rule"
        return f"breaks {name}"


def _one_property(path: str | None) -> str | None:
    """The IRI of a path that is one property (``rdfs:label``, ``<http://...>``), else None."""
    if not path:
        return None
    if path.startswith("<") and path.endswith(">") and " " not in path:
        return path[1:-1]
    if re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", path):  # a check's ?property, as it comes
        return path
    prefix, colon, local = path.partition(":")
    if colon and prefix in REPORT_PREFIXES and re.fullmatch(r"[\w.-]+", local):
        return REPORT_PREFIXES[prefix] + local
    return None


def _qname(iri: str) -> str | None:
    name = curie(iri)
    return None if name.startswith("<") else name


def rule_catalogue(shapes) -> list[Rule]:
    """Every rule the shapes can report, named as results name them, with its severity
    (``shapes``: a :class:`ShapesGraph`, or an rdflib graph)."""
    shapes = ShapesGraph.of(shapes)
    sh = SHACL
    names = Names(shapes)
    targets = [sh.targetClass, sh.targetNode, sh.targetSubjectsOf, sh.targetObjectsOf, sh.target]
    node_level = [
        ox.NamedNode(SH + p)
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
    label, comment = ox.NamedNode(RDFS + "label"), ox.NamedNode(RDFS + "comment")

    def text(node, *props) -> str:
        for prop in props:
            values = sorted(
                (v for v in shapes.objects(node, prop) if isinstance(v, ox.Literal)),
                key=lambda v: (v.language not in ("en", None), v.value),
            )
            if values:
                return " ".join(values[0].value.split())
        return ""

    def severity(node, default="Violation") -> str:
        value = shapes.value(node, sh.severity)
        return value.value.rpartition("#")[2] if value is not None else default

    rules: dict[str, Rule] = {}

    def add(rule_id, node, kind, sev):
        if rule_id in rules:
            return
        title = text(node, label, sh.message) or rule_id
        description = text(node, comment, sh.message, label) or title
        rules[rule_id] = Rule(rule_id, sev, title, description, kind)

    for shape in sorted({s for t in targets for s in shapes.subjects(t)}, key=_text):
        if shapes.value(shape, sh.path) is not None:
            add(names.rule(shape), shape, "shape", severity(shape))
            continue
        if any(shapes.value(shape, p) is not None for p in node_level):
            add(names.rule(shape), shape, "shape", severity(shape))
        for prop in sorted(shapes.objects(shape, sh.property), key=_text):
            add(names.rule(prop), prop, "shape", severity(prop))
        for constraint in sorted(shapes.objects(shape, sh.sparql), key=_text):
            if isinstance(constraint, ox.BlankNode):
                rule_id = names.rule(shape)
            else:
                rule_id = names.node(constraint)
            add(rule_id, constraint, "sparql", severity(shape))
    return sorted(rules.values(), key=lambda r: r.id)


def _text(term) -> str:
    """What rdflib's str() gives for a term (the lexical form, the IRI, the id): the
    order rules and constraints have always been taken in."""
    return term.value


def sparql_path(graph, path, depth: int = 0) -> str:
    """SHACL's path syntax (sequences, alternatives, inverse, repeats) written as SPARQL
    (``graph``: a :class:`ShapesGraph`)."""
    if isinstance(path, ox.NamedNode):
        return curie(path.value)
    if not isinstance(path, ox.BlankNode) or depth > 10:
        return path.value if hasattr(path, "value") else str(path)

    def inner(node):
        return sparql_path(graph, node, depth + 1)

    sh = SHACL
    if (graph.value(path, sh.alternativePath)) is not None:
        members = graph.items(graph.value(path, sh.alternativePath))
        return "(" + "|".join(inner(m) for m in members) + ")"
    if (graph.value(path, sh.inversePath)) is not None:
        return "^" + inner(graph.value(path, sh.inversePath))
    for name, mark in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        if (graph.value(path, getattr(sh, name))) is not None:
            return "(" + inner(graph.value(path, getattr(sh, name))) + ")" + mark
    return "/".join(inner(m) for m in graph.items(path))


def count_shapes(shapes) -> int:
    """Shapes with a target of their own: the rules that select nodes to check."""
    shapes = ShapesGraph.of(shapes)
    sh = SHACL
    targets = [sh.targetClass, sh.targetNode, sh.targetSubjectsOf, sh.targetObjectsOf, sh.target]
    return len({s for t in targets for s in shapes.subjects(t)})
