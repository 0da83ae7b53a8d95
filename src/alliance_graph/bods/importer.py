"""BODS 0.4 statements as triples of the project's vocabulary, streamed.

A file is read one statement at a time (a JSON array through :mod:`.json_array`, or JSON
Lines), and each statement becomes triples at once; only what later statements may change
is kept: the names of the records seen (for labels), the open claims of each relationship record
(so that an updated or closed record can end them) and the components of indirect
relationships not yet claimed by their primary. Statements that cannot be mapped are
named with their ``statementId`` and the reason in :class:`ImportReport`.

For the loader: :func:`is_bods` says whether a file is BODS; :func:`triples` streams its
triples and :func:`to_ntriples` returns them as N-Triples bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from ..errors import DataFileError
from ..namespaces import PROJECT_PREFIXES, XSD
from ..temporal import parse_date
from . import mapping as m

_DATATYPE = {"day": "date", "month": "gYearMonth", "year": "gYear"}


@dataclass
class ImportReport:
    """What an import read, made and could not map."""

    statements: int = 0
    entities: int = 0
    persons: int = 0
    stakes: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (statementId, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # mapped, with a loss

    def skip(self, sid: str, reason: str) -> None:
        self.skipped.append((sid, reason))


# ---------------------------------------------------------------------------------------
# Reading statements
# ---------------------------------------------------------------------------------------


def _first_byte(path: Path) -> bytes:
    with open(path, "rb") as f:
        while True:
            chunk = f.read(4096)
            if not chunk:
                return b""
            stripped = chunk.lstrip()
            if stripped.startswith(b"\xef\xbb\xbf"):
                stripped = stripped[3:].lstrip()
            if stripped:
                return stripped[:1]


def is_bods(path: Path | str) -> bool:
    """Whether ``path`` looks like BODS statements (a ``.json``/``.jsonl`` file whose
    first 64 KiB name ``statementId`` and ``recordType`` or ``statementType``, and no
    JSON-LD ``@context``). Cheap: reads no more than that."""
    path = Path(path)
    if path.suffix.lower() not in (".json", ".jsonl") or not path.is_file():
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(65536)
    except OSError:
        return False
    return (
        b'"statementId"' in head
        and (b'"recordType"' in head or b'"statementType"' in head)
        and b'"@context"' not in head
    )


def read_statements(path: Path | str) -> Iterator[dict]:
    """The statements of a BODS file, one at a time: a JSON array or JSON Lines."""
    from .json_array import JsonArrayError, values

    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "no such file")
    if path.is_dir():
        raise DataFileError(path, "is a folder, not a BODS file")
    first = _first_byte(path)
    if first == b"[":
        with open(path, "rb") as f:
            try:
                # numbers as json.loads reads them (shares are turned into decimals
                # through their shortest repr)
                yield from values(f)
            except JsonArrayError as exc:
                raise DataFileError(path, str(exc), exc.line) from None
        return
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as exc:
                raise DataFileError(path, f"not valid JSON Lines: {exc}", number) from None
            except RecursionError:
                raise DataFileError(
                    path, "nested too deeply (arrays and objects inside one another)", number
                ) from None
            if isinstance(value, list):  # a JSON array on one line
                yield from value
            else:
                yield value


# ---------------------------------------------------------------------------------------
# Triples
# ---------------------------------------------------------------------------------------


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _ag(name: str) -> ox.NamedNode:
    return ox.NamedNode(m.ag(name))


def _s(text: str) -> ox.Literal:
    return ox.Literal(text)


def _typed(text: str, kind: str) -> ox.Literal:
    return ox.Literal(text, datatype=_n(XSD + kind))


def _date_literal(value: dict | str) -> ox.Literal:
    if isinstance(value, str):
        span = parse_date(value[:10])
        return _typed(str(span), _DATATYPE[span.precision])
    return _typed(value["value"], _DATATYPE[value["precision"]])


def _day(text: str) -> ox.Literal:
    return _typed(text, "date")


def _decimal(value) -> str | None:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite():
        return None
    text = format(d.normalize(), "f")
    return text if "." in text else text + ".0"


def _share_problem(share: dict) -> str | None:
    for name, value in share.items():
        number = _decimal(value) if not isinstance(value, bool) else None
        if number is None or not 0 <= Decimal(number) <= 100:
            return f"share {name} {value!r} is not a percentage from 0 to 100"
    lows = [n for n in ("minimum", "exclusiveMinimum") if n in share]
    highs = [n for n in ("maximum", "exclusiveMaximum") if n in share]
    for low in lows:
        for high in highs:
            lo, hi = Decimal(_decimal(share[low])), Decimal(_decimal(share[high]))
            # No percentage lies in the range: the figures are swapped or one is wrong.
            if lo > hi or (lo == hi and "exclusive" in low + high):
                return f"share {low} {share[low]!r} leaves no room below {high} {share[high]!r}"
    return None


def _dates_problem(interest: dict) -> str | None:
    for name in ("startDate", "endDate"):
        value = interest.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            return f"{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD, as text)"
        try:
            parse_date(str(value)[:10])
        except ValueError as exc:
            return f"{name}: {exc}"
    start, end = interest.get("startDate"), interest.get("endDate")
    # As the CSV import reads them: spans of days, an end whose last day is not after
    # the start's first (as text, "2020" <= "2020" refused a stake of one year).
    if start and end and parse_date(str(end)[:10]).latest <= parse_date(str(start)[:10]).earliest:
        return f"endDate {end} is not after startDate {start}"
    return None


def _plus_one(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


class _Claim:
    """A claim of a relationship record: its key (start, shares, intermediary), its
    number within the record, and whether it has ended."""

    __slots__ = ("key", "n", "ended")

    def __init__(self, key: tuple, n: int):
        self.key, self.n, self.ended = key, n, False


class _History:
    """What later statements of a relationship record need: the last statement's date
    and the record's claims (slots: a million records must stay small)."""

    __slots__ = ("date", "claims", "count", "ends")

    def __init__(self, ends: tuple[str, str]):
        self.date: str | None = None
        self.claims: list[_Claim] = []
        self.count = 0
        self.ends = ends  # (subject, interestedParty): what the record is about


