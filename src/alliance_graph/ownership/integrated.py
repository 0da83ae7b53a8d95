"""Integrated ownership (Vitali, Glattfelder & Battiston 2011, and its SI section 3).

One holder: a sparse LU solve on the part of the network it reaches. Every holder: one
factorisation of the whole network, one solve per holder, records streamed holder by
holder (bounded memory). Cycles through which the walk sums diverge are reported, and
every pair that does not depend on them is still answered. See docs/ownership.md.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator

from ..errors import UsageError
from ..temporal import DateSpan
from . import matrix as mxm
from . import records
from .holdings import Holdings, SetAside, as_holdings
from .snapshot import cached_snapshot, pct

DEFINITIONS = ("corrected", "plain")


def check_definition(definition: str) -> None:
    if definition not in DEFINITIONS:
        raise UsageError(f"definition {definition!r}: choose one of {', '.join(DEFINITIONS)}")


def _kept(graph) -> bool:
    """Whether ``graph`` is a store opened from a folder. Only :mod:`alliance_graph.persist`
    opens those, so where it is not loaded there is none (and nothing is imported)."""
    persist = sys.modules.get("alliance_graph.persist")
    return persist is not None and persist.folder_of(graph) is not None


def _snapshot(h: Holdings, at, interest: str, reading: str, snapshot):
    """The caller's snapshot when given (built once, reused), else the shared one."""
    if snapshot is not None:
        return snapshot
    return cached_snapshot(h, at, interest, reading)


class _Network:
    """A snapshot's matrix with its bad cycles set apart (computed once per snapshot)."""

    def __init__(self, mx: mxm.Matrix, label):
        import numpy as np
        from scipy import sparse

        self.mx = mx
        self.bad = mxm.bad_cycles(mx.a, mx.nodes, label)
        n = len(mx.nodes)
        self.bad_nodes = np.array(sorted(i for c in self.bad for i in c.members), dtype=np.int64)
        # what each bad cycle reaches: the pairs undefined for a holder reaching it
        self.down = [mxm.downstream(mx, c.members[:1]) for c in self.bad]
        keep = np.ones(n)
        keep[self.bad_nodes] = 0.0
        d = sparse.diags(keep)
        self.a_ok = (d @ mx.a @ d).tocsr()
        self.a_ok.eliminate_zeros()

    def undefined(self, reached):
        """Sorted nodes whose integrated ownership is undefined for a holder that reaches
        ``reached`` (sorted): everything downstream of a bad cycle it reaches."""
        import numpy as np

        parts = [
            down
            for c, down in zip(self.bad, self.down, strict=True)
            if np.isin(np.array(c.members), reached).any()
        ]
        return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)

    def cycle_of(self, reached, j: int) -> mxm.BadCycle:
        import numpy as np

        for c, down in zip(self.bad, self.down, strict=True):
            if np.isin(np.array(c.members), reached).any() and mxm.member(down, j):
                return c
        raise AssertionError("no bad cycle leads there")  # pragma: no cover


def _network(g, label) -> _Network:
    net = g.graph.get("_network")
    if net is None:
        net = g.graph["_network"] = _Network(mxm.cached(g), label)
    return net


def undefined_cycles(
    graph,
    at: dt.date | str | DateSpan | None = None,
    *,
    interest: str = "economic",
    reading: str = "as-of",
    snapshot=None,
) -> list[dict]:
    """The cycles through which integrated ownership is undefined on ``at``:
    ``[{"members", "reason", "company", "total_percent", "message"}]`` (``reason``
    "singular": the members hold all of each other; "over-subscribed": the stakes in
    ``company`` add up to ``total_percent``, more than 100%)."""
    h = as_holdings(graph)
    g = _snapshot(h, at, interest, reading, snapshot)
    return [c.to_dict() for c in _network(g, h.label).bad]


