"""The one writer (:mod:`alliance_graph.writing`) and the commands that use it, against
hostile targets (issue 10 items 6, 8, 9): devices, FIFOs, symbolic links, folders, missing
and read-only folders, a full device, the file-size limit, SIGTERM and SIGINT; and never
over a file the output is made from, nor into a folder of shipped files.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from alliance_graph import resources
from alliance_graph.cli import main
from alliance_graph.writing import OutputError, write_atomically, write_bytes, write_text

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "docs" / "examples"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_new_file_gets_the_umask_and_an_old_one_keeps_its_mode(tmp_path):
    old = os.umask(0o027)
    try:
        write_text(tmp_path / "new.txt", "a\r\nb\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    assert (tmp_path / "new.txt").read_bytes() == b"a\r\nb\n"  # line ends as given
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o600)
    write_bytes(kept, b"new")
    assert kept.read_bytes() == b"new"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == []


def test_a_symbolic_link_stays_a_link_and_its_target_is_replaced(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_text(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"


def test_a_device_is_written_to_never_replaced(tmp_path):
    if os.geteuid() == 0:  # the audit's reproducer: a copy of /dev/null
        device = tmp_path / "null"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        device = Path("/dev/null")
    write_text(device, "discarded")
    assert stat.S_ISCHR(device.stat().st_mode)
    assert _leftovers(device.parent) == [] or device.parent == Path("/dev")


def test_a_full_device_is_an_error_naming_it():
    with pytest.raises(OutputError, match=r"/dev/full: cannot write: no space left"):
        write_text("/dev/full", "x")


def test_a_fifo_is_written_to_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = {}

    def read():
        with open(fifo, "rb") as stream:
            got["bytes"] = stream.read()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    write_bytes(fifo, b"through the pipe")
    reader.join(10)
    assert got["bytes"] == b"through the pipe"
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert _leftovers(tmp_path) == []


def test_a_folder_and_a_missing_folder_are_refused_by_name(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        write_text(tmp_path, "x")
    with pytest.raises(OutputError, match=r"nope/a.txt: the folder .*nope does not exist"):
        write_text(tmp_path / "nope" / "a.txt", "x")


def test_an_error_while_writing_leaves_the_old_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")

    def half(stream):
        stream.write(b"half")
        raise KeyboardInterrupt  # what Ctrl-C raises

    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, half)
    assert path.read_text() == "old"
    assert _leftovers(tmp_path) == []


def _child(code: str, *, cwd: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_writing_leaves_the_old_file_and_no_temporary_file(tmp_path, signum):
    path = tmp_path / "out.txt"
    path.write_text("old")
    proc = _child(
        f"""
        import signal, sys, time
        from alliance_graph.writing import write_atomically

        # Ctrl-C as in a terminal: a suite started in the background (``pytest &``, a
        # script's job) passes on SIGINT ignored, which Python then leaves ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)

        def slow(stream):
            stream.write(b"part of the new file")
            stream.flush()
            print("writing", flush=True)
            time.sleep(30)

        write_atomically({str(path)!r}, slow)
        """,
        cwd=tmp_path,
    )
    assert proc.stdout.readline().strip() == "writing"
    assert len(_leftovers(tmp_path)) == 1  # the temporary file exists while writing
    proc.send_signal(signum)
    proc.wait(20)
    assert proc.returncode == (143 if signum == signal.SIGTERM else -signal.SIGINT)
    assert path.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_validate_over_the_file_size_limit_is_exit_2_naming_the_path(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("old report")
    proc = _child(
        """
        import resource, sys
        resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))
        sys.argv = ["alliance-graph", "validate", "--format", "json", "-o", "report.json"]
        from alliance_graph.cli import main
        main()
        """,
        cwd=tmp_path,
    )
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 2, err
    assert "report.json: cannot write: the file is larger than the file-size limit" in err
    assert "Traceback" not in err
    assert out.read_text() == "old report"
    assert _leftovers(tmp_path) == []


def test_fmt_into_a_read_only_folder_is_exit_2_naming_the_path(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    data = folder / "a.ttl"
    data.write_text("@prefix ex: <http://ex/> .\nex:a   ex:b ex:c .\n")
    root = os.geteuid() == 0  # root writes into a mode 555 folder: make it immutable
    if root:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        proc = _child(
            f"""
            import sys
            sys.argv = ["alliance-graph", "fmt", {str(data)!r}]
            from alliance_graph.cli import main
            main()
            """,
            cwd=tmp_path,
        )
        _out, err = proc.communicate(timeout=120)
    finally:
        if root:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)
    assert proc.returncode == 2, err
    reason = "Operation not permitted" if root else "Permission denied"
    assert f"{data}: cannot write in {folder}: {reason}" in err
    assert data.read_text().startswith("@prefix ex: <http://ex/> .\nex:a   ex:b")


def test_validate_output_to_a_missing_folder_is_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(
        sys, "argv", ["alliance-graph", "validate", "-o", str(tmp_path / "no" / "r.txt")]
    )
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    assert "r.txt: the folder" in capsys.readouterr().err


def test_the_signal_handler_is_put_back_after_writing(tmp_path):
    """The SIGTERM handler is the process's own again once the file is written."""
    before = signal.getsignal(signal.SIGTERM)
    write_text(tmp_path / "a", "x")
    assert signal.getsignal(signal.SIGTERM) is before


