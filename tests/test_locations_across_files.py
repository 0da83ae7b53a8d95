"""A node written in two files: a result about one property is placed where that
property is written, and every other place that writes it is named too, in every
report format."""

from __future__ import annotations

import json

import jsonschema
import pytest

from alliance_graph import resources
from alliance_graph.cli import main
from alliance_graph.validate import validate
from alliance_graph.validate.reports import render, to_github, to_junit, to_sarif

PREFIXES = """@prefix ag:   <https://w3id.org/alliance-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix res:  <https://w3id.org/alliance-graph/resource/> .
"""


def shipped_line(subject: str) -> int:
    """The line of the shipped data where ``subject`` opens a statement, read here."""
    lines = resources.data_files()[0].read_text(encoding="utf-8").splitlines()
    (number,) = [i for i, line in enumerate(lines, start=1) if line.startswith(subject + " ")]
    return number


def write(path, body: str):
    path.write_text(PREFIXES + "\n# added by a user\n\n" + body, encoding="utf-8")
    return path, PREFIXES.count("\n") + 4  # the line of the body's first statement


@pytest.fixture
def second_label(tmp_path):
    return write(tmp_path / "extra.ttl", 'res:Renault rdfs:label "Renault Group"@en .\n')


def only(report):
    (result,) = report.results
    return result


@pytest.mark.parametrize("order", ["shipped first", "extra first"])
def test_a_clash_between_two_files_names_both(second_label, order):
    extra, extra_line = second_label
    shipped = resources.data_files()[0]
    files = [shipped, extra] if order == "shipped first" else [extra, shipped]
    result = only(validate(files))
    places = {f"{shipped}:{shipped_line('res:Renault')}", f"{extra}:{extra_line}"}
    assert result.rule == "agsh:label" and result.path == "rdfs:label"
    assert {f"{result.file}:{result.line}", *result.also} == places
    assert len(result.also) == 1
    first = files[0]
    assert result.file == str(first)  # the first file given that writes a label


def test_a_property_only_the_second_file_writes_is_placed_there(tmp_path):
    extra, extra_line = write(
        tmp_path / "extra.ttl", 'res:Renault ag:parentOrganisation "Renault holding" .\n'
    )
    result = only(validate([resources.data_files()[0], extra]))
    assert result.path == "ag:parentOrganisation"
    assert (result.file, result.line, result.also) == (str(extra), extra_line, ())


def test_a_node_written_once_keeps_its_one_place(tmp_path):
    extra, extra_line = write(
        tmp_path / "extra.ttl",
        'res:Newco a ag:Company ;\n    rdfs:label "Newco"@en , "Newco SA"@en ;\n'
        '    ag:description "A company." .\n',
    )
    results = validate([resources.data_files()[0], extra]).results
    assert {r.path for r in results} >= {"rdfs:label"}  # two English labels, no citation
    assert {(r.file, r.line, r.also) for r in results} == {(str(extra), extra_line, ())}


def test_every_format_names_the_other_place(second_label, tmp_path):
    extra, extra_line = second_label
    report = validate([resources.data_files()[0], extra])
    assert f"  also:    {extra}:{extra_line}" in render(report, "table")
    (row,) = json.loads(render(report, "json"))["results"]
    assert row["also"] == [f"{extra}:{extra_line}"]
    assert f"{extra_line}" in render(report, "csv").splitlines()[1].rpartition(",")[2]
    assert f"(also written at {extra}:{extra_line})" in to_github(report)
    assert f"also: {extra}:{extra_line}" in to_junit(report)

    from test_reports import sarif_schema

    log = to_sarif(report)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    (result,) = log["runs"][0]["results"]
    (related,) = result["relatedLocations"]
    assert related["physicalLocation"]["region"]["startLine"] == extra_line
    assert related["physicalLocation"]["artifactLocation"]["uri"].endswith("extra.ttl")


def test_the_cli_prints_both_places(second_label, capsys):
    extra, extra_line = second_label
    with pytest.raises(SystemExit) as exit:
        main(["validate", "--data", str(resources.data_files()[0]), "--data", str(extra)])
    assert exit.value.code == 1
    out = capsys.readouterr().out
    assert f"{resources.data_files()[0]}:{shipped_line('res:Renault')}: Violation" in out
    assert f"also:    {extra}:{extra_line}" in out


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        # a value of a property both files write, the bad one only in the second
        ('res:Renault rdfs:label "Renault  SA"@fr .\n', "check:label-whitespace"),
        ("res:stake-renault-nissan-1999 ag:votingCap 12.125 .\n", "check:percent-precision"),
        (
            "res:stake-renault-nissandiesel-2005 ag:citation [ a ag:Citation ; ag:source"
            ' <https://w3id.org/alliance-graph/source/webcg-2005-03-09> ; ag:locator "x" ;'
            ' ag:reportedOn "2005-03-10"^^<http://www.w3.org/2001/XMLSchema#date> ] .\n',
            "check:reported-after-published",
        ),
    ],
)
def test_a_check_result_is_placed_where_its_bad_value_is_written(tmp_path, body, rule):
    # checks gave their ?property as a bare IRI, which the index did not read: every
    # result went to the node's first block, in the shipped file, and named no other
    extra, extra_line = write(tmp_path / "extra.ttl", body)
    report = validate([resources.data_files()[0], extra])
    hits = [r for r in report.results if r.rule == rule]
    assert hits, report.to_text()
    for r in hits:
        assert (r.file, r.line) == (str(extra), extra_line), (r.file, r.line, r.also)


def test_a_node_no_line_opens_is_still_annotated_on_its_only_file(tmp_path):
    # a subject written mid-line got a GitHub annotation without file=
    path, _ = write(tmp_path / "midline.ttl", "res:A a ag:Company . res:B a ag:Company .\n")
    text = to_github(validate([path]))
    annotations = [line for line in text.splitlines() if line.startswith("::")]
    assert annotations and all(f"file={path}" in line for line in annotations), text
