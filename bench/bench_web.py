"""Load test of ``alliance-graph serve``, loopback only and bounded, beside Oxigraph's
own server (``oxigraph serve``) answering the same SPARQL.

Both servers run as their own processes on 127.0.0.1; Oxigraph holds the same graph
(pushed through the Graph Store Protocol with its derived bounds). Workloads:

- sparql: every saved query, bound with its documented example, sent as SPARQL 1.1
  Protocol GETs (SPARQL JSON; Turtle for CONSTRUCT) to ours at /sparql and to
  Oxigraph at /query, in the same order;
- api: every saved query through /api/queries/NAME?example (JSON) - ours only;
- pages: entity pages (/resource/NAME, HTML) for the companies and people - ours only.

Each workload runs at each concurrency level: that many client threads, each on its own
keep-alive connection, share ``--requests`` requests. Latencies are per request (p50,
p99), throughput is requests per second of wall time; any status other than 200 or a
failed connection counts as an error. The memory of our server and of its query workers
(the processes it forked, alliance_graph.pool) is sampled every half second: VmRSS
summed, and PSS summed (pages shared copy-on-write counted once), after warm-up and at
the most during the load. Reproduce with:

    python bench/bench_web.py --levels 1,16,200 --requests 1200 --rounds 3

(``--exclude stakes-on-date`` leaves out the one saved query that takes seconds on the
shipped data since its data grew: docs/web.md.)
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from alliance_graph import queries
from alliance_graph.endpoint import push

BIN = Path(sys.executable).parent
ENTITIES = [
    "Renault",
    "NissanMotor",
    "MitsubishiMotors",
    "CarlosGhosn",
    "Daimler",
    "FrenchState",
    "NissanDiesel",
    "Alliance",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.args}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"no answer from {url} within {seconds} s")
        time.sleep(0.1)


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:  # a worker that ended meanwhile
        pass
    return 0


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def tree_memory(pid: int) -> dict:
    """The server and its worker processes: how many, RSS summed, PSS summed (kB)."""
    pids = [pid, *children(pid)]
    return {
        "processes": len(pids),
        "rss_kb": sum(rss_kb(p) for p in pids),
        "pss_kb": sum(pss_kb(p) for p in pids),
    }


class Sampler(threading.Thread):
    """The largest :func:`tree_memory` seen while the load runs."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, {}, threading.Event()

    def run(self):
        while not self.done.wait(0.5):
            now = tree_memory(self.pid)
            for key, value in now.items():
                self.peak[key] = max(value, self.peak.get(key, 0))


def requests_for(
    workload: str, prefix: str, exclude: frozenset = frozenset()
) -> list[tuple[str, str, bytes | None]]:
    """(path, Accept, POST body or None) of one workload; ``prefix`` is the SPARQL path; the saved
    queries named in ``exclude`` are left out."""
    out = []
    catalogue = [q for q in queries.catalogue() if q.name not in exclude]
    if workload in ("sparql", "oxigraph"):
        for q in catalogue:
            text = q.bind(q.example)
            accept = (
                "text/turtle"
                if q.form in ("CONSTRUCT", "DESCRIBE")
                else ("application/sparql-results+json")
            )
            # POSTed (SPARQL 1.1 Protocol, "query via POST directly"): some bound texts
            # pass the 8 kB a server may allow for a request's head, Oxigraph's among them.
            out.append((prefix, accept, text.encode("utf-8")))
    elif workload == "api":
        for q in catalogue:
            params = urllib.parse.urlencode({k: str(v) for k, v in q.example.items()})
            out.append((f"/api/queries/{q.name}?{params}", "application/json", None))
    else:
        out = [(f"/resource/{name}", "text/html", None) for name in ENTITIES]
    return out


