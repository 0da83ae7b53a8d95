"""What a what-if change does to the data's history (ownership/scenario.py): a change
on a day leaves every earlier day as the data has it, changes apply in date order
whatever the file's order, a change before the position's recorded history is refused,
a change to the same figure changes nothing, and an "about" figure stays "about"."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from alliance_graph import ownership as own
from alliance_graph.ownership import ScenarioError

sys.path.insert(0, str(Path(__file__).parent))
import ownership_graphs as og  # noqa: E402

# C's 20% of B was last reported in 2009: from 2010-01-01 it may have ended.
OPEN_END = (
    'ex:cb a ag:Shareholding ; rdfs:label "C in B"@en ; ag:holder ex:C ; ag:held ex:B ;'
    " ag:percent 20.0 ; ag:interest ag:EconomicInterest , ag:VotingInterest ;"
    ' ag:start "2000-01-01"^^xsd:date ; ag:endStatus ag:EndUnknown ;'
    ' ag:endEarliest "2010-01-01"^^xsd:date ;'
    ' ag:citation [ a ag:Citation ; ag:source ex:src ; ag:locator "p. 2" ] .\n'
)
DATA = og.graph(
    ["A", "B", "C", "D"],
    og.stake("ab", "A", "B", 40, extra=" ag:votingPercent 50.0 ;"),
    og.stake("db", "D", "B", 30, extra=" ag:approximate true ;"),
    OPEN_END,
)


def _after(tmp_path, rows):
    from alliance_graph.store import open_store

    data = tmp_path / "data.ttl"
    data.write_text(DATA)
    scenario = tmp_path / "what-if.csv"
    scenario.write_text("action,holder,held,percent,date\n" + "\n".join(rows) + "\n")
    base = open_store([data])
    changed, records = own.scenario_store(base, scenario)
    return own.holdings_from_store(base), own.holdings_from_store(changed), records


def test_a_later_sale_leaves_the_days_before_it_as_the_data_has_them(tmp_path):
    before, after, _ = _after(tmp_path, ["sell,C,B,5,2026-06-30"])
    for day in ("2005-06-30", "2015-06-30", "2026-06-29"):
        old, new = own.stake(before, "C", "B", day), own.stake(after, "C", "B", day)
        keys = ("percent", "certain", "sources", "candidates")
        assert {k: new[k] for k in keys} == {k: old[k] for k in keys}, day
        assert bool(new["why_not_certain"]) is bool(old["why_not_certain"]), day
    # it may have ended from 2010 (it used to turn certain up to the sale's day)
    assert own.stake(after, "C", "B", "2015-06-30")["certain"] is False
    sold = own.stake(after, "C", "B", "2026-07-01")
    assert sold["percent"] == 20 - 5


def test_changes_apply_in_date_order_whatever_the_file_order(tmp_path):
    rows = ["sell,A,B,5,2026-06-30", "sell,A,B,5,2026-01-01"]
    _, after, records = _after(tmp_path, rows)
    _, in_order, _ = _after(tmp_path, list(reversed(rows)))
    for h in (after, in_order):
        assert own.stake(h, "A", "B", "2026-03-01")["percent"] == 40 - 5
        july = own.stake(h, "A", "B", "2026-07-01")
        assert (july["percent"], july["certain"]) == (40 - 5 - 5, True)
    # the records in the file's order
    assert [r["date"] for r in records] == ["2026-06-30", "2026-01-01"]
    assert [r["after_percent"] for r in records] == [30, 35]


def test_a_change_before_the_recorded_history_of_the_position_is_refused(tmp_path):
    with pytest.raises(ScenarioError) as err:
        _after(tmp_path, ["buy,A,B,5,1998-01-01"])
    assert "what-if.csv:2" in str(err.value)
    assert "later stake of A in B (from 2000-01-01" in str(err.value)


def test_a_change_to_the_same_figure_changes_nothing(tmp_path):
    before, after, records = _after(tmp_path, ["buy,A,B,0,2026-01-01"])
    old, new = own.stake(before, "A", "B", "2026-07-01"), own.stake(after, "A", "B", "2026-07-01")
    assert new == old and old["theoretical_voting_percent"] == 50
    assert records[0]["before_percent"] == records[0]["after_percent"] == 40


@pytest.mark.parametrize(("row", "percent", "about"), [
    ("sell,D,B,5,2026-01-01", 25, True),  # about 30, less exactly 5: about 25
    ("buy,D,B,2,2026-01-01", 32, True),
    ("set,D,B,25,2026-01-01", 25, False),  # the scenario's own figure
])  # fmt: skip
def test_an_approximate_figure_changed_by_an_exact_one_stays_approximate(
    tmp_path, row, percent, about
):
    _, after, _ = _after(tmp_path, [row])
    answer = own.stake(after, "D", "B", "2026-07-01")
    assert (answer["percent"], answer["approximate"]) == (percent, about)


def _compare(tmp_path, data: str, rows: list[str]) -> dict:
    path = tmp_path / "net.ttl"
    path.write_text(data)
    scenario = tmp_path / "what-if.csv"
    scenario.write_text("action,holder,held,percent,date\n" + "\n".join(rows) + "\n")
    return own.compare([path], scenario, "2026-07-01", check_rules=False)


def test_compare_tells_two_companies_of_one_label_apart(tmp_path):
    # A and B are both "Acme"; T and U both "Target": keyed by label, A's move hid
    # behind B's figure, and naming T by its IRI stopped compare as ambiguous
    data = og.graph(
        [],
        og.company("A", "Acme"),
        og.company("B", "Acme"),
        og.company("T", "Target"),
        og.company("U", "Target"),
        og.stake("at", "A", "T", 30),
        og.stake("bt", "B", "T", 20),
        og.stake("au", "A", "U", 10),
    )
    ex = "http://example.org/"
    result = _compare(tmp_path, data, [f"sell,{ex}A,{ex}T,5,2026-06-30"])
    moved = {(r["holder_iri"], r["held_iri"]): r for r in result["integrated"]}
    assert set(moved) == {(ex + "A", ex + "T")}
    assert (
        moved[ex + "A", ex + "T"]["before_percent"],
        moved[ex + "A", ex + "T"]["after_percent"],
    ) == (30, 25)
    assert {r["held_iri"] for r in result["control"]} == {ex + "T"}


def test_compare_names_what_a_bad_cycle_leaves_undefined(tmp_path):
    # S holds half of P and half of R, which hold 60% and 30% of S: R buys 20% more, and
    # S is held 110% by members of its own cycle. Every figure through S is undefined
    # afterwards, not 0%.
    net = [("P", "S", 60), ("R", "S", 30), ("S", "P", 50), ("S", "R", 50), ("S", "K", 50)]
    data = og.graph(["P", "R", "S", "K"], *(og.stake(u + v, u, v, p) for u, v, p in net))
    result = _compare(tmp_path, data, ["buy,R,S,20,2026-06-30"])
    after = {(r["holder"], r["held"]): r["after_percent"] for r in result["integrated"]}
    before = {(r["holder"], r["held"]): r["before_percent"] for r in result["integrated"]}
    # before, by the corrected definition, with numpy: row i of (I - A)^-1 A with the
    # stakes held in i set to zero
    import numpy as np

    names = ["P", "R", "S", "K"]
    k = {n: i for i, n in enumerate(names)}
    for holder in ("P", "R"):
        a = np.zeros((4, 4))
        for u, v, p in net:
            a[k[u], k[v]] = p / 100
        a[:, k[holder]] = 0
        row = (np.linalg.inv(np.eye(4) - a) @ a)[k[holder]] * 100
        for held in ("S", "K"):
            assert before[(holder, held)] == pytest.approx(row[k[held]]), (holder, held)
            assert after[(holder, held)] is None, (holder, held)
    (cycle,) = result["undefined"]
    assert cycle["when"] == "after" and cycle["company"] == "S"
    assert cycle["total_percent"] == pytest.approx(110)


def test_compare_lists_control_that_moves_downstream(tmp_path):
    # R buys 10% more of N (45% -> 55%): R then controls N, and through N, K
    data = og.graph(
        ["R", "N", "K", "O"],
        og.stake("rn", "R", "N", 45),
        og.stake("on", "O", "N", 40),
        og.stake("nk", "N", "K", 60),
    )
    result = _compare(tmp_path, data, ["buy,R,N,10,2026-06-30"])
    rows = {(r["held"], r["basis"]): r for r in result["control"]}
    assert rows[("N", "votes")]["before"] == "no one"
    assert rows[("N", "votes")]["after"].startswith("R (55%)")
    assert "R" not in rows[("K", "votes")]["before"] and "R (60%)" in rows[("K", "votes")]["after"]
