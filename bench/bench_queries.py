"""Benchmark of the saved queries: the CLI against bare rdflib and bare pyoxigraph.

(a) The whole catalogue on the shipped data, each query with its documented example:

- cold: a fresh process per query, as a user at the shell: ``alliance-graph query NAME
  -p ... --format csv``, beside a bare rdflib script and a bare pyoxigraph script that
  parse the same graph (already materialised, so they skip that work) and run the same
  bound query text;
- warm: in one process, the query through ``alliance_graph.queries.run`` on a loaded
  store, beside ``rdflib.Graph.query`` and ``pyoxigraph.Store.query`` on loaded graphs.

(b) The point-in-time query (stakes-on-date) and the pair-history query (stake-history)
on synthetic ownership data from bench/generate.py at about 10k, 100k and 1M triples,
in process through alliance_graph (pyoxigraph), bare pyoxigraph, rdflib's Memory store,
and an Oxigraph server (``oxigraph serve``, queried over HTTP).

Every timing is the median of ``--repeat`` runs (min in brackets for cold runs); the
engines run side by side in one invocation, interleaved, so that machine noise hits
them alike. Reproduce with:

    python bench/bench_queries.py --part a --repeat 7
    python bench/bench_queries.py --part b --sizes 10000,100000,1000000
    python bench/bench_queries.py --part c --repeat 5 [--no-bytecode] [--against DIR]

(c) Every command but plot and export, cold on the shipped data, beside ``python -c
pass`` and beside a bare shacl-rust script that validates the same data (ontology, data
and derived bounds, written out as N-Triples) against the same shapes (one N-Triples file),
prepared before the rounds; in interleaved rounds, with the ratio validate / shacl-rust.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from alliance_graph import queries  # noqa: E402
from alliance_graph.endpoint import push  # noqa: E402
from alliance_graph.store import open_store  # noqa: E402

BIN = Path(sys.executable).parent
CLI = str(BIN / "alliance-graph")

RDFLIB_SCRIPT = """
import sys, rdflib
g = rdflib.Graph()
g.parse(sys.argv[1], format="turtle")
result = g.query(open(sys.argv[2], encoding="utf-8").read())
print(sum(1 for _ in result))
"""

PYOX_SCRIPT = """
import sys, pyoxigraph
s = pyoxigraph.Store()
s.load(path=sys.argv[1], format=pyoxigraph.RdfFormat.TURTLE)
result = s.query(open(sys.argv[2], encoding="utf-8").read())
print(sum(1 for _ in result) if not isinstance(result, pyoxigraph.QueryBoolean) else 1)
"""


def median(values):
    return statistics.median(values)


# Cold runs see the package as an installed one does: with .pyc files (pip compiles them
# at install; an editable install writes them on first use). --no-bytecode measures the
# other case, PYTHONDONTWRITEBYTECODE=1 with no cache: every module of alliance_graph is
# compiled at each start (site-packages keep their .pyc either way).
ENV = dict(os.environ)


def run_cold(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-1000:]}")
    return elapsed


def materialised_turtle(store: ox.Store, path: Path) -> Path:
    """The store's default graph as Turtle: what the bare scripts parse."""
    triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    ox.serialize(triples, str(path), format=ox.RdfFormat.TURTLE, prefixes=queries.PREFIXES)
    return path


def consume(result) -> int:
    """Iterate a pyoxigraph result touching every value, as a caller would."""
    if isinstance(result, ox.QueryBoolean):
        return 1
    if isinstance(result, ox.QuerySolutions):
        names = result.variables
        n = 0
        for solution in result:
            for v in names:
                solution[v]
            n += 1
        return n
    return sum(1 for _ in result)


def warm(fn, repeat: int) -> float:
    fn()  # first call: caches, lazy imports
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


# --- (a) the catalogue on the shipped data ----------------------------------------------


