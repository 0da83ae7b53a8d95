"""How a shareholding's single-valued properties are read, whatever face reads them.

The shapes allow one ``ag:holder``, ``ag:held``, ``ag:heldThrough``, figure and written
day bound per shareholding. Data that breaks this (read with ``--no-validate``, or not
validated at all) gives a face several values to choose from, and the first one a store
lists depends on the order the files were loaded in. So every face that reads claims
in Python (the ownership index, the BODS export, the property-graph exports) sets such a
claim aside with :func:`several`'s reason instead of choosing; SPARQL (the saved
queries) still sees every value. Several *dates* are not among these: the loader bounds them
by all of them (:mod:`alliance_graph.derive`), and so does every face.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# The local names in the ontology's namespace, in the order a reason names them.
SINGLE_VALUED = (
    "holder",
    "held",
    "heldThrough",
    "percent",
    "votingPercent",
    "votingCap",
    "startEarliest",
    "startLatest",
    "endEarliest",
    "endLatest",
)


def set_aside_because(values_of: Callable[[str], list]) -> str | None:
    """Why a claim is set aside, or None: ``values_of(prop)`` gives its values of
    ``ag:{prop}`` (a local name of :data:`SINGLE_VALUED`); the first property with several
    distinct values decides. One loop for every face that reads claims."""
    for prop in SINGLE_VALUED:
        values = values_of(prop)
        if len(values) > 1:
            reason = several(prop, values)
            if reason:
                return reason
    return None


def several(prop: str, values: Iterable) -> str | None:
    """Why a claim giving ``values`` for ``ag:{prop}`` is set aside, or None when it gives
    at most one distinct value. Values are IRIs or blank-node ids as text, or terms with
    a ``value`` (a pyoxigraph literal or node); numbers compare by value (27 and 27.0)."""
    shown = sorted({_shown(v) for v in values})
    if len(shown) < 2:
        return None
    return f"{len(shown)} values of ag:{prop} ({', '.join(shown)}), where the shapes allow one"


def _shown(value) -> str:
    text = value if isinstance(value, str) else value.value
    try:
        number = float(text)
    except ValueError:
        return text
    # The same figure written two ways (27, 27.0, 2.7E1) is one value.
    return f"{number:g}" if number == number else text


# A written start or end the loader derives day bounds from.
BOUNDED = {"start": "startEarliest", "end": "endEarliest"}


def unread_date(iri: str, prop: str, text: str) -> str:
    """Why a claim whose ``ag:{prop}`` is ``text`` and has no derived day bounds cannot be
    answered (a date the loader cannot read, such as one with a time zone): every face
    that reads claims in Python stops with this rather than drop the date."""
    zone = " (a date with a time zone)" if text.endswith("Z") or "+" in text[8:] else ""
    return (
        f"shareholding {iri} has ag:{prop} {text!r}{zone}, which the loader cannot read "
        "into day bounds; write YYYY, YYYY-MM or YYYY-MM-DD without a zone"
    )
