"""``validate`` against hostile data files (issue 10 items 12, 13, 15): a time limit, RDF-star,
a token over 16 MiB, deep nesting, errors at the end of a file, a byte-order mark. Each
ends with exit code 2 and a message naming the file (and line), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alliance_graph.cli import main
from alliance_graph.validate import validate
from alliance_graph.validate.limits import ValidationTimeoutError

ROOT = Path(__file__).parents[1]
PREFIX = "@prefix ex: <http://ex/> .\n"


def run_main(capsys, *args):
    with pytest.raises(SystemExit) as exit_:
        main(["validate", *args])
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def nested(depth: int) -> str:
    return PREFIX + "ex:a ex:b " + "[ ex:p " * depth + "ex:c" + " ]" * depth + " .\n"


def test_validate_stops_at_its_timeout_with_exit_2(tmp_path):
    """100,000 nested blank nodes ran past 120 s; --timeout 2 ends it at about 2 s."""
    data = tmp_path / "deep.ttl"
    data.write_text(nested(100_000), encoding="utf-8")
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "alliance_graph", "validate", "--timeout", "2", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    elapsed = time.monotonic() - started
    assert proc.returncode == 2, proc.stderr
    assert "did not finish within 2 s (--timeout)" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert elapsed < 60  # imports and start-up included; the work itself is cut at 2 s


def test_the_python_api_time_limit_stops_the_work(tmp_path):
    data = tmp_path / "deep.ttl"
    data.write_text(nested(100_000), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ValidationTimeoutError, match="within 1 s"):
        validate([data], timeout=1)
    assert time.monotonic() - started < 30


def test_a_negative_timeout_is_refused(capsys):
    code, _, err = run_main(capsys, "--timeout", "-1")
    assert code == 2 and "'--timeout': '-1' is not a number of seconds" in err
    assert "or 0 (no limit)" in err


@pytest.mark.parametrize("engine", ["shacl-rust", "pyshacl"])
def test_validate_refuses_rdf_star_naming_file_and_line(tmp_path, capsys, engine):
    data = tmp_path / "star.ttl"
    data.write_text(PREFIX + "ex:a ex:b ex:c .\n<< ex:a ex:b ex:c >> ex:d ex:e .\n")
    code, _, err = run_main(capsys, "--engine", engine, str(data))
    assert code == 2, err
    assert f"{data}:3" in err  # the line of the quoted triple
    assert "Traceback" not in err
    if engine == "shacl-rust":
        assert "RDF-star (a quoted triple << ... >>) is not supported by validate" in err


def test_a_string_holding_double_angle_brackets_is_not_rdf_star(tmp_path):
    data = tmp_path / "text.ttl"
    data.write_text(PREFIX + 'ex:a ex:b "<< ex:a ex:b ex:c >>" .\n')
    report = validate([data], default_checks=False)
    assert report.triples > 0  # read and validated, not refused


def test_validate_names_a_token_too_long_to_read(tmp_path, capsys):
    data = tmp_path / "huge.ttl"
    data.write_text(PREFIX + 'ex:a ex:b "' + "x" * (17 * 1024 * 1024) + '" .\n')
    code, _, err = run_main(capsys, str(data))
    assert code == 2, err[-2000:]
    assert f"{data}: a token (a string or IRI) is too long to read" in err
    assert "MemoryError" not in err and "Traceback" not in err


def test_deep_nesting_is_validated_on_every_engine(tmp_path, capsys):
    """Valid Turtle nested 2,000 deep: the one loader parses it with pyoxigraph for every
    engine (rdflib's recursive parser never sees it), so it is valid everywhere."""
    data = tmp_path / "deep.ttl"
    data.write_text(nested(2000), encoding="utf-8")
    report = validate([data], default_checks=False)
    assert report.triples > 2000
    reference = validate([data], engine="pyshacl", default_checks=False)
    assert reference.triples == report.triples


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (PREFIX + "ex:a ex:b ex:c\n", "3:1"),  # no final full stop: found at the end
        (PREFIX + "ex:a ex:b <http://ex/c\n\n\n", "2:11"),  # an IRI left open, from where it opens
    ],
)
@pytest.mark.parametrize("engine", ["pyshacl", "shacl-rust"])
def test_an_error_at_the_end_of_the_file_has_no_negative_column(
    tmp_path, capsys, text, where, engine
):
    data = tmp_path / "cut.ttl"
    data.write_text(text)
    code, _, err = run_main(capsys, "--engine", engine, str(data))
    assert code == 2
    assert f"{data}:{where}" in err and "not valid turtle:" in err
    assert ":-" not in err and "nexpected end" in err


def test_a_byte_order_mark_is_read_or_named(tmp_path, capsys):
    body = "ex:a ex:b ex:c .\n"
    leading = tmp_path / "bom.ttl"
    leading.write_bytes(b"\xef\xbb\xbf" + (PREFIX + body).encode())
    for engine in ("shacl-rust", "pyshacl"):
        assert validate([leading], engine=engine, default_checks=False).triples > 0
    inside = tmp_path / "bom-inside.ttl"
    inside.write_bytes((PREFIX + body).encode() + b"\xef\xbb\xbf" + body.encode())
    for engine in ("shacl-rust", "pyshacl"):
        code, _, err = run_main(capsys, "--engine", engine, str(inside))
        assert code == 2
        assert f"{inside}:3:" in err and "U+FEFF (a byte-order mark)" in err
        assert "\ufeff" not in err
