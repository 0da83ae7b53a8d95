"""A reader that stops early (``alliance-graph ... | head``) does not change the command's
exit code: the rest of the output is dropped, and the code is still 0, 1 or 2 as the
command decided, with nothing on stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BROKEN = """@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
<http://ex/a> ag:percent "x" .
<http://ex/b> ag:percent "y" .
"""


def _first_line_only(argv: list[str]) -> tuple[int, bytes]:
    child = subprocess.Popen(
        [sys.executable, "-m", "alliance_graph", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert child.stdout.readline()  # the reader takes one line and goes
    child.stdout.close()
    err = child.stderr.read()
    return child.wait(timeout=300), err


@pytest.mark.parametrize("argv", [["summary"], ["validate", "--ontology"]])
def test_a_reader_that_leaves_early_keeps_exit_code_0(argv):
    code, err = _first_line_only(argv)
    assert (code, err) == (0, b"")


def test_violations_still_exit_1(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN)
    code, err = _first_line_only(["validate", "--data", str(path)])
    assert (code, err) == (1, b"")
