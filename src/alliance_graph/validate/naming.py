"""Readable names in a report: nodes and values as prefixed names or Turtle, rules named
after their shapes, SHACL paths in SPARQL syntax, labels, and the catalogue of every rule the
shapes can report."""

from __future__ import annotations

import re
import warnings
from typing import TYPE_CHECKING

from .results import RawResult, Rule, ValidationResult
from .vocabulary import REPORT_PREFIXES, SH, SHACL, curie

if TYPE_CHECKING:
    from rdflib import Graph

    from .locations import FileIndex


class Names:
    """Readable names for nodes, rules, paths and values in a report."""

    def __init__(self, shapes: Graph, index: FileIndex | None = None):
        self.shapes = shapes
        self.index = index
        self._iri = re.compile(r"<?(https?://[^\s,;()<>\"]+)>?")

    def result(self, raw: RawResult) -> ValidationResult:
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
        return curie(str(term))

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
        return curie(str(term))

    def path(self, path) -> str | None:
        """A SHACL path of the shapes graph in SPARQL syntax."""
        if path is None:
            return None
        return sparql_path(self.shapes, path)

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
            "citation" if prop == URIRef(REPORT_PREFIXES["ag"] + "citation") else curie(str(prop))
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
        return self._iri.sub(lambda m: curie(m.group(1)), text)

    @staticmethod
    def default_message(component) -> str:
        name = str(component).rpartition("#")[2] if component is not None else "a rule"
        return f"breaks {name}"


def _qname(iri) -> str | None:
    name = curie(str(iri))
    return None if name.startswith("<") else name


def rule_catalogue(shapes: Graph) -> list[Rule]:
    """Every rule the shapes can report, named as results name them, with its severity."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDFS

    sh = SHACL
    names = Names(shapes)
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


def sparql_path(graph: Graph, path, depth: int = 0) -> str:
    """SHACL's path syntax (sequences, alternatives, inverse, repeats) written as SPARQL."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection

    if isinstance(path, URIRef):
        return curie(str(path))
    if not isinstance(path, BNode) or depth > 10:
        return str(path)

    def inner(node):
        return sparql_path(graph, node, depth + 1)

    sh = SHACL
    if (graph.value(path, sh.alternativePath)) is not None:
        members = Collection(graph, graph.value(path, sh.alternativePath))
        return "(" + "|".join(inner(m) for m in members) + ")"
    if (graph.value(path, sh.inversePath)) is not None:
        return "^" + inner(graph.value(path, sh.inversePath))
    for name, mark in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        if (graph.value(path, getattr(sh, name))) is not None:
            return "(" + inner(graph.value(path, getattr(sh, name))) + ")" + mark
    return "/".join(inner(m) for m in Collection(graph, path))


def count_shapes(shapes: Graph) -> int:
    """Shapes with a target of their own: the rules that select nodes to check."""
    from rdflib import URIRef

    targets = [
        URIRef(SH + t)
        for t in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
    ]
    return len({s for t in targets for s in shapes.subjects(t, None)})
