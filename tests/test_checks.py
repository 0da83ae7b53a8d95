"""Rule queries (queries/checks/*.rq and --checks folders): each shipped check catches its
break, a user's folder runs beside them, and malformed checks cannot run."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from alliance_graph.cli import cli
from alliance_graph.errors import DataFileError, UsageError
from alliance_graph.validate import checks, validate

# Each shipped check, and a break of the data that it must report (node, severity).
CASES = {
    "unused-source": (
        'src:unused-source a ag:Source ; rdfs:label "Never cited"@en .',
        "src:unused-source",
        "Warning",
    ),
    "label-whitespace": (
        'res:Renault skos:altLabel "Renault SA "@en .',
        "res:Renault",
        "Warning",
    ),
    "duplicate-label": (
        'res:Renault2 a ag:Company ; rdfs:label "Renault"@en ;\n'
        '    ag:citation [ a ag:Citation ; ag:source src:article ; ag:locator "x" ] .',
        "res:Renault2",
        "Warning",
    ),
    "percent-precision": (
        "res:stake-renault-nissan-1999 ag:votingCap 12.125 .",
        "res:stake-renault-nissan-1999",
        "Info",
    ),
    "reported-outside-interval": (
        "res:stake-renault-nissan-1999 ag:citation [ a ag:Citation ; ag:source src:article ;\n"
        '    ag:locator "x" ; ag:reportedOn "2003-01-01"^^xsd:date ] .',
        "res:stake-renault-nissan-1999",
        "Violation",
    ),
    "reported-after-published": (
        "res:stake-renault-nissandiesel-2005 ag:citation [ a ag:Citation ;\n"
        '    ag:source src:webcg-2005-03-09 ; ag:locator "x" ;\n'
        '    ag:reportedOn "2005-03-10"^^xsd:date ] .',
        "res:stake-renault-nissandiesel-2005",
        "Violation",
    ),
}


def test_shipped_checks_are_documented_and_all_have_a_case():
    shipped = checks.load()
    assert {c.name for c in shipped} == set(CASES)
    for check in shipped:
        assert (
            check.summary
            and check.description
            and check.severity
            in {
                "Violation",
                "Warning",
                "Info",
            }
        )


def test_each_check_catches_its_break_and_shipped_data_passes(data_copy):
    clean = validate(default_shapes=False)
    assert clean.results == [] and clean.checks == len(CASES)
    data_copy.write_text(
        data_copy.read_text() + "\n" + "\n".join(t for t, _, _ in CASES.values()) + "\n"
    )
    report = validate([data_copy], default_shapes=False)
    for name, (_, focus, severity) in CASES.items():
        hits = [r for r in report.results if r.rule == f"check:{name}" and r.focus == focus]
        assert hits, (name, report.to_text())
        assert all(h.severity == severity and h.message and h.line for h in hits)
    (dup,) = [r for r in report.results if r.rule == "check:duplicate-label"][:1]
    assert dup.path == "rdfs:label" and "res:" in dup.message  # names the other node


def test_user_checks_run_beside_the_shipped_ones(tmp_path, data_copy):
    folder = tmp_path / "my-checks"
    folder.mkdir()
    (folder / "no-ghosn.rq").write_text(
        "#+ summary: Nobody called Ghosn\n#+ severity: info\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?entity ?message WHERE { ?entity rdfs:label ?l .\n"
        '  FILTER(CONTAINS(?l, "Ghosn")) BIND("mentions Ghosn" AS ?message) }\n'
    )
    result = CliRunner().invoke(
        cli,
        ["validate", "--checks", str(folder), "--no-default-shapes", "--format", "json"],
    )
    assert result.exit_code == 0, result.output  # infos do not fail at --fail-on violation
    assert '"check:no-ghosn"' in result.output and '"res:CarlosGhosn"' in result.output
    result = CliRunner().invoke(
        cli, ["validate", "--checks", str(folder), "--no-default-shapes", "--fail-on", "info"]
    )
    assert result.exit_code == 1 and "Info: Carlos Ghosn (res:CarlosGhosn)" in result.output


@pytest.mark.parametrize(
    "text, error",
    [
        ("#+ summary: x\nSELECT ?entity ?message WHERE {}", "severity"),
        ("#+ summary: x\n#+ severity: fatal\nSELECT ?entity ?message WHERE {}", "severity"),
        ("#+ severity: info\nSELECT ?entity ?message WHERE {}", "summary"),
        ("#+ summary: x\n#+ severity: info\nASK {}", "SELECT"),
        ("#+ summary: x\n#+ severity: info\nSELECT ?entity WHERE {}", "?message"),
        ("#+ summary: x\n#+ severity: info\nSELECT ?entity ?message WHERE {", "SPARQL"),
        ("#+ summary: x\n#+ severity: info\nDELETE WHERE { ?s ?p ?o }", "read-only"),
    ],
)
def test_malformed_checks_name_file_and_fault(tmp_path, text, error):
    path = tmp_path / "bad.rq"
    path.write_text(text + "\n")
    with pytest.raises(DataFileError) as err:
        checks.parse_check(path)
    assert err.value.path == str(path) and error in str(err.value)


def test_two_checks_of_one_name_are_refused(tmp_path):
    (tmp_path / "unused-source.rq").write_text(
        checks.checks_dir().joinpath("unused-source.rq").read_text()
    )
    with pytest.raises(UsageError, match="two checks are called 'unused-source'"):
        checks.load([tmp_path])


def test_shipped_checks_pass_the_safety_check_they_skip_at_run_time():
    # validate trusts the shipped checks (no rdflib parse at run time) because of this test.
    from alliance_graph.queries import check_no_network, check_read_only

    shipped = sorted(checks.checks_dir().glob("*.rq"))
    assert len(shipped) == len(CASES)
    for path in shipped:
        assert checks.is_shipped(path)
        body = checks.parse_check(path).text
        check_read_only(body)
        check_no_network(body)


def test_a_copy_of_a_shipped_check_elsewhere_is_checked(tmp_path):
    # Trust goes by folder, not by name: the same file name elsewhere is parsed and refused.
    path = tmp_path / "unused-source.rq"
    path.write_text(
        "#+ summary: x\n#+ severity: info\n"
        "SELECT ?entity ?message WHERE { SERVICE <http://example.org/sparql> "
        "{ ?entity ?p ?message } }\n"
    )
    assert not checks.is_shipped(path)
    with pytest.raises(DataFileError, match="SERVICE"):
        checks.parse_check(path)


def test_shipped_headers_read_without_yaml_as_yaml_reads_them():
    # validate reads the shipped checks' headers with checks.shipped_header (no PyYAML to
    # import); it must give what the YAML reader of the saved queries gives, file by file.
    from alliance_graph.queries import read_rq

    shipped = sorted(checks.checks_dir().glob("*.rq"))
    assert len(shipped) == len(CASES)
    for path in shipped:
        light = checks.shipped_header(path.read_text(encoding="utf-8"))
        assert light is not None, f"{path.name}: the light reader gave up; keep it readable"
        assert light == read_rq(path), path.name


@pytest.mark.parametrize(
    "header",
    [
        "#+ summary: Two words\n#+ severity: info\n",
        "#+ summary: One\n#+ description: >\n#+   folded over\n#+   two lines\n#+ severity: info\n",
        "#+ description: >\n#+   the last key\n",
    ],
)
def test_the_light_header_reader_agrees_with_yaml(header):
    import yaml

    meta, body = checks.shipped_header(header + "SELECT ?entity ?message WHERE {}\n")
    expected = yaml.safe_load("\n".join(ln[2:] for ln in header.splitlines()))
    assert meta == expected
    assert body == "SELECT ?entity ?message WHERE {}\n"


@pytest.mark.parametrize(
    "header",
    [
        '#+ summary: "quoted"\n',  # YAML quoting
        "#+ summary: yes\n",  # a YAML boolean, not text
        "#+ summary: 12\n",  # a number
        "#+ summary: a: b\n",  # a mapping inside
        "#+ tags: [a, b]\n",
        "#+ description: |\n#+   literal block\n",
        "#+ description: >\n#+   one\n#+     deeper\n",
        "#+ summary: x\n#+ summary: y\n",  # a key twice
        "#+ summary: x # comment\n",
        "#+ description: >\n#+ summary: x\n",  # an empty paragraph
    ],
)
def test_the_light_header_reader_leaves_the_rest_to_yaml(header):
    assert checks.shipped_header(header + "SELECT ?entity ?message WHERE {}\n") is None


def test_a_shipped_check_that_is_not_a_select_is_refused(tmp_path, monkeypatch):
    # The shipped checks skip the queries package's lexer; the query form is then read
    # from Oxigraph's answer.
    path = tmp_path / "ask.rq"
    path.write_text("#+ summary: x\n#+ severity: info\nASK { ?s ?p ?o }\n")
    monkeypatch.setattr(checks, "checks_dir", lambda: tmp_path)
    assert checks.is_shipped(path)
    with pytest.raises(DataFileError, match="a check is a SELECT query"):
        checks.parse_check(path)


@pytest.mark.parametrize(
    ("source", "reported", "hit"),
    [
        ("src:webcg-2005-03-09", "2005-03-09", False),  # published 2005-03-09: that day
        ("src:webcg-2005-03-09", "2005-03-10", True),
        ("src:justauto-2002-warrants", "2002-03-31", False),  # published in 2002-03
        ("src:justauto-2002-warrants", "2002-04-01", True),
        ("src:universalis-2000", "2000-12-31", False),  # published in 2000
        ("src:universalis-2000", "2001-01-01", True),
    ],
)
def test_a_report_day_after_a_month_or_year_of_publication(data_copy, source, reported, hit):
    data_copy.write_text(
        data_copy.read_text()
        + f"\nres:Renault ag:citation [ a ag:Citation ; ag:source {source} ;"
        + f' ag:locator "x" ; ag:reportedOn "{reported}"^^xsd:date ] .\n'
    )
    report = validate([data_copy], default_shapes=False)
    hits = [r for r in report.results if r.rule == "check:reported-after-published"]
    assert bool(hits) is hit, report.to_text()
    if hit:
        (one,) = hits
        assert one.focus == "res:Renault" and reported in one.message and source[4:] in one.message


def test_a_check_row_without_an_entity_stops_the_run_naming_the_check(tmp_path, capsys):
    # The row was dropped, and the data read as passing.
    folder = tmp_path / "checks"
    folder.mkdir()
    (folder / "no-entity.rq").write_text(
        "#+ summary: rows without a node\n#+ severity: warning\n"
        "SELECT ?entity ?message WHERE { OPTIONAL { ?x <urn:none> ?entity } "
        'BIND("m" AS ?message) }\n'
    )
    from alliance_graph.cli import main

    with pytest.raises(SystemExit) as done:
        main(["validate", "--checks", str(folder)])
    assert done.value.code == 2
    assert "no-entity.rq: a row of the check has no ?entity" in capsys.readouterr().err


def test_a_check_reaching_a_service_is_refused_without_a_query_option(tmp_path):
    path = tmp_path / "svc.rq"
    path.write_text(
        "#+ summary: x\n#+ severity: info\n"
        "SELECT ?entity ?message WHERE { SERVICE <http://127.0.0.1:1/> { ?entity ?p ?message } }\n"
    )
    with pytest.raises(DataFileError) as err:
        checks.parse_check(path)
    assert "a check reads the graph it validates" in str(err.value)
    assert "--allow-network" not in str(err.value)  # an option validate does not have


def test_a_folder_of_checks_with_none_in_it_is_named(tmp_path, capsys):
    from alliance_graph.cli import main

    folder = tmp_path / "checks"
    (folder / "nested").mkdir(parents=True)
    (folder / "nested" / "deep.rq").write_text("#+ summary: x\n#+ severity: info\n")
    with pytest.raises(SystemExit) as done:
        main(["validate", "--checks", str(folder)])
    assert done.value.code == 2 and "no .rq file in this folder" in capsys.readouterr().err
    (folder / "UPPER.RQ").write_text(
        "#+ summary: x\n#+ severity: info\nSELECT ?entity ?message WHERE { FILTER(false) }\n"
    )
    assert {c.name for c in checks.load([folder], default=False)} == {"UPPER"}
