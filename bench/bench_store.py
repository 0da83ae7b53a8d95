"""Loading and the on-disk store at scale, side by side in one run (issue 14, items 4, 5).

For each size, synthetic ownership data from bench/generate.py (seed 1) is written once,
then these run in interleaved rounds (each way in turn, so machine noise hits them alike):

In process (item 4):

- ``bare parse``: ``pyoxigraph.Store().load(path=...)`` of the file: pyoxigraph's parse
  alone, nothing derived;
- ``open_store``: :func:`alliance_graph.load.open_store` on the same file: the ontology,
  the same parse, and the derived day bounds and best-rank marks.

A fresh process per run (item 5), the saved query ``stake-history`` of one pair (the
synthetic companies c0 and c1, ``claims=all``) through the CLI:

- ``cold, reload``: ``alliance-graph query stake-history ... --data FILE`` (parse and
  derive at every start);
- ``cold, warm store``: the same with ``--store DIR``, the store built beforehand (the
  build is timed once and printed);
- ``cold, bare script``: a bare pyoxigraph script opening the same on-disk store
  read-only and running the same bound text (the floor for a kept store);
- ``cold, label``: the query with ``--store`` and its parameters given as labels
  ("Company 0"), resolved through the names index kept beside the store;
- ``integrated, store``: ``ownership integrated <c0> --at 2010-06-30 --no-validate``
  with ``--store``: the part of the network c0 reaches, read from ``holdings.sqlite``
  kept beside the store (ownership/by_company.py); ``integrated, store, whole
  network`` the same command with that path switched off (the whole ownership index
  read back from ``holdings.json``, the day's snapshot and matrix of every stake: what
  the command did before); ``integrated, reload`` the same without ``--store``.

Also in process: ``parse + insert`` is the bare parse followed by ``Store.extend`` of
the derived quads computed beforehand: what adding them costs with no derivation at all
(the floor of any open_store); ``parse + derive`` is the bare parse followed by the
derivation, nothing inserted: what computing them costs. The in-process ways are also
printed in CPU time (``time.process_time``). The kept files are built once before the
rounds (printed as ``kept build``). Cold runs also report the CPU time of the child (user +
system), which the load of a shared machine inflates less than the wall time.

Printed: medians (seconds) and the ratios of the medians. Reproduce with:

    python bench/bench_store.py --sizes 100000,1000000 --rounds 3

``--only-integrated`` runs only the three integrated ways (and the store build and kept
files they need), e.g. ``--sizes 1000000 --rounds 3 --only-integrated``; ``--holder IRI``
and ``--at DAY`` ask them of another company or day than c0 on 2010-06-30.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from alliance_graph import derive, persist, queries  # noqa: E402
from alliance_graph.load import open_store  # noqa: E402

CLI = str(Path(sys.executable).parent / "alliance-graph")
SYN = "https://w3id.org/alliance-graph/resource/synthetic/"
PARAMS = {"holder": SYN + "c0", "held": SYN + "c1", "claims": "all"}
LABELS = {"holder": "Company 0", "held": "Company 1", "claims": "all"}
# The command as it was before the per-company index: that path switched off.
WHOLE_NETWORK = """
import sys
from alliance_graph.ownership import by_company
by_company.for_store = lambda *args, **kwargs: None  # no index: the whole network
from alliance_graph.cli import main
main(sys.argv[1:])
"""
BARE_STORE = """
import sys, pyoxigraph
s = pyoxigraph.Store.read_only(sys.argv[1])
print(sum(1 for _ in s.query(open(sys.argv[2], encoding="utf-8").read())))
"""


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


_cpu: dict[str, list[float]] = {}
_own_cpu: dict[str, list[float]] = {}


def _in_process(way: str, fn):
    """``fn`` with its CPU time (this process's, user + system) kept under ``way``."""

    def run():
        start = time.process_time()
        fn()
        _own_cpu.setdefault(way, []).append(time.process_time() - start)

    return run


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _run(cmd: list[str], way: str | None = None) -> None:
    before = _children_cpu()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-800:]}")
    if way is not None:
        _cpu.setdefault(way, []).append(_children_cpu() - before)


