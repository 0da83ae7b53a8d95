"""Tables for spreadsheets and pandas: entities and dated relationships as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rdflib import Graph, URIRef

from ..temporal import AG
from .parts import Parts
from .property_graph import Vocabulary, for_options, label_of
from .registry import Options
from .values import scalar, text

TABLE_FILES = ("entities.csv", "relationships.csv")
_ENTITY_FIRST = ["id", "kind", "label"]
_RELATIONSHIP_FIRST = ["id", "kind", "label", "from", "from_label", "to", "to_label"]


def entity_rows(parts: Parts, options: Options) -> list[dict]:
    """One row per entity (every node that is not a relationship), values flattened."""
    pg = for_options(parts, options)
    vocab = Vocabulary(parts.full)
    rows = []
    for node, attrs in sorted(pg.nodes.items()):
        if vocab.is_relationship(AG[attrs["kind"]]):
            continue
        row = {"id": node}
        row.update({k: v for k, v in attrs.items() if k != "labels"})
        # Links to other nodes are edges of the property graph; in a table, columns.
        for key, targets in pg.links.get(node, {}).items():
            row[key] = list(row.get(key, [])) + targets
        rows.append(row)
    return rows


def relationship_rows(parts: Parts, options: Options) -> list[dict]:
    """One row per dated relationship (best-ranked, valid on ``at`` when given)."""
    pg = for_options(parts, options)
    return sorted(pg.relationships, key=lambda r: r["id"])


def _fill_labels(rows: list[dict], full: Graph) -> None:
    for row in rows:
        if not row.get("label"):
            row["label"] = label_of(full, URIRef(row["id"]))


def _table_csv(rows: list[dict], first: list[str], out) -> None:
    keys = {k for r in rows for k in r}
    columns = [c for c in first] + sorted(keys - set(first) - {"sources"})
    columns += ["sources"] if "sources" in keys else []
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if c not in row else _cell(row[c]) for c in columns])
    out.write(text.getvalue().encode("utf-8"))


def _cell(value) -> str:
    if isinstance(value, list):
        return scalar(value) if len(value) != 1 else text(value[0])
    return text(value)


def write_entities(parts: Parts, out, options: Options) -> None:
    _table_csv(entity_rows(parts, options), _ENTITY_FIRST, out)


def write_relationships(parts: Parts, out, options: Options) -> None:
    rows = relationship_rows(parts, options)
    _fill_labels(rows, parts.full)
    _table_csv(rows, _RELATIONSHIP_FIRST, out)


def write_tables(parts: Parts, folder: Path, options: Options) -> None:
    with open(folder / "entities.csv", "wb") as f:
        write_entities(parts, f, options)
    with open(folder / "relationships.csv", "wb") as f:
        write_relationships(parts, f, options)
