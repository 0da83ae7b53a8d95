"""Validation at scale: every engine on synthetic graphs of 10k, 100k and 1M triples.

    python bench/bench_validate.py                          # 10k, 100k, 1M; 3 runs; 240 s cap
    python bench/bench_validate.py --sizes 10000 --runs 5 --timeout 600

The graphs come from bench/generate.py (the project's one generator: stakes in the n-ary
pattern, dates of every precision, competing claims) with ``--broken`` violations of each
temporal rule. Every timing is a whole cold process, as a user or CI runs it: interpreter
start, imports, parsing, deriving day bounds, validating, writing the JSON report. Each
engine runs the same command, ``alliance-graph validate FILE --engine E --format json``,
and "plain pySHACL" is the ``pyshacl`` command itself on the same graph written out as
N-Triples with the ontology and the derived bounds, and the shapes as one Turtle file
(its preparation is not timed). Engines run in turns, size by size; a run that passes the
time cap is stopped and reported as "> N s", and the engine is not run on larger graphs.
The table gives the median of the runs (one run at 1M triples: say so in the docs) and the
ratio to plain pySHACL.

Results are compared with the reference engine's (pySHACL): focus node, rule, severity,
path, value, file and line, with the two things SPARQL leaves open normalised (the order
of a GROUP_CONCAT and the lexical form of a computed number). Where the reference did not
finish, with the pyshacl-oxigraph engine's, and the table says so.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENGINES = ["shacl-rust", "pyshacl-oxigraph", "pyshacl"]
PLAIN = "plain pySHACL"
BROKEN = {10_000: 3, 100_000: 10, 1_000_000: 30}


def run(cmd: list[str], timeout: float) -> tuple[float | None, subprocess.CompletedProcess | None]:
    """Seconds of a whole process, or None when it passed the cap (then it is killed)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None, None
    seconds = time.perf_counter() - start
    return seconds, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def prepare(size: int, folder: Path) -> dict[str, Path]:
    """The generated Turtle, and for plain pySHACL: N-Triples with ontology and bounds, and
    the shapes as one file."""
    from rdflib import Graph

    from alliance_graph import resources
    from alliance_graph.store import open_store, to_ntriples

    ttl = folder / f"synthetic-{size}.ttl"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            "--triples",
            str(size),
            "--seed",
            "1",
            "--broken",
            str(BROKEN.get(size, max(1, size // 30_000))),
            "-o",
            str(ttl),
        ],
        check=True,
    )
    nt = folder / f"synthetic-{size}-with-ontology.nt"
    nt.write_bytes(to_ntriples(open_store([ttl])))
    shapes = folder / "shapes.ttl"
    if not shapes.exists():
        graph = Graph()
        for path in resources.shapes_files():
            graph.parse(path)
        graph.serialize(shapes, format="turtle")
    return {"ttl": ttl, "nt": nt, "shapes": shapes}


def command(engine: str, files: dict[str, Path], out: Path) -> list[str]:
    if engine == PLAIN:
        return [
            str(BIN / "pyshacl"),
            "-s",
            str(files["shapes"]),
            "-i",
            "none",
            "-a",
            "-f",
            "table",
            "-o",
            str(out),
            str(files["nt"]),
        ]
    return [
        str(BIN / "alliance-graph"),
        "validate",
        str(files["ttl"]),
        "--engine",
        engine,
        "--format",
        "json",
        "-o",
        str(out),
    ]


def comparable(path: Path) -> list[tuple] | None:
    try:
        report = json.loads(path.read_text())
    except (OSError, ValueError):
        return None

    def number(text):  # 129.40 (rdflib's sum) and 129.4 (Oxigraph's) are one number
        return re.sub(r"\b(\d+)\.(\d*?)0+\b", lambda m: m[1] + ("." + m[2] if m[2] else ""), text)

    def message(text):
        text = number(text)
        return tuple(sorted(p.strip() for p in re.split(r"[,():]|\sand\s", text) if p.strip()))

    def value(text):
        return number(text.strip('"')) if text else text

    return sorted(
        (
            r["focus_label"] if r["focus"].startswith("_:") else r["focus"],
            r["rule"],
            r["severity"],
            r["path"],
            value(r["value"]),
            message(r["message"]),
            r["line"],
        )
        for r in report["results"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per engine (1 at 1M)")
    parser.add_argument("--timeout", type=float, default=240.0, help="cap per run, seconds")
    parser.add_argument("--engines", nargs="+", default=[*ENGINES, PLAIN])
    args = parser.parse_args()

    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    folder = Path(tempfile.mkdtemp(prefix="bench-validate-"))
    table: dict[int, dict[str, str]] = {}
    agreement: dict[int, dict[str, str]] = {}
    medians: dict[int, dict[str, float]] = {}
    gave_up: set[str] = set()
    triples: dict[int, int] = {}
    try:
        for size in args.sizes:
            files = prepare(size, folder)
            triples[size] = sum(1 for _ in files["nt"].open("rb"))
            runs = 1 if size >= 1_000_000 else args.runs
            table[size], agreement[size], medians[size] = {}, {}, {}
            samples: dict[str, list[float]] = {e: [] for e in args.engines}
            for _turn in range(runs):  # engines in turns, so that load drifts hit all alike
                for engine in args.engines:
                    if engine in gave_up or (samples[engine] is None):
                        continue
                    out = folder / f"{engine}-{size}.out"
                    seconds, done = run(command(engine, files, out), args.timeout)
                    if seconds is None:
                        samples[engine] = None
                        continue
                    if done.returncode not in (0, 1):
                        raise SystemExit(f"{engine} failed on {size}: {done.stderr[-2000:]}")
                    samples[engine].append(seconds)
            for engine in args.engines:
                if engine in gave_up:
                    table[size][engine] = "not run (over the cap on a smaller graph)"
                elif samples[engine] is None:
                    table[size][engine] = f"> {args.timeout:.0f} s"
                    gave_up.add(engine)
                else:
                    median = statistics.median(samples[engine])
                    medians[size][engine] = median
                    spread = (
                        f" ({min(samples[engine]):.2f}-{max(samples[engine]):.2f})"
                        if len(samples[engine]) > 1
                        else " (1 run)"
                    )
                    table[size][engine] = f"{median:.2f} s{spread}"
            reference_name = next(
                (e for e in ("pyshacl", "pyshacl-oxigraph") if e in medians[size]), None
            )
            if reference_name:
                reference = comparable(folder / f"{reference_name}-{size}.out")
                for engine in ENGINES:
                    if engine in medians[size] and engine != reference_name:
                        same = comparable(folder / f"{engine}-{size}.out") == reference
                        agreement[size][engine] = (
                            f"{'same results as' if same else 'DIFFERENT results from'} "
                            f"{reference_name} ({len(reference)} results)"
                        )
            print(f"{size}: {table[size]}", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    header = "| engine | " + " | ".join(
        f"{s // 1000}k ({triples[s] // 1000}k with ontology and bounds)" for s in args.sizes
    )
    print(header + " |")
    print("|---" * (len(args.sizes) + 1) + "|")
    for engine in args.engines:
        cells = []
        for size in args.sizes:
            cell = table[size][engine]
            plain = medians[size].get(PLAIN)
            mine = medians[size].get(engine)
            if plain and mine and engine != PLAIN:
                cell += f", {plain / mine:.1f}x faster than plain pySHACL"
            cells.append(cell)
        print(f"| {engine} | " + " | ".join(cells) + " |")
    for size in args.sizes:
        for engine, verdict in agreement[size].items():
            print(f"- {size // 1000}k, {engine}: {verdict}")


if __name__ == "__main__":
    main()
