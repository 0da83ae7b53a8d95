"""A validation report in the formats people and CI systems read.

``text`` (people), ``json`` (programs), ``junit`` (JUnit XML: one test case per rule, one
failure per offending node), ``sarif`` (SARIF 2.1.0, for code scanning) and ``github``
(GitHub workflow annotations). Every format carries the summary counts, and every format
that can point at a place points at the file and line where the offending node is
written. Results below the ``fail_on`` severity are still reported, but as what they are
(a warning annotation, a SARIF ``note``) and never as a JUnit failure.

Standard library only: xml.etree for JUnit, json for SARIF.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .results import SEVERITIES, Rule, ValidationReport, ValidationResult, severity_rank

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "junit", "sarif", "github", "text")
TOOL = "alliance-graph validate"
INFORMATION_URI = "https://w3id.org/alliance-graph"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"Violation": "error", "Warning": "warning", "Info": "note"}
GITHUB_COMMANDS = {"Violation": "error", "Warning": "warning", "Info": "notice"}


def render(report: ValidationReport, fmt: str = "text", fail_on: str = "violation") -> str:
    """``report`` as text in ``fmt`` (one of :data:`FORMATS`): ``table`` (``text`` is its
    old name) for people; csv, tsv and jsonl one row per result, json the whole report,
    for programs; junit, sarif and github for CI."""
    if fmt in ("table", "text"):
        return report.to_text() if report.results else report.summary_line() + "\n"
    if fmt in ("csv", "tsv", "jsonl"):
        from ..output import render as render_rows

        rows = report.to_dict()["results"]
        columns = list(dict.fromkeys(k for r in rows for k in r)) or ["severity", "message"]
        return render_rows(rows, fmt, columns)
    if fmt == "json":
        doc = report.to_dict()
        doc["fail_on"] = fail_on
        doc["failed"] = report.failed(fail_on)
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        return to_junit(report, fail_on)
    if fmt == "sarif":
        return json.dumps(to_sarif(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return to_github(report, fail_on)
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


def display_path(path: str | None) -> str | None:
    """A file as CI systems name it: relative to the working folder (the repository's
    root in a workflow) when it lies inside it, else absolute."""
    if not path:
        return None
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _also_displayed(r: ValidationResult) -> list[str]:
    """The other places of a result, their files named as :func:`display_path` names them."""
    places = []
    for place in r.also:
        file, _, line = place.rpartition(":")
        places.append(f"{display_path(file)}:{line}")
    return places


def source_root(files: list[str]) -> Path:
    """The %SRCROOT% of a SARIF log: the working folder (the repository's root in a
    workflow) when every file lies inside it, else the deepest folder holding them all."""
    cwd = Path.cwd().resolve()
    folders = [Path(f).resolve().parent for f in files]
    if all(folder.is_relative_to(cwd) for folder in folders):
        return cwd
    return Path(os.path.commonpath([str(f) for f in folders]))


def _node_name(r: ValidationResult) -> str:
    if r.focus.startswith("_:") and r.focus_label:
        return r.focus_label
    return f"{r.focus_label} ({r.focus})" if r.focus_label else r.focus


def _one_line(r: ValidationResult) -> str:
    """The node, the message, and the value where it is not the node itself."""
    text = f"{_node_name(r)}: {r.message}"
    if r.value is not None and r.value != r.focus:
        text += f" [value: {r.value}]"
    return text


def _rules_with_results(report: ValidationReport) -> list[Rule]:
    """The rules that ran, plus any rule a result names that the catalogue lacks."""
    rules = {r.id: r for r in report.rules}
    for result in report.results:
        if result.rule not in rules:
            rules[result.rule] = Rule(
                result.rule, result.severity, result.rule, result.message, "shape"
            )
    return sorted(rules.values(), key=lambda r: r.id)


def _counts_text(report: ValidationReport) -> dict[str, str]:
    return {f"{s.lower()}s": str(n) for s, n in report.counts().items()}


# --- JUnit XML ------------------------------------------------------------------------


def to_junit(report: ValidationReport, fail_on: str = "violation") -> str:
    """JUnit XML: a test case per rule, a ``<failure>`` per offending node at or above
    ``fail_on``; results below it are listed in the test case's ``<system-out>``.

    The test suite's ``tests`` and ``failures`` count rules (test cases); its properties
    count results per severity.
    """
    import xml.etree.ElementTree as ET

    level = severity_rank(fail_on)
    by_rule: dict[str, list[ValidationResult]] = {}
    for result in report.results:
        by_rule.setdefault(result.rule, []).append(result)
    rules = _rules_with_results(report)
    failing_rules = sum(
        1
        for rule in rules
        if any(severity_rank(r.severity) <= level for r in by_rule.get(rule.id, []))
    )
    counts = {
        "tests": str(len(rules)),
        "failures": str(failing_rules),
        "errors": "0",
        "skipped": "0",
    }
    suites = ET.Element("testsuites", {"name": TOOL, **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": TOOL, **counts})
    properties = ET.SubElement(suite, "properties")
    for name, value in {
        "engine": report.engine,
        "fail-on": fail_on,
        "conforms": str(report.conforms).lower(),
        "triples": str(report.triples),
        "shapes": str(report.shapes),
        "checks": str(report.checks),
        **_counts_text(report),
        "data": ", ".join(display_path(f) or f for f in report.data_files),
    }.items():
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for rule in rules:
        classname = {"check": "checks", "ontology": "ontology"}.get(rule.kind, "shapes")
        case = ET.SubElement(
            suite, "testcase", {"classname": f"alliance-graph.{classname}", "name": rule.id}
        )
        failing, below = [], []
        for result in by_rule.get(rule.id, []):
            where = ""
            if result.file and result.line:
                where = f"{display_path(result.file)}:{result.line}: "
            details = [f"{where}{result.severity}: {_node_name(result)}", f"rule: {result.rule}"]
            details.append(f"message: {result.message}")
            if result.path:
                details.append(f"path: {result.path}")
            if result.value is not None and result.value != result.focus:
                details.append(f"value: {result.value}")
            if result.also:
                details.append(f"also: {', '.join(_also_displayed(result))}")
            if severity_rank(result.severity) <= level:
                failing.append((result, "\n".join(details)))
            else:
                below.append("\n".join(details))
        if failing:
            # One <failure> per test case (readers such as junitparser and GitLab keep one):
            # the first node in its message, every node in its text.
            first = failing[0][0]
            worst = min((r.severity for r, _ in failing), key=severity_rank)
            message = _one_line(first)
            if len(failing) > 1:
                message += f" (and {len(failing) - 1} more)"
            failure = ET.SubElement(case, "failure", {"type": worst, "message": message})
            failure.text = "\n\n".join(text for _, text in failing)
        if below:
            ET.SubElement(case, "system-out").text = "\n\n".join(below)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


# --- SARIF 2.1.0 ----------------------------------------------------------------------


def to_sarif(report: ValidationReport) -> dict:
    """A SARIF 2.1.0 log: one run, the rules with ids and descriptions, one result per
    problem with its rule, level, message and the file and line of the offending node."""
    from urllib.parse import quote

    rules = _rules_with_results(report)
    index = {rule.id: i for i, rule in enumerate(rules)}
    base = source_root([r.file for r in report.results if r.file] + list(report.data_files))
    root = base.as_uri().rstrip("/") + "/"

    def location(file: str | None, line: int | None) -> dict:
        if not file:
            return {}
        relative = Path(file).resolve().relative_to(base).as_posix()
        artifact = {"uri": quote(relative), "uriBaseId": "%SRCROOT%"}
        physical: dict = {"artifactLocation": artifact}
        if line:
            physical["region"] = {"startLine": line}
        return {"physicalLocation": physical}

    results = []
    for r in report.results:
        where = location(r.file, r.line) or location(
            report.data_files[0] if report.data_files else None, None
        )
        logical = {"fullyQualifiedName": r.focus, "kind": "object"}
        if r.focus_label:
            logical["name"] = r.focus_label
        if where:
            where["logicalLocations"] = [logical]
        else:
            where = {"logicalLocations": [logical]}
        related = []
        for place in r.also:  # other places that write the property at fault
            file, _, line = place.rpartition(":")
            also = location(file, int(line))
            also["id"] = len(related)
            also["message"] = {"text": f"{r.path} is also written here"}
            related.append(also)
        properties = {"focus": r.focus, "severity": r.severity}
        for key in ("focus_label", "path", "value", "shape", "component"):
            if getattr(r, key) is not None:
                properties[key] = getattr(r, key)
        results.append(
            {
                "ruleId": r.rule,
                "ruleIndex": index[r.rule],
                "level": SARIF_LEVELS.get(r.severity, "error"),
                "message": {"text": _one_line(r)},
                "locations": [where],
                **({"relatedLocations": related} if related else {}),
                "properties": properties,
            }
        )
    run = {
        "tool": {
            "driver": {
                "name": TOOL,
                "version": _version(),
                "informationUri": INFORMATION_URI,
                "rules": [
                    {
                        "id": rule.id,
                        "shortDescription": {"text": rule.title},
                        "fullDescription": {"text": rule.description},
                        "defaultConfiguration": {"level": SARIF_LEVELS.get(rule.severity, "error")},
                        "properties": {"kind": rule.kind, "severity": rule.severity},
                    }
                    for rule in rules
                ],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root}},
        "results": results,
        "properties": {
            "conforms": report.conforms,
            "engine": report.engine,
            "triples": report.triples,
            "shapes": report.shapes,
            "checks": report.checks,
            "counts": report.counts(),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("alliance-graph")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "0.0.0"


# --- GitHub workflow annotations ------------------------------------------------------


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: ValidationReport, fail_on: str = "violation") -> str:
    """One workflow command per result (``::error``, ``::warning`` or ``::notice`` by
    severity) with the file, line and rule, then the summary line as plain text."""
    lines = []
    # a node no line opens (written mid-line, or as [ ] alone): the file, where there is
    # only one it can be in, so that the annotation still lands on it
    only = str(report.data_files[0]) if len(report.data_files) == 1 else None
    for r in report.results:
        props = []
        file = r.file or only
        if file:
            props.append(f"file={escape_property(display_path(file))}")
            if r.line and r.file:
                props.append(f"line={r.line}")
        props.append(f"title={escape_property(f'{r.severity}: {r.rule}')}")
        command = GITHUB_COMMANDS.get(r.severity, "error")
        text = _one_line(r)
        if r.also:
            text += f" (also written at {', '.join(_also_displayed(r))})"
        lines.append(f"::{command} {','.join(props)}::{escape_data(text)}")
    verdict = "fails" if report.failed(fail_on) else "passes"
    lines.append(f"{report.summary_line()} ({verdict} at --fail-on {fail_on})")
    return "\n".join(lines) + "\n"


def write_report(path: Path | str, text: str, *, reading=()) -> None:
    """Write ``text`` to ``path`` by the project's one writer (:mod:`alliance_graph.writing`:
    whole or not at all, devices and links respected, errors named), never over one of
    the files the report is made from (``reading``) nor into a shipped folder."""
    from ..writing import write_text

    write_text(path, text, reading=reading)


__all__ = ["FORMATS", "SEVERITIES", "render", "to_github", "to_junit", "to_sarif"]
