"""Time every export format on the shipped graph: median of three runs, and output size.

    python bench/export_times.py

Prints the Markdown table of docs/export.md. Graph-shaped formats run with --at 2015-06-30.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from alliance_graph import export as E


def size_of(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir())
    return path.stat().st_size


def main(runs: int = 3) -> None:
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


if __name__ == "__main__":
    main()
