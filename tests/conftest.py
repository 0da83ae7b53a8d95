"""Shared fixtures: the shipped graph, loaded once, and paths to the shipped files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alliance_graph import resources
from alliance_graph.graph import load

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "alliance.ttl"


@pytest.fixture(scope="session")
def graph():
    """The ontology plus the shipped data, with derived bounds. Do not mutate."""
    return load()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the shipped data file, for tests that break it."""
    target = tmp_path / "alliance.ttl"
    shutil.copy(DATA, target)
    return target


@pytest.fixture(scope="session")
def shipped_data_files():
    return resources.data_files()
