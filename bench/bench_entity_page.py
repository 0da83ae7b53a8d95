"""An entity page read afresh against the same page kept (issue 15's goal: an entity page
under 50 ms p50 warm on the shipped data).

*first view*: the page of an entity the server has not shown yet - its four queries,
their rows grouped, every fact rendered: what every view of the page cost before the
facts were kept (web.entity_view.FactCache). *again*: the same page once more, on
another day each time (only the certainty of each fact is worked out and rendered). In
process (Starlette's TestClient, the whole HTTP stack but the socket), the two
interleaved in each round; medians over the rounds. Reproduce with:

    python bench/bench_entity_page.py --rounds 9
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings

warnings.filterwarnings("ignore", message="Using `httpx`")

from starlette.testclient import TestClient  # noqa: E402

from alliance_graph.web import Settings, create_app, entity_view  # noqa: E402

ENTITIES = ["Renault", "NissanMotor", "MitsubishiMotors", "CarlosGhosn", "Alliance"]
DAYS = ["2001-06-30", "2015-06-30", "2019-07-01", "2012-06", "2003"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    app = create_app(Settings())
    backend = app.state.backend
    times = {(e, k): [] for e in ENTITIES for k in ("first", "again")}
    sizes = {}
    with TestClient(app) as client:

        def get(name, day):
            start = time.perf_counter()
            answer = client.get(f"/resource/{name}?at={day}", headers={"Accept": "text/html"})
            assert answer.status_code == 200, name
            sizes[name] = len(answer.content)
            return time.perf_counter() - start

        for name in ENTITIES:
            get(name, DAYS[0])  # the store, the templates, the imports
        for r in range(args.rounds):
            for name in ENTITIES:
                entity_view.forget(backend)
                times[(name, "first")].append(get(name, DAYS[r % len(DAYS)]))
                times[(name, "again")].append(get(name, DAYS[(r + 1) % len(DAYS)]))
    print("| entity | HTML kB | first view ms | again ms | first / again |")
    print("|---|---:|---:|---:|---:|")
    for name in ENTITIES:
        first = statistics.median(times[(name, "first")]) * 1000
        again = statistics.median(times[(name, "again")]) * 1000
        print(
            f"| {name} | {sizes[name] / 1000:.0f} | {first:.1f} | {again:.1f} | "
            f"{first / again:.1f}x |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
