"""The web face's names: the project's one resolver (:mod:`alliance_graph.names`).

The search box, the suggestions and the explorer's company resolve through the same
:class:`~alliance_graph.names.Names` as the CLI and the saved queries' parameters, built
from the graph the server answers from (its store, or a remote endpoint).
"""

from __future__ import annotations

from .. import entities
from .. import names as resolver


def directory(run_sparql) -> resolver.Names:
    """The index of the graph that ``run_sparql(text)`` answers from."""
    labels = run_sparql(resolver.NAMES_QUERY)
    classes = run_sparql(resolver.SUBCLASS_QUERY)
    return resolver.from_triples(
        ((r["s"].value, r["p"].value, r["o"]) for r in labels.solutions),
        ((r["s"].value, r["o"].value) for r in classes.solutions),
    )


def resolve(names, name: str) -> str:
    """The IRI ``name`` names, in a :class:`Names` or an ownership index;
    :class:`alliance_graph.errors.UnknownEntityError` lists candidates otherwise."""
    if isinstance(names, resolver.Names):
        return names.resolve(name)
    return entities.resolve(names, name)


def search(names: resolver.Names, text: str | None, *, namespace: str | None = None):
    return names.search(text, namespace=namespace)
