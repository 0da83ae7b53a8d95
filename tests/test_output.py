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


def test_table_wraps_and_never_cuts():
    long = "the five CMF modules: engine bay, cockpit, front underbody, rear underbody, electrics"
    text = render([{"a": long, "b": None}], "table", max_width=20)
    header, rule, *lines = text.splitlines()
    assert header.split() == ["a", "b"]
    assert len(lines) > 1 and all(len(line) <= 20 for line in lines)
    assert " ".join(line.strip() for line in lines) == long


def test_numbers_print_as_people_write_them():
    text = render([{"amount": 1.5e9, "sales": 1.4e7, "percent": 44.3, "n": 3, "x": 5.7e9}], "table")
    row = text.splitlines()[2]
    assert "1.5 billion" in row and "14 million" in row and "44.3" in row
    assert "e+" not in text and "5.7 billion" in row
    # Programs get the numbers themselves.
    assert json.loads(render([{"amount": 1.5e9}], "json")) == [{"amount": 1.5e9}]
    assert render([{"amount": 1.5e9}], "csv").splitlines()[1] == "1500000000"


def test_columns_fix_order_and_unknown_format_is_refused():
    assert render(ROWS, "csv", columns=["percent"]).splitlines()[0] == "percent"
    with pytest.raises(ValueError, match="unknown output format"):
        render(ROWS, "xml")