# --- never over an input, never into a shipped folder ----------------------------------


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit:
        main(argv)
    return exit.value.code, capsys.readouterr().err


def test_validate_never_writes_its_report_over_a_file_it_reads(tmp_path, capsys):
    data = tmp_path / "my.ttl"
    shutil.copy(resources.data_files()[0], data)
    shapes = tmp_path / "s.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n", encoding="utf-8")
    checks = tmp_path / "checks"
    checks.mkdir()
    check = checks / "none.rq"
    check.write_text(
        "#+ summary: Nothing\n#+ severity: warning\n\n"
        "SELECT ?entity ?property ?value ?message WHERE { FILTER(false) }\n",
        encoding="utf-8",
    )
    for argv, victim in [
        (["validate", str(data), "-o", str(data)], data),
        (["validate", "--shapes", str(shapes), "-o", str(shapes)], shapes),
        (["validate", "--checks", str(checks), "-o", str(check), "-f", "json"], check),
    ]:
        before = victim.read_bytes()
        code, err = _run(argv, capsys)
        assert code == 2, err
        assert f"{victim}: is the input file" in err
        assert victim.read_bytes() == before


# What the project reads every time it runs (README's layout).
SHIPPED = ["ontology", "data", "shapes", "queries", "contexts"]


@pytest.fixture
def shipped_copy(tmp_path, monkeypatch):
    """The shipped folders copied to tmp_path, and the project pointed at the copies: what
    a test would write into them lands there, never in the checkout."""
    for name in SHIPPED:
        shutil.copytree(resources.resource_dir(name), tmp_path / name)
    monkeypatch.setattr(resources, "resource_dir", lambda name: tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("name", SHIPPED)
def test_no_output_lands_in_a_shipped_folder(shipped_copy, capsys, name):
    folder = shipped_copy / name
    existing = sorted(folder.rglob("*.*"))[0]
    listing = sorted(folder.rglob("*"))
    before = existing.read_bytes()
    for target in (existing, folder / "new.rq", folder / "new.ttl"):
        for argv in (
            ["export", "-f", "mermaid", "--at", "2015", "-o", str(target)],
            ["validate", "-o", str(target)],
            ["import", "csv", str(EXAMPLES / "stakes.csv"), "-o", str(target)],
        ):
            code, err = _run(argv, capsys)
            assert code == 2, (argv, err)
            assert f"which the project reads its shipped {name} from" in err, err
    code, err = _run(["export", "-f", "neo4j", "-o", str(folder / "neo")], capsys)
    assert code == 2 and "shipped" in err, err
    assert existing.read_bytes() == before
    assert sorted(folder.rglob("*")) == listing  # nothing new, no temporary file left


def test_fmt_still_formats_the_shipped_turtle_in_place(shipped_copy, capsys):
    data = shipped_copy / "data" / "alliance.ttl"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("res:Renault a ag:Company ;", "res:Renault  a ag:Company ;", 1))
    code, err = _run(["fmt", str(data)], capsys)
    assert code == 0, err
    assert data.read_text(encoding="utf-8") == text


def test_a_picture_is_never_written_over_the_data_it_is_drawn_from(tmp_path):
    from alliance_graph import plot
    from alliance_graph.errors import AllianceGraphError
    from alliance_graph.graph import load

    data = tmp_path / "d.png"  # a Turtle file with a picture's name
    shutil.copy(resources.data_files()[0], data)
    before = data.read_bytes()
    figure = plot.network(load([data], data_format="turtle"), "2015")
    with pytest.raises(AllianceGraphError, match="is the input file"):
        plot.save(figure, data, reading=[data])
    assert data.read_bytes() == before
