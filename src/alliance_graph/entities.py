"""Naming entities: by label, alternative label or IRI, case-insensitively."""

from __future__ import annotations

import difflib

from .errors import UnknownEntityError
from .graph import PREFIXES


def _key(text: str) -> str:
    # Case, spacing and the dots and commas of "Co., Ltd." do not matter.
    return " ".join(text.replace(".", " ").replace(",", " ").split()).casefold()


def _names(holdings, iri: str) -> list[str]:
    names = [iri, holdings.label(iri), *holdings.alt_labels.get(iri, [])]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            names += [f"{prefix}:{iri[len(ns) :]}", iri[len(ns) :]]
    return names


def _index(holdings) -> dict[str, set[str]]:
    """Every name of every entity (normalised) -> the entities it names; built once."""
    index = getattr(holdings, "_name_index", None)
    if index is None:
        index = {}
        for e in holdings.entities:
            for n in _names(holdings, e):
                index.setdefault(_key(n), set()).add(e)
        holdings._name_index = index
    return index


def _describe(holdings, iri: str) -> str:
    return f"{holdings.label(iri)} <{iri}>"


def resolve(holdings, name: str) -> str:
    """The IRI of the one entity that ``name`` names.

    Raises :class:`UnknownEntityError` listing the candidates when the name matches
    several entities, or none (then listing the closest names).
    """
    if not isinstance(name, str) or not name.strip():
        raise UnknownEntityError("an entity name must not be empty")
    if name in holdings.entities:
        return name
    wanted = _key(name)
    by_name = _index(holdings)
    matches = sorted(by_name.get(wanted, ()))
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = "; ".join(_describe(holdings, e) for e in matches)
        raise UnknownEntityError(
            f"{name!r} names {len(matches)} entities: {listed}. Use a full label or the IRI."
        )
    # close names: those containing the text, then similar spellings (IRIs aside)
    names = sorted(k for k in by_name if not k.startswith(("http:", "https:")))
    close = [k for k in names if wanted in k]
    close += difflib.get_close_matches(wanted, names, n=5, cutoff=0.6)
    suggestions = []
    for k in close:
        for e in sorted(by_name[k]):
            if e not in suggestions:
                suggestions.append(e)
    hint = (
        " Did you mean: " + "; ".join(_describe(holdings, e) for e in suggestions[:8]) + "?"
        if suggestions
        else f" The data names {len(holdings.entities)} entities; none is close."
    )
    raise UnknownEntityError(f"no entity is named {name!r}.{hint}")
