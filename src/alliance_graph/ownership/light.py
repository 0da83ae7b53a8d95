"""Integrated ownership of one pair, or of one holder in everything it reaches, in plain
Python, for small networks (issue 14, items 3 and 5).

The same computation as :func:`alliance_graph.ownership.integrated` for one holder and
one held company (:func:`pair`) or every company the holder reaches (:func:`holder`),
without numpy, scipy or networkx, whose imports cost more than the answer on a network of
a few hundred stakes (0.3-0.5 s of a cold command). The matrix of the snapshot, the reach
of the holder, the sub-network (for a pair: of the walks from the holder to the held
company), the linear system (I - A') x = A' e0 on it and the certainty of the answer are
those of :mod:`.matrix` and :mod:`.integrated`, in the same order of nodes.

Both answer only where they are sure to give the same answer: they return None, and the
caller takes the sparse path, when the holdings hold more than :data:`MAX_STAKES`
stakes, when the network has a cycle through which integrated ownership is undefined
(the sparse path names it), or when the sub-network to solve has more than
:data:`MAX_NODES` companies. tests/test_ownership_light.py and
tests/test_ownership_by_company.py compare the two paths."""

from __future__ import annotations

from .holdings import Holdings
from .matrix import TOLERANCE
from .snapshot import as_span, check, figures, pct

MAX_STAKES = 5_000  # stakes in the holdings
MAX_NODES = 200  # companies in the sub-network solved (dense elimination: k^3 / 3)


def pair(
    h: Holdings, a_iri: str, b_iri: str, at, interest: str, reading: str, definition: str
) -> dict | None:
    """The record of ``integrated(h, a_iri, b_iri, at, ...)``, or None (see above)."""
    net = _Net.of(h, at, interest, reading)
    if net is None:
        return None
    corrected = definition == "corrected"
    if a_iri not in net.index:
        return net.record(h, a_iri, b_iri, 0.0, True, definition, False)
    i = net.index[a_iri]
    reached = reach(net.struct, i)
    j = net.index.get(b_iri)
    if j is None or (j == i and corrected) or j not in reached:
        return net.record(h, a_iri, b_iri, 0.0, True, definition, False)
    backwards: dict[int, set[int]] = {}
    for u, targets in net.struct.items():
        for v in targets:
            backwards.setdefault(v, set()).add(u)
    members = reached & reach(backwards, j)
    keep = [i, *sorted(members - {i})]
    if len(keep) > MAX_NODES:
        return None
    local_of = {node: k for k, node in enumerate(keep)}
    x = _solve_row(net.a, keep, local_of, corrected)
    tainted = _tainted(net.struct, net.uncertain, keep, local_of, corrected)
    about = _about(net, keep, local_of, corrected)
    local = 0 if j == i else local_of[j]
    return net.record(h, a_iri, b_iri, x[local], not tainted[local], definition, about[local])


def holder(
    h: Holdings, a_iri: str, at, interest: str, reading: str, definition: str
) -> list[dict] | None:
    """The records of ``integrated(h, a_iri, None, at, ...)`` (every company the holder
    reaches, largest first), or None where :func:`pair` would step aside: more than
    :data:`MAX_STAKES` stakes, a cycle that makes the answer undefined, or more than
    :data:`MAX_NODES` companies reached."""
    net = _Net.of(h, at, interest, reading)
    if net is None:
        return None
    if a_iri not in net.index:
        return []
    corrected = definition == "corrected"
    i = net.index[a_iri]
    reached = reach(net.struct, i)
    keep = [i, *sorted(reached - {i})]
    if len(keep) > MAX_NODES:
        return None
    local_of = {node: k for k, node in enumerate(keep)}
    x = _solve_row(net.a, keep, local_of, corrected)
    tainted = _tainted(net.struct, net.uncertain, keep, local_of, corrected)
    about = _about(net, keep, local_of, corrected)
    # i lies on a cycle when one of its (non-zero) holders is reached from it
    on_cycle = any(i in net.a.get(u, {}) for u in reached)
    out = [
        net.record(
            h, a_iri, net.nodes[node], x[local], not tainted[local], definition, about[local]
        )
        for local, node in enumerate(keep)
        if node != i or (not corrected and on_cycle)
    ]
    out.sort(key=lambda r: (-r["integrated_percent"], r["held"]))
    return out


