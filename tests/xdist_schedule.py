"""How pytest-xdist shares the tests out among its workers (tests/conftest.py installs it).

Single tests go to whichever worker is free, except that each module in ``WHOLE`` goes to
one worker as a whole, since it starts an expensive server once for the module: started
on every worker, it would cost more than the parallelism gains. The whole modules are
handed out first (they take longest), then single tests in collection order.
(tests/test_endpoint.py's Oxigraph server takes a few seconds to start and fill, much less
than its slow comparisons, so that module is shared out and each worker that runs some of
it starts its own.)

xdist's own ``--dist loadgroup`` with ``xdist_group`` marks would say the same, but under
pytest 9 its marks are lost (xdist 3.8 renames the test ids in a way pytest 9 no longer
sees) and the grouped tests were spread over every worker.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

WHOLE = {
    "tests/test_grlc.py",  # grlc in its own environment, and its own Oxigraph server
    "tests/test_web_browser.py",  # Chromium and the web server
    # not a server: the README's examples run in order in one folder, and a later one
    # reads what an earlier one wrote (sample.ttl), so they must not be split up
    "tests/test_readme.py",
}


class WholeServerModules(LoadScopeScheduling):
    """xdist's scope scheduling, where a scope is a module of WHOLE or else one test."""

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if module in WHOLE else nodeid