def part_a(args, out: dict) -> None:
    import rdflib

    tmp = Path(tempfile.mkdtemp(prefix="bench-queries-"))
    store = open_store()
    ttl = materialised_turtle(store, tmp / "shipped-materialised.ttl")
    graph = rdflib.Graph().parse(ttl, format="turtle")
    catalogue = queries.catalogue()
    rows = []
    baseline = [run_cold([sys.executable, "-c", "pass"]) for _ in range(args.repeat)]
    for q in catalogue:
        text = q.bind(q.example)
        rq = tmp / f"{q.name}.rq"
        rq.write_text(text, encoding="utf-8")
        params = [a for k, v in q.example.items() for a in ("-p", f"{k}={v}")]
        commands = {
            "cli": [CLI, "query", q.name, *params, "--format", "csv"],
            "rdflib": [sys.executable, "-c", RDFLIB_SCRIPT, str(ttl), str(rq)],
            "pyoxigraph": [sys.executable, "-c", PYOX_SCRIPT, str(ttl), str(rq)],
        }
        cold = {name: [] for name in commands}
        for _ in range(args.repeat):  # interleaved: noise hits all three alike
            for name, cmd in commands.items():
                cold[name].append(run_cold(cmd))
        row = {
            "query": q.name,
            **{f"cold_{k}": median(v) for k, v in cold.items()},
            **{f"cold_{k}_min": min(v) for k, v in cold.items()},
            "warm_ours": warm(lambda q=q: queries.run(q, q.example, store=store), args.warm),
            "warm_rdflib": warm(lambda t=text: len(list(graph.query(t))), args.warm),
            "warm_pyoxigraph": warm(lambda t=text: consume(store.query(t)), args.warm),
        }
        rows.append(row)
        print(
            f"{q.name:20} cold cli {row['cold_cli']:.3f} rdflib {row['cold_rdflib']:.3f} "
            f"pyox {row['cold_pyoxigraph']:.3f} | warm ours {row['warm_ours'] * 1e3:.2f} ms "
            f"rdflib {row['warm_rdflib'] * 1e3:.2f} ms pyox {row['warm_pyoxigraph'] * 1e3:.2f} ms",
            file=sys.stderr,
        )
    out["a"] = {
        "python_startup": median(baseline),
        "triples": len(store),
        "rows": rows,
        "bytecode": out.get("bytecode", True),
    }
    shutil.rmtree(tmp, ignore_errors=True)


def table_a(data: dict) -> str:
    lines = [
        f"Shipped graph: {data['triples']} triples after materialisation; "
        f"`python -c pass` takes {data['python_startup'] * 1e3:.0f} ms; .pyc files "
        f"for alliance_graph: {'yes' if data.get('bytecode', True) else 'no'}.",
        "",
        "| query | cold CLI s | cold bare rdflib s | cold bare pyoxigraph s | CLI / rdflib "
        "| warm ours ms | warm rdflib ms | warm pyoxigraph ms | ours / pyoxigraph |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in data["rows"]:
        lines.append(
            f"| {r['query']} | {r['cold_cli']:.3f} ({r['cold_cli_min']:.3f}) "
            f"| {r['cold_rdflib']:.3f} ({r['cold_rdflib_min']:.3f}) "
            f"| {r['cold_pyoxigraph']:.3f} ({r['cold_pyoxigraph_min']:.3f}) "
            f"| {r['cold_cli'] / r['cold_rdflib']:.2f} "
            f"| {r['warm_ours'] * 1e3:.2f} | {r['warm_rdflib'] * 1e3:.1f} "
            f"| {r['warm_pyoxigraph'] * 1e3:.2f} | {r['warm_ours'] / r['warm_pyoxigraph']:.2f} |"
        )
    rows = data["rows"]
    lines.append(
        f"| **median** | {median([r['cold_cli'] for r in rows]):.3f} "
        f"| {median([r['cold_rdflib'] for r in rows]):.3f} "
        f"| {median([r['cold_pyoxigraph'] for r in rows]):.3f} "
        f"| {median([r['cold_cli'] / r['cold_rdflib'] for r in rows]):.2f} "
        f"| {median([r['warm_ours'] for r in rows]) * 1e3:.2f} "
        f"| {median([r['warm_rdflib'] for r in rows]) * 1e3:.1f} "
        f"| {median([r['warm_pyoxigraph'] for r in rows]) * 1e3:.2f} "
        f"| {median([r['warm_ours'] / r['warm_pyoxigraph'] for r in rows]):.2f} |"
    )
    return "\n".join(lines)


# --- (c) every command, cold, on the shipped data -----------------------------------------

COMMANDS = {
    "--help": ["--help"],
    "queries": ["queries", "-f", "csv"],
    "query twins": ["query", "twins", "-f", "csv"],
    "sparql": ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "csv"],
    "entities": ["entities", "nissan", "-f", "csv"],
    "summary": ["summary", "-f", "csv"],
    "validate": ["validate"],
    "ownership stake": ["ownership", "stake", "Renault", "Nissan Motor", "--at", "2010-06-30"],
    "ownership integrated": [
        "ownership",
        "integrated",
        "Renault",
        "Nissan Motor",
        "--at",
        "2010-06-30",
    ],
    "ownership timeline": ["ownership", "timeline", "Renault", "Nissan Motor"],
    "fmt --check": ["fmt", "--check"],
}


