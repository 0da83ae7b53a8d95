"""Ownership analytics at scale: the sparse solvers against naive path enumeration.

For networks of about 10k, 100k and 1M triples from bench/generate.py, in one run and
side by side (median of repeated runs, wall clock, one process):

- reading the RDF into stakes: the one loader (``store.open_store``, pyoxigraph) read by
  ``ownership.holdings_from_files``, and rdflib's ``graph.load`` copied through the same
  store (``ownership.holdings``); the results are compared;
- building the snapshot on a date;
- integrated ownership of one company in everything it reaches (snapshot built), for the
  company that reaches most and for a sample of ordinary ones;
- integrated ownership of every company in everything (``integrated_matrix``), and the
  size of that result (its non-zeros);
- one pair: integrated ownership (sparse solve), our ``paths --limit 10`` (best-first,
  confined to the companies between the two), and the naive way
  (``networkx.all_simple_paths`` over the whole snapshot, multiplying along each path),
  with a time limit; the same naive way for one company in everything it reaches;
- ``integrated --all`` records at or above 0.01% (the CLI's default ``--min``), streamed,
  and the peak memory of streaming them;
- control of one company: the widest upstream part and a sample, against the round-1
  method (a fixed point per ancestor over everything it reaches);
- memory: tracemalloc peaks, against the number of stakes and a dense n x n matrix.

    python bench/bench_ownership.py                        # 10k, 100k, 1M
    python bench/bench_ownership.py --sizes 10000 --repeat 3 --json /tmp/own-bench.json
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import queue
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import networkx as nx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

from alliance_graph import ownership as own  # noqa: E402

AT = "2020-06-30"


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall-clock seconds of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def peak(fn) -> tuple[int, object]:
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = fn()
        _, top = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return top, result


def _enumerate(g, a, b, out) -> None:
    start = time.perf_counter()  # timed in here, so that forking is not counted
    total, count = 0.0, 0
    for path in nx.all_simple_paths(g, a, b):
        product = 1.0
        for u, v in zip(path, path[1:], strict=False):
            product *= g.edges[u, v]["percent"] / 100.0
        total += product
        count += 1
        if count % 1024 == 0:
            out.put(("progress", count))
    out.put(("done", total * 100.0, count, time.perf_counter() - start))


def naive_paths(g, a, b, limit: float):
    """Every simple path a -> b (b: a node or a set of nodes) in the whole snapshot, each
    product multiplied out, as (percent, paths, seconds); percent is None when the time
    limit passed first. It runs in a forked process killed at the limit: the search can
    go minutes between two paths, so a check inside it would not hold the limit."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    start = time.perf_counter()
    worker = ctx.Process(target=_enumerate, args=(g, a, b, out), daemon=True)
    worker.start()
    seen, result = 0, None
    while time.perf_counter() - start < limit:
        try:
            message = out.get(timeout=min(0.5, max(0.01, limit - (time.perf_counter() - start))))
        except queue.Empty:
            if not worker.is_alive() and out.empty():
                break
            continue
        if message[0] == "progress":
            seen = message[1]
        else:
            result, seen, elapsed = message[1], message[2], message[3]
            break
    if result is None:
        elapsed = time.perf_counter() - start
    worker.kill()
    worker.join()
    return result, seen, elapsed


def round1_control(g, b: str) -> dict:
    """The round-1 method, kept here to measure against: for every ancestor c of b, the
    fixed point over everything c reaches (then the same again to tell ultimate ones)."""
    found = {}
    for c in sorted(nx.ancestors(g, b)):
        reach = nx.descendants(g, c)
        controlled: set = set()
        changed = True
        while changed:
            changed = False
            voters = {c} | controlled
            for x in sorted(reach - controlled - {c}):
                votes = sum(g.edges[v, x]["percent"] for v in g.predecessors(x) if v in voters)
                if round(votes, 9) > 50.0:
                    controlled.add(x)
                    changed = True
        if b in controlled:
            found[c] = controlled
    return found


