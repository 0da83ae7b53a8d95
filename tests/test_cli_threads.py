"""The command runs numpy's BLAS on one thread unless the user says otherwise
(cli.main; why in docs/ownership.md, "Scale")."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import os, sys
from alliance_graph.cli import main
try:
    main(["ownership", "integrated", "Renault", "Nissan Motor", "--at", "2010-06-30"])
except SystemExit as exc:
    assert exc.code == 0, exc.code
import numpy  # what numpy's OpenBLAS reads when it starts
print(os.environ.get("OPENBLAS_NUM_THREADS"))
"""


def _threads(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if env_value is not None:
        env["OPENBLAS_NUM_THREADS"] = env_value
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_one_blas_thread_by_default():
    assert _threads(None) == "1"


def test_the_users_setting_wins():
    assert _threads("2") == "2"
