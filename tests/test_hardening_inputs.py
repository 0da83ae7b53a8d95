"""Bad input an audit found ending in a traceback (exit 1, read by CI as "violations"):
each is now exit 2 with a message naming the file, line or parameter at fault, and
nothing is written."""

from __future__ import annotations

import json
import shutil

import pytest

from alliance_graph.cli import main
from alliance_graph.errors import UsageError

QUERY = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"


def run(argv, capsys):
    with pytest.raises(SystemExit) as exit:
        main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return exit.value.code, out, err


@pytest.mark.parametrize("value", ["inf", "nan", "1e308", "-1", "0", "soon"])
@pytest.mark.parametrize("command", [["sparql", QUERY], ["query", "stakes-on-date", "-p",
                                     "date=2003", "--engine", "rdflib"]])  # fmt: skip
def test_a_time_limit_that_is_not_a_number_of_seconds_is_refused(capsys, command, value):
    code, _, err = run([*command, "--timeout", value], capsys)
    assert code == 2
    assert f"'--timeout': '{value}' is not a number of seconds" in err


@pytest.mark.parametrize("value", ["inf", "nan"])
def test_validate_takes_0_for_no_limit_and_refuses_inf_and_nan(capsys, value):
    code, _, err = run(["validate", "--timeout", value], capsys)
    assert code == 2 and "is not a number of seconds" in err and "or 0 (no limit)" in err
    code, out, err = run(["validate", "--timeout", "0"], capsys)
    assert code == 0, err


def test_the_python_api_refuses_them_too():
    from alliance_graph import queries
    from alliance_graph.validate import validate

    for value in (float("nan"), float("inf")):
        with pytest.raises(UsageError, match="timeout: .* is not a number of seconds"):
            queries.sparql(QUERY, timeout=value)
        with pytest.raises(UsageError, match="timeout: .* is not a number of seconds"):
            validate(timeout=value)


def test_a_query_file_that_is_not_utf8_names_the_byte(tmp_path, capsys):
    path = tmp_path / "q.rq"
    path.write_bytes(b'SELECT * WHERE { ?s ?p "\xff" }')
    code, _, err = run(["sparql", "--file", str(path)], capsys)
    assert code == 2 and f"{path}:1:25: not UTF-8: byte 0xff" in err


def test_a_rule_query_that_is_not_utf8_names_the_file(tmp_path, capsys):
    folder = tmp_path / "checks"
    folder.mkdir()
    (folder / "a.rq").write_bytes(
        b'#+ summary: x\n#+ severity: warning\nSELECT ?entity WHERE { ?entity ?p "\xff" }'
    )
    code, _, err = run(["validate", "--checks", str(folder)], capsys)
    assert code == 2 and f"{folder / 'a.rq'}:3:36: not UTF-8" in err


def test_a_csv_cell_over_the_csv_limit_names_its_line(tmp_path, capsys):
    path = tmp_path / "stakes.csv"
    path.write_text(
        "holder,held,percent,start,source\nA," + "B" * 200_000 + ",10,2020,https://x.org\n"
    )
    out = tmp_path / "out.ttl"
    code, _, err = run(["import", "csv", str(path), "-o", str(out)], capsys)
    assert code == 2 and f"{path}:2: cannot be read: field larger than field limit" in err
    assert not out.exists()


def test_scenarios_with_an_impossible_date_or_a_huge_cell_name_the_file(tmp_path, capsys):
    yaml_file = tmp_path / "s.yaml"
    yaml_file.write_text(
        "- {action: set, holder: Renault, held: Nissan, percent: 9, date: 2026-02-30}\n"
    )
    code, _, err = run(["ownership", "compare", "--scenario", str(yaml_file), "--at",
                        "2026-07-01"], capsys)  # fmt: skip
    # the change is named: dates are read as the other faces read them, not by YAML
    assert code == 2 and f"{yaml_file}: change 1: date: '2026-02-30' is not a valid date" in err
    csv_file = tmp_path / "s.csv"
    csv_file.write_text("holder,held,percent,date\nA," + "B" * 200_000 + ",10,2020\n")
    code, _, err = run(["ownership", "compare", "--scenario", str(csv_file), "--at",
                        "2026-07-01"], capsys)  # fmt: skip
    assert code == 2 and f"{csv_file}:2: cannot be read" in err


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("latin1.csv", "action,holder,held,percent,date\nsell,Société,Renault,1,2026-06-30\n"
         .encode("latin-1"), ":2: not UTF-8 text"),
        ("latin1.yaml", "- {action: sell, holder: Société}\n".encode("latin-1"),
         ":1: not UTF-8 text"),
        ("extra.csv", b"action,holder,held,percent,date\nsell,Renault,Nissan,1,2026-06-30,x\n",
         ":2: more cells than the header has columns"),
        ("intkey.yaml", b"- {1: sell, holder: Renault}\n", ": change 1: the field name(s) 1"),
    ],
)  # fmt: skip
def test_scenarios_that_cannot_be_read_name_the_place(tmp_path, capsys, name, content, said):
    # each was a Python traceback (exit 1)
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = run(
        ["ownership", "compare", "--scenario", str(path), "--at", "2026-07-01"], capsys
    )
    assert code == 2 and f"{path}{said}" in err and "Traceback" not in err, err


