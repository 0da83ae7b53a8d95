"""BODS at scale: import and export of generated files of 100k and 1M statements.

For each size, a BODS 0.4 JSON array is generated (40% entity statements, the rest
relationship statements with a shareholding and voting rights each, one record in ten
updated by a second statement that changes its share), then each step runs in a fresh
child process, which reports its wall-clock time, its CPU time (user + system: the
figure to compare on a shared machine) and its peak resident memory (``ru_maxrss``):

- ``import``: ``alliance-graph import bods FILE -o OUT.ttl`` (streamed: statement
  by statement, Turtle written as the triples come);
- ``load``: the loader reading the Turtle into a materialised pyoxigraph store
  (``store.open_store``), which an export needs;
- ``export``: the same load, then the BODS export of that store (statements written one
  at a time); the export's own cost is this step less ``load``.

The file size is printed beside the memory, to show that no step holds the JSON twice.

    python bench/bench_bods.py                      # 100k and 1M statements
    python bench/bench_bods.py --sizes 100000 --json /tmp/bods-bench.json
    python bench/bench_bods.py --sizes 1000000 --steps import
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PUB = {"publicationDate": "2024-07-01", "bodsVersion": "0.4", "publisher": {"name": "bench"}}
SRC = {
    "type": ["officialRegister"],
    "description": "generated register",
    "url": "https://register.example.org/",
}


def generate(path: Path, n: int, seed: int = 7) -> dict:
    """Write a BODS array of ``n`` statements; returns the counts."""
    rng = random.Random(seed)
    entities = max(2, int(n * 0.4))
    relationships = n - entities
    updated = relationships // 11  # each adds a second statement
    first = relationships - updated
    counts = {"entities": entities, "relationship_records": first, "updates": updated}

    def sid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128)))

    def interests(pct: float, start: str, end: str | None = None) -> list:
        out = []
        for kind in ("shareholding", "votingRights"):
            i = {
                "type": kind,
                "directOrIndirect": "direct",
                "share": {"exact": pct},
                "startDate": start,
            }
            if end:
                i["endDate"] = end
            out.append(i)
        return out

    with open(path, "w") as f:
        f.write("[\n")
        sep = ""
        for e in range(entities):
            st = {
                "statementId": sid(),
                "declarationSubject": f"e{e}",
                "statementDate": "2020-01-01",
                "recordId": f"e{e}",
                "recordType": "entity",
                "recordStatus": "new",
                "recordDetails": {
                    "isComponent": False,
                    "entityType": {"type": "registeredEntity"},
                    "name": f"Company {e}",
                },
                "publicationDetails": PUB,
                "source": SRC,
            }
            f.write(sep + json.dumps(st, separators=(",", ":")))
            sep = ",\n"
        for r in range(first):
            held = rng.randrange(entities)
            holder = rng.randrange(entities - 1)
            holder += holder >= held
            pct = round(rng.uniform(0.5, 30), 2)
            start = f"{rng.randrange(2000, 2019)}-{rng.randrange(1, 13):02d}-01"
            base = {
                "declarationSubject": f"e{held}",
                "recordId": f"r{r}",
                "recordType": "relationship",
                "publicationDetails": PUB,
                "source": SRC,
            }
            details = {"isComponent": False, "subject": f"e{held}", "interestedParty": f"e{holder}"}
            st = {
                "statementId": sid(),
                "statementDate": "2019-06-30",
                "recordStatus": "new",
                **base,
                "recordDetails": {**details, "interests": interests(pct, start)},
            }
            f.write(sep + json.dumps(st, separators=(",", ":")))
            if r < updated:
                new = round(pct * 0.8, 2)
                st = {
                    "statementId": sid(),
                    "statementDate": "2022-06-30",
                    "recordStatus": "updated",
                    **base,
                    "recordDetails": {
                        **details,
                        "interests": interests(pct, start, "2021-01-01")
                        + interests(new, "2021-01-01"),
                    },
                }
                f.write(sep + json.dumps(st, separators=(",", ":")))
        f.write("\n]\n")
    return counts


CHILD = {
    "import": """
from alliance_graph.bods.importer import ImportReport, write_turtle
report = ImportReport()
with open(OUT, "wb") as out:
    write_turtle(SRC, out, report)
result = {"statements": report.statements, "stakes": report.stakes,
          "skipped": len(report.skipped)}
""",
    "load": """
from alliance_graph.store import open_store
store = open_store([OUT])
result = {"triples": len(store)}
""",
    "export": """
from alliance_graph.store import open_store
from alliance_graph.bods.export import write
store = open_store([OUT])
with open(EXPORTED, "wb") as out:
    report = write(store, out, publication_date="2024-07-01")
result = {"entities": report.entities, "relationships": report.relationships}
""",
}

WRAPPER = """
import json, resource, sys, time
SRC, OUT, EXPORTED = sys.argv[1:4]
t = time.perf_counter()
{body}
usage = resource.getrusage(resource.RUSAGE_SELF)
result["seconds"] = round(time.perf_counter() - t, 2)
result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 2)
result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
print(json.dumps(result))
"""


def run_step(step: str, src: Path, out: Path, exported: Path) -> dict:
    code = WRAPPER.format(body=CHILD[step])
    proc = subprocess.run(
        [sys.executable, "-c", code, str(src), str(out), str(exported)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    parser.add_argument("--keep", metavar="DIR", help="keep the generated files in DIR")
    parser.add_argument(
        "--steps",
        nargs="+",
        choices=list(CHILD),
        default=list(CHILD),
        help="the steps to run (default: all; export needs import's Turtle)",
    )
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            src = folder / f"bods-{n}.json"
            out = folder / f"bods-{n}.ttl"
            exported = folder / f"bods-{n}-exported.json"
            t = time.perf_counter()
            counts = generate(src, n)
            row = {
                "statements": n,
                **counts,
                "generate_seconds": round(time.perf_counter() - t, 2),
                "json_mb": round(os.path.getsize(src) / 2**20, 1),
            }
            for step in args.steps:
                row[step] = run_step(step, src, out, exported)
                print(f"{n:>9} {step:<7} {json.dumps(row[step])}", flush=True)
            if out.exists():
                row["turtle_mb"] = round(os.path.getsize(out) / 2**20, 1)
            if exported.exists():
                row["exported_mb"] = round(os.path.getsize(exported) / 2**20, 1)
            print(json.dumps(row), flush=True)
            results.append(row)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