class _Net:
    """The snapshot of one day as adjacency by node index (nodes sorted as in
    :func:`.matrix.build`): ``a`` the non-zero stakes, ``struct`` every edge a walk could
    take (A's, the zero ones and the omitted ones), ``counted`` those with a figure (not
    the omitted ones), ``uncertain`` the uncertain edges, ``approximate`` those whose
    figure is given as "about"."""

    def __init__(self, span, percent, nodes, a, struct, counted, uncertain, approximate):
        self.span, self.percent, self.nodes = span, percent, nodes
        self.index = {n: i for i, n in enumerate(nodes)}
        self.a, self.struct, self.counted, self.uncertain = a, struct, counted, uncertain
        self.approximate = approximate

    @classmethod
    def of(cls, h: Holdings, at, interest: str, reading: str) -> _Net | None:
        """None for more than :data:`MAX_STAKES` stakes or a cycle that makes integrated
        ownership undefined (the sparse path names it)."""
        check(interest, reading)
        if len(h.stakes) > MAX_STAKES:
            return None
        span = as_span(at)
        percent, certain, omitted, nodes, about = figures(h, span, interest, reading)
        index = {n: i for i, n in enumerate(nodes)}
        a: dict[int, dict[int, float]] = {}
        struct: dict[int, set[int]] = {}
        uncertain: set[tuple[int, int]] = set()
        for (u, v), value in percent.items():
            i, j = index[u], index[v]
            if value / 100.0 != 0.0:
                a.setdefault(i, {})[j] = value / 100.0
            struct.setdefault(i, set()).add(j)
            if not certain[(u, v)]:
                uncertain.add((i, j))
        counted = {i: set(targets) for i, targets in struct.items()}
        for u, v in omitted:
            i, j = index[u], index[v]
            struct.setdefault(i, set()).add(j)
            uncertain.add((i, j))
        if _has_bad_cycle(a, len(nodes)):
            return None
        approximate = {(index[u], index[v]) for u, v in about}
        return cls(span, percent, nodes, a, struct, counted, uncertain, approximate)

    def record(
        self,
        h: Holdings,
        a_iri: str,
        b_iri: str,
        value: float,
        certain: bool,
        definition: str,
        approximate: bool,
    ) -> dict:
        from . import records

        direct = self.percent.get((a_iri, b_iri))
        return records.integrated(
            h, a_iri, b_iri, str(self.span), direct, pct(value), certain, definition, approximate
        )


def reach(adjacency: dict, start) -> set:
    """``start`` and every node reached from it along ``adjacency`` (node → successors;
    plain Python, so that a cold one-pair answer imports no graph library)."""
    seen = {start}
    todo = [start]
    while todo:
        for w in adjacency.get(todo.pop(), ()):
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


