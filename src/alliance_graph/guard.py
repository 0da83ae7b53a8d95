"""The second wall: no network from this thread while the guard is up.

The first wall is deciding what a query or a file may do before anything runs (queries
are checked from their parsed form; RDF/XML with entity declarations and JSON-LD with
remote contexts are refused). This one catches what Python itself would open: an audit
hook (Python's documented way to watch ``socket.connect`` and ``urllib.Request``) raises
while the guard is active on the current thread. Code that opens sockets outside Python
(pyoxigraph's SERVICE client) is kept out by the first wall.
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager

from .errors import NetworkRefusedError

_state = threading.local()
_lock = threading.Lock()
_installed = False
_WATCHED = ("urllib.Request", "socket.connect", "socket.getaddrinfo", "http.client.connect")


def _audit(event: str, args) -> None:
    if event in _WATCHED and getattr(_state, "active", False):
        raise NetworkRefusedError(
            f"refused: {getattr(_state, 'what', 'this step')} tried to reach the network "
            f"({event}); nothing is fetched unless you allow it"
        )


def _install() -> None:
    global _installed
    with _lock:
        if not _installed:
            sys.addaudithook(_audit)
            _installed = True


@contextmanager
def no_network(active: bool = True, what: str = "this step"):
    """Refuse network access from this thread while ``active``."""
    if not active:
        yield
        return
    _install()
    before = getattr(_state, "active", False), getattr(_state, "what", None)
    _state.active, _state.what = True, what
    try:
        yield
    finally:
        _state.active, _state.what = before