def bench_size(
    size: int,
    rounds: int,
    tmp: Path,
    cold: bool,
    only_integrated: bool = False,
    holder: str = SYN + "c0",
    at: str = "2010-06-30",
) -> dict:
    from generate import generate

    data = tmp / f"syn-{size}.ttl"
    if not data.exists():
        data.write_text(generate(size, seed=1), encoding="utf-8")
    folder = tmp / f"store-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    build = _time(lambda: open_store([data], store_dir=folder))
    (kept,) = persist.builds(folder)
    text = queries.get("stake-history").bind(PARAMS)
    rq = tmp / "history.rq"
    rq.write_text(text, encoding="utf-8")
    params = [a for k, v in PARAMS.items() for a in ("-p", f"{k}={v}")]
    query = [CLI, "query", "stake-history", *params, "-f", "csv", "--data", str(data)]
    derived = []
    if not only_integrated:
        probe = ox.Store()
        probe.load(path=str(data), format=ox.RdfFormat.TURTLE)
        derived = derive.derived(derive.store_source(probe))
        del probe

    def parse_insert():
        store = ox.Store()
        store.load(path=str(data), format=ox.RdfFormat.TURTLE)
        store.extend(derived)

    def parse_derive():
        store = ox.Store()
        store.load(path=str(data), format=ox.RdfFormat.TURTLE)
        derive.derived(derive.store_source(store))

    ways = {
        "bare parse": lambda: ox.Store().load(path=str(data), format=ox.RdfFormat.TURTLE),
        "parse + insert": parse_insert,
        "parse + derive": parse_derive,
        "open_store": lambda: open_store([data]),
    }
    ways = {way: _in_process(way, fn) for way, fn in ways.items()}
    kept_build = None
    if cold:
        labels = [a for k, v in LABELS.items() for a in ("-p", f"{k}={v}")]
        by_label = [CLI, "query", "stake-history", *labels, "-f", "csv", "--data", str(data)]
        by_label += ["--store", str(folder)]
        integrated = [CLI, "ownership", "integrated", holder, "--at", at]
        integrated += ["--no-validate", "-f", "csv", "--data", str(data)]
        start = time.perf_counter()
        if not only_integrated:
            _run(by_label)
        _run([*integrated, "--store", str(folder)])
        kept_build = time.perf_counter() - start
        ways |= {
            "cold, reload": lambda: _run(query, "cold, reload"),
            "cold, warm store": lambda: _run([*query, "--store", str(folder)], "cold, warm store"),
            "cold, bare script": lambda: _run(
                [sys.executable, "-c", BARE_STORE, str(kept / "db"), str(rq)], "cold, bare script"
            ),
            "cold, label": lambda: _run(by_label, "cold, label"),
            "integrated, store": lambda: _run(
                [*integrated, "--store", str(folder)], "integrated, store"
            ),
            "integrated, store, whole network": lambda: _run(
                [sys.executable, "-c", WHOLE_NETWORK, *integrated[1:], "--store", str(folder)],
                "integrated, store, whole network",
            ),
            "integrated, reload": lambda: _run(integrated, "integrated, reload"),
        }
        if only_integrated:
            ways = {k: v for k, v in ways.items() if k.startswith("integrated")}
    times: dict = {way: [] for way in ways}
    order = list(ways)
    for i in range(rounds):
        k = i % len(order)
        for way in order[k:] + order[:k]:
            times[way].append(_time(ways[way]))
    med = {way: statistics.median(ts) for way, ts in times.items()}
    triples = None if only_integrated else len(open_store([data]))
    row = {"size": size, "triples": triples, "rounds": rounds, "build": build, **med}
    row["kept build"] = kept_build
    if not only_integrated:
        row["open_store / bare parse"] = med["open_store"] / med["bare parse"]
        row["parse + insert / bare parse"] = med["parse + insert"] / med["bare parse"]
        cpu = {way: statistics.median(ts) for way, ts in _own_cpu.items()}
        row["in-process cpu"] = cpu
        for way in ("parse + insert", "parse + derive", "open_store"):
            row[f"cpu: {way} / bare parse"] = cpu[way] / cpu["bare parse"]
        _own_cpu.clear()
    if cold and not only_integrated:
        row["reload / warm store"] = med["cold, reload"] / med["cold, warm store"]
    if cold:
        row["integrated: whole network / store"] = (
            med["integrated, store, whole network"] / med["integrated, store"]
        )
        row["cpu"] = {way: statistics.median(ts) for way, ts in _cpu.items()}
        _cpu.clear()
    print(json.dumps(row), file=sys.stderr)
    return row


