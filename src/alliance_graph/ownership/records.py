"""The record of one pair's integrated ownership, as `ownership integrated` writes it,
built here for the three ways of computing it (one pair, every pair streamed, the light
path). Entities are named by the label every face shows them by and by their IRI, the
key that tells two entities of one label apart and joins a record with the saved
queries' rows (which carry IRIs)."""

from __future__ import annotations

from .holdings import Holdings


def integrated(
    h: Holdings,
    holder: str,
    held: str | None,
    at: str,
    direct: float | None,
    percent: float,
    certain: bool,
    definition: str,
    approximate: bool,
) -> dict:
    """The record; ``percent`` is the integrated figure as a percent (snapshot.pct);
    ``approximate``: some walk to ``held`` crosses a stake the sources give as "about"."""
    return {
        "holder": h.label(holder),
        "held": None if held is None else h.label(held),
        "at": at,
        "direct_percent": direct,
        "integrated_percent": percent,
        "certain": certain,
        "definition": definition,
        "approximate": approximate,
        "holder_iri": holder,
        "held_iri": held,
    }
