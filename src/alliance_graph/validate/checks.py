"""Rule queries in the style of ROBOT's ``verify``: SPARQL SELECTs whose every row is a problem.

A check is a ``.rq`` file with the ``#+`` YAML header of the saved queries
(:mod:`alliance_graph.queries`): ``summary``, ``severity`` (``violation``, ``warning`` or
``info``) and optionally ``description``. Its SELECT projects ``?entity`` (the offending
node) and ``?message``, and may project ``?property`` and ``?value``. ``validate`` runs the
shipped checks (``queries/checks``) and the folders a user names, on the same data as the
shapes (ontology, data and derived day bounds, in pyoxigraph), and merges their rows into
the same report, under the rule ``check:<file name>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import resources
from ..errors import AllianceGraphError, DataFileError, UsageError
from .results import RawResult, Rule

SEVERITIES = {"violation": "Violation", "warning": "Warning", "info": "Info"}
REQUIRED = ("entity", "message")
KNOWN = ("entity", "property", "value", "message")


@dataclass(frozen=True)
class Check:
    """One rule query: its name, documentation, severity and SPARQL text."""

    name: str
    summary: str
    description: str
    severity: str  # Violation, Warning or Info
    text: str
    path: Path

    @property
    def id(self) -> str:
        return f"check:{self.name}"

    def rule(self) -> Rule:
        return Rule(self.id, self.severity, self.summary, self.description or self.summary, "check")


def checks_dir() -> Path:
    return resources.resource_dir("queries") / "checks"


def is_shipped(path: Path | str) -> bool:
    """Whether ``path`` is one of the checks in ``queries/checks`` (trusted: tested)."""
    try:
        return Path(path).resolve().parent == checks_dir().resolve()
    except OSError:
        return False


def parse_check(path: Path | str) -> Check:
    """Read one check; a malformed header or query raises :class:`DataFileError`."""
    import pyoxigraph as ox

    path = Path(path)
    shipped = is_shipped(path)
    meta, body = read_check_file(path, shipped)
    summary = meta.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        raise DataFileError(path, "the #+ header needs a 'summary'")
    severity = str(meta.get("severity", "")).strip().lower()
    if severity not in SEVERITIES:
        raise DataFileError(
            path,
            f"the #+ header needs 'severity: violation', 'warning' or 'info', not {severity!r}",
        )
    not_select = "a check is a SELECT query (every row is a problem)"
    if not shipped:
        # The shipped checks are the project's own and pass this in its tests
        # (tests/test_checks.py): the parse costs rdflib's SPARQL grammar, 0.3 s cold, and
        # the queries package another 30 ms.
        from ..errors import NetworkRefusedError
        from ..queries import check_no_network, check_read_only, query_form

        try:
            check_read_only(body)
            check_no_network(body)
        except NetworkRefusedError:
            raise DataFileError(
                path,
                "refused: the check uses SERVICE or FROM, which would reach other graphs or "
                "services; a check reads the graph it validates, nothing else",
            ) from None
        except AllianceGraphError as exc:
            raise DataFileError(path, str(exc)) from None
        if query_form(body) != "SELECT":
            raise DataFileError(path, not_select)
    try:
        answer = ox.Store().query(body)
    except SyntaxError as exc:
        raise DataFileError(path, f"not valid SPARQL: {exc}") from None
    if not isinstance(answer, ox.QuerySolutions):
        raise DataFileError(path, not_select)
    variables = {v.value for v in answer.variables}
    missing = [v for v in REQUIRED if v not in variables]
    if missing:
        raise DataFileError(
            path,
            "a check's SELECT projects ?entity and ?message (and may project ?property "
            f"and ?value); ?{', ?'.join(missing)} missing",
        )
    return Check(
        name=path.stem,
        summary=" ".join(summary.split()),
        description=" ".join(str(meta.get("description") or "").split()),
        severity=SEVERITIES[severity],
        text=body,
        path=path,
    )


def read_check_file(path: Path, shipped: bool) -> tuple[dict, str]:
    """The ``#+`` header and the SPARQL text of a check. A shipped check's header is read
    by :func:`shipped_header` when it can (no YAML parser to import: tested equal to the
    YAML reading for every shipped check), every other one by the saved queries' reader."""
    if shipped:
        try:
            found = shipped_header(path.read_text(encoding="utf-8"))
        except OSError:
            found = None
        if found is not None:
            return found
    from ..queries.catalogue import read_rq

    return read_rq(path)


