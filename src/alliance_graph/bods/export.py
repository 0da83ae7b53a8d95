"""The graph as BODS 0.4 statements: entity and person records, then relationship records.

Statements are produced one at a time from a materialised pyoxigraph store (the store of
:func:`alliance_graph.store.open_store`) and written as they come, as a JSON array or as
JSON Lines, so that a large graph is never held twice as JSON.

What BODS has a field for goes in that field (names, entity types, interests, shares,
start and end dates, statement date, source URL); what it has none for (date precision
and bounds, approximate figures, ranks and competing claims, end unknown, voting caps)
is said twice: in words, in annotations pointing at the field concerned, and as data in
one annotation that carries the ``allianceGraph`` object, which the importer reads back
(docs/bods.md lists every case).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from ..claims import BOUNDED, set_aside_because, unread_date
from ..errors import UsageError
from ..names import other_names, pick_label
from ..temporal import PRECISION_BY_DATATYPE, rank_of
from . import mapping as m

_DEFAULT = ox.DefaultGraph()


@dataclass
class ExportReport:
    """What an export wrote and what it could not."""

    entities: int = 0
    persons: int = 0
    relationships: int = 0
    left_out: list[str] = field(default_factory=list)  # "IRI: reason"


class _Reader:
    """Property lookups on a store, one node at a time."""

    def __init__(self, store: ox.Store):
        self.store = store
        self._sources: dict[str, dict] = {}

    def props(self, node: str) -> dict[str, list]:
        subject = ox.BlankNode(node[2:]) if node.startswith("_:") else ox.NamedNode(node)
        out: dict[str, list] = {}
        for q in self.store.quads_for_pattern(subject, None, None, _DEFAULT):
            o = q.object
            value = "_:" + o.value if isinstance(o, ox.BlankNode) else o
            out.setdefault(q.predicate.value, []).append(value)
        return out

    def source(self, iri: str) -> dict:
        """What a citation entry says of its source (each source read once)."""
        known = self._sources.get(iri)
        if known is None:
            sp = self.props(iri)
            known = {}
            for key, prop in (
                ("sourceLabel", m.RDFS_LABEL),
                ("publisher", m.ag("publisher")),
                ("url", m.ag("url")),
                ("sourceNote", m.ag("note")),
            ):
                value = _text(sp.get(prop))
                if value:
                    known[key] = value
            published = _date_value(sp.get(m.ag("published")))
            if published:
                known["published"] = published
            self._sources[iri] = known
        return dict(known)

    def subjects(self, predicate: str, obj: str) -> list[str]:
        return [
            q.subject.value
            for q in self.store.quads_for_pattern(
                None, ox.NamedNode(predicate), ox.NamedNode(obj), _DEFAULT
            )
            if isinstance(q.subject, ox.NamedNode)
        ]


def _iri(values: list | None) -> str | None:
    # Of several (which the shapes flag), the first by text: never the store's order,
    # which changes with the order the files were loaded in.
    iris = _iris(values)
    return iris[0] if iris else None


def _iris(values: list | None) -> list[str]:
    return sorted(
        v.value if isinstance(v, ox.NamedNode) else v
        for v in values or ()
        if isinstance(v, (ox.NamedNode, str))
    )


def _text(values: list | None) -> str | None:
    texts = [v for v in values or () if isinstance(v, ox.Literal)]
    if not texts:
        return None
    texts.sort(key=lambda v: (v.language not in (None, "en"), v.value))
    return texts[0].value


def _label(values: list | None) -> str | None:
    # The one label rule of every face (names.pick_label).
    return pick_label((v.value, v.language) for v in values or () if isinstance(v, ox.Literal))


def _texts(values: list | None) -> list[str]:
    return sorted({v.value for v in values or () if isinstance(v, ox.Literal)})


def _date_value(values: list | None) -> dict | None:
    """A date literal as ``{"value", "precision"}`` (precision: day, month or year); of
    several (which the shapes flag), the first in the order of their text, whatever
    order the store lists them in."""
    for v in sorted(values or (), key=lambda v: getattr(v, "value", v)):
        if isinstance(v, ox.Literal):
            precision = PRECISION_BY_DATATYPE.get(v.datatype.value)
            if precision:
                return {"value": v.value, "precision": precision}
    return None


def _day(values: list | None) -> str | None:
    for v in sorted(values or (), key=lambda v: getattr(v, "value", v)):
        if isinstance(v, ox.Literal) and v.datatype.value == m.XSD_DATE:
            return v.value
    return None


def _agent_classes(reader: _Reader) -> set[str]:
    classes = {m.ag("Agent")}
    changed = True
    subclass = list(
        reader.store.quads_for_pattern(None, ox.NamedNode(m.RDFS_SUBCLASS), None, _DEFAULT)
    )
    while changed:
        changed = False
        for q in subclass:
            if q.object.value in classes and q.subject.value not in classes:
                classes.add(q.subject.value)
                changed = True
    return classes


def _citations(reader: _Reader, props: dict) -> list[dict]:
    out = []
    for c in sorted(
        str(x) if not isinstance(x, str) else x for x in props.get(m.ag("citation"), [])
    ):
        key = c if c.startswith("_:") else c.strip("<>")
        cp = reader.props(key)
        source = _iri(cp.get(m.ag("source")))
        entry = {"source": source, "locator": _text(cp.get(m.ag("locator")))}
        reported = _day(cp.get(m.ag("reportedOn")))
        if reported:
            entry["reportedOn"] = reported
        if source:
            entry.update(reader.source(source))
        out.append({k: v for k, v in entry.items() if v is not None})
    out.sort(key=lambda e: (e.get("source") or "", e.get("locator") or ""))
    return out


def _kinds(props: dict) -> list[str]:
    return sorted(
        m.local(t)
        for t in _iris(props.get(m.RDF_TYPE))
        if t.startswith(m.ag("")) and t != m.ag("BestRank")
    )


def _entity_type(kinds: list[str]) -> dict:
    for name in m.ENTITY_TYPE_ORDER:
        if name in kinds:
            kind, subtype = m.ENTITY_TYPE[name]
            break
    else:
        kind, subtype = "legalEntity", None
    out = {"type": kind}
    if subtype:
        out["subtype"] = subtype
    return out


def _url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _source(citations: list[dict]) -> dict:
    """BODS holds one source a statement: the first URL, and every citation in words."""
    described = []
    for c in citations:
        name = c.get("sourceLabel") or m.local(c.get("source") or "")
        described.append(name + (f" ({c['locator']})" if c.get("locator") else ""))
    out: dict = {"type": ["thirdParty"]}
    if described:
        out["description"] = "; ".join(described)
    urls = [c["url"] for c in citations if _url(c.get("url", ""))]
    if urls:
        out["url"] = urls[0]
    return out


def _linking(citations: list[dict]) -> list[dict]:
    out = []
    for c in citations:
        if _url(c.get("url", "")):
            out.append(
                {
                    "statementPointerTarget": "/source",
                    "motivation": "linking",
                    "url": c["url"],
                    "description": (c.get("sourceLabel") or "source")
                    + (f": {c['locator']}" if c.get("locator") else ""),
                }
            )
    return out


class _Exporter:
    def __init__(self, store: ox.Store, publication_date: str):
        self.reader = _Reader(store)
        self.publication = {
            "publicationDate": publication_date,
            "bodsVersion": m.BODS_VERSION,
            "publisher": {"name": m.PUBLISHER},
        }
        self.report = ExportReport()

    # -- entities and persons ------------------------------------------------------

    def agents(self) -> list[str]:
        reader = self.reader
        classes = _agent_classes(reader)
        found = set()
        for cls in classes:
            found.update(reader.subjects(m.RDF_TYPE, cls))
        for prop in ("holder", "held", "heldThrough"):
            for q in reader.store.quads_for_pattern(None, ox.NamedNode(m.ag(prop)), None, _DEFAULT):
                if isinstance(q.object, ox.NamedNode):
                    found.add(q.object.value)
        return sorted(found)

    def _statement_date(
        self, citations: list[dict], *days: str | None, ongoing: bool = True
    ) -> str:
        known = [c["reportedOn"] for c in citations if c.get("reportedOn")]
        known += [d for d in days if d]
        if not known and not ongoing:
            # A claim not known to hold today was stated by its sources, not on the day of
            # the export: the export day would be read back as a day it held.
            known = [
                c["published"]["value"]
                for c in citations
                if isinstance(c.get("published"), dict) and c["published"]["precision"] == "day"
            ]
        return max(known) if known else self.publication["publicationDate"]

    def agent_statement(self, iri: str) -> dict:
        props = self.reader.props(iri)
        kinds = _kinds(props)
        given = [
            (v.value, v.language)
            for v in props.get(m.RDFS_LABEL) or ()
            if isinstance(v, ox.Literal)
        ]
        label = pick_label(given) or m.local(iri)
        alts = _texts(props.get(m.SKOS_ALT))
        citations = _citations(self.reader, props)
        payload = {"iri": iri, "kinds": kinds, "label": label}
        if alts:
            payload["altLabels"] = alts
        # Its labels in other languages: names it answers to (BODS alternative names, as
        # the resolver takes them), kept with their language for the way back.
        others = sorted({(t, lang or "") for t, lang in given if t != label})
        if others:
            payload["otherLabels"] = [
                {"text": t, **({"language": lang} if lang else {})} for t, lang in others
            ]
        alts = other_names(given, alts, label)
        description = _text(props.get(m.ag("description")))
        if description:
            payload["description"] = description
        if citations:
            payload["citations"] = citations
        if "Person" in kinds:
            self.report.persons += 1
            details = {
                "isComponent": False,
                "personType": "knownPerson",
                "names": [{"type": "legal", "fullName": label}]
                + [{"type": "alternative", "fullName": a} for a in alts],
            }
            record_type = "person"
        else:
            self.report.entities += 1
            details = {"isComponent": False, "entityType": _entity_type(kinds), "name": label}
            if alts:
                details["alternateNames"] = alts
            details["uri"] = iri
            record_type = "entity"
        return self._wrap(iri, record_type, details, citations, payload, iri)

    def _wrap(
        self,
        record_id,
        record_type,
        details,
        citations,
        payload,
        subject,
        notes=(),
        part="",
        date=None,
    ) -> dict:
        annotations = list(notes) + _linking(citations)
        if payload is not None:
            annotations.append(
                {
                    "statementPointerTarget": "",
                    "motivation": "commenting",
                    "description": "What the alliance-graph vocabulary says of this record "
                    "beyond BODS's fields (read back by `alliance-graph import bods`).",
                    m.PAYLOAD: payload,
                }
            )
        out = {
            "statementId": m.statement_id(record_id, part),
            "declarationSubject": subject,
            "statementDate": date or self._statement_date(citations),
            "recordId": record_id,
            "recordType": record_type,
            "recordStatus": "new",
            "recordDetails": details,
            "publicationDetails": self.publication,
            "source": _source(citations),
        }
        if annotations:
            out["annotations"] = annotations
        return out

    # -- relationships ------------------------------------------------------------

    def claims(self) -> tuple[list[str], dict[str, list[str]]]:
        """Best-ranked shareholdings, and the others attached to a best rival."""
        reader = self.reader
        stakes = sorted(reader.subjects(m.RDF_TYPE, m.ag("Shareholding")))
        best = set(reader.subjects(m.RDF_TYPE, m.ag("BestRank")))
        rivals: dict[str, list[str]] = {}
        chosen = []
        for s in stakes:
            if s in best:
                chosen.append(s)
                continue
            props = reader.props(s)
            winners = [r for r in _iris(props.get(m.ag("competesWith"))) if r in best]
            if winners:
                rivals.setdefault(winners[0], []).append(s)
            else:
                self.report.left_out.append(
                    f"{s}: not best-ranked and competes with no best-ranked claim it could "
                    "be attached to"
                )
        return chosen, rivals

    def claim_payload(self, iri: str, props: dict) -> dict:
        out: dict = {"iri": iri}
        label = _label(props.get(m.RDFS_LABEL))
        if label:
            out["label"] = label
        for key in ("holder", "held", "heldThrough"):
            value = _iri(props.get(m.ag(key)))
            if value:
                out[key] = value
        out["interests"] = [m.local(i) for i in _iris(props.get(m.ag("interest")))]
        for key in ("percent", "votingPercent", "votingCap", "minValue", "maxValue"):
            for v in props.get(m.ag(key), ()):
                if isinstance(v, ox.Literal):
                    out[key] = v.value
        for key in ("approximate",):
            for v in props.get(m.ag(key), ()):
                if isinstance(v, ox.Literal):
                    out[key] = v.value in ("true", "1")
        for key in ("qualitativeAmount", "rankReason", "note"):
            value = _text(props.get(m.ag(key)))
            if value:
                out[key] = value
        for key in ("start", "end"):
            value = _date_value(props.get(m.ag(key)))
            if value:
                out[key] = value
        for key in ("startEarliest", "startLatest", "endEarliest", "endLatest"):
            value = _day(props.get(m.ag(key)))
            if value:
                out[key] = value
        value = _iri(props.get(m.ag("endStatus")))
        if value:
            out["endStatus"] = m.local(value)
        ranks = _iris(props.get(m.ag("rank")))
        if ranks:
            # Of several, the lowest, as the loader's best-rank marks count it.
            out["rank"] = m.local(min(ranks, key=lambda iri: rank_of([iri])))
        competes = _iris(props.get(m.ag("competesWith")))
        if competes:
            out["competesWith"] = competes
        out["citations"] = _citations(self.reader, props)
        return out

    def relationship_statements(self, iri: str, rivals: list[str]) -> list[dict]:
        props = self.reader.props(iri)
        # Several values where the shapes allow one: left out, as the ownership index
        # sets it aside, rather than the first one the store lists (claims.py).
        reason = set_aside_because(lambda prop: props.get(m.ag(prop), []))
        if reason:
            self.report.left_out.append(f"{iri}: {reason}")
            return []
        # A start or end the loader could not bound: stop, as the ownership index does,
        # rather than state the stake without it.
        for prop, lo in BOUNDED.items():
            given = [v for v in props.get(m.ag(prop), ()) if isinstance(v, ox.Literal)]
            if given and not props.get(m.ag(lo)):
                raise UsageError(unread_date(iri, prop, given[0].value))
        p = self.claim_payload(iri, props)
        holder, held = p.get("holder"), p.get("held")
        if not holder or not held:
            self.report.left_out.append(f"{iri}: a shareholding without ag:holder or ag:held")
            return []
        p["rivals"] = [self.claim_payload(r, self.reader.props(r)) for r in rivals]
        if not p["rivals"]:
            del p["rivals"]
        through = p.get("heldThrough")
        interests, notes = _interests(p, "indirect" if through else "direct")
        ongoing = p.get("endStatus") == "Ongoing"
        date = self._statement_date(p["citations"], p.get("startLatest"), ongoing=ongoing)
        out = []
        details: dict = {"isComponent": False, "subject": held, "interestedParty": holder}
        if through:
            # BODS's indirect interest: the intermediary holds the shares (first component),
            # the holder benefits through the intermediary (second component).
            legal, _ = _interests(p, "direct")
            held_part = iri + "/held-by-intermediary"
            holder_part = iri + "/holder-through-intermediary"
            kind = (
                "beneficiaryOfLegalArrangement" if self._is_arrangement(through) else "shareholding"
            )
            benefit = {"type": kind, "directOrIndirect": "direct"}
            if legal and "startDate" in legal[0]:
                benefit["startDate"] = legal[0]["startDate"]
            if legal and "endDate" in legal[0]:
                benefit["endDate"] = legal[0]["endDate"]
            for part_id, subject, party, ints in (
                (held_part, held, through, legal),
                (holder_part, through, holder, [benefit]),
            ):
                out.append(
                    self._wrap(
                        part_id,
                        "relationship",
                        {
                            "isComponent": True,
                            "componentRecords": [],
                            "subject": subject,
                            "interestedParty": party,
                            "interests": ints,
                        },
                        p["citations"],
                        None,
                        held,
                        date=date,
                    )
                )
            details["componentRecords"] = [held_part, holder_part]
        details["interests"] = interests
        self.report.relationships += 1
        notes = notes + [_rival_note(r) for r in p.get("rivals", [])]
        out.append(
            self._wrap(
                iri, "relationship", details, p["citations"], p, held, notes=notes, date=date
            )
        )
        return out

    def _is_arrangement(self, iri: str) -> bool:
        kinds = _kinds(self.reader.props(iri))
        return _entity_type(kinds)["type"] == "arrangement"

    def statements(self) -> Iterator[dict]:
        for iri in self.agents():
            yield self.agent_statement(iri)
        chosen, rivals = self.claims()
        for iri in chosen:
            yield from self.relationship_statements(iri, rivals.get(iri, []))


def _half_unit(text: str) -> Decimal:
    digits = text.rstrip("0").rstrip(".") if "." in text else text
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return Decimal(5) / (Decimal(10) ** (decimals + 1))


def _number(text: str) -> float | int:
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def _share(p: dict, key: str) -> tuple[dict | None, str | None]:
    """The BODS share of a figure, and what BODS's share cannot say, in words."""
    text = p.get(key)
    if text is None and key == "votingPercent":
        text = p.get("percent")
    if text is not None:
        if p.get("approximate"):
            half = _half_unit(text)
            value = Decimal(text)
            lo, hi = max(Decimal(0), value - half), min(Decimal(100), value + half)
            return (
                {"minimum": _number(str(lo)), "maximum": _number(str(hi))},
                f"The source gives about {text}%; the range is that figure to the precision "
                "it is given in.",
            )
        return {"exact": _number(text)}, None
    if "minValue" in p or "maxValue" in p:
        share = {}
        if "minValue" in p:
            share["minimum"] = _number(p["minValue"])
        if "maxValue" in p:
            share["maximum"] = _number(p["maxValue"])
        return share, None
    return None, None


