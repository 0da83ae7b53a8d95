"""``alliance-graph summary``: the quick start's main job."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from alliance_graph.cli import cli


def test_summary_on_shipped_data_shows_counts_stakes_and_next_steps():
    result = CliRunner().invoke(cli, ["summary"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "conforms to the shapes" in out
    assert "shareholding" in out and "citation" in out
    # the stakes table holds the 2002 warrant exercise with its exact day
    assert any("44.4" in line and "2002-03-01" in line for line in out.splitlines())
    assert "Where to go next" in out


def test_summary_json_is_for_programs():
    result = CliRunner().invoke(cli, ["summary", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["conforms"] is True and doc["violations"] == 0
    counts = {c["class"]: c["count"] for c in doc["counts"]}
    assert counts["shareholding"] >= 30
    pairs = {(s["holder"], s["held"], s["percent"]) for s in doc["stakes"]}
    assert ("Renault", "Nissan Motor", 36.8) in pairs
    # deprecated claims (the article's "majority" in Mitsubishi Motors) are left out
    assert all(s["percent"] is not None for s in doc["stakes"])


def test_summary_exits_1_through_main_when_data_does_not_conform(data_copy):
    text = data_copy.read_text()
    data_copy.write_text(text.replace("ag:percent 36.8 ;", "ag:percent 136.8 ;", 1))
    proc = subprocess.run(
        [sys.executable, "-m", "alliance_graph", "summary", "--data", str(data_copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "does NOT conform" in proc.stdout


def test_summary_loads_the_data_once(monkeypatch, tmp_path, data_copy):
    # Validation and the two queries read one store: the files are parsed once. A fresh
    # copy of the data, so that no other test's load is in the process's cache.
    import alliance_graph.load as loader
    import alliance_graph.store as store_names

    calls = []
    original = loader.open_store

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(loader, "open_store", counting)
    monkeypatch.setattr(store_names, "open_store", counting)  # the older name of the loader
    result = CliRunner().invoke(cli, ["summary", "-f", "json", "--data", str(data_copy)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["conforms"] is True
    assert len(calls) == 1


def test_the_next_step_on_a_users_data_is_a_question_that_data_answers(tmp_path):
    # On the shipped data the example asks Renault in Nissan Motor; on a user's file it
    # asks that file's first stake, and the command it prints runs and answers it.
    import shlex

    from user_data import one_stake  # tests/ is on sys.path under pytest

    data = one_stake(
        tmp_path / "mine.ttl",
        holder="Acme Holding",
        held="Beta Corp",
        dates='ag:start "2015"^^xsd:gYear ; ag:endStatus ag:Ongoing ;',
    )
    result = CliRunner().invoke(cli, ["summary", "--data", str(data)])
    assert result.exit_code == 0, result.output
    (line,) = [x for x in result.output.splitlines() if "ownership stake" in x]
    assert "Renault" not in line
    args = shlex.split(line.strip())[1:]
    answer = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert answer.exit_code == 0, answer.output
    assert json.loads(answer.output)["percent"] == 60


def test_entities_of_an_unknown_kind_is_an_error_naming_close_ones(capsys):
    # --kind Persn answered an empty list with exit 0.
    from alliance_graph.cli import main

    with pytest.raises(SystemExit) as exit:
        main(["entities", "--kind", "Persn"])
    assert exit.value.code == 2
    assert "kind 'Persn': no class of this graph has that name. Did you mean Person?" in (
        capsys.readouterr().err
    )
    with pytest.raises(SystemExit) as exit:
        main(["entities", "--kind", "person", "--format", "json"])
    assert exit.value.code == 0
    assert "Carlos Ghosn" in capsys.readouterr().out
