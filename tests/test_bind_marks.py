"""Parameters bound inside a subquery: the ``#@bind`` mark of an inner group gets the same
VALUES row as the outermost WHERE, so the subquery sees the values; pyoxigraph, rdflib
and grlc-style substitution then give the same answer."""

from __future__ import annotations

import pytest

from alliance_graph import queries
from alliance_graph.errors import DataFileError

EX = "https://example.org/"
DATA = f"""\
@prefix ex: <{EX}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:day "2001-01-01"^^xsd:date , "2003-01-01"^^xsd:date , "2009-01-01"^^xsd:date .
ex:b ex:day "2002-06-01"^^xsd:date , "2008-01-01"^^xsd:date .
"""
# The latest day of each thing on or before the date: an aggregate in a subquery, which
# the outer VALUES row cannot reach.
QUERY = """\
#+ summary: Latest day on or before a date
#+ description: per thing, the latest of its days on or before the date
#+ params:
#+   - name: date
#+     type: date
#+ example:
#+   date: "2004-06-30"

PREFIX ex: <https://example.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

SELECT ?thing ?latest WHERE {
  {
    SELECT ?thing (MAX(?day) AS ?latest) WHERE {
      #@bind
      ?thing ex:day ?day .
      FILTER(?day <= ?_date_xsd_date)
    }
    GROUP BY ?thing
  }
}
ORDER BY ?thing
"""


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "latest.rq").write_text(QUERY, encoding="utf-8")
    (tmp_path / "data.ttl").write_text(DATA, encoding="utf-8")
    return tmp_path


def grlc_text(q, params) -> str:
    """Each parameter variable replaced by its value, as grlc does."""
    values = {p.variable: queries.sparql_term(p.term(params[p.name])) for p in q.parameters}
    out, last = [], 0
    for tok in queries.tokenize(q.text):
        if tok.kind == "var" and tok.text[1:] in values:
            out += [q.text[last : tok.start], values[tok.text[1:]]]
            last = tok.end
    return "".join(out) + q.text[last:]


def test_the_values_row_goes_to_the_top_of_where_and_to_the_mark(folder):
    q = queries.get("latest", folder=folder)
    text = q.bind({"date": "2004-06-30"})
    row = 'VALUES (?_date_xsd_date ?dateLast) { ("2004-06-30"^^'
    assert text.count(row) == 2
    outer, inner = text.index(row), text.rindex(row)
    assert text.index("WHERE {") < outer < text.index("SELECT ?thing (MAX")
    assert text.index("#@bind") < inner < text.index("?thing ex:day ?day")


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2004-06-30", {"a": "2003-01-01", "b": "2002-06-01"}),
        ("2002", {"a": "2001-01-01"}),  # a year binds its first day in ?_date_xsd_date
        ("2010-01-01", {"a": "2009-01-01", "b": "2008-01-01"}),
    ],
)
def test_every_engine_sees_the_date_inside_the_subquery(folder, date, expected):
    q = queries.get("latest", folder=folder)
    data = [folder / "data.ttl"]
    ours = queries.run(q, {"date": date}, data=data).rows
    assert {r["thing"][len(EX) :]: r["latest"] for r in ours} == expected
    on_rdflib = queries.run(q, {"date": date}, data=data, engine="rdflib").rows
    substituted = queries.sparql(grlc_text(q, {"date": date}), data=data).rows
    assert on_rdflib == ours == substituted


def test_without_the_mark_the_subquery_would_not_see_the_date(folder):
    # What the mark is for: the outer row alone leaves the subquery's date unbound.
    q = queries.get("latest", folder=folder)
    unmarked = q.bind({"date": "2004-06-30"}).replace("#@bind", "#", 1)
    inner_row = unmarked.rindex("VALUES")
    unmarked = unmarked[:inner_row] + "#" + unmarked[inner_row:]
    rows = queries.sparql(unmarked, data=[folder / "data.ttl"]).rows
    assert rows == []  # ?day <= unbound is an error: nothing passes


@pytest.mark.parametrize(
    "where",
    [
        "#@bind\nSELECT ?thing WHERE {\n  ?thing ?p ?_date_xsd_date .\n}\n",  # before WHERE
        "SELECT ?thing WHERE {\n  ?thing ?p ?_date_xsd_date .\n  #@bind\n}\n",  # not after {
    ],
)
def test_a_misplaced_mark_is_refused_with_file_and_line(tmp_path, where):
    head = QUERY.split("SELECT ?thing ?latest")[0]
    (tmp_path / "bad.rq").write_text(head + where, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        queries.get("bad", folder=tmp_path)
    lines = (head + where).splitlines()
    line = next(i for i, ln in enumerate(lines, 1) if ln.strip() == "#@bind")
    assert f"bad.rq:{line}:" in str(err.value)
    assert "#@bind" in str(err.value)


def test_a_mark_inside_a_string_is_text(tmp_path):
    body = 'SELECT ?thing WHERE {\n  ?thing ?p ?_date_xsd_date .\n  FILTER(?thing != "#@bind")\n}\n'
    (tmp_path / "q.rq").write_text(QUERY.split("SELECT ?thing ?latest")[0] + body, encoding="utf-8")
    text = queries.get("q", folder=tmp_path).bind({"date": "2004-06-30"})
    assert text.count("VALUES") == 1
