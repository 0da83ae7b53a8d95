"""Parameters of saved queries: typed, checked, and bound as RDF terms.

Values are never spliced into query text: each becomes an RDF term (IRIs through the one
name resolver, dates through the one date grammar) written in N-Triples form into one
``VALUES`` row (:func:`values_block`), placed at the start of the outermost WHERE group and
of every inner group marked ``#@bind`` (:func:`bound_text`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from ..errors import ParameterError, UnknownEntityError
from ..names import DATA
from ..namespaces import PREFIXES, XSD
from ..temporal import DateSpan, parse_date

_XSD_DATE = ox.NamedNode(XSD + "date")
# type -> (what a value looks like, grlc's variable suffix)
PARAM_TYPES = {
    "date": ("a date: YYYY, YYYY-MM or YYYY-MM-DD", "_xsd_date"),
    "iri": ("an IRI, a prefixed name (res:Renault) or a local name (Renault)", "_iri"),
    "string": ("text", ""),
    "integer": ("a whole number", "_integer"),
    "decimal": ("a decimal number", "_xsd_decimal"),
    "boolean": ("true or false", "_xsd_boolean"),
}
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_LOCAL_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_CURIE_RE = re.compile(r"^([A-Za-z][\w-]*):(.*)$")
# ASCII digits only, and nothing after (``\d`` and ``$`` take ٢٠ and "20\n").
_INT_RE = re.compile(r"^[+-]?[0-9]+\Z")
_DEC_RE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a saved query."""

    name: str
    type: str
    description: str = ""
    default: Any = None
    enum: tuple = ()
    optional: bool = False  # may be left out, and then matches anything
    namespace: str = "res"  # for iri parameters: where a bare local name points
    # For iri parameters: the class (an ontology local name: Agent, Person...) a name
    # must name, subclasses included. "Beta Corp" then means the company, not a brand
    # of that name, and a place given for a company is an error, not an empty answer.
    kind: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None and not self.optional

    @property
    def variable(self) -> str:
        """The query variable (grlc naming: ``_`` always bound, ``__`` maybe unbound:
        optional, or with a default that grlc does not apply, so the SPARQL does)."""
        lead = "__" if self.optional or self.default is not None else "_"
        return f"{lead}{self.name}{PARAM_TYPES[self.type][1]}"

    @property
    def expects(self) -> str:
        what = PARAM_TYPES[self.type][0]
        if self.enum:
            what += ", one of " + ", ".join(str(v) for v in self.enum)
        return what

    def _fail(self, value, why: str = "") -> ParameterError:
        got = f" (got {value!r}{': ' + why if why else ''})"
        return ParameterError(f"parameter {self.name!r} expects {self.type}: {self.expects}{got}")

    def term(self, value) -> ox.NamedNode | ox.Literal:
        """The RDF term for ``value``; raises :class:`ParameterError` naming the
        parameter and its expected type."""
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise self._fail(value, "not valid UTF-8 text") from None
        t = self.type
        if t == "iri":
            term = self._iri(value)
        elif t == "date":
            term = ox.Literal(self.span(value).earliest.isoformat(), datatype=_XSD_DATE)
        elif t == "integer":
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise self._fail(value)
            text = str(value).strip()
            if not _INT_RE.match(text):
                raise self._fail(value)
            term = ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
        elif t == "decimal":
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
                raise self._fail(value)
            text = str(value).strip()
            if not _DEC_RE.match(text):
                raise self._fail(value)
            try:
                text = format(Decimal(text), "f")
            except InvalidOperation:
                raise self._fail(value) from None
            term = ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))
        elif t == "boolean":
            if isinstance(value, bool):
                flag = value
            elif isinstance(value, str) and value.strip().lower() in ("true", "1", "yes"):
                flag = True
            elif isinstance(value, str) and value.strip().lower() in ("false", "0", "no"):
                flag = False
            else:
                raise self._fail(value)
            term = ox.Literal("true" if flag else "false", datatype=ox.NamedNode(XSD + "boolean"))
        else:  # string
            if not isinstance(value, str):
                raise self._fail(value)
            term = ox.Literal(value)
        if self.enum and not any(self._same(term, allowed) for allowed in self.enum):
            raise self._fail(value, "not an allowed value")
        return term

    def span(self, value) -> DateSpan:
        """A date parameter's value as the span of days it stands for (one grammar with
        ``--at``: :func:`alliance_graph.temporal.parse_date`)."""
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
            raise self._fail(value)
        if isinstance(value, dt.date):
            return DateSpan(value, value, "day")
        try:
            return parse_date(value)
        except ValueError as exc:
            raise self._fail(value, str(exc)) from None

    @property
    def last_variable(self) -> str:
        """For a date parameter: the variable that holds the span's last day. It is not a
        grlc parameter (no leading underscore): grlc leaves it unbound, and the queries
        read ``COALESCE(?dateLast, ?_date_xsd_date)``, so a day date means the same there."""
        return f"{self.name}Last"

    def bindings(self, value, names=None) -> dict[str, ox.NamedNode | ox.Literal]:
        """The variables this parameter binds for ``value``; IRI parameters resolve
        names through ``names`` (an :class:`alliance_graph.names.Names`) when given."""
        if self.type == "iri" and names is not None:
            term = self._resolved(value, names)
        else:
            term = self.term(value)
        out = {self.variable: term}
        if self.type == "date":
            out[self.last_variable] = ox.Literal(
                self.span(value).latest.isoformat(), datatype=_XSD_DATE
            )
        return out

    def _resolved(self, value, names) -> ox.NamedNode:
        if not isinstance(value, str) or not value.strip():
            raise self._fail(value)
        # A bare name of a resource is looked for in the whole data (any namespace but
        # the vocabularies', names.DATA); one of another namespace (ag: for kinds of
        # things) in that namespace.
        namespace = DATA if self.namespace == "res" else PREFIXES[self.namespace]
        kinds = [self.kind] if self.kind else None
        what = _words(self.kind) if self.kind else "entity"
        try:
            iri = names.resolve(value, namespace=namespace, kinds=kinds, what=what)
        except UnknownEntityError as exc:
            raise ParameterError(f"parameter {self.name!r}: {exc}") from None
        term = ox.NamedNode(iri)
        if self.enum and not any(self._same(term, allowed) for allowed in self.enum):
            raise self._fail(value, "not an allowed value")
        return term

    def _same(self, term, allowed) -> bool:
        try:
            other = Parameter(self.name, self.type, namespace=self.namespace).term(allowed)
        except ParameterError:
            return False
        return other == term

    def _iri(self, value) -> ox.NamedNode:
        if not isinstance(value, str) or not value.strip():
            raise self._fail(value)
        text = value.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        else:
            m = _CURIE_RE.match(text)
            if m and m.group(1) in PREFIXES:
                text = PREFIXES[m.group(1)] + m.group(2)
            elif not m:
                if not _LOCAL_RE.match(text):
                    raise self._fail(value, "not an IRI, prefixed name or local name")
                text = PREFIXES[self.namespace] + text
        try:
            return ox.NamedNode(text)
        except ValueError as exc:
            raise self._fail(value, str(exc)) from None


def _words(kind: str) -> str:
    # "PurchasingOrganisation" -> "purchasing organisation", for messages.
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind).lower()


def sparql_term(term) -> str:
    """The SPARQL (N-Triples) form of a pyoxigraph term: quotes, backslashes and line
    breaks escaped, IRIs already validated."""
    return str(term)


def values_block(bindings: Mapping[str, Any]) -> str:
    """One-row ``VALUES`` clause binding variable names to pyoxigraph terms."""
    names = " ".join(f"?{v}" for v in bindings)
    terms = " ".join(sparql_term(t) for t in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def bound_text(text: str, bindings: Mapping[str, Any], offsets: Iterable[int]) -> str:
    """``text`` with the one ``VALUES`` row of ``bindings`` inserted at each of ``offsets``
    (the outermost WHERE group's start, and the ``#@bind`` marks of inner groups: a
    subquery is evaluated on its own, so a row outside it does not reach it)."""
    if not bindings:
        return text
    block = "\n  " + values_block(bindings) + "\n"
    out, last = [], 0
    for at in sorted(set(offsets)):
        out += [text[last:at], block]
        last = at
    return "".join(out) + text[last:]


# ---------------------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------------------
