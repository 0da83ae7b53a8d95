"""rdflib <-> pyoxigraph term conversion, for the modules that hold both kinds of term.

pyoxigraph and rdflib are imported inside the functions, so importing this costs nothing.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager


def to_rdflib_term(term):
    """A pyoxigraph term as an rdflib term (plain strings stay plain; a literal keeps its
    text: rdflib does not rewrite it from its value)."""
    import pyoxigraph as ox
    from rdflib import XSD, BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype is None or term.datatype.value == str(XSD.string):
        return Literal(term.value)
    with quiet_rdflib():
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def to_oxigraph_term(term):
    """An rdflib term as a pyoxigraph term."""
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


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
