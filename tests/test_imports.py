"""Cold commands import only what they use (issue 14, item 3).

Each command runs in a fresh interpreter (the CLI's own ``main``), which then reports the
modules it imported beyond those of an interpreter that imported nothing. Budgets are
counts of modules, not seconds: a count does not depend on how loaded the machine is, and
one heavy package (rdflib, scipy, networkx...) brings dozens of modules, so an import
that slips in shows up here. The budgets hold today's counts with a little room.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Packages no light command needs: each costs 50 ms to seconds to import.
HEAVY = ("rdflib", "pyshacl", "scipy", "networkx", "numpy", "matplotlib", "shacl_rust",
         "pyparsing", "SPARQLWrapper", "requests")

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


# validate and summary need rdflib (the shapes graph) and shacl-rust, but not rdflib's
# SPARQL parser (pyparsing: the shipped checks are trusted, tested in test_checks.py),
# pySHACL, or the numeric stack.
VALIDATING_REFUSED = ("pyparsing", "pyshacl", "scipy", "networkx", "numpy", "matplotlib",
                      "SPARQLWrapper", "requests", "owlrl", "pyhornedowl")


@pytest.mark.parametrize("args", [["validate"], ["summary", "--format", "csv"]])
def test_validating_commands_import_no_parser_and_no_numeric_stack(args):
    new = _modules(args)
    tops = {m.split(".")[0] for m in new}
    assert {"alliance_graph", "rdflib", "shacl_rust"} <= tops  # the probe ran the command
    heavy = sorted(tops & set(VALIDATING_REFUSED))
    assert not heavy, f"{' '.join(args)} imports {heavy}"
    assert "multiprocessing" not in tops  # only a --timeout starts a child
    assert len(new) <= 310, f"{' '.join(args)} imports {len(new)} modules (budget 310)"


def test_one_company_with_a_store_imports_no_numeric_stack(tmp_path):
    # Every company Renault reaches, from the index kept beside the store
    # (ownership/by_company.py): the part read, solved in plain Python. The first run
    # builds the store and its kept files; the second only reads them.
    args = ["ownership", "integrated", "https://w3id.org/alliance-graph/resource/Renault",
            "--at", "2015-06-30", "--store", str(tmp_path)]
    _modules(args)
    new = _modules(args)
    tops = {m.split(".")[0] for m in new}
    assert "alliance_graph" in tops and "sqlite3" in tops  # the probe ran the command
    heavy = sorted(tops & set(HEAVY))
    assert not heavy, f"{' '.join(args)} imports {heavy}"
    assert len(new) <= 125, f"{' '.join(args)} imports {len(new)} modules (budget 125)"
