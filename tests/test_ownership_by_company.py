"""One company's integrated ownership read from the index kept beside an on-disk store
(ownership/by_company.py, issue 14 item 5): only the part of the network the company
reaches is read, and the answer is the whole network's. Checked against the whole
network's computation on the shipped data and on generated networks, against the
matrix formula computed here with numpy on a network with cross-holdings and cycles,
and against the published example of docs/ownership.md; the index steps aside where a
cycle could be undefined, and the command answers alike with and without --store."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from alliance_graph import ownership as own
from alliance_graph import persist
from alliance_graph.cli import main
from alliance_graph.load import open_store
from alliance_graph.ownership import by_company, light
from alliance_graph.resources import data_files

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate as gen  # noqa: E402
from ownership_graphs import CLOSED_CYCLE, PREFIXES, company, graph, stake  # noqa: E402

RES = "https://w3id.org/alliance-graph/resource/"
EX = "http://example.org/"
DATES = ["1999-06", "2002-03-29", "2010-06-30", "2015-06-30", "2019", "2023-11"]


def _whole(h, a, b, at, interest="economic", reading="as-of", definition="corrected"):
    """Today's computation on the whole network, as the command makes it (the day's
    snapshot of the whole network built once per test and day)."""
    options = {"definition": definition, "interest": interest, "reading": reading}
    if b is None:
        snaps = h.cache.setdefault("test snapshots", {})
        g = snaps.get((at, interest, reading))
        if g is None:
            g = snaps[(at, interest, reading)] = own.snapshot(
                h, at, interest=interest, reading=reading
            )
        return own.integrated(h, a, None, at, snapshot=g, **options)
    return own.integrated(h, a, b, at, **options)


def _part(store, a, b, at, interest="economic", reading="as-of", definition="corrected"):
    found = own.integrated_from_index(
        store, a, b, at, definition=definition, interest=interest, reading=reading
    )
    assert found is not None, (a, b, at)
    return found[0]


def _holders(h):
    return sorted({s.holder for s in h.stakes})


def test_shipped_data_every_holder_same_as_the_whole_network(tmp_path):
    store = open_store(data_files(), store_dir=tmp_path)
    h = own.holdings_from_store(store)
    combos = [
        (interest, reading, definition)
        for interest in ("economic", "voting")
        for reading in ("as-of", "certain", "possible")
        for definition in ("corrected", "plain")
        if interest == "economic" or reading == "as-of"
    ]
    rows = compared = 0
    for at in DATES:
        for interest, reading, definition in combos:
            for a in _holders(h):
                mine = _part(store, a, None, at, interest, reading, definition)
                assert mine == _whole(h, a, None, at, interest, reading, definition), (
                    a,
                    at,
                    interest,
                    reading,
                    definition,
                )
                compared += 1
                rows += len(mine)
    assert compared == len(_holders(h)) * len(DATES) * len(combos) and rows > 800
    # one pair, every holder in every company it holds on one day, both definitions
    for definition in ("corrected", "plain"):
        for a in _holders(h):
            for b in sorted({s.held for s in h.stakes}):
                mine = _part(store, a, b, "2015-06-30", definition=definition)
                assert mine == _whole(h, a, b, "2015-06-30", definition=definition)


def test_the_published_example_with_and_without_store(tmp_path, capsys):
    # docs/ownership.md: Renault in Nissan on 2017-06-30, 46.4221% plain, 43.4% corrected;
    # 2015-06-30 with Daimler closing a three-company cycle, 46.535% and 43.469%.
    # (0.434 / (1 - 0.434 * 0.15) = 46.4221%, the docs' formula.)
    assert 100 * 0.434 / (1 - 0.434 * 0.15) == pytest.approx(46.4221, abs=1e-4)
    cases = [
        ("2017-06-30", ["--plain"], 46.4221),
        ("2017-06-30", [], 43.4),
        ("2015-06-30", ["--plain"], 46.535),
        ("2015-06-30", [], 43.469),
    ]
    for at, extra, expected in cases:
        outputs = []
        for store in ([], ["--store", str(tmp_path)], ["--store", str(tmp_path)]):
            args = ["ownership", "integrated", RES + "Renault", "--at", at, "-f", "csv"]
            with pytest.raises(SystemExit) as exit_:
                main([*args, *extra, *store])
            assert exit_.value.code == 0
            outputs.append(capsys.readouterr())
        assert outputs[0] == outputs[1] == outputs[2]
        nissan = [line for line in outputs[0].out.splitlines() if ",Nissan Motor," in line]
        assert len(nissan) == 1
        assert float(nissan[0].split(",")[4]) == pytest.approx(expected, abs=5e-4)
    (folder,) = persist.builds(tmp_path)
    assert (folder / by_company.FILE).is_file()


NET = [
    ("ab", "A", "B", 60),
    ("bc", "B", "C", 50),
    ("cb", "C", "B", 20),  # B <-> C
    ("cd", "C", "D", 30),
    ("da", "D", "A", 10),  # A -> B -> C -> D -> A
    ("ae", "A", "E", 25),
    ("ef", "E", "F", 100),
    ("ag", "A", "G", 40),
    ("gg", "G", "G", 10),  # treasury shares
    ("hb", "H", "B", 15),  # H holds into the part, is not reached from A
]


def _expected(holder: str, definition: str) -> dict[str, float]:
    """Row ``holder`` of (I - A)^-1 A (plain), or of the same with the stakes into the
    holder removed (corrected), with numpy, in percent."""
    import numpy as np

    names = sorted({x for _, u, v, _ in NET for x in (u, v)})
    k = {n: i for i, n in enumerate(names)}
    a = np.zeros((len(names), len(names)))
    for _, u, v, p in NET:
        a[k[u], k[v]] = p / 100.0
    if definition == "corrected":
        a[:, k[holder]] = 0.0
    full = np.linalg.inv(np.eye(len(names)) - a) @ a
    return {n: 100 * full[k[holder], k[n]] for n in names if full[k[holder], k[n]] > 0}


def test_cross_holdings_and_cycles_against_the_matrix_formula(tmp_path, capsys):
    path = tmp_path / "net.ttl"
    path.write_text(graph(list("ABCDEFGH"), *(stake(name, u, v, p) for name, u, v, p in NET)))
    store = open_store([path], store_dir=tmp_path / "store")
    h = own.holdings_from_store(store)
    for holder in ("A", "B", "C", "H"):
        for definition in ("corrected", "plain"):
            mine = _part(store, EX + holder, None, "2020", definition=definition)
            assert mine == _whole(h, EX + holder, None, "2020", definition=definition)
            got = {r["held"]: r["integrated_percent"] for r in mine}
            expected = _expected(holder, definition)
            assert got == pytest.approx(expected, abs=1e-9), (holder, definition)
    # what the corrected figures count: walks from A through the B-C loop to D, and G's
    # treasury shares only under the plain definition (40% / (1 - 10%) of G for A)
    assert _expected("A", "plain")["G"] > 40 and _expected("A", "corrected")["G"] > 40
    assert "A" not in _expected("A", "corrected") and "A" in _expected("A", "plain")
    for definition in ("corrected", "plain"):
        for b in "BCDEFG":
            mine = _part(store, EX + "A", EX + b, "2020", definition=definition)
            assert mine["integrated_percent"] == pytest.approx(
                _expected("A", definition)[b], abs=1e-9
            )
    # the command, with and without --store (validated: the graph follows the shapes)
    outputs = []
    for extra in ([], ["--store", str(tmp_path / "store")]):
        args = ["ownership", "integrated", EX + "A", "--at", "2020", "-f", "json"]
        with pytest.raises(SystemExit) as exit_:
            main([*args, "--data", str(path), *extra])
        assert exit_.value.code == 0
        outputs.append(capsys.readouterr())
    assert outputs[0] == outputs[1] and '"F"' in outputs[0].out


def test_only_the_reached_part_is_read(tmp_path):
    path = tmp_path / "net.ttl"
    path.write_text(graph(list("ABCDEFGH"), *(stake(name, u, v, p) for name, u, v, p in NET)))
    store = open_store([path], store_dir=tmp_path / "store")
    index = by_company.for_store(store)
    part = index.reachable(EX + "E", own.as_span("2020"), "economic")
    assert {s.iri for s in part.stakes} == {EX + "ef"}
    part = index.reachable(EX + "C", own.as_span("2020"), "economic")
    assert {s.holder for s in part.stakes} == {EX + x for x in "ABCDEG"}  # not H
    assert by_company.for_store(open_store()) is None  # a store in memory keeps nothing


def test_the_stakes_read_back_are_the_stakes_of_the_holdings(tmp_path):
    # every field of every stake of the reached holders, as holdings_from_store reads it
    store = open_store(data_files(), store_dir=tmp_path)
    h = own.holdings_from_store(store)
    index = by_company.for_store(store)
    for a in _holders(h):
        span = own.as_span("2015-06-30")
        part = index.reachable(a, span, "economic")
        holders = {s.holder for s in part.stakes}
        # the stakes of the reached holders that can count on the day
        assert part.stakes == [
            s
            for s in h.stakes
            if s.holder in holders and s.economic and s.interval.possible_during(span)
        ]
        assert all(part.label(n) == h.label(n) for n in part.entities)
    assert len(index.set_aside()) == len(h.set_aside) > 0
    assert [(x.iri, x.reason, x.winner) for x in index.set_aside()] == [
        (x.iri, x.reason, x.winner) for x in h.set_aside
    ]


def test_generated_networks_same_as_the_whole_network(tmp_path):
    # bench/generate.py: business groups with cross-holdings, cycles joined into a core,
    # competing claims and every date precision. The larger one has holders reaching more
    # than light.MAX_NODES companies: the sparse path on the part.
    for size, seed, count in ((4000, 7, 60), (40000, 3, 25)):
        path = tmp_path / f"net-{size}.ttl"
        path.write_text(gen.generate(size, seed=seed))
        store = open_store([path], store_dir=tmp_path / f"store-{size}")
        h = own.holdings_from_store(store)
        index = by_company.for_store(store)
        assert index.cycles_safe("economic") and index.cycles_safe("voting")
        rng = random.Random(seed)
        # the holders that reach the most companies on some day, and others at random
        out: dict[str, set[str]] = {}
        for x in h.stakes:
            out.setdefault(x.holder, set()).add(x.held)
        wide = sorted(_holders(h), key=lambda a: -len(light.reach(out, a)))[:3]
        holders = wide + rng.sample(_holders(h), min(count, len(_holders(h))))
        widest = 0
        for at in ("2012-07-01", "2020-02"):
            for reading in ("as-of", "certain"):
                for definition in ("corrected", "plain"):
                    for a in holders:
                        mine = _part(store, a, None, at, "economic", reading, definition)
                        whole = _whole(h, a, None, at, "economic", reading, definition)
                        assert mine == whole, (size, a, at, reading, definition)
                        widest = max(widest, len(mine))
        if size > 10000:
            assert widest > light.MAX_NODES
        for a in holders[:10]:
            for b in rng.sample(sorted({s.held for s in h.stakes}), 10):
                assert _part(store, a, b, "2016") == _whole(h, a, b, "2016")


def test_a_cycle_that_could_be_undefined_takes_the_whole_network(tmp_path, capsys):
    path = tmp_path / "closed.ttl"
    path.write_text(
        PREFIXES
        + CLOSED_CYCLE
        + company("X", "Half")
        + company("Y", "Halved")
        + stake("xy", "X", "Y", 50)
    )
    store = open_store([path], store_dir=tmp_path / "store")
    index = by_company.for_store(store)
    assert not index.cycles_safe("economic")
    assert own.integrated_from_index(store, EX + "X", None, "2020") is None
    outputs = []
    for extra in ([], ["--store", str(tmp_path / "store")]):
        args = ["ownership", "integrated", EX + "X", "--at", "2020", "--no-validate"]
        with pytest.raises(SystemExit) as exit_:
            main([*args, "--data", str(path), "-f", "csv", *extra])
        assert exit_.value.code == 0
        outputs.append(capsys.readouterr())
    assert outputs[0] == outputs[1]
    assert "Parent, Sub" in outputs[0].err and "Half,Halved" in outputs[0].out


@pytest.mark.parametrize(
    "stakes, safe",
    [
        ([("ab", "A", "B", 50), ("ba", "B", "A", 50)], True),
        ([("ab", "A", "B", 100), ("ba", "B", "A", 100)], False),  # singular
        ([("ab", "A", "B", 100), ("ba", "B", "A", 40)], True),  # one column below 100%
        ([("ab", "A", "B", 100), ("bb", "B", "B", 100)], False),  # B holds all of itself
        ([("ab", "A", "B", 70), ("cb", "C", "B", 50), ("ba", "B", "A", 10)], True),
        (
            [
                ("ab", "A", "B", 70),
                ("cb", "C", "B", 50),
                ("ba", "B", "A", 10),
                ("bc", "B", "C", 10),
            ],
            False,
        ),  # 120% of B inside the cycle A, B, C
        ([("ab", "A", "B", 100)], True),  # no cycle
    ],
)
def test_cycles_safe_bounds_every_day(tmp_path, stakes, safe):
    path = tmp_path / "net.ttl"
    path.write_text(
        PREFIXES
        + "".join(company(c) for c in "ABC")
        + "".join(stake(name, u, v, p) for name, u, v, p in stakes)
    )
    h = own.holdings_from_files([path])
    assert by_company.cycles_safe(h.stakes, "economic") is safe
    if safe:  # and the day's check agrees: nothing undefined
        assert own.undefined_cycles(h, "2020") == []
    else:
        assert own.undefined_cycles(h, "2020") != []


def test_two_figures_of_one_position_on_different_days_are_both_bounded(tmp_path):
    # A holds 80% of B until 2010, then 20%; C holds 30% of B from 2010; B holds parts of
    # A and C. No day has more than 80% of B inside the cycle, but the bound takes each
    # position's largest figure (80 + 30 = 110%): the index steps aside (the whole network
    # is then computed), conservative, never wrong.
    path = tmp_path / "net.ttl"
    from_2010 = '"2010-01-01"^^xsd:date'
    path.write_text(
        PREFIXES
        + "".join(company(c) for c in "ABC")
        + stake("ab1", "A", "B", 80, end=from_2010)
        + stake("ab2", "A", "B", 20, start=from_2010)
        + stake("cb", "C", "B", 30, start=from_2010)
        + stake("ba", "B", "A", 30)
        + stake("bc", "B", "C", 5)
    )
    h = own.holdings_from_files([path])
    assert own.undefined_cycles(h, "2005") == own.undefined_cycles(h, "2020") == []
    assert by_company.cycles_safe(h.stakes, "economic") is False


def test_a_label_or_an_unknown_name_takes_the_whole_network(tmp_path, capsys):
    store = open_store(data_files(), store_dir=tmp_path)
    assert own.integrated_from_index(store, "Renault", None, "2017") is None
    assert own.integrated_from_index(store, RES + "NoSuchCompany", None, "2017") is None
    for name in ("Renault", RES + "NoSuchCompany"):
        codes, outputs = [], []
        for extra in ([], ["--store", str(tmp_path)]):
            with pytest.raises(SystemExit) as exit_:
                main(["ownership", "integrated", name, "--at", "2017", "-f", "csv", *extra])
            codes.append(exit_.value.code)
            outputs.append(capsys.readouterr())
        assert codes[0] == codes[1] and outputs[0] == outputs[1]
    assert codes == [2, 2] and "NoSuchCompany" in outputs[0].err


def test_a_damaged_index_is_rebuilt(tmp_path):
    store = open_store(data_files(), store_dir=tmp_path)
    h = own.holdings_from_store(store)
    before = _part(store, RES + "Renault", None, "2017-06-30")
    (folder,) = persist.builds(tmp_path)
    path = folder / by_company.FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    store = open_store(data_files(), store_dir=tmp_path)
    assert _part(store, RES + "Renault", None, "2017-06-30") == before
    assert before == _whole(h, RES + "Renault", None, "2017-06-30")
    assert bytes(data) != path.read_bytes()  # written again


def test_the_python_api_reads_the_index_of_a_kept_store_as_the_command_does(tmp_path, monkeypatch):
    # ownership.integrated(store) on a store opened from a folder answers from the index
    # kept beside it (the whole network's holdings are never read), with the answer the
    # whole network gives; an in-memory store still takes the whole network.
    kept = open_store(data_files(), store_dir=tmp_path)
    memory = open_store(data_files())
    whole = own.holdings_from_store(memory)
    renault = RES + "Renault"
    expected = _whole(whole, renault, None, "2015-06-30")
    assert expected, "Renault holds nothing on the day: the test would prove nothing"
    by_company.for_store(kept)  # the index built once, before reading the whole is refused

    def refuse(source):  # the part the index reads is Holdings already
        if isinstance(source, own.Holdings):
            return source
        raise AssertionError("the whole network's holdings were read")

    # the module (the package's attribute of that name is the function)
    monkeypatch.setattr(sys.modules["alliance_graph.ownership.integrated"], "as_holdings", refuse)
    assert own.integrated(kept, renault, None, "2015-06-30") == expected
    pair = own.integrated(kept, renault, RES + "NissanMotor", "2015-06-30")
    assert pair == _whole(whole, renault, RES + "NissanMotor", "2015-06-30")
    with pytest.raises(AssertionError, match="whole network"):
        own.integrated(memory, renault, None, "2015-06-30")
