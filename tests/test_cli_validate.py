"""``alliance-graph validate``: output and exit codes (0 conforms, 1 violations, 2 cannot run)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from alliance_graph.cli import cli, main


def run(*args):
    return CliRunner().invoke(cli, ["validate", *args])


def run_main(capsys, *args):
    """Through ``main``, which maps library errors onto exit code 2."""
    with pytest.raises(SystemExit) as exit_:
        main(["validate", *args])
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def test_shipped_data_conforms_in_one_line():
    result = run()
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    assert line.startswith("conforms: alliance.ttl (")
    assert "0 violations, 0 warnings, 0 infos" in line


def test_violations_exit_1_with_a_readable_report(data_copy):
    text = data_copy.read_text()
    data_copy.write_text(text.replace("ag:percent 36.8 ;", "ag:precent 36.8 ;"))
    result = run("--data", str(data_copy))
    assert result.exit_code == 1
    out = result.output
    assert "Renault in Nissan Motor, 36.8% (1999-2002) (res:stake-renault-nissan-1999)" in out
    assert "rule:    agsh:declared-property" in out
    assert "message: uses ag:precent, a property the ontology does not declare" in out
    assert "value:   36.8" in out
    assert f"{data_copy}:" in out  # the file and line where the node is written
    assert out.rstrip().splitlines()[-1].startswith("does NOT conform: alliance.ttl")


def test_json_format(data_copy):
    text = data_copy.read_text()
    data_copy.write_text(text.replace("ag:percent 44.4 ;", 'ag:percent "44.4" ;'))
    result = run("--data", str(data_copy), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    assert report["counts"] == {"Violation": 1, "Warning": 0, "Info": 0}
    (problem,) = report["results"]
    assert problem["rule"] == "agsh:percent-datatype"
    assert problem["focus"] == "res:stake-renault-nissan-2002"
    assert problem["value"] == '"44.4"' and problem["line"] > 1


def test_json_format_on_conforming_data():
    result = run("--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["conforms"] is True and report["results"] == []


def test_exit_codes_through_main(capsys, data_copy):
    code, out, _ = run_main(capsys)
    assert code == 0 and out.startswith("conforms")
    data_copy.write_text(data_copy.read_text().replace("ag:percent 44.4 ;", "ag:percent 144.4 ;"))
    code, out, _ = run_main(capsys, "--data", str(data_copy))
    assert code == 1 and "agsh:percent-range" in out


def test_malformed_turtle_exits_2_naming_file_line_and_column(capsys, data_copy):
    lines = data_copy.read_text().splitlines()
    lines[40] = "res:broken a ag:Company ;; rdfs:label ."
    data_copy.write_text("\n".join(lines) + "\n")
    code, out, err = run_main(capsys, "--data", str(data_copy))
    assert code == 2 and out == ""
    assert err.startswith(f"Error: {data_copy}:41:")


def test_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run_main(capsys, "--data", str(tmp_path / "absent.ttl"))
    assert code == 2
    assert "absent.ttl: no such file" in err


def test_help_ends_with_an_example():
    result = run("--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "alliance-graph validate --data my-stakes.ttl --format json" in result.output


def test_extra_shapes_add_to_the_shipped_ones(tmp_path):
    extra = tmp_path / "mine.ttl"
    extra.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ag: <https://w3id.org/alliance-graph/ontology#> .\n"
        "<urn:my:CountryShape> a sh:NodeShape ; sh:targetClass ag:Company ;\n"
        "    sh:property [ sh:path ag:country ; sh:minCount 1 ; sh:severity sh:Warning ;\n"
        '        sh:message "no country" ] .\n'
    )
    report = json.loads(run("--shapes", str(extra), "--format", "json").output)
    assert report["shapes"] == 61  # the shipped 60 (three in alliance-terms.ttl) and this one
    assert report["counts"]["Violation"] == 0 and report["counts"]["Warning"] > 0
    assert {r["rule"] for r in report["results"]} == {"<urn:my:CountryShape>/ag:country"}
    assert {"res:Google", "res:Daimler"} <= {r["focus"] for r in report["results"]}
    alone = json.loads(
        run("--shapes", str(extra), "--no-default-shapes", "--format", "json").output
    )
    assert alone["shapes"] == 1 and alone["counts"] == report["counts"]


def test_report_formats_are_the_shared_ones_and_rows_are_one_per_result(tmp_path, capsys):
    import csv
    import io

    from alliance_graph.cli.validate import FORMATS as CLI_FORMATS
    from alliance_graph.validate.reports import FORMATS

    assert CLI_FORMATS == FORMATS
    assert {"table", "csv", "tsv", "json", "jsonl"} <= set(FORMATS)
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ag: <https://w3id.org/alliance-graph/ontology#> .\n"
        "@prefix res: <https://w3id.org/alliance-graph/resource/> .\n"
        "res:x a ag:Shareholding ; ag:percent 150 .\n"
    )
    from alliance_graph.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["validate", str(bad), "--format", "csv"])
    assert exit_.value.code == 1
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(r["focus"] == "res:x" and r["line"] == "3" for r in rows)
