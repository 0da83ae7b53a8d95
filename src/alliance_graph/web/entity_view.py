"""What an entity page shows, read through the query layer: the entity's own statements,
the dated facts that point at it (grouped), their citations, ranks and rivals, and each
fact's certainty on the chosen day by the temporal model's readings."""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup

from ..names import pick_label, sparql_label
from ..namespaces import AG
from ..temporal import DateSpan, Interval, widest_interval
from .backend import local_path

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PREFIX = f"""PREFIX ag: <{AG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

OWN = (
    PREFIX
    + """SELECT ?p ?o ?oLang ?oLabel WHERE { %(e)s ?p ?o . FILTER(?p != ag:citation)
  BIND(LANG(?o) AS ?oLang)
  OPTIONAL { SELECT ?o """
    + sparql_label("oName", "oLabel")
    + """ WHERE { %(e)s ?anyP ?o . ?o rdfs:label ?oName } GROUP BY ?o } }"""
)
FACTS = (
    PREFIX
    + """SELECT ?fact ?link ?p ?o ?oLang ?oLabel WHERE {
  { SELECT DISTINCT ?fact ?link WHERE { ?fact ?link %(e)s . FILTER(?link != ag:competesWith)
      ?fact ag:citation ?any } }
  ?fact ?p ?o . FILTER(?p != ag:citation)
  BIND(LANG(?o) AS ?oLang)
  OPTIONAL { SELECT ?o """
    + sparql_label("oName", "oLabel")
    + """ WHERE { ?anyFact ?anyLink %(e)s ; ?anyP ?o . ?o rdfs:label ?oName } GROUP BY ?o } }"""
)
CITES = (
    PREFIX
    + """SELECT DISTINCT ?node ?c ?source ?sourceLabel ?locator ?reportedOn ?url WHERE {
  { BIND(%(e)s AS ?node) } UNION { ?node ?link %(e)s . FILTER(?link != ag:competesWith)
                                   FILTER EXISTS { ?node ag:citation ?x } }
  ?node ag:citation ?c . ?c ag:source ?source .
  OPTIONAL { ?c ag:locator ?locator } OPTIONAL { ?c ag:reportedOn ?reportedOn }
  OPTIONAL { SELECT ?source """
    + sparql_label("sourceName", "sourceLabel")
    + """ WHERE { { BIND(%(e)s AS ?citing) } UNION { ?citing ?anyLink %(e)s }
                ?citing ag:citation/ag:source ?source . ?source rdfs:label ?sourceName }
              GROUP BY ?source }
  OPTIONAL { ?source ag:url ?url } }
