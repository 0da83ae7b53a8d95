"""Naming the entities of an ownership index: the one resolver of :mod:`alliance_graph.names`
over the holders, held companies and intermediaries the index knows."""

from __future__ import annotations

from .names import Entry, Names


def names_of(holdings) -> Names:
    """The :class:`Names` of an ownership index, built once per index."""
    names = getattr(holdings, "_name_index", None)
    if not isinstance(names, Names):
        names = Names(
            Entry(
                e,
                holdings.label(e),
                list(holdings.alt_labels.get(e, [])),
                [holdings.kinds.get(e, "Agent")],
            )
            for e in holdings.entities
        )
        holdings._name_index = names
    return names


def resolve(holdings, name: str) -> str:
    """The IRI of the one entity of ``holdings`` that ``name`` names (see
    :meth:`alliance_graph.names.Names.resolve`). A full IRI of one of its entities is
    what the resolver answers first: then the index (every name of every entity, seconds
    at a million triples) is not built."""
    if isinstance(name, str):
        text = name.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        if text.startswith(("http:", "https:")) and text in holdings.entities:
            return text
    return names_of(holdings).resolve(name)
