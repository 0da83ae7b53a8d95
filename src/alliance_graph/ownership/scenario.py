"""What-if scenarios: changes applied on top of the data in memory, never written back.

A scenario is an RDF file in the project's vocabulary (loaded on top of the data), or a
short CSV or YAML list of changes, each with ``action`` (``sell``, ``buy`` or ``set``),
``holder``, ``held``, ``percent``, ``date`` (YYYY-MM-DD) and optionally ``through`` (the
intermediary of the position). On ``date`` the position's stake then in place ends and
a new one starts at the old figure minus (sell) or plus (buy) ``percent``, or at
``percent`` (set); it keeps the old stake's kinds of interest and voting cap, and cites
the scenario file. The changes go into the caller's store only, in date order; the days
before a change read as the data has them (docs/ownership.md, "What-if scenarios").
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import AllianceGraphError, UnknownEntityError
from ..temporal import DateSpan, parse_date
from .holdings import AG, RDF_TYPE, RDFS_LABEL, XSD, holdings_from_store
from .snapshot import choose, positions

ACTIONS = ("sell", "buy", "set")
FIELDS = ("action", "holder", "held", "percent", "date", "through")
CHANGE_SUFFIXES = (".csv", ".yaml", ".yml")
SCENARIO = "urn:alliance-graph:scenario:"


class ScenarioError(AllianceGraphError):
    """A scenario file cannot be read or applied (names the file and line)."""


@dataclass(frozen=True)
class Change:
    action: str
    holder: str
    held: str
    percent: float
    date: DateSpan
    through: str | None
    where: str  # file:line (CSV) or file: change N (YAML)


def _change(row: dict, where: str) -> Change:
    if None in row:  # csv.DictReader's key for the cells past the header's
        raise ScenarioError(f"{where}: more cells than the header has columns")
    unknown = sorted(map(str, set(row) - set(FIELDS)))
    if unknown:
        raise ScenarioError(
            f"{where}: unknown field(s) {', '.join(unknown)}; the fields are {', '.join(FIELDS)}"
        )
    missing = [k for k in FIELDS[:5] if not str(row.get(k) or "").strip()]
    if missing:
        raise ScenarioError(f"{where}: missing {', '.join(missing)}")
    action = str(row["action"]).strip().lower()
    if action not in ACTIONS:
        raise ScenarioError(f"{where}: action {action!r}: choose one of {', '.join(ACTIONS)}")
    try:
        percent = float(str(row["percent"]).strip().rstrip("%"))
    except ValueError:
        raise ScenarioError(f"{where}: percent {row['percent']!r} is not a number") from None
    if not 0 <= percent <= 100:
        raise ScenarioError(f"{where}: percent {percent:g} is not between 0 and 100")
    try:
        date = parse_date(str(row["date"]))
    except ValueError as exc:
        raise ScenarioError(f"{where}: date: {exc}") from None
    if date.precision != "day":
        raise ScenarioError(f"{where}: date {row['date']!r}: give the day, YYYY-MM-DD")
    through = str(row.get("through") or "").strip() or None
    return Change(
        action, str(row["holder"]).strip(), str(row["held"]).strip(), percent, date, through, where
    )


def is_rdf_scenario(path: Path | str) -> bool:
    """Whether ``path`` is an RDF scenario (loaded on top of the data) rather than a CSV
    or YAML list of changes: by its suffix, as :func:`read_scenario` tells them apart."""
    return Path(path).suffix.lower() not in CHANGE_SUFFIXES


def read_scenario(path: Path | str) -> list[Change] | None:
    """The changes of a CSV or YAML scenario (None for an RDF scenario file)."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: no such scenario file")
    if is_rdf_scenario(path):
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's byte-order mark aside
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ScenarioError(f"{path}:{line}: not UTF-8 text ({exc.reason})") from None
    changes = []
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        if reader.fieldnames is None:
            raise ScenarioError(f"{path}: empty scenario")
        # the header as the stakes CSV reads it: case and spaces aside
        reader.fieldnames = [f.strip().lower().replace(" ", "_") for f in reader.fieldnames]
        try:
            for row in reader:
                changes.append(_change(row, f"{path}:{reader.line_num}"))
        except csv.Error as exc:  # a cell over the csv module's limit of 128 KiB
            line = reader.reader.line_num  # DictReader counts only the rows it returned
            raise ScenarioError(f"{path}:{line}: cannot be read: {exc}") from None
        return changes
    import yaml

    class DatesAsText(yaml.SafeLoader):  # a date is read by parse_date, with its change named
        yaml_implicit_resolvers = {
            first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }

    try:
        data = yaml.load(text, Loader=DatesAsText)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{path}{line}: not valid YAML: {exc}") from None
    except ValueError as exc:  # a date YAML reads as one that is not in the calendar
        raise ScenarioError(f"{path}: not valid YAML: {exc} (a date such as 2026-02-30)") from None
    except RecursionError:
        raise ScenarioError(f"{path}: not valid YAML: nested too deeply") from None
    if isinstance(data, dict):
        data = data.get("changes")
    if not isinstance(data, list):
        raise ScenarioError(f"{path}: expected a list of changes (or changes: [...])")
    for k, row in enumerate(data, 1):
        if not isinstance(row, dict):
            raise ScenarioError(f"{path}: change {k} is not a mapping")
        if not all(isinstance(key, str) for key in row):
            keys = ", ".join(repr(key) for key in row if not isinstance(key, str))
            raise ScenarioError(f"{path}: change {k}: the field name(s) {keys} are not text")
        changes.append(_change(row, f"{path}: change {k}"))
    return changes


