"""The one place the web face names entities: an adapter over the project's resolver.

Every page, form and API call that turns a name into an IRI comes through :func:`resolve`,
so that moving to another resolver (``alliance_graph.names``) changes this module only.
"""

from __future__ import annotations

from ..entities import resolve as _project_resolve
from ..ownership import Holdings


def directory(labels: dict[str, str], alt_labels: dict[str, list[str]], kinds: dict[str, str]):
    """What the resolver reads: every named resource with its labels and kind."""
    return Holdings([], dict(labels), dict(alt_labels), dict(kinds), set(labels))


def resolve(names, name: str) -> str:
    """The IRI ``name`` names (label, alternative label, prefixed or local name, IRI);
    :class:`alliance_graph.errors.UnknownEntityError` lists candidates otherwise."""
    return _project_resolve(names, name)
