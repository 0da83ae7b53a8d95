"""What is kept beside an on-disk store (issue 14 item 5): the ownership index and the
names index, built once, read back by later processes, rebuilt when stale or damaged,
and never a different answer from the one computed from the store."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from alliance_graph import entities, names, names_kept, persist
from alliance_graph.cli import main
from alliance_graph.errors import UnknownEntityError
from alliance_graph.load import open_store
from alliance_graph.ownership import holdings_from_store, kept


@pytest.fixture(scope="module")
def fresh():
    """The shipped data's Holdings and Names from a store in memory (nothing kept)."""
    store = open_store()
    return holdings_from_store(store), names.from_store(store)


def _kept_file(folder: Path, name: str) -> Path:
    (build,) = persist.builds(folder)
    return build / f"{name}.json"


def test_holdings_survive_the_json_round_trip(fresh):
    h, _ = fresh
    assert len(h.stakes) > 40 and h.set_aside
    data = json.loads(json.dumps(kept.encode(h)))
    back = kept.decode(data)
    assert back == h  # every stake, label, kind, entity and set-aside reason
    assert back.stakes == h.stakes and back.set_aside == h.set_aside


def test_a_persistent_store_keeps_its_holdings(tmp_path, fresh):
    h, _ = fresh
    assert holdings_from_store(open_store(store_dir=tmp_path)) == h
    path = _kept_file(tmp_path, "holdings")
    assert path.is_file()
    stamp = path.stat().st_mtime_ns
    # A later opening reads the file: it is not written again, and says the same.
    again = holdings_from_store(open_store(store_dir=tmp_path))
    assert again == h
    assert path.stat().st_mtime_ns == stamp
    # A store in memory keeps nothing.
    assert persist.folder_of(open_store()) is None


