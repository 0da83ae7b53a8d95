"""Figures the sources give as "about" (ag:approximate true) say so in every answer that
sums them: the direct stake, its parts and candidates, and each chain of stakes."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace

from alliance_graph import ownership as own
from alliance_graph.cli import cli
from alliance_graph.resources import data_files

sys.path.insert(0, str(Path(__file__).parent))
import ownership_graphs as og  # noqa: E402

AG = Namespace("https://w3id.org/alliance-graph/ontology#")
ABOUT = " ag:approximate true ;"
# A holds about 40% of B; B holds exactly 50% of C; A holds exactly 10% of C.
CHAIN = og.graph(
    ["A", "B", "C"],
    og.stake("ab", "A", "B", 40, extra=ABOUT),
    og.stake("bc", "B", "C", 50),
    og.stake("ac", "A", "C", 10),
)


def _write(tmp_path) -> Path:
    path = tmp_path / "chain.ttl"
    path.write_text(CHAIN)
    return path


def test_a_stake_and_its_parts_say_when_the_figure_is_approximate(tmp_path):
    h = own.holdings_from_files([_write(tmp_path)])
    about = own.stake(h, "A", "B", "2010-01-01")
    exact = own.stake(h, "B", "C", "2010-01-01")
    assert (about["percent"], about["approximate"]) == (40, True)
    assert [p["approximate"] for p in about["parts"]] == [True]
    assert (exact["percent"], exact["approximate"]) == (50, False)


def test_a_chain_is_approximate_when_one_of_its_stakes_is(tmp_path):
    h = own.holdings_from_files([_write(tmp_path)])
    result = own.paths(h, "A", "C", "2010-01-01")
    by_nodes = {tuple(p["nodes"]): p for p in result["paths"]}
    assert set(by_nodes) == {("A", "B", "C"), ("A", "C")}
    assert by_nodes["A", "B", "C"]["percent"] == 0.4 * 50
    assert by_nodes["A", "B", "C"]["approximate"] is True
    assert by_nodes["A", "C"]["approximate"] is False
    assert result["approximate"] is True
    assert own.paths(h, "B", "C", "2010-01-01")["approximate"] is False


def test_the_cli_rows_carry_the_flag(tmp_path):
    path = _write(tmp_path)
    runner = CliRunner()
    out = runner.invoke(
        cli, ["ownership", "paths", "A", "C", "--at", "2010", "--data", str(path), "-f", "csv"]
    )
    assert out.exit_code == 0, out.output
    rows = {r["path"]: r["approximate"] for r in csv.DictReader(io.StringIO(out.output))}
    assert rows == {"A -> B -> C": "true", "A -> C": "false"}
    table = runner.invoke(
        cli, ["ownership", "paths", "A", "C", "--at", "2010", "--data", str(path)]
    )
    assert "some figures approximate" in table.output
    one = runner.invoke(
        cli, ["ownership", "stake", "A", "B", "--at", "2010", "--data", str(path), "-f", "csv"]
    )
    assert next(csv.DictReader(io.StringIO(one.output)))["approximate"] == "true"


def test_the_shipped_answers_flag_exactly_the_statements_the_data_marks():
    # Independent of the ownership code: which shareholdings the Turtle marks "about".
    g = Graph()
    for path in data_files():
        g.parse(path)
    marked = {str(s) for s in g.subjects(AG.approximate, Literal(True))}
    marked &= {str(s) for s in g.subjects(AG.percent, None)}
    h = own.holdings_from_files(data_files())
    for pair, day in [
        (("French State", "Renault"), "2002-06-30"),
        (("French State", "Renault"), "2010-06-30"),
        (("Nissan Motor", "Mitsubishi Motors"), "2025-01-01"),
        (("Renault", "Nissan Motor"), "2010-06-30"),
    ]:
        record = own.stake(h, *pair, day)
        for part in record["parts"]:
            assert part["approximate"] is (part["statement"] in marked), (pair, day, part)
        assert record["approximate"] is any(p["statement"] in marked for p in record["parts"])
        for c in record["candidates"]:
            assert c["approximate"] is (c["statement"] in marked)
    assert own.stake(h, "French State", "Renault", "2002-06-30")["approximate"] is True
