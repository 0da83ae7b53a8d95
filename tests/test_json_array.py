"""Reading a JSON array one value at a time (bods/json_array.py): the same values as
json.loads whatever the chunk boundaries, errors named by line, and nesting bounded."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys

import pytest

from alliance_graph.bods import json_array
from alliance_graph.bods.json_array import JsonArrayError, values


def _random_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return rng.randrange(-(10**6), 10**6)
    if kind == 1:
        return rng.choice([0.5, 1e-7, 36.8, -2.25e10, 12345.678])
    if kind == 2:
        return "".join(rng.choice('ab "\\\n\té€😀,[]{}') for _ in range(rng.randrange(12)))
    if kind == 3:
        return rng.choice([True, False, None])
    if kind == 4:
        return "x" * rng.randrange(40)
    if kind == 5:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {f"k{i}é": _random_value(rng, depth + 1) for i in range(rng.randrange(4))}


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
def test_the_values_are_those_json_loads_reads_whatever_the_chunks(monkeypatch, chunk):
    monkeypatch.setattr(json_array, "_CHUNK", chunk)
    rng = random.Random(chunk)
    for _ in range(40):
        array = [_random_value(rng) for _ in range(rng.randrange(6))]
        text = json.dumps(array, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]))
        data = text.encode("utf-8")
        assert list(values(io.BytesIO(data))) == json.loads(text), text


def test_a_byte_order_mark_and_white_space_are_allowed():
    data = "\ufeff \n [ 1 ,\n 2 ] \n".encode()
    assert list(values(io.BytesIO(data))) == [1, 2]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('{"a": 1}', "not a JSON array", 1),
        ("[1, 2", "the array is not closed", 1),
        ("[1,\n2,\n]", "a value is missing after ','", 3),
        ("[1\n 2]", "expected ',' or ']'", 2),
        ('[1,\n{"a": tru}]', "not valid JSON", 2),
        ("[1] [2]", "text after the end of the array", 1),
        ("[\n\n" + "[" * 5000 + "]" * 5000 + "]", "nested too deeply", 3),
    ],
)
def test_bad_text_is_named_with_its_line(text, message, line):
    with pytest.raises(JsonArrayError, match=message) as caught:
        list(values(io.BytesIO(text.encode())))
    assert caught.value.line == line


def test_not_utf8_is_an_error():
    with pytest.raises(JsonArrayError, match="not UTF-8"):
        list(values(io.BytesIO(b'["\xff"]')))


DEEP = "import sys; sys.stdout.write('[' * 100000 + ']' * 100000)"


@pytest.mark.parametrize(("name", "body"), [
    ("deep.json", DEEP),
    ("deep.jsonl", DEEP),
    ("statement.json", "import sys; sys.stdout.write('[{\"statementId\": \"x\", "
     "\"recordType\": \"entity\", \"a\": ' + '[' * 100000 + ']' * 100000 + '}]')"),
])  # fmt: skip
def test_deep_nesting_is_exit_2_in_bounded_memory(tmp_path, name, body):
    # 100,000 nested brackets in a 200 KB file took 23 GB through ijson: here a child
    # process capped at 1 GiB of address space must answer with a message, not die.
    path = tmp_path / name
    path.write_text(subprocess.run([sys.executable, "-c", body], capture_output=True,
                                   text=True, check=True).stdout)  # fmt: skip
    cap = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30)); "
        "from alliance_graph.cli import main; sys.argv = sys.argv[1:]; main()"
    )
    argv = ["alliance-graph", "import", "bods", str(path), "-o", str(tmp_path / "out.ttl")]
    if name == "statement.json":  # read as BODS by every --data command
        argv = ["alliance-graph", "summary", "--data", str(path)]
    proc = subprocess.run([sys.executable, "-c", cap, *argv], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert f"{path}:1: nested too deeply" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out.ttl").exists()
