"""Cold commands import only what they use (issue 14, item 3).

Each command runs in a fresh interpreter (the CLI's own ``main``), which then reports the
modules it imported beyond those of an interpreter that imported nothing. Budgets are
counts of modules, not seconds: a count does not depend on how loaded the machine is, and
one heavy package (rdflib, scipy, networkx...) brings dozens of modules, so an import
that slips in shows up here. The budgets hold today's counts with a little room.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Packages no light command needs: each costs 50 ms to seconds to import.
HEAVY = (
    "rdflib",
    "pyshacl",
    "scipy",
    "networkx",
    "numpy",
    "matplotlib",
    "shacl_rust",
    "pyparsing",
    "SPARQLWrapper",
    "requests",
)

PROBE = """
import json, sys
base = set(sys.modules)
from alliance_graph.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
new = sorted(set(sys.modules) - base)
sys.stdout.flush()
sys.__stderr__.write("\\n@@" + json.dumps(new) + "\\n")
"""

BARE = "import json, sys; sys.stderr.write('@@' + json.dumps(sorted(sys.modules)))"


def _modules(args: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300
    )
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("@@")]
    assert line, done.stderr[-2000:]
    return json.loads(line[-1][2:])


@pytest.mark.parametrize(
    "args, budget, also_refused",
    [
        # The command list comes from a table: no command module, no pyoxigraph.
        (["--help"], 70, ("yaml", "pyoxigraph")),
        (["queries", "--format", "csv"], 175, ()),
        (["query", "twins", "--format", "csv"], 180, ()),
        # One pair's integrated ownership and its timeline in plain Python on a small
        # network: no numpy, scipy or networkx (heavy already), nor rdflib.
        (["ownership", "integrated", "Renault", "Nissan Motor", "--at", "2010-06-30"], 125, ()),
        (["ownership", "timeline", "Renault", "Nissan Motor"], 125, ()),
        (["ownership", "stake", "Renault", "Nissan Motor", "--at", "2010-06-30"], 125, ()),
        # Canonical Turtle written from pyoxigraph's triples: no rdflib graph per statement.
        (["fmt", "--check"], 95, ()),
    ],
)
def test_light_commands_import_little(args, budget, also_refused):
    new = _modules(args)
    tops = {m.split(".")[0] for m in new}
    assert "alliance_graph" in tops  # the probe ran the command
    heavy = sorted(tops & set(HEAVY + also_refused))
    assert not heavy, f"{' '.join(args)} imports {heavy}"
    assert len(new) <= budget, f"{' '.join(args)} imports {len(new)} modules (budget {budget})"


def test_the_probe_sees_what_a_command_loads():
    # The counting itself can fail: running a query loads the graph, listing help does not.
    helped, queried = _modules(["--help"]), _modules(["query", "twins", "--format", "csv"])
    assert "alliance_graph.load" in queried and "pyoxigraph" in queried
    assert "alliance_graph.load" not in helped
    assert len(queried) > len(helped)


# validate and summary read the shapes, run the SPARQL half and name the results in
# pyoxigraph terms, and shacl-rust checks SHACL Core: no rdflib (nor its SPARQL parser,
# pyparsing), no PyYAML (the shipped checks' headers are read without it, tested in
# test_checks.py), no pySHACL, no numeric stack. validate does not import the queries
# package either; summary does, for its queries.
VALIDATING_REFUSED = (
    "rdflib",
    "yaml",
    "pyparsing",
    "pyshacl",
    "scipy",
    "networkx",
    "numpy",
    "matplotlib",
    "SPARQLWrapper",
    "requests",
    "owlrl",
    "pyhornedowl",
)


@pytest.mark.parametrize(
    "args, budget",
    [
        (["validate"], 100),
        (["validate", "--format", "junit"], 110),
        (["summary", "--format", "csv"], 125),
    ],
)
def test_validating_commands_import_no_rdflib_yaml_or_numeric_stack(args, budget):
    new = _modules(args)
    tops = {m.split(".")[0] for m in new}
    assert {"alliance_graph", "pyoxigraph", "shacl_rust"} <= tops  # the probe ran the command
    heavy = sorted(tops & set(VALIDATING_REFUSED))
    assert not heavy, f"{' '.join(args)} imports {heavy}"
    assert "multiprocessing" not in tops  # only a --timeout starts a child
    if args[0] == "validate":
        assert not [m for m in new if m.startswith("alliance_graph.queries")]
    assert len(new) <= budget, f"{' '.join(args)} imports {len(new)} modules (budget {budget})"


def test_validate_with_a_store_configured_opens_it_without_the_queries_package(tmp_path):
    # validate names the store variable itself so as not to import persist without a store;
    # with the variable set, the store is built there, as by every other command.
    from alliance_graph import persist
    from alliance_graph.validate import engines

    assert engines.STORE_VARIABLE == persist.ENV_STORE
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "validate"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, persist.ENV_STORE: str(tmp_path / "kept")},
    )
    new = json.loads([ln for ln in done.stderr.splitlines() if ln.startswith("@@")][-1][2:])
    assert "alliance_graph.persist" in new
    assert not [m for m in new if m.startswith("alliance_graph.queries")]
    assert [p.name for p in (tmp_path / "kept").iterdir() if p.is_dir()], "no store was built"


COUNT_LOADS = """
import sys
import alliance_graph.load as load
calls = []
opened = load.open_store
def counted(*args, **kwargs):
    calls.append(args)
    return opened(*args, **kwargs)
