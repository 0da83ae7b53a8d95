"""What letting go of inherited sockets adds to a fork (``isolate.release_sockets``).

A forked child points every socket it inherited at /dev/null (docs/testing.md, the
browser stall). This times ``isolate.run`` of a trivial piece of work with and without
that step, interleaved round by round, in a process holding ``--sockets`` connected
socket pairs (a server with clients), and prints the medians and their ratio.

    python bench/fork_release.py --rounds 8 --sockets 20
"""

from __future__ import annotations

import argparse
import socket
import statistics
import time

from alliance_graph import isolate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--sockets", type=int, default=20)
    parser.add_argument("--forks", type=int, default=20, help="forks per round and way")
    args = parser.parse_args()
    held = [socket.socketpair() for _ in range(args.sockets)]
    real = isolate.release_sockets
    times: dict[str, list[float]] = {"with": [], "without": []}
    for r in range(args.rounds):
        order = ["with", "without"] if r % 2 == 0 else ["without", "with"]
        for way in order:
            isolate.release_sockets = real if way == "with" else (lambda keep, devnull: None)
            start = time.perf_counter()
            for _ in range(args.forks):
                isolate.run(lambda: 1, timeout=30, max_memory=None)
            times[way].append((time.perf_counter() - start) / args.forks)
    isolate.release_sockets = real
    a, b = statistics.median(times["with"]), statistics.median(times["without"])
    print(
        f"isolate.run of trivial work, {len(held)} socket pairs held, medians of "
        f"{args.rounds} rounds: with release {a * 1e3:.2f} ms, without {b * 1e3:.2f} ms, "
        f"ratio {a / b:.2f}"
    )


if __name__ == "__main__":
    main()
