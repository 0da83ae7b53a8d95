"""Ownership analytics on the Alliance data, checked against figures worked out by hand.

The stakes used below (docs/temporal-model.md, data/alliance.ttl):
Renault in Nissan 36.8% (1999-2002), 44.4% (2002-), 44.3% (reported 2010), 43.4% (from
2015 at the latest, until the 2023 rebalancing), then 15% direct + 28.4% through the trust;
Nissan in Renault 13.5% then 15% from 2002 (no votes until 2023, then votes capped at 15%);
Daimler 3.1% in each of Renault and Nissan and each of them 1.55% in Daimler (2010-2016).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from alliance_graph import ownership as own
from alliance_graph.errors import UnknownEntityError, UsageError
from alliance_graph.graph import load
from alliance_graph.resources import data_files

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate as gen  # noqa: E402

RES = "https://w3id.org/alliance-graph/resource/"
R, N = RES + "Renault", RES + "NissanMotor"


@pytest.fixture(scope="module")
def h(graph):
    return own.holdings(graph)


def integrated_pair(h, at, definition="corrected", holder="Renault", held="Nissan"):
    return own.integrated(h, holder, held, at, definition=definition)["integrated_percent"]


# ---------------------------------------------------------------------------------------
# Snapshots and readings
# ---------------------------------------------------------------------------------------


def test_snapshot_nodes_and_edges_carry_what_the_api_promises(h):
    g = own.snapshot(h, "2015-06-30")
    assert g.nodes[R] == {"label": "Renault", "iri": R, "kind": "Company"}
    assert g.nodes[RES + "RNAIPL"]["kind"] == "JointVenture"
    e = g.edges[R, N]
    assert e["percent"] == pytest.approx(43.4)
    assert e["certain"] is True and e["via"] is None and e["candidates"] == []
    assert e["statements"] == [RES + "stake-renault-nissan-2015"]
    assert "https://w3id.org/alliance-graph/source/renault-board-2015-04-30" in e["sources"]
    # Nissan's Renault shares are held in Nissan Finance's name
    assert g.edges[N, R]["via"] == "Nissan Finance Co."
    # the trust and Nissan Finance hold for others: they are not holders themselves
    assert RES + "NissanFinance" not in g


def test_snapshot_accepts_dates_of_every_precision(h):
    assert own.snapshot(h, dt.date(2015, 6, 30)).graph["at"] == "2015-06-30"
    assert own.snapshot(h, "2015-06").graph["at"] == "2015-06"
    assert own.snapshot(h, "2015").graph["at"] == "2015"
    with pytest.raises(UsageError, match="2015-13"):
        own.snapshot(h, "2015-13")
    with pytest.raises(UsageError, match="interest"):
        own.snapshot(h, "2015", interest="dividends")
    with pytest.raises(UsageError, match="reading"):
        own.snapshot(h, "2015", reading="maybe")


def test_deprecated_claims_are_never_used(h):
    # The article's "43.4% from 2001" and "Nissan 15% of Renault from 2001" are deprecated.
    g = own.snapshot(h, "2001-06-01", reading="possible")
    assert g.edges[R, N]["percent"] == pytest.approx(36.8)
    assert not g.has_edge(N, R)
    statements = {s for _, _, d in g.edges(data=True) for s in d["statements"]}
    assert not any("claim-article" in s for s in statements)


def test_rdflib_and_fast_loader_read_the_same_stakes(h):
    fast = own.holdings_from_files(data_files())
    assert fast.stakes == h.stakes
    assert fast.labels == h.labels and fast.kinds == h.kinds


def test_a_graph_loaded_without_derivation_gives_the_same_stakes(h):
    # no ag:BestRank marks and no derived bounds: the same rules are applied here
    assert own.holdings(load(derive=False)).stakes == h.stakes


def test_fast_loader_names_file_and_line_of_a_syntax_error(tmp_path):
    from alliance_graph.errors import DataFileError

    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n')
    with pytest.raises(DataFileError, match=r"broken.ttl:3"):
        own.holdings_from_files([path])


def test_fast_loader_matches_rdflib_on_generated_data(tmp_path):
    path = tmp_path / "net.ttl"
    path.write_text(gen.generate(3000, seed=7))
    slow = own.holdings(load([path]))
    fast = own.holdings_from_files([path])
    assert fast.stakes == slow.stakes and len(fast.stakes) > 50
    # deprecated competing claims (99%) are left out by both
    assert not any(s.iri.rsplit("/", 1)[1].startswith("claim-") for s in fast.stakes)


# ---------------------------------------------------------------------------------------
# Direct stakes and the uncertain-date readings
# ---------------------------------------------------------------------------------------


def test_stake_before_and_after_the_2002_cross_holding(h):
    before = own.stake(h, "Renault", "Nissan", "2001-06-01")
    assert before["percent"] == pytest.approx(36.8) and before["certain"] is True
    assert own.stake(h, "Nissan", "Renault", "2001-06-01")["percent"] is None
    after = own.stake(h, "Nissan", "Renault", "2003-06-30")
    assert after["percent"] == pytest.approx(15.0)
    assert after["voting_percent"] is None  # no votes while Renault held over 40% of Nissan
    assert after["via"] == "Nissan Finance Co."


def test_as_of_reading_flags_an_unreported_change_day(h):
    # 13.5% from 2002-03-28; 15% reached on a day between 2002-04-04 and 2002-12-31.
    r = own.stake(h, "Nissan", "Renault", "2002-06-01")
    assert r["percent"] == pytest.approx(13.5)
    assert r["certain"] is False
    assert [c["percent"] for c in r["candidates"]] == [15.0]
    assert r["candidates"][0]["sources"]  # each candidate names its sources
    # the other readings of the same day
    assert own.stake(h, "Nissan", "Renault", "2002-06-01", reading="certain")["percent"] is None
    assert own.stake(h, "Nissan", "Renault", "2002-06-01", reading="possible")[
        "percent"
    ] == pytest.approx(15.0)


def test_stakes_after_the_rebalancing_and_each_trust_sale(h):
    cases = {
        # day: (direct + through the trust, votes, certain)
        "2023-11-20": (15.0 + 28.4, 15.0, True),
        "2024-01-15": (15.0 + 24.63, 15.0, False),  # 24.63% only reported 2024-03-27
        "2024-06-01": (15.0 + 22.73, 15.0, False),
        # The 2023 agreement caps the votes Renault may exercise in Nissan at 15%, so its
        # direct 17.05% carries 15% of the votes (inventory R15).
        "2025-04-15": (17.05 + 18.66, min(17.05, 15.0), True),
    }
    for day, (percent, votes, certain) in cases.items():
        r = own.stake(h, "renault", "nissan motor", day)
        assert r["percent"] == pytest.approx(percent), day
        assert r["voting_percent"] == pytest.approx(votes), day
        assert r["certain"] is certain, day
        assert "French trust" in r["via"]
    # On 2024-06-01 the 17.05% direct stake is possible but not yet reported.
    r = own.stake(h, "Renault", "Nissan", "2024-06-01")
    assert 17.05 in [c["percent"] for c in r["candidates"]]
    possible = own.stake(h, "Renault", "Nissan", "2024-06-01", reading="possible")
    assert possible["percent"] == pytest.approx(17.05 + 22.73)
    assert own.stake(h, "Renault", "Nissan", "2024-06-01", reading="certain")["percent"] is None


def test_voting_caps_and_voting_percent(h):
    # The French State's double votes were capped at 17.9% under the 2015 agreement.
    r = own.stake(h, "French State", "Renault", "2016-06-01")
    assert r["percent"] == pytest.approx(19.74) and r["voting_percent"] == pytest.approx(17.9)
    # Nissan's 22.13% of theoretical votes in Renault, exercisable up to 15%.
    r = own.stake(h, "Nissan", "Renault", "2023-11-08")
    assert r["voting_percent"] == pytest.approx(15.0)


# ---------------------------------------------------------------------------------------
# Paths and integrated ownership
# ---------------------------------------------------------------------------------------


def test_paths_through_daimler(h):
    r = own.paths(h, "Renault", "Nissan", "2015-06-30")
    assert [p["nodes"] for p in r["paths"]] == [
        ["Renault", "Nissan Motor"],
        ["Renault", "Daimler", "Nissan Motor"],
    ]
    assert r["paths"][1]["percent"] == pytest.approx(1.55 * 3.1 / 100)
    assert r["total_percent"] == pytest.approx(43.4 + 1.55 * 3.1 / 100)
    assert len(own.paths(h, "Renault", "Nissan", "2015-06-30", max_depth=1)["paths"]) == 1
    assert own.paths(h, "Nissan Diesel", "Renault", "2015")["paths"] == []
    # best-first: the most significant path alone, and no total while others exist
    top = own.paths(h, "Renault", "Nissan", "2015-06-30", limit=1)
    assert [p["nodes"] for p in top["paths"]] == [["Renault", "Nissan Motor"]]
    assert top["complete"] is False and top["total_percent"] is None
    both = own.paths(h, "Renault", "Nissan", "2015-06-30", limit=2)
    assert both["complete"] is True and both["total_percent"] == r["total_percent"]


def test_integrated_before_the_cross_holding_is_the_direct_stake(h):
    for definition in own.DEFINITIONS:
        assert integrated_pair(h, "2001-06-01", definition) == pytest.approx(36.8)


def test_integrated_after_2002_the_docs_example_shape(h):
    # 2003-06-30: Renault 44.4% of Nissan, Nissan 15% of Renault, nothing else in the loop.
    plain = 0.444 / (1 - 0.444 * 0.15)
    assert integrated_pair(h, "2003-06-30", "plain") == pytest.approx(100 * plain)
    assert integrated_pair(h, "2003-06-30") == pytest.approx(44.4)


def test_integrated_2017_is_the_docs_example_exactly(h):
    # Daimler's cross-holdings ended on 2016-06-29 (its pension trust holds no Alliance
    # company that holds it back), so the Renault-Nissan loop is alone again.
    assert integrated_pair(h, "2017-06-30", "plain") == pytest.approx(
        100 * 0.434 / (1 - 0.434 * 0.15)
    )
    assert round(integrated_pair(h, "2017-06-30", "plain"), 1) == 46.4
    assert integrated_pair(h, "2017-06-30") == pytest.approx(43.4)


def test_integrated_2015_with_daimler_closing_a_three_company_cycle(h):
    # Corrected: edges into Renault removed; from Renault, walks reach Nissan directly or
    # via Daimler, then may loop Nissan -> Daimler -> Nissan.
    loop = 0.0155 * 0.031  # Nissan -> Daimler -> Nissan
    corrected = (0.434 + 0.0155 * 0.031) / (1 - loop)
    assert integrated_pair(h, "2015-06-30") == pytest.approx(100 * corrected)
    # Plain: also every return to Renault. f = first-return weight from Renault through
    # {Nissan, Daimler}: out b = (.434, .0155), inside M = [[0, .0155], [.031, 0]],
    # back r = (.15, .031); (I - M)^-1 = [[1, .0155], [.031, 1]] / (1 - loop).
    f = (0.434 * (0.15 + 0.0155 * 0.031) + 0.0155 * (0.031 * 0.15 + 0.031)) / (1 - loop)
    assert integrated_pair(h, "2015-06-30", "plain") == pytest.approx(100 * corrected / (1 - f))
    # Nissan in Renault: Nissan's 15% without votes, plus via Daimler's 3.1%.
    loop_r = 0.0155 * 0.031  # Renault -> Daimler -> Renault
    n_in_r = (0.15 + 0.0155 * 0.031) / (1 - loop_r)
    assert integrated_pair(h, "2015-06-30", holder="Nissan", held="Renault") == pytest.approx(
        100 * n_in_r
    )


def test_integrated_after_the_rebalancing_and_a_trust_sale(h):
    # 2023-11-20: 43.4% economic (15% + 28.4% in trust) against Nissan's 15% of Renault.
    assert integrated_pair(h, "2023-11-20", "plain") == pytest.approx(
        100 * 0.434 / (1 - 0.434 * 0.15)
    )
    # Voting: Renault's votes are its 15% direct stake; Nissan's capped 15% in Renault.
    voting = own.integrated(
        h, "Renault", "Nissan", "2023-11-20", definition="plain", interest="voting"
    )
    assert voting["integrated_percent"] == pytest.approx(100 * 0.15 / (1 - 0.15 * 0.15))
    # 2024-06-01: 37.73% economic, not certain (the trust's 22.73% is reported later)
    r = own.integrated(h, "Renault", "Nissan", "2024-06-01", definition="plain")
    assert r["integrated_percent"] == pytest.approx(100 * 0.3773 / (1 - 0.3773 * 0.15))
    assert r["certain"] is False and r["direct_percent"] == pytest.approx(37.73)


def test_integrated_in_everything_a_holder_reaches(h):
    rows = own.integrated(h, "Renault", None, "2017-06-30")
    by_held = {r["held"]: r for r in rows}
    assert "Renault" not in by_held  # the corrected definition never counts the holder
    # Renault in the Chennai joint venture in 2017: 30% directly + 43.4% of Nissan's 70%
    # (the shares of 2010-2023, inventory R20; 49/51 only from 2023), every stake certain.
    assert by_held["Renault Nissan Automotive India Private Ltd"][
        "integrated_percent"
    ] == pytest.approx(30 + 43.4 * 0.70)
    assert by_held["Renault Nissan Automotive India Private Ltd"]["certain"] is True
    assert rows == sorted(rows, key=lambda r: -r["integrated_percent"])
    # plain: Renault owns part of itself through Nissan
    plain = {
        r["held"]: r for r in own.integrated(h, "Renault", None, "2017-06-30", definition="plain")
    }
    loop = 0.434 * 0.15
    assert plain["Renault"]["integrated_percent"] == pytest.approx(100 * loop / (1 - loop))


def test_integrated_all_agrees_with_each_pair(h):
    for definition in own.DEFINITIONS:
        rows = own.integrated_all(h, "2015-06-30", definition=definition)
        assert rows
        for r in rows:
            if r["holder"] == r["held"]:
                continue
            one = own.integrated(h, r["holder"], r["held"], "2015-06-30", definition=definition)
            assert r["integrated_percent"] == pytest.approx(one["integrated_percent"], abs=1e-9)
            assert r["certain"] == one["certain"]


def test_integrated_is_zero_without_a_path(h):
    r = own.integrated(h, "Nissan Diesel", "Renault", "2015-06-30")
    assert r["integrated_percent"] == 0.0 and r["direct_percent"] is None
    assert own.integrated(h, "Mitsubishi", "Renault", "2020")["integrated_percent"] == 0.0


# ---------------------------------------------------------------------------------------
# Control
# ---------------------------------------------------------------------------------------


def test_control_of_the_chennai_joint_venture(h):
    # 2020: Nissan's 70% of 2010-2023 (inventory R20), certain.
    r = own.control(h, "RNAIPL", "2020-01-01")
    assert [c["controller"] for c in r["controllers"]] == ["Nissan Motor"]
    assert r["controllers"][0]["votes_percent"] == pytest.approx(70.0)
    assert r["controllers"][0]["certain"] is True
    # 2024: its 51% since the 2023 change, whose day is not known: certain from 2024.
    r = own.control(h, "RNAIPL", "2024-06-01")
    assert [c["controller"] for c in r["controllers"]] == ["Nissan Motor"]
    assert r["controllers"][0]["votes_percent"] == pytest.approx(51.0)
    r = own.control(h, "RNAIPL", "2026-01-01")
    assert [c["controller"] for c in r["controllers"]] == ["Renault"]


def test_no_one_controls_nissan_or_renault(h):
    for day in ("2003-06-30", "2015-06-30", "2024-06-01"):
        for company in ("Nissan", "Renault"):
            r = own.control(h, company, day)
            assert r["controlled"] is False and r["holders"], (company, day)
    # Nissan's Renault shares had no votes before 2023: not a voting holder then
    holders = [x["holder"] for x in own.control(h, "Renault", "2015-06-30")["holders"]]
    assert "Nissan Motor" not in holders
    holders = [x["holder"] for x in own.control(h, "Renault", "2024-01-01")["holders"]]
    assert "Nissan Motor" in holders


CHAIN = """
@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:src a ag:Source ; rdfs:label "register" .
ex:P a ag:Company ; rdfs:label "Parent" ; skos:altLabel "Group" .
ex:S a ag:Company ; rdfs:label "Sub" ; skos:altLabel "Group" .
ex:T a ag:Company ; rdfs:label "Target" .
ex:Q a ag:Company ; rdfs:label "Quiet" .
ex:X a ag:Company ; rdfs:label "Half" .
ex:Y a ag:Company ; rdfs:label "Halved" .
"""


def _stake(name, holder, held, percent, interests="ag:EconomicInterest , ag:VotingInterest"):
    return (
        f"ex:{name} a ag:Shareholding ; ag:holder ex:{holder} ; ag:held ex:{held} ;"
        f" ag:percent {percent:.2f} ; ag:interest {interests} ;"
        ' ag:start "2000-01-01"^^xsd:date ; ag:endStatus ag:Ongoing ;'
        ' ag:citation [ a ag:Citation ; ag:source ex:src ; ag:locator "p. 1" ] .\n'
    )


@pytest.fixture
def chain_file(tmp_path):
    path = tmp_path / "chain.ttl"
    path.write_text(
        CHAIN
        + _stake("ps", "P", "S", 60)
        + _stake("st", "S", "T", 30)
        + _stake("pt", "P", "T", 25)
        + _stake("qt", "Q", "T", 40, "ag:EconomicInterest")
        + _stake("xy", "X", "Y", 50)
    )
    return path


def test_control_through_a_controlled_company_counts_its_votes_whole(chain_file):
    h = own.holdings_from_files([chain_file])
    r = own.control(h, "Target", "2020")
    (c,) = r["controllers"]
    assert c["controller"] == "Parent" and c["ultimate"] is True
    assert c["votes_percent"] == pytest.approx(55.0)  # 25 own + 30 of Sub, whole
    assert c["direct_votes_percent"] == pytest.approx(25.0) and c["through"] == ["Sub"]
    assert {(s["holder"], s["held"]) for s in c["chain"]} == {
        ("Parent", "Sub"),
        ("Parent", "Target"),
        ("Sub", "Target"),
    }
    # while its economic interest is only 25% + 60% x 30%
    assert own.integrated(h, "Parent", "Target", "2020")["integrated_percent"] == pytest.approx(
        43.0
    )
    # Quiet's 40% has no votes and does not count
    assert "Quiet" not in [x["holder"] for x in r["holders"]]


def test_control_threshold_at_exactly_half(chain_file):
    h = own.holdings_from_files([chain_file])
    assert own.control(h, "Halved", "2020")["controlled"] is False
    r = own.control(h, "Halved", "2020", threshold="50-or-more")
    assert [c["controller"] for c in r["controllers"]] == ["Half"]
    with pytest.raises(UsageError, match="threshold"):
        own.control(h, "Halved", "2020", threshold="51")


# ---------------------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------------------


def test_timeline_renault_in_nissan(h):
    rows = own.timeline(h, "Renault", "Nissan")
    starts = {r["from"]: r for r in rows}
    assert rows[0]["from"] == "1999-05-01" and rows[0]["direct_percent"] == pytest.approx(36.8)
    assert starts["2002-03-01"]["direct_percent"] == pytest.approx(44.4)
    # Daimler closes the three-company cycle on 2010-04-07 and leaves on 2016-06-29
    assert starts["2010-04-07"]["integrated_percent"] > starts["2010-04-07"]["direct_percent"]
    assert starts["2016-06-29"]["integrated_percent"] == pytest.approx(43.4)
    # the rebalancing: votes fall to the 15% held directly
    assert starts["2023-11-08"]["voting_percent"] == pytest.approx(15.0)
    assert starts["2023-11-08"]["direct_percent"] == pytest.approx(43.4)
    for a, b in zip(rows, rows[1:], strict=False):
        assert a["until"] == b["from"]
    assert rows[-1]["until"] is None


# ---------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------


def test_names_by_label_alt_label_and_iri(h):
    from alliance_graph.entities import resolve

    assert resolve(h, "MMC") == RES + "MitsubishiMotors"
    assert resolve(h, "nissan motor co., ltd.") == N
    assert resolve(h, "NISSAN") == N
    assert resolve(h, R) == R
    assert resolve(h, "res:Renault") == R
    with pytest.raises(UnknownEntityError, match="Nissan Motor"):
        resolve(h, "Nisan Motor")  # a typo lists the closest names


def test_ambiguous_names_list_every_candidate(chain_file):
    h = own.holdings_from_files([chain_file])
    with pytest.raises(UnknownEntityError) as err:
        own.stake(h, "group", "Target", "2020")
    assert "Parent" in str(err.value) and "Sub" in str(err.value)


# ---------------------------------------------------------------------------------------
# Errors for networks where integrated ownership is undefined
# ---------------------------------------------------------------------------------------


def test_a_cycle_holding_all_of_its_members_sinks_only_the_pairs_through_it(tmp_path):
    path = tmp_path / "closed.ttl"
    path.write_text(
        CHAIN
        + _stake("ps", "P", "S", 100)
        + _stake("sp", "S", "P", 100)
        + _stake("pt", "P", "T", 10)
        + _stake("xy", "X", "Y", 50)
        + _stake("yq", "Y", "Q", 40)
    )
    h = own.holdings_from_files([path])
    # the pair that depends on the cycle is a named error
    with pytest.raises(own.SingularOwnershipError, match="Parent, Sub"):
        own.integrated(h, "Parent", "Target", "2020")
    # the cycle is reported with its members ...
    (cycle,) = own.undefined_cycles(h, "2020")
    assert cycle["members"] == ["Parent", "Sub"] and cycle["reason"] == "singular"
    # ... and every pair outside it is answered: Half -> Halved 50%, -> Quiet 50% x 40%
    rows = {
        (r["holder"], r["held"]): r["integrated_percent"] for r in own.integrated_all(h, "2020")
    }
    assert rows == {
        ("Half", "Halved"): pytest.approx(50.0),
        ("Half", "Quiet"): pytest.approx(20.0),
        ("Halved", "Quiet"): pytest.approx(40.0),
    }
    nodes, m = own.integrated_matrix(h, "2020")
    x, y = nodes.index("http://example.org/X"), nodes.index("http://example.org/Y")
    assert m[x, y] == pytest.approx(0.5)
    assert m[nodes.index("http://example.org/P")].nnz == 0
    assert own.integrated(h, "Half", None, "2020")[0]["integrated_percent"] == pytest.approx(50)


def test_shares_over_100_percent_inside_a_cycle_name_the_company_and_the_sum(tmp_path):
    path = tmp_path / "over.ttl"
    path.write_text(
        CHAIN
        + _stake("ps", "P", "S", 70)
        + _stake("qs", "Q", "S", 40)
        + _stake("sp", "S", "P", 30)
        + _stake("sq", "S", "Q", 10)
        + _stake("ts", "T", "S", 50)
    )
    h = own.holdings_from_files([path])
    with pytest.raises(own.SingularOwnershipError) as err:
        own.integrated(h, "Parent", "Sub", "2020")
    message = str(err.value)
    assert "Sub add up to 160%" in message and "singular" not in message  # 70 + 40 + 50
    (cycle,) = own.undefined_cycles(h, "2020")
    assert cycle["company"] == "Sub" and cycle["total_percent"] == pytest.approx(160.0)
    assert cycle["reason"] == "over-subscribed"


def test_a_bad_percent_names_its_node(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text(CHAIN + _stake("ps", "P", "S", 60).replace("60.00", '"sixty"'))
    with pytest.raises(own.OwnershipError, match="example.org/ps.*sixty"):
        own.holdings_from_files([path])


# ---------------------------------------------------------------------------------------
# The generator (bench/generate.py)
# ---------------------------------------------------------------------------------------


def test_generator_is_deterministic_and_sized():
    text = gen.generate(4000, seed=3)
    assert text == gen.generate(4000, seed=3)
    assert text != gen.generate(4000, seed=4)
    from rdflib import Graph

    g = Graph().parse(data=text, format="turtle")
    assert 0.8 * 4000 <= len(g) <= 1.2 * 4000


def test_generated_stakes_never_sum_over_100_nor_overlap(tmp_path):
    path = tmp_path / "net.ttl"
    path.write_text(gen.generate(6000, seed=11))
    h = own.holdings_from_files([path])
    text = path.read_text()
    for feature in (
        "^^xsd:gYear ",
        "^^xsd:gYearMonth ",
        "ag:startEarliest",
        "ag:reportedOn",
        "ag:EndUnknown",
        "ag:competesWith",
        "ag:heldThrough",
        "ag:votingCap",
    ):
        assert feature in text, feature
    import networkx as nx

    union = nx.DiGraph((s.holder, s.held) for s in h.stakes)
    assert any(len(c) > 2 for c in nx.strongly_connected_components(union))  # cycles
    days = sorted(
        {d for s in h.stakes for d in (s.interval.start_latest, s.interval.end_earliest) if d}
    )
    for day in days[:: max(1, len(days) // 40)]:
        for interest in own.INTERESTS:
            g = own.snapshot(h, day, interest=interest, reading="possible")
            for node in g:
                total = sum(g.edges[u, node]["percent"] for u in g.predecessors(node))
                assert total <= 100.0 + 1e-9, (day, node, total)
    # positions: no two stakes of one holder, company and kind certain on the same day
    by_position = {}
    for s in h.stakes:
        by_position.setdefault((s.holder, s.held, s.through, s.economic, s.voting), []).append(s)
    for stakes in by_position.values():
        for a in stakes:
            for b in stakes:
                if a is not b and a.interval.start_latest and b.interval.start_latest:
                    a_end, b_end = a.interval.end_earliest, b.interval.end_earliest
                    assert not (
                        (a_end is None or b.interval.start_latest < a_end)
                        and (b_end is None or a.interval.start_latest < b_end)
                    ), (a.iri, b.iri)


def test_generator_broken_option_adds_each_violation():
    text = gen.generate(3000, seed=2, broken=2)
    for kind in ("end-before-start", "overlap"):
        for i in range(2):
            assert f"syn:broken-{kind}-{i} " in text
    for i in range(2):
        assert f"syn:broken-sum-{i}a " in text and f"syn:broken-sum-{i}b " in text


def test_generator_names_an_output_folder_it_cannot_write_to(tmp_path, capsys):
    target = tmp_path / "no-such-folder" / "net.ttl"
    assert gen.main(["--triples", "200", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert str(target) in err and "No such file or directory" in err
    assert not target.parent.exists()
