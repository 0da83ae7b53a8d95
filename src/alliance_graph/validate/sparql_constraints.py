"""SHACL-SPARQL constraints of node shapes and SHACL-AF SPARQL targets, answered by
Oxigraph on the pyoxigraph store (the shacl-rust engine's SPARQL half)."""

from __future__ import annotations

import re

import pyoxigraph as ox

from .results import RawResult, ShapesError
from .shapes_graph import ShapesGraph
from .vocabulary import SH, SHACL, curie

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_TYPE = ox.NamedNode(_RDF + "type")
_CLASS_TYPES = (ox.NamedNode(_RDFS + "Class"), ox.NamedNode("http://www.w3.org/2002/07/owl#Class"))


class SparqlConstraints:
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

    def __init__(self, shapes: ShapesGraph, store):
        self.shapes = shapes
        self.store = store
        sh = SHACL
        self.sh = sh
        target_kinds = {
            sh.targetNode,
            sh.targetClass,
            sh.targetSubjectsOf,
            sh.targetObjectsOf,
            sh.target,
        }
        self.handled = []
        for shape in sorted(shapes.subjects(sh.sparql), key=_text):
            if shapes.value(shape, sh.path) is not None or _true(shapes, shape, sh.deactivated):
                continue
            kinds = {
                p for p, _ in shapes.predicate_objects(shape) if p.value.startswith(SH + "target")
            }
            if not kinds <= target_kinds:
                continue
            if any(
                not shapes.has(target, _TYPE, sh.SPARQLTarget)
                for target in shapes.objects(shape, sh.target)
            ):
                continue
            self.handled.append(shape)

    def without_handled(self) -> ShapesGraph:
        """The shapes without the constraints run here (shacl-rust runs the rest)."""
        if not self.handled:
            return self.shapes
        sh = self.sh
        # A handled shape with nothing else to check is left out whole, so that shacl-rust
        # does not compute its focus nodes again (a whole-graph SPARQL target, say).
        label, comment = ox.NamedNode(_RDFS + "label"), ox.NamedNode(_RDFS + "comment")
        inert = {_TYPE, label, comment, sh.severity, sh.message, sh.sparql}
        inert |= {sh.prefixes, sh.deactivated, sh.name, sh.description, sh.target}
        inert |= {sh.targetNode, sh.targetClass, sh.targetSubjectsOf, sh.targetObjectsOf}
        handled = set(self.handled)
        dropped = {s for s in handled if set(self.shapes.predicates(s)) <= inert}
        return ShapesGraph(
            t
            for t in self.shapes
            if not (t.subject in dropped or (t.predicate == sh.sparql and t.subject in handled))
        )

    def run(self, view) -> list[RawResult]:
        raws = []
        for shape in self.handled:
            severity = self.shapes.value(shape, self.sh.severity)
            severity = severity.value.rpartition("#")[2] if severity is not None else "Violation"
            focus_nodes = self.focus_nodes(shape)
            if not focus_nodes:
                continue
            shape_messages = [m.value for m in self.shapes.objects(shape, self.sh.message)]
            for constraint in sorted(self.shapes.objects(shape, self.sh.sparql), key=_text):
                if _true(self.shapes, constraint, self.sh.deactivated):
                    continue
                raws += self.constraint(
                    shape, constraint, focus_nodes, severity, shape_messages, view
                )
        return raws

    def _prefixes(self, node) -> str:
        return prefix_lines(self.shapes, node)

    def _select(self, text: str, what: str):
        try:
            return self.store.query(text)
        except SyntaxError as exc:
            raise ShapesError(f"{what} is not valid SPARQL: {exc}") from None

    def focus_nodes(self, shape) -> list:
        sh = self.sh
        found: dict = {}

        def add(term):
            found.setdefault(term, None)

        for node in self.shapes.objects(shape, sh.targetNode):
            add(node)
        classes = list(self.shapes.objects(shape, sh.targetClass))
        if any(self.shapes.has(shape, _TYPE, c) for c in _CLASS_TYPES):
            classes.append(shape)
        rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
        sub_class = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
        for cls in classes:
            query = f"SELECT DISTINCT ?this WHERE {{ ?this {rdf_type}/{sub_class}* <{cls.value}> }}"
            for row in self._select(query, "a class target"):
                add(row["this"])
        for prop in self.shapes.objects(shape, sh.targetSubjectsOf):
            for q in self.store.quads_for_pattern(None, prop, None, ox.DefaultGraph()):
                add(q.subject)
        for prop in self.shapes.objects(shape, sh.targetObjectsOf):
            for q in self.store.quads_for_pattern(None, prop, None, ox.DefaultGraph()):
                add(q.object)
        for target in self.shapes.objects(shape, sh.target):
            text = self._prefixes(target) + _text(self.shapes.value(target, sh.select))
            for row in self._select(text, "a SPARQL target"):
                if row["this"] is not None:
                    add(row["this"])
        return list(found)

    def constraint(self, shape, constraint, focus_nodes, severity, shape_messages, view):
        sh = self.sh
        select = self.shapes.value(constraint, sh.select)
        if select is None:
            return []
        text = self._prefixes(constraint) + select.value
        messages = shape_messages + [
            m.value
            for m in self.shapes.objects(constraint, sh.message)
            if m.value not in shape_messages
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
                    RawResult(
                        focus=node,
                        severity=severity,
                        message="; ".join(filled),
                        data=view,
                        shape=shape,
                        constraint=constraint,
                        component=sh.SPARQLConstraintComponent,
                        path=curie(path.value) if isinstance(path, ox.NamedNode) else None,
                        value=value,
                    )
                )
        return raws