@pytest.mark.parametrize(
    "damage",
    [
        "flip a digit",
        "truncate",
        "empty",
        "other version",
        "other store",
        "not json",
        "wrong shape",
    ],
)
def test_a_damaged_or_stale_file_is_rebuilt(tmp_path, fresh, damage):
    h, _ = fresh
    holdings_from_store(open_store(store_dir=tmp_path))
    path = _kept_file(tmp_path, "holdings")
    raw = path.read_bytes()
    head, payload = raw.split(b"\n", 1)
    header = json.loads(head)
    if damage == "flip a digit":
        # A stake's figure changed without its digest: believed, it would be a wrong answer.
        at = payload.index(b",", payload.index(b'"stakes"')) + 1
        while not payload[at : at + 1].isdigit():
            at += 1
        digit = payload[at : at + 1]
        bad = head + b"\n" + payload[:at] + (b"1" if digit != b"1" else b"2") + payload[at + 1 :]
    elif damage == "truncate":
        bad = raw[: len(raw) // 2]
    elif damage == "empty":
        bad = b""
    elif damage == "other version":
        bad = json.dumps(dict(header, version="holdings-0")).encode() + b"\n" + payload
    elif damage == "other store":
        bad = json.dumps(dict(header, store="0" * 32)).encode() + b"\n" + payload
    elif damage == "not json":
        bad = b"\x00\x01garbage\n\xff"
    else:  # valid JSON, valid digest, but not a Holdings layout
        wrong = b'{"stakes": 3}'
        digest = __import__("hashlib").blake2b(wrong, digest_size=20).hexdigest()
        bad = json.dumps(dict(header, digest=digest)).encode() + b"\n" + wrong
    path.write_bytes(bad)
    assert holdings_from_store(open_store(store_dir=tmp_path)) == h
    assert path.read_bytes() == raw  # rewritten as it was built


NAMES_TRIED = (
    "Nissan",
    "renault",
    "nissan motor",
    "res:RenaultGroup",
    "Mitsubishi Motors",
    "Renault Nissan",  # several or none: the same error, word for word
    "Nisan",
    "",
)


def _same_resolution(expected, got) -> None:
    for text in NAMES_TRIED:
        for kinds in (None, ["Company"]):
            try:
                want = expected.resolve(text, kinds=kinds)
            except Exception as exc:
                with pytest.raises(type(exc)) as err:
                    got.resolve(text, kinds=kinds)
                assert str(err.value) == str(exc)
            else:
                assert got.resolve(text, kinds=kinds) == want


def test_the_names_index_is_kept_and_resolves_alike(tmp_path, fresh):
    _, expected = fresh
    first = open_store(store_dir=tmp_path)
    built = names_kept.for_store(first)
    (folder,) = persist.builds(tmp_path)
    path = folder / names_kept.FILE
    assert path.is_file() and (folder / f"{names_kept.FILE}.head").is_file()
    # Another opening (as another process would) reads the file in place.
    again = open_store(store_dir=tmp_path)
    back = names_kept.for_store(again)
    assert back is not built
    assert sorted(back.entries) == sorted(expected.entries)
    assert back.below == expected.below
    assert [back.label(i) for i in sorted(expected.entries)] == [
        expected.label(i) for i in sorted(expected.entries)
    ]
    _same_resolution(expected, back)
    assert [e.iri for e in back.search("nissan")] == [e.iri for e in expected.search("nissan")]


def test_a_damaged_names_file_is_rebuilt(tmp_path, fresh):
    _, expected = fresh
    names_kept.for_store(open_store(store_dir=tmp_path))
    (folder,) = persist.builds(tmp_path)
    path = folder / names_kept.FILE
    raw = path.read_bytes()
    path.write_bytes(raw[:-4096] + bytes(4096))  # the last page zeroed
    back = names_kept.for_store(open_store(store_dir=tmp_path))
    assert path.read_bytes() != raw[:-4096] + bytes(4096)
    _same_resolution(expected, back)


def test_a_label_parameter_with_a_store_answers_as_without(tmp_path, capsys):
    args = ["query", "entity-card", "-p", "entity=Nissan Motor", "-f", "csv"]
    answers = []
    for extra in ([], ["--store", str(tmp_path)], ["--store", str(tmp_path)]):
        with pytest.raises(SystemExit) as exit_:
            main([*args, *extra])
        assert exit_.value.code == 0
        answers.append(capsys.readouterr().out)
    assert answers[0] == answers[1] == answers[2]
    assert "NissanMotor" in answers[0] or "Nissan" in answers[0]
    (folder,) = persist.builds(tmp_path)
    assert (folder / names_kept.FILE).is_file()


def test_ownership_with_a_store_answers_as_without(tmp_path, capsys):
    args = ["ownership", "integrated", "Renault", "Nissan", "--at", "2017-06-30", "-f", "json"]
    answers = []
    for extra in ([], ["--store", str(tmp_path)], ["--store", str(tmp_path)]):
        with pytest.raises(SystemExit) as exit_:
            main([*args, *extra])
        assert exit_.value.code == 0
        answers.append(capsys.readouterr().out)
    assert answers[0] == answers[1] == answers[2]
    assert '"integrated_percent"' in answers[0]
    assert _kept_file(tmp_path, "holdings").is_file()


def _reader(folder: str, out) -> None:
    h = holdings_from_store(open_store(store_dir=folder))
    out.put((len(h.stakes), len(h.entities)))


def test_concurrent_processes_build_the_kept_file_once_and_agree(tmp_path, fresh):
    h, _ = fresh
    open_store(store_dir=tmp_path)  # the store is there; its holdings are not yet
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_reader, args=(str(tmp_path), out)) for _ in range(3)]
    for p in procs:
        p.start()
    results = [out.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    assert results == [(len(h.stakes), len(h.entities))] * 3
    (build,) = persist.builds(tmp_path)
    assert [p.name for p in build.iterdir() if p.name.startswith(".")] == []
    assert holdings_from_store(open_store(store_dir=tmp_path)) == h


def test_an_entity_iri_resolves_as_the_index_does_without_building_it(fresh, monkeypatch):
    h, _ = fresh
    index = entities.names_of(kept.decode(kept.encode(h)))
    expected = {
        (iri, w): index.resolve(w)
        for iri in sorted(h.entities)
        for w in (iri, f"<{iri}>", f"  {iri} ")
    }

    def no_index(holdings):
        raise AssertionError("the names index was built")

    monkeypatch.setattr(entities, "names_of", no_index)
    for (iri, written), want in expected.items():
        assert entities.resolve(h, written) == want == iri
    monkeypatch.undo()
    with pytest.raises(UnknownEntityError):
        entities.resolve(h, "https://w3id.org/alliance-graph/resource/NoSuchThing")
