"""The one-pair path of integrated ownership in plain Python (ownership/light.py, issue 14
item 3) gives the answers of the sparse path: on the shipped data for every holder and
every company it may reach, on a grid of dates, readings, interests and definitions; on a
generated network with competing claims, cycles and every date precision; and it steps
aside (None) where it could not be sure."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from alliance_graph import ownership as own
from alliance_graph.ownership import light
from alliance_graph.resources import data_files

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate as gen  # noqa: E402

DATES = ["1999-06", "2002-03-29", "2010-06-30", "2016-10-20", "2019", "2023-11", "2026-01-15"]


def _sparse(h, a, b, at, interest, reading, definition, g=None):
    # Passing a snapshot takes the sparse path (numpy, scipy, networkx) as before.
    if g is None:
        g = own.snapshot(h, at, interest=interest, reading=reading)
    return own.integrated(
        h, a, b, at, definition=definition, interest=interest, reading=reading, snapshot=g
    )


def _pairs(h):
    holders = sorted({s.holder for s in h.stakes})
    nodes = sorted({s.holder for s in h.stakes} | {s.held for s in h.stakes})
    return [(a, b) for a in holders for b in nodes]


def _compare(h, pairs, dates, combos):
    compared = nonzero = 0
    for at in dates:
        for interest, reading, definition in combos:
            g = own.snapshot(h, at, interest=interest, reading=reading)  # one per case
            for a, b in pairs:
                mine = light.pair(h, a, b, at, interest, reading, definition)
                assert mine is not None, (a, b, at)
                assert mine == _sparse(h, a, b, at, interest, reading, definition, g), (
                    a,
                    b,
                    at,
                    interest,
                    reading,
                    definition,
                )
                compared += 1
                nonzero += mine["integrated_percent"] > 0
    return compared, nonzero


def test_shipped_data_every_pair_same_answer():
    h = own.holdings_from_files(data_files())
    pairs = _pairs(h)
    combos = [
        (interest, reading, definition)
        for interest in ("economic", "voting")
        for reading in ("as-of", "certain", "possible")
        for definition in ("corrected", "plain")
        if interest == "economic" or reading == "as-of"
    ]
    compared, nonzero = _compare(h, pairs, DATES, combos)
    # every combination was compared, and many of the answers are real stakes, not zeros
    assert compared == len(pairs) * len(DATES) * len(combos) > 5000 and nonzero > 300


def test_the_integrated_command_path_matches_on_the_shipped_cross_holding():
    # Renault -> Nissan -> Renault is a cycle: the answer counts walks through it.
    h = own.holdings_from_files(data_files())
    at = "2010-06-30"
    fast = own.integrated(h, "Renault", "Nissan Motor", at)
    assert fast == _sparse(h, "Renault", "Nissan Motor", at, "economic", "as-of", "corrected")
    assert fast["integrated_percent"] > fast["direct_percent"]  # more than the direct 44.3


def test_generated_network_same_answers(tmp_path):
    path = tmp_path / "net.ttl"
    path.write_text(gen.generate(4000, seed=7))
    h = own.holdings_from_files([path])
    rng = random.Random(7)
    pairs = rng.sample(_pairs(h), 150)
    combos = [
        ("economic", r, d) for r in ("as-of", "certain", "possible") for d in ("corrected", "plain")
    ]
    compared, nonzero = _compare(h, pairs, ["2012-07-01", "2020-02"], combos)
    assert compared == 150 * 2 * 6 and nonzero > 20


def test_steps_aside_for_a_bad_cycle_and_for_large_holdings(tmp_path, monkeypatch):
    from ownership_graphs import CLOSED_CYCLE, PREFIXES

    path = tmp_path / "closed.ttl"
    path.write_text(PREFIXES + CLOSED_CYCLE)
    h = own.holdings_from_files([path])
    p, t = "http://example.org/P", "http://example.org/T"
    assert light.pair(h, p, t, "2020", "economic", "as-of", "corrected") is None
    with pytest.raises(own.SingularOwnershipError, match="Parent, Sub"):
        own.integrated(h, "Parent", "Target", "2020")  # the sparse path names the cycle
    shipped = own.holdings_from_files(data_files())
    a, b = (
        "https://w3id.org/alliance-graph/resource/Renault",
        ("https://w3id.org/alliance-graph/resource/NissanMotor"),
    )
    assert light.pair(shipped, a, b, "2010", "economic", "as-of", "plain") is not None
    monkeypatch.setattr(light, "MAX_STAKES", len(shipped.stakes) - 1)
    assert light.pair(shipped, a, b, "2010", "economic", "as-of", "plain") is None