def bench_size(triples: int, args, out: dict) -> None:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"own-{triples}-seed{args.seed}.ttl"
    if not path.exists():
        path.write_text(generate.generate(triples, args.seed))
    rec: dict = {"triples_target": triples, "file_mb": round(path.stat().st_size / 1e6, 1)}
    repeat = args.repeat if triples < 1_000_000 else max(1, args.repeat - 2)

    # Reading the RDF
    fast_s, h = timed(lambda: own.holdings_from_files([path]), repeat)
    rec["stakes"] = len(h.stakes)
    rec["read_fast_s"] = fast_s
    if triples <= args.rdflib_max:
        from alliance_graph.graph import load

        def slow():
            g = load([path])
            rec["triples_loaded"] = len(g)
            return own.holdings(g)

        slow_s, h_slow = timed(slow, 1 if triples >= 100_000 else repeat)
        rec["read_rdflib_s"] = slow_s
        rec["same_stakes"] = h_slow.stakes == h.stakes

    # The snapshot
    snap_s, g = timed(lambda: own.snapshot(h, AT), repeat)
    rec.update(snapshot_s=snap_s, nodes=g.number_of_nodes(), edges=g.number_of_edges())
    sccs = sorted((len(c) for c in nx.strongly_connected_components(g)), reverse=True)
    rec["largest_cycle_component"] = sccs[0] if sccs else 0
    own.integrated(h, next(iter(g)), None, AT, snapshot=g)  # builds the matrix once

    # One company in everything it reaches
    holders = sorted(n for n in g if g.out_degree(n))
    rng = random.Random(args.seed)
    sample = rng.sample(holders, min(args.sample, len(holders)))
    widest = max(sample, key=lambda n: len(nx.descendants(g, n)))
    rec["widest_reach"] = len(nx.descendants(g, widest))
    rec["one_holder_widest_s"], rows = timed(
        lambda: own.integrated(h, widest, None, AT, snapshot=g), repeat
    )
    per = []
    for holder in sample:
        t = time.perf_counter()
        own.integrated(h, holder, None, AT, snapshot=g)
        per.append(time.perf_counter() - t)
    rec["one_holder_median_s"] = statistics.median(per)
    rec["one_holder_peak_mb"] = (
        peak(lambda: own.integrated(h, widest, None, AT, snapshot=g))[0] / 1e6
    )
    # naive: every simple path from the holder to every company it reaches
    naive = []
    for holder, ours in list(zip(sample, per, strict=True))[: args.naive_holders]:
        targets = nx.descendants(g, holder)
        if not targets:
            continue
        total, _, took = naive_paths(g, holder, targets, args.naive_limit / 5)
        naive.append((took if total is not None else None, ours))
    done = [n / o for n, o in naive if n is not None]
    rec["one_holder_naive_finished"] = f"{len(done)}/{len(naive)}"
    rec["one_holder_naive_over_ours_median"] = statistics.median(done) if done else None
    total, seen, took = naive_paths(g, widest, nx.descendants(g, widest), args.naive_limit)
    rec["one_holder_widest_naive_s"] = took if total is not None else None
    rec["one_holder_widest_naive_paths_seen"] = seen

    # Every company in everything
    if triples <= args.all_pairs_max:
        rec["all_pairs_s"], (nodes, m) = timed(
            lambda: own.integrated_matrix(h, AT, snapshot=g), repeat
        )
        rec["all_pairs_nnz"] = int(m.nnz)
        rec["all_pairs_peak_mb"] = peak(lambda: own.integrated_matrix(h, AT, snapshot=g))[0] / 1e6
        rec["dense_matrix_mb"] = len(nodes) ** 2 * 8 / 1e6
        if triples <= 100_000:
            rec["all_pairs_records_s"], recs = timed(lambda: own.integrated_all(h, AT), 1)
            rec["all_pairs_records"] = len(recs)

        def streamed():
            count = 0
            for r in own.integrated_records(h, AT, min_percent=0.01, snapshot=g):
                json.dumps(r)  # what --format jsonl writes, written nowhere
                count += 1
            return count

        rec["all_pairs_min001_s"], rec["all_pairs_min001_records"] = timed(streamed, 1)
        rec["all_pairs_min001_peak_mb"] = peak(streamed)[0] / 1e6

    # Control of one company: proportional to the part upstream of it
    voting = own.snapshot(h, AT, interest="voting")
    held = sorted((n for n in voting if voting.in_degree(n)), key=lambda n: n)
    upstream = {n: len(nx.ancestors(voting, n)) for n in held}
    widest_held = max(held, key=lambda n: (upstream[n], n))
    own.control(h, widest_held, AT)  # the voting snapshot, cached
    rec["control_widest_upstream"] = upstream[widest_held]
    rec["control_widest_s"], _ = timed(lambda: own.control(h, widest_held, AT), repeat)
    per = []
    for b in rng.sample(held, min(args.sample, len(held))):
        t = time.perf_counter()
        own.control(h, b, AT)
        per.append(time.perf_counter() - t)
    rec["control_median_s"] = statistics.median(per)
    if triples <= args.round1_control_max:
        t = time.perf_counter()
        round1_control(voting, widest_held)
        rec["control_widest_round1_s"] = time.perf_counter() - t

    # Pairs: integrated (solve) vs our paths vs naive enumeration
    pairs = []
    for a in sample:
        hops = nx.single_source_shortest_path_length(g, a)
        far = sorted(b for b, d in hops.items() if d >= 2)
        if far:
            pairs.append((a, rng.choice(far)))
        if len(pairs) >= args.pairs:
            break
    rows = []
    own.paths(h, widest, widest, AT)  # builds the snapshot the pair calls share, untimed
    for a, b in pairs:
        t = time.perf_counter()
        integ = own.integrated(h, a, b, AT, definition="plain", snapshot=g)
        t_integ = time.perf_counter() - t
        t = time.perf_counter()
        ours = own.paths(h, a, b, AT, limit=10)
        t_paths = time.perf_counter() - t
        naive_total, naive_count, t_naive = naive_paths(g, a, b, args.naive_limit)
        rows.append(
            {
                "pair": [h.label(a), h.label(b)],
                "integrated_s": t_integ,
                "paths_top10_s": t_paths,
                "paths_complete_within_10": ours["complete"],
                "naive_s": t_naive if naive_total is not None else None,
                "naive_paths_seen": naive_count,
                "paths_total_matches_naive": None
                if naive_total is None or not ours["complete"]
                else abs(naive_total - ours["total_percent"]) <= 1e-9 * max(1.0, naive_total),
                "integrated_percent": integ["integrated_percent"],
            }
        )
    rec["pairs"] = rows
    finished = [r for r in rows if r["naive_s"] is not None]
    if finished:
        rec["naive_over_integrated_median"] = statistics.median(
            r["naive_s"] / r["integrated_s"] for r in finished
        )

    rec["naive_unfinished"] = len(rows) - len(finished)
    unfinished = [r for r in rows if r["naive_s"] is None]
    if unfinished:  # a lower bound: the naive run was cut at the limit
        rec["naive_over_integrated_unfinished_at_least"] = min(
            args.naive_limit / r["integrated_s"] for r in unfinished
        )
    rec["snapshot_peak_mb"] = peak(lambda: own.snapshot(h, AT))[0] / 1e6
    out["sizes"].append(rec)
    print(json.dumps(rec, indent=1, default=str), flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sample", type=int, default=30, help="holders timed one by one")
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument(
        "--naive-holders",
        type=int,
        default=10,
        help="holders whose reach is also enumerated naively",
    )
    parser.add_argument("--naive-limit", type=float, default=30.0, metavar="SECONDS")
    parser.add_argument(
        "--rdflib-max",
        type=int,
        default=1_000_000,
        help="largest size also read with rdflib (slow)",
    )
    parser.add_argument("--all-pairs-max", type=int, default=1_000_000)
    parser.add_argument(
        "--round1-control-max",
        type=int,
        default=100_000,
        help="largest size where the round-1 control method is also timed (slow)",
    )
    parser.add_argument("--workdir", default="/tmp/alliance-bench")
    parser.add_argument("--json", default=None, help="also write the results here")
    args = parser.parse_args(argv)
    out = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_at_start": os.getloadavg(),
        },
        "at": AT,
        "sizes": [],
    }
    for triples in args.sizes:
        bench_size(triples, args, out)
    out["machine"]["load_average_at_end"] = os.getloadavg()
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