def cold_table(rows: list[dict]) -> str:
    ways = [
        "cold, reload",
        "cold, warm store",
        "cold, bare script",
        "cold, label",
        "integrated, reload",
        "integrated, store, whole network",
        "integrated, store",
    ]
    ways = [w for w in ways if all(w in r for r in rows if "cpu" in r)]
    lines = [
        "| size (target) | kept build s | " + " | ".join(f"{w} s (cpu s)" for w in ways) + " |",
        "|---|---|" + "---|" * len(ways),
    ]
    for r in rows:
        if "cpu" not in r:
            continue
        cells = [f"{r[w]:.2f} ({r['cpu'][w]:.2f})" for w in ways]
        lines.append(f"| {r['size']:,} | {r['kept build']:.1f} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("| size (target) | integrated: whole network / store, wall | cpu |")
    lines.append("|---|---|---|")
    for r in rows:
        if "cpu" in r:
            cpu = r["cpu"]["integrated, store, whole network"] / r["cpu"]["integrated, store"]
            lines.append(
                f"| {r['size']:,} | {r['integrated: whole network / store']:.1f} | {cpu:.1f} |"
            )
    return "\n".join(lines)


def table(rows: list[dict]) -> str:
    lines = [
        "| size (target) | triples | bare parse s | parse + insert s | open_store s "
        "| parse + insert / bare | open_store / bare "
        "| store build s | cold reload s | cold warm store s | cold bare script s "
        "| reload / warm store |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cold = (
            f"{r['cold, reload']:.2f} | {r['cold, warm store']:.2f} "
            f"| {r['cold, bare script']:.2f} | {r['reload / warm store']:.1f}"
            if "cold, reload" in r
            else "n/a | n/a | n/a | n/a"
        )
        lines.append(
            f"| {r['size']:,} | {r['triples']:,} | {r['bare parse']:.2f} "
            f"| {r['parse + insert']:.2f} | {r['open_store']:.2f} "
            f"| {r['parse + insert / bare parse']:.2f} | {r['open_store / bare parse']:.2f} "
            f"| {r['build']:.2f} | {cold} |"
        )
    return "\n".join(lines)


def cpu_table(rows: list[dict]) -> str:
    """The in-process loads in CPU time (this process's user + system), which a shared
    machine's load distorts far less than the wall clock."""
    ways = ("bare parse", "parse + insert", "parse + derive", "open_store")
    lines = [
        "| size (target) | " + " | ".join(f"{w} cpu s" for w in ways) + " | "
        "parse + insert / bare | parse + derive / bare | open_store / bare |",
        "|---|" + "---|" * (len(ways) + 3),
    ]
    for r in rows:
        cpu = r["in-process cpu"]
        cells = [f"{cpu[w]:.2f}" for w in ways]
        cells += [f"{r[f'cpu: {w} / bare parse']:.2f}" for w in ways[1:]]
        lines.append(f"| {r['size']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[100_000, 1_000_000]
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-cold", action="store_true", help="only the in-process loads")
    parser.add_argument(
        "--only-integrated", action="store_true", help="only the integrated ways (cold)"
    )
    parser.add_argument("--holder", default=SYN + "c0", help="the company of the integrated ways")
    parser.add_argument("--at", default="2010-06-30", help="the day of the integrated ways")
    parser.add_argument("--tmp", help="keep the generated files and stores here")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    tmp = Path(args.tmp) if args.tmp else Path(tempfile.mkdtemp(prefix="bench-store-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ.pop(persist.ENV_STORE, None)
    try:
        rows = [
            bench_size(
                n, args.rounds, tmp, not args.no_cold, args.only_integrated, args.holder, args.at
            )
            for n in args.sizes
        ]
    finally:
        if not args.tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    if not args.only_integrated:
        print(table(rows))
        print()
        print(cpu_table(rows))
        print()
    print(cold_table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
