"""What the SPARQL in a user's shapes may do: read the data graph, and nothing else.

A shapes file given with ``--shapes`` is untrusted input. Its SPARQL (constraints,
SHACL-AF targets, rules and validators) is checked before any engine runs, by the same
parser-based check as the ``sparql`` command (:mod:`alliance_graph.queries.safety`): an
update, ``SERVICE`` or ``FROM`` is refused, naming the file and the node, since pyoxigraph
and rdflib would otherwise call the service themselves. The shipped shapes are ours and
are not re-checked on every run (the check parses with rdflib's grammar, which
``validate`` otherwise never imports).
"""

from __future__ import annotations

from pathlib import Path

from .results import ShapesError
from .shapes_graph import ShapesGraph
from .sparql_constraints import prefix_lines
from .vocabulary import SHACL, curie

_QUERIES = ("select", "ask", "construct", "update")


def refuse_unsafe_sparql(files: list[Path], shapes: ShapesGraph) -> None:
    """Raise :class:`ShapesError` if the SPARQL of a shape in ``files`` could reach the
    network or change data. ``shapes`` is every shape that runs (for prefixes declared
    in another file)."""
    from ..errors import NetworkRefusedError, QueryError, ReadOnlyError
    from ..queries.safety import check

    for path in files:
        own = ShapesGraph.read([path])
        for name in _QUERIES:
            for node in own.subjects(getattr(SHACL, name)):
                for body in own.objects(node, getattr(SHACL, name)):
                    text = prefix_lines(shapes, node) + prefix_lines(own, node) + body.value
                    where = f"{path}: the sh:{name} of {_name(node, own)}"
                    try:
                        check(text)
                    except (NetworkRefusedError, ReadOnlyError) as exc:
                        raise ShapesError(
                            f"{where}: {str(exc).split(';')[0]}; validation reads the data "
                            "graph only"
                        ) from None
                    except QueryError as exc:
                        raise ShapesError(f"{where}: {exc}") from None


def _name(node, graph: ShapesGraph, depth: int = 0) -> str:
    """A node by its IRI; a blank node by what holds it (``the sh:sparql of ex:S``)."""
    import pyoxigraph as ox

    if not isinstance(node, ox.BlankNode):
        return curie(node.value)
    for triple in graph:
        if triple.object == node and depth < 5:
            owner = _name(triple.subject, graph, depth + 1)
            return f"the {curie(triple.predicate.value)} of {owner}"
    return "a blank node"


# The properties by which one shape names another (SHACL Core).
_SHAPE_LINKS = ("node", "property", "not", "qualifiedValueShape")
_SHAPE_LISTS = ("and", "or", "xone")


def recursion(shapes: ShapesGraph) -> list | None:
    """A cycle of shapes that refer to themselves through sh:node, sh:property, sh:not,
    sh:qualifiedValueShape or the lists of sh:and/sh:or/sh:xone, as a list of shapes
    (first repeated last), or None. SHACL leaves the validation of recursive shapes
    undefined, and shacl-rust recurses on them until the process dies."""
    import pyoxigraph as ox

    first = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")
    rest = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest")

    def members(head) -> list:
        out, seen = [], set()
        while isinstance(head, ox.BlankNode | ox.NamedNode) and head not in seen:
            seen.add(head)
            out += shapes.objects(head, first)
            head = next(iter(shapes.objects(head, rest)), None)
        return out

    def linked(shape) -> list:
        out = []
        for name in _SHAPE_LINKS:
            out += shapes.objects(shape, getattr(SHACL, name))
        for name in _SHAPE_LISTS:
            for head in shapes.objects(shape, getattr(SHACL, name)):
                out += members(head)
        return [s for s in out if not isinstance(s, ox.Literal)]

    state: dict = {}  # shape -> 1 on the path, 2 done
    starts = sorted({t.subject for t in shapes if not isinstance(t.subject, ox.Triple)},
                    key=lambda n: n.value)  # fmt: skip
    for start in starts:
        if state.get(start):
            continue
        path, stack = [start], [iter(linked(start))]
        state[start] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(step) == 1:
                return path[path.index(step) :] + [step]
            elif not state.get(step):
                state[step] = 1
                path.append(step)
                stack.append(iter(linked(step)))
    return None


def refuse_recursion(shapes: ShapesGraph) -> None:
    """Raise :class:`ShapesError` naming the cycle if the shapes refer to themselves."""
    cycle = recursion(shapes)
    if cycle:
        shown = " -> ".join(_name(node, shapes) for node in cycle)
        raise ShapesError(
            f"the shapes are recursive ({shown}): SHACL leaves their validation undefined "
            "and the default engine cannot run them; --engine pyshacl reads them its own way"
        )
