"""What a query answered: the one result model of every engine and endpoint.

A :class:`Result` holds RDF terms (pyoxigraph's) and gives plain-Python rows, the W3C
SPARQL JSON form and graph serialisations; the faces only render it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..errors import UsageError
from ..namespaces import PREFIXES, XSD

# ---------------------------------------------------------------------------------------

_INTEGER_TYPES = {
    XSD + t
    for t in (
        "integer long int short byte nonNegativeInteger positiveInteger nonPositiveInteger "
        "negativeInteger unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
}
_FLOAT_TYPES = {XSD + "decimal", XSD + "double", XSD + "float"}


def compact(iri: str) -> str:
    """``res:Renault`` for ``https://w3id.org/alliance-graph/resource/Renault``; other
    IRIs unchanged."""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and re.match(r"^[\w.-]*$", iri[len(base) :]):
            return f"{prefix}:{iri[len(base) :]}"
    return iri


def to_python(term, *, compact_iris: bool = False) -> Any:
    """A plain Python value for an RDF term: IRIs and strings as str, numbers as int or
    float, booleans as bool, other literals (dates too) as their lexical form.
    ``compact_iris`` writes IRIs with the project's prefixes (for tables)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return compact(term.value) if compact_iris else term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        lex, dtype = term.value, term.datatype.value
        try:
            if dtype in _INTEGER_TYPES:
                return int(lex)
            if dtype in _FLOAT_TYPES:
                return float(lex)
        except ValueError:
            return lex
        if dtype == XSD + "boolean":
            return lex.strip() in ("true", "1")
        return lex
    return str(term)


def canonical_decimal(lex: str) -> str:
    """The canonical form of an xsd:decimal (XSD 1.1): ``15`` for ``15.0``, ``0.5`` for
    ``00.50``; a lexical form that is no decimal unchanged."""
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(lex.strip())
    except InvalidOperation:
        return lex
    if not value.is_finite():
        return lex
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def sorted_lists(result: Result, lists: dict[str, str]) -> Result:
    """``result`` with the items of its list columns (``{variable: separator}``, see
    :attr:`SavedQuery.lists`) in sorted order: GROUP_CONCAT has none, and engines differ."""
    if not lists or result.form != "SELECT":
        return result

    def tidy(term):
        if not isinstance(term, ox.Literal) or not term.value:
            return term
        sep = lists_in[var]
        text = sep.join(sorted(term.value.split(sep)))
        if term.language:
            return ox.Literal(text, language=term.language)
        return ox.Literal(text, datatype=term.datatype)

    lists_in = {v: s for v, s in lists.items() if v in result.variables and s}
    solutions = []
    for s in result.solutions:
        row = dict(s)
        for var in lists_in:
            row[var] = tidy(row.get(var))
        solutions.append(row)
    result.solutions = solutions
    return result


def json_term(term) -> dict | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.datatype.value == XSD + "decimal":
        out["value"] = canonical_decimal(term.value)
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdf-xml": ox.RdfFormat.RDF_XML,
}

# The W3C result formats of SELECT and ASK (sparql-json is :meth:`Result.to_sparql_json`).
RESULT_FORMATS = ("sparql-json", "sparql-xml", "sparql-csv", "sparql-tsv")
_SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


