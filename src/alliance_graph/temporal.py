"""Dates of mixed precision, their day bounds, and the certain / possible / as-of readings.

See docs/temporal-model.md. The data keeps dates as the sources give them (xsd:date,
xsd:gYearMonth, xsd:gYear); the loader (:mod:`alliance_graph.derive`) adds ``xsd:date``
day bounds so that SPARQL can compare them, and marks the best-ranked claims.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

# rdflib is imported only by the functions that work on an rdflib Graph, so that the date
# logic (and the pyoxigraph store that reuses it) starts without it.
if TYPE_CHECKING:
    from rdflib import Graph, URIRef

AG_IRI = "https://w3id.org/alliance-graph/ontology#"
XSD_IRI = "http://www.w3.org/2001/XMLSchema#"

# Each date property and the pair of day-bound properties the loader derives from it
# (local names in ag:; BOUNDED_PROPERTIES gives the same as rdflib terms).
BOUNDED_NAMES = {
    "date": ("dateEarliest", "dateLatest"),
    "start": ("startEarliest", "startLatest"),
    "end": ("endEarliest", "endLatest"),
    "deadline": ("deadlineEarliest", "deadlineLatest"),
}

# Ranks from lowest to highest; no rank reads as normal.
RANK_ORDER = {"DeprecatedRank": 0, "NormalRank": 1, "PreferredRank": 2}
_RANK_OF_IRI = {AG_IRI + name: value for name, value in RANK_ORDER.items()}


def rank_of(iris) -> int:
    """The rank a claim counts at, from the IRIs of its ``ag:rank`` values (anything else
    reads as normal): the lowest of them, so that an answer never rests on a claim that
    someone marked deprecated, whatever order the values are read in; normal when none."""
    return min((_RANK_OF_IRI.get(iri, 1) for iri in iris), default=1)


@cache
def _ag():
    from rdflib import Namespace

    return Namespace(AG_IRI)


def _bounded_properties() -> dict:
    ag = _ag()
    return {ag[p]: (ag[lo], ag[hi]) for p, (lo, hi) in BOUNDED_NAMES.items()}


def __getattr__(name):
    # AG and BOUNDED_PROPERTIES are rdflib terms, built on first use.
    if name == "AG":
        return _ag()
    if name == "BOUNDED_PROPERTIES":
        return _bounded_properties()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


READINGS = ("as-of", "certain", "possible")

# ASCII digits only (``\d`` takes ٢٠٢١ as 2021), and nothing after, a newline included.
_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


@dataclass(frozen=True)
class DateSpan:
    """A date as given, with the first and last day it can stand for."""

    earliest: dt.date
    latest: dt.date
    precision: str  # "day", "month" or "year"

    def __str__(self) -> str:
        if self.precision == "year":
            return f"{self.earliest.year:04d}"
        if self.precision == "month":
            return f"{self.earliest.year:04d}-{self.earliest.month:02d}"
        return self.earliest.isoformat()


def parse_date(text: str) -> DateSpan:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into a :class:`DateSpan`.

    Raises ``ValueError`` naming the text when it is none of these.
    """
    m = _DATE_RE.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        if month is None:
            return DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return DateSpan(dt.date(year, month, 1), dt.date(year, month, last), "month")
        d = dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid date: {exc}") from None
    return DateSpan(d, d, "day")


PRECISION_BY_DATATYPE = {
    XSD_IRI + "date": "day",
    XSD_IRI + "gYearMonth": "month",
    XSD_IRI + "gYear": "year",
}


def span_of_lexical(text: str, datatype: str | None) -> DateSpan | None:
    """The day span of a date given as lexical form and datatype IRI, or None if it is not
    a well-formed date of a supported type (the shapes report those; loaders must not
    crash on them)."""
    precision = PRECISION_BY_DATATYPE.get(str(datatype)) if datatype is not None else None
    if precision is None:
        return None
    try:
        span = parse_date(text)
    except ValueError:
        return None
    return span if span.precision == precision else None


def span_of_literal(lit) -> DateSpan | None:
    """The day span of an rdflib date literal (see :func:`span_of_lexical`)."""
    from rdflib import Literal

    if not isinstance(lit, Literal):
        return None
    return span_of_lexical(str(lit), lit.datatype)


@dataclass(frozen=True)
class Interval:
    """Day bounds of a relationship; None is unbounded on that side.

    The relationship starts on some day in [start_earliest, start_latest] and ends (the end
    day excluded) on some day in [end_earliest, end_latest].
    """

    start_earliest: dt.date | None = None
    start_latest: dt.date | None = None
    end_earliest: dt.date | None = None
    end_latest: dt.date | None = None

    def certain_on(self, day: dt.date) -> bool:
        return (self.start_latest is not None and self.start_latest <= day) and (
            self.end_earliest is None or day < self.end_earliest
        )

    def possible_on(self, day: dt.date) -> bool:
        return (self.start_earliest is None or self.start_earliest <= day) and (
            self.end_latest is None or day < self.end_latest
        )

    def certain_over(self, span: DateSpan) -> bool:
        """Certainly valid on every day of the span."""
        return self.certain_on(span.earliest) and self.certain_on(span.latest)

    def possible_during(self, span: DateSpan) -> bool:
        """Possibly valid on at least one day of the span."""
        return (self.start_earliest is None or self.start_earliest <= span.latest) and (
            self.end_latest is None or span.earliest < self.end_latest
        )


def interval_of(graph: Graph, node: URIRef) -> Interval:
    """The materialised bounds of ``node`` as an :class:`Interval`. A bound written several
    times (which the shapes flag) reads as the widest of them, as the loader bounds
    several dates (docs/temporal-model.md), never as whichever the graph lists first."""
    AG = _ag()
    return widest_interval(lambda name: (str(v) for v in graph.objects(node, AG[name])))


def widest_interval(written: Callable[[str], Iterable[str]]) -> Interval:
    """The :class:`Interval` of the day bounds ``written(name)`` gives as text for each
    of startEarliest, startLatest, endEarliest and endLatest: a bound written several
    times reads as the widest (the earliest *Earliest, the latest *Latest); a text that
    is not a day is left out."""

    def day(name, pick):
        days = []
        for text in written(name):
            try:
                days.append(dt.date.fromisoformat(text))
            except ValueError:
                continue
        return pick(days) if days else None

    return Interval(
        day("startEarliest", min),
        day("startLatest", max),
        day("endEarliest", min),
        day("endLatest", max),
    )