SHACL_RUST_SCRIPT = """
import sys, shacl_rust
data = open(sys.argv[1], encoding="utf-8").read()
shapes = open(sys.argv[2], encoding="utf-8").read()
report = shacl_rust.validate(data, shapes, data_format="nt", shapes_format="nt")
print(report["conforms"], len(report["results"]))
"""
AGAINST = "--against tree"
BARE_SHACL = "shacl-rust alone"
BARE_CORE = "shacl-rust alone, its share of the shapes"


def bare_shacl_inputs(folder: Path) -> tuple[Path, Path, Path]:
    """The inputs of the bare scripts, as files: the loaded store's N-Triples (ontology,
    data, derived bounds and ranks); the shipped shapes as one N-Triples file; and the
    shapes as `validate` hands them to shacl-rust (the SPARQL constraints and targets it
    answers in Oxigraph taken out), for the second bare script."""
    from alliance_graph import resources
    from alliance_graph.store import to_ntriples
    from alliance_graph.validate.engines import read_shapes
    from alliance_graph.validate.sparql_constraints import (
        SparqlConstraints,
        resolve_sparql_targets,
    )

    store = open_store()
    data, shapes, core = folder / "data.nt", folder / "shapes.nt", folder / "core.nt"
    data.write_bytes(to_ntriples(store))
    graph = read_shapes(list(resources.shapes_files()))
    shapes.write_text(graph.ntriples(), encoding="utf-8")
    share = resolve_sparql_targets(SparqlConstraints(graph, store).without_handled(), store)
    core.write_text(share.ntriples(), encoding="utf-8")
    return data, shapes, core


def part_c(args, out: dict) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    data, shapes, core = bare_shacl_inputs(folder)
    runs = {"python -c pass": [sys.executable, "-c", "pass"]}
    runs[BARE_SHACL] = [sys.executable, "-c", SHACL_RUST_SCRIPT, str(data), str(shapes)]
    runs[BARE_CORE] = [sys.executable, "-c", SHACL_RUST_SCRIPT, str(data), str(core)]
    runs |= {name: [CLI, *argv] for name, argv in COMMANDS.items()}
    envs = {name: ENV for name in runs}
    if args.against:  # the same commands from another source tree, in the same rounds
        other = dict(ENV, PYTHONPATH=str(Path(args.against).resolve() / "src"))
        for name, argv in COMMANDS.items():
            runs[f"{name} [{AGAINST}]"] = [CLI, *argv]
            envs[f"{name} [{AGAINST}]"] = other
    times: dict = {name: [] for name in runs}
    cpu: dict = {name: [] for name in runs}  # the child's user + system seconds
    order = list(runs)
    for i in range(args.repeat):  # interleaved, each command first in turn
        k = i % len(order)
        for name in order[k:] + order[:k]:
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                runs[name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=envs[name]
            )
            times[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime)
    shutil.rmtree(folder, ignore_errors=True)
    out["c"] = {
        name: {"median": median(ts), "min": min(ts), "cpu": median(cpu[name])}
        for name, ts in times.items()
    }
    out["c_ratio"] = {
        bare: median([v / b for v, b in zip(times["validate"], times[bare], strict=True)])
        for bare in (BARE_SHACL, BARE_CORE)
    }
    # CPU time moves far less with the machine's load than the wall clock does.
    out["c_cpu_ratio"] = {
        bare: median([v / b for v, b in zip(cpu["validate"], cpu[bare], strict=True)])
        for bare in (BARE_SHACL, BARE_CORE)
    }
    if args.against:
        out["c_against"] = {
            name: median(
                [t / o for t, o in zip(times[name], times[f"{name} [{AGAINST}]"], strict=True)]
            )
            for name in COMMANDS
        }
    out["c_bytecode"] = out.get("bytecode", True)
    out["c_load"] = os.getloadavg()


