"""Ownership on a date: snapshots, direct stakes, paths, integrated ownership, control.

Every analysis reads the best-ranked shareholdings (``ag:BestRank``: Wikidata's "truthy"
reading) and one of the three readings of docs/temporal-model.md on the day asked:

- ``certain``: only stakes certainly valid on the day (every day of it, for a month or a
  year);
- ``possible``: every stake possibly valid; where one position has several possible
  figures, the largest (an upper bound, for screening);
- ``as-of`` (default): per position, the figure with the latest evidence (``startLatest``
  or a citation's ``ag:reportedOn``) on or before the day; when it is not certain the
  answer says ``certain: false`` and lists the other possible figures with their sources.

The modules, one job each: :mod:`.holdings` (reading the stakes from the one loader's
store), :mod:`.snapshot` (the figures a reading takes on a day), :mod:`.stake`,
:mod:`.paths`, :mod:`.matrix` and :mod:`.integrated` (integrated ownership),
:mod:`.control`, :mod:`.timeline` and :mod:`.scenario` (what-if changes). Everything
public is re-exported here, except :mod:`.by_company` (the index kept beside an on-disk
store that :func:`integrated_from_index` reads one company at a time, for ``--store``),
imported where used so that other commands do not load ``sqlite3``. See docs/ownership.md.
"""

from .compare import broken_rules, compare
from .control import BASES, THRESHOLDS, control, controllers_upstream
from .errors import OwnershipError, SingularOwnershipError
from .holdings import (
    INTERESTS,
    Holdings,
    SetAside,
    Stake,
    as_holdings,
    holdings,
    holdings_from_files,
    holdings_from_store,
)
from .integrated import (
    DEFINITIONS,
    integrated,
    integrated_all,
    integrated_from_index,
    integrated_matrix,
    integrated_records,
    undefined_cycles,
)
from .paths import paths
from .scenario import (
    Change,
    ScenarioError,
    apply_scenario,
    is_rdf_scenario,
    read_scenario,
    scenario_store,
)
from .snapshot import as_span, snapshot
from .stake import stake
from .timeline import timeline

__all__ = [
    "BASES",
    "DEFINITIONS",
    "INTERESTS",
    "THRESHOLDS",
    "Change",
    "Holdings",
    "OwnershipError",
    "ScenarioError",
    "SetAside",
    "SingularOwnershipError",
    "Stake",
    "apply_scenario",
    "broken_rules",
    "compare",
    "as_holdings",
    "as_span",
    "control",
    "controllers_upstream",
    "holdings",
    "holdings_from_files",
    "holdings_from_store",
    "integrated",
    "integrated_all",
    "integrated_from_index",
    "integrated_matrix",
    "integrated_records",
    "is_rdf_scenario",
    "paths",
    "read_scenario",
    "scenario_store",
    "snapshot",
    "stake",
    "timeline",
    "undefined_cycles",
]