ORDER BY ?node ?sourceLabel ?locator"""
)
INBOUND = (
    PREFIX
    + """SELECT DISTINCT ?s ?p ?sLabel WHERE { ?s ?p %(e)s .
  FILTER NOT EXISTS { ?s ag:citation ?any } FILTER(isIRI(?s))
  OPTIONAL { SELECT ?s """
    + sparql_label("sName", "sLabel")
    + """ WHERE { ?s ?anyP %(e)s . ?s rdfs:label ?sName } GROUP BY ?s } } ORDER BY ?p ?s"""
)

GIVEN_DATES = ("start", "end", "date", "deadline", "reportedOn")
BOUNDS = (
    "startEarliest",
    "startLatest",
    "endEarliest",
    "endLatest",
    "dateEarliest",
    "dateLatest",
    "deadlineEarliest",
    "deadlineLatest",
)
HIDDEN = {RDF_TYPE, LABEL, AG + "rank", AG + "rankReason", AG + "competesWith", AG + "note"}
GROUPS = [
    (("Shareholding", "holder"), "Stakes held"),
    (("Shareholding", "held"), "Stakes received"),
    (("Shareholding", "heldThrough"), "Stakes held through it"),
    (("Membership", None), "Memberships"),
    (("OrganisationName", None), "Names"),
    (("Tenure", None), "Tenures"),
    (("Agreement", None), "Agreements and commitments"),
    (("Commitment", None), "Agreements and commitments"),
    (("Signing", None), "Agreements and commitments"),
    (("Transaction", None), "Transactions"),
    (("Event", None), "Events"),
    (("LegalEvent", None), "Events"),
    (("Founding", None), "Events"),
    (("CorporateAnnouncement", None), "Events"),
    (("Negotiation", None), "Events"),
]
ORDER = [
    "Stakes held",
    "Stakes received",
    "Stakes held through it",
    "Memberships",
    "Names",
    "Tenures",
    "Agreements and commitments",
    "Transactions",
    "Events",
]


@dataclass
class Value:
    text: str
    iri: str | None = None
    path: str | None = None
    datatype: str | None = None

    @property
    def html(self) -> Markup:
        """The value as HTML: a link where it is an IRI; the text escaped."""
        if self.path:
            return Markup('<a href="{}">{}</a>').format(self.path, self.text)
        if self.iri:
            return Markup('<a href="{}" rel="external">{}</a>').format(self.iri, self.text)
        return Markup("{}").format(self.text)


@dataclass
class Fact:
    iri: str
    path: str | None
    label: str = ""
    labels: list = field(default_factory=list, repr=False)  # (text, language), all of them
    kinds: list[str] = field(default_factory=list)
    links: set = field(default_factory=set)
    props: dict[str, list[Value]] = field(default_factory=dict)
    citations: list[dict] = field(default_factory=list)
    rank: str | None = None
    best: bool = False  # typed ag:BestRank: the claim answers use (derive.best_rank)
    rank_reason: str | None = None
    note: str | None = None
    rivals: list[Value] = field(default_factory=list)
    # its HTML but for the day's certainty, rendered once (pages.fact_body)
    body: Markup | None = field(default=None, repr=False, compare=False)

    def first(self, name: str) -> str | None:
        values = self.props.get(AG + name)
        return values[0].text if values else None

    @cached_property
    def dates(self) -> list[tuple[str, str]]:
        """The dates as the source gives them (derived bounds only where none is given)."""
        out = [(n, self.first(n)) for n in GIVEN_DATES if self.first(n)]
        given = {n for n, _ in out}
        for n in BOUNDS:
            base = n.replace("Earliest", "").replace("Latest", "")
            if self.first(n) and base not in given:
                out.append((n, self.first(n)))
        return out

    @cached_property
    def details(self) -> list[tuple[str, list[Value]]]:
        skip = HIDDEN | {AG + n for n in GIVEN_DATES + BOUNDS}
        return [(short(p), vs) for p, vs in sorted(self.props.items()) if p not in skip]


def short(iri: str) -> str:
    from ..queries import compact

    return compact(iri)


def _value(row: dict, key: str, label_key: str | None) -> Value:
    raw = row[key]
    if isinstance(raw, str) and raw.startswith(("http://", "https://")):
        label = row.get(label_key) if label_key else None
        return Value(label or short(raw), raw, local_path(raw))
    return Value("" if raw is None else str(raw))


def certainty(fact: Fact, day: dt.date | DateSpan) -> str:
    """certain / possible / not valid on ``day`` (a day, or the span of a month or a
    year, read as every face reads it: certain over every day of it, possible on some),
    or "dated" for a fact with a date but no interval. A claim that answers do not use
    is "deprecated", "outranked" (a rival ranks higher) or "uncited", whatever its dates, as the
    saved queries and ``ownership`` read only ag:BestRank claims; a fact with no bound
    at all is open at both ends, so possible on any day, as every other face says."""
    if isinstance(day, dt.date):
        day = DateSpan(day, day, "day")
    if fact.rank == "DeprecatedRank":
        return "deprecated"
    if not fact.best:  # cited: a rival ranks higher; else no source, so no answer uses it
        return "outranked" if fact.citations else "uncited"
    # A bound written twice reads as the widest, as every face reads it.
    iv = widest_interval(lambda name: (v.text for v in fact.props.get(AG + name, ())))
    if iv == Interval(None, None, None, None) and fact.first("dateEarliest"):
        return "dated"
    if iv.certain_over(day):
        return "certain"
    if iv.possible_during(day):
        return "possible"
    return "not valid"


def group_of(fact: Fact) -> str:
    for (kind, link), title in GROUPS:
        if kind in fact.kinds and (link is None or AG + link in fact.links):
            return title
    kind = fact.kinds[0] if fact.kinds else "fact"
    return f"Other facts: {kind}"


class OnDay:
    """A fact as shown on one day: the fact (shared between requests, never changed) and
    its certainty on that day; every other attribute is the fact's."""

    __slots__ = ("fact", "certainty")

    def __init__(self, fact: Fact, certainty: str):
        self.fact = fact
        self.certainty = certainty

    def __getattr__(self, name):
        if name in OnDay.__slots__:  # not set yet (a copy in the making)
            raise AttributeError(name)
        return getattr(self.fact, name)


CACHED_ENTITIES = 256  # entities whose facts are kept (the largest, Nissan Motor, ~1 MB)


class FactCache:
    """The facts of each entity of one backend, read once: a backend's embedded store is
    loaded once and only read while the server runs, so what its queries answered for an
    entity stays true. Least recently used entities go first."""

    def __init__(self, size: int = CACHED_ENTITIES):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, backend, iri: str) -> dict:
        key = iri
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        data = read(backend, iri)  # outside the lock: two first readers both read
        if not data:
            return data  # an unknown IRI is not kept (it would push out real entities)
        with self._lock:
            self._items[key] = data
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return data


