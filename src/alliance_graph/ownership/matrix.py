"""The stakes of a snapshot as a sparse matrix, and the linear algebra on it.

``A[i, j]`` is the fraction of j held by i. Integrated ownership sums the products of
stakes over every walk (Vitali, Glattfelder & Battiston 2011): docs/ownership.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import SingularOwnershipError

TOLERANCE = 1e-9


@dataclass(frozen=True)
class BadCycle:
    """A cycle through which integrated ownership is undefined."""

    members: tuple[int, ...]  # node indices
    labels: tuple[str, ...]
    company: str | None = None  # the over-subscribed member, or None: a singular cycle
    total: float | None = None  # the sum of the stakes in it, in percent

    def error(self) -> SingularOwnershipError:
        return SingularOwnershipError(list(self.labels), company=self.company, total=self.total)

    def to_dict(self) -> dict:
        return {
            "members": list(self.labels),
            "reason": "over-subscribed" if self.company else "singular",
            "company": self.company,
            "total_percent": self.total,
            "message": str(self.error()),
        }


@dataclass
class Matrix:
    nodes: list[str]
    index: dict[str, int]
    a: object  # scipy.sparse.csr_matrix, A[i, j] = share of j held by i (0..1)
    uncertain: object  # csr, 1 where the edge i->j is not certain (omitted ones included)
    struct: object  # csr, 1 for every edge a walk could take: A's and the omitted ones
    approx: object = None  # csr, 1 where the edge's figure is given as "about"
    a_t: object = None  # A transposed, as csr (walks backwards)
    a_csc: object = None
    struct_t: object = None
    # csr, 1 for every edge with a figure (A's and the zero ones, not the omitted): the
    # walks integrated ownership counts, over which an "about" figure is looked for
    counted: object = None
    cache: dict = field(default_factory=dict)


def build(g) -> Matrix:
    """The matrix of a snapshot (:func:`alliance_graph.ownership.snapshot`)."""
    nodes = sorted(set(g.nodes) | {n for pair in g.graph.get("omitted", {}) for n in pair})
    edges = [(u, v, d["percent"], d["certain"]) for u, v, d in g.edges(data=True)]
    about = [(u, v) for u, v, d in g.edges(data=True) if d.get("approximate")]
    return from_edges(nodes, edges, g.graph.get("omitted", {}), about)


def from_edges(nodes: list[str], edges, omitted, approximate=()) -> Matrix:
    """The matrix of the pairs ``edges`` (holder, held, percent, certain), of the
    ``omitted`` pairs (holder, held) and of the ``approximate`` pairs (holder, held; a
    figure given as "about") over ``nodes`` (sorted IRIs, every one they join):
    what :func:`build` makes of a snapshot, built straight from the figures where no
    graph is needed (:func:`alliance_graph.ownership.integrated_from_index`). Within a
    holder's row the pairs come in the order given: sorted by held, as a snapshot has
    them, the same arrays."""
    import numpy as np
    from scipy import sparse

    index = {n: i for i, n in enumerate(nodes)}
    m = len(edges)
    rows = np.empty(m, dtype=np.int64)
    cols = np.empty(m, dtype=np.int64)
    vals = np.empty(m, dtype=np.float64)
    unc = np.zeros(m, dtype=bool)
    for k, (u, v, percent, certain) in enumerate(edges):
        rows[k], cols[k], vals[k], unc[k] = index[u], index[v], percent / 100.0, not certain
    omitted = [(index[u], index[v]) for u, v in omitted]
    o_rows = np.array([u for u, _ in omitted], dtype=np.int64)
    o_cols = np.array([v for _, v in omitted], dtype=np.int64)
    n = len(nodes)
    a = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
    a.eliminate_zeros()
    u_rows = np.concatenate((rows[unc], o_rows))
    u_cols = np.concatenate((cols[unc], o_cols))
    u = sparse.csr_matrix((np.ones(len(u_rows)), (u_rows, u_cols)), shape=(n, n))
    u.data[:] = 1.0
    s_rows, s_cols = np.concatenate((rows, o_rows)), np.concatenate((cols, o_cols))
    s = sparse.csr_matrix((np.ones(len(s_rows)), (s_rows, s_cols)), shape=(n, n))
    s.data[:] = 1.0
    u = u.multiply(s).tocsr()  # an uncertain edge is an edge
    about = [(index[x], index[y]) for x, y in approximate]
    ap = sparse.csr_matrix(
        (
            np.ones(len(about)),
            (
                np.array([x for x, _ in about], dtype=np.int64),
                np.array([y for _, y in about], dtype=np.int64),
            ),
        ),
        shape=(n, n),
    )
    ap.data[:] = 1.0
    c = sparse.csr_matrix((np.ones(m), (rows, cols)), shape=(n, n))
    c.data[:] = 1.0
    return Matrix(nodes, index, a, u, s, ap, a.T.tocsr(), a.tocsc(), s.T.tocsr(), c)


def cached(g) -> Matrix:
    mx = g.graph.get("_matrix")
    if mx is None:
        mx = g.graph["_matrix"] = build(g)
    return mx


def bad_cycles(a, nodes: list[str], label) -> list[BadCycle]:
    """The cycles through which integrated ownership is undefined.

    The spectral radius of a non-negative matrix is the largest over its strongly
    connected components; within one, it lies between the smallest and the largest column
    sum (Perron-Frobenius). Columns summing to at most 100% with one below keep it under 1
    (I - A invertible, the walk sums converge); all at 100% make I - A singular. A column
    above 100% is a company held more than whole: refused as such, naming it and the sum.
    """
    import numpy as np
    from scipy.sparse.csgraph import connected_components

    n = a.shape[0]
    if n == 0 or a.nnz == 0:
        return []
    _, comp = connected_components(a, directed=True, connection="strong")
    coo = a.tocoo()
    inside = comp[coo.row] == comp[coo.col]
    if not inside.any():
        return []
    sizes = np.bincount(comp, minlength=comp.max() + 1)
    loops = np.zeros(len(sizes), dtype=bool)
    diag = coo.row == coo.col
    loops[comp[coo.row[diag]]] = True
    cyclic = (sizes > 1) | loops
    colsum = np.bincount(coo.col[inside], weights=coo.data[inside], minlength=n)
    total = np.bincount(coo.col, weights=coo.data, minlength=n)
    found = []
    for c in np.flatnonzero(cyclic):
        members = np.flatnonzero(comp == c)
        sums = colsum[members]
        names = tuple(sorted(label(nodes[i]) for i in members))
        if sums.max() > 1.0 + TOLERANCE:
            worst = members[int(np.argmax(total[members]))]
            found.append(
                BadCycle(
                    tuple(members.tolist()),
                    names,
                    label(nodes[worst]),
                    float(f"{total[worst] * 100:.12g}"),
                )
            )
        elif sums.min() >= 1.0 - TOLERANCE:
            found.append(BadCycle(tuple(members.tolist()), names))
    return found


def check_cycles(a, nodes: list[str], label) -> None:
    """Raise :class:`SingularOwnershipError` for the first bad cycle of ``a``."""
    found = bad_cycles(a, nodes, label)
    if found:
        raise found[0].error()


def reach(adj, start: int):
    """The nodes reached from ``start`` (itself first), in breadth-first order."""
    from scipy.sparse.csgraph import breadth_first_order

    return breadth_first_order(adj, start, directed=True, return_predecessors=False)


def layers(struct, uncertain):
    """A two-layer copy of the network: crossing an uncertain stake moves a walk from the
    first layer to the second, so a node reached in the second layer is reached only
    through some uncertain stake."""
    from scipy import sparse

    n = struct.shape[0]
    struct = struct.copy()
    struct.data[:] = 1.0
    certain = struct - struct.multiply(uncertain)
    certain.eliminate_zeros()
    return sparse.bmat([[certain, uncertain], [sparse.csr_matrix((n, n)), struct]], format="csr")


def without_edges_into(m, i: int):
    m = m.tocsc(copy=True)
    m.data[m.indptr[i] : m.indptr[i + 1]] = 0.0
    m.eliminate_zeros()
    return m.tocsr()


def sub(a, keep):
    return a[keep][:, keep]


def solve_row(a_sub, corrected: bool):
    """Row 0 of the integrated ownership of a sub-network whose node 0 is the holder.

    Plain: x = e0' (I - A)^-1 A, i.e. (I - A)' x = A' e0. Corrected: the same with the
    edges into the holder (column 0) removed, so that no walk comes back to it. A holder
    alone with its own shares (treasury shares) is the same formula on a 1 x 1 matrix:
    plain a / (1 - a).
    """
    import numpy as np
    from scipy import sparse
    from scipy.sparse.linalg import splu

    k = a_sub.shape[0]
    if corrected:
        a_sub = without_edges_into(a_sub, 0)
    rhs = np.asarray(a_sub[0].todense()).ravel()
    m = (sparse.identity(k, format="csc") - a_sub.T).tocsc()
    try:
        return np.atleast_1d(splu(m).solve(rhs))
    except RuntimeError as exc:  # "Factor is exactly singular": bad_cycles missed it
        raise SingularOwnershipError(["(a cycle)"], str(exc)) from None


def tainted_local(struct_sub, u_sub, corrected: bool):
    """For each node of a sub-network whose node 0 is the holder: whether some walk from
    the holder reaches it through an edge of ``u_sub`` (an uncertain or omitted stake; or
    an approximate one), not counting walks back into the holder under the corrected
    definition."""
    import numpy as np

    k = struct_sub.shape[0]
    if u_sub.nnz == 0:
        return np.zeros(k, dtype=bool)
    if corrected:
        struct_sub, u_sub = without_edges_into(struct_sub, 0), without_edges_into(u_sub, 0)
    order = reach(layers(struct_sub, u_sub), 0)
    tainted = np.zeros(k, dtype=bool)
    tainted[order[order >= k] - k] = True
    return tainted


def member(sorted_array, value: int) -> bool:
    import numpy as np

    k = int(np.searchsorted(sorted_array, value))
    return k < len(sorted_array) and int(sorted_array[k]) == value


def topological_order(a):
    """Node indices ordered so that every stake between two strongly connected
    components goes from an earlier to a later one."""
    import networkx as nx
    import numpy as np
    from scipy.sparse.csgraph import connected_components

    count, comp = connected_components(a, directed=True, connection="strong")
    coo = a.tocoo()
    across = comp[coo.row] != comp[coo.col]
    condensed = nx.DiGraph()
    condensed.add_nodes_from(range(count))
    sources, targets = comp[coo.row[across]].tolist(), comp[coo.col[across]].tolist()
    condensed.add_edges_from(zip(sources, targets, strict=True))
    rank = np.empty(count, dtype=np.int64)
    rank[list(nx.topological_sort(condensed))] = np.arange(count)
    return np.argsort(rank[comp], kind="stable")


def downstream(mx: Matrix, start_nodes) -> object:
    """Sorted indices of the nodes reached from any of ``start_nodes`` (included)."""
    import numpy as np

    parts = [reach(mx.struct, int(s)) for s in start_nodes]
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
