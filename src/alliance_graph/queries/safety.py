"""What a query would do, decided from the parsed query, never from keywords.

A text is parsed by rdflib's SPARQL 1.1 grammar (a real parser: strings, IRIs, comments,
escapes as the grammar has them) and its parse tree is walked for the operations the
query commands refuse: SPARQL Update (always), ``SERVICE`` and ``FROM``/``FROM NAMED``
(in process, unless the network is allowed). A text the parser cannot read is refused as
well: what cannot be checked does not run.

Two readings of codepoint escapes are checked, because engines differ: pyoxigraph reads
``\\uXXXX`` only inside strings and IRIs (its view is checked with every escape masked
by a plain letter, which keeps the token structure); Jena and rdflib expand every
unescaped ``\\uXXXX`` before parsing (checked on the expanded text). A query passes only
when every view that parses shows nothing refused, and the engine's own view parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import NetworkRefusedError, QueryError, ReadOnlyError

_FORMS = {
    "SelectQuery": "SELECT",
    "ConstructQuery": "CONSTRUCT",
    "AskQuery": "ASK",
    "DescribeQuery": "DESCRIBE",
}
# A backslash pair as pyoxigraph's lexer reads it: a codepoint escape, or any other pair.
_PAIR = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_EXPAND = re.compile(r"(?<!\\)((?:\\\\)*)\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")


@dataclass(frozen=True)
class Analysis:
    """What one view of a query text does."""

    form: str | None  # SELECT, CONSTRUCT, ASK, DESCRIBE; None for an update
    update: bool
    service: bool
    dataset: bool  # FROM or FROM NAMED


def masked(text: str) -> str:
    """``text`` with every codepoint escape replaced by a letter (pyoxigraph's view)."""
    return _PAIR.sub(lambda m: "u" if m.group()[1] in "uU" else m.group(), text)


def expanded(text: str) -> str:
    """``text`` with every unescaped codepoint escape expanded (Jena's and rdflib's)."""

    def char(m):
        try:
            return m.group(1) + chr(int(m.group(2) or m.group(3), 16))
        except (ValueError, OverflowError):
            raise QueryError(f"invalid codepoint escape {m.group()!r}") from None

    return _EXPAND.sub(char, text)


def _walk(node, found: set[str]) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.add(item.name)
            if item.name in _FORMS and "datasetClause" in item.keys():
                found.add("DatasetClause")
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))
        elif isinstance(item, dict):
            stack.extend(item.values())


@lru_cache(maxsize=512)
def analyse_view(text: str) -> Analysis | str:
    """The :class:`Analysis` of one view, or the parser's message when it does not parse."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import Query, UpdateUnit

    try:
        tree = Query.parse_string(text, parse_all=True)
    except ParseBaseException as exc:
        try:
            UpdateUnit.parse_string(text, parse_all=True)
        except ParseBaseException:
            return f"{exc.msg} at line {exc.lineno}, column {exc.col}"
        except RecursionError:
            return "nested too deeply to check"
        return Analysis(None, True, False, False)
    except RecursionError:
        return "nested too deeply to check"
    found: set[str] = set()
    _walk(tree, found)
    form = next((_FORMS[n] for n in _FORMS if n in found), None)
    return Analysis(form, False, "ServiceGraphPattern" in found, "DatasetClause" in found)


def _views(text: str, engine: str) -> list[tuple[str, Analysis | str]]:
    try:
        jena = expanded(text)
    except QueryError as exc:
        jena = None
        jena_view: Analysis | str = str(exc)
    if jena is not None:
        jena_view = analyse_view(jena)
    own = ("rdflib", jena_view) if engine == "rdflib" else ("oxigraph", analyse_view(masked(text)))
    other = ("expanded", jena_view) if engine != "rdflib" else None
    return [own] + ([other] if other else [])


def check(text: str, *, engine: str = "oxigraph", allow_network: bool = False) -> str:
    """The query form of ``text``, after refusing what it must not do.

    Raises :class:`ReadOnlyError` for an update, :class:`NetworkRefusedError` for
    ``SERVICE``/``FROM`` unless ``allow_network``, and :class:`QueryError` when the text
    does not parse as SPARQL for ``engine``'s reading.
    """
    views = _views(text, engine)
    own = views[0][1]
    parsed = [v for _, v in views if isinstance(v, Analysis)]
    if any(v.update for v in parsed):
        raise ReadOnlyError(
            "refused: this is a SPARQL Update (it would change data); the query commands "
            "are read-only"
        )
    if isinstance(own, str):
        _refuse_if_update_words(text)
        raise QueryError(f"not valid SPARQL (checked before running): {own}")
    if not allow_network:
        what = []
        if any(v.service for v in parsed):
            what.append("SERVICE")
        if any(v.dataset for v in parsed):
            what.append("FROM")
        if what:
            raise NetworkRefusedError(
                f"refused: the query uses {' and '.join(what)}, which would reach other "
                "graphs or services; run it on an endpoint, or pass --allow-network "
                "(allow_network=True) to permit it in process"
            )
    return own.form or "SELECT"


_UPDATE_WORDS = frozenset("INSERT DELETE LOAD CLEAR DROP CREATE ADD MOVE COPY WITH USING".split())


def _refuse_if_update_words(text: str) -> None:
    # Only for the message: a text that does not parse is refused either way.
    from .text import tokenize

    words = sorted({t.text.upper() for t in tokenize(text) if t.kind == "word"} & _UPDATE_WORDS)
    if words:
        raise ReadOnlyError(
            f"refused: the text does not parse as a query and holds {', '.join(words)}, "
            "SPARQL Update keywords; the query commands are read-only"
        )


def check_read_only(text: str) -> None:
    """Raise :class:`ReadOnlyError` if ``text`` is a SPARQL Update in any view (or, when
    no view parses, holds an Update keyword)."""
    views = [v for _, v in _views(text, "oxigraph")]
    if not any(isinstance(v, Analysis) for v in views):
        _refuse_if_update_words(text)
    for view in views:
        if isinstance(view, Analysis) and view.update:
            raise ReadOnlyError(
                "refused: this is a SPARQL Update (it would change data); the query "
                "commands are read-only"
            )


def check_no_network(text: str, engine: str = "oxigraph") -> None:
    """Raise unless ``text`` parses and uses neither ``SERVICE`` nor ``FROM``."""
    check(text, engine=engine, allow_network=False)