def _claim_node(base: str, n: int) -> str:
    return base if n == 0 else f"{base}/{n}"


class _Importer:
    def __init__(self, report: ImportReport):
        self.report = report
        self.names: dict[str, str] = {}  # record node -> first name seen
        # record node -> (statementId, role, recordId) of the first stake naming it,
        # for a record no statement describes (checked at the end: order is free)
        self.named_only: dict[str, tuple[str, str, str]] = {}
        self.sources: set[str] = set()
        self.components: dict[str, tuple[str, str, list]] = {}  # recordId -> parts
        self.open: dict[str, _History] = {}  # relationship recordId -> history

    # -- shared pieces --------------------------------------------------------------

    def source(self, statement: dict) -> tuple[list[ox.Triple], str]:
        src = statement.get("source") if isinstance(statement.get("source"), dict) else {}
        details = statement.get("publicationDetails")
        publisher = details.get("publisher") if isinstance(details, dict) else None
        if not isinstance(publisher, dict):
            if details is not None:
                sid = str(statement.get("statementId"))
                self.report.notes.append((sid, "publicationDetails has no publisher: ignored"))
            publisher = {}
        key = json.dumps([src, publisher], sort_keys=True)
        iri = m.source_iri(key)
        out = []
        if iri not in self.sources:
            self.sources.add(iri)
            node = _n(iri)
            label = src.get("description") or (
                "BODS statements published by " + (publisher.get("name") or "an unnamed publisher")
            )
            out += [
                ox.Triple(node, _n(m.RDF_TYPE), _ag("Source")),
                ox.Triple(node, _n(m.RDFS_LABEL), _s(label)),
            ]
            if publisher.get("name"):
                out.append(ox.Triple(node, _ag("publisher"), _s(publisher["name"])))
            if isinstance(src.get("url"), str):
                out.append(ox.Triple(node, _ag("url"), _typed(src["url"], "anyURI")))
            else:  # a source says where to find it (the shapes ask it of every source)
                out.append(
                    ox.Triple(
                        node,
                        _ag("accessNote"),
                        _s("named by BODS statements that give no web address for it"),
                    )
                )
            types = src.get("type")
            if isinstance(types, list) and types:
                out.append(
                    ox.Triple(
                        node,
                        _ag("note"),
                        _s("BODS source type: " + ", ".join(str(t) for t in types)),
                    )
                )
        return out, iri

    def cite(
        self, node: ox.NamedNode, source: str, locator: str, reported: str | None
    ) -> list[ox.Triple]:
        c = ox.BlankNode()
        out = [
            ox.Triple(node, _ag("citation"), c),
            ox.Triple(c, _n(m.RDF_TYPE), _ag("Citation")),
            ox.Triple(c, _ag("source"), _n(source)),
            ox.Triple(c, _ag("locator"), _s(locator)),
        ]
        if reported:
            out.append(ox.Triple(c, _ag("reportedOn"), _day(reported)))
        return out

    def payload_citations(self, node: ox.NamedNode, citations: list[dict]) -> list[ox.Triple]:
        out = []
        for c in citations:
            source = c.get("source")
            if not source:
                continue
            if source not in self.sources:
                self.sources.add(source)
                s = _n(source)
                out.append(ox.Triple(s, _n(m.RDF_TYPE), _ag("Source")))
                out.append(
                    ox.Triple(
                        s,
                        _n(m.RDFS_LABEL),
                        ox.Literal(c.get("sourceLabel") or m.local(source), language="en"),
                    )
                )
                if c.get("publisher"):
                    out.append(ox.Triple(s, _ag("publisher"), _s(c["publisher"])))
                if c.get("url"):
                    out.append(ox.Triple(s, _ag("url"), _typed(c["url"], "anyURI")))
                else:
                    out.append(
                        ox.Triple(
                            s,
                            _ag("accessNote"),
                            _s(
                                c.get("accessNote")
                                or "named by a BODS annotation without a web address"
                            ),
                        )
                    )
                if c.get("published"):
                    out.append(ox.Triple(s, _ag("published"), _date_literal(c["published"])))
                if c.get("sourceNote"):
                    out.append(ox.Triple(s, _ag("note"), _s(c["sourceNote"])))
            out += self.cite(
                node, source, c.get("locator") or "BODS statement", c.get("reportedOn")
            )
        return out

    # -- statements -----------------------------------------------------------------

    def statement(self, st) -> Iterator[ox.Triple]:
        """The triples of one statement, or none and a reason in the report: a field of
        an unexpected type or form anywhere in it (the statements are untrusted input)
        skips that statement, named, rather than stopping the import."""
        self.report.statements += 1
        position = f"#{self.report.statements}"
        if not isinstance(st, dict):
            self.report.skip(position, "not a JSON object")
            return
        sid = st.get("statementId") if isinstance(st.get("statementId"), str) else position
        try:
            out = list(self._statement(st, sid))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            field = f" {exc}" if isinstance(exc, KeyError) else ""
            detail = f"missing field{field}" if isinstance(exc, KeyError) else str(exc)
            self.report.skip(sid, f"a field of an unexpected type or form ({detail})")
            return
        yield from out

    def _statement(self, st: dict, sid: str) -> Iterator[ox.Triple]:
        record_type = st.get("recordType")
        if record_type is None and "statementType" in st:
            self.report.skip(
                sid, "a BODS 0.3 or older statement (statementType); only BODS 0.4 records are read"
            )
            return
        details = st.get("recordDetails")
        record_id = st.get("recordId")
        if not isinstance(record_id, str) or not isinstance(details, dict):
            self.report.skip(sid, "no recordId or recordDetails")
            return
        date = st.get("statementDate")
        if not isinstance(date, str):
            self.report.skip(sid, "no statementDate")
            return
        try:
            date = dt.date.fromisoformat(date[:10]).isoformat()
        except ValueError:
            self.report.skip(sid, f"statementDate {date!r} is not a date")
            return
        payload = None
        for a in st.get("annotations") or ():
            if isinstance(a, dict) and isinstance(a.get(m.PAYLOAD), dict):
                payload = a[m.PAYLOAD]
        if record_type in ("entity", "person"):
            yield from self.agent(st, sid, record_id, record_type, details, date, payload)
        elif record_type == "relationship":
            yield from self.relationship(st, sid, record_id, details, date, payload)
        else:
            self.report.skip(
                sid, f"recordType {record_type!r} is not entity, person or relationship"
            )

    def agent(self, st, sid, record_id, record_type, details, date, payload):
        node_iri = m.node_of_record(record_id)
        node = _n(node_iri)
        if payload:
            kinds = payload.get("kinds") or ["Organisation"]
            for k in kinds:
                yield ox.Triple(node, _n(m.RDF_TYPE), _ag(k))
            if node_iri not in self.names:
                self.names[node_iri] = payload.get("label") or m.local(node_iri)
                yield ox.Triple(
                    node, _n(m.RDFS_LABEL), ox.Literal(self.names[node_iri], language="en")
                )
                for alt in payload.get("altLabels", ()):
                    yield ox.Triple(node, _n(m.SKOS_ALT), ox.Literal(alt, language="en"))
                for other in payload.get("otherLabels", ()):
                    if not isinstance(other, dict) or not isinstance(other.get("text"), str):
                        continue
                    text, lang = other["text"], other.get("language")
                    try:
                        label = ox.Literal(text, language=lang) if lang else _s(text)
                    except (TypeError, ValueError):
                        why = f"language {lang!r} is not a language tag; kept without one"
                        self.report.notes.append((sid, f"label {text!r}: {why}"))
                        label = _s(text)
                    yield ox.Triple(node, _n(m.RDFS_LABEL), label)
                if payload.get("description"):
                    yield ox.Triple(node, _ag("description"), _s(payload["description"]))
            yield from self.payload_citations(node, payload.get("citations", []))
            self.count(kinds)
            return
        if record_type == "person":
            names = [
                n
                for n in details.get("names") or ()
                if isinstance(n, dict) and isinstance(n.get("fullName"), str)
            ]
            names.sort(key=lambda n: n.get("type") != "legal")
            all_names = [n["fullName"] for n in names]
            kind = "Person"
            fallback = f"Unknown person ({record_id})"
        else:
            all_names = [details["name"]] if isinstance(details.get("name"), str) else []
            all_names += [a for a in details.get("alternateNames") or () if isinstance(a, str)]
            etype = details.get("entityType") if isinstance(details.get("entityType"), dict) else {}
            kind = m.CLASS_OF_SUBTYPE.get(etype.get("subtype")) or m.CLASS_OF_ENTITY_TYPE.get(
                etype.get("type"), "Organisation"
            )
            fallback = f"Unknown entity ({record_id})"
        yield ox.Triple(node, _n(m.RDF_TYPE), _ag(kind))
        first = self.names.get(node_iri)
        if first is None:
            first = all_names[0] if all_names else fallback
            self.names[node_iri] = first
            yield ox.Triple(node, _n(m.RDFS_LABEL), _s(first))
        for name in all_names:
            if name != first:
                yield ox.Triple(node, _n(m.SKOS_ALT), _s(name))
        triples, source = self.source(st)
        yield from triples
        yield from self.cite(node, source, f"BODS statement {sid}", date)
        self.count([kind])

    def count(self, kinds):
        if "Person" in kinds:
            self.report.persons += 1
        else:
            self.report.entities += 1

    # -- relationships --------------------------------------------------------------

    def relationship(self, st, sid, record_id, details, date, payload):
        subject, party = details.get("subject"), details.get("interestedParty")
        if not isinstance(subject, str) or not isinstance(party, str):
            which = "subject" if not isinstance(subject, str) else "interestedParty"
            reason = ""
            value = details.get(which)
            if isinstance(value, dict) and value.get("reason"):
                reason = f" ({value['reason']})"
            self.report.skip(
                sid, f"the {which} is not disclosed{reason}: no stake without both holder and held"
            )
            return
        if details.get("isComponent") is True:
            self.components[record_id] = (subject, party, sid)
            return
        through = None
        for part in details.get("componentRecords") or ():
            component = self.components.pop(part, None)
            if component is None:
                self.report.notes.append(
                    (
                        sid,
                        f"componentRecords names {part!r}, which no earlier statement gives "
                        "as a component: the intermediary is not known",
                    )
                )
            elif component[0] == subject and component[1] != party:
                through = component[1]
        if payload:
            yield from self.payload_claim(payload)
            for rival in payload.get("rivals", ()):
                yield from self.payload_claim(rival)
            return
        yield from self.standard(st, sid, record_id, subject, party, through, details, date)

    def payload_claim(self, p: dict) -> Iterator[ox.Triple]:
        node = _n(p["iri"])
        yield ox.Triple(node, _n(m.RDF_TYPE), _ag("Shareholding"))
        self.report.stakes += 1
        if p.get("label"):
            yield ox.Triple(node, _n(m.RDFS_LABEL), ox.Literal(p["label"], language="en"))
        for key in ("holder", "held", "heldThrough"):
            if p.get(key):
                yield ox.Triple(node, _ag(key), _n(m.node_of_record(p[key])))
        for kind in p.get("interests", ()):
            yield ox.Triple(node, _ag("interest"), _ag(kind))
        for key in ("percent", "votingPercent", "votingCap", "minValue", "maxValue"):
            if p.get(key) is not None:
                yield ox.Triple(node, _ag(key), _typed(str(p[key]), "decimal"))
        if "approximate" in p:
            yield ox.Triple(
                node, _ag("approximate"), _typed("true" if p["approximate"] else "false", "boolean")
            )
        for key in ("qualitativeAmount", "rankReason", "note"):
            if p.get(key):
                yield ox.Triple(node, _ag(key), _s(p[key]))
        for key in ("start", "end"):
            if p.get(key):
                yield ox.Triple(node, _ag(key), _date_literal(p[key]))
        for key in ("startEarliest", "startLatest", "endEarliest", "endLatest"):
            if p.get(key):
                yield ox.Triple(node, _ag(key), _day(p[key]))
        for key in ("endStatus", "rank"):
            if p.get(key):
                yield ox.Triple(node, _ag(key), _ag(p[key]))
        for rival in p.get("competesWith", ()):
            yield ox.Triple(node, _ag("competesWith"), _n(m.node_of_record(rival)))
        yield from self.payload_citations(node, p.get("citations", []))

    def groups(self, sid, interests) -> list[dict]:
        """Interests grouped into stakes: one per pair of start and end dates."""
        groups: dict[tuple, dict] = {}
        for i, interest in enumerate(interests or ()):
            if not isinstance(interest, dict):
                continue
            kind = interest.get("type")
            if kind in m.ECONOMIC_TYPES:
                interest_kind = "EconomicInterest"
            elif kind in m.VOTING_TYPES:
                interest_kind = "VotingInterest"
            else:
                self.report.notes.append(
                    (sid, f"interest {i} ({kind}) is no stake in this vocabulary and is left out")
                )
                continue
            share = interest.get("share") if isinstance(interest.get("share"), dict) else {}
            problem = _share_problem(share) or _dates_problem(interest)
            if problem:
                self.report.notes.append((sid, f"interest {i} ({kind}) is left out: {problem}"))
                continue
            key = (interest.get("startDate"), interest.get("endDate"))
            g = groups.setdefault(key, {"start": key[0], "end": key[1], "kinds": {}})
            g["kinds"][interest_kind] = share
            if interest.get("directOrIndirect") == "indirect":
                g["indirect"] = True
            if isinstance(interest.get("details"), str):
                g.setdefault("details", []).append(interest["details"])
        return list(groups.values())

    def standard(self, st, sid, record_id, subject, party, through, details, date):
        history = self.open.get(record_id)
        if history is not None and history.ends != (subject, party):
            self.report.skip(
                sid,
                f"record {record_id} is about {history.ends[1]} in {history.ends[0]}; a "
                "later statement of it cannot change its subject or interested party",
            )
            return
        if history is not None and history.date is not None and date <= history.date:
            # its claims would end before they start (bounds the wrong way round)
            self.report.skip(
                sid,
                f"statementDate {date} is not after that of the record's previous statement "
                f"({history.date}): the statements of a record come in date order",
            )
            return

        def rejected_stakes():  # stake interests left out for their share or dates
            return sum(1 for n, why in self.report.notes if n == sid and " is left out: " in why)

        before = rejected_stakes()
        groups = self.groups(sid, details.get("interests"))
        if not groups and history is None:
            rejected = rejected_stakes() > before
            self.report.skip(
                sid,
                "every interest was left out (its notes say why)"
                if rejected
                else "no shareholding, voting-rights or profit interest: nothing "
                "this vocabulary models as a stake",
            )
            return
        triples, source = self.source(st)
        yield from triples
        base = m.node_of_record(record_id)
        first = history is None
        if first:
            history = _History((subject, party))
        closing = st.get("recordStatus") == "closed"
        unmatched = [c for c in history.claims if not c.ended]
        for g in groups:
            eco, vote = g["kinds"].get("EconomicInterest"), g["kinds"].get("VotingInterest")
            fig = lambda share: _decimal(share.get("exact")) if share else None  # noqa: E731
            key = (g["start"], fig(eco), fig(vote), through)
            claim = next((c for c in history.claims if c.key == key), None)
            if claim is not None:
                if claim in unmatched:
                    unmatched.remove(claim)
                node = _n(_claim_node(base, claim.n))
            else:
                claim = _Claim(key, history.count)
                history.count += 1
                node = _n(_claim_node(base, claim.n))
                history.claims.append(claim)
                yield from self.new_claim(
                    node,
                    sid,
                    subject,
                    party,
                    through,
                    g,
                    eco,
                    vote,
                    None if first else history,
                    date,
                )
            holds = (g["end"] is None or g["end"] > date) and (
                g["start"] is None or g["start"][:10] <= date
            )
            # a closing statement reports the end, not the stake
            yield from self.cite(
                node, source, f"BODS statement {sid}", date if holds and not closing else None
            )
            if g["end"] and not claim.ended:
                claim.ended = True
                yield ox.Triple(node, _ag("end"), _date_literal(g["end"]))
        ended_by = list(unmatched)  # no longer given: ended between the two statements
        if closing:  # the record's last statement: what is still open ends by its date
            ended_by += [c for c in history.claims if not c.ended and c not in ended_by]
        for c in ended_by:
            c.ended = True
            node = _n(_claim_node(base, c.n))
            if history.date:
                yield ox.Triple(node, _ag("endEarliest"), _day(_plus_one(history.date)))
            yield ox.Triple(node, _ag("endLatest"), _day(date))
        if closing:
            self.open.pop(record_id, None)
            return
        history.date = date
        self.open[record_id] = history

    def new_claim(self, node, sid, subject, party, through, g, eco, vote, history, date):
        self.report.stakes += 1
        holder, held = m.node_of_record(party), m.node_of_record(subject)
        for iri, role, record in ((holder, "interestedParty", party), (held, "subject", subject)):
            if iri not in self.names:
                self.named_only.setdefault(iri, (sid, role, record))
        yield ox.Triple(node, _n(m.RDF_TYPE), _ag("Shareholding"))
        yield ox.Triple(node, _ag("holder"), _n(holder))
        yield ox.Triple(node, _ag("held"), _n(held))
        if through:
            yield ox.Triple(node, _ag("heldThrough"), _n(m.node_of_record(through)))
        share = eco if eco is not None else vote
        words = []
        for kind, sh in (("EconomicInterest", eco), ("VotingInterest", vote)):
            if sh is not None:
                yield ox.Triple(node, _ag("interest"), _ag(kind))
        exact = _decimal(share.get("exact")) if share else None
        if exact is not None:
            yield ox.Triple(node, _ag("percent"), _typed(exact, "decimal"))
            if eco is None:
                self.report.notes.append(
                    (
                        sid,
                        "voting rights without a shareholding: the "
                        "share of votes is written as ag:percent",
                    )
                )
            voting = _decimal(vote.get("exact")) if vote else None
            if voting is not None and voting != exact:
                yield ox.Triple(node, _ag("votingPercent"), _typed(voting, "decimal"))
        elif share:
            lo = share.get("minimum", share.get("exclusiveMinimum"))
            hi = share.get("maximum", share.get("exclusiveMaximum"))
            if lo is not None and _decimal(lo):
                yield ox.Triple(node, _ag("minValue"), _typed(_decimal(lo), "decimal"))
                more = (
                    "more than"
                    if "exclusiveMinimum" in share and "minimum" not in share
                    else "at least"
                )
                words.append(f"{more} {_decimal(lo)}%")
            if hi is not None and _decimal(hi):
                yield ox.Triple(node, _ag("maxValue"), _typed(_decimal(hi), "decimal"))
                less = (
                    "less than"
                    if "exclusiveMaximum" in share and "maximum" not in share
                    else "at most"
                )
                words.append(f"{less} {_decimal(hi)}%")
        if exact is None:
            text = " and ".join(words) if words else "not given"
            yield ox.Triple(node, _ag("qualitativeAmount"), _s(text))
        label = (
            f"{self.names.get(holder, m.local(holder))} in {self.names.get(held, m.local(held))}"
        )
        label += f", {exact}%" if exact else (f", {' and '.join(words)}" if words else "")
        yield ox.Triple(node, _n(m.RDFS_LABEL), _s(label))
        if g["start"]:
            yield ox.Triple(node, _ag("start"), _date_literal(g["start"]))
        elif history:
            yield ox.Triple(node, _ag("startEarliest"), _day(_plus_one(history.date)))
            yield ox.Triple(node, _ag("startLatest"), _day(date))
        else:
            yield ox.Triple(node, _ag("startLatest"), _day(date))
        notes = list(g.get("details", []))
        if g.get("indirect") and not through:
            notes.append("held indirectly; the intermediaries are not given")
        if notes:
            yield ox.Triple(node, _ag("note"), _s("; ".join(notes)))

    def finish(self) -> Iterator[ox.Triple]:
        for record_id, history in self.open.items():
            base = m.node_of_record(record_id)
            for c in history.claims:
                if c.ended:
                    continue
                node = _n(_claim_node(base, c.n))
                yield ox.Triple(node, _ag("endStatus"), _ag("EndUnknown"))
                yield ox.Triple(node, _ag("endEarliest"), _day(_plus_one(history.date)))
        self.open.clear()
        for iri, (sid, role, record) in self.named_only.items():
            if iri not in self.names:
                self.report.notes.append(
                    (
                        sid,
                        f"its {role} {record!r} is described by no entity or person "
                        "statement of the file: the stake is imported, and that record "
                        "has no name or kind until a file that describes it is added",
                    )
                )
        self.named_only.clear()
        for record_id, (_, _, sid) in self.components.items():
            self.report.skip(
                sid,
                f"component record {record_id} is named by no primary relationship that follows it",
            )
        self.components.clear()


