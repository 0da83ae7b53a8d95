"""Cold-process timings of `alliance-graph validate`, and of other SHACL engines on the same input.

    python bench/validate_shipped.py                       # our three engines, 5 runs each
    python bench/validate_shipped.py --runs 7 --alt-python /path/to/other/venv/bin/python

Each run is a whole new Python process (imports, parsing, validation, report), timed with
time.perf_counter around subprocess.run; the table gives the median and the spread.

With --alt-python (a virtualenv holding pyshacl-turbo, pyrudof, shacl-rust and oxrdflib,
kept apart so that the project does not depend on them), the same input is also given to
those engines: the ontology, the data and the derived bounds as one N-Triples file, and
the shapes as one Turtle file. Their results are compared with the reference's, as the
multiset of (focus node, source shape), on the shipped data and on a copy
broken in every way the tests break it (tests/test_validate.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

OUR_ENGINE = """
import json, sys
from alliance_graph.validate import validate
report = validate([sys.argv[1]], engine=sys.argv[2])
print(json.dumps({"conforms": report.conforms,
                  "results": [[r.focus, r.shape] for r in report.results]}))
"""

# Each alternative engine: read data.nt and shapes.ttl, print conforms and
# [focus node, source shape] pairs as JSON (IRIs in full). Source shapes, not SPARQL
# constraints: not every engine names the constraint.
ALTERNATIVES = {
    "pySHACL, data in oxrdflib's store": """
import json, sys
from rdflib import Graph
import pyshacl
data = Graph(store="Oxigraph"); data.parse(sys.argv[1], format="nt")
shapes = Graph(); shapes.parse(sys.argv[2], format="turtle")
conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, inplace=True)
SH = "http://www.w3.org/ns/shacl#"
from rdflib import URIRef, RDF
out = []
for r in report.subjects(RDF.type, URIRef(SH + "ValidationResult")):
    src = report.value(r, URIRef(SH + "sourceShape"))
    out.append([str(report.value(r, URIRef(SH + "focusNode"))), str(src)])
print(json.dumps({"conforms": bool(conforms), "results": out}))
""",
    "pyshacl-turbo": """
import json, sys
from rdflib import Graph, URIRef, RDF
import pyshacl_turbo
data = Graph(); data.parse(sys.argv[1], format="nt")
shapes = Graph(); shapes.parse(sys.argv[2], format="turtle")
conforms, report, _ = pyshacl_turbo.validate(data, shacl_graph=shapes, advanced=True, inplace=True)
SH = "http://www.w3.org/ns/shacl#"
out = []
for r in report.subjects(RDF.type, URIRef(SH + "ValidationResult")):
    src = report.value(r, URIRef(SH + "sourceShape"))
    out.append([str(report.value(r, URIRef(SH + "focusNode"))), str(src)])
print(json.dumps({"conforms": bool(conforms), "results": out}))
""",
    "pyrudof": """
import json, sys
import pyrudof
rudof = pyrudof.Rudof(pyrudof.RudofConfig())
rudof.read_data(sys.argv[1], format=pyrudof.RDFFormat.NTriples)
rudof.read_shacl(sys.argv[2], format=pyrudof.ShaclFormat.Turtle)
report = rudof.validate_shacl()
out = [[str(v.focus_node), str(v.source_shape)] for v in report.violations]
conforms = report.conforms() if callable(report.conforms) else report.conforms
print(json.dumps({"conforms": bool(conforms), "results": out}))
""",
    "shacl-rust": """
import json, sys
import shacl_rust
report = shacl_rust.validate_file(sys.argv[1], sys.argv[2])
out = [[str(r.get("focus_node") or r.get("focusNode")),
        str(r.get("source_shape") or r.get("sourceShape"))]
       for r in report["results"]]
