"""The on-disk store (``--store DIR``, issue 14 item 5): the same graph as a reload,
rebuilt only when a file's contents change, shared by readers at once."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from alliance_graph import persist
from alliance_graph.cli import main
from alliance_graph.load import open_store
from alliance_graph.resources import data_files

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TINY = """@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix res: <https://w3id.org/alliance-graph/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
res:Acme a ag:Company ; rdfs:label "Acme Widgets" .
"""


def _plain(store) -> list[str]:
    # Blank nodes get new labels at every load: compare the rest, and count everything.
    return sorted(
        str(q) for q in store if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))
    )


def _count(store) -> int:
    return int(next(iter(store.query(COUNT)))["n"].value)


def test_a_kept_store_holds_what_a_reload_holds(tmp_path):
    kept = open_store(store_dir=tmp_path)
    fresh = open_store()
    assert len(kept) == len(fresh) > 4000
    assert _plain(kept) == _plain(fresh)
    # The derived triples are in it too (day bounds, best-rank marks).
    ask = "ASK { ?s a <https://w3id.org/alliance-graph/ontology#BestRank> }"
    assert bool(kept.query(ask))
    assert len(persist.builds(tmp_path)) == 1


def test_the_store_is_reused_while_the_bytes_are_the_same(tmp_path):
    data = tmp_path / "tiny.ttl"
    data.write_text(TINY, encoding="utf-8")
    folder = tmp_path / "store"
    first = open_store([data], store_dir=folder)
    (built,) = persist.builds(folder)
    stamp = (built / "sources").stat().st_mtime_ns
    del first
    # Touched, not changed: the same store.
    os.utime(data, ns=(1, 1))
    open_store([data], store_dir=folder)
    assert persist.builds(folder) == [built]
    assert (built / "sources").stat().st_mtime_ns == stamp
    # Changed: a new store with the new triple; the file is named in its sources.
    data.write_text(TINY + 'res:Acme rdfs:label "Acme" .\n', encoding="utf-8")
    changed = open_store([data], store_dir=folder)
    assert len(persist.builds(folder)) == 2
    label = "SELECT ?l WHERE { <https://w3id.org/alliance-graph/resource/Acme> "
    label += "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    assert sorted(s["l"].value for s in changed.query(label)) == ["Acme", "Acme Widgets"]
    assert str(data) in (persist.builds(folder)[-1] / "sources").read_text()


def test_a_kept_store_is_read_only(tmp_path):
    store = open_store(store_dir=tmp_path)
    with pytest.raises(RuntimeError, match="read-write"):
        store.add(
            ox.Quad(ox.NamedNode("http://e.x/a"), ox.NamedNode("http://e.x/b"), ox.Literal("c"))
        )


def test_old_builds_are_pruned(tmp_path):
    data = tmp_path / "tiny.ttl"
    for i in range(persist.KEEP + 2):
        data.write_text(TINY + f'res:Acme rdfs:comment "{i}" .\n', encoding="utf-8")
        open_store([data], store_dir=tmp_path / "store")
    assert len(persist.builds(tmp_path / "store")) == persist.KEEP


def _reader(folder: str, data: str, out) -> None:
    store = open_store([data], store_dir=folder)
    out.put(_count(store))


def test_concurrent_readers_build_once_and_agree(tmp_path):
    data = tmp_path / "tiny.ttl"
    data.write_text(TINY, encoding="utf-8")
    folder = str(tmp_path / "store")
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_reader, args=(folder, str(data), out)) for _ in range(4)]
    for p in procs:
        p.start()
    counts = [out.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    expected = _count(open_store([data]))
    assert counts == [expected] * 4
    assert len(persist.builds(folder)) == 1
    leftovers = [p.name for p in Path(folder).iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_the_cli_option_and_the_environment_variable(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "store"
    with pytest.raises(SystemExit) as exit_:
        main(["sparql", COUNT, "--format", "csv", "--store", str(folder)])
    assert exit_.value.code == 0
    with_store = capsys.readouterr().out
    assert len(persist.builds(folder)) == 1
    with pytest.raises(SystemExit):
        main(["sparql", COUNT, "--format", "csv"])
    assert capsys.readouterr().out == with_store  # the same count from a reload
    assert persist.configured() is None  # the option lasts one command
    other = tmp_path / "other"
    monkeypatch.setenv(persist.ENV_STORE, str(other))
    with pytest.raises(SystemExit):
        main(["entities", "nissan", "--format", "csv"])
    assert "NissanMotor" in capsys.readouterr().out
    assert len(persist.builds(other)) == 1


def test_a_bad_store_folder_is_a_usage_error(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(SystemExit) as exit_:
        main(["sparql", COUNT, "--store", str(afile)])
    assert exit_.value.code == 2
    assert "--store" in capsys.readouterr().err


def test_a_missing_data_file_is_named(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["sparql", COUNT, "--data", str(tmp_path / "nope.ttl"), "--store", str(tmp_path)])
    assert exit_.value.code == 2
    assert "nope.ttl" in capsys.readouterr().err


def test_shipped_files_are_hashed_by_content(tmp_path):
    # Two copies of the same bytes have the same key; one changed byte gives another.
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    shutil.copy(data_files()[0], a)
    shutil.copy(data_files()[0], b)
    assert persist.key_of([a])[0] == persist.key_of([b])[0]
    b.write_bytes(b.read_bytes() + b"\n")
    assert persist.key_of([a])[0] != persist.key_of([b])[0]


# --- the warm path: names given as IRIs need no names index ------------------------------

RES = "https://w3id.org/alliance-graph/resource/"


@pytest.mark.parametrize(
    "written", [RES + "MitsubishiMotors", f"<{RES}MitsubishiMotors>", "res:MitsubishiMotors"]
)
def test_an_iri_parameter_answers_as_the_name_does(written):
    from alliance_graph import queries

    by_name = queries.run("entity-card", {"entity": "Mitsubishi Motors"}).rows
    assert by_name  # the label resolves through the full index
    assert queries.run("entity-card", {"entity": written}).rows == by_name


def test_an_iri_of_nothing_labelled_is_still_refused():
    from alliance_graph import queries
    from alliance_graph.errors import ParameterError

    with pytest.raises(ParameterError, match="entity"):
        queries.run("entity-card", {"entity": "res:NoSuchCompanyAnywhere"})
