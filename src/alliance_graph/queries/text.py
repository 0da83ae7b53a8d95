"""Just enough lexing of SPARQL text for what the catalogue needs of its own ``.rq`` files:
the query form, the outermost WHERE group and the ``#@bind`` marks of inner groups (where
parameters are bound). What a query
may *do* is never decided here but from the parsed query (:mod:`.safety`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..errors import QueryError

_TOKEN_RE = re.compile(
    "|".join(
        [
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\n\r]*)",
            r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'
            r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
            r'|"(?:[^"\\\n\r]|\\.)*"'
            r"|'(?:[^'\\\n\r]|\\.)*')",
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            r"(?P<var>[?$]\w+)",
            # ASCII starts keep the compile cheap; a keyword glued to a non-ASCII letter
            # is then still seen as a keyword, which only errs towards refusing.
            r"(?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w:%.-]|\\[_~.\-!$&'()*+,;=/?#@%])*)",
            r"(?P<word>[A-Za-z_]\w*)",
            r"(?P<other>.)",
        ]
    ),
    re.S,
)
QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


class Token(NamedTuple):
    kind: str  # ws and comment are dropped; string, iri, var, pname, word or other
    text: str
    start: int
    end: int


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[Token, ...]:
    # Cached: a query is checked several times (read-only, form, network, WHERE) per run.
    return tuple(
        Token(m.lastgroup, m.group(), m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if m.lastgroup not in ("ws", "comment")
    )


def tokenize(text: str) -> list[Token]:
    """The tokens of a SPARQL text, without white space and comments."""
    return list(_tokens(text))


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the form of a SPARQL query text."""
    for tok in _tokens(text):
        if tok.kind != "word":
            continue
        word = tok.text.upper()
        if word in ("BASE", "PREFIX"):
            continue
        if word in QUERY_FORMS:
            return word
        break
    raise QueryError("not a SPARQL query: expected SELECT, CONSTRUCT, ASK or DESCRIBE")


def where_offset(text: str) -> int | None:
    """Offset just after the ``{`` that opens the outermost WHERE group, or None."""
    depth = 0
    toks = _tokens(text)
    for i, tok in enumerate(toks):
        if tok.kind == "other" and tok.text == "{":
            depth += 1
        elif tok.kind == "other" and tok.text == "}":
            depth -= 1
        elif depth == 0 and tok.kind == "word" and tok.text.upper() == "WHERE":
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and nxt.text == "{":
                return nxt.end
            return None
    return None


BIND_MARK = "#@bind"


def bind_marks(text: str) -> list[tuple[int, int]]:
    """The ``#@bind`` comments of a query text, as (offset just after the comment, line).

    Each marks an inner group (a subquery) where the parameters are bound as well as at the
    outermost WHERE (a subquery is evaluated on its own: the outer VALUES row does not
    reach it). Only a comment that is exactly the mark counts; one inside a string is not
    a comment."""
    return [
        (m.end(), text.count("\n", 0, m.start()) + 1)
        for m in _TOKEN_RE.finditer(text)
        if m.lastgroup == "comment" and m.group().strip() == BIND_MARK
    ]


def opens_group(text: str, offset: int) -> bool:
    """Whether the last token before ``offset`` (comments and white space aside) is the
    ``{`` that opens a group."""
    before = [t for t in _tokens(text) if t.end <= offset]
    return bool(before) and before[-1].kind == "other" and before[-1].text == "{"


# ---------------------------------------------------------------------------------------
# Parameters: typed, checked, bound as RDF terms
# ---------------------------------------------------------------------------------------