def components(a: dict[int, dict[int, float]], n: int) -> list[list[int]]:
    """The strongly connected components of the non-zero stakes (Tarjan, without
    recursion), each as a sorted list of node indices."""
    order = [0] * n
    low = [0] * n
    on_stack = [False] * n
    visited = [False] * n
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 1
    for root in range(n):
        if visited[root]:
            continue
        work = [(root, iter(a.get(root, {})))]
        visited[root] = True
        order[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, targets = work[-1]
            advanced = False
            for w in targets:
                if not visited[w]:
                    visited[w] = True
                    order[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, iter(a.get(w, {}))))
                    advanced = True
                    break
                if on_stack[w]:
                    low[v] = min(low[v], order[w])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == order[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component.append(w)
                    if w == v:
                        break
                found.append(sorted(component))
    return found


def _has_bad_cycle(a: dict[int, dict[int, float]], n: int) -> bool:
    """Whether some cycle makes integrated ownership undefined, by the test of
    :func:`.matrix.bad_cycles`: in a cyclic component, a column of the stakes inside it
    above 100%, or every column at 100%. Sums run in the order of the rows, as there."""
    for component in components(a, n):
        members = set(component)
        cyclic = len(component) > 1 or component[0] in a.get(component[0], {})
        if not cyclic:
            continue
        sums = dict.fromkeys(component, 0.0)
        for u in sorted(members):
            for v, value in sorted(a.get(u, {}).items()):
                if v in members:
                    sums[v] += value
        if max(sums.values()) > 1.0 + TOLERANCE or min(sums.values()) >= 1.0 - TOLERANCE:
            return True
    return False


def _solve_row(a, keep: list[int], local_of: dict[int, int], corrected: bool) -> list[float]:
    """x with (I - S') x = S' e0, S the stakes among ``keep`` (node 0 the holder; under
    the corrected definition without the stakes into it): row 0 of (I - S)^-1 S. Gaussian
    elimination with partial pivoting on the small dense system."""
    k = len(keep)
    sub = [[0.0] * k for _ in range(k)]
    for row, node in enumerate(keep):
        for target, value in a.get(node, {}).items():
            col = local_of.get(target)
            if col is not None and not (corrected and col == 0):
                sub[row][col] = value
    rhs = list(sub[0])
    m = [[(1.0 if r == c else 0.0) - sub[c][r] for c in range(k)] for r in range(k)]
    for col in range(k):
        pivot = max(range(col, k), key=lambda r: abs(m[r][col]))
        if m[pivot][col] == 0.0:
            from .errors import SingularOwnershipError

            raise SingularOwnershipError(["(a cycle)"], "Factor is exactly singular")
        if pivot != col:
            m[col], m[pivot] = m[pivot], m[col]
            rhs[col], rhs[pivot] = rhs[pivot], rhs[col]
        for r in range(col + 1, k):
            factor = m[r][col] / m[col][col]
            if factor != 0.0:
                row_r, row_c = m[r], m[col]
                for c in range(col, k):
                    row_r[c] -= factor * row_c[c]
                rhs[r] -= factor * rhs[col]
    x = [0.0] * k
    for r in range(k - 1, -1, -1):
        total = rhs[r] - sum(m[r][c] * x[c] for c in range(r + 1, k))
        x[r] = total / m[r][r]
    return x


def _about(net: _Net, keep, local_of, corrected: bool) -> list[bool]:
    """For each node of ``keep``: whether a walk the figure counts reaches it through a
    stake given as "about" (none to look for in most networks)."""
    if not net.approximate:
        return [False] * len(keep)
    return _tainted(net.counted, net.approximate, keep, local_of, corrected)


def _tainted(struct, uncertain, keep, local_of, corrected: bool) -> list[bool]:
    """For each node of ``keep``: whether a walk from the holder (node 0) reaches it
    through a stake of ``uncertain`` (the uncertain and omitted ones, or the approximate
    ones), within ``keep`` (under the corrected
    definition, not through the stakes into the holder): :func:`.matrix.tainted_local`."""
    k = len(keep)
    edges = []
    for row, node in enumerate(keep):
        for target in struct.get(node, ()):
            col = local_of.get(target)
            if col is None or (corrected and col == 0):
                continue
            edges.append((row, col, (node, target) in uncertain))
    if not any(flag for _, _, flag in edges):
        return [False] * k
    # Two layers: crossing an uncertain stake moves a walk from the first to the second.
    layered: dict[int, set[int]] = {}
    for row, col, flag in edges:
        layered.setdefault(row, set()).add(col + k if flag else col)
        layered.setdefault(row + k, set()).add(col + k)
    seen = reach(layered, 0)
    return [node + k in seen for node in range(k)]
