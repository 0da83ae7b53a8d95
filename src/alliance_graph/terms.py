"""rdflib <-> pyoxigraph terms, in one place, for the modules that hold both kinds.

Literals keep their text both ways (rdflib is told not to rewrite a literal from its
value). pyoxigraph and rdflib are imported inside the functions, so importing this costs
nothing and pyoxigraph-only commands start without rdflib.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager

from .errors import AllianceGraphError

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib_term(term):
    """A pyoxigraph term as an rdflib term (None stays None; a simple literal stays
    untyped; a typed literal keeps its text, even an ill-formed one)."""
    import pyoxigraph as ox
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
        if term.datatype is None or term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        with quiet_rdflib():
            return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    raise AllianceGraphError(f"RDF-star quoted triples are not supported here: {term}")


def to_oxigraph_term(term):
    """An rdflib term as a pyoxigraph term (None stays None)."""
    import pyoxigraph as ox
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


# The short names the loader and the query layer use.
to_rdflib = to_rdflib_term
from_rdflib = to_oxigraph_term


@contextmanager
def quiet_rdflib():
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


def text(term) -> str:
    """A term as N-Triples/Turtle writes it (``<iri>``, ``"lexical"^^<type>``, ``_:b``)."""
    return str(term)
