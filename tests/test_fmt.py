"""``alliance-graph fmt`` and :mod:`alliance_graph.canonical`: canonical Turtle that keeps
comments and grouping, proves the graph unchanged, and writes atomically."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alliance_graph import canonical
from alliance_graph.canonical import FormatError, default_files, format_files, format_text
from alliance_graph.cli import cli
from alliance_graph.errors import DataFileError

DATA = Path(__file__).parent / "data"
SAMPLE = (DATA / "fmt-sample.ttl").read_text(encoding="utf-8")
CANONICAL = (DATA / "fmt-sample.canonical.ttl").read_text(encoding="utf-8")


def test_a_sample_in_canonical_form():
    assert format_text(SAMPLE, "sample.ttl") == CANONICAL
    assert format_text(CANONICAL, "sample.ttl") == CANONICAL  # idempotent


def test_shipped_data_and_ontology_are_canonical():
    files = default_files()
    assert {f.parent.name for f in files} == {"data", "ontology"}
    assert [r.path for r in format_files(files, check=True) if r.changed] == []


def test_refuses_to_write_a_different_graph(tmp_path, monkeypatch):
    path = tmp_path / "x.ttl"
    path.write_text(SAMPLE)
    real = canonical._Statement.text
    monkeypatch.setattr(
        canonical._Statement, "text", lambda self: real(self).replace("36.80", "36.8")
    )
    with pytest.raises(FormatError, match="would change"):
        format_files([path])
    assert path.read_text() == SAMPLE  # left as it was
    assert [p.name for p in tmp_path.iterdir()] == ["x.ttl"]  # no temporary file left


def test_cli_check_diff_and_write(tmp_path):
    path = tmp_path / "mine.ttl"
    path.write_text(SAMPLE)
    runner = CliRunner()
    result = runner.invoke(cli, ["fmt", "--check", "--diff", str(path)])
    assert result.exit_code == 1
    assert "mine.ttl: not canonical" in result.output
    assert "+    ag:holder res:Renault ;" in result.output  # a short unified diff
    assert path.read_text() == SAMPLE
    result = runner.invoke(cli, ["fmt", str(path)])
    assert result.exit_code == 0 and "mine.ttl: formatted" in result.output
    assert path.read_text() == CANONICAL
    result = runner.invoke(cli, ["fmt", "--check", str(path)])
    assert result.exit_code == 0 and "1 file canonical" in result.output


def test_malformed_turtle_cannot_be_formatted(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix ag: <https://w3id.org/alliance-graph/ontology#> .\n\nag:a ag:b ;; .\n")
    with pytest.raises(DataFileError) as err:
        format_files([path])
    assert err.value.path == str(path) and err.value.line == 3
