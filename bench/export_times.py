"""Export benchmarks: every format on the shipped graph, and RDF exports against their
serialisers on growing graphs.

    python bench/export_times.py                      # every format, shipped graph
    python bench/export_times.py --scaling            # RDF exports: shipped, 10k, 100k
    python bench/export_times.py --scaling --sizes shipped,10000,100000,1000000 --rounds 3

The first prints the format table of docs/export.md (median of three in-process exports;
graph-shaped formats with --at 2015-06-30).

``--scaling`` prints the scaling table of docs/export.md. For each size (triples of
synthetic data from bench/generate.py, seed 1, plus the ontology; ``shipped`` is the
shipped data) it loads the graph once with ``export.load_parts`` and then, in interleaved
rounds (ours, the plain serialiser, ours, ...), times in the same process:

- each RDF export as the project writes it (``FORMATS[name].writer``), to a file as
  ``export -o FILE`` does (``--to memory``: into a ``BytesIO``);
- a plain rdflib serialise of the same graph in the same syntax, with nothing added:
  ``Graph.serialize`` of ``longturtle``, ``nt``, ``pretty-xml`` and ``json-ld`` (the
  shipped context), and for N-Quads and TriG a prebuilt rdflib ``Dataset`` holding the
  four named graphs;
- for N-Triples and N-Quads, pyoxigraph's own serialiser (``Store.dump``) of a prebuilt
  store holding the same triples or quads;
- with ``--unsorted``, for N-Triples and N-Quads, the export's own steps less the sort:
  pyoxigraph's serialiser over the same quads, the text split into lines and joined
  again (N-Quads: graph by graph, the graph name put in by the join). It is what the
  export would cost if the lines needed no sorting, so ours / unsorted is the sort's
  share;
- for N-Triples up to 20,000 triples (``--before-up-to``), the export as it was before
  blank nodes were named at load: rdflib's canonical blank nodes
  (``rdflib.compare.to_canonical_graph``) on every export, which grows about
  quadratically.

Every variant writes to the same kind of sink, a new file in a temporary folder by
default (what an export and ``Store.dump(path)`` do), so none pays for a copy the others
skip. Until 2026-12-02 07:40 UTC ours wrote into a ``BytesIO`` whose whole value was
then copied out (157 MB at 1M triples), against ``Store.dump`` returning bytes: the rows
of docs/export.md from before then were measured that way.

It prints medians, the ratio of medians ours / rdflib, the ratio of the fastest rounds
(less sensitive to other work on a shared machine) and ours / pyoxigraph. Building the
prebuilt graphs and stores is not timed.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from alliance_graph import export as E
from alliance_graph.export.rdf import lines_of, write_lines

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402  (bench/generate.py, the one generator)

RDF = ("turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld")
BEFORE_UP_TO = 20_000  # the canonicalising export takes minutes beyond this


def size_of(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir())
    return path.stat().st_size


def every_format(runs: int = 3) -> None:
    start = time.perf_counter()
    parts = E.load_parts()
    print(f"load_parts: {time.perf_counter() - start:.2f} s ({len(parts.full)} triples)")
    print("| format | median s | KiB |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name, fmt in E.FORMATS.items():
            target = Path(folder) / (name + (fmt.suffixes[0] if fmt.suffixes else ""))
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                E.export(name, target, parts=parts, at="2015-06-30" if fmt.dated else None)
                times.append(time.perf_counter() - start)
            kib = size_of(target) / 1024
            print(f"| {name} | {statistics.median(times):.2f} | {kib:.0f} |")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")


def _ours(parts, name):
    def run(out):
        E.FORMATS[name].writer(parts, out, E.Options())

    return run


def _bytes(run) -> bytes:
    out = io.BytesIO()
    run(out)
    return out.getvalue()


def _baselines(parts, formats, against) -> dict:
    """name -> {variant: callable}: the plain serialisers, on prebuilt inputs (only those
    ``formats`` and ``against`` need: at 1M triples each rdflib copy of the graph takes a
    GB or two)."""
    from alliance_graph.load import add_quads

    needs = set(formats)
    with_rdflib = "rdflib" in against
    graph = parts.full if with_rdflib and needs - {"nquads", "trig"} else None
    data = None
    if with_rdflib and needs & {"nquads", "trig"}:
        data = Dataset()
        for graph_name, quads in parts.named_quads():
            add_quads(data.graph(graph_name), quads)
    triples = quads = None
    if "ntriples" in needs:
        triples = ox.Store()
        triples.load(_bytes(_ours(parts, "ntriples")), format=ox.RdfFormat.N_TRIPLES)
    if "nquads" in needs:
        quads = ox.Store()
        quads.load(_bytes(_ours(parts, "nquads")), format=ox.RdfFormat.N_QUADS)
    context = E.context()
    default = ox.DefaultGraph()
    return {
        "turtle": {"rdflib": lambda out: graph.serialize(out, "longturtle", encoding="utf-8")},
        "ntriples": {
            "rdflib": lambda out: graph.serialize(out, "nt", encoding="utf-8"),
            "pyoxigraph": lambda out: triples.dump(
                out, format=ox.RdfFormat.N_TRIPLES, from_graph=default
            ),
        },
        "nquads": {
            "rdflib": lambda out: data.serialize(out, "nquads", encoding="utf-8"),
            "pyoxigraph": lambda out: quads.dump(out, format=ox.RdfFormat.N_QUADS),
        },
        "trig": {"rdflib": lambda out: data.serialize(out, "trig", encoding="utf-8")},
        "rdfxml": {"rdflib": lambda out: graph.serialize(out, "pretty-xml", encoding="utf-8")},
        "jsonld": {
            "rdflib": lambda out: graph.serialize(
                out, "json-ld", context=context, auto_compact=True, encoding="utf-8"
            )
        },
    }


def _unsorted(parts, name):
    """The line export's steps with the sort left out (see the module's help)."""

    def run(out):
        if name == "ntriples":
            write_lines(out, lines_of(parts.triples()), b"\n")
            return
        for graph_name, part in parts.named_quads():  # as the writer: split, join, no sort
            write_lines(out, lines_of(part, b" .\n"), f" <{graph_name}> .\n".encode())

    return run


def _before(parts):
    """N-Triples as the export wrote it before: canonical blank nodes on every export."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    def run(out):
        canon = Graph()
        for triple in to_canonical_graph(parts.full):
            canon.add(triple)
        text = canon.serialize(format="nt", encoding="utf-8")
        out.write(b"\n".join(sorted(line for line in text.splitlines() if line.strip())) + b"\n")

    return run


