"""Synthetic ownership networks in the project's own vocabulary, for benchmarks and tests.

The one generator of the project: the ownership, query and validation benchmarks all use
it. ``generate(triples, seed)`` returns Turtle text of about ``triples`` triples (as
written, before the loader derives day bounds), the same text for the same arguments.

What it writes, in the vocabulary of docs/temporal-model.md:

- ``ag:Company`` nodes with ``rdfs:label`` (some with ``skos:altLabel``), each citing a
  synthetic ``ag:Source``;
- ``ag:Shareholding`` nodes with ``ag:holder`` / ``ag:held`` / ``ag:percent``
  (``xsd:decimal``) / ``ag:interest``, some with ``ag:votingPercent`` / ``ag:votingCap`` or
  ``ag:heldThrough``; each position (holder, held, kind of interest) is a history of
  consecutive stakes whose change days are given as a day, a month (``xsd:gYearMonth``), a
  year (``xsd:gYear``) or only bounded by reports (``ag:startEarliest`` / ``ag:startLatest``
  with ``ag:reportedOn`` on the citations); the last one ends, is ``ag:Ongoing`` or
  ``ag:EndUnknown``;
- pyramids of holdings inside business groups, cross-holdings (A holds B, B holds A) and
  longer cycles between groups;
- a few deprecated claims competing with a preferred one, which answers must ignore.

Guarantees (the validation benchmark relies on them): stakes of one kind in one company
never sum over 100% on any day, even taking every *possible* figure at once, and two stakes
of one position never overlap on a day when both are certain. ``--broken N`` adds N
violations of each temporal rule: an end before the start, two overlapping stakes of the
same position, and stakes in one company summing over 100%. Their IRIs start with
``syn:broken-``.

    python bench/generate.py --triples 100000 --seed 1 -o /tmp/own-100k.ttl
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
from dataclasses import dataclass, field

PREFIXES = """\
@prefix ag:   <https://w3id.org/alliance-graph/ontology#> .
@prefix syn:  <https://w3id.org/alliance-graph/resource/synthetic/> .
@prefix ssrc: <https://w3id.org/alliance-graph/source/synthetic/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""