def triples(path: Path | str, report: ImportReport | None = None) -> Iterator[ox.Triple]:
    """The triples of a BODS file, streamed (see the module docstring)."""
    importer = _Importer(report if report is not None else ImportReport())
    for st in read_statements(path):
        yield from importer.statement(st)
    yield from importer.finish()


def to_ntriples(path: Path | str, report: ImportReport | None = None) -> bytes:
    """The triples of a BODS file as N-Triples bytes (for a loader that takes bytes)."""
    return ox.serialize(triples(path, report), format=ox.RdfFormat.N_TRIPLES)


def write_turtle(path: Path | str, out, report: ImportReport | None = None) -> ImportReport:
    """Write the triples of a BODS file as Turtle to the binary stream ``out``."""
    report = report if report is not None else ImportReport()
    ox.serialize(
        triples(path, report),
        out,
        ox.RdfFormat.TURTLE,
        prefixes={**PROJECT_PREFIXES, "rdfs": m.RDFS_LABEL[:-5], "xsd": XSD},
    )
    if report.statements == len(report.skipped) and not (report.entities or report.persons):
        # Nothing read is BODS (an empty array, another JSON document): an error, as an
        # empty CSV is, and the writer then leaves no file behind.
        raise DataFileError(
            Path(path),
            f"no BODS statement could be imported ({report.statements} read, "
            f"{len(report.skipped)} not imported): is it a BODS 0.4 file?",
        )
    return report