print(json.dumps({"conforms": bool(report["conforms"]), "results": out}))
""",
}


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - start, done


def median_spread(samples: list[float]) -> str:
    return f"{statistics.median(samples):.2f} s ({min(samples):.2f}-{max(samples):.2f})"


def prepare(folder: Path) -> dict[str, Path]:
    """shipped.nt, broken.nt (all the tests' breaks), broken.ttl and shapes.ttl."""
    from rdflib import Graph

    from alliance_graph import resources
    from alliance_graph.graph import load

    sys.path.insert(0, str(ROOT / "tests"))  # test_validate.py imports test_terms.py
    spec = importlib.util.spec_from_file_location("breaks", ROOT / "tests" / "test_validate.py")
    breaks = importlib.util.module_from_spec(spec)
    sys.modules["breaks"] = breaks  # dataclasses look their module up there
    spec.loader.exec_module(breaks)
    broken_ttl = folder / "broken.ttl"
    shutil.copy(resources.data_files()[0], broken_ttl)
    breaks.break_all(broken_ttl)
    paths = {
        "shipped": folder / "shipped.nt",
        "broken": folder / "broken.nt",
        "broken.ttl": broken_ttl,
        "shipped.ttl": resources.data_files()[0],
        "shapes": folder / "shapes.ttl",
    }
    load().serialize(paths["shipped"], format="nt", encoding="utf-8")
    load([broken_ttl]).serialize(paths["broken"], format="nt", encoding="utf-8")
    shapes = Graph()
    for path in resources.shapes_files():
        shapes.parse(path)
    shapes.serialize(paths["shapes"], format="turtle")
    return paths


def pairs(answer: dict) -> Counter:
    """(focus, rule) pairs with blank nodes made anonymous, IRIs in full."""
    from alliance_graph.validate import REPORT_PREFIXES

    def full(name: str) -> str:
        name = name.strip("<>")
        if "://" not in name and (name.startswith("_:") or "/" in name or ":" not in name):
            return "_:"  # a blank node: its label differs from engine to engine
        prefix, _, local = name.partition(":")
        if prefix in REPORT_PREFIXES and not local.startswith("//"):
            return REPORT_PREFIXES[prefix] + local
        return name.strip("<>")

    return Counter((full(f), full(r)) for f, r in answer["results"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--alt-python", help="python of a venv with the other engines")
    args = parser.parse_args()

    cli = str(Path(PY).with_name("alliance-graph"))
    engines = {
        "alliance-graph validate (shacl-rust, the default)": [cli, "validate"],
        "alliance-graph validate --engine pyshacl-oxigraph": [
            cli,
            "validate",
            "--engine",
            "pyshacl-oxigraph",
        ],
        "alliance-graph validate --engine pyshacl (the reference)": [
            cli,
            "validate",
            "--engine",
            "pyshacl",
        ],
    }
    times: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(args.runs):  # in turns, so that load drifts hit every engine alike
        for name, cmd in engines.items():
            times[name].append(timed(cmd)[0])
    rows = list(times.items())

    agreement = []
    if args.alt_python:
        with tempfile.TemporaryDirectory() as tmp:
            paths = prepare(Path(tmp))
            reference = {}
            for name in ("shipped", "broken"):
                _, done = timed([PY, "-c", OUR_ENGINE, str(paths[name + (".ttl")]), "pyshacl"])
                reference[name] = pairs(json.loads(done.stdout))
            for engine, code in ALTERNATIVES.items():
                times, verdicts = [], []
                for _ in range(args.runs):
                    seconds, done = timed(
                        [args.alt_python, "-c", code, str(paths["shipped"]), str(paths["shapes"])]
                    )
                    if done.returncode != 0:
                        times = None
                        verdicts.append("fails: " + (done.stderr.strip().splitlines() or ["?"])[-1])
                        break
                    times.append(seconds)
                if times:
                    rows.append((engine, times))
                    for name in ("shipped", "broken"):
                        _, done = timed(
                            [args.alt_python, "-c", code, str(paths[name]), str(paths["shapes"])]
                        )
                        if done.returncode != 0:
                            verdicts.append(f"{name}: fails")
                            continue
                        got = pairs(json.loads(done.stdout))
                        want = reference[name]
                        same = got == want
                        verdicts.append(
                            f"{name}: {sum(got.values())} results, "
                            f"{'same as' if same else 'NOT the same as'} the "
                            f"reference's {sum(want.values())}"
                        )
                agreement.append((engine, "; ".join(verdicts)))

    default = statistics.median(rows[0][1])
    print(f"| engine | cold process, median of {args.runs} (min-max) | vs default |")
    print("|---|---|---|")
    for name, samples in rows:
        print(
            f"| {name} | {median_spread(samples)} | {statistics.median(samples) / default:.1f}x |"
        )
    for engine, verdict in agreement:
        print(f"- {engine}: {verdict}")


if __name__ == "__main__":
    main()
