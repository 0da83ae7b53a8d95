"""A CSV of stakes, one row a stake, as triples of the project's vocabulary.

The header (docs/import-csv.md): ``holder, held, percent, interest, start, end, source,
note``, and optionally ``holder_kind``, ``held_kind`` and ``through``. Entities are
named; each name becomes one entity (created on first use, matched again by its name,
case and spacing aside). Every row is checked before anything is written: every bad row
is named by its line and column with the reason, and then nothing is written at all.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from ..errors import AllianceGraphError, DataFileError
from ..namespaces import AG, PROJECT_PREFIXES, RES, SRC, XSD
from ..temporal import parse_date

COLUMNS = ("holder", "held", "percent", "interest", "start", "end", "source", "note")
OPTIONAL = ("holder_kind", "held_kind", "through")
REQUIRED = ("holder", "held", "percent")

KINDS = {
    "company": "Company",
    "organisation": "Organisation",
    "organization": "Organisation",
    "person": "Person",
    "state": "State",
    "trust": "Trust",
    "joint venture": "JointVenture",
}
INTEREST = {
    "": ("EconomicInterest", "VotingInterest"),
    "both": ("EconomicInterest", "VotingInterest"),
    "economic+voting": ("EconomicInterest", "VotingInterest"),
    "economic": ("EconomicInterest",),
    "shares": ("EconomicInterest",),
    "voting": ("VotingInterest",),
    "votes": ("VotingInterest",),
}
_TRUST = re.compile(r"\btrust\b", re.I)
_STATE = re.compile(r"\b(state|government|republic|kingdom|ministry)\b", re.I)
_PERCENT = re.compile(
    r"^(?P<about>~|about\s+|approx\.?\s+)?(?P<lo>\d+(?:\.\d+)?)"
    r"(?:\s*(?:-|–|to)\s*(?P<hi>\d+(?:\.\d+)?))?\s*%?$",
    re.I | re.ASCII,  # digits 0-9 only: xsd:decimal takes no other (Arabic-Indic, fullwidth)
)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


class CsvImportError(AllianceGraphError):
    """Rows of a stakes CSV that cannot be read; each names its line and column."""

    def __init__(self, path, problems: list[tuple[int, int | None, str, str]]):
        self.path = str(path)
        self.problems = problems
        lines = []
        for line, col, name, reason in problems:
            where = f"{self.path}:{line}" + (f":{col}" if col else "")
            lines.append(f"{where}: {name}: {reason}" if name else f"{where}: {reason}")
        super().__init__(
            f"{len(problems)} bad row(s) or column(s); nothing was written\n" + "\n".join(lines)
        )


@dataclass
class CsvReport:
    rows: int = 0
    entities: dict[str, str] = field(default_factory=dict)  # key -> kind
    guessed: list[str] = field(default_factory=list)  # "name: Kind (guessed)"


def guess_kind(name: str, role: str) -> str:
    """The kind of an entity named ``name`` when the file does not say: a trust or a state
    when the name says so, otherwise a company (a person is never guessed)."""
    if _TRUST.search(name):
        return "Trust"
    if _STATE.search(name):
        return "State"
    return "Company"


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _slug(name: str) -> str:
    # Letters and digits of any script kept (percent-encoded in the IRI): keeping ASCII
    # alone made 日産 Holdings and 三菱 Holdings, or Béta SA and Bêta SA, one IRI
    # whenever they came from two files, and so one company.
    text = re.sub(r"[\W_]+", "-", " ".join(name.split())).strip("-")
    return quote(text or hashlib.sha1(name.encode()).hexdigest()[:12], safe="-")


def _decimal_text(text: str) -> str:
    return text if "." in text else text + ".0"


@dataclass
class _Row:
    line: int
    values: dict
    interests: tuple[str, ...] = ()
    percent: str | None = None
    low: str | None = None
    high: str | None = None
    approximate: bool = False
    start: tuple | None = None
    end: tuple | None = None


def _check_row(line: int, row: dict, cols: dict[str, int], problems: list) -> _Row | None:
    bad = len(problems)

    def fail(name: str, reason: str) -> None:
        problems.append((line, cols.get(name), name, reason))

    for name in REQUIRED:
        if not row.get(name, "").strip():
            fail(name, "is empty")
    out = _Row(line, row)
    pct = row.get("percent", "").strip()
    if pct:
        match = _PERCENT.match(pct)
        if not match:
            fail("percent", f"{pct!r} is not a percentage (44.4, ~27, 25-50)")
        else:
            lo, hi = match["lo"], match["hi"]
            # as decimals, as they are written: 100.00000000000000001 is a float of 100
            values = [Decimal(lo)] + ([Decimal(hi)] if hi else [])
            if any(v > 100 for v in values):
                fail("percent", f"{pct!r} is above 100")
            elif hi and Decimal(hi) < Decimal(lo):
                fail("percent", f"{pct!r}: the range ends below its start")
            elif hi:
                out.low, out.high = _decimal_text(lo), _decimal_text(hi)
            else:
                out.percent = _decimal_text(lo)
                out.approximate = bool(match["about"])
    interest = row.get("interest", "").strip().lower()
    if interest not in INTEREST:
        fail("interest", f"{interest!r}: choose economic, voting or both (empty: both)")
    else:
        out.interests = INTEREST[interest]
    for name in ("start", "end"):
        text = row.get(name, "").strip()
        if text:
            try:
                span = parse_date(text)
            except ValueError as exc:
                fail(name, str(exc))
                continue
            setattr(out, name, (str(span), span))
    if out.start and out.end and out.end[1].latest <= out.start[1].earliest:
        fail("end", f"{out.end[0]} is not after the start {out.start[0]}")
    for role in ("holder", "held"):
        kind = row.get(f"{role}_kind", "").strip().lower()
        if kind and kind not in KINDS:
            fail(f"{role}_kind", f"{kind!r}: choose one of {', '.join(sorted(KINDS))}")
        if role == "held" and KINDS.get(kind) == "Person":
            fail("held_kind", "a person cannot be held")
    source = row.get("source", "").strip()
    if source and not re.match(r"^https?://\S+$", source):
        fail("source", f"{source!r} is not an http(s) URL")
    if row.get("holder", "").strip() and _key(row["holder"]) == _key(row.get("held", "")):
        fail("held", "the holder and the held are the same entity")
    through = row.get("through", "").strip()
    if through and _key(through) in (_key(row.get("holder", "")), _key(row.get("held", ""))):
        fail("through", f"{through!r} is the holder or the held company, not an intermediary")
    return out if len(problems) == bad else None


def read(path: Path | str) -> tuple[list[_Row], dict[str, int]]:
    """The checked rows of ``path``; raises :class:`CsvImportError` naming every bad one."""
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DataFileError(path, f"not UTF-8 text: {exc.reason}", line) from None
    except OSError as exc:
        raise DataFileError(path, f"cannot be read: {exc.strerror}") from None
    reader = _cells(csv.reader(text.splitlines(keepends=True)), path)
    try:
        header = next(reader)
    except StopIteration:
        raise CsvImportError(
            path, [(1, None, "", "the file is empty: it needs a header")]
        ) from None
    names = [h.strip().lower().replace(" ", "_") for h in header]
    for sep in (";", "\t", "|"):
        # A spreadsheet saved with another separator is one unknown column: say so.
        if len(header) == 1 and sep in header[0]:
            shown = "a tab" if sep == "\t" else repr(sep)
            raise CsvImportError(
                path,
                [(1, None, "", f"the columns are separated by {shown}: save the file "
                  "with commas (CSV, comma-separated)")],
            )  # fmt: skip
    problems: list = []
    for i, name in enumerate(names, 1):
        if name not in COLUMNS + OPTIONAL:
            problems.append(
                (1, i, name, f"unknown column; the columns are {', '.join(COLUMNS + OPTIONAL)}")
            )
    for i, name in enumerate(names, 1):
        first = names.index(name) + 1
        if first < i and name in COLUMNS + OPTIONAL:
            # zip would keep the last cell of the two and drop the other unseen
            problems.append((1, i, name, f"the column is given twice (also column {first})"))
    for name in REQUIRED:
        if name not in names:
            problems.append((1, None, name, "required column is missing"))
    if problems:
        raise CsvImportError(path, problems)
    cols = {name: i for i, name in enumerate(names, 1)}
    rows = []
    for cells in reader:
        line = reader.reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            problems.append((line, None, "", f"has {len(cells)} cells, the header {len(names)}"))
            continue
        row = _check_row(line, dict(zip(names, cells, strict=True)), cols, problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append((1, None, "", "the file has a header and no rows: no stake to import"))
    if not problems:
        _check_kinds(rows, cols, problems)
    if problems:
        raise CsvImportError(path, problems)
    return rows, cols


def _declarations(rows: list[_Row]):
    """(row, role, entity key, kind) for each kind a row gives, in file order."""
    for row in rows:
        for role in ("holder", "held"):
            text = row.values.get(f"{role}_kind", "").strip().lower()
            if text:
                yield row, role, _key(row.values[role]), KINDS[text]


def _check_kinds(rows: list[_Row], cols: dict[str, int], problems: list) -> None:
    """One kind for each entity over the whole file: an entity is made once, from the
    first row that names it, so a later row's other kind, or a person held in any row,
    would be dropped without a word."""
    declared: dict[str, tuple[str, int]] = {}  # key -> (kind, line)
    for row, role, key, kind in _declarations(rows):
        first = declared.setdefault(key, (kind, row.line))
        if first[0] != kind:
            problems.append(
                (row.line, cols.get(f"{role}_kind"), f"{role}_kind",
                 f"{kind}, where line {first[1]} makes {row.values[role].strip()!r} "
                 f"a {first[0]}: one kind for each entity")
            )  # fmt: skip
    for row in rows:
        kind, line = declared.get(_key(row.values["held"]), (None, 0))
        if kind == "Person" and line != row.line:
            problems.append(
                (row.line, cols.get("held"), "held",
                 f"{row.values['held'].strip()!r} is a person (line {line}): a person "
                 "cannot be held")
            )  # fmt: skip


class _cells:
    """The rows of a ``csv.reader``, where a row the csv module cannot read (a cell over
    its limit of 128 KiB) is a :class:`CsvImportError` naming the line."""

    def __init__(self, reader, path):
        self.reader, self.path = reader, path

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self.reader)
        except csv.Error as exc:
            line = self.reader.line_num
            raise CsvImportError(self.path, [(line, None, "", f"cannot be read: {exc}")]) from None


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _ag(name: str) -> ox.NamedNode:
    return ox.NamedNode(AG + name)


def _typed(text: str, kind: str) -> ox.Literal:
    return ox.Literal(text, datatype=_n(XSD + kind))


_DATATYPE = {"day": "date", "month": "gYearMonth", "year": "gYear"}


def triples(path: Path | str, report: CsvReport | None = None) -> list[ox.Triple]:
    """The triples of a stakes CSV (all rows checked first)."""
    path = Path(path)
    report = report if report is not None else CsvReport()
    rows, _ = read(path)
    file_id = hashlib.sha1(path.name.encode()).hexdigest()[:12]
    file_source = _n(f"{SRC}csv/{file_id}")
    out = [
        ox.Triple(file_source, _n(RDF_TYPE), _ag("Source")),
        ox.Triple(file_source, _n(RDFS_LABEL), ox.Literal(f"CSV file {path.name}")),
        # where to find it, as the shapes ask of every source: the user's own file
        ox.Triple(file_source, _ag("accessNote"), ox.Literal(f"the CSV file {path.name}")),
    ]
    entities: dict[str, ox.NamedNode] = {}
    declared = {key: kind for _, _, key, kind in _declarations(rows)}
    taken: set[ox.NamedNode] = set()  # the nodes of ``entities``: a lookup, not a scan
    url_sources: dict[str, ox.NamedNode] = {}

    def cite(node, line: int, url: str | None):
        c = ox.BlankNode()
        out.extend(
            [
                ox.Triple(node, _ag("citation"), c),
                ox.Triple(c, _n(RDF_TYPE), _ag("Citation")),
                ox.Triple(c, _ag("source"), file_source),
                ox.Triple(c, _ag("locator"), ox.Literal(f"line {line}")),
            ]
        )
        if url:
            s = url_sources.get(url)
            if s is None:
                s = _n(f"{SRC}csv/{hashlib.sha1(url.encode()).hexdigest()[:16]}")
                url_sources[url] = s
                out.extend(
                    [
                        ox.Triple(s, _n(RDF_TYPE), _ag("Source")),
                        ox.Triple(s, _n(RDFS_LABEL), ox.Literal(url)),
                        ox.Triple(s, _ag("url"), _typed(url, "anyURI")),
                    ]
                )
            c2 = ox.BlankNode()
            out.extend(
                [
                    ox.Triple(node, _ag("citation"), c2),
                    ox.Triple(c2, _n(RDF_TYPE), _ag("Citation")),
                    ox.Triple(c2, _ag("source"), s),
                    ox.Triple(
                        c2, _ag("locator"), ox.Literal(f"cited on line {line} of {path.name}")
                    ),
                ]
            )

    def entity(name: str, role: str, line: int) -> ox.NamedNode:
        key = _key(name)
        node = entities.get(key)
        if node is not None:
            return node
        # the kind any row declares (read() made sure they agree), wherever it comes
        kind = declared.get(key)
        if kind is None:
            kind = guess_kind(name, role)
            report.guessed.append(f"{' '.join(name.split())}: {kind} (guessed)")
        node = _n(f"{RES}csv/{_slug(name)}")
        if node in taken:
            node = _n(f"{node.value}-{hashlib.sha1(key.encode()).hexdigest()[:6]}")
        entities[key] = node
        taken.add(node)
        report.entities[key] = kind
        out.extend(
            [
                ox.Triple(node, _n(RDF_TYPE), _ag(kind)),
                ox.Triple(node, _n(RDFS_LABEL), ox.Literal(" ".join(name.split()))),
            ]
        )
        cite(node, line, None)
        return node

    for row in rows:
        v = row.values
        holder = entity(v["holder"], "holder", row.line)
        held = entity(v["held"], "held", row.line)
        # The file's name and the line, and what the row says: two files of one name
        # (2020/stakes.csv, 2021/stakes.csv) then give two stakes where their rows
        # differ, where the line alone merged them; an edit changes that row's IRI only.
        said = "\x1f".join(f"{k}={' '.join(str(x).split())}" for k, x in sorted(v.items()))
        digest = hashlib.sha1(said.encode("utf-8")).hexdigest()[:8]
        node = _n(f"{RES}csv/{file_id}/stake-line-{row.line}-{digest}")
        out.append(ox.Triple(node, _n(RDF_TYPE), _ag("Shareholding")))
        out.append(ox.Triple(node, _ag("holder"), holder))
        out.append(ox.Triple(node, _ag("held"), held))
        through = v.get("through", "").strip()
        if through:
            out.append(ox.Triple(node, _ag("heldThrough"), entity(through, "through", row.line)))
        for kind in row.interests:
            out.append(ox.Triple(node, _ag("interest"), _ag(kind)))
        size = ""
        if row.percent is not None:
            out.append(ox.Triple(node, _ag("percent"), _typed(row.percent, "decimal")))
            size = ("about " if row.approximate else "") + row.percent.removesuffix(".0") + "%"
            if row.approximate:
                out.append(ox.Triple(node, _ag("approximate"), _typed("true", "boolean")))
        else:
            out.append(ox.Triple(node, _ag("minValue"), _typed(row.low, "decimal")))
            out.append(ox.Triple(node, _ag("maxValue"), _typed(row.high, "decimal")))
            size = f"{row.low.removesuffix('.0')}-{row.high.removesuffix('.0')}%"
            out.append(ox.Triple(node, _ag("qualitativeAmount"), ox.Literal(f"between {size}")))
        label = f"{' '.join(v['holder'].split())} in {' '.join(v['held'].split())}, {size}"
        out.append(ox.Triple(node, _n(RDFS_LABEL), ox.Literal(label)))
        if row.start:
            out.append(
                ox.Triple(
                    node, _ag("start"), _typed(row.start[0], _DATATYPE[row.start[1].precision])
                )
            )
        if row.end:
            out.append(
                ox.Triple(node, _ag("end"), _typed(row.end[0], _DATATYPE[row.end[1].precision]))
            )
        else:
            out.append(ox.Triple(node, _ag("endStatus"), _ag("Ongoing")))
        if v.get("note", "").strip():
            out.append(ox.Triple(node, _ag("note"), ox.Literal(v["note"].strip())))
        cite(node, row.line, v.get("source", "").strip() or None)
        report.rows += 1
    return out


def write_turtle(path: Path | str, out, report: CsvReport | None = None) -> CsvReport:
    """Write the triples of a stakes CSV as Turtle to the binary stream ``out``."""
    report = report if report is not None else CsvReport()
    ox.serialize(
        triples(path, report),
        out,
        ox.RdfFormat.TURTLE,
        prefixes={**PROJECT_PREFIXES, "rdfs": RDFS_LABEL[:-5], "xsd": XSD},
    )
    return report
