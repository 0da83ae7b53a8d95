"""shacl-rust's results read back into the terms and messages pySHACL (the reference)
gives."""

from __future__ import annotations

import functools
import re

import pyoxigraph as ox

from .results import RawResult
from .shapes_graph import ShapesGraph
from .vocabulary import SHACL, curie


class ShaclRustReader:
    """shacl-rust's result dictionaries as the reference engine would give them.

    shacl-rust names the shape but not the SPARQL constraint of a result, fills message
    templates with N-Triples terms, and adds its own generic message to a shape's
    sh:message. So: the constraint is the one of the shape whose message template
    matches; templates are filled again with what pySHACL writes for a term (a literal's
    text, an IRI); a shape's own messages replace the generic ones, as in pySHACL.
    """

    def __init__(self, shapes: ShapesGraph):
        self.shapes = shapes
        self._templates: dict = {}

    def raw(self, result: dict, view) -> RawResult:
        sh = SHACL
        shape = _from_nt(result.get("sourceShape"))
        component = _from_nt(result.get("sourceConstraintComponent"))
        found = list(result.get("messages") or [])
        constraint = None
        templates = self.messages_of(shape)
        if component == sh.SPARQLConstraintComponent:
            constraint, filled = self._sparql(shape, found)
            messages = filled
        elif templates:
            messages = [_fill(t, found) or t for t in templates]
        else:
            messages = found
        value = _from_nt(result.get("value"))
        focus = _from_nt(result.get("focusNode"))
        if value is None and constraint is not None and not self.shapes.value(shape, sh.path):
            value = focus  # pySHACL: a SPARQL rule of a node shape reports the focus node
        severity = result.get("severity") or ""
        return RawResult(
            focus=focus,
            severity=severity.strip("<>").rpartition("#")[2] or "Violation",
            message="; ".join(sorted(set(messages))),
            data=view,
            shape=shape,
            constraint=constraint if isinstance(constraint, ox.NamedNode) else None,
            component=component,
            path=_nt_path(result.get("resultPath")),
            value=value,
        )

    def messages_of(self, node) -> list[str]:
        if node not in self._templates:
            sh = SHACL
            self._templates[node] = [m.value for m in self.shapes.objects(node, sh.message)]
        return self._templates[node]

    def _sparql(self, shape, found: list[str]):
        sh = SHACL
        own = self.messages_of(shape)
        constraints = sorted(self.shapes.objects(shape, sh.sparql), key=lambda c: c.value)
        for constraint in constraints:
            templates = own + [t for t in self.messages_of(constraint) if t not in own]
            filled = [_fill(t, found) for t in templates]
            if templates and all(f is not None for f in filled):
                return constraint, filled
        # No template tells the constraints apart: the first one, and the engine's words.
        first = constraints[0] if constraints else None
        return first, found


_VAR = re.compile(r"\{[?$](\w+)\}")


def _fill(template: str, messages: list[str]) -> str | None:
    """``template`` filled as pySHACL fills it, from the message shacl-rust made of it."""
    names = _VAR.findall(template)
    if not names:
        return template if template in messages else None
    pieces = _VAR.split(template)  # text, var, text, var, ..., text
    pattern = "".join(
        re.escape(p) if i % 2 == 0 else f"(?P<v{i}>.*?)" for i, p in enumerate(pieces)
    )
    for message in messages:
        match = re.fullmatch(pattern, message, re.S)
        if match:
            return "".join(
                p if i % 2 == 0 else _plain(match.group(f"v{i}")) for i, p in enumerate(pieces)
            )
    return None


def _plain(text: str) -> str:
    """What pySHACL writes for a term that shacl-rust wrote in N-Triples: a literal's text,
    an IRI as it is, a blank node's id."""
    term = _from_nt(text) if text[:1] in '"<_' else None
    return term.value if term is not None else text


@functools.lru_cache(maxsize=4096)
def _from_nt(text: str | None):
    """A pyoxigraph term from its N-Triples form (None for None or what does not parse)."""
    if not text:
        return None
    try:
        line = f"<urn:s> <urn:p> {text} .\n".encode()
        (quad,) = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError):
        return None
    return quad.object


_NT_IRI = re.compile(r"<([^<>\s]*)>")


def _nt_path(text: str | None) -> str | None:
    """shacl-rust's SPARQL-like path text with names: ``(ag:a|ag:b)``, ``^ag:c``."""
    if not text:
        return None
    text = _NT_IRI.sub(lambda m: curie(m.group(1)), text)
    return re.sub(r"\s*([|/])\s*", r"\1", text).strip()