def load(port: int, paths: list[tuple[str, str]], clients: int, total: int) -> dict:
    """``clients`` threads on keep-alive connections share ``total`` requests; returns
    the latencies (seconds), the errors and the wall time."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(total))

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            path, accept, body = paths[i % len(paths)]
            start = time.perf_counter()
            try:
                if body is None:
                    conn.request("GET", path, headers={"Accept": accept})
                else:
                    headers = {"Accept": accept, "Content-Type": "application/sparql-query"}
                    conn.request("POST", path, body=body, headers=headers)
                answer = conn.getresponse()
                answer.read()
                ok = answer.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append(time.perf_counter() - start)
            if not ok:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"latencies": latencies, "errors": errors[0], "wall": time.perf_counter() - start}


def summary(runs: list[dict]) -> dict:
    """p50 and p99 over the latencies of every round pooled; requests per second."""
    latencies = sorted(x for r in runs for x in r["latencies"])

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "errors": sum(r["errors"] for r in runs),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(pct(0.99), 2),
        "rps": round(len(latencies) / sum(r["wall"] for r in runs), 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="1,16,200", help="concurrent clients, comma-separated")
    parser.add_argument(
        "--requests", type=int, default=1000, help="requests per workload and level"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds, the workloads interleaved in each"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--exclude",
        default="",
        metavar="NAMES",
        help="saved queries to leave out of the sparql and api workloads, comma-separated "
        "(one that takes seconds would measure only itself)",
    )
    parser.add_argument(
        "--serve-args",
        default="",
        metavar="ARGS",
        help="more options for `alliance-graph serve`, space-separated (e.g. '--max-queries 4')",
    )
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    exclude = frozenset(x for x in args.exclude.split(",") if x)
    unknown = exclude - {q.name for q in queries.catalogue()}
    if unknown:
        parser.error(f"--exclude: no saved query named {', '.join(sorted(unknown))}")

    ours_port, ox_port = free_port(), free_port()
    ours = subprocess.Popen(
        [
            str(BIN / "alliance-graph"),
            "serve",
            *args.serve_args.split(),
            "--port",
            str(ours_port),
            "--max-connections",
            "1024",
        ],
        stderr=subprocess.DEVNULL,
    )
    oxigraph = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    location = tempfile.mkdtemp(prefix="bench-web-oxigraph-")
    oxi = subprocess.Popen(
        [oxigraph, "serve", "--location", location, "--bind", f"127.0.0.1:{ox_port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows = []
    try:
        wait_for(f"http://127.0.0.1:{ours_port}/sparql?query=ASK%7B%7D", ours)
        wait_for(f"http://127.0.0.1:{ox_port}/query?query=ASK%7B%7D", oxi)
        push(f"http://127.0.0.1:{ox_port}/query")
        plans = {
            "sparql": (ours_port, requests_for("sparql", "/sparql", exclude)),
            "oxigraph": (ox_port, requests_for("oxigraph", "/query", exclude)),
            "api": (ours_port, requests_for("api", "", exclude)),
            "pages": (ours_port, requests_for("pages", "")),
        }
        for port, paths in plans.values():  # warm: every request twice
            load(port, paths, 1, 2 * len(paths))
        memory_before = tree_memory(ours.pid)
        sampler = Sampler(ours.pid)
        sampler.start()
        for level in levels:
            runs: dict[str, list] = {name: [] for name in plans}
            per_round = max(args.requests // args.rounds, level)
            for _ in range(args.rounds):  # interleaved: machine noise hits all alike
                for name, (port, paths) in plans.items():
                    runs[name].append(load(port, paths, level, per_round))
            for name in plans:
                figures = summary(runs[name])
                figures.update(workload=name, clients=level)
                rows.append(figures)
                print(json.dumps(figures), flush=True)
        sampler.done.set()
        sampler.join()
        memory_after = tree_memory(ours.pid)
    finally:
        for proc in (ours, oxi):
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(location, ignore_errors=True)

    print()
    print("| clients | workload | requests | errors | p50 ms | p99 ms | req/s | p50 vs Oxigraph |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ox_row = next(
            x for x in rows if x["workload"] == "oxigraph" and x["clients"] == r["clients"]
        )
        ratio = f"{r['p50_ms'] / ox_row['p50_ms']:.2f}x" if r["workload"] == "sparql" else ""
        print(
            f"| {r['clients']} | {r['workload']} | {r['requests']} | {r['errors']} | "
            f"{r['p50_ms']} | {r['p99_ms']} | {r['rps']} | {ratio} |"
        )

    def mb(m):
        return (
            f"{m['processes']} processes, RSS {m['rss_kb'] / 1024:.0f} MB, "
            f"PSS {m['pss_kb'] / 1024:.0f} MB"
        )

    print(f"\nour server and its workers: after warm-up {mb(memory_before)}")
    print(f"at the most during the load: {mb(sampler.peak)}; after it {mb(memory_after)}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "rows": rows,
                    "memory": {"warm": memory_before, "peak": sampler.peak, "after": memory_after},
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