def test_a_scenario_header_is_read_as_the_stakes_csv_reads_one(tmp_path, capsys):
    # a byte-order mark and "Action" read as "action" (they gave "missing action")
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufeffAction,Holder,Held,Percent,Date\nsell,Renault,Nissan,1,2026-06-30\n".encode()
    )
    code, out, err = run(
        ["ownership", "stake", "Renault", "Nissan", "--at", "2026-07-01", "--scenario",
         str(path), "-f", "json"], capsys)  # fmt: skip
    assert code == 0, err
    plain = run(["ownership", "stake", "Renault", "Nissan", "--at", "2026-07-01", "-f", "json"],
                capsys)[1]  # fmt: skip
    assert json.loads(plain)["percent"] - json.loads(out)["percent"] == pytest.approx(1)


@pytest.mark.parametrize("command", [["query", "stakes-on-date", "-p", "date=2003"], ["push"]])
def test_an_endpoint_that_is_not_a_url_is_named_without_its_password(capsys, command):
    code, _, err = run([*command, "--endpoint", "http://bob:secret@[::1"], capsys)
    assert code == 2
    assert "endpoint 'http://[::1' is not a URL" in err and "secret" not in err


def test_a_damaged_kept_store_says_which_folder_to_remove(tmp_path, capsys):
    store = tmp_path / "store"
    argv = ["query", "stakes-on-date", "-p", "date=2003", "-f", "csv", "--store", str(store)]
    code, good, err = run(argv, capsys)
    assert code == 0, err
    (kept,) = [p for p in store.iterdir() if p.is_dir()]
    damaged = tmp_path / "damaged"
    shutil.copytree(store, damaged)
    (damaged / kept.name / "db" / "CURRENT").unlink()
    code, _, err = run([*argv[:-1], str(damaged)], capsys)
    assert code == 2
    assert f"the kept store {damaged / kept.name} cannot be opened" in err
    assert "remove that folder" in err
    code, again, _ = run(argv, capsys)  # the sound one still answers
    assert code == 0 and again == good


@pytest.mark.parametrize("figure", ["NaN", "INF", "-INF"])
@pytest.mark.parametrize("command", [["integrated", "--all"], ["paths", "A", "B"],
                                     ["integrated", "A", "B"]])  # fmt: skip
def test_a_percent_that_is_not_finite_is_named_not_a_singular_matrix(
    tmp_path, capsys, figure, command
):
    # With --no-validate, "NaN"^^xsd:double reached the solver: "Factor is exactly
    # singular" (a traceback), or a garbled figure.
    from user_data import one_stake

    path = one_stake(
        tmp_path / "own.ttl",
        holder="A",
        held="B",
        percent=f'"{figure}"^^xsd:double',
        dates='ag:start "2020"^^xsd:gYear ; ag:endStatus ag:Ongoing ;',
    )
    code, _, err = run(["ownership", *command, "--no-validate", "--data", str(path), "--at",
                        "2020-12-31"], capsys)  # fmt: skip
    assert code == 2
    assert f"has ag:percent '{figure}', which is not a finite number" in err


@pytest.mark.parametrize("text", ["٢٠٠٢", "２００２", "2002-0６"])
def test_a_date_is_written_in_ascii_digits_in_every_face(capsys, text):
    # Arabic-Indic and full-width digits were read as the year 2002 (Python's \d).
    from alliance_graph.temporal import parse_date

    with pytest.raises(ValueError, match="is not a date of the form"):
        parse_date(text)
    code, _, err = run(["ownership", "stake", "Renault", "Nissan", "--at", text], capsys)
    assert code == 2 and "is not a date of the form" in err
    code, _, err = run(["query", "stakes-on-date", "-p", f"date={text}"], capsys)
    assert code == 2 and "parameter 'date'" in err


