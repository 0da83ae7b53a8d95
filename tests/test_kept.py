"""What is kept beside an on-disk store (issue 14 item 5): the ownership index and the
names index, built once, read back by later processes, rebuilt when stale or damaged,
and never a different answer from the one computed from the store."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from alliance_graph import names, persist
from alliance_graph.cli import main
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


def test_the_names_index_is_kept_and_resolves_alike(tmp_path, fresh):
    _, expected = fresh
    store = open_store(store_dir=tmp_path)
    got = names.for_store(store)
    assert _kept_file(tmp_path, "names").is_file()
    names._CACHE.clear()  # as a new process: read from the file
    back = names.for_store(open_store(store_dir=tmp_path))
    assert back is not got
    for n in (got, back):
        assert sorted(n.entries) == sorted(expected.entries)
        assert n.below == expected.below
    for text in ("Nissan", "renault", "nissan motor", "res:RenaultGroup", "Mitsubishi Motors"):
        try:
            want = expected.resolve(text)
        except Exception as exc:  # the same error, word for word
            with pytest.raises(type(exc)) as err:
                back.resolve(text)
            assert str(err.value) == str(exc)
        else:
            assert back.resolve(text) == want


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