def apply_scenario(store, path: Path | str) -> list[dict]:
    """Apply the scenario file ``path`` to ``store`` (a materialised store from
    :func:`alliance_graph.store.open_store`; only that copy changes) and re-derive its
    bounds and ranks. Returns one record per change applied: ``{"where", "action",
    "holder", "held", "through", "date", "before_percent", "after_percent", "holder_iri",
    "held_iri"}`` (empty for an RDF scenario)."""
    from .. import store as st

    changes = read_scenario(path)
    if changes is None:
        st.load_into(store, path)
        st.materialise(store)
        return []
    done: dict[int, dict] = {}
    # in date order, whatever the file's: a later change applies to what an earlier one
    # left (two sales of one position in reverse order overlapped, and no answer came)
    for k, change in sorted(enumerate(changes), key=lambda kc: kc[1].date.earliest):
        done[k] = _apply(store, change, k, Path(path))
        st.materialise(store)
    return [done[k] for k in range(len(changes))]


def scenario_store(store, path: Path | str):
    """``(copy, changes)``: a copy in memory of ``store`` with the scenario file ``path``
    applied (:func:`apply_scenario`), ``store`` itself untouched: the on-disk store of
    ``--store`` stays as its files are, and the data is parsed once, not again."""
    import pyoxigraph as ox

    copy = ox.Store()
    copy.extend(store)
    return copy, apply_scenario(copy, path)


def _decimal(value: float):
    import pyoxigraph as ox

    text = f"{value:.10f}".rstrip("0")
    return ox.Literal(
        text + "0" if text.endswith(".") else text, datatype=ox.NamedNode(XSD + "decimal")
    )