def table_c(data: dict, bytecode: bool) -> str:
    """The (c) table from the whole ``out`` of :func:`part_c`."""
    lines = [
        f".pyc files for alliance_graph: {'yes' if bytecode else 'no (compiled at each start)'}",
        "",
        "| command | median s | min s | CPU s (median) |",
        "|---|---|---|---|",
    ]
    for name, t in data["c"].items():
        cpu = f"{t['cpu']:.3f}" if "cpu" in t else ""
        lines.append(f"| `{name}` | {t['median']:.3f} | {t['min']:.3f} | {cpu} |")
    if "c_against" in data:
        lines += [
            "",
            f"| command | this tree / {AGAINST} (median of per-round ratios) |",
            "|---|---|",
        ]
        lines += [f"| `{name}` | {r:.2f} |" for name, r in data["c_against"].items()]
    lines += [
        "",
        *(
            f"validate / {bare}: {ratio:.2f} (median of the per-round ratios)"
            for bare, ratio in data["c_ratio"].items()
        ),
        *(
            f"validate / {bare}, CPU time: {ratio:.2f} (median of the per-round ratios)"
            for bare, ratio in data.get("c_cpu_ratio", {}).items()
        ),
        "load average at the end (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in data["c_load"]),
    ]
    return "\n".join(lines)


# --- (b) synthetic data at three sizes ----------------------------------------------------


