"""A literal written as in Turtle, for the values of a report: numbers and booleans bare
(``36.8``, ``true``), other datatypes by prefixed name (``"2002"^^xsd:gYear``).

Reports have always written values as rdflib's Turtle writer does (its shorthand form):
this gives the very same text from a pyoxigraph literal, so the report's names need no
rdflib. ``tests/test_literals.py`` compares the two on literals of every kind.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal

XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = XSD + "string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INTEGER, _DECIMAL = XSD + "integer", XSD + "decimal"
_DOUBLE, _BOOLEAN = XSD + "double", XSD + "boolean"
_INF_NAN = (XSD + "float", _DOUBLE, _DECIMAL)
# Values that can be written bare, and how a lexical form is read as one (a form that
# cannot be read is written quoted, with its datatype).
_READ: dict[str, Callable[[str], object]] = {
    _INTEGER: int,
    _DECIMAL: Decimal,
    _DOUBLE: float,
    _BOOLEAN: str.lower,
}


def turtle_literal(
    lexical: str, datatype: str | None, language: str | None, name: Callable[[str], str | None]
) -> str:
    """The Turtle text of a literal; ``name`` gives a datatype's prefixed name (or None)."""
    if language:
        datatype = None
    elif datatype in (_STRING, _LANG_STRING):
        datatype = None
    if datatype == XSD + "normalizedString" or datatype == XSD + "token":
        lexical = lexical.replace("\t", " ").replace("\n", " ").replace("\r", " ")
        if datatype == XSD + "token":
            lexical = re.sub(" +", " ", lexical.strip())
    if datatype in _READ:
        bare = _bare(lexical, datatype)
        if bare is not None:
            return bare
    encoded = _quoted(lexical)
    if language:
        return f"{encoded}@{language}"
    if datatype is None:
        return encoded
    if datatype in _INF_NAN:
        try:
            number = float(lexical)
            if math.isinf(number):
                encoded = encoded.replace("inf", "INF").replace("Infinity", "INF")
            if math.isnan(number):
                encoded = encoded.replace("nan", "NaN")
        except ValueError:
            pass
    return f"{encoded}^^{name(datatype) or f'<{datatype}>'}"


def _bare(lexical: str, datatype: str) -> str | None:
    try:
        _READ[datatype](lexical)
    except Exception:  # not a value of its datatype: written quoted
        return None
    if datatype in _INF_NAN:
        try:
            number = float(lexical)
        except ValueError:
            return None
        if math.isinf(number) or math.isnan(number):
            return None
    if datatype == _DOUBLE:
        return re.sub(r"\.?0*e", "e", f"{float(lexical):e}")
    if datatype == _DECIMAL:
        if "." not in lexical and "e" not in lexical and "E" not in lexical:
            return lexical + ".0"
        return lexical
    if datatype == _BOOLEAN:
        return lexical.lower()
    return lexical


def _quoted(text: str) -> str:
    if "\n" in text:
        encoded = text.replace("\\", "\\\\")
        if '"""' in text:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + '\\"'
        return '"""' + encoded.replace("\r", "\\r") + '"""'
    escaped = text.replace("\n", "\\n").replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "\\r") + '"'