def _true(graph: ShapesGraph, node, prop) -> bool:
    value = graph.value(node, prop)
    return value is not None and _text(value).lower() in ("true", "1")


def _text(term) -> str:
    """What rdflib's str() gives for a term: the lexical form, the IRI, the id (the order
    the shapes have always been read in, and the text of a query or a message)."""
    return term.value if hasattr(term, "value") else str(term)


def _text_of(shapes: ShapesGraph, node, prop) -> str:
    value = shapes.value(node, prop)
    return "" if value is None else _text(value)


def prefix_lines(shapes: ShapesGraph, node) -> str:
    """The PREFIX lines of ``node``'s sh:prefixes declarations."""
    sh = SHACL
    text = ""
    for holder in shapes.objects(node, sh.prefixes):
        for declaration in shapes.objects(holder, sh.declare):
            name = shapes.value(declaration, sh.prefix)
            namespace = shapes.value(declaration, sh.namespace)
            if name is not None and namespace is not None:
                text += f"PREFIX {_text(name)}: <{_text(namespace)}>\n"
    return text


def _ox_text(term) -> str:
    """What pySHACL writes into a message for a term: str() of the rdflib term."""
    return term.value


def _fill_vars(template: str, values: dict) -> str:
    """pySHACL's message filling: each {?var} or {$var} replaced by the variable's text."""
    for name, text in values.items():
        template = re.sub("{[?$]" + re.escape(name) + "}", lambda _m, t=text: t, template)
    return template


def resolve_sparql_targets(shapes: ShapesGraph, store) -> ShapesGraph:
    """A copy of ``shapes`` whose SHACL-AF SPARQL targets are replaced by the nodes they
    select (sh:targetNode), as Oxigraph answers their queries on ``store``.

    The same set of focus nodes, so the same results; but shacl-rust evaluates some
    target queries (joins under a GROUP BY) tens of times slower than Oxigraph: 31 s
    against 2.6 s for the sums of stakes on a million triples. A target that selects a
    blank node is left to shacl-rust, since a blank node of the data cannot be named in
    the shapes graph.
    """
    sh = SHACL
    targets = [
        (shape, target)
        for shape, target in shapes.subject_objects(sh.target)
        if shapes.has(target, _TYPE, sh.SPARQLTarget) and _text_of(shapes, target, sh.select)
    ]
    if not targets:
        return shapes
    removed: set = set()
    added: list = []
    for shape, target in targets:
        prefixes = prefix_lines(shapes, target)
        try:
            answer = store.query(prefixes + _text(shapes.value(target, sh.select)))
        except SyntaxError as exc:
            raise ShapesError(f"a SPARQL target is not valid SPARQL: {exc}") from None
        nodes = [row["this"] for row in answer if row["this"] is not None]
        if any(isinstance(n, ox.BlankNode) for n in nodes):
            continue
        removed.add(ox.Triple(shape, sh.target, target))
        added += [ox.Triple(shape, sh.targetNode, node) for node in nodes]
    return ShapesGraph([t for t in shapes if t not in removed] + added)
