"""Diagrams as text: the ownership network on a date, for Mermaid and Graphviz."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..temporal import DateSpan
from .parts import Parts
from .registry import Options
from .values import local_name


def ownership_network(graph, at: str | DateSpan | None = None, reading: str | None = None):
    """The ownership network on ``at`` (today when None), as a NetworkX DiGraph.

    ``graph`` is an rdflib graph as :func:`alliance_graph.graph.load` gives it, or the
    ownership module's ``Holdings``. Nodes and edges are those of
    :func:`alliance_graph.ownership.snapshot` for economic interest; each of an edge's
    ``parts`` (one per position: direct, or through an intermediary) gains ``voting``:
    False where the shares carry no votes (the position is absent from the voting
    snapshot). The graph's ``at`` and ``reading`` attributes say what was drawn.
    """
    from .. import ownership

    span = ownership.as_span(at)
    reading = reading or "as-of"
    held = ownership.holdings(graph) if not isinstance(graph, ownership.Holdings) else graph
    economic = ownership.snapshot(held, span, interest="economic", reading=reading)
    voting = ownership.snapshot(held, span, interest="voting", reading=reading)
    with_votes = {p["statement"] for *_, a in voting.edges(data=True) for p in a["parts"]}
    for _, _, attrs in economic.edges(data=True):
        for part in attrs["parts"]:
            part["voting"] = part["statement"] in with_votes
    economic.graph["at"] = str(span)
    economic.graph["reading"] = reading
    return economic


def ownership_arrows(net) -> list[tuple[str, str, str, bool]]:
    """(holder, held, caption, voting) for every position, in a stable order."""
    arrows = []
    for u, v in sorted(net.edges):
        attrs = net.edges[u, v]
        for part in sorted(attrs["parts"], key=lambda p: (p["via"] or "", p["statement"])):
            # "about" where the sources give the figure so, as every answer flags it
            about = "about " if part["approximate"] else ""
            caption = f"{about}{float(part['percent']):g}%"
            if part["via"]:
                caption += f" via {part['via']}"
            if not (part["certain"] and not attrs["candidates"]):
                caption += " (uncertain)"
            arrows.append((u, v, caption, part["voting"]))
    return arrows


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes and markup become entity codes."""
    replacements = {"#": "#35;", '"': "#quot;", "&": "#amp;", "<": "#lt;", ">": "#gt;",
                    "|": "#124;", "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;",
                    "\n": " "}  # fmt: skip
    return "".join(replacements.get(ch, ch) for ch in text)


def _ids(nodes: Iterable[str]) -> dict[str, str]:
    """Identifiers made only of ASCII letters, digits and '_', unique, never a keyword."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for node in sorted(nodes):
        base = "n_" + (re.sub(r"[^A-Za-z0-9_]", "_", local_name(node)) or "node")
        name, n = base, 2
        while name in used:
            name, n = f"{base}_{n}", n + 1
        used.add(name)
        ids[node] = name
    return ids


def write_mermaid(parts: Parts, out, options: Options) -> None:
    net = ownership_network(parts.full, options.at, options.reading)
    ids = _ids(net.nodes)
    lines = [
        "%% Ownership on " + net.graph["at"] + " (" + net.graph["reading"] + " reading)",
        "%% Solid arrows carry votes; dotted arrows are shares without votes.",
        "%% Each figure is a small node on its own arrow, never a label beside arrows.",
        "flowchart LR",
    ]
    for node in sorted(net.nodes):
        label = net.nodes[node].get("label") or local_name(node)
        lines.append(f'    {ids[node]}["{_mermaid_text(label)}"]')
    # A label on an edge (-->|"49%"|) is placed by the layout at the edge's middle, and
    # where arrows converge it can sit nearer another arrow than its own (issue 16 item
    # 8). A figure drawn as a node that the arrow passes through cannot be misread.
    positions = []
    for number, (u, v, caption, voting) in enumerate(ownership_arrows(net), start=1):
        line, arrow = ("---", "-->") if voting else ("-.-", "-.->")
        figure = f"p_{number}"
        positions.append(figure)
        lines.append(f'    {ids[u]} {line} {figure}(["{_mermaid_text(caption)}"]) {arrow} {ids[v]}')
    if positions:
        lines.append("    classDef figure fill:#ffffff,stroke:#9aa5b1,font-size:12px")
        lines.append(f"    class {','.join(positions)} figure")
    out.write(("\n".join(lines) + "\n").encode("utf-8"))


def _dot_string(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as \\n."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def write_dot(parts: Parts, out, options: Options) -> None:
    net = ownership_network(parts.full, options.at, options.reading)
    title = f"Ownership on {net.graph['at']} ({net.graph['reading']} reading)"
    lines = [
        "digraph ownership {",
        f"    label={_dot_string(title)};",
        "    labelloc=t; rankdir=LR;",
        '    node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica"];',
        '    edge [fontname="Helvetica"];',
    ]
    for node in sorted(net.nodes):
        label = net.nodes[node].get("label") or local_name(node)
        lines.append(f"    {_dot_string(node)} [label={_dot_string(label)}];")
    for u, v, caption, voting in ownership_arrows(net):
        style = "" if voting else ", style=dashed"
        lines.append(
            f"    {_dot_string(u)} -> {_dot_string(v)} [label={_dot_string(caption)}{style}];"
        )
    lines.append("}")
    out.write(("\n".join(lines) + "\n").encode("utf-8"))
