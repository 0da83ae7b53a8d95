"""How the ownership records name an entity: by the label every face shows it by, and by
its IRI, the key that tells two entities of one label apart and joins a record with the
saved queries' rows (which carry IRIs). One builder for the records that several
analyses write (the integrated figure of one pair)."""

from __future__ import annotations

from .holdings import Holdings


def named(h: Holdings, **roles: str | None) -> dict:
    """``{"holder": label, "held": label, ..., "holder_iri": IRI, ...}`` for the roles
    given (an IRI or None)."""
    out: dict = {role: None if iri is None else h.label(iri) for role, iri in roles.items()}
    out.update({f"{role}_iri": iri for role, iri in roles.items()})
    return out


def integrated(
    h: Holdings,
    holder: str,
    held: str | None,
    at: str,
    direct: float | None,
    value: float,
    certain: bool,
    definition: str,
) -> dict:
    """One pair's integrated ownership, as `ownership integrated` writes it."""
    from .snapshot import pct

    names = named(h, holder=holder, held=held)
    return {
        "holder": names["holder"],
        "held": names["held"],
        "at": at,
        "direct_percent": direct,
        "integrated_percent": pct(value),
        "certain": certain,
        "definition": definition,
        "holder_iri": holder,
        "held_iri": held,
    }