load.open_store = counted
from alliance_graph.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.__stderr__.write("\\n@@%d\\n" % len(calls))
"""


@pytest.mark.parametrize("args, loads", [(["summary", "--format", "csv"], 1), (["validate"], 1)])
def test_a_fresh_process_loads_the_data_once(args, loads):
    # validate opens the store itself unless the queries package (and its cache) is in
    # use; summary imports it before validating, so validating and querying share one load.
    done = subprocess.run(
        [sys.executable, "-c", COUNT_LOADS, *args], capture_output=True, text=True, timeout=300
    )
    counts = [ln for ln in done.stderr.splitlines() if ln.startswith("@@")]
    assert counts, done.stderr[-2000:]
    assert int(counts[-1][2:]) == loads


def test_one_company_with_a_store_imports_no_numeric_stack(tmp_path):
    # Every company Renault reaches, from the index kept beside the store
    # (ownership/by_company.py): the part read, solved in plain Python. The first run
    # builds the store and its kept files; the second only reads them.
    args = [
        "ownership",
        "integrated",
        "https://w3id.org/alliance-graph/resource/Renault",
        "--at",
        "2015-06-30",
        "--store",
        str(tmp_path),
    ]
    _modules(args)
    new = _modules(args)
    tops = {m.split(".")[0] for m in new}
    assert "alliance_graph" in tops and "sqlite3" in tops  # the probe ran the command
    heavy = sorted(tops & set(HEAVY))
    assert not heavy, f"{' '.join(args)} imports {heavy}"
    assert len(new) <= 125, f"{' '.join(args)} imports {len(new)} modules (budget 125)"


def test_a_wide_company_with_a_store_imports_no_graph_library(tmp_path):
    # A holder whose part is too large for plain Python takes the sparse path on the part,
    # its matrix built straight from the day's figures: scipy, and no networkx graph.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import generate as gen

    from alliance_graph import ownership as own
    from alliance_graph.load import open_store
    from alliance_graph.ownership import light

    data = tmp_path / "net.ttl"
    data.write_text(gen.generate(40000, seed=3))
    store = open_store([data], store_dir=tmp_path / "kept")
    h = own.holdings_from_store(store)
    out: dict[str, set[str]] = {}
    for x in h.stakes:
        out.setdefault(x.holder, set()).add(x.held)
    widest = max(sorted(out), key=lambda a: len(light.reach(out, a)))
    rows = own.integrated(store, widest, None, "2020-02")  # builds the kept index
    assert len(rows) > light.MAX_NODES  # the part is past plain Python's limit
    del store
    args = ["ownership", "integrated", widest, "--at", "2020-02", "--no-validate"]
    args += ["--data", str(data), "--store", str(tmp_path / "kept"), "-f", "csv"]
    tops = {m.split(".")[0] for m in _modules(args)}
    assert "scipy" in tops and "sqlite3" in tops  # the sparse path on the part ran
    assert "networkx" not in tops, f"{' '.join(args)} imports networkx"