@dataclass
class Result:
    """What a query answered, as RDF terms (pyoxigraph) with plain-Python views.

    ``rows`` holds one dict per solution (SELECT), one per triple (CONSTRUCT, DESCRIBE:
    subject, predicate, object) or one ``{"answer": bool}`` (ASK).
    """

    form: str
    variables: list[str] = field(default_factory=list)
    solutions: list[dict] = field(default_factory=list)  # variable -> term, SELECT
    triples: list = field(default_factory=list)  # pyoxigraph Triples, CONSTRUCT/DESCRIBE
    boolean: bool | None = None  # ASK
    truncated: bool = False
    limit: int | None = None

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def columns(self) -> list[str]:
        if self.is_graph:
            return ["subject", "predicate", "object"]
        if self.form == "ASK":
            return ["answer"]
        return list(self.variables)

    @property
    def rows(self) -> list[dict]:
        """One dict of plain Python values per result (see :func:`to_python`)."""
        return self.to_rows()

    def to_rows(self, *, compact_iris: bool = False) -> list[dict]:
        """:attr:`rows`, with IRIs shortened to ``res:...`` when ``compact_iris``."""

        def py(term):
            return to_python(term, compact_iris=compact_iris)

        if self.is_graph:
            return [
                {"subject": py(t.subject), "predicate": py(t.predicate), "object": py(t.object)}
                for t in self.triples
            ]
        if self.form == "ASK":
            return [{"answer": self.boolean}]
        return [{v: py(s.get(v)) for v in self.variables} for s in self.solutions]

    def __len__(self) -> int:
        return len(self.triples) if self.is_graph else len(self.solutions)

    def to_sparql_json(self) -> dict:
        """The W3C SPARQL 1.1 Query Results JSON form (SELECT and ASK)."""
        if self.form == "ASK":
            return {"head": {}, "boolean": bool(self.boolean)}
        if self.is_graph:
            raise UsageError(
                "sparql-json holds SELECT and ASK results; "
                "use turtle, ntriples or json-ld for a graph"
            )
        bindings = [
            {v: json_term(t) for v, t in s.items() if t is not None} for s in self.solutions
        ]
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    def _rows_only(self, fmt: str) -> None:
        if self.is_graph:
            raise UsageError(
                f"{fmt} holds SELECT and ASK results; use turtle, ntriples, json-ld or "
                "rdf-xml for a graph"
            )

    def to_sparql_xml(self) -> str:
        """The W3C SPARQL Query Results XML form (SELECT and ASK)."""
        from xml.sax.saxutils import escape, quoteattr

        self._rows_only("sparql-xml")
        out = ['<?xml version="1.0"?>', f'<sparql xmlns="{_SPARQL_RESULTS_NS}">', "<head>"]
        if self.form == "ASK":
            out += ["</head>", f"<boolean>{'true' if self.boolean else 'false'}</boolean>"]
            return "\n".join(out + ["</sparql>"]) + "\n"
        out += [f"<variable name={quoteattr(v)}/>" for v in self.variables]
        out += ["</head>", "<results>"]
        for s in self.solutions:
            out.append("<result>")
            for v, t in s.items():
                if t is None:
                    continue
                if isinstance(t, ox.NamedNode):
                    value = f"<uri>{escape(t.value)}</uri>"
                elif isinstance(t, ox.BlankNode):
                    value = f"<bnode>{escape(t.value)}</bnode>"
                elif t.language:
                    value = f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
                elif t.datatype.value != XSD + "string":
                    value = (
                        f"<literal datatype={quoteattr(t.datatype.value)}>"
                        f"{escape(t.value)}</literal>"
                    )
                else:
                    value = f"<literal>{escape(t.value)}</literal>"
                out.append(f"<binding name={quoteattr(v)}>{value}</binding>")
            out.append("</result>")
        return "\n".join(out + ["</results>", "</sparql>"]) + "\n"

    def to_sparql_csv(self) -> str:
        """The W3C SPARQL 1.1 Query Results CSV form: values as plain strings."""
        import csv
        import io

        self._rows_only("sparql-csv")
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        if self.form == "ASK":
            writer.writerow(["_askResult"])
            writer.writerow(["true" if self.boolean else "false"])
            return buf.getvalue()
        writer.writerow(self.variables)
        for s in self.solutions:
            row = []
            for v in self.variables:
                t = s.get(v)
                row.append("" if t is None else ("_:" + t.value if isinstance(t, ox.BlankNode)
                                                  else t.value))  # fmt: skip
            writer.writerow(row)
        return buf.getvalue()

    def to_sparql_tsv(self) -> str:
        """The W3C SPARQL 1.1 Query Results TSV form: values as RDF terms."""
        self._rows_only("sparql-tsv")
        if self.form == "ASK":
            return "?_askResult\n" + ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        for s in self.solutions:
            lines.append("\t".join("" if s.get(v) is None else str(s[v]) for v in self.variables))
        return "\n".join(lines) + "\n"

    def serialize(self, fmt: str = "turtle") -> str:
        """A CONSTRUCT or DESCRIBE result as Turtle, N-Triples, JSON-LD or RDF/XML."""
        if not self.is_graph:
            raise UsageError(
                f"{fmt} output needs a CONSTRUCT or DESCRIBE query; this is a {self.form}"
            )
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"unknown graph format {fmt!r}; choose {', '.join(GRAPH_FORMATS)}")
        prefixes = PREFIXES if fmt == "turtle" else None
        data = ox.serialize(self.triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes)
        return data.decode("utf-8")
