"""stakes-on-date at scale: the saved query against the ownership API, side by side.

The question: every stake in force on a date, one figure per position, under the as-of
and the certain reading. Asked two ways of the same pyoxigraph store, on graphs from
bench/generate.py (about 20k, 100k and 1M triples):

- ``query``: the saved query ``stakes-on-date`` (``queries.run(..., store=store)``);
- ``api``: ``ownership.holdings_from_store(store)`` (the stakes read into Python) and
  ``ownership.stake`` for every holder-company pair of the data on that date;
- ``api-warm``: the same ``ownership.stake`` calls with the holdings already read.

Each measurement runs in a forked child of the process that loaded the store (so one
cannot warm the other's caches), in interleaved rounds (query, api, api-warm, query, ...)
for each date of the sample; the table gives medians of wall-clock seconds over dates and
rounds, the peak RSS of the child (store included) and what the child added to the RSS it
started with, and the ratio query / api. The machine may be shared: figures move with its
load, the ratios less.

    python bench/bench_stakes.py                               # 20k, 100k, 1M
    python bench/bench_stakes.py --sizes 20000 --rounds 1 --json /tmp/stakes.json
    python bench/bench_stakes.py --sizes 100000 --other-queries  # the other *-on-date queries
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

from alliance_graph import ownership, queries  # noqa: E402
from alliance_graph.load import open_store  # noqa: E402

DATES = ("1995-06-30", "2005-06-30", "2012", "2020-06-30")
READINGS = ("as-of", "certain")
METHODS = ("query", "api", "api-warm")
# The other saved queries that answer for a date or period, run on the shipped data plus
# the generated graph (which adds volume: it holds none of their facts).
OTHERS = {
    "members-on-date": {"date": "2012-06-30"},
    "events-in-period": {"from": "2000", "to": "2020"},
    "measures-over-time": {},
    "roles-on-date": {"date": "2012-06-30"},
}


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _work(method: str, store, at: str, reading: str, holdings) -> int:
    if method == "query":
        rows = queries.run(
            "stakes-on-date", {"date": at, "reading": reading}, store=store, timeout=None
        ).rows
        return sum(1 for r in rows if r["percent"] is not None)
    h = holdings if method == "api-warm" else ownership.holdings_from_store(store)
    answered = 0
    for a, b in sorted({(s.holder, s.held) for s in h.stakes}):
        if ownership.stake(h, a, b, at, reading=reading)["percent"] is not None:
            answered += 1
    return answered


def _child(out, *args, **kwargs):
    try:
        _measured(out, *args, **kwargs)
    except BaseException as exc:  # the parent waits for an answer: give one
        out.put(exc)
        raise


def _measured(out, method, store, at, reading, holdings, query_name=None, params=None):
    start_rss = _rss_kb()
    t = time.perf_counter()
    if query_name is not None:
        count = len(queries.run(query_name, params, store=store, timeout=None).rows)
    else:
        count = _work(method, store, at, reading, holdings)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.put((seconds, peak, peak - start_rss, count))


def measure(*args, **kwargs) -> tuple[float, int, int, int]:
    """(seconds, peak RSS KiB, RSS added KiB, answers) of one run in a forked child."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    proc = ctx.Process(target=_child, args=(out, *args), kwargs=kwargs)
    proc.start()
    result = out.get()
    proc.join()
    if isinstance(result, BaseException):
        raise SystemExit(f"{args[0] or kwargs.get('query_name')}: {result}")
    return result


def bench_size(size: int, args, tmp: Path) -> dict:
    path = tmp / f"stakes-{size}.ttl"
    path.write_text(generate.generate(size, seed=1), encoding="utf-8")
    t = time.perf_counter()
    store = open_store([path])
    load = time.perf_counter() - t
    holdings = ownership.holdings_from_store(store)
    entry = {
        "size": size,
        "quads": len(store),
        "load_s": load,
        "stakes": len(holdings.stakes),
        "pairs": len({(s.holder, s.held) for s in holdings.stakes}),
        "readings": {},
    }
    for reading in args.readings:
        runs = {m: [] for m in METHODS}
        for _ in range(args.rounds):
            for at in args.dates:
                for method in METHODS:  # interleaved
                    seconds, peak, added, count = measure(method, store, at, reading, holdings)
                    runs[method].append((at, seconds, peak, added, count))
        # The same number of pairs with a figure, date by date, both ways.
        agree = all(q[4] == a[4] for q, a in zip(runs["query"], runs["api"], strict=True))
        entry["readings"][reading] = {
            m: {
                "median_s": statistics.median(r[1] for r in rs),
                "max_s": max(r[1] for r in rs),
                "peak_rss_mb": max(r[2] for r in rs) / 1024,
                "added_rss_mb": max(r[3] for r in rs) / 1024,
                "answers": {r[0]: r[4] for r in rs},
            }
            for m, rs in runs.items()
        }
        entry["readings"][reading]["same_count"] = agree
        print(row(entry, reading), flush=True)
    if args.other_queries:
        from alliance_graph import resources

        del store, holdings
        both = open_store([*resources.data_files(), path])
        entry["others"] = {}
        for name, params in OTHERS.items():
            seconds, peak, added, count = measure(
                None, both, None, None, None, query_name=name, params=params
            )
            entry["others"][name] = {
                "s": seconds,
                "peak_rss_mb": peak / 1024,
                "added_rss_mb": added / 1024,
                "rows": count,
            }
            print(
                f"  {name} {params}: {seconds:.3f} s, peak RSS {peak / 1024:.0f} MB "
                f"(+{added / 1024:.0f}), {count} rows",
                flush=True,
            )
    return entry


def row(entry: dict, reading: str) -> str:
    r = entry["readings"][reading]
    q, a, w = r["query"], r["api"], r["api-warm"]
    return (
        f"| {entry['quads']:,} | {reading} | {q['median_s']:.3f} | {q['peak_rss_mb']:.0f} "
        f"(+{q['added_rss_mb']:.0f}) | {a['median_s']:.3f} | {a['peak_rss_mb']:.0f} "
        f"(+{a['added_rss_mb']:.0f}) | {w['median_s']:.3f} | {q['median_s'] / a['median_s']:.2f} "
        f"| {'yes' if r['same_count'] else 'NO'} |"
    )


HEADER = (
    "| quads (ontology + data + derived) | reading | query s | query peak RSS MB (+added) "
    "| api s | api peak RSS MB (+added) | api-warm s | query / api | same count |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000, 1000000])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--dates", nargs="+", default=list(DATES))
    ap.add_argument("--readings", nargs="+", default=list(READINGS), choices=READINGS)
    ap.add_argument(
        "--other-queries",
        action="store_true",
        help="also time the other date and period queries, once each",
    )
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    print(
        f"{platform.python_version()}, {os.cpu_count()} cores, load "
        f"{os.getloadavg()[0]:.1f}; dates {', '.join(args.dates)}; {args.rounds} rounds"
    )
    print(HEADER)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            results.append(bench_size(size, args, Path(tmp)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
