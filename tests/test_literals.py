"""Report values are written from pyoxigraph literals as rdflib's Turtle writer writes them.

Reports named values with rdflib (its shorthand Turtle form: ``36.8``, ``true``,
``"2002"^^xsd:gYear``) before validate read everything in pyoxigraph terms; the text must
not change. rdflib's own writer is the reference here, literal by literal, on forms of
every kind: well formed, ill formed, special numbers, quotes and line breaks.
"""

from __future__ import annotations

import warnings

import pytest
from rdflib import Literal, URIRef

from alliance_graph.validate.literals import turtle_literal
from alliance_graph.validate.naming import Names
from alliance_graph.validate.shapes_graph import ShapesGraph
from alliance_graph.validate.vocabulary import curie

XSD = "http://www.w3.org/2001/XMLSchema#"

LEXICAL = {
    "integer": ["12", "-7", "+5", "007", "1_000", " 8", "12.5", "abc", ""],
    "decimal": ["15.0", "15", "-0.50", ".5", "1e3", "NaN", "Infinity", "-inf", "x1", "3,5"],
    "double": ["1.5E2", "0.1", "1e400", "INF", "-INF", "NaN", "2", "1.0e-7", "e"],
    "float": ["1.5", "INF", "nan", "x"],
    "boolean": ["true", "false", "1", "0", "TRUE", "maybe"],
    "date": ["2019-04-08", "1999-05", "2005-04-30Z"],
    "gYear": ["2002", "20x9"],
    "string": ["plain", 'say "hi"'],
    "normalizedString": ["a\tb\nc"],
    "token": ["  a   b  "],
}
TEXTS = [
    "plain",
    'a "quoted" word',
    "back\\slash",
    "two\nlines",
    'ends with a quote"\nand more"',
    'line\nending "',
    'triple """ quotes\nhere',
    "carriage\rreturn",
    "",
]


def _qname(iri: str) -> str | None:
    name = curie(iri)
    return None if name.startswith("<") else name


def _rdflib_text(lexical, datatype=None, language=None) -> str:
    if datatype == XSD + "string":
        datatype = None  # a plain literal, as the loader gives rdflib such a literal
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        literal = Literal(
            lexical,
            datatype=URIRef(datatype) if datatype else None,
            lang=language,
            normalize=False,
        )
        return literal._literal_n3(use_plain=True, qname_callback=_qname)


@pytest.mark.parametrize("kind, lexical", [(k, v) for k, values in LEXICAL.items() for v in values])
def test_typed_literals_are_written_as_rdflib_writes_them(kind, lexical):
    datatype = XSD + kind
    assert turtle_literal(lexical, datatype, None, _qname) == _rdflib_text(lexical, datatype)


@pytest.mark.parametrize("text", TEXTS)
def test_strings_are_quoted_and_escaped_as_rdflib_does(text):
    assert turtle_literal(text, None, None, _qname) == _rdflib_text(text)
    assert turtle_literal(text, None, "en", _qname) == _rdflib_text(text, language="en")
    other = "http://example.org/datatype"  # no prefix for it: written in full
    assert turtle_literal(text, other, None, _qname) == _rdflib_text(text, other)


def test_values_are_named_from_pyoxigraph_terms():
    import pyoxigraph as ox

    names = Names(ShapesGraph())
    percent = ox.Literal("36.80", datatype=ox.NamedNode(XSD + "decimal"))
    year = ox.Literal("2002", datatype=ox.NamedNode(XSD + "gYear"))
    assert names.term(percent) == "36.80"
    assert names.term(year) == '"2002"^^xsd:gYear'
    assert names.term(ox.Literal("Renault", language="en")) == '"Renault"@en'
    assert names.term(ox.Literal("44.4")) == '"44.4"'
    assert names.term(ox.NamedNode("https://w3id.org/alliance-graph/resource/Renault")) == (
        "res:Renault"
    )
    assert names.term(ox.BlankNode("b1")) == "_:b1"