def _dates(p: dict) -> tuple[dict, list[str]]:
    """startDate/endDate (BODS: one day each, rounded down) and what they lose."""
    out, said = {}, []
    start, lo, hi = p.get("start"), p.get("startEarliest"), p.get("startLatest")
    if lo or hi:
        out["startDate"] = lo or hi
    if start and start["precision"] != "day":
        said.append(
            (
                "startDate",
                f"The start is known to the {start['precision']} only: "
                f"{start['value']}; startDate gives its first day.",
            )
        )
    elif lo and hi and lo != hi:
        said.append(
            (
                "startDate",
                f"The start lies between {lo} and {hi}; startDate gives the earliest day.",
            )
        )
    elif not lo and hi:
        said.append(("startDate", f"The start is not known; it was held by {hi}."))
    status = p.get("endStatus")
    end, elo, ehi = p.get("end"), p.get("endEarliest"), p.get("endLatest")
    if status == "EndUnknown" or (elo and not ehi and not end):
        said.append(
            (
                "",
                "The end is unknown: last reported before "
                f"{elo or 'an unknown day'}, it may have ended any day since.",
            )
        )
    elif status == "Ongoing":
        pass
    elif elo or ehi:
        out["endDate"] = elo or ehi
        if end and end["precision"] != "day":
            said.append(
                (
                    "endDate",
                    f"The end is known to the {end['precision']} only: "
                    f"{end['value']}; endDate gives its first day.",
                )
            )
        elif elo and ehi and elo != ehi:
            said.append(
                (
                    "endDate",
                    f"The end lies between {elo} and {ehi}; endDate gives the earliest day.",
                )
            )
    return out, said


