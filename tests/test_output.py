"""The shared renderer: the same rows as a table, CSV, TSV, JSON and JSON lines."""

import csv
import io
import json

import pytest

from alliance_graph.output import render

ROWS = [
    {"holder": "Renault", "percent": 44.4, "voting": True, "sources": ["a", "b"]},
    {"holder": 'Nissan, "Motor"', "percent": 15.0, "voting": False, "sources": []},
]


def test_json_and_jsonl_keep_types():
    assert json.loads(render(ROWS, "json")) == ROWS
    lines = render(ROWS, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == ROWS


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_quote_safely(fmt, delimiter):
    back = list(csv.reader(io.StringIO(render(ROWS, fmt)), delimiter=delimiter))
    assert back[0] == ["holder", "percent", "voting", "sources"]
    assert back[2] == ['Nissan, "Motor"', "15", "false", ""]
    assert back[1][3] == "a; b"


def test_table_aligns_and_clips():
    text = render([{"a": "x" * 100, "b": None}], "table", max_width=10)
    header, rule, row = text.splitlines()
    assert header.split() == ["a", "b"]
    assert row == "x" * 9 + "…"


def test_columns_fix_order_and_unknown_format_is_refused():
    assert render(ROWS, "csv", columns=["percent"]).splitlines()[0] == "percent"
    with pytest.raises(ValueError, match="unknown output format"):
        render(ROWS, "xml")
