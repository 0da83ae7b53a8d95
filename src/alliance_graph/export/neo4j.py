"""The Neo4j export: a folder of CSV files for ``neo4j-admin database import``."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from .parts import Parts
from .property_graph import for_options
from .registry import Options
from .values import text

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NEO4J_FILES = ("nodes.csv", "relationships.csv")


def _neo4j_columns(records: list[dict], skip: set[str]) -> list[tuple[str, str, str]]:
    """(attribute, header, kind) for every attribute, typed as neo4j-admin reads them."""
    keys = sorted({k for r in records for k in r} - skip)
    columns = []
    for key in keys:
        values = [r[key] for r in records if key in r]
        items = [x for v in values for x in (v if isinstance(v, list) else [v])]
        is_list = any(isinstance(v, list) and len(v) > 1 for v in values)
        if all(isinstance(x, bool) for x in items):
            kind = "boolean"
        elif all(isinstance(x, int) and not isinstance(x, bool) for x in items):
            kind = "long"
        elif all(isinstance(x, int | float) and not isinstance(x, bool) for x in items):
            kind = "float"
        elif all(isinstance(x, str) and _ISO_DAY.match(x) for x in items):
            kind = "date"
        else:
            kind = "string"
        if is_list and kind == "string" and any(";" in str(x) for x in items):
            is_list = False  # ';' is the array delimiter: keep such values as one string
        suffix = kind + ("[]" if is_list else "")
        columns.append((key, f"{key}:{suffix}", suffix))
    return columns


def _neo4j_cell(value, kind: str) -> str:
    items = value if isinstance(value, list) else [value]
    if kind.endswith("[]"):
        return ";".join(text(x) for x in items)
    if len(items) > 1:
        return "; ".join(text(x) for x in items)
    return text(items[0])


def write_neo4j(parts: Parts, folder: Path, options: Options) -> None:
    pg = for_options(parts, options)
    node_records = list(pg.nodes.values())
    columns = _neo4j_columns(node_records, {"labels", "kind"})
    with open(folder / "nodes.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id:ID", ":LABEL", *(h for _, h, _ in columns)])
        for node, attrs in sorted(pg.nodes.items()):
            writer.writerow(
                [node, ";".join(attrs["labels"])]
                + [_neo4j_cell(attrs[k], kind) if k in attrs else "" for k, _, kind in columns]
            )
    edge_records = [attrs for *_, attrs in pg.edges]
    columns = _neo4j_columns(edge_records, {"relation"})
    with open(folder / "relationships.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([":START_ID", ":END_ID", ":TYPE", *(h for _, h, _ in columns)])
        for source, target, _, attrs in pg.edges:
            writer.writerow(
                [source, target, attrs["relation"]]
                + [_neo4j_cell(attrs[k], kind) if k in attrs else "" for k, _, kind in columns]
            )