def _interests(p: dict, direct: str) -> tuple[list[dict], list[dict]]:
    kinds = set(p.get("interests", []))
    dates, said = _dates(p)
    interests, notes = [], []
    for kind, bods_type, key in (
        ("EconomicInterest", "shareholding", "percent"),
        ("VotingInterest", "votingRights", "votingPercent"),
    ):
        if kind not in kinds:
            continue
        interest: dict = {"type": bods_type, "directOrIndirect": direct}
        share, share_note = _share(p, key)
        if share:
            interest["share"] = share
        details = []
        if p.get("qualitativeAmount"):
            details.append(f"size given in words: {p['qualitativeAmount']}")
        if kind == "VotingInterest" and p.get("votingCap"):
            details.append(f"votes exercisable up to {p['votingCap']}% under an agreement")
        if details:
            interest["details"] = "; ".join(details)
        interest.update(dates)
        index = len(interests)
        interests.append(interest)
        base = f"/recordDetails/interests/{index}"
        if share_note:
            notes.append(_note(base + "/share", share_note))
        if kind == "VotingInterest" and p.get("votingCap"):
            notes.append(
                _note(
                    base,
                    f"BODS has no voting cap: the holder may exercise at "
                    f"most {p['votingCap']}% of the votes.",
                )
            )
        if index == 0:
            for target, text in said:
                notes.append(_note(base + ("/" + target if target else ""), text))
    if not interests:
        interests.append({"type": "unknownInterest", "directOrIndirect": direct, **dates})
    return interests, notes


