"""Before and after a what-if scenario: integrated ownership, control, broken rules."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from ..temporal import DateSpan
from .control import control
from .holdings import holdings_from_store
from .integrated import integrated_records
from .scenario import scenario_store
from .snapshot import as_span


def _integrated(h, at, reading) -> dict:
    return {
        (r["holder"], r["held"]): r["integrated_percent"]
        for r in integrated_records(h, at, reading=reading, min_percent=0.0)
    }


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
    "after_percent"}], "control": [{"held", "basis", "before", "after"}], "broken":
    [{"severity", "node", "rule", "message"}]}``: what ``scenario`` changes on ``at``,
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
    moved = []
    for pair in sorted(set(old) | set(new)):
        x, y = old.get(pair, 0.0), new.get(pair, 0.0)
        if abs(y - x) >= min_percent:
            moved.append(
                {"holder": pair[0], "held": pair[1], "before_percent": x, "after_percent": y}
            )
    held = sorted({c["held"] for c in changes})
    if not changes:  # an RDF scenario: the companies its new stakes hold
        known = {s.iri for s in before.stakes}
        held = sorted({after.label(s.held) for s in after.stakes if s.iri not in known})
    rows = []
    for company in held:
        for basis in ("votes", "ownership"):
            a = control(before, company, span, reading=reading, basis=basis)
            b = control(after, company, span, reading=reading, basis=basis)
            rows.append(
                {
                    "held": company,
                    "basis": basis,
                    "before": _controllers(a),
                    "after": _controllers(b),
                }
            )
    return {
        "at": str(span),
        "changes": changes,
        "integrated": moved,
        "control": rows,
        "broken": broken_rules(before_store, after_store) if check_rules else [],
    }
