"""Plain values for tools that take only str, int, float and bool."""

from __future__ import annotations

from rdflib import XSD, Literal, URIRef

from ..temporal import AG

_INTEGER_TYPES = {
    XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger,
    XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
    XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort,
}  # fmt: skip
_FLOAT_TYPES = {XSD.decimal, XSD.double, XSD.float}


def local_name(iri) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def plain_value(term):
    """A plain Python value for an RDF term: str, int, float or bool."""
    if isinstance(term, Literal):
        if term.datatype in _FLOAT_TYPES:
            return float(term)
        if term.datatype in _INTEGER_TYPES:
            return int(term)
        if term.datatype == XSD.boolean:
            return str(term).strip().lower() in ("true", "1")
        return str(term)
    if isinstance(term, URIRef) and str(term).startswith(str(AG)):
        return local_name(term)  # controlled individuals: EconomicInterest, PreferredRank
    return str(term)


def text(value) -> str:
    """A value as text: booleans as ``true``/``false``, floats without loss."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def scalar(items: list):
    """One value for a list: the value itself, or its items joined with '; ' (in the
    list's order, which the builder made stable)."""
    if len(items) == 1:
        return items[0]
    return "; ".join(text(v) for v in items)
