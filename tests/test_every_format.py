"""Every face reads every RDF syntax the one loader reads (issue 9, item 1): the shipped
data written as RDF/XML (.owl), N-Triples, JSON-LD and TriG gives each command the same
answer as the Turtle it came from, and standard input with --data-format does too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from alliance_graph.cli import main

ROOT = Path(__file__).resolve().parents[1]
TURTLE = ROOT / "data" / "alliance.ttl"
SYNTAXES = {
    "owl": ox.RdfFormat.RDF_XML,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
}

# Each face asked one question whose answer reads the data; the answers are compared
# as parsed JSON, so only what the data says can differ.
FACES = {
    "query": ["query", "twins", "-f", "json"],
    "history": [
        "query",
        "stake-history",
        "-p",
        "holder=Renault",
        "-p",
        "held=Nissan",
        "-f",
        "json",
    ],
    # --no-validate: the validate face reads every syntax already.
    "ownership": [
        "ownership",
        "stake",
        "Renault",
        "Nissan",
        "--at",
        "2012-06-30",
        "-f",
        "json",
        "--no-validate",
    ],
    "entities": ["entities", "Nissan", "-f", "json"],
    "compare": [
        "ownership",
        "compare",
        "--scenario",
        str(ROOT / "docs/examples/trust-sale.csv"),
        "--at",
        "2026-07-01",
        "-f",
        "json",
        "--no-validate",
    ],
    "summary": ["summary", "-f", "json"],
    "validate": ["validate", "-f", "json"],
    "export": ["export", "-f", "jsonld", "-o", "-"],
}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The shipped data in each syntax, converted by pyoxigraph (which keeps every
    literal's text as written, so the files hold exactly the same statements)."""
    folder = tmp_path_factory.mktemp("syntaxes")
    quads = list(ox.parse(path=str(TURTLE), format=ox.RdfFormat.TURTLE))
    files = {"ttl": TURTLE}
    for suffix, fmt in SYNTAXES.items():
        path = folder / f"alliance.{suffix}"
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        ox.serialize(triples if fmt.supports_datasets is False else quads, str(path), fmt)
        files[suffix] = path
    return files


def _answer(face: str, argv: list[str], capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out = capsys.readouterr().out
    assert exit_.value.code == 0, (argv, out)
    value = json.loads(out)
    if face == "validate":  # the report names the files it read; the findings are the answer
        return value["conforms"], value["triples"], value["results"]
    return value


@pytest.mark.parametrize("face", sorted(FACES))
def test_every_face_gives_the_turtle_answer_in_every_syntax(face, written, capsys):
    argv = FACES[face]
    expected = _answer(face, [*argv, "--data", str(written["ttl"])], capsys)
    assert expected  # a question with an answer, or agreeing proves little
    for suffix in SYNTAXES:
        got = _answer(face, [*argv, "--data", str(written[suffix])], capsys)
        assert got == expected, (face, suffix)


def test_standard_input_with_data_format(written):
    face = "validate"
    argv = [*FACES[face], "--data", "-", "--data-format", "ntriples"]
    done = subprocess.run(
        [sys.executable, "-m", "alliance_graph", *argv],
        input=written["nt"].read_bytes(),
        capture_output=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    from_file = subprocess.run(
        [sys.executable, "-m", "alliance_graph", *FACES[face], "--data", str(written["ttl"])],
        capture_output=True,
        cwd=ROOT,
        timeout=300,
    )
    got, expected = json.loads(done.stdout), json.loads(from_file.stdout)
    assert got["data_files"] == ["-"]
    assert got["results"] == expected["results"] and got["triples"] == expected["triples"]


def test_plot_reads_rdfxml(written, tmp_path, capsys):
    picture = tmp_path / "network.svg"
    with pytest.raises(SystemExit) as exit_:
        main(["plot", "network", "--at", "2017", "-o", str(picture), "--data", str(written["owl"])])
    assert exit_.value.code == 0, capsys.readouterr().err
    assert picture.read_text().lstrip().startswith("<?xml") and "Nissan" in picture.read_text()
