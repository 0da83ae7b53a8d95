"""What the ownership analyses read: the stakes of a graph and the names they join.

Plain data (no store, no parsing), so that both the reader (:mod:`.holdings`) and the
file kept beside an on-disk store (:mod:`.kept`) build it without needing each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..temporal import Interval


@dataclass(frozen=True)
class Stake:
    """One shareholding with a figure."""

    iri: str
    holder: str
    held: str
    through: str | None
    percent: float
    voting_percent: float | None
    voting_cap: float | None
    economic: bool
    voting: bool
    interval: Interval
    evidence: tuple[dt.date, ...]  # startLatest and reportedOn days, sorted
    sources: tuple[str, ...]
    rank: int = 1  # 0 deprecated, 1 normal, 2 preferred (temporal.RANK_ORDER)
    reported: tuple[dt.date, ...] = ()  # the citations' ag:reportedOn days, sorted
    approximate: bool = False  # ag:approximate true: the sources give "about" this figure

    def has(self, interest: str) -> bool:
        return self.economic if interest == "economic" else self.voting

    def figure(self, interest: str) -> float:
        """The percent this stake gives: capital, or the votes the holder may exercise."""
        if interest == "economic":
            return self.percent
        votes = self.theoretical_votes()
        if self.voting_cap is not None:
            votes = min(votes, self.voting_cap)
        return votes

    def theoretical_votes(self) -> float:
        """The votes the shares carry before any cap (double votes included)."""
        return self.voting_percent if self.voting_percent is not None else self.percent

    def evidence_on_or_before(self, day: dt.date) -> dt.date | None:
        best = None
        for d in self.evidence:
            if d <= day:
                best = d
        return best


@dataclass(frozen=True)
class SetAside:
    """A shareholding the analyses do not use, and why (a losing claim, or no figure)."""

    iri: str
    reason: str
    stake: Stake | None = None  # its figures, when it has them
    winner: str | None = None  # the claim it lost to
    # A claim set aside for several values where the shapes allow one (claims.py): every
    # holder and held company it names, so that an answer on such a pair can say it is
    # not certain (the figures and dates of such a claim are not read).
    holders: tuple[str, ...] = ()
    helds: tuple[str, ...] = ()
    # For a claim with no figure (a range, words): its day bounds (startEarliest,
    # startLatest, endEarliest, endLatest as YYYY-MM-DD or None), so that an answer on a
    # day it may hold says it is not certain. Empty: not read (a claim written twice).
    bounds: tuple[str | None, ...] = ()


@dataclass
class Holdings:
    """The shareholdings of a graph, read once, and the names of the entities they join.

    Build it with :func:`holdings_from_store`, :func:`holdings_from_files` or
    :func:`holdings`; every analysis accepts it in place of a graph. ``stakes`` are the
    best-ranked shareholdings with a figure; ``set_aside`` the others, each with its reason.
    """

    stakes: list[Stake]
    labels: dict[str, str] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    entities: set[str] = field(default_factory=set)
    set_aside: list[SetAside] = field(default_factory=list)
    # what the analyses compute once per Holdings (positions, snapshots); never handed out
    cache: dict = field(default_factory=dict, repr=False, compare=False)
    _name_index: dict | None = field(default=None, repr=False, compare=False)  # entities.py

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or local_name(iri)

    def subset(self, stakes: list[Stake]) -> Holdings:
        """The same names with other stakes (the caches start empty)."""
        return Holdings(
            stakes, self.labels, self.alt_labels, self.kinds, self.entities, self.set_aside
        )


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1] or iri
    return iri