_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Backend -> FactCache
_caches_lock = threading.Lock()


def facts_of(backend, iri: str) -> dict:
    """:func:`read`, once per backend and entity on the embedded store. Over a remote
    endpoint nothing is kept (the data there may change), every page reads again."""
    if backend.store is None:
        return read(backend, iri)
    with _caches_lock:
        cache = _caches.get(backend)
        if cache is None:
            cache = _caches[backend] = FactCache()
    return cache.get(backend, iri)


def forget(backend) -> None:
    """Drop what is kept for ``backend`` (the next page of each entity reads again)."""
    with _caches_lock:
        _caches.pop(backend, None)


def load(backend, iri: str, day: dt.date | DateSpan) -> dict:
    """Everything the entity page shows: the entity's facts (read once per loaded store,
    :class:`FactCache`) with each fact's certainty on ``day``."""
    data = facts_of(backend, iri)
    if not data:
        return {}
    groups = [
        (title, [OnDay(f, certainty(f, day)) for f in facts]) for title, facts in data["groups"]
    ]
    return {**data, "groups": groups}


def read(backend, iri: str) -> dict:
    """What the entity page shows whatever the day: its four queries, their rows grouped
    (an empty dict when the graph says nothing about ``iri``)."""
    term = f"<{iri}>"
    own = backend.sparql(OWN % {"e": term}, trusted=True).rows
    facts_rows = backend.sparql(FACTS % {"e": term}, trusted=True).rows
    cites = backend.sparql(CITES % {"e": term}, trusted=True).rows
    inbound = backend.sparql(INBOUND % {"e": term}, trusted=True).rows
    if not own and not facts_rows and not inbound:
        return {}
    kinds, props, description = [], {}, None
    label = pick_label((r["o"], r.get("oLang") or None) for r in own if r["p"] == LABEL)
    for row in own:
        if row["p"] == LABEL:
            continue
        elif row["p"] == RDF_TYPE:
            if row["o"].startswith(AG) and row["o"] != AG + "BestRank":
                kinds.append(row["o"][len(AG) :])
        elif row["p"] == AG + "description":
            description = row["o"]
        else:
            props.setdefault(short(row["p"]), []).append(_value(row, "o", "oLabel"))
    facts: dict[str, Fact] = {}
    for row in facts_rows:
        f = facts.setdefault(row["fact"], Fact(row["fact"], local_path(row["fact"])))
        f.links.add(row["link"])
        p = row["p"]
        if p == RDF_TYPE:
            f.best = f.best or row["o"] == AG + "BestRank"
            if (
                row["o"].startswith(AG)
                and row["o"] != AG + "BestRank"
                and (row["o"][len(AG) :] not in f.kinds)
            ):
                f.kinds.append(row["o"][len(AG) :])
            continue
        if p == LABEL:
            f.labels.append((row["o"], row.get("oLang") or None))
        elif p == AG + "rank":
            f.rank = row["o"][len(AG) :]
        elif p == AG + "rankReason":
            f.rank_reason = row["o"]
        elif p == AG + "note":
            f.note = row["o"]
        elif p == AG + "competesWith":
            f.rivals.append(_value(row, "o", "oLabel"))
        values = f.props.setdefault(p, [])
        v = _value(row, "o", "oLabel")
        if all(v.text != x.text or v.iri != x.iri for x in values):
            values.append(v)
    for f in facts.values():
        f.label = pick_label(f.labels) or ""
    own_cites = []
    for row in cites:
        cite = {
            "source": row["source"],
            "source_label": row.get("sourceLabel") or short(row["source"]),
            "source_path": local_path(row["source"]),
            "locator": row.get("locator"),
            "reported_on": row.get("reportedOn"),
            "url": row.get("url"),
        }
        if row["node"] == iri:
            own_cites.append(cite)
        elif row["node"] in facts:
            facts[row["node"]].citations.append(cite)
    groups: dict[str, list[Fact]] = {}
    for f in sorted(
        facts.values(),
        key=lambda f: (f.first("startEarliest") or f.first("dateEarliest") or "", f.label),
    ):
        groups.setdefault(group_of(f), []).append(f)
    ordered = sorted(
        groups.items(), key=lambda kv: (ORDER.index(kv[0]) if kv[0] in ORDER else len(ORDER), kv[0])
    )
    return {
        "iri": iri,
        "label": label or short(iri),
        "kinds": kinds,
        "description": description,
        "props": sorted(props.items()),
        "citations": own_cites,
        "groups": ordered,
        "inbound": [
            {"property": short(r["p"]), "value": _value(r, "s", "sLabel")} for r in inbound
        ],
    }