def integrated(
    graph,
    holder: str,
    held: str | None = None,
    at: dt.date | str | DateSpan | None = None,
    *,
    definition: str = "corrected",
    interest: str = "economic",
    reading: str = "as-of",
    snapshot=None,
) -> dict | list[dict]:
    """Integrated ownership of ``holder`` in ``held``, or in everything it reaches.

    Through every chain, cross-holding and cycle, computed by one sparse LU solve on the
    part of the network the holder reaches (never a dense matrix, never path by path).
    ``definition="corrected"`` (default) removes the edges into the holder, so that a
    holder does not count as owning itself through a cycle; ``"plain"`` is the Leontief
    sum over all walks, row ``holder`` of (I - A)^-1 A. Records are
    ``{"holder", "held", "at", "direct_percent", "integrated_percent", "certain",
    "definition", "approximate"}`` (approximate: some walk crosses a stake whose figure
    the sources give as "about"); with ``held=None`` a list, one per company reached, largest first,
    leaving out the companies a bad cycle makes undefined (see :func:`undefined_cycles`);
    for one pair that depends on such a cycle, :class:`SingularOwnershipError`.
    ``snapshot`` is a snapshot of ``graph`` the caller already built
    (:func:`alliance_graph.ownership.snapshot`), reused instead of building another.
    ``graph`` may be a store opened from a folder (``open_store(..., store_dir=...)``):
    then only the part of the network the holder reaches is read, from the index kept
    beside it (:mod:`.by_company`), as ``ownership integrated --store`` does.
    """
    from ..entities import resolve

    check_definition(definition)
    if snapshot is None and _kept(graph):
        found = integrated_from_index(
            graph, holder, held, at, definition=definition, interest=interest, reading=reading
        )
        if found is not None:
            return found[0]
    h = as_holdings(graph)
    a_iri = resolve(h, holder)
    b_iri = resolve(h, held) if held is not None else None
    if b_iri is not None and snapshot is None:
        # One pair on a small network: plain Python, the same answer without importing
        # numpy, scipy and networkx (most of a cold command's time); None where unsure.
        from .light import pair

        found = pair(h, a_iri, b_iri, at, interest, reading, definition)
        if found is not None:
            return found
    g = _snapshot(h, at, interest, reading, snapshot)

    def direct(target: str) -> float | None:
        return g.edges[a_iri, target]["percent"] if g.has_edge(a_iri, target) else None

    net = _network(g, h.label)
    return _answer(h, a_iri, b_iri, net, direct, g.graph["at"], definition)


def _answer(
    h: Holdings, a_iri: str, b_iri: str | None, net: _Network, direct, at_text: str, definition
) -> dict | list[dict]:
    """What :func:`integrated` answers, from the day's network (``direct(target)``: the
    holder's direct percent in ``target``, or None)."""
    import numpy as np

    def record(target: str, value: float, certain: bool, about: bool = False) -> dict:
        return records.integrated(
            h, a_iri, target, at_text, direct(target), pct(value), certain, definition, about
        )

    mx = net.mx
    if a_iri not in mx.index:
        return record(b_iri, 0.0, True) if b_iri is not None else []
    i = mx.index[a_iri]
    corrected = definition == "corrected"
    reached = np.sort(mxm.reach(mx.struct, i))
    undefined = net.undefined(reached)
    if b_iri is not None:
        j = mx.index.get(b_iri)
        if j is None or (j == i and corrected) or not mxm.member(reached, j):
            return record(b_iri, 0.0, True)
        if mxm.member(undefined, j):
            raise net.cycle_of(reached, j).error()
        # Only the companies on some walk from the holder to the held company matter.
        members = np.intersect1d(reached, mxm.reach(mx.struct_t, j))
    else:
        if mxm.member(undefined, i):
            return []
        members = reached
    members = np.setdiff1d(members, undefined)
    rest = members[members != i]
    keep = np.concatenate(([i], rest)).astype(np.int64)
    row = mxm.solve_row(mxm.sub(mx.a, keep), corrected)
    tainted = mxm.tainted_local(mxm.sub(mx.struct, keep), mxm.sub(mx.uncertain, keep), corrected)
    # "about" figures count only on the walks the figure sums, not through omitted stakes;
    # most networks have none, and then there is nothing to search
    if mx.approx.nnz:
        about = mxm.tainted_local(mxm.sub(mx.counted, keep), mxm.sub(mx.approx, keep), corrected)
    else:
        about = np.zeros(len(keep), dtype=bool)
    if b_iri is not None:
        local = 0 if j == i else 1 + int(np.searchsorted(rest, j))
        return record(b_iri, float(row[local]), not tainted[local], bool(about[local]))
    on_cycle = _self_reach(mx.a_csc, i, reached)
    out = [
        record(mx.nodes[node], float(row[local]), not tainted[local], bool(about[local]))
        for local, node in enumerate(keep.tolist())
        if node != i or (not corrected and on_cycle)
    ]
    out.sort(key=lambda r: (-r["integrated_percent"], r["held"]))
    return out


