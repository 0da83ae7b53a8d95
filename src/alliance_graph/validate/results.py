"""What validation gives: results, the rules that ran, the report, and the raw results
engines hand to the naming step."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AllianceGraphError, UsageError

# From the most to the least severe. `--fail-on warning` fails on violations and warnings.
SEVERITIES = ("Violation", "Warning", "Info")
FAIL_ON = tuple(s.lower() for s in SEVERITIES)


class ShapesError(AllianceGraphError):
    """The shapes cannot be used: not valid SHACL, or a SPARQL rule that does not run."""


def severity_rank(severity: str) -> int:
    """0 for a violation, 1 for a warning, 2 for an info."""
    try:
        return FAIL_ON.index(severity.lower())
    except ValueError:
        raise UsageError(
            f"unknown severity {severity!r}; choose one of {', '.join(FAIL_ON)}"
        ) from None


@dataclass(frozen=True)
class ValidationResult:
    """One problem: which node breaks which rule, how, and where it is written."""

    focus: str  # the offending node: an IRI, or _:id for a blank node
    focus_label: str | None  # its label, or what it belongs to for a blank node
    rule: str  # the rule broken: a SPARQL constraint, a shape or a check, as a prefixed name
    severity: str  # Violation, Warning or Info
    message: str
    path: str | None = None  # the property at fault, as a prefixed name
    value: str | None = None  # the value at fault, as written in Turtle
    shape: str | None = None  # the shape the rule belongs to
    component: str | None = None  # the SHACL constraint component, e.g. sh:MinCount
    file: str | None = None  # the data file where the node is written, if found
    line: int | None = None
    # other places that write the property at fault for this node ("file:line"), when
    # several files or blocks do: a second label added by another file, say
    also: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)

    def sort_key(self) -> tuple:
        return (
            self.file or "",
            self.line or 0,
            self.focus,
            self.rule,
            self.path or "",
            self.value or "",
            self.message,
        )


@dataclass(frozen=True)
class Rule:
    """A rule that ran: a shape, a SHACL-SPARQL constraint, a rule query or an ontology check."""

    id: str  # the name results give it: agsh:label, agsh:TenureShape/ag:role, check:...
    severity: str
    title: str
    description: str
    kind: str  # "shape", "sparql", "check" or "ontology"


@dataclass
class ValidationReport:
    """Every result, in a stable order, and what ran to find them.

    ``conforms`` follows SHACL with warnings allowed: no result of severity Violation.
    :meth:`failed` applies a ``--fail-on`` level.
    """

    conforms: bool
    results: list[ValidationResult]
    engine: str
    data_files: list[str] = field(default_factory=list)
    shapes_files: list[str] = field(default_factory=list)
    triples: int = 0  # triples checked: ontology, data and derived ones
    shapes: int = 0  # node and property shapes with a target, the rules that run
    checks: int = 0  # rule queries run (queries/checks and --checks folders)
    rules: list[Rule] = field(default_factory=list)
    check_files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Results per severity (always all three keys)."""
        found = Counter(r.severity for r in self.results)
        return {s: found.get(s, 0) for s in SEVERITIES}

    def rules_broken(self) -> dict[str, int]:
        return dict(sorted(Counter(r.rule for r in self.results).items()))

    def failing(self, fail_on: str = "violation") -> list[ValidationResult]:
        """The results at or above the ``fail_on`` severity."""
        level = severity_rank(fail_on)
        return [r for r in self.results if severity_rank(r.severity) <= level]

    def failed(self, fail_on: str = "violation") -> bool:
        return bool(self.failing(fail_on))

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "engine": self.engine,
            "data_files": self.data_files,
            "shapes_files": self.shapes_files,
            "check_files": self.check_files,
            "triples": self.triples,
            "shapes": self.shapes,
            "checks": self.checks,
            "counts": self.counts(),
            "rules_broken": self.rules_broken(),
            "results": [r.to_dict() for r in self.results],
        }

    def summary_line(self) -> str:
        files = (
            ", ".join("standard input" if f == "-" else Path(f).name for f in self.data_files)
            or "no data file"
        )
        head = "conforms" if self.conforms else "does NOT conform"
        counts = ", ".join(
            f"{n} {s.lower()}{'' if n == 1 else 's'}" for s, n in self.counts().items()
        )
        checks = f" and {self.checks} checks" if self.checks else ""
        return (
            f"{head}: {files} ({self.triples} triples with the ontology) against "
            f"{self.shapes} shapes{checks}: {counts}"
        )

    def to_text(self) -> str:
        """A report for people: one block per result, then the summary line."""
        lines = []
        for r in self.results:
            where = f"{r.file}:{r.line}: " if r.file and r.line else ""
            if r.focus.startswith("_:") and r.focus_label:  # a blank node: its owner
                name = r.focus_label
            else:
                name = f"{r.focus_label} ({r.focus})" if r.focus_label else r.focus
            lines.append(f"{where}{r.severity}: {name}")
            lines.append(f"  rule:    {r.rule}")
            lines.append(f"  message: {r.message}")
            if r.path:
                lines.append(f"  path:    {r.path}")
            if r.value is not None and r.value != r.focus:
                lines.append(f"  value:   {r.value}")
            if r.also:
                lines.append(f"  also:    {', '.join(r.also)}")
            lines.append("")
        lines.append(self.summary_line())
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class RawResult:
    """One result as an engine gives it: pyoxigraph terms, read against ``data`` (a view of
    the graph the engine ran on, which names blank nodes its own way)."""

    focus: Any
    severity: str
    message: str
    data: Any  # a GraphView or StoreView (alliance_graph.validate.views)
    shape: Any = None
    constraint: Any = None
    component: Any = None
    path: str | None = None  # already written in SPARQL path syntax, full IRIs or names
    value: Any = None
    rule: str | None = None  # set by rule queries; shapes' rules are named from the shapes
