"""The virtual environment holding grlc for tests/test_grlc.py, made once per machine.

grlc pins Flask, requests and rdflib exactly, so it gets an environment of its own, made
with ``python -m venv`` and installed from PyPI. Making it takes a minute or more, so the
test session starts it in a background thread as soon as it begins (tests/conftest.py)
and the grlc tests wait for it. A file lock beside the environment makes sure that only
one process builds it when pytest-xdist runs several workers (or two sessions run at
once); the others wait for the lock and then find it ready. A failed build is not
remembered: whoever asks next builds again and, if that fails too, gets the reason.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

GRLC = "1.3.11"
HOME = Path(tempfile.gettempdir()) / f"alliance-graph-grlc-{GRLC}-py{sys.version_info[0]}"
PYTHON = HOME / "bin" / "python"
LOCK = HOME.parent / (HOME.name + ".lock")


class GrlcUnavailable(RuntimeError):
    """grlc could not be installed; the message says which step failed and why."""


def is_ready() -> bool:
    """True when the environment exists and holds the grlc version the tests expect."""
    if not PYTHON.exists():
        return False
    check = [str(PYTHON), "-c", "import importlib.metadata as m; print(m.version('grlc'))"]
    done = subprocess.run(check, capture_output=True, text=True)
    return done.returncode == 0 and done.stdout.strip() == GRLC


_running: list[subprocess.Popen] = []  # the build step under way in this process, if any


def _run(step: list[str]) -> None:
    proc = subprocess.Popen(step, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _running.append(proc)
    try:
        out, err = proc.communicate(timeout=900)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        err += "\n(stopped after 900 s)"
    finally:
        _running.remove(proc)
    if proc.returncode != 0:
        raise GrlcUnavailable(
            f"cannot install grlc {GRLC} from PyPI ({' '.join(step)}), exit {proc.returncode}:\n"
            f"{out[-2000:]}{err[-3000:]}"
        )


def ensure() -> Path:
    """The Python of the grlc environment, built first if it is missing or stale."""
    HOME.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not is_ready():
            _run([sys.executable, "-m", "venv", "--clear", str(HOME)])
            _run([str(PYTHON), "-m", "pip", "install", "-q", f"grlc=={GRLC}"])
            if not is_ready():
                raise GrlcUnavailable(f"grlc {GRLC} installed in {HOME} but does not import")
    return PYTHON


def build_in_background() -> threading.Thread:
    """Start :func:`ensure` in a daemon thread; a failure is left for the tests to meet."""

    def build() -> None:
        try:
            ensure()
        except Exception:  # the grlc tests call ensure() again and report the reason
            pass

    thread = threading.Thread(target=build, name="grlc-venv", daemon=True)
    thread.start()
    return thread


def stop_background_build() -> None:
    """Stop a build step this process still runs (the session ended before it finished);
    the lock goes with it and the next session starts the build again."""
    for proc in list(_running):
        proc.kill()
