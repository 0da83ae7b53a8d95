"""Warm saved queries: the catalogue through alliance_graph against bare pyoxigraph.

In one process, with the shipped graph loaded once, each saved query runs with its
documented example in three ways, interleaved call by call so that machine noise hits
them alike (each way goes first in turn):

- ``catalogue``: ``alliance_graph.queries.run(NAME, example)``, as a program calls it
  (the store found by the state of the files, names resolved, values bound, rows made);
- ``catalogue, store given``: the same with ``store=`` (no file state to check);
- ``bare pyoxigraph``: ``Store.query(text)`` on the same store with the same bound text,
  every value of every solution read.

Printed: per query the median of each (microseconds) and the ratio of the medians, then
the median of those per-query ratios (the figure of docs/store.md). Reproduce with:

    python bench/bench_warm.py --rounds 200
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from bench_queries import consume  # bench/ is on sys.path when a bench runs

from alliance_graph import queries
from alliance_graph.queries import names_for


def bench(rounds: int) -> dict:
    store = queries.cached_store()  # what run() finds for the shipped data
    names = names_for(store=store)
    ways: dict[str, dict] = {}
    for q in queries.catalogue():
        text = q.bind(q.example, names=names)
        ways[q.name] = {
            "catalogue": lambda q=q: len(queries.run(q.name, q.example)),
            "catalogue, store given": lambda q=q: len(queries.run(q, q.example, store=store)),
            "bare pyoxigraph": lambda t=text: consume(store.query(t)),
        }
        counts = {way: fn() for way, fn in ways[q.name].items()}  # warm-up
        if q.form in ("CONSTRUCT", "DESCRIBE"):  # a graph: pyoxigraph may repeat a triple
            counts["bare pyoxigraph"] = len(set(store.query(text)))
        if len(set(counts.values())) != 1:
            raise SystemExit(f"{q.name}: the ways disagree on the row count: {counts}")
    times = {name: {way: [] for way in fns} for name, fns in ways.items()}
    clock = time.perf_counter
    for i in range(rounds):
        for name, fns in ways.items():
            order = list(fns.items())
            k = i % len(order)  # each way goes first in turn: no way always follows
            for way, fn in order[k:] + order[:k]:  # another query's run
                start = clock()
                fn()
                times[name][way].append(clock() - start)
    rows = []
    for name, by_way in times.items():
        med = {way: statistics.median(ts) for way, ts in by_way.items()}
        bare = med["bare pyoxigraph"]
        rows.append(
            {
                "query": name,
                **{f"{way} us": m * 1e6 for way, m in med.items()},
                "catalogue / bare": med["catalogue"] / bare,
                "store given / bare": med["catalogue, store given"] / bare,
            }
        )
    return {
        "rounds": rounds,
        "triples": len(store),
        "rows": rows,
        "median catalogue / bare": statistics.median(r["catalogue / bare"] for r in rows),
        "median store given / bare": statistics.median(r["store given / bare"] for r in rows),
    }


def table(data: dict) -> str:
    lines = [
        f"{data['triples']} triples, {data['rounds']} interleaved rounds, medians in us",
        "",
        "| query | catalogue | store given | bare pyoxigraph | catalogue / bare "
        "| store given / bare |",
        "|---|---|---|---|---|---|",
    ]
    for r in data["rows"]:
        lines.append(
            f"| {r['query']} | {r['catalogue us']:.0f} | {r['catalogue, store given us']:.0f} "
            f"| {r['bare pyoxigraph us']:.0f} | {r['catalogue / bare']:.2f} "
            f"| {r['store given / bare']:.2f} |"
        )
    lines.append(
        f"| **median of the ratios** | | | | **{data['median catalogue / bare']:.2f}** "
        f"| **{data['median store given / bare']:.2f}** |"
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="calls per query and way")
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures here")
    args = parser.parse_args(argv)
    data = bench(args.rounds)
    print(table(data))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
