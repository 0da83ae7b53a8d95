"""RDF terms between rdflib and pyoxigraph, in one place.

Both libraries keep a literal's lexical form as parsed; only the rdflib side is imported
lazily, so that pyoxigraph-only commands start without rdflib.
"""

from __future__ import annotations

import pyoxigraph as ox

from .errors import AllianceGraphError
from .namespaces import XSD

_XSD_STRING = XSD + "string"


def to_rdflib(term):
    """The rdflib term for a pyoxigraph term (None stays None)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)  # rdflib keeps simple literals untyped
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise AllianceGraphError(f"RDF-star triples as terms are not supported: {term}")


def from_rdflib(term):
    """The pyoxigraph term for an rdflib term (None stays None)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise AllianceGraphError(f"unsupported RDF term {term!r}")


def text(term) -> str:
    """A term as N-Triples/Turtle writes it (``<iri>``, ``"lexical"^^<type>``, ``_:b``)."""
    return str(term)