@pytest.mark.parametrize("value", ["nan", "-5", "101", "lots"])
@pytest.mark.parametrize("command", [
    ["integrated", "--all", "--at", "2020"],
    ["compare", "--at", "2026-07-01", "--scenario", "docs/examples/trust-sale.csv"],
])  # fmt: skip
def test_a_threshold_is_a_percentage_from_0_to_100(capsys, monkeypatch, value, command):
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).parents[1])
    code, _, err = run(["ownership", *command, "--min", value], capsys)
    assert code == 2 and f"'--min': '{value}' is not a percentage from 0 to 100" in err


def test_serve_on_a_port_in_use_is_exit_2_before_its_banner():
    # uvicorn found the port taken after "serving ... on" was printed, and exited with 3.
    import socket
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "alliance_graph", "serve", "--port", str(port)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 2, proc.stderr[-1000:]
    assert f"--port {port}: cannot listen on 127.0.0.1:{port}" in proc.stderr
    assert "serving" not in proc.stderr and "Traceback" not in proc.stderr


def test_serve_stops_before_its_banner_on_a_date_the_loader_cannot_bound(tmp_path):
    # docs/web.md: serve loads as ownership does, so a zoned date stops it with the node.
    import subprocess
    import sys

    from user_data import one_stake

    data = one_stake(
        tmp_path / "zoned.ttl", holder="Zh", held="Zd",
        dates='ag:start "2002-01-01Z"^^xsd:date ; ag:endStatus ag:Ongoing ;',
    )  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "alliance_graph", "serve", "--port", "0", "--data", str(data)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr[-1000:]
    assert "http://example.org/s has ag:start '2002-01-01Z'" in proc.stderr
    assert "serving" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(("variable", "value"), [
    ("ALLIANCE_GRAPH_TIMEOUT", "soon"), ("ALLIANCE_GRAPH_TIMEOUT", "inf"),
    ("ALLIANCE_GRAPH_TIMEOUT", "0"), ("ALLIANCE_GRAPH_ROW_CAP", "lots"),
    ("ALLIANCE_GRAPH_ROW_CAP", "-5"), ("ALLIANCE_GRAPH_MAX_MEMORY", "plenty"),
])  # fmt: skip
def test_the_web_apps_settings_from_the_environment_name_the_variable_at_fault(
    monkeypatch, variable, value
):
    # uvicorn alliance_graph.web:app read these with float() and int(): a ValueError
    # that named no variable, or an infinite limit.
    from alliance_graph.web.backend import Settings

    monkeypatch.setenv(variable, value)
    with pytest.raises(UsageError) as err:
        Settings.from_env()
    assert str(err.value).startswith(f"{variable}: ") and repr(value) in str(err.value)


def test_good_settings_from_the_environment_are_read(monkeypatch):
    from alliance_graph.web.backend import Settings

    monkeypatch.setenv("ALLIANCE_GRAPH_TIMEOUT", "2.5")
    monkeypatch.setenv("ALLIANCE_GRAPH_ROW_CAP", "50")
    monkeypatch.setenv("ALLIANCE_GRAPH_MAX_MEMORY", "512M")
    settings = Settings.from_env()
    assert (settings.timeout, settings.row_cap, settings.max_memory) == (2.5, 50, 512 << 20)


@pytest.mark.parametrize(
    "command",
    [
        ["export", "-f", "turtle"],
        ["validate"],
        ["import", "csv", "docs/examples/stakes.csv"],
        ["plot", "network"],
    ],
)
def test_an_empty_output_path_is_refused_by_name(capsys, command):
    # it named the current folder: ".: is a folder"
    code, _, err = run([*command, "-o", ""], capsys)
    assert code == 2 and "is empty: give a file name, or - for standard output" in err


def test_validate_writes_standard_output_for_dash(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["validate", "-o", "-"], capsys)
    assert code == 0 and out.startswith("conforms:") and not (tmp_path / "-").exists()


def test_a_csv_that_is_not_utf8_names_the_line(tmp_path, capsys):
    path = tmp_path / "latin1.csv"
    path.write_bytes("holder,held,percent\nA,B,10\nSociété,B,5\n".encode("latin-1"))
    code, _, err = run(["import", "csv", str(path), "-o", str(tmp_path / "o.ttl")], capsys)
    assert code == 2 and f"{path}:3: not UTF-8 text" in err


@pytest.mark.parametrize(
    "command", [["validate", "-f", "json"], ["fmt", "--check", "--diff", "data/alliance.ttl"]]
)
def test_standard_output_that_cannot_be_written_is_exit_2_named(command):
    # a traceback and exit 1 ("violations") on clean data, before
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "alliance_graph", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=root,
            check=False,
        )
    assert done.returncode == 2, done.stderr
    assert "cannot write to standard output" in done.stderr and "Traceback" not in done.stderr
