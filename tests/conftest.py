"""Shared fixtures (the shipped graph, loaded once; paths to the shipped files) and how
the session runs: in parallel under pytest-xdist, with grlc's environment built in the
background from the start (docs/testing.md)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import grlc_env
import pytest

from alliance_graph import persist, resources
from alliance_graph.graph import load

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "alliance.ttl"
GRLC_TESTS = ROOT / "tests" / "test_grlc.py"

# Workers for the whole suite (`-n auto` in pyproject.toml). Many tests wait on child
# processes and servers, so one worker more than this machine's two cores (not compared
# with 2 or 4: docs/testing.md). ALLIANCE_GRAPH_TEST_WORKERS overrides; so does `-n N`.
WORKERS = 3


def _named_paths(config) -> list[Path]:
    """The paths the command line names (test ids cut at '::'), or the testpaths."""
    base = Path(config.invocation_params.dir)
    return [(base / arg.split("::")[0]).resolve() for arg in config.args]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    """`-n auto`: the suite runs on WORKERS workers, but a run of one file (or of tests
    in one file) stays in this process, as a developer expects from `pytest tests/x.py`."""
    if os.environ.get("ALLIANCE_GRAPH_TEST_WORKERS"):
        return int(os.environ["ALLIANCE_GRAPH_TEST_WORKERS"])
    paths = set(_named_paths(config))
    if len(paths) == 1 and next(iter(paths)).is_file():
        return 0
    return WORKERS


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's default `load`, except that a module starting a server stays on one worker
    (tests/xdist_schedule.py); another `--dist` given on the command line is left alone."""
    if config.getvalue("dist") == "load":
        from xdist_schedule import WholeServerModules

        return WholeServerModules(config, log)
    return None


def pytest_sessionstart(session):
    """Start building grlc's environment now if the grlc tests may run (in the xdist
    controller, or in the only process); the grlc tests wait for it (tests/grlc_env.py)."""
    config = session.config
    if hasattr(config, "workerinput") or config.option.collectonly:
        return
    if any(GRLC_TESTS == p or p in GRLC_TESTS.parents for p in _named_paths(config)):
        grlc_env.build_in_background()


def pytest_unconfigure(config):
    grlc_env.stop_background_build()


@pytest.fixture(scope="session")
def graph():
    """The ontology plus the shipped data, with derived bounds. Do not mutate."""
    return load()


@pytest.fixture(autouse=True)
def _no_store_folder_left_configured():
    """`--store DIR` configures the store folder for the process (alliance_graph.persist)
    and the next command resets it; a test that calls main() with --store, and fails
    there, must not leave it to whatever test the same worker runs next."""
    yield
    persist.configure(None)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the shipped data file, for tests that break it."""
    target = tmp_path / "alliance.ttl"
    shutil.copy(DATA, target)
    return target


@pytest.fixture(scope="session")
def shipped_data_files():
    return resources.data_files()
