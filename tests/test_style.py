"""The repository follows its own lint and format rules ([tool.ruff] in pyproject.toml):
what `ruff check .` and `ruff format --check .` say before a commit, held in CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff_finds_nothing(args):
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, (
        f"ruff {' '.join(args)} found problems (run it and fix them):\n" + done.stdout + done.stderr
    )
