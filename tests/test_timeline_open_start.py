"""A stake whose start the data does not give (a spreadsheet of current holdings, a BODS
statement without startDate) is possible on any day before the first day the data names,
as `ownership stake` answers it; the timeline says so in a first record with an open
start, where it used to begin at that first day, or say "no stake on any day" for a
stake with no dates at all (and `plot timeline` crashed)."""

from __future__ import annotations

import json

import pytest
from user_data import one_stake  # tests/ is on sys.path under pytest

from alliance_graph import ownership
from alliance_graph.cli import main


def _file(tmp_path, dates: str):
    return one_stake(tmp_path / "mine.ttl", holder="Omega Ltd", held="Sigma Ltd", dates=dates)


@pytest.mark.parametrize(
    "dates, first_day",
    [
        ("ag:endStatus ag:EndUnknown ;", None),  # no dates at all
        ('ag:endStatus ag:Ended ; ag:end "2021-06"^^xsd:gYearMonth ;', "2021-06-01"),
    ],
    ids=["undated", "an end only"],
)
def test_the_timeline_opens_with_what_stake_answers_before_any_known_day(
    tmp_path, capsys, dates, first_day
):
    path = _file(tmp_path, dates)
    h = ownership.holdings_from_files([path])
    records = ownership.timeline(h, "Omega Ltd", "Sigma Ltd")
    early = ownership.stake(h, "Omega Ltd", "Sigma Ltd", "2001-01-01")
    assert early["percent"] == 60 and early["certain"] is False  # possible, never certain
    first = records[0]
    assert first["from"] is None and first["until"] == first_day
    assert (first["direct_percent"], first["certain"]) == (early["percent"], early["certain"])
    # The CLI's table and JSON, and the web's explorer, show it; nothing crashes.
    with pytest.raises(SystemExit) as done:
        main(["ownership", "timeline", "Omega Ltd", "Sigma Ltd", "--data", str(path),
              "-f", "json"])  # fmt: skip
    assert done.value.code == 0
    assert json.loads(capsys.readouterr().out)[0]["from"] is None
    from starlette.testclient import TestClient

    from alliance_graph.web import Settings, create_app

    with TestClient(create_app(Settings(data=(str(path),)))) as client:
        view = client.get(
            "/explorer/view",
            params={"at": "2001", "company": "Sigma Ltd"},
            headers={"accept": "text/html"},
        )
    assert view.status_code == 200 and "start unknown" in view.text


def test_plot_timeline_of_undated_stakes_says_why_not_a_traceback(tmp_path, capsys):
    path = _file(tmp_path, "ag:endStatus ag:EndUnknown ;")
    out = tmp_path / "t.svg"
    with pytest.raises(SystemExit) as done:
        main(["plot", "timeline", "Omega Ltd", "Sigma Ltd", "--data", str(path), "-o", str(out)])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "have no dates" in err and "Traceback" not in err
    assert not out.exists()
