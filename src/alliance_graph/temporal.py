"""Dates of mixed precision, their day bounds, and the certain / possible / as-of readings.

See docs/temporal-model.md. The data keeps dates as the sources give them (xsd:date,
xsd:gYearMonth, xsd:gYear); :func:`materialise` adds ``xsd:date`` day bounds so that
SPARQL can compare them, and marks the best-ranked claims.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef

AG = Namespace("https://w3id.org/alliance-graph/ontology#")

# Each date property and the pair of day-bound properties the loader derives from it.
BOUNDED_PROPERTIES = {
    AG.date: (AG.dateEarliest, AG.dateLatest),
    AG.start: (AG.startEarliest, AG.startLatest),
    AG.end: (AG.endEarliest, AG.endLatest),
    AG.deadline: (AG.deadlineEarliest, AG.deadlineLatest),
}

READINGS = ("as-of", "certain", "possible")

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


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


_PRECISION_BY_DATATYPE = {XSD.date: "day", XSD.gYearMonth: "month", XSD.gYear: "year"}


def span_of_literal(lit) -> DateSpan | None:
    """The day span of an RDF date literal, or None if it is not a well-formed date of a
    supported type (the shapes report those; the loader must not crash on them)."""
    if not isinstance(lit, Literal) or lit.datatype not in _PRECISION_BY_DATATYPE:
        return None
    text = str(lit)
    try:
        span = parse_date(text)
    except ValueError:
        return None
    if span.precision != _PRECISION_BY_DATATYPE[lit.datatype]:
        return None
    return span


def _date_literal(d: dt.date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def materialise(graph: Graph) -> Graph:
    """Add derived day bounds and ``ag:BestRank`` types to ``graph`` in place.

    Bounds written in the data win over derived ones, so that facts bounded by report
    dates keep them.
    """
    for prop, (lo_prop, hi_prop) in BOUNDED_PROPERTIES.items():
        for node, value in list(graph.subject_objects(prop)):
            span = span_of_literal(value)
            if span is None:
                continue
            if graph.value(node, lo_prop) is None:
                graph.add((node, lo_prop, _date_literal(span.earliest)))
            if graph.value(node, hi_prop) is None:
                graph.add((node, hi_prop, _date_literal(span.latest)))
    mark_best_rank(graph)
    return graph


_RANK_ORDER = {AG.DeprecatedRank: 0, AG.NormalRank: 1, AG.PreferredRank: 2}


def mark_best_rank(graph: Graph) -> None:
    """Type as ``ag:BestRank`` every claim that answers use (Wikidata's "truthy").

    A claim is best-ranked when it is not deprecated and no claim it competes with has a
    higher rank. Claims are the nodes with a citation, except sources and citations.
    """
    graph.remove((None, RDF.type, AG.BestRank))

    def rank(node) -> int:
        return _RANK_ORDER.get(graph.value(node, AG.rank), 1)

    for node in set(graph.subjects(AG.citation, None)):
        own = rank(node)
        if own == 0:
            continue
        rivals = set(graph.objects(node, AG.competesWith)) | set(
            graph.subjects(AG.competesWith, node)
        )
        if any(rank(r) > own for r in rivals):
            continue
        graph.add((node, RDF.type, AG.BestRank))


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
    """The materialised bounds of ``node`` as an :class:`Interval`."""

    def day(prop):
        value = graph.value(node, prop)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return None

    return Interval(
        day(AG.startEarliest), day(AG.startLatest), day(AG.endEarliest), day(AG.endLatest)
    )
