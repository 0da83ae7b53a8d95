"""What bounding a visitor's query costs, three ways side by side on the shipped data:

- inline: evaluated in this process (no bound on memory; no stop but between solutions);
- fork: a forked child per query, killed at the limit (alliance_graph.isolate.run);
- pool: a pre-forked worker (alliance_graph.pool.Pool), killed and replaced at the limit.

The queries are the saved queries bound with their examples (the web load test's
*sparql* workload), each checked first as the server checks a visitor's text. Rounds
interleave the three ways so that the machine's load hits them alike; the figures are
the median per query over the rounds and the sum of those medians. Reproduce with:

    python bench/bench_pool.py --rounds 15 --exclude stakes-on-date
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from alliance_graph import isolate, queries
from alliance_graph.pool import Pool
from alliance_graph.store import open_store


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="rounds over every query")
    parser.add_argument(
        "--exclude", default="", metavar="NAMES", help="saved queries to leave out, comma-separated"
    )
    args = parser.parse_args(argv)
    exclude = set(args.exclude.split(",")) - {""}

    store = open_store(None)
    texts = [(q.name, q.bind(q.example)) for q in queries.catalogue() if q.name not in exclude]
    memory = isolate.default_max_memory()

    def inline(text):
        return queries.sparql(text, store=store, trusted=True, isolate=False, timeout=None)

    def forked(text):
        return queries.sparql(text, store=store, trusted=True, isolate=True, timeout=30)

    pool = Pool(inline, size=1, max_memory=memory)

    def pooled(text):
        return pool.run(text, timeout=30)

    ways = {"inline": inline, "fork": forked, "pool": pooled}
    times: dict[str, dict[str, list[float]]] = {w: {n: [] for n, _ in texts} for w in ways}
    try:
        for name, text in texts:  # warm: the first run of each, every way
            queries.check(text, allow_network=False)
            answers = {w: f(text) for w, f in ways.items()}
            rows = {
                w: a.rows if not a.is_graph else sorted(map(str, a.triples))
                for w, a in answers.items()
            }
            assert rows["fork"] == rows["inline"] == rows["pool"], name
        for _ in range(args.rounds):
            for name, text in texts:
                for way, f in ways.items():
                    start = time.perf_counter()
                    queries.check(text, allow_network=False)  # as the server does
                    f(text)
                    times[way][name].append(time.perf_counter() - start)
    finally:
        pool.close()

    print("| query | inline ms | fork ms | pool ms |")
    print("|---|---:|---:|---:|")
    total = dict.fromkeys(ways, 0.0)
    for name, _ in texts:
        med = {w: statistics.median(times[w][name]) * 1000 for w in ways}
        for w in ways:
            total[w] += med[w]
        print(f"| {name} | {med['inline']:.2f} | {med['fork']:.2f} | {med['pool']:.2f} |")
    print(
        f"| **all {len(texts)}** | {total['inline']:.1f} | {total['fork']:.1f} | "
        f"{total['pool']:.1f} |"
    )
    print(
        f"\nfork / inline {total['fork'] / total['inline']:.2f}x, "
        f"pool / inline {total['pool'] / total['inline']:.2f}x, "
        f"fork / pool {total['fork'] / total['pool']:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
