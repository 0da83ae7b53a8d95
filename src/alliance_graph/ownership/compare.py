"""Before and after a what-if scenario: integrated ownership, control, broken rules."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from ..temporal import DateSpan
from .control import control
from .errors import SingularOwnershipError
from .holdings import holdings_from_store
from .integrated import integrated, integrated_records, undefined_cycles
from .scenario import scenario_store
from .snapshot import as_span, snapshot


def _integrated(h, at, reading) -> dict:
    """(holder IRI, held IRI) -> integrated percent: by IRI, since two entities may share
    a label (keyed by label, one's figure hid the other's move)."""
    return {
        (r["holder_iri"], r["held_iri"]): r["integrated_percent"]
        for r in integrated_records(h, at, reading=reading, min_percent=0.0)
    }


def _undefined(h, pair: tuple[str, str], at, reading) -> bool:
    """Whether integrated ownership of the pair is undefined (a bad cycle upstream):
    the records leave such pairs out, which is not 0%."""
    try:
        integrated(h, pair[0], pair[1], at, reading=reading)
    except SingularOwnershipError:
        return True
    return False


def _downstream(hs, companies: set[str], at, reading) -> set[str]:
    """The companies reached from ``companies`` through stakes with votes or capital,
    before or after: control of any of them may change with the scenario."""
    import networkx as nx

    out = set(companies)
    for h in hs:
        for interest in ("voting", "economic"):
            g = snapshot(h, at, interest=interest, reading=reading)
            for c in companies:
                if c in g:
                    out |= nx.descendants(g, c)
    return out


def _controllers(result) -> str:
    if not result["controllers"]:
        return "no one"
    return "; ".join(f"{c['controller']} ({c['percent']:g}%)" for c in result["controllers"])


def broken_rules(store_before, store_after) -> list[dict]:
    """The validation results of ``store_after`` that ``store_before`` does not have:
    the shipped shapes and rule queries (agreement terms among them, once the data
    states them as rules) run on the changed graph, written to a temporary file."""
    from ..persist import not_kept
    from ..store import to_ntriples
    from ..validate import validate

    def results(store):
        # temporary files: never built into --store's folder (they would push the data's
        # own stores out of it)
        with tempfile.TemporaryDirectory() as tmp, not_kept():
            path = Path(tmp) / "scenario-applied.nt"
            path.write_bytes(to_ntriples(store))
            return validate([path]).results

    before = {(r.focus, r.rule, r.message) for r in results(store_before)}
    return [
        {
            "severity": r.severity,
            "node": r.focus_label or r.focus,
            "rule": r.rule,
            "message": r.message,
        }
        for r in results(store_after)
        if (r.focus, r.rule, r.message) not in before
    ]


def compare(
    data,
    scenario: Path | str,
    at: dt.date | str | DateSpan | None = None,
    *,
    reading: str = "as-of",
    min_percent: float = 0.01,
    check_rules: bool = True,
    data_format: str | None = None,
    store_dir: Path | str | None = None,
) -> dict:
    """``{"at", "changes", "integrated": [{"holder", "held", "before_percent",
    "after_percent", "holder_iri", "held_iri"}], "control": [{"held", "basis", "before",
    "after", "held_iri"}], "undefined": [{"when", "members", "reason", "company",
    "total_percent", "message"}], "broken": [{"severity", "node", "rule", "message"}]}``:
    what ``scenario`` changes on ``at`` (a percent None where a bad cycle makes it
    undefined, named under ``undefined``; control for the companies changed and for
    those downstream whose control moves),
    the data (files, or the shipped data when None; ``data_format`` for files whose
    suffix does not say) left untouched. With ``store_dir`` the data before is read from
    the on-disk store kept there (built first if there is none); the scenario is always
    applied to a copy in memory."""
    from ..store import open_store

    span = as_span(at)
    before_store = open_store(data, data_format=data_format, store_dir=store_dir)
    after_store, changes = scenario_store(before_store, scenario)
    before, after = holdings_from_store(before_store), holdings_from_store(after_store)
    old, new = _integrated(before, span, reading), _integrated(after, span, reading)
    bad = {
        "before": undefined_cycles(before, span, reading=reading),
        "after": undefined_cycles(after, span, reading=reading),
    }
    moved = []
    for pair in sorted(set(old) | set(new)):
        x, y = old.get(pair), new.get(pair)
        # a pair one side leaves out is 0% there, or undefined (then None, and named)
        if x is None:
            x = None if bad["before"] and _undefined(before, pair, span, reading) else 0.0
        if y is None:
            y = None if bad["after"] and _undefined(after, pair, span, reading) else 0.0
        if (x is None) != (y is None) or (x is not None and abs(y - x) >= min_percent):
            moved.append(
                {
                    "holder": (after if y is not None else before).label(pair[0]),
                    "held": (after if y is not None else before).label(pair[1]),
                    "before_percent": x,
                    "after_percent": y,
                    "holder_iri": pair[0],
                    "held_iri": pair[1],
                }
            )
    changed = {c["held_iri"] for c in changes}
    if not changes:  # an RDF scenario: the companies its new stakes hold
        known = {s.iri for s in before.stakes}
        changed = {s.held for s in after.stakes if s.iri not in known}
    rows = []
    for company in sorted(_downstream((before, after), changed, span, reading), key=after.label):
        for basis in ("votes", "ownership"):
            a = control(before, company, span, reading=reading, basis=basis)
            b = control(after, company, span, reading=reading, basis=basis)
            row = {"before": _controllers(a), "after": _controllers(b)}
            # the companies changed always; those downstream where control moves
            if company in changed or row["before"] != row["after"]:
                rows.append(
                    {"held": after.label(company), "basis": basis, **row, "held_iri": company}
                )
    return {
        "at": str(span),
        "changes": changes,
        "integrated": moved,
        "control": rows,
        "undefined": [{"when": when, **c} for when, cycles in bad.items() for c in cycles],
        "broken": broken_rules(before_store, after_store) if check_rules else [],
    }