_KEY = re.compile(r" ([a-z]+): (.*)")
_PLAIN = re.compile(r"[A-Za-z][^#:]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def shipped_header(text: str) -> tuple[dict, str] | None:
    """The header and text of an ``.rq`` file written as the shipped checks are:
    ``#+ key: plain words`` and ``#+ key: >`` with an indented folded paragraph. None for
    anything else (the YAML reader reads it then)."""
    lines = text.splitlines()
    head = [ln[2:] for ln in lines if ln.startswith("#+")]
    body = "\n".join(ln for ln in lines if not ln.startswith("#+")).strip() + "\n"
    meta: dict = {}
    i = 0
    while i < len(head):
        match = _KEY.fullmatch(head[i])
        if match is None or match.group(1) in meta:
            return None
        key, value = match.groups()
        i += 1
        if value == ">":
            words = []
            while i < len(head) and head[i].startswith("   ") and head[i].strip():
                if head[i][3] == " ":
                    return None  # deeper indentation: YAML keeps such lines apart
                words.append(head[i].strip())
                i += 1
            if not words:
                return None
            # YAML keeps the paragraph's last line break, which the header's last line lacks
            meta[key] = " ".join(words) + ("\n" if i < len(head) else "")
        elif _PLAIN.fullmatch(value) and value.strip().lower() not in _YAML_WORDS:
            meta[key] = value.strip()
        else:
            return None
    return meta, body


def load(folders: Iterable[Path | str] = (), *, default: bool = True) -> list[Check]:
    """The shipped checks (unless ``default`` is false) and those of ``folders`` (folders
    of ``.rq`` files, or single files). Two checks may not share a name."""
    paths: list[Path] = sorted(checks_dir().glob("*.rq")) if default else []
    for item in folders:
        item = Path(item)
        if item.is_dir():
            found = sorted(p for p in item.iterdir() if p.suffix.lower() == ".rq" and p.is_file())
            if not found:  # a folder of checks that adds none would pass every file unseen
                raise DataFileError(
                    item, "no .rq file in this folder of checks (subfolders are not read)"
                )
            paths += found
        elif item.is_file():
            paths.append(item)
        else:
            raise DataFileError(item, "no such folder or file of checks")
    checks = [parse_check(p) for p in paths]
    seen: dict[str, Path] = {}
    for check in checks:
        if check.name in seen:
            raise UsageError(
                f"two checks are called {check.name!r}: {seen[check.name]} and {check.path}; "
                "rename one"
            )
        seen[check.name] = check.path
    return checks


def run(checks: list[Check], store) -> list:
    """Every row of every check, as raw results for :mod:`alliance_graph.validate`."""
    from ..errors import QueryError
    from .views import StoreView

    view = StoreView(store)
    raws = []
    for check in checks:
        try:
            rows = store.query(check.text)
        except (SyntaxError, OSError, ValueError) as exc:
            raise QueryError(f"{check.path}: the check failed: {exc}") from None
        projected = {v.value for v in rows.variables}
        for row in rows:
            entity = row["entity"]
            if entity is None:
                # every row is a problem, and a problem names its node: a row without one
                # would be dropped unseen, and the data read as passing
                raise QueryError(
                    f"{check.path}: a row of the check has no ?entity (every row must name "
                    "the node at fault)"
                )
            prop = row["property"] if "property" in projected else None
            value = row["value"] if "value" in projected else None
            message = row["message"]
            raws.append(
                RawResult(
                    focus=entity,
                    severity=check.severity,
                    message=message.value if message is not None else check.summary,
                    data=view,
                    path=prop.value if prop is not None and hasattr(prop, "value") else None,
                    value=value,
                    rule=check.id,
                )
            )
    return raws