class OxigraphServer:
    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        exe = BIN / "oxigraph"
        self.proc = subprocess.Popen(
            [str(exe if exe.exists() else "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}/query"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "?query=ASK%7B%7D", timeout=2):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("oxigraph serve did not start") from None
                time.sleep(0.1)

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)


def busiest_pair(store: ox.Store) -> tuple[str, str]:
    best = next(
        iter(
            store.query(
                "PREFIX ag: <https://w3id.org/alliance-graph/ontology#>\n"
                "SELECT ?h ?d (COUNT(*) AS ?n) WHERE { ?s a ag:Shareholding ; ag:holder ?h ; "
                "ag:held ?d } GROUP BY ?h ?d ORDER BY DESC(?n) STR(?h) STR(?d) LIMIT 1"
            )
        )
    )
    return best["h"].value, best["d"].value


def part_b(args, out: dict) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-queries-b-"))
    server = OxigraphServer()
    results: list = []
    try:
        for size in args.sizes:
            bench_size(size, args, tmp, server, results)
    finally:
        server.close()
        shutil.rmtree(tmp, ignore_errors=True)
    out["b"] = {"date": args.date, "rows": results}


def bench_size(size: int, args, tmp: Path, server: OxigraphServer, results: list) -> None:
    import rdflib
    from generate import generate

    repeat = args.repeat if size < 1_000_000 else args.repeat_large
    # The engines are timed warm, each after one untimed run, in turns.
    data = tmp / f"syn-{size}.ttl"
    data.write_text(generate(size, seed=1), encoding="utf-8")
    start = time.perf_counter()
    store = open_store([data])
    load_ours = time.perf_counter() - start
    ttl = materialised_turtle(store, tmp / f"syn-{size}-materialised.ttl")
    holder, held = busiest_pair(store)
    point = queries.get("stakes-on-date")
    history = queries.get("stake-history")
    p_point = {"date": args.date}
    p_history = {"holder": holder, "held": held, "claims": "all"}
    texts = {"point": point.bind(p_point), "history": history.bind(p_history)}

    bare = ox.Store()
    start = time.perf_counter()
    bare.load(path=str(ttl), format=ox.RdfFormat.TURTLE)
    load_bare = time.perf_counter() - start

    start = time.perf_counter()
    push(server.url, replace=True, data=[data], timeout=600)
    load_server = time.perf_counter() - start

    engines = {
        "alliance-graph (pyoxigraph)": (
            load_ours,
            lambda: len(queries.run(point, p_point, store=store)),
            lambda: len(queries.run(history, p_history, store=store)),
        ),
        "bare pyoxigraph": (
            load_bare,
            lambda: consume(bare.query(texts["point"])),
            lambda: consume(bare.query(texts["history"])),
        ),
        "Oxigraph server (HTTP)": (
            load_server,
            lambda: len(queries.run(point, p_point, endpoint=server.url, timeout=600)),
            lambda: len(queries.run(history, p_history, endpoint=server.url)),
        ),
    }
    if size <= args.rdflib_max:
        start = time.perf_counter()
        graph = rdflib.Graph().parse(ttl, format="turtle")
        load_rdflib = time.perf_counter() - start
        engines["rdflib Memory"] = (
            load_rdflib,
            lambda: len(list(graph.query(texts["point"]))),
            lambda: len(list(graph.query(texts["history"]))),
        )
    counts = {name: (fns[1](), fns[2]()) for name, fns in engines.items()}  # warm-up
    times: dict = {name: {"point": [], "history": []} for name in engines}
    for rep in range(repeat):  # interleaved: noise hits every engine alike
        for name, (_, point_fn, history_fn) in engines.items():
            if name == "rdflib Memory" and size >= 1_000_000 and rep > 0:
                continue  # minutes a run: once is enough
            times[name]["point"].append(_once(point_fn))
            times[name]["history"].append(_once(history_fn))
    for name, (load, _, _) in engines.items():
        row = {
            "size": size,
            "triples": len(store),
            "engine": name,
            "load": load,
            "point": median(times[name]["point"]),
            "point_rows": counts[name][0],
            "history": median(times[name]["history"]),
            "history_rows": counts[name][1],
        }
        results.append(row)
        print(
            f"{size:>8} {name:28} load {load:7.2f} s  point {row['point']:8.3f} s "
            f"({row['point_rows']} rows)  history {row['history']:8.4f} s "
            f"({row['history_rows']} rows)",
            file=sys.stderr,
        )


def _once(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def table_b(data: dict) -> str:
    lines = [
        f"Point in time: stakes-on-date, date={data['date']}, reading=certain. Pair history: "
        "stake-history of the pair with the most stakes, claims=all.",
        "",
        "| size (target) | triples loaded | engine | load s | point-in-time s | rows "
        "| pair history s | rows | point vs bare pyoxigraph | rdflib / this |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    by_size: dict = {}
    for r in data["rows"]:
        by_size.setdefault(r["size"], {})[r["engine"]] = r
    for size, engines in by_size.items():
        bare = engines["bare pyoxigraph"]["point"]
        rdflib_point = engines.get("rdflib Memory", {}).get("point")
        for name, r in engines.items():
            vs_rdflib = f"{rdflib_point / r['point']:.0f}x" if rdflib_point else "n/a"
            lines.append(
                f"| {size:,} | {r['triples']:,} | {name} | {r['load']:.2f} | {r['point']:.3f} "
                f"| {r['point_rows']} | {r['history']:.4f} | {r['history_rows']} "
                f"| {r['point'] / bare:.2f} | {vs_rdflib} |"
            )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["a", "b", "c", "all"], default="all")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (median)")
    parser.add_argument("--warm", type=int, default=20, help="warm runs per query in (a)")
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[10_000, 100_000, 1_000_000],
    )
    parser.add_argument("--repeat-large", type=int, default=3, help="runs at 1M triples")
    parser.add_argument(
        "--rdflib-max", type=int, default=1_000_000, help="skip rdflib above this size"
    )
    parser.add_argument("--date", default="2010-06-30")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--against",
        metavar="DIR",
        help="(c) also run every command from the source tree DIR (its src/ first on "
        "PYTHONPATH; e.g. `git archive main | tar -x -C DIR`), in the same rounds",
    )
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="cold CLI runs without .pyc files for alliance_graph (compiled at each start)",
    )
    args = parser.parse_args(argv)
    package = Path(queries.__file__).parents[1]  # alliance_graph, not alliance_graph.queries
    packages = [package]
    if args.against:
        packages.append(Path(args.against).resolve() / "src" / "alliance_graph")
    if args.no_bytecode:
        ENV["PYTHONDONTWRITEBYTECODE"] = "1"
        for cache in (c for pkg in packages for c in pkg.rglob("__pycache__")):
            shutil.rmtree(cache)
    else:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        run_cold([CLI, "queries"])  # writes the .pyc files once
        for argv in COMMANDS.values() if args.against else ():
            subprocess.run(
                [CLI, *argv],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=dict(ENV, PYTHONPATH=str(packages[1].parent)),
            )
    out: dict = {"bytecode": not args.no_bytecode}
    if args.part in ("a", "all"):
        part_a(args, out)
        print("\n## (a) the catalogue on the shipped data\n\n" + table_a(out["a"]))
    if args.part in ("b", "all"):
        part_b(args, out)
        print("\n## (b) synthetic data\n\n" + table_b(out["b"]))
    if args.part in ("c", "all"):
        part_c(args, out)
        print("\n## (c) every command, cold\n\n" + table_c(out, out["c_bytecode"]))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