def _self_reach(a_csc, i: int, reached) -> bool:
    """Whether i lies on a cycle: one of its holders is reached from it."""
    import numpy as np

    holders_of_i = a_csc.indices[a_csc.indptr[i] : a_csc.indptr[i + 1]]
    return bool(np.isin(holders_of_i, reached).any())


def _taint(net: _Network, i: int, corrected: bool, marked: str = "uncertain"):
    """Nodes reached from i (sorted) and, among them, those reached through at least one
    marked stake: ``uncertain`` (uncertain or omitted) or ``approx`` (a figure given as
    "about"). For the corrected definition walks that come back to i do not count; only
    holders on such a cycle need the slower exact pass."""
    import numpy as np

    mx = net.mx
    flags = getattr(mx, marked)
    # an omitted stake makes a figure uncertain, but no walk through it is counted
    base = mx.counted if marked == "approx" else mx.struct
    lay = mx.cache.get(("layers", marked))
    if lay is None:
        lay = mx.cache[("layers", marked)] = mxm.layers(base, flags)
    n = mx.a.shape[0]
    order = mxm.reach(lay, i)
    reached = np.unique(order % n)
    tainted = np.unique(order[order >= n] - n)
    if corrected and (order == n + i).any():
        keep = np.concatenate(([i], reached[reached != i])).astype(np.int64)
        local = mxm.tainted_local(mxm.sub(base, keep), mxm.sub(flags, keep), True)
        tainted = np.sort(keep[local])
    return reached, tainted


