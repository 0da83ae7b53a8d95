"""The ``ownership`` commands, driven through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliance_graph.cli import cli, main

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ownership_graphs as og  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
SUBCOMMANDS = ("stake", "paths", "integrated", "control", "timeline", "compare")


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
    res = "https://w3id.org/alliance-graph/resource/"
    assert r["paths"][0] == {
        "nodes": ["Renault", "Nissan Motor"],
        "percent": 43.4,
        "certain": True,
        "approximate": False,
        "node_iris": [res + "Renault", res + "NissanMotor"],
    }
    assert (r["holder_iri"], r["held_iri"]) == (res + "Renault", res + "NissanMotor")
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


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "json"])
def test_integrated_one_holder_writes_the_rows_all_holders_write(fmt):
    # --all streams its rows; one holder's answer is rendered whole: the same cells
    # either way (38, not 38.0 in one and 38 in the other)
    one = run("integrated", "French State", "--at", "2002-06-30", "--format", fmt, "--min", "0")
    every = run("integrated", "--all", "--at", "2002-06-30", "--format", fmt, "--min", "0")
    if fmt == "json":
        mine = json.loads(one)
        assert mine == [r for r in json.loads(every) if r["holder"] == "French State"]
        return
    lines = one.splitlines()
    header = lines[:1] if fmt in ("csv", "tsv") else []
    theirs = every.splitlines()
    assert theirs[: len(header)] == header
    assert lines[len(header) :] == [
        x
        for x in theirs[len(header) :]
        if x.startswith(("French State", '{"holder": "French State"'))
    ]
    assert len(lines) > len(header) + 1


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
    path.write_text(og.graph(["a", "b"], og.stake("ab", "a", "b", 70, start='"2010"^^xsd:gYear')))
    r = run_json("stake", "A", "B", "--at", "2012", "--data", str(path))
    assert r["percent"] == 70.0 and r["certain"] is True
    assert r["sources"] == ["http://example.org/src"]
    # in 2010 itself the start day is not known
    assert run_json("stake", "a", "b", "--at", "2010-06", "--data", str(path))["certain"] is False


def test_data_is_validated_first_and_no_validate_says_what_it_skips(tmp_path):
    path = tmp_path / "mine.ttl"
    path.write_text(og.graph(["a", "b"], og.stake("ab", "a", "b", 150)))
    r = _main("integrated", "a", "b", "--at", "2020", "--data", str(path))
    line = 1 + og.graph(["a", "b"], "").count("\n")  # the stake's line in the file
    assert r.returncode == 1 and r.stdout == ""
    assert f"mine.ttl:{line}: Violation" in r.stderr and "150" in r.stderr
    r = _main("integrated", "a", "b", "--at", "2020", "--data", str(path), "--no-validate")
    assert r.returncode == 0 and "not validated (--no-validate)" in r.stderr
    # a stake without a citation is reported, not dropped silently
    path.write_text(
        og.graph(["a", "b"], og.stake("ab", "a", "b", 40).replace(" ag:citation [", " ag:note ["))
    )
    r = _main("stake", "a", "b", "--at", "2020", "--data", str(path))
    assert r.returncode == 1 and "citation" in r.stderr


def test_rdf_xml_data_works_for_ownership(tmp_path):
    from rdflib import Graph

    from alliance_graph.resources import data_files

    path = tmp_path / "data.owl"
    Graph().parse(data_files()[0]).serialize(path, format="xml")
    r = run_json("stake", "Renault", "Nissan", "--at", "2015-06-30", "--data", str(path))
    assert r["percent"] == 43.4


def test_a_date_with_a_time_zone_is_an_error_naming_the_node(tmp_path):
    path = tmp_path / "tz.ttl"
    path.write_text(
        og.graph(["a", "b"], og.stake("ab", "a", "b", 30, start='"2010-01-01Z"^^xsd:date'))
    )
    # Rejected in both places: validation reports the date (exit 1, naming the node and
    # the value), and the ownership reader refuses it when validation is skipped (exit 2).
    r = _main("stake", "a", "b", "--data", str(path))
    assert r.returncode == 1 and "2010-01-01Z" in r.stderr and "example.org/ab" in r.stderr
    r = _main("stake", "a", "b", "--data", str(path), "--no-validate")
    assert r.returncode == 2 and "example.org/ab" in r.stderr and "time zone" in r.stderr


def test_integrated_all_streams_above_the_minimum_and_survives_a_bad_cycle(tmp_path):
    path = tmp_path / "cycle.ttl"
    path.write_text(
        og.graph(
            ["P", "S", "X", "Y", "Z"],
            og.stake("ps", "P", "S", 100),
            og.stake("sp", "S", "P", 100),
            og.stake("xy", "X", "Y", 50),
            og.stake("yz", "Y", "Z", 0.01),
        )
    )
    r = _main("integrated", "--all", "--at", "2020", "--data", str(path), "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert "cycle of P, S" in r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    # X in Z is 50% x 0.01% = 0.005%, under the default --min of 0.01
    assert [(x["holder"], x["held"]) for x in rows] == [("X", "Y"), ("Y", "Z")]
    r = _main(
        "integrated", "--all", "--at", "2020", "--data", str(path), "--format", "csv", "--min", "0"
    )
    lines = r.stdout.splitlines()
    assert lines[0].startswith("holder,held,at,direct_percent,integrated_percent,certain")
    assert any(line.startswith("X,Z,2020,,0.005,") for line in lines)
    r = _main("integrated", "P", "S", "--at", "2020", "--data", str(path))
    assert r.returncode == 2 and "P, S" in r.stderr


def test_control_by_ownership_and_the_aggregates(tmp_path):
    path = tmp_path / "ofac.ttl"
    path.write_text(
        og.graph(
            ["X", "A", "B"],
            og.stake("xa", "X", "A", 50, votes=False),
            og.stake("ab", "A", "B", 40, votes=False),
            og.stake("xb", "X", "B", 10, votes=False),
        )
    )
    args = ("control", "B", "--at", "2020", "--data", str(path), "--threshold", "50-or-more")
    assert run_json(*args)["controlled"] is False
    r = run_json(*args, "--basis", "ownership")
    assert r["controllers"][0]["controller"] == "X" and r["controllers"][0]["percent"] == 50
    out = run(*args, "--basis", "ownership")
    assert "Aggregate figures" in out and "X -> B (10%)" in out
    assert "OFAC" in run("control", "--help")


def test_scenario_on_a_command_and_compare(tmp_path):
    data = tmp_path / "chain.ttl"
    data.write_text(
        og.graph(["R", "N"], og.stake("rn", "R", "N", 15), og.stake("nr", "N", "R", 15))
    )
    before = data.read_bytes()
    scenario = tmp_path / "buy.csv"
    scenario.write_text("action,holder,held,percent,date\nbuy,R,N,40,2026-06-30\n")
    common = ("--at", "2026-07-01", "--data", str(data))
    r = run_json("stake", "R", "N", *common, "--scenario", str(scenario))
    assert r["percent"] == 55.0
    assert run_json("stake", "R", "N", *common)["percent"] == 15.0
    out = run("compare", "--scenario", str(scenario), *common)
    assert "before_percent" in out and "R (55%)" in out and "no one" in out
    r = run_json("compare", "--scenario", str(scenario), *common)
    assert r["changes"][0]["after_percent"] == 55.0 and r["broken"] == []
    assert data.read_bytes() == before
    # with --store: the data before read from the on-disk store, the same answer, and
    # the store left as the files are (the scenario changes a copy)
    keep = tmp_path / "store"
    for _ in range(2):  # built, then read
        kept = run_json("compare", "--scenario", str(scenario), *common, "--store", str(keep))
        assert kept == r
    assert run_json("stake", "R", "N", *common, "--store", str(keep))["percent"] == 15.0
    what_if = ("--scenario", str(scenario), "--store", str(keep))
    assert run_json("stake", "R", "N", *common, *what_if)["percent"] == 55.0
    assert run_json("stake", "R", "N", *common, "--store", str(keep))["percent"] == 15.0
    # what --store holds is the data's store alone: compare validated the scenario's
    # temporary copy, which was built there and pushed the data's store out
    from alliance_graph import persist

    (build,) = persist.builds(keep)
    assert str(data) in (build / "sources").read_text()
    scenario.write_text("action,holder,held,percent,date\nbuy,R,N,1,2026-06-30\n")
    for _ in range(3):
        run_json("compare", "--scenario", str(scenario), *common, "--store", str(keep))
    assert persist.builds(keep) == [build]
    scenario.write_text("action,holder,held,percent,date\nbuy,R,Nobody,1,2026-06-30\n")
    r = _main("compare", "--scenario", str(scenario), *common)
    assert r.returncode == 2 and "buy.csv:2" in r.stderr


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


def test_a_span_holding_a_known_start_day_says_so(capsys):
    # The 44.4% stake starts on 2002-03-01, a day the sources give: asked for 2002, the
    # reason said "between 2002-03-01 and 2002-03-01" and the 1999 figure was "also
    # possible on this day", though a year was asked.
    with pytest.raises(SystemExit) as exit:
        main(["ownership", "stake", "Renault", "Nissan", "--at", "2002", "--format", "json"])
    assert exit.value.code == 0
    why = json.loads(capsys.readouterr().out)["why_not_certain"]
    assert "44.4%: it starts on 2002-03-01, after the first day asked" in why
    assert any(w.startswith("36.8% is also possible in 2002 (") for w in why)
    assert not any("between 2002-03-01 and 2002-03-01" in w for w in why)


def test_stake_table_says_when_the_data_holds_no_stake(tmp_path):
    # independently: the shipped Turtle has no shareholding of Renault in Mitsubishi Motors
    from rdflib import Graph, Namespace

    from alliance_graph.resources import data_files

    ag = Namespace("https://w3id.org/alliance-graph/ontology#")
    res = Namespace("https://w3id.org/alliance-graph/resource/")
    g = Graph()
    for path in data_files():
        g.parse(path)
    held = {g.value(s, ag.held) for s in g.subjects(ag.holder, res.Renault)}
    assert res.MitsubishiMotors not in held
    out = run("stake", "Renault", "Mitsubishi Motors", "--at", "2010")
    assert out.startswith("The data holds no stake of Renault in Mitsubishi Motors in 2010")
    assert run_json("stake", "Renault", "Mitsubishi Motors", "--at", "2010")["percent"] is None
    day = run("stake", "Renault", "Nissan", "--at", "1998-06-30")
    assert "no stake of Renault in Nissan Motor on 1998-06-30" in day
    assert "no stake" not in run("stake", "Renault", "Nissan", "--at", "2010-06-30")
    # a claim without a figure ("25-50" in the CSV example) is not "no stake": the table
    # and its reason stay
    data = tmp_path / "ranges.ttl"
    imported = CliRunner().invoke(
        cli,
        ["import", "csv", str(EXAMPLES / "stakes.csv"), "-o", str(data)],
        catch_exceptions=False,
    )
    assert imported.exit_code == 0, imported.output
    out = run("stake", "Family Trust", "Company C", "--at", "2021", "--data", str(data))
    assert "no stake" not in out and "Not certain because" in out and "no ag:percent" in out


def test_an_rdf_scenario_is_validated_with_the_data(tmp_path):
    # A stake without a citation was left out of every answer without a word.
    scenario = tmp_path / "what-if.ttl"
    scenario.write_text(
        og.PREFIXES
        + "@prefix res: <https://w3id.org/alliance-graph/resource/> .\n"
        + 'ex:s1 a ag:Shareholding ; rdfs:label "what if"@en ; ag:holder res:Renault ;'
        " ag:held res:MitsubishiMotors ; ag:percent 20.0 ;"
        " ag:interest ag:EconomicInterest , ag:VotingInterest ;"
        ' ag:start "2026-01-01"^^xsd:date ; ag:endStatus ag:Ongoing .\n'
    )
    args = ["stake", "Renault", "Mitsubishi Motors", "--at", "2026-07-01"]
    r = _main(*args, "--scenario", str(scenario))
    assert r.returncode == 1, r.stderr
    assert "The data with the scenario does not conform" in r.stderr and "citation" in r.stderr
    r = _main(*args, "--scenario", str(scenario), "--no-validate", "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout)["percent"] is None  # left out, as said
    cited = scenario.read_text().replace(
        "ag:endStatus ag:Ongoing .",
        "ag:endStatus ag:Ongoing ; ag:citation [ a ag:Citation ; ag:source ex:src ;"
        ' ag:locator "what if" ] .',
    )
    scenario.write_text(cited)
    r = _main(*args, "--scenario", str(scenario), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["percent"] == 20
