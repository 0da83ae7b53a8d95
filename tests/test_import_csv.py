"""`alliance-graph import csv`: a CSV of stakes, one row a stake."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alliance_graph import ownership
from alliance_graph.cli import cli, main
from alliance_graph.graph import load
from alliance_graph.imports.csv import guess_kind
from alliance_graph.validate import validate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "stakes.csv"
HEADER = "holder,held,percent,interest,start,end,source,note,holder_kind\n"


def _import(tmp_path, text: str | Path):
    if isinstance(text, Path):
        src = text
    else:
        src = tmp_path / "stakes.csv"
        src.write_text(text)
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(cli, ["import", "csv", str(src), "-o", str(out)])
    return result, out


def test_example_file_imports_and_validates(tmp_path):
    result, out = _import(tmp_path, EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "5 stakes" in result.output
    assert validate([out]).conforms
    h = ownership.holdings(load([out]))
    # row 2 of the file: 70% from 2019-01-15 to 2022-03-01; row 3: 80% from 2022-03
    assert ownership.stake(h, "Holding A", "Company B", "2020-06-30")["percent"] == 70
    later = ownership.stake(h, "Holding A", "Company B", "2022-06-30", reading="certain")
    assert later["percent"] == 80
    # a start given as a month is not certain within that month
    assert (
        ownership.stake(h, "Holding A", "Company B", "2022-03-15", reading="certain")["percent"]
        is None
    )
    # entities named twice are one entity
    assert sorted(h.labels.values()) == [
        "Company B",
        "Company C",
        "Family Trust",
        "Holding A",
        "Jane Doe",
    ]
    assert h.kinds[next(i for i, n in h.labels.items() if n == "Jane Doe")] == "Person"
    assert h.kinds[next(i for i, n in h.labels.items() if n == "Family Trust")] == "Trust"
    # integrated ownership through the chain Jane -> Holding A -> Company B -> Company C:
    # 60% x 80% x 40% (the approximate 40% carries only votes, so no capital): Company C
    # is reached only by votes; capital stops at Company B.
    got = {
        r["held"]: r["integrated_percent"]
        for r in ownership.integrated(h, "Jane Doe", at="2023-06-30")
    }
    assert got == {"Holding A": 60.0, "Company B": pytest.approx(48.0)}


def test_kinds_are_guessed_from_the_name():
    assert guess_kind("Family Trust", "holder") == "Trust"
    assert guess_kind("French State", "holder") == "State"
    assert guess_kind("Nissan Motor", "holder") == "Company"


def test_approximate_and_ranges(tmp_path):
    result, out = _import(
        tmp_path, HEADER + "A Co,B Co,about 27,,2020,,,,\nC Co,B Co,25-50,economic,2020,,,,\n"
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "ag:approximate true" in text
    assert "ag:minValue 25.0" in text and "ag:maxValue 50.0" in text


BAD_ROWS = [
    # (row, column number, column name, words of the reason)
    ("A Co,,10,,,,,,", 2, "held", "is empty"),
    ("A Co,B Co,abc,,,,,,", 3, "percent", "not a percentage"),
    ("A Co,B Co,120,,,,,,", 3, "percent", "above 100"),
    ("A Co,B Co,50-20,,,,,,", 3, "percent", "ends below its start"),
    ("A Co,B Co,10,control,,,,,", 4, "interest", "choose economic, voting or both"),
    ("A Co,B Co,10,,2020-13,,,,", 5, "start", "not a valid date"),
    ("A Co,B Co,10,,2020,2019-06,,,", 6, "end", "is not after the start"),
    ("A Co,B Co,10,,,31/12/2020,,,", 6, "end", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ("A Co,B Co,10,,,,www.example.org,,", 7, "source", "not an http(s) URL"),
    ("A Co,B Co,10,,,,,,robot", 9, "holder_kind", "choose one of"),
    ("A Co,a  co,10,,,,,,", 2, "held", "the same entity"),
    # digits other than 0-9 are no xsd:decimal; a figure over 100 by less than a float sees
    ("A Co,B Co,١٢,,,,,,", 3, "percent", "is not a percentage"),
    ("A Co,B Co,１２,,,,,,", 3, "percent", "is not a percentage"),
    ("A Co,B Co,100.00000000000000001,,,,,,", 3, "percent", "is above 100"),
]
BAD_THROUGH = [
    # (row, words of the reason): an intermediary is neither end of the stake
    ("A Co,B Co,10,,,,,,,A Co", "is the holder or the held company"),
    ("A Co,B Co,10,,,,,,,b  co", "is the holder or the held company"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_THROUGH)
def test_an_intermediary_that_is_an_end_of_the_stake_is_named(tmp_path, capsys, row, reason):
    src = tmp_path / "stakes.csv"
    src.write_text(HEADER.rstrip("\n") + ",through\n" + row + "\n")
    with pytest.raises(SystemExit) as exit_:
        main(["import", "csv", str(src), "-o", str(tmp_path / "out.ttl")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "stakes.csv:2:10: through: " in err and reason in err


def test_a_header_without_rows_is_named(tmp_path, capsys):
    src = tmp_path / "stakes.csv"
    src.write_text(HEADER)
    with pytest.raises(SystemExit) as exit_:
        main(["import", "csv", str(src), "-o", str(tmp_path / "out.ttl")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "header and no rows" in err
    assert not (tmp_path / "out.ttl").exists()


@pytest.mark.parametrize(
    "row, col, name, reason", BAD_ROWS, ids=[r[2] + ":" + r[3] for r in BAD_ROWS]
)
def test_each_bad_row_is_named_by_line_and_column(tmp_path, capsys, row, col, name, reason):
    src = tmp_path / "stakes.csv"
    src.write_text(HEADER + "X Co,Y Co,10,,,,,,\n" + row + "\n")
    out = tmp_path / "out.ttl"
    out.write_text("previous content\n")
    with pytest.raises(SystemExit) as exit_:
        main(["import", "csv", str(src), "-o", str(out)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"stakes.csv:3:{col}: {name}: " in err
    assert reason in err
    assert "Traceback" not in err
    assert out.read_text() == "previous content\n"  # nothing half-written
    assert list(tmp_path.glob(".out.ttl.*")) == []  # no temporary file left


@pytest.mark.parametrize(
    "rows, where, reason",
    [
        # Jane declared a person, then a company: the second kind was dropped unseen
        (["Jane,B Co,5,,,,,,person", "B Co,Jane,5,,,,,,"], None, ""),
        (
            ["Jane,B Co,5,,,,,,person", "C Co,D Co,5,,,,,,", "Jane,E Co,5,,,,,,trust"],
            "stakes.csv:4:9: holder_kind",
            "Trust, where line 2 makes 'Jane' a Person",
        ),
    ],
)
def test_one_kind_for_each_entity_over_the_file(tmp_path, capsys, rows, where, reason):
    src = tmp_path / "stakes.csv"
    src.write_text(HEADER + "\n".join(rows) + "\n")
    with pytest.raises(SystemExit) as exit_:
        main(["import", "csv", str(src), "-o", str(tmp_path / "out.ttl")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    if where is None:  # held in a later row: that row is named
        assert "stakes.csv:3:2: held: 'Jane' is a person (line 2): a person cannot be held" in err
    else:
        assert where in err and reason in err
    assert not (tmp_path / "out.ttl").exists()


def test_a_kind_declared_on_a_later_row_is_the_entity_kind(tmp_path):
    # B Co is first named as held (no kind: it would be guessed a company), then
    # declared a trust: the trust it is
    result, out = _import(tmp_path, HEADER + "A Co,B Co,5,,,,,,\nB Co,C Co,5,,,,,,trust\n")
    assert result.exit_code == 0, result.output
    from rdflib import RDF, RDFS, Graph, Namespace

    ag = Namespace("https://w3id.org/alliance-graph/ontology#")
    g = Graph().parse(out)
    (node,) = [s for s, o in g.subject_objects(RDFS.label) if str(o) == "B Co"]
    assert set(g.objects(node, RDF.type)) == {ag.Trust}
    assert "B Co: " not in result.output  # not among the guessed kinds


def test_every_bad_row_is_reported_at_once(tmp_path, capsys):
    src = tmp_path / "stakes.csv"
    src.write_text(HEADER + "A Co,,10,,,,,,\nA Co,B Co,abc,,,,,,\nA Co,B Co,10,,2020-13,,,,\n")
    with pytest.raises(SystemExit):
        main(["import", "csv", str(src), "-o", str(tmp_path / "out.ttl")])
    err = capsys.readouterr().err
    assert "3 bad row(s)" in err
    for where in ("stakes.csv:2:2", "stakes.csv:3:3", "stakes.csv:4:5"):
        assert where in err
    assert not (tmp_path / "out.ttl").exists()


@pytest.mark.parametrize(
    "text, where, reason",
    [
        ("holder,held,percent,owner\n", "stakes.csv:1:4", "unknown column"),
        (
            "holder,held,percent,Percent\nA Co,B Co,10,20\n",
            "stakes.csv:1:4",
            "percent: the column is given twice (also column 3)",
        ),
        ("holder,percent\n", "stakes.csv:1", "held: required column is missing"),
        ("", "stakes.csv:1", "empty"),
        (HEADER + "A Co,B Co,10\n", "stakes.csv:2", "has 3 cells, the header 9"),
    ],
)
def test_bad_header_or_shape(tmp_path, capsys, text, where, reason):
    src = tmp_path / "stakes.csv"
    src.write_text(text)
    with pytest.raises(SystemExit) as exit_:
        main(["import", "csv", str(src), "-o", str(tmp_path / "out.ttl")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert where in err and reason in err
    assert not (tmp_path / "out.ttl").exists()


def test_missing_file(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["import", "csv", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.ttl")])
    assert exit_.value.code == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize("through_link", [False, True], ids=["same path", "a link to it"])
def test_an_output_over_its_own_input_is_refused_and_the_input_kept(tmp_path, capsys, through_link):
    # `import csv x.csv -o x.csv` (or `export --data x.ttl -o x.ttl`) would replace the
    # user's only copy with the output: refused, exit 2, the input byte for byte as it was.
    from alliance_graph.resources import data_files

    sheet = tmp_path / "stakes.csv"
    sheet.write_bytes(b"holder,held,percent\nAcme,Beta,60\n")
    turtle = tmp_path / "mine.ttl"
    turtle.write_bytes(data_files()[0].read_bytes())
    for source, args in (
        (sheet, ["import", "csv", str(sheet)]),
        (turtle, ["export", "-f", "turtle", "--data", str(turtle)]),
    ):
        before = source.read_bytes()
        out = source
        if through_link:
            out = tmp_path / f"link-{source.name}"
            out.symlink_to(source)
        with pytest.raises(SystemExit) as done:
            main([*args, "-o", str(out)])
        err = capsys.readouterr().err
        assert done.value.code == 2, err
        assert "is the input file" in err and "Traceback" not in err
        assert source.read_bytes() == before


def test_names_in_other_scripts_from_two_files_stay_two_companies(tmp_path, capsys):
    # 日産 Holdings and 三菱 Holdings reduced to one ASCII slug ("Holdings"): imported
    # from two files they became one company, and one held what only the other held.
    outs = []
    for i, (holder, held, pct) in enumerate(
        (("日産 Holdings", "Target One", "30"), ("三菱 Holdings", "Target Two", "40"))
    ):
        sheet = tmp_path / f"jp{i}.csv"
        sheet.write_text(f"holder,held,percent,start\n{holder},{held},{pct},2020\n", "utf-8")
        out = tmp_path / f"jp{i}.ttl"
        with pytest.raises(SystemExit) as done:
            main(["import", "csv", str(sheet), "-o", str(out)])
        assert done.value.code == 0, capsys.readouterr().err
        outs.append(out)
    h = ownership.holdings_from_files(outs)
    companies = {h.label(e) for e in h.entities}
    assert {"日産 Holdings", "三菱 Holdings"} <= companies
    assert ownership.stake(h, "日産 Holdings", "Target One", "2021")["percent"] == 30
    assert ownership.stake(h, "日産 Holdings", "Target Two", "2021")["percent"] is None
    assert ownership.stake(h, "三菱 Holdings", "Target Two", "2021")["percent"] == 40


def test_two_files_of_one_name_give_two_stakes(tmp_path, capsys):
    # 2020/stakes.csv and 2021/stakes.csv: each valid alone, and valid together, with
    # each file's figure on its own dates (the stake IRIs were the name and the line).
    outs = []
    for year, row in (("2020", "Alpha,Beta,30,2020,2020-12"), ("2021", "Alpha,Beta,35,2021,")):
        folder = tmp_path / year
        folder.mkdir()
        sheet = folder / "stakes.csv"
        sheet.write_text(f"holder,held,percent,start,end\n{row}\n", encoding="utf-8")
        out = tmp_path / f"{year}.ttl"
        with pytest.raises(SystemExit) as done:
            main(["import", "csv", str(sheet), "-o", str(out)])
        assert done.value.code == 0, capsys.readouterr().err
        outs.append(out)
    report = validate(outs)
    assert report.conforms, report.to_text()
    h = ownership.holdings_from_files(outs)
    assert len(h.stakes) == 2
    assert ownership.stake(h, "Alpha", "Beta", "2020-06-30")["percent"] == 30
    assert ownership.stake(h, "Alpha", "Beta", "2021-06-30")["percent"] == 35


def test_a_range_stake_makes_the_answer_uncertain_on_the_days_it_may_hold(tmp_path, capsys):
    # "25-50" gives no figure to compute with; on a day it may hold the answer is not
    # "certainly no stake" but uncertain, naming the claim; before its start it is.
    sheet = tmp_path / "range.csv"
    sheet.write_text("holder,held,percent,start\nFamily Trust,Company C,25-50,2020\n", "utf-8")
    out = tmp_path / "range.ttl"
    with pytest.raises(SystemExit) as done:
        main(["import", "csv", str(sheet), "-o", str(out)])
    assert done.value.code == 0, capsys.readouterr().err
    h = ownership.holdings_from_files([out])
    during = ownership.stake(h, "Family Trust", "Company C", "2021")
    assert during["percent"] is None and during["certain"] is False
    assert any("no figure" in w for w in during["why_not_certain"])
    before = ownership.stake(h, "Family Trust", "Company C", "2019")
    assert before["percent"] is None and before["certain"] is True


def test_a_csv_given_as_data_says_to_import_it(tmp_path, capsys):
    sheet = tmp_path / "stakes.csv"
    sheet.write_text("holder,held,percent\nAcme,Beta,60\n", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["query", "stakes-on-date", "-p", "date=2020", "--data", str(sheet)])
    err = capsys.readouterr().err
    assert done.value.code == 2 and f"{sheet}:1" in err
    assert f"alliance-graph import csv {sheet} -o OUT.ttl" in err


@pytest.mark.parametrize("sep, shown", [(";", "';'"), ("\t", "a tab")])
def test_another_separator_is_named(tmp_path, capsys, sep, shown):
    # A spreadsheet saved with semicolons (a common locale default) or tabs.
    sheet = tmp_path / "stakes.csv"
    sheet.write_text(sep.join(["holder", "held", "percent"]) + "\nA" + sep + "B" + sep + "60\n")
    with pytest.raises(SystemExit) as done:
        main(["import", "csv", str(sheet), "-o", str(tmp_path / "out.ttl")])
    err = capsys.readouterr().err
    assert done.value.code == 2 and f"{sheet}:1:" in err
    assert f"the columns are separated by {shown}" in err
    assert not (tmp_path / "out.ttl").exists()