def _note(pointer: str, text: str) -> dict:
    return {"statementPointerTarget": pointer, "motivation": "commenting", "description": text}


def _rival_note(r: dict) -> dict:
    size = f"{r['percent']}%" if "percent" in r else r.get("qualitativeAmount", "a stake")
    rank = {"DeprecatedRank": "ranked deprecated", "PreferredRank": "ranked preferred"}.get(
        r.get("rank", ""), "ranked normal, outranked by this one"
    )
    text = f"A competing claim, {rank}: {r.get('label') or size}"
    if r.get("rankReason"):
        text += f". {r['rankReason']}"
    return {"statementPointerTarget": "", "motivation": "correcting", "description": text}


def statements(
    store: ox.Store, *, publication_date: str | None = None, report: ExportReport | None = None
) -> Iterator[dict]:
    """The BODS statements of ``store``, one at a time (entities and persons first)."""
    exporter = _Exporter(store, publication_date or dt.date.today().isoformat())
    if report is not None:
        exporter.report = report
    yield from exporter.statements()


def write(
    store: ox.Store,
    out,
    *,
    lines: bool = False,
    publication_date: str | None = None,
    report: ExportReport | None = None,
) -> ExportReport:
    """Write the statements of ``store`` to the binary stream ``out``: a JSON array, or
    JSON Lines (one statement a line) when ``lines`` is true."""
    report = report if report is not None else ExportReport()
    first = True
    if not lines:
        out.write(b"[\n")
    for statement in statements(store, publication_date=publication_date, report=report):
        text = json.dumps(statement, ensure_ascii=False, separators=(",", ":"))
        if lines:
            out.write(text.encode("utf-8") + b"\n")
        else:
            out.write((b"" if first else b",\n") + text.encode("utf-8"))
        first = False
    if not lines:
        out.write(b"\n]\n")
    return report


def _store_of(parts, options):
    """The registry hands writers an rdflib graph: copy it into a store (derived triples
    included, as the loader adds them)."""
    from ..store import from_rdflib, materialise

    store = from_rdflib(parts.full)
    if not any(
        True
        for _ in store.quads_for_pattern(
            None, ox.NamedNode(m.RDF_TYPE), ox.NamedNode(m.ag("BestRank")), _DEFAULT
        )
    ):
        materialise(store)
    return store


def write_array(parts, out, options) -> None:
    """Writer of the export registry: a JSON array of statements."""
    options.notes.extend(write(_store_of(parts, options), out, lines=False).left_out)


def write_lines(parts, out, options) -> None:
    """Writer of the export registry: JSON Lines."""
    options.notes.extend(write(_store_of(parts, options), out, lines=True).left_out)
