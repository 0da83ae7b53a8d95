"""Peak memory and wall time of a whole N-Triples/N-Quads export, ours against plain
rdflib and plain pyoxigraph, each in its own process.

    python bench/export_memory.py --triples 1000000 --rounds 1

For each syntax it runs, one after the other (ours, rdflib, pyoxigraph, ours, ...):

- ours: ``alliance-graph export -f FORMAT --data FILE -o OUT`` (parse, blank-node
  labels, derived triples, the parts, sorted lines, atomic write);
- rdflib: a script that parses the ontology files and FILE into an rdflib ``Graph``
  (N-Triples) or ``Dataset`` (N-Quads: the ontology and the data in two named graphs)
  and serialises it to OUT;
- pyoxigraph: a script that loads the same files into a ``Store`` (the same two graphs
  for N-Quads) and dumps it to OUT.

The plain scripts derive nothing and do not sort: they are what a user would write
without the project. Each child's peak resident set comes from ``os.wait4`` (``ru_maxrss``),
its time from the wall clock. The data is synthetic (bench/generate.py, seed 1).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from alliance_graph import resources

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402  (bench/generate.py, the one generator)

_RDFLIB = """
import sys
from rdflib import Dataset, Graph, URIRef
fmt, out, ontology, data = sys.argv[1], sys.argv[2], sys.argv[3:-1], sys.argv[-1]
if fmt == "ntriples":
    g = Graph()
    for path in ontology + [data]:
        g.parse(path, format="turtle")
    g.serialize(out, format="nt", encoding="utf-8")
else:
    d = Dataset()
    for path in ontology:
        d.graph(URIRef("urn:ontology")).parse(path, format="turtle")
    d.graph(URIRef("urn:data")).parse(data, format="turtle")
    d.serialize(out, format="nquads", encoding="utf-8")
"""

_PYOXIGRAPH = """
import sys
import pyoxigraph as ox
fmt, out, ontology, data = sys.argv[1], sys.argv[2], sys.argv[3:-1], sys.argv[-1]
store = ox.Store()
for path in ontology:
    graph = ox.DefaultGraph() if fmt == "ntriples" else ox.NamedNode("urn:ontology")
    store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=graph)
graph = ox.DefaultGraph() if fmt == "ntriples" else ox.NamedNode("urn:data")
store.load(path=data, format=ox.RdfFormat.TURTLE, to_graph=graph)
if fmt == "ntriples":
    store.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
else:
    store.dump(out, format=ox.RdfFormat.N_QUADS)
"""


def run(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[:4]} failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--formats", default="ntriples,nquads")
    parser.add_argument("--variants", default="ours,rdflib,pyoxigraph", help="comma-separated")
    args = parser.parse_args(argv)
    ontology = [str(p) for p in resources.ontology_files()]
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "synthetic.ttl"
        data.write_text(generate(args.triples, 1), encoding="utf-8")
        print(f"| syntax | variant | wall s | peak MiB |  (--triples {args.triples})")
        print("|---|---|---|---|")
        for fmt in args.formats.split(","):
            suffix = ".nt" if fmt == "ntriples" else ".nq"
            out = str(Path(folder) / ("out" + suffix))
            variants = {
                "ours": [sys.executable, "-m", "alliance_graph", "export", "-f", fmt,
                         "--data", str(data), "-o", out],
                "rdflib": [sys.executable, "-c", _RDFLIB, fmt, out, *ontology, str(data)],
                "pyoxigraph": [sys.executable, "-c", _PYOXIGRAPH, fmt, out, *ontology, str(data)],
            }  # fmt: skip
            variants = {k: v for k, v in variants.items() if k in args.variants.split(",")}
            seen: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
            for _ in range(args.rounds):  # interleaved
                for name, command in variants.items():
                    seen[name].append(run(command))
            for name, results in seen.items():
                wall = statistics.median(r[0] for r in results)
                peak = max(r[1] for r in results)
                print(f"| {fmt} | {name} | {wall:.1f} | {peak:.0f} |", flush=True)
    print(f"\npython {sys.version.split()[0]}, {os.cpu_count()} cores, {args.rounds} rounds")


if __name__ == "__main__":
    main()