def _apply(store, change: Change, k: int, path: Path) -> dict:
    import pyoxigraph as ox

    from ..entities import resolve

    h = holdings_from_store(store)
    try:
        holder, held = resolve(h, change.holder), resolve(h, change.held)
        through = resolve(h, change.through) if change.through else None
    except UnknownEntityError as exc:
        raise ScenarioError(f"{change.where}: {exc}") from None
    day = change.date
    stakes = [
        s
        for interest in ("economic", "voting")
        for s in positions(h, interest).get((holder, held, through), [])
    ]
    later = sorted(
        (s.interval.start_earliest, s.iri)
        for s in stakes
        if s.interval.start_earliest is not None and s.interval.start_earliest > day.earliest
    )
    if later:
        # what the change makes would overlap the data's later history of the position
        raise ScenarioError(
            f"{change.where}: the data records a later stake of {h.label(holder)} in "
            f"{h.label(held)} (from {later[0][0]}, {later[0][1]}); a what-if change must "
            "come after the position's last recorded change"
        )
    before = None
    if stakes:
        choice = choose(list({s.iri: s for s in stakes}.values()), day, "economic", "as-of")
        before = choice.stake if choice is not None else None
    old = before.percent if before is not None else 0.0
    new = {"sell": old - change.percent, "buy": old + change.percent, "set": change.percent}[
        change.action
    ]
    new = float(f"{new:.12g}")
    if new < 0:
        raise ScenarioError(
            f"{change.where}: {h.label(holder)} holds {old:g}% of {h.label(held)} on {day}; "
            f"it cannot sell {change.percent:g}%"
        )
    if new > 100:
        raise ScenarioError(f"{change.where}: the stake would be {new:g}%, more than 100%")

    def node(iri: str):
        return ox.BlankNode(iri[2:]) if iri.startswith("_:") else ox.NamedNode(iri)

    def ag(name: str):
        return ox.NamedNode(AG + name)

    date = ox.Literal(day.earliest.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    default = ox.DefaultGraph()
    source = ox.NamedNode(SCENARIO + "source")
    label = ox.Literal(f"what-if scenario {path.name}", language="en")
    quads = [
        ox.Quad(source, ox.NamedNode(RDF_TYPE), ag("Source")),
        ox.Quad(source, ox.NamedNode(RDFS_LABEL), label),
        # where to find it, as the shapes ask of every source: the user's own file
        ox.Quad(source, ag("accessNote"), ox.Literal(f"the what-if file {path}")),
    ]
    record = {
        "where": change.where,
        "action": change.action,
        "holder": h.label(holder),
        "held": h.label(held),
        "through": h.label(through) if through else None,
        "date": str(day),
        "before_percent": old,
        "after_percent": new,
        "holder_iri": holder,
        "held_iri": held,
    }
    if before is not None and new == old:
        return record  # nothing changes: the stake stays as the data has it
    if before is not None:
        s0 = node(before.iri)
        may_end = before.interval.end_earliest  # the data's: it may have ended from then
        for prop in ("end", "endStatus", "endEarliest", "endLatest"):
            for quad in list(store.quads_for_pattern(s0, ag(prop), None, default)):
                store.remove(quad)
        if may_end is not None and may_end < day.earliest:
            # it ends by the change's day at the latest; before it, what the data said
            # (an end not known, possibly from may_end) still holds
            first = ox.Literal(may_end.isoformat(), datatype=ox.NamedNode(XSD + "date"))
            store.add(ox.Quad(s0, ag("endEarliest"), first))
            store.add(ox.Quad(s0, ag("endLatest"), date))
        else:
            store.add(ox.Quad(s0, ag("end"), date))
        store.add(ox.Quad(s0, ag("endStatus"), ag("Ended")))
    if before is not None and new == 0:
        # A sale down to nothing: the end is the scenario's word, cited as such (else the
        # scenario's source is cited by nothing, which the checks report). Otherwise the
        # new stake cites it, and the old one's answers keep the data's sources alone.
        ended = ox.BlankNode()
        quads += [
            ox.Quad(s0, ag("citation"), ended),
            ox.Quad(ended, ox.NamedNode(RDF_TYPE), ag("Citation")),
            ox.Quad(ended, ag("source"), source),
            ox.Quad(ended, ag("locator"), ox.Literal(f"ended by {change.where}")),
        ]
    if new > 0:
        s1 = ox.NamedNode(f"{SCENARIO}change-{k + 1}")
        cite = ox.BlankNode()
        interests = []
        if before is None or before.economic:
            interests.append("EconomicInterest")
        if before is None or before.voting:
            interests.append("VotingInterest")
        quads += [
            ox.Quad(s1, ox.NamedNode(RDF_TYPE), ag("Shareholding")),
            ox.Quad(
                s1,
                ox.NamedNode(RDFS_LABEL),
                ox.Literal(f"{change.action} {change.percent:g}% ({change.where})", language="en"),
            ),
            ox.Quad(s1, ag("holder"), node(holder)),
            ox.Quad(s1, ag("held"), node(held)),
            ox.Quad(s1, ag("percent"), _decimal(new)),
            ox.Quad(s1, ag("start"), date),
            ox.Quad(s1, ag("endStatus"), ag("Ongoing")),
            ox.Quad(s1, ag("citation"), cite),
            ox.Quad(cite, ox.NamedNode(RDF_TYPE), ag("Citation")),
            ox.Quad(cite, ag("source"), source),
            ox.Quad(cite, ag("locator"), ox.Literal(change.where)),
            *(ox.Quad(s1, ag("interest"), ag(i)) for i in interests),
        ]
        if through is not None:
            quads.append(ox.Quad(s1, ag("heldThrough"), node(through)))
        if before is not None and before.approximate and change.action != "set":
            # a figure given as "about", plus or minus an exact one, is still "about"
            quads.append(ox.Quad(s1, ag("approximate"), ox.Literal(True)))
        if before is not None and before.voting_cap is not None:
            quads.append(
                ox.Quad(
                    s1,
                    ag("votingCap"),
                    _decimal(before.voting_cap),
                )
            )
    store.extend(quads)
    return record
