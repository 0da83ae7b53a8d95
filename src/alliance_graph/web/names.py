"""The one place the web face names entities: an adapter over the project's resolver.

Every name the web face resolves itself (the search box, the explorer's company) comes
through :func:`resolve`, so that moving to another resolver (``alliance_graph.names``)
changes one line here. The ownership analyses and the saved queries' parameters resolve
names inside the library, as they do for the CLI.
"""

from __future__ import annotations

from .. import entities as resolver  # the one line to change for alliance_graph.names
from ..ownership import Holdings


def directory(labels: dict[str, str], alt_labels: dict[str, list[str]], kinds: dict[str, str]):
    """What the resolver reads: every named resource with its labels and kind."""
    return Holdings([], dict(labels), dict(alt_labels), dict(kinds), set(labels))


def resolve(names, name: str) -> str:
    """The IRI ``name`` names (label, alternative label, prefixed or local name, IRI);
    :class:`alliance_graph.errors.UnknownEntityError` lists candidates otherwise."""
    return resolver.resolve(names, name)
