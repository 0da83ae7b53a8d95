"""Properties of integrated ownership on random networks with cycles (hypothesis).

The reference is the definition itself: the sum over walks of the products of their
stakes, truncated where the remainder is far below the tolerance, computed densely on
networks small enough for that.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_graph import ownership as own
from alliance_graph.temporal import Interval

DAY = dt.date(2020, 1, 1)
EX = "http://example.org/c"


def _holdings(n: int, edges: dict[tuple[int, int], float]) -> own.Holdings:
    stakes = [
        own.Stake(
            iri=f"http://example.org/s{i}-{j}",
            holder=EX + str(i),
            held=EX + str(j),
            through=None,
            percent=100.0 * w,
            voting_percent=None,
            voting_cap=None,
            economic=True,
            voting=True,
            interval=Interval(DAY, DAY, None, None),
            evidence=(DAY,),
            sources=("http://example.org/src",),
        )
        for (i, j), w in sorted(edges.items())
    ]
    entities = {EX + str(i) for i in range(n)}
    return own.Holdings(stakes, {e: e.rsplit("/", 1)[1] for e in entities}, {}, {}, entities)


@st.composite
def networks(draw, max_nodes=7):
    """Random ownership networks, cycles allowed, every company at most 95% held."""
    n = draw(st.integers(2, max_nodes))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=len(pairs), unique=True))
    weights = {p: draw(st.floats(1e-4, 1.0)) for p in chosen}
    # scale each company's holders so that they hold at most 95% of it
    for j in range(n):
        into = [p for p in weights if p[1] == j]
        total = sum(weights[p] for p in into)
        cap = draw(st.floats(0.05, 0.95))
        if total > cap:
            for p in into:
                weights[p] *= cap / total
    return n, weights


def _walk_sums(n, weights, drop_into=None):
    """Sum over walks of length 1..K of A^k, with A's column drop_into zeroed."""
    a = np.zeros((n, n))
    for (i, j), w in weights.items():
        a[i, j] = w
    if drop_into is not None:
        a[:, drop_into] = 0.0
    total, power = np.zeros((n, n)), np.eye(n)
    for _ in range(800):  # column sums <= 0.95: the remainder is below 0.95**800
        power = power @ a
        total += power
    return total


def _pct(value: float) -> float:
    return round(100.0 * value, 10)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_integrated_equals_the_sum_over_walks(net):
    n, weights = net
    h = _holdings(n, weights)
    plain = _walk_sums(n, weights)
    for i in range(n):
        corrected = _walk_sums(n, weights, drop_into=i)
        rows = {
            d: {
                r["held"]: r["integrated_percent"]
                for r in own.integrated(h, EX + str(i), None, DAY, definition=d)
            }
            for d in own.DEFINITIONS
        }
        for j in range(n):
            name = f"c{j}"
            if j != i:
                assert rows["corrected"].get(name, 0.0) == pytest.approx(
                    100 * corrected[i, j], rel=1e-9, abs=1e-9
                )
            assert rows["plain"].get(name, 0.0) == pytest.approx(
                100 * plain[i, j], rel=1e-9, abs=1e-9
            )


@settings(max_examples=60, deadline=None)
@given(networks())
def test_zero_exactly_where_no_path_and_direct_at_most_integrated(net):
    n, weights = net
    h = _holdings(n, weights)
    g = nx.DiGraph(list(weights))
    g.add_nodes_from(range(n))
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            for d in own.DEFINITIONS:
                r = own.integrated(h, EX + str(i), EX + str(j), DAY, definition=d)
                if nx.has_path(g, i, j):
                    assert r["integrated_percent"] > 0.0
                else:
                    assert r["integrated_percent"] == 0.0  # exactly
                direct = 100 * weights.get((i, j), 0.0)
                assert r["integrated_percent"] >= direct - 1e-9


@settings(max_examples=40, deadline=None)
@given(networks())
def test_all_pairs_agree_with_one_holder_at_a_time(net):
    n, weights = net
    h = _holdings(n, weights)
    for d in own.DEFINITIONS:
        nodes, m = own.integrated_matrix(h, DAY, definition=d, block=2)
        index = {x: k for k, x in enumerate(nodes)}
        for i in range(n):
            holder = EX + str(i)
            expected = {
                r["held"]: r["integrated_percent"]
                for r in own.integrated(h, holder, None, DAY, definition=d)
            }
            if holder not in index:
                assert not expected
                continue
            row = m.getrow(index[holder])
            got = {
                nodes[k].rsplit("/", 1)[1]: _pct(v)
                for k, v in zip(row.indices, row.data, strict=True)
            }
            assert got.keys() == expected.keys()
            for k, v in expected.items():
                assert got[k] == pytest.approx(v, rel=1e-9, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6), st.data())
def test_a_cycle_holding_all_of_each_member_is_reported_and_left_out(size, data):
    # A ring whose members hold all of each other (each column sums to 100%), plus an
    # outside holder of one member's subsidiary: I - A is singular.
    ring = list(range(size))
    weights = {}
    for j in ring:
        others = st.sampled_from([k for k in ring if k != j])
        holders = data.draw(st.lists(others, min_size=0, unique=True))
        if (j - 1) % size not in holders:  # the ring itself keeps it strongly connected
            holders.append((j - 1) % size)
        shares = data.draw(
            st.lists(st.integers(1, 9), min_size=len(holders), max_size=len(holders))
        )
        for k, s in zip(holders, shares, strict=True):
            weights[(k, j)] = s / sum(shares)
    weights[(0, size)] = 0.3  # a subsidiary outside the ring
    h = _holdings(size + 1, weights)
    assert nx.is_strongly_connected(nx.DiGraph([p for p in weights if p[1] < size]))
    with pytest.raises(own.SingularOwnershipError):
        own.integrated(h, EX + "0", EX + str(size), DAY)
    # the matrix of every pair leaves out what the ring makes undefined, and says why
    nodes, m = own.integrated_matrix(h, DAY)
    assert m.nnz == 0
    (cycle,) = own.undefined_cycles(h, DAY)
    assert sorted(cycle["members"]) == sorted(f"c{k}" for k in ring)
