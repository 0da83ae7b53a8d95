"""The pySHACL bridge: pySHACL run over rdflib graphs whose SPARQL is parsed once
(``pyshacl``) or answered by Oxigraph (``pyshacl-oxigraph``), and the W3C report graph it
gives read back as raw results."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .naming import sparql_path
from .results import RawResult, ShapesError
from .shapes_graph import ShapesGraph
from .vocabulary import SH

if TYPE_CHECKING:
    from rdflib import Graph


def pyshacl_report(data_graph: Graph, shapes_graph: Graph) -> Graph:
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
def query_graphs():
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


def raws_from_report(report: Graph, view) -> list[RawResult]:
    """A W3C SHACL validation report graph (pySHACL's) as raw results, in pyoxigraph
    terms (the blank nodes keep their ids)."""
    from rdflib import RDF, URIRef

    from ..terms import to_oxigraph_term as ox_term

    def sh(name):
        return URIRef(SH + name)

    paths = None
    raws = []
    for node in report.subjects(RDF.type, sh("ValidationResult")):
        path = report.value(node, sh("resultPath"))
        severity = report.value(node, sh("resultSeverity"))
        messages = sorted({str(m) for m in report.objects(node, sh("resultMessage"))})
        if path is not None and paths is None:
            paths = ShapesGraph.of(report)
        raws.append(
            RawResult(
                focus=ox_term(report.value(node, sh("focusNode"))),
                severity=str(severity).rpartition("#")[2] if severity else "Violation",
                message="; ".join(messages),
                data=view,
                shape=ox_term(report.value(node, sh("sourceShape"))),
                constraint=ox_term(report.value(node, sh("sourceConstraint"))),
                component=ox_term(report.value(node, sh("sourceConstraintComponent"))),
                path=sparql_path(paths, ox_term(path)) if path is not None else None,
                value=ox_term(report.value(node, sh("value"))),
            )
        )
    return raws
