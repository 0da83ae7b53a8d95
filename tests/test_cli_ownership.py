"""The ``ownership`` commands, driven through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from alliance_graph.cli import cli

SUBCOMMANDS = ("stake", "paths", "integrated", "control", "timeline")


def run(*args):
    result = CliRunner().invoke(cli, ["ownership", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def run_json(*args):
    return json.loads(run(*args, "--format", "json"))


def test_stake_json_has_the_documented_keys():
    r = run_json("stake", "Renault", "Nissan", "--at", "2024-06-01")
    assert list(r)[:7] == [
        "holder",
        "held",
        "at",
        "percent",
        "voting_percent",
        "certain",
        "sources",
    ]
    assert r["holder"] == "Renault" and r["held"] == "Nissan Motor"
    assert r["percent"] == pytest.approx(37.73) and r["voting_percent"] == pytest.approx(15.0)
    assert r["certain"] is False
    assert 17.05 in [c["percent"] for c in r["candidates"]]


def test_stake_readings_differ_on_an_uncertain_day():
    at = ("--at", "2024-06-01")
    assert run_json("stake", "Renault", "Nissan", *at, "--reading", "certain")["percent"] is None
    possible = run_json("stake", "Renault", "Nissan", *at, "--reading", "possible")
    assert possible["percent"] == pytest.approx(39.78)


def test_stake_without_a_stake_is_null():
    r = run_json("stake", "Mitsubishi", "Renault", "--at", "2020")
    assert r["percent"] is None and r["voting_percent"] is None and r["certain"] is True


def test_paths_json_and_table():
    r = run_json("paths", "Renault", "Nissan", "--at", "2015-06-30")
    assert r["paths"][0] == {"nodes": ["Renault", "Nissan Motor"], "percent": 43.4, "certain": True}
    assert r["total_percent"] == pytest.approx(43.4 + 0.04805)
    out = run("paths", "Renault", "Nissan", "--at", "2015-06-30", "--max-depth", "1")
    assert "Renault -> Nissan Motor" in out and "Daimler" not in out and "1 path(s)" in out
    out = run("paths", "Renault", "Nissan", "--at", "2015-06-30", "--limit", "1")
    assert "Daimler" not in out and "more exist" in out
    r = run_json("paths", "Renault", "Nissan", "--at", "2015-06-30", "--limit", "1")
    assert r["complete"] is False and r["total_percent"] is None and len(r["paths"]) == 1


def test_integrated_pair_default_and_plain():
    r = run_json("integrated", "Renault", "Nissan", "--at", "2017-06-30")
    assert set(r) >= {"holder", "held", "at", "direct_percent", "integrated_percent"}
    assert r["integrated_percent"] == pytest.approx(43.4)
    plain = run_json("integrated", "Renault", "Nissan", "--at", "2017-06-30", "--plain")
    assert plain["integrated_percent"] == pytest.approx(100 * 0.434 / (1 - 0.434 * 0.15))


def test_integrated_all_is_a_list():
    rows = run_json("integrated", "--all", "--at", "2015-06-30")
    assert isinstance(rows, list) and len(rows) > 5
    pairs = {(r["holder"], r["held"]) for r in rows}
    assert ("French State", "Nissan Motor") in pairs  # indirect only
    assert all(0 < r["integrated_percent"] <= 100 for r in rows)


def test_control_json_and_table():
    r = run_json("control", "RNAIPL", "--at", "2026")
    assert r["controlled"] is True and r["controllers"][0]["controller"] == "Renault"
    out = run("control", "Nissan", "--at", "2015-06-30")
    assert "No one controls Nissan Motor" in out and "Renault" in out


def test_timeline_json():
    rows = run_json("timeline", "Nissan", "Renault")
    assert rows[0]["from"] == "2002-03-28" and rows[0]["direct_percent"] == pytest.approx(13.5)
    assert [r["from"] for r in rows] == sorted(r["from"] for r in rows)


def test_data_option_analyses_a_users_own_file(tmp_path):
    path = tmp_path / "mine.ttl"
    path.write_text(
        """@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a ag:Company ; rdfs:label "Alpha" .
ex:b a ag:Company ; rdfs:label "Beta" .
ex:ab a ag:Shareholding ; ag:holder ex:a ; ag:held ex:b ; ag:percent 70.0 ;
  ag:interest ag:EconomicInterest , ag:VotingInterest ; ag:start "2010"^^xsd:gYear ;
  ag:endStatus ag:Ongoing ; ag:citation [ a ag:Citation ; ag:source ex:s ; ag:locator "x" ] .
"""
    )
    r = run_json("stake", "alpha", "BETA", "--at", "2012", "--data", str(path))
    assert r["percent"] == 70.0 and r["certain"] is True
    assert r["sources"] == ["http://example.org/s"]
    # in 2010 itself the start day is not known
    assert (
        run_json("stake", "alpha", "beta", "--at", "2010-06", "--data", str(path))["certain"]
        is False
    )


def _main(*args):
    return subprocess.run(
        [sys.executable, "-m", "alliance_graph", "ownership", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_unknown_and_ambiguous_names_exit_2_with_candidates(tmp_path):
    r = _main("stake", "Nisan", "Renault", "--at", "2015")
    assert r.returncode == 2
    assert "no entity is named 'Nisan'" in r.stderr and "Nissan Motor" in r.stderr


def test_bad_usage_exits_2(tmp_path):
    r = _main("stake", "Renault", "Nissan", "--at", "2015-13")
    assert r.returncode == 2 and "2015-13" in r.stderr
    r = _main("stake", "Renault", "Nissan", "--data", str(tmp_path / "missing.ttl"))
    assert r.returncode == 2 and "missing.ttl" in r.stderr


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help_ending_with_an_example(name):
    out = run(name, "--help")
    tail = out.strip().splitlines()
    example = [line for line in tail if "alliance-graph ownership" in line]
    assert example, out
    assert "--format" in out and "--data" in out