def _all_rows(h: Holdings, g, definition: str, certainty: bool, block: int | None):
    """Yield (holder index, target indices, values 0..1, tainted mask or None, approximate
    mask or None) per holder, holders by label (the masks only with ``certainty``).

    One sparse LU factorisation of (I - A)' for the whole network (bad cycles set apart),
    then one solve per holder, ``block`` right-hand sides at a time (memory n x block,
    never n x n). The corrected values come from the plain ones: a walk from i to j is a
    walk that never returns to i, preceded by any number of closed walks through i, so
    plain[i, j] = (1 + plain[i, i]) * corrected[i, j] for j != i. Entries that no path
    supports are exactly zero: they are masked by reachability, not left to rounding.
    """
    import numpy as np
    from scipy import sparse
    from scipy.sparse.linalg import splu

    net = _network(g, h.label)
    mx = net.mx
    n = len(mx.nodes)
    if n == 0 or mx.a.nnz == 0:
        return
    # Holders before the companies they hold (cycles kept together): I - P' is then block
    # triangular and its LU fills in only inside the cycles, so each solve is cheap.
    perm = mxm.topological_order(net.a_ok)
    inv = np.empty(n, dtype=np.int64)
    inv[perm] = np.arange(n)
    p = net.a_ok[perm][:, perm]
    lu = splu((sparse.identity(n, format="csc") - p.T).tocsc(), permc_spec="NATURAL")
    holders = np.flatnonzero(np.diff(mx.a.indptr))
    holders = holders[~np.isin(holders, net.bad_nodes)]
    holders = sorted(holders.tolist(), key=lambda i: (h.label(mx.nodes[i]), mx.nodes[i]))
    if block is None:
        block = max(1, min(256, 2_000_000 // n))
    rows_of_p = p.T.tocsc()  # column k = row k of P
    corrected = definition == "corrected"
    for start in range(0, len(holders), block):
        chunk = np.array(holders[start : start + block], dtype=np.int64)
        sol = lu.solve(np.asfortranarray(rows_of_p[:, inv[chunk]].toarray()))
        if sol.ndim == 1:
            sol = sol[:, None]
        for k, i in enumerate(chunk.tolist()):
            x = sol[inv, k]  # back to the original order
            about = None
            if certainty:
                reached, tainted = _taint(net, i, corrected)
                # Figures given as "about" are few (none in most networks): no search then.
                if mx.approx.nnz:
                    about = _taint(net, i, corrected, "approx")[1]
            else:
                reached, tainted = np.sort(mxm.reach(mx.a, i)), None
            undefined = net.undefined(reached)
            if len(undefined):
                reached = np.setdiff1d(reached, undefined)
            on_cycle = _self_reach(mx.a_csc, i, reached)
            self_value = float(x[i]) if on_cycle else 0.0
            targets = reached if on_cycle else reached[reached != i]
            values = x[targets]
            if corrected:
                keep = targets != i
                targets, values = targets[keep], values[keep] / (1.0 + self_value)
            elif on_cycle:
                values = np.where(targets == i, self_value, values)
            mask = np.isin(targets, tainted) if tainted is not None else None
            near = None
            if certainty:
                near = np.zeros(len(targets), bool) if about is None else np.isin(targets, about)
            yield i, targets, values, mask, near


def integrated_from_index(
    store,
    holder: str,
    held: str | None,
    at,
    *,
    definition: str = "corrected",
    interest: str = "economic",
    reading: str = "as-of",
) -> tuple[dict | list[dict], list[SetAside]] | None:
    """What ``integrated(holdings_from_store(store), holder, held, at, ...)`` answers,
    with the claims set aside, read from the index kept beside an on-disk store; None
    where it cannot answer alone (not an on-disk store, a name that is not a full IRI
    of an entity, a network in which some cycle could be undefined): then compute on
    the whole network."""
    from . import light
    from .by_company import for_store
    from .snapshot import as_span, check

    check_definition(definition)
    check(interest, reading)
    index = for_store(store)
    if index is None:
        return None
    a_iri = index.iri_of(holder)
    b_iri = index.iri_of(held) if held is not None else None
    if a_iri is None or (held is not None and b_iri is None):
        return None
    if not index.cycles_safe(interest):
        return None
    span = as_span(at)
    part = index.reachable(a_iri, span, interest, also=(b_iri,))
    if b_iri is not None:
        result = light.pair(part, a_iri, b_iri, span, interest, reading, definition)
    else:
        result = light.holder(part, a_iri, span, interest, reading, definition)
    if result is None:
        result = _on_figures(part, a_iri, b_iri, span, interest, reading, definition)
    return result, index.set_aside()


def _on_figures(
    h: Holdings, a_iri: str, b_iri: str | None, span, interest: str, reading: str, definition
) -> dict | list[dict]:
    """:func:`integrated` on the sparse path, the matrix built straight from the day's
    figures: no networkx graph of the snapshot (at a million triples, the graph and its
    import were a third of one wide company's answer)."""
    from .snapshot import figures

    percent, certain, omitted, nodes, about = figures(h, span, interest, reading)
    edges = [(u, v, percent[(u, v)], certain[(u, v)]) for u, v in sorted(percent)]
    net = _Network(mxm.from_edges(nodes, edges, omitted, sorted(about)), h.label)

    def direct(target: str) -> float | None:
        return percent.get((a_iri, target))

    return _answer(h, a_iri, b_iri, net, direct, str(span), definition)


def integrated_matrix(
    graph,
    at: dt.date | str | DateSpan | None = None,
    *,
    definition: str = "corrected",
    interest: str = "economic",
    reading: str = "as-of",
    block: int | None = None,
    snapshot=None,
):
    """Integrated ownership of every holder in every company it reaches, as
    ``(nodes, scipy.sparse.csr_matrix)`` with fractions 0..1 (row holder, column held).
    Pairs a bad cycle makes undefined are left out (see :func:`undefined_cycles`)."""
    import numpy as np
    from scipy import sparse

    check_definition(definition)
    h = as_holdings(graph)
    g = _snapshot(h, at, interest, reading, snapshot)
    mx = mxm.cached(g)
    n = len(mx.nodes)
    rows = sorted(_all_rows(h, g, definition, certainty=False, block=block), key=lambda r: r[0])
    if not rows:
        return mx.nodes, sparse.csr_matrix((n, n))
    # Rows in holder order with sorted columns: the CSR arrays directly, 12 bytes a non-zero.
    counts = np.zeros(n, dtype=np.int64)
    for i, t, *_ in rows:
        counts[i] = len(t)
    indptr = np.concatenate(([0], np.cumsum(counts)))
    index_type = np.int32 if indptr[-1] < 2**31 and n < 2**31 else np.int64
    indices = np.concatenate([t.astype(index_type, copy=False) for _, t, *_ in rows])
    data = np.concatenate([x for _, _, x, *_ in rows])
    return mx.nodes, sparse.csr_matrix((data, indices, indptr), shape=(n, n))


def integrated_records(
    graph,
    at: dt.date | str | DateSpan | None = None,
    *,
    definition: str = "corrected",
    interest: str = "economic",
    reading: str = "as-of",
    min_percent: float = 0.0,
    snapshot=None,
) -> Iterator[dict]:
    """The records of :func:`integrated` for every holder and every company it reaches,
    streamed holder by holder (by holder label, then largest first), keeping those of at
    least ``min_percent``. Memory stays bounded by one block of holders."""
    check_definition(definition)
    if min_percent < 0:
        raise UsageError(f"--min must be 0 or more, not {min_percent:g}")
    h = as_holdings(graph)
    g = _snapshot(h, at, interest, reading, snapshot)
    mx = mxm.cached(g)
    at_text = g.graph["at"]
    rows = _all_rows(h, g, definition, certainty=True, block=None)
    for i, targets, values, tainted, near in rows:
        holder = mx.nodes[i]
        if min_percent > 0:  # most pairs are far below: drop them before any Python work
            keep = values * 100.0 >= min_percent * (1.0 - 1e-9)
            targets, values, tainted, near = targets[keep], values[keep], tainted[keep], near[keep]
        group = []
        for t, v, bad, about in zip(
            targets.tolist(), values.tolist(), tainted.tolist(), near.tolist(), strict=True
        ):
            value = pct(v)
            if value < min_percent or (min_percent > 0 and value == 0):
                continue
            held = mx.nodes[t]
            edge = g.get_edge_data(holder, held)
            direct = edge["percent"] if edge else None
            group.append(
                records.integrated(
                    h, holder, held, at_text, direct, value, not bad, definition, about
                )
            )
        group.sort(key=lambda r: (-r["integrated_percent"], r["held"]))
        yield from group


def integrated_all(
    graph,
    at: dt.date | str | DateSpan | None = None,
    *,
    definition: str = "corrected",
    interest: str = "economic",
    reading: str = "as-of",
    min_percent: float = 0.0,
    snapshot=None,
) -> list[dict]:
    """:func:`integrated_records` as a list (``ownership integrated --all``)."""
    return list(
        integrated_records(
            graph,
            at,
            definition=definition,
            interest=interest,
            reading=reading,
            min_percent=min_percent,
            snapshot=snapshot,
        )
    )
