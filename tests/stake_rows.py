"""The rows of the saved query ``stakes-on-date`` folded per (holder, held) pair, as the
one-answer tests compare them with ``ownership.stake``: the capital figure summed over
the economic rows, certain only when every row is, approximate when one row is, and the
competing claims."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def by_pair(rows: Iterable[dict], claim: Callable[[str], str] = lambda c: c) -> dict:
    """(holder, held) -> {"percent", "certain", "approximate", "candidates"}; each candidate
    is written "27% CLAIM" in the row, and ``claim`` turns CLAIM into what the test compares."""
    out: dict = {}
    for r in rows:
        if r["percent"] is None:
            continue
        entry = out.setdefault(
            (r["holder"], r["held"]),
            {"percent": 0.0, "certain": True, "approximate": False, "candidates": set()},
        )
        if "economic" in r["interest"]:
            entry["percent"] += r["percent"]
        entry["certain"] = entry["certain"] and r["certain"]
        entry["approximate"] = entry["approximate"] or bool(r.get("approximate"))
        for c in (r["candidates"] or "").split("; "):
            if c:
                entry["candidates"].add(claim(c.split(" ", 1)[1]))
    return out