FIRST_DAY = dt.date(1985, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
# Calibrated so that the text comes out near the requested size (see _estimate).
TRIPLES_PER_COMPANY = 52.0
STAKES_PER_SOURCE = 25


@dataclass
class Boundary:
    """How one change day is written: one representation for the end of a stake and the
    start of the next, so that the two never certainly overlap."""

    kind: str  # "day", "month", "year" or "reported"
    day: dt.date
    last_report: dt.date | None = None  # "reported": last day the old figure was reported
    first_report: dt.date | None = None  # "reported": first day the new one was

    @property
    def imprecise(self) -> bool:
        return self.kind != "day"

    def latest(self) -> dt.date:
        """The last day the change can stand for."""
        if self.kind == "reported":
            return self.first_report
        if self.kind == "year":
            return dt.date(self.day.year, 12, 31)
        if self.kind == "month":
            nxt = dt.date(self.day.year + self.day.month // 12, self.day.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return self.day

    def start_lines(self) -> list[str]:
        if self.kind == "reported":
            return [
                f'ag:startEarliest "{self.last_report + dt.timedelta(days=1)}"^^xsd:date',
                f'ag:startLatest "{self.first_report}"^^xsd:date',
            ]
        return [f"ag:start {self._literal()}"]

    def end_lines(self) -> list[str]:
        if self.kind == "reported":
            return [
                "ag:endStatus ag:Ended",
                f'ag:endEarliest "{self.last_report + dt.timedelta(days=1)}"^^xsd:date',
                f'ag:endLatest "{self.first_report}"^^xsd:date',
            ]
        return [f"ag:end {self._literal()}"]

    def _literal(self) -> str:
        if self.kind == "year":
            return f'"{self.day.year:04d}"^^xsd:gYear'
        if self.kind == "month":
            return f'"{self.day.year:04d}-{self.day.month:02d}"^^xsd:gYearMonth'
        return f'"{self.day}"^^xsd:date'


@dataclass
class Position:
    """One holder's stake of one kind in one company, over its whole history."""

    holder: int
    held: int
    cap: float  # no figure of the history exceeds it
    interests: tuple[str, ...]
    through: int | None = None
    voting_cap: float | None = None
    double_votes: bool = False
    boundaries: list[Boundary] = field(default_factory=list)
    end: str = "ongoing"  # "ongoing", "unknown" or "ended" (last boundary ends it)

    @property
    def weight(self) -> float:
        """What the position takes of its company's 100%: twice its cap when two of its
        figures may both be possible on one day (imprecise change days), so that even the
        "possible" reading never sums over 100%."""
        factor = 2.0 if any(b.imprecise for b in self.boundaries) else 1.0
        return factor * self.cap * (1.5 if self.double_votes else 1.0)


def _random_day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def _history(rng: random.Random) -> tuple[list[Boundary], str]:
    """Change days of one position: the first is its start, the others its changes."""
    day = _random_day(rng, FIRST_DAY, dt.date(2016, 12, 31))
    boundaries = []
    count = rng.choices([1, 2, 3, 4], weights=[45, 30, 15, 10])[0]
    for _ in range(count):
        if day > LAST_DAY:
            break
        kind = rng.choices(["day", "month", "year", "reported"], weights=[55, 15, 10, 20])[0]
        if kind == "reported" and boundaries:  # a first start is never report-bounded here
            lo = day - dt.timedelta(days=rng.randint(20, 200))
            hi = day + dt.timedelta(days=rng.randint(0, 200))
            boundaries.append(Boundary(kind, day, lo, hi))
        else:
            boundaries.append(Boundary("day" if kind == "reported" else kind, day))
        day = day + dt.timedelta(days=rng.randint(900, 3200))
    end = rng.choices(["ongoing", "unknown", "ended"], weights=[50, 20, 30])[0]
    if end == "ended" and len(boundaries) < 2:
        end = "ongoing"
    return boundaries, end


def _estimate(triples: int) -> int:
    return max(8, round(triples / TRIPLES_PER_COMPANY))


def _positions(rng: random.Random, n: int) -> list[Position]:
    """Holdings: pyramids inside groups of 5-40 companies, cross-holdings, cycles."""
    groups = []
    start = 0
    while start < n:
        size = min(n - start, rng.randint(5, 40))
        groups.append(range(start, start + size))
        start += size
    used = [0.0] * n  # weight taken of each company's 100%
    pairs: set[tuple[int, int]] = set()
    positions: list[Position] = []

    def add(holder: int, held: int, cap: float) -> None:
        if holder == held or (holder, held) in pairs:
            return
        boundaries, end = _history(rng)
        interests = rng.choices(
            [("EconomicInterest", "VotingInterest"), ("EconomicInterest",)], weights=[88, 12]
        )[0]
        pos = Position(holder, held, round(cap, 2), interests, boundaries=boundaries, end=end)
        if "VotingInterest" in interests:
            roll = rng.random()
            if roll < 0.05:
                pos.double_votes = True
            elif roll < 0.08:
                pos.voting_cap = round(cap * 0.5, 2)
        if rng.random() < 0.04:
            pos.through = rng.randrange(n)
            if pos.through in (holder, held):
                pos.through = None
        if used[held] + pos.weight > 99.0:  # headroom: never a closed 100% cycle
            return
        used[held] += pos.weight
        pairs.add((holder, held))
        positions.append(pos)

    for group in groups:
        members = list(group)
        head = members[0]
        for i, held in enumerate(members[1:], start=1):
            # A pyramid: each company held by one earlier member of its group, often as
            # a majority, plus a few minority holders from anywhere.
            parent = members[rng.randrange(0, i)]
            add(parent, held, rng.uniform(20, 48) if rng.random() < 0.6 else rng.uniform(2, 20))
            for _ in range(rng.choices([0, 1, 2], weights=[50, 35, 15])[0]):
                add(rng.randrange(n), held, rng.uniform(0.5, 12))
        if len(members) > 2 and rng.random() < 0.5:
            a, b = rng.sample(members, 2)  # cross-holding inside the group
            add(a, b, rng.uniform(1, 15))
            add(b, a, rng.uniform(1, 15))
        # A stake of the group's head in another group closes cycles between groups.
        add(head, rng.randrange(n), rng.uniform(1, 10))
    return positions


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = [PREFIXES, "\n"]
        self.triples = 0

    def node(self, subject: str, lines: list[str], citations: list[list[str]]) -> None:
        body = list(lines)
        cites = ["[ a ag:Citation ; " + " ; ".join(c) + " ]" for c in citations]
        if cites:
            body.append("ag:citation " + " ,\n        ".join(cites))
        self.parts.append(subject + " " + " ;\n    ".join(body) + " .\n\n")
        self.triples += sum(len(_split_objects(x)) for x in lines)
        self.triples += sum(1 + 1 + len(c) for c in citations)

    def text(self) -> str:
        return "".join(self.parts)


def _split_objects(line: str) -> list[str]:
    # Lines are "predicate object" or "a C1 , C2": count the objects of one line.
    return line.split(" , ")


def _pct(value: float) -> str:
    return f"{value:.2f}"


def generate(triples: int, seed: int, broken: int = 0) -> str:
    """Turtle text of a synthetic ownership network of about ``triples`` triples."""
    rng = random.Random(seed)
    n = _estimate(triples)
    positions = _positions(rng, n)
    w = _Writer()
    n_sources = max(1, len(positions) * 2 // STAKES_PER_SOURCE + 1)
    for s in range(n_sources):
        w.node(
            f"ssrc:s{s}",
            [
                "a ag:Source",
                f'rdfs:label "Synthetic filing {s}"@en',
                'ag:publisher "Synthetic register"',
                f'ag:published "{_random_day(rng, FIRST_DAY, LAST_DAY)}"^^xsd:date',
            ],
            [],
        )

    def source() -> str:
        return f"ssrc:s{rng.randrange(n_sources)}"

    for c in range(n):
        lines = ["a ag:Company", f'rdfs:label "Company {c}"@en']
        if c % 10 == 0:
            lines.append(f'skos:altLabel "C{c}"@en')
        w.node(f"syn:c{c}", lines, [[f"ag:source {source()}", 'ag:locator "register entry"']])

    for pos in positions:
        _write_position(w, rng, pos, source)
    _write_competing(w, rng, positions, source, count=max(1, len(positions) // 50))
    if broken:
        _write_broken(w, positions, n, broken, source)
    return w.text()


def _write_position(w: _Writer, rng: random.Random, pos: Position, source) -> None:
    b = pos.boundaries
    for k, start in enumerate(b):
        iri = f"syn:stake-{pos.holder}-{pos.held}-{k}"
        percent = round(rng.uniform(0.3 * pos.cap, pos.cap), 2) or 0.01
        lines = [
            "a ag:Shareholding",
            f'rdfs:label "Company {pos.holder} in Company {pos.held}, {_pct(percent)}%"@en',
            f"ag:holder syn:c{pos.holder}",
            f"ag:held syn:c{pos.held}",
            f"ag:percent {_pct(percent)}",
            "ag:interest " + " , ".join(f"ag:{i}" for i in pos.interests),
        ]
        if pos.through is not None:
            lines.append(f"ag:heldThrough syn:c{pos.through}")
        if pos.double_votes:
            lines.append(f"ag:votingPercent {_pct(min(percent * 1.5, 99.0))}")
        if pos.voting_cap is not None:
            lines.append(f"ag:votingCap {_pct(min(pos.voting_cap, percent))}")
        lines += start.start_lines()
        citation = [f"ag:source {source()}", 'ag:locator "shareholder register"']
        citations = [citation]
        if start.kind == "reported":
            citation.append(f'ag:reportedOn "{start.first_report}"^^xsd:date')
        elif start.kind == "day" and rng.random() < 0.3:
            citation.append(f'ag:reportedOn "{start.day}"^^xsd:date')
        nxt = b[k + 1] if k + 1 < len(b) else None
        if nxt is not None:
            lines += nxt.end_lines()
            if nxt.kind == "reported":
                citations.append(
                    [
                        f"ag:source {source()}",
                        'ag:locator "annual report"',
                        f'ag:reportedOn "{nxt.last_report}"^^xsd:date',
                    ]
                )
        elif pos.end == "ended":
            # The last change day ends the position: reuse its representation shifted.
            final = Boundary("day", start.day + dt.timedelta(days=rng.randint(400, 2000)))
            lines += final.end_lines()
        elif pos.end == "unknown":
            last = start.latest()
            report = last + dt.timedelta(days=rng.randint(30, 900))
            lines += [
                "ag:endStatus ag:EndUnknown",
                f'ag:endEarliest "{report + dt.timedelta(days=1)}"^^xsd:date',
            ]
            citations.append(
                [
                    f"ag:source {source()}",
                    'ag:locator "latest register"',
                    f'ag:reportedOn "{report}"^^xsd:date',
                ]
            )
        else:
            lines.append("ag:endStatus ag:Ongoing")
        w.node(iri, lines, citations)


def _write_competing(w: _Writer, rng: random.Random, positions, source, count: int) -> None:
    """Deprecated claims beside preferred ones: a wrong figure from a worse source."""
    for pos in rng.sample(positions, min(count, len(positions))):
        k = len(pos.boundaries) - 1
        iri = f"syn:stake-{pos.holder}-{pos.held}-{k}"
        claim = f"syn:claim-{pos.holder}-{pos.held}"
        w.node(
            claim,
            [
                "a ag:Shareholding",
                f'rdfs:label "Company {pos.holder} in Company {pos.held}, 99.00% (wrong claim)"@en',
                f"ag:holder syn:c{pos.holder}",
                f"ag:held syn:c{pos.held}",
                "ag:percent 99.00",
                "ag:interest " + " , ".join(f"ag:{i}" for i in pos.interests),
                f'ag:start "{pos.boundaries[0].day.year:04d}"^^xsd:gYear',
                "ag:endStatus ag:Ongoing",
                "ag:rank ag:DeprecatedRank",
                'ag:rankReason "The register gives another figure."',
                f"ag:competesWith {iri}",
            ],
            [[f"ag:source {source()}", 'ag:locator "press rumour"']],
        )
        w.node(iri, ["ag:rank ag:PreferredRank"], [])


def _write_broken(w: _Writer, positions, n: int, count: int, source) -> None:
    """``count`` violations of each temporal rule. Each broken stake comes from a holder
    that holds nothing else in its company, so that it breaks one rule only."""
    cite = [[f"ag:source {source()}", 'ag:locator "broken on purpose"']]
    full = ["a ag:Shareholding", "ag:interest ag:EconomicInterest , ag:VotingInterest"]
    holders: dict[int, set[int]] = {}
    for pos in positions:
        holders.setdefault(pos.held, set()).add(pos.holder)

    def fresh_holder(held: int) -> int:
        taken = holders.setdefault(held, set())
        h = (held + 1) % n
        while h in taken or h == held:
            h = (h + 1) % n
        taken.add(h)
        return h

    for i in range(count):
        held = (7 * i + 3) % n
        w.node(
            f"syn:broken-end-before-start-{i}",
            full
            + [
                f'rdfs:label "Broken: ends before it starts {i}"@en',
                f"ag:holder syn:c{fresh_holder(held)}",
                f"ag:held syn:c{held}",
                "ag:percent 1.00",
                'ag:start "2010-05-01"^^xsd:date',
                'ag:end "2009-01-01"^^xsd:date',
            ],
            cite,
        )
    for i in range(count):
        pos = positions[(13 * i) % len(positions)]
        w.node(
            f"syn:broken-overlap-{i}",
            [
                "a ag:Shareholding",
                "ag:interest " + " , ".join(f"ag:{k}" for k in pos.interests),
                f'rdfs:label "Broken: overlaps Company {pos.holder} in Company {pos.held} {i}"@en',
                f"ag:holder syn:c{pos.holder}",
                f"ag:held syn:c{pos.held}",
                "ag:percent 0.01",
                f'ag:start "{pos.boundaries[0].latest()}"^^xsd:date',
                "ag:endStatus ag:Ongoing",
            ],
            cite,
        )
    for i in range(count):
        held = (11 * i + 5) % n
        for part in ("a", "b"):
            w.node(
                f"syn:broken-sum-{i}{part}",
                full
                + [
                    f'rdfs:label "Broken: Company {held} over 100% {i}{part}"@en',
                    f"ag:holder syn:c{fresh_holder(held)}",
                    f"ag:held syn:c{held}",
                    "ag:percent 60.00",
                    'ag:start "2020-01-01"^^xsd:date',
                    "ag:endStatus ag:Ongoing",
                ],
                cite,
            )


def _write_atomic(path: str, text: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".generate-", suffix=".ttl")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a data file need not be
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=10_000, help="target size (triples)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--broken", type=int, default=0, metavar="N", help="add N violations of each temporal rule"
    )
    parser.add_argument("-o", "--output", default="-", help="Turtle file (default: stdout)")
    args = parser.parse_args(argv)
    text = generate(args.triples, args.seed, broken=args.broken)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    try:
        _write_atomic(args.output, text)
    except OSError as exc:
        # A missing folder or a read-only one: say which, not a traceback (nothing written).
        print(f"generate.py: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
