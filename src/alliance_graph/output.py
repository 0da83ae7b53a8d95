"""One renderer for every command that prints rows: table, csv, tsv, json, jsonl.

Rows are lists of plain Python dicts whose values are str, int, float, bool, None, or
lists of those. Tables are for people; the other formats are for programs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

FORMATS = ("table", "csv", "tsv", "json", "jsonl")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def render(
    rows: Sequence[dict],
    fmt: str = "table",
    columns: Sequence[str] | None = None,
    *,
    max_width: int = 60,
) -> str:
    """Render ``rows`` in ``fmt``; ``columns`` fixes the order (default: first row's keys)."""
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
    if fmt == "json":
        return (
            json.dumps([{c: r.get(c) for c in columns} for r in rows], indent=2, ensure_ascii=False)
            + "\n"
        )
    if fmt == "jsonl":
        return "".join(
            json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False) + "\n" for r in rows
        )
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in columns])
        return buf.getvalue()
    if fmt == "table":
        return _table(rows, columns, max_width)
    raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _table(rows, columns, max_width) -> str:
    def clip(text: str) -> str:
        text = text.replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[clip(_cell(r.get(c))) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in cells:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"