def _time(run, sink: Path | None) -> float:
    """Seconds ``run`` takes to write into a new file at ``sink`` (opened and closed in
    the time), or into a ``BytesIO`` when ``sink`` is None."""
    if sink is not None:
        sink.unlink(missing_ok=True)  # a new file each time: no truncation in the time
    gc.collect()
    start = time.perf_counter()
    if sink is None:
        run(io.BytesIO())
    else:
        with open(sink, "wb") as out:
            run(out)
    return time.perf_counter() - start


def scaling(
    sizes: list[str],
    rounds: int,
    before: int,
    formats: tuple[str, ...],
    slow_rounds: int | None = None,
    against: tuple[str, ...] = ("rdflib", "pyoxigraph"),
    unsorted: bool = False,
    to: str = "file",
) -> None:
    print(
        "| triples | format | ours s | rdflib s | ours/rdflib | (fastest rounds) "
        "| pyoxigraph s | ours/pyoxigraph |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            if size == "shipped":
                data = None
            else:
                path = Path(folder) / f"synthetic-{size}.ttl"
                path.write_text(generate(int(size), 1), encoding="utf-8")
                data = [path]
            start = time.perf_counter()
            parts = E.load_parts(data)
            loaded = time.perf_counter() - start
            print(
                f"<!-- {size}: load_parts {loaded:.1f} s, {len(parts.union)} triples -->",
                flush=True,
            )
            baselines = _baselines(parts, formats, against)
            for name in formats:
                others = {k: v for k, v in baselines[name].items() if k in against}
                variants = {"ours": _ours(parts, name), **others}
                if unsorted and name in ("ntriples", "nquads"):
                    variants["unsorted"] = _unsorted(parts, name)
                if name == "ntriples" and len(parts.union) <= before:
                    variants["before"] = _before(parts)
                times: dict[str, list[float]] = {v: [] for v in variants}
                line_based = name in ("ntriples", "nquads")
                count = rounds if line_based or slow_rounds is None else slow_rounds
                sink = Path(folder) / "written" if to == "file" else None
                for _ in range(count):  # interleaved: load changes hit every variant alike
                    for variant, run in variants.items():
                        times[variant].append(_time(run, sink))
                median = {v: statistics.median(t) for v, t in times.items()}
                fastest = {v: min(t) for v, t in times.items()}
                ours, plain = median["ours"], median.get("rdflib", float("nan"))
                ox_cell = ratio = ""
                if "pyoxigraph" in median:
                    ox_cell = f"{median['pyoxigraph']:.3f}"
                    ratio = (
                        f"{ours / median['pyoxigraph']:.2f}× "
                        f"({fastest['ours'] / fastest['pyoxigraph']:.2f}×)"
                    )
                print(
                    f"| {len(parts.union):,} | {name} | {ours:.3f} | {plain:.3f} | "
                    f"{ours / plain:.2f}× | {fastest['ours'] / fastest.get('rdflib', plain):.2f}× "
                    f"| {ox_cell} | {ratio} |",
                    flush=True,
                )
                if "unsorted" in median and "pyoxigraph" in median:
                    pairs = zip(times["unsorted"], times["pyoxigraph"], strict=True)
                    per_round = [a / b for a, b in pairs]
                    print(
                        f"| {len(parts.union):,} | {name}, lines not sorted | "
                        f"{median['unsorted']:.3f} | | | | {ox_cell} | "
                        f"{median['unsorted'] / median['pyoxigraph']:.2f}× "
                        f"(per round {statistics.median(per_round):.2f}×; "
                        f"ours / unsorted {ours / median['unsorted']:.2f}×) |",
                        flush=True,
                    )
                if "before" in median:
                    print(
                        f"| {len(parts.union):,} | ntriples, canonicalised as before | "
                        f"{median['before']:.3f} | {plain:.3f} | {median['before'] / plain:.1f}× "
                        f"| {fastest['before'] / fastest.get('rdflib', plain):.1f}× | | |",
                        flush=True,
                    )
            del parts, baselines
    print(
        f"\npython {sys.version.split()[0]}, {os.cpu_count()} cores, {rounds} rounds, "
        f"written to {'a file' if to == 'file' else 'memory'}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scaling", action="store_true", help="RDF exports vs serialisers")
    parser.add_argument("--sizes", default="shipped,10000,100000", help="comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--formats", default=",".join(RDF), help="comma-separated RDF formats")
    parser.add_argument(
        "--before-up-to",
        type=int,
        default=BEFORE_UP_TO,
        metavar="TRIPLES",
        help="time the canonicalising export of before up to this many triples",
    )
    parser.add_argument(
        "--slow-rounds",
        type=int,
        metavar="N",
        help="rounds for Turtle, TriG, RDF/XML and JSON-LD (default --rounds): minutes each at 1M",
    )
    parser.add_argument(
        "--against",
        default="rdflib,pyoxigraph",
        help="baselines to time (comma-separated): leave rdflib out at 1M on a busy machine",
    )
    parser.add_argument(
        "--unsorted",
        action="store_true",
        help="also time N-Triples and N-Quads with the sort left out (the sort's share)",
    )
    parser.add_argument(
        "--to",
        choices=("file", "memory"),
        default="file",
        help="where every variant writes: a new file (default), or a BytesIO",
    )
    args = parser.parse_args(argv)
    if args.scaling:
        formats = tuple(f for f in args.formats.split(",") if f)
        against = tuple(args.against.split(","))
        sizes = args.sizes.split(",")
        scaling(
            sizes,
            args.rounds,
            args.before_up_to,
            formats,
            args.slow_rounds,
            against,
            args.unsorted,
            args.to,
        )
    else:
        every_format()


if __name__ == "__main__":
    main()
