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
