"""One renderer for every command that prints rows: table, csv, tsv, json, jsonl.

Rows are lists of plain Python dicts whose values are str, int, float, bool, None, or
lists of those. Tables are for people; the other formats are for programs.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Iterable, Sequence
from decimal import Decimal

FORMATS = ("table", "csv", "tsv", "json", "jsonl")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return plain_number(value)
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def plain_number(value: float) -> str:
    """A number without exponent or trailing zeros: 1500000000, 44.3, 15."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def human_number(value) -> str:
    """A number as people write it in prose: 1.5 billion, 14 million, 44.3."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _cell(value)
    for scale, word in _SCALES:
        if abs(value) >= scale:
            return f"{plain_number(round(value / scale, 3))} {word}"
    return plain_number(float(value)) if isinstance(value, float) else str(value)


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
    if fmt in ("jsonl", "csv", "tsv"):  # one writer for the rows, whole or streamed
        buf = io.StringIO()
        stream(rows, fmt, columns, buf)
        return buf.getvalue()
    if fmt == "table":
        return _table(rows, columns, max_width)
    raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")


def stream(rows: Iterable[dict], fmt: str, columns: Sequence[str], out) -> None:
    """Write ``rows`` to ``out`` (anything with ``write``) as they come, in memory bounded
    by one row: a JSON array one record a line, JSON lines, CSV or TSV, the cells as
    :func:`render` writes them."""
    if fmt == "jsonl":
        for r in rows:
            out.write(json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False) + "\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in columns])
    elif fmt == "json":
        first = True
        for r in rows:
            record = json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False)
            out.write(("[\n  " if first else ",\n  ") + record)
            first = False
        out.write("[]\n" if first else "\n]\n")
    else:
        raise ValueError(f"cannot stream format {fmt!r}; choose json, jsonl, csv or tsv")


def _table(rows, columns, max_width) -> str:
    # Nothing is cut: a long cell wraps onto more lines within its column.
    def lines_of(value) -> list[str]:
        text = human_number(value) if isinstance(value, int | float) else _cell(value)
        out = []
        for part in text.splitlines() or [""]:
            out += textwrap.wrap(part, max_width, break_on_hyphens=False) or [""]
        return out

    cells = [[lines_of(r.get(c)) for c in columns] for r in rows]
    widths = [
        max([len(c)] + [len(line) for row in cells for line in row[i]])
        for i, c in enumerate(columns)
    ]
    out = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in cells:
        height = max((len(c) for c in row), default=1)
        for k in range(height):
            parts = [(c[k] if k < len(c) else "") for c in row]
            out.append("  ".join(v.ljust(w) for v, w in zip(parts, widths, strict=True)).rstrip())
    return "\n".join(out) + "\n"
