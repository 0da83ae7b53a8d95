"""Two versions of the saved queries, side by side on one store: the same rows, and the
ratio of their times (medians of interleaved rounds).

For a rewrite of the .rq files: check out the earlier ones somewhere (``git worktree add
/tmp/before HEAD~1``), then

    python bench/generate.py --triples 1000000 --seed 1 -o /tmp/own-1m.ttl
    python bench/compare_queries.py --before /tmp/before/queries --data /tmp/own-1m.ttl \\
        --query stakes-on-date date=2010-06-30 --query stakes-on-date date=2010-06-30 \\
        reading=possible

Each --query is a name followed by its NAME=VALUE parameters. Without --data the
shipped data is read. Both folders are copied to a temporary folder first, so that both
are run as a user's queries (with the safety parse the shipped ones skip): the same
path on both sides.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from alliance_graph import queries
from alliance_graph.errors import AllianceGraphError
from alliance_graph.store import open_store

HERE = Path(__file__).resolve().parent


def _cases(raw: list[list[str]]) -> list[tuple[str, dict]]:
    cases = []
    for name, *pairs in raw:
        params = {}
        for pair in pairs:
            key, sep, value = pair.partition("=")
            if not sep:
                raise SystemExit(f"compare_queries.py: --query {name}: {pair!r} is not NAME=VALUE")
            params[key] = value
        cases.append((name, params))
    return cases


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="folder of the earlier .rq")
    parser.add_argument(
        "--after", type=Path, default=HERE.parent / "queries", help="default: this tree's"
    )
    parser.add_argument("--data", action="append", help="RDF file (repeat); default: shipped")
    parser.add_argument("--query", nargs="+", action="append", required=True, metavar="ARG")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    for folder in (args.before, args.after):
        if not folder.is_dir():
            print(f"compare_queries.py: {folder} is not a folder", file=sys.stderr)
            return 2
    try:
        store = open_store(args.data)
        with tempfile.TemporaryDirectory() as scratch:
            before = shutil.copytree(args.before, Path(scratch) / "before")
            after = shutil.copytree(args.after, Path(scratch) / "after")
            _compare(store, before, after, _cases(args.query), args.rounds)
    except AllianceGraphError as exc:
        print(f"compare_queries.py: {exc}", file=sys.stderr)
        return 2
    return 0


def _compare(store, before_folder, after_folder, cases, rounds) -> None:
    print("| query | parameters | rows | same rows | before s | after s | after / before |")
    print("|---|---|---:|---|---:|---:|---:|")
    for name, params in cases:
        times: dict[str, list[float]] = {"before": [], "after": []}
        rows: dict[str, list] = {}
        for _ in range(rounds):
            for side, folder in (("before", before_folder), ("after", after_folder)):
                start = time.perf_counter()
                result = queries.run(name, params, store=store, folder=folder, timeout=3600)
                times[side].append(time.perf_counter() - start)
                rows[side] = result.rows
        before, after = (statistics.median(times[s]) for s in ("before", "after"))
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        same = "yes" if rows["before"] == rows["after"] else "NO"
        print(
            f"| {name} | {shown} | {len(rows['after'])} | {same} | {before:.3f} | "
            f"{after:.3f} | {after / before:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
