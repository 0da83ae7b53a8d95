"""Pictures: the ownership network on a date, and the stakes between companies over time.

Both functions return a :class:`matplotlib.figure.Figure` (tests read its title and
legend) and :func:`save` writes it as PNG or SVG, atomically. Figures are built with
matplotlib's object API on the headless Agg canvas: pyplot and its global state are never
touched, so nothing needs a display. matplotlib is imported here only, and this module
only by the plot commands.

The network reads :func:`alliance_graph.export.ownership_network` (the ownership
module's snapshots); the timeline reads the best-ranked stakes of
:func:`alliance_graph.ownership.holdings` and draws the day bounds of each one as the
temporal model gives them (docs/temporal-model.md): solid where a figure certainly
held, faded and hatched where its start or end is only known within bounds.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections.abc import Sequence
from pathlib import Path

from .errors import UsageError
from .names import pick_label

RES = "https://w3id.org/alliance-graph/resource/"
AG = "https://w3id.org/alliance-graph/ontology#"

#: Events marked on the timeline when the graph has them: IRI -> short caption. The
#: dates come from the graph (ag:dateEarliest), never from here.
KEY_EVENTS = {
    RES + "agreement-1999": "Alliance agreement",
    RES + "transaction-2002-nissan-capital-increase": "cross-holding",
    RES + "transaction-2016-nissan-mmc": "Nissan buys 34% of Mitsubishi",
    RES + "event-ghosn-arrest-2018": "Ghosn arrested",
    RES + "transaction-2023-rebalancing": "rebalancing",
    RES + "agreement-2025": "amended agreement",
}

FORMATS = ("png", "svg")

# Colours: Okabe-Ito, legible for colour-blind readers.
_SERIES_COLOURS = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#8C564B",
    "#7F7F7F",
]
_KIND_COLOURS = {
    "Company": "#dbe9f6",
    "JointVenture": "#dcefd9",
    "State": "#fbeccb",
    "Trust": "#ebe1f3",
    "PensionTrust": "#ebe1f3",
}
_VOTING_COLOUR = "#1f3b5c"
_NON_VOTING_COLOUR = "#D55E00"


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110)
    FigureCanvasAgg(fig)
    return fig


def save(fig, path: str | Path, *, reading=()) -> Path:
    """Write ``fig`` to ``path`` as PNG or SVG (by suffix), atomically, never over one of
    the files it is drawn from (``reading``)."""
    from .export import write_atomically

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(f"{path}: the picture's name must end in .png or .svg")

    def write(stream):
        stream.write(to_bytes(fig, fmt))

    write_atomically(path, write, reading=reading)
    return path


def to_bytes(fig, fmt: str = "svg") -> bytes:
    """``fig`` as PNG or SVG bytes, as :func:`save` writes them."""
    import matplotlib

    if fmt not in FORMATS:
        raise UsageError(f"picture format {fmt!r}: choose png or svg")
    buffer = io.BytesIO()  # matplotlib writes in pieces; the file gets it whole
    # SVG keeps its text as text (smaller, searchable); no dates, so that the same
    # figure always gives the same bytes.
    metadata = {"Software": None} if fmt == "png" else {"Date": None}
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "alliance-graph"}):
        fig.savefig(buffer, format=fmt, dpi=150 if fmt == "png" else None, metadata=metadata)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# The ownership network on a date
# ---------------------------------------------------------------------------------------


def _layout(net) -> dict:
    """Positions for a small ownership network: the two best-connected companies side by
    side in the middle, the others on an ellipse around them, each on the side of the
    company it is linked to. Larger networks fall back to Kamada-Kawai."""
    import itertools
    import math

    import networkx as nx

    nodes = sorted(net.nodes)
    if not nodes:
        return {}
    undirected = nx.Graph(net.to_undirected())
    if len(nodes) <= 3:
        return {n: (math.cos(2 * math.pi * i / len(nodes) + math.pi),
                    0.6 * math.sin(2 * math.pi * i / len(nodes) + math.pi))
                for i, n in enumerate(nodes)}  # fmt: skip
    if len(nodes) > 14:
        return nx.kamada_kawai_layout(undirected, pos=nx.circular_layout(nodes), weight=None)

    hubs = sorted(nodes, key=lambda n: (-undirected.degree(n), n))[:2]
    # The hub that holds more goes left, so that the main arrows read left to right.
    hubs.sort(key=lambda n: (-sum(p for *_, p in net.out_edges(n, data="percent")), n))
    pos = {hubs[0]: (-1.25, 0.0), hubs[1]: (1.25, 0.0)}
    outer = [n for n in nodes if n not in hubs]
    preferred = {}
    alternate = 0
    for n in outer:
        links = [h for h in hubs if undirected.has_edge(n, h)]
        if len(links) == 1:
            preferred[n] = math.pi if links[0] == hubs[0] else 0.0
        else:  # linked to both hubs or to neither: above or below the middle, in turn
            preferred[n] = math.pi / 2 if alternate % 2 == 0 else 3 * math.pi / 2
            alternate += 1
    order = sorted(outer, key=lambda n: (preferred[n], n))
    # Slots evenly spaced on the ellipse, at least eight so that nodes can sit where they
    # prefer; nodes keep their angular order, and the assignment with the smallest
    # squared angular error wins.
    slots = max(len(order), 8)
    angles = [2 * math.pi * k / slots for k in range(slots)]

    def angle_gap(a, b):
        d = abs(a - b) % (2 * math.pi)
        return min(d, 2 * math.pi - d)

    best = None
    for chosen in itertools.combinations(range(slots), len(order)):
        for shift in range(len(order)):
            picked = [angles[chosen[(i + shift) % len(order)]] for i in range(len(order))]
            cost = sum(angle_gap(a, preferred[n]) ** 2 for a, n in zip(picked, order, strict=True))
            if best is None or cost < best[0] - 1e-9:
                best = (cost, picked)
    for n, a in zip(order, best[1], strict=True):
        pos[n] = (3.3 * math.cos(a), 1.8 * math.sin(a))
    return pos


def network(graph, at=None, *, reading: str | None = None, links=None):
    """Draw the ownership network on ``at`` (a date or YYYY[-MM[-DD]]; today when None).

    Companies are boxes coloured by kind; each stake is an arrow from holder to held,
    labelled with its percent of capital (and the intermediary it is held through).
    Shares without votes are dashed; a figure the reading cannot confirm for that date
    ends in '?'. ``links`` maps node IRIs to URLs: in SVG their boxes and names become
    links. Returns the Figure.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

    from .export import ownership_arrows, ownership_network

    net = ownership_network(graph, at, reading)
    pos = _layout(net)
    fig = _figure(11, 7.6)
    ax = fig.add_axes((0.02, 0.1, 0.96, 0.8))
    ax.set_axis_off()
    title = f"Ownership on {net.graph['at']}"
    fig.suptitle(title, fontsize=16, fontweight="bold", y=0.975)
    fig.text(0.5, 0.905, f"Arrows run from holder to held company; percent of capital "
             f"({net.graph['reading']} reading of uncertain dates)",
             ha="center", fontsize=10, color="#444444")  # fmt: skip
    if not pos:
        ax.text(0.5, 0.5, "No stakes on this date", ha="center", va="center", fontsize=14)
        return fig

    renderer = fig.canvas.get_renderer()
    texts = {}
    for node in sorted(net.nodes):
        label = "\n".join(textwrap.wrap(net.nodes[node].get("label") or node, 20))
        texts[node] = ax.text(*pos[node], label, ha="center", va="center", fontsize=11,
                              zorder=4, fontweight="bold", color="#1b1b1b")  # fmt: skip
    ax.set_aspect("equal", adjustable="box")
    half = {n: (0.0, 0.0) for n in pos}
    for _ in range(4):  # fit the limits to the boxes; their size in data units follows
        ax.set_xlim(min(pos[n][0] - half[n][0] for n in pos) - 0.15,
                    max(pos[n][0] + half[n][0] for n in pos) + 0.15)  # fmt: skip
        ax.set_ylim(min(pos[n][1] - half[n][1] for n in pos) - 0.15,
                    max(pos[n][1] + half[n][1] for n in pos) + 0.15)  # fmt: skip
        ax.apply_aspect()
        half = {n: _half_size(ax, texts[n], renderer, pad=0.1) for n in pos}

    boxes, kinds_seen = {}, []
    for node in sorted(net.nodes):
        (x, y), (hw, hh) = pos[node], half[node]
        kind = net.nodes[node].get("kind", "Company")
        if kind not in kinds_seen:
            kinds_seen.append(kind)
        box = FancyBboxPatch(
            (x - hw, y - hh), 2 * hw, 2 * hh, boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=_KIND_COLOURS.get(kind, "#eeeeee"), edgecolor="#555555", linewidth=1.2,
            zorder=3,
        )  # fmt: skip
        ax.add_patch(box)
        boxes[node] = box
        if links and node in links:
            box.set_url(links[node])
            texts[node].set_url(links[node])

    arrows = ownership_arrows(net)
    per_pair: dict = {}
    for u, v, *_ in arrows:
        per_pair[(u, v)] = per_pair.get((u, v), 0) + 1
    taken = [(pos[n][0] - half[n][0], pos[n][1] - half[n][1],
              pos[n][0] + half[n][0], pos[n][1] + half[n][1]) for n in pos]  # fmt: skip
    drawn, seen = [], {}
    for u, v, caption, voting in arrows:
        index = seen.get((u, v), 0)
        seen[(u, v)] = index + 1
        # Arrows between the same two companies (both ways, or several positions) bend
        # apart; arc3 bends A->B and B->A to opposite sides.
        alone = per_pair[(u, v)] == 1 and (v, u) not in per_pair
        rad = 0.0 if alone else 0.16 + 0.2 * index
        colour = _VOTING_COLOUR if voting else _NON_VOTING_COLOUR
        ax.add_patch(FancyArrowPatch(
            pos[u], pos[v], patchA=boxes[u], patchB=boxes[v],
            connectionstyle=f"arc3,rad={rad}", arrowstyle="-|>", mutation_scale=20,
            linewidth=2.0, linestyle="-" if voting else (0, (5, 3)), color=colour, zorder=2,
            shrinkA=3, shrinkB=3,
        ))  # fmt: skip
        drawn.append((u, v, rad, caption, colour))
    curves = [[_on_arc(pos[u], pos[v], rad, i / 40) for i in range(41)]
              for u, v, rad, *_ in drawn]  # fmt: skip

    for number, (u, v, rad, caption, colour) in enumerate(drawn):
        uncertain = caption.endswith(" (uncertain)")
        text = caption.removesuffix(" (uncertain)")
        text = text.replace(" via ", "\nvia ") + (" ?" if uncertain else "")
        label = ax.text(0, 0, text, ha="center", va="center", fontsize=9.5, color=colour,
                        zorder=5, fontstyle="italic" if uncertain else "normal",
                        bbox={"boxstyle": "round,pad=0.25", "facecolor": "white",
                              "edgecolor": colour, "linewidth": 0.8, "alpha": 0.95})  # fmt: skip
        hw, hh = _half_size(ax, label, renderer, pad=0.03)
        others = [pt for i, c in enumerate(curves) if i != number for pt in c]
        # The label sits on its arrow, where it covers the fewest boxes, other labels and
        # other arrows, nearest the middle on a tie.
        # On a short straight arrow the label would hide it: there it sits beside it.
        (xa, ya), (xb, yb) = pos[u], pos[v]
        length = math.hypot(xb - xa, yb - ya) or 1.0
        visible = length - _reach(half[u], xb - xa, yb - ya) - _reach(half[v], xb - xa, yb - ya)
        side = 0.0 if rad or visible > 2 * hw + 0.45 else hh + 0.06
        nx_, ny_ = (ya - yb) / length, (xb - xa) / length  # unit normal, left of travel
        best = None
        for t in (0.5, 0.43, 0.57, 0.36, 0.64, 0.3, 0.7, 0.25, 0.75):
            x, y = _on_arc(pos[u], pos[v], rad, t)
            x, y = x + side * nx_, y + side * ny_
            rect = (x - hw, y - hh, x + hw, y + hh)
            cost = 10 * sum(_overlap(rect, r) for r in taken) + sum(
                rect[0] < px < rect[2] and rect[1] < py < rect[3] for px, py in others
            )
            if best is None or cost < best[0]:
                best = (cost, x, y, rect)
            if cost == 0:
                break
        label.set_position(best[1:3])
        taken.append(best[3])

    handles = [
        Line2D([], [], color=_VOTING_COLOUR, linewidth=2, label="shares with votes"),
        Line2D([], [], color=_NON_VOTING_COLOUR, linewidth=2, linestyle=(0, (5, 3)),
               label="shares without votes"),
        Line2D([], [], color="#444444", linestyle="none", marker="$?$", markersize=9,
               label="figure not certain on this date"),
    ]  # fmt: skip
    handles += [
        Patch(facecolor=_KIND_COLOURS.get(k, "#eeeeee"), edgecolor="#555555", label=_words(k))
        for k in kinds_seen
    ]
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 4), frameon=False,
               fontsize=10, bbox_to_anchor=(0.5, 0.005))  # fmt: skip
    return fig


def _reach(half: tuple[float, float], dx: float, dy: float) -> float:
    """How far a line from a box's centre in direction (dx, dy) runs inside the box."""
    hw, hh = half
    scales = [hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf]
    return min(scales) * math.hypot(dx, dy)


def _half_size(ax, text, renderer, pad: float) -> tuple[float, float]:
    """Half the width and height of ``text`` in data units, plus ``pad``."""
    extent = text.get_window_extent(renderer)
    inverse = ax.transData.inverted()
    (x0, y0), (x1, y1) = inverse.transform([(extent.x0, extent.y0), (extent.x1, extent.y1)])
    return abs(x1 - x0) / 2 + pad, abs(y1 - y0) / 2 + pad


def _on_arc(a, b, rad: float, t: float) -> tuple[float, float]:
    """The point at ``t`` on matplotlib's arc3 curve from ``a`` to ``b`` (a quadratic
    Bezier whose control point is ``rad`` times the chord off its middle)."""
    (xa, ya), (xb, yb) = a, b
    cx = (xa + xb) / 2 + rad * (yb - ya)
    cy = (ya + yb) / 2 - rad * (xb - xa)
    s = 1 - t
    return s * s * xa + 2 * s * t * cx + t * t * xb, s * s * ya + 2 * s * t * cy + t * t * yb


def _overlap(r1, r2) -> bool:
    return r1[0] < r2[2] and r2[0] < r1[2] and r1[1] < r2[3] and r2[1] < r1[3]


def _words(kind: str) -> str:
    spaced = "".join(" " + c.lower() if c.isupper() and i else c for i, c in enumerate(kind))
    return spaced[0].upper() + spaced[1:]


# ---------------------------------------------------------------------------------------
# The stakes over time
# ---------------------------------------------------------------------------------------


def alliance_members(graph) -> list[str]:
    """The IRIs of the companies that were ever members of an ag:Alliance, by label."""
    from rdflib import RDF, RDFS, Namespace

    ag = Namespace(AG)
    alliances = set(graph.subjects(RDF.type, ag.Alliance))
    members = set()
    for membership in graph.subjects(RDF.type, ag.Membership):
        if (membership, RDF.type, ag.BestRank) not in graph:
            continue
        if any(o in alliances for o in graph.objects(membership, ag.organisation)):
            members.update(str(m) for m in graph.objects(membership, ag.member))

    def label(m):
        # The label every face shows (names.pick_label), not whichever rdflib lists first.
        given = graph.objects(_iri(m), RDFS.label)
        return pick_label((str(v), getattr(v, "language", None)) for v in given) or m

    return sorted(members, key=label)


def _iri(text: str):
    from rdflib import URIRef

    return URIRef(text)


def key_events(graph, events: dict[str, str] | None = None) -> list[tuple[dt.date, str, str]]:
    """(date, caption, IRI) of the key events the graph holds, by date.

    The date is the event's ``ag:dateEarliest`` (its first possible day); events the graph
    does not hold are left out.
    """
    from rdflib import Namespace

    ag = Namespace(AG)
    found = []
    for iri, caption in (events if events is not None else KEY_EVENTS).items():
        value = graph.value(_iri(iri), ag.dateEarliest) or graph.value(_iri(iri), ag.date)
        if value is None:
            continue
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            continue
        found.append((day, caption, iri))
    return sorted(found)


def _x(day: dt.date) -> float:
    from matplotlib.dates import date2num

    return float(date2num(day))


def timeline(
    graph,
    companies: Sequence[str] | None = None,
    *,
    events: dict[str, str] | None = None,
    until: dt.date | None = None,
    zoom: tuple[dt.date, dt.date] | None | str = "auto",
):
    """Draw the stakes among ``companies`` over time as step lines; returns the Figure.

    ``companies`` are names (label, alternative label or IRI); by default the members of
    the Alliance. Each position (a holder's stake in a company, held directly or through
    an intermediary) has one colour: solid where the figure certainly held, faded where it
    only possibly held, hatched across the window in which an undated change happened;
    dashed where the shares carry no votes. Key events are marked on the time axis.
    The axis ends at ``until`` (default: shortly after the last date in the data).
    ``zoom`` adds a panel that enlarges a period: ``"auto"`` picks the run of changes
    after the last quiet spell of three years or more, if there is one; None, no panel.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from . import ownership
    from .entities import resolve

    held = ownership.holdings(graph)
    if companies:
        chosen = list(dict.fromkeys(resolve(held, name) for name in companies))
    else:
        chosen = alliance_members(graph)
    if len(chosen) < 2 and not companies:
        raise UsageError(
            "plot timeline needs at least two distinct companies: none were named, and "
            f"the data has {len(chosen)} member(s) of an ag:Alliance to take by default; "
            "name the companies (plot timeline A B ...)"
        )
    if len(chosen) < 2:
        raise UsageError("plot timeline needs at least two distinct companies")
    wanted = set(chosen)
    stakes = [s for s in held.stakes if s.holder in wanted and s.held in wanted]
    if not stakes:
        names = ", ".join(held.label(c) for c in chosen)
        raise UsageError(f"no stakes between {names} in the data")

    positions: dict[tuple, list] = {}
    for s in stakes:
        positions.setdefault((s.holder, s.held, s.through), []).append(s)
    found_events = key_events(graph, events)

    changes = sorted({d for s in stakes for d in _bounds(s) if d is not None})
    if not changes:
        names = ", ".join(held.label(c) for c in chosen)
        raise UsageError(
            f"the stakes between {names} have no dates (no start, no end): a timeline has "
            "no axis to draw them on (alliance-graph ownership stake answers them)"
        )
    days = changes + [d for d, *_ in found_events]
    last = until or max(days) + dt.timedelta(days=200)
    first = dt.date(min(days).year, 1, 1)
    if zoom == "auto":
        zoom = _dense_tail(changes, last)
    top = max(s.percent for s in stakes) * 1.38

    # Height in inches: titles 1.15, plot 4.4, tick labels 0.45, then one line of legend
    # per row of series (two lines where a label wraps) and the legend of line styles.
    order = sorted(positions, key=lambda k: (held.label(k[0]), held.label(k[1]), k[2] or ""))
    labels = [_series_label(held, k, positions[k], first) for k in order]
    ncol = 2 if len(order) <= 4 else 3
    rows = [labels[i : i + ncol] for i in range(0, len(labels), ncol)]
    legend_h = sum(0.18 * max(label.count("\n") + 1 for label in row) + 0.06 for row in rows)
    height = 1.15 + 4.4 + 0.45 + legend_h + 0.4
    fig = _figure(13, height)
    bottom = (0.4 + legend_h + 0.45) / height
    plot_h = 4.4 / height
    names = [held.label(c) for c in chosen]
    fig.suptitle("Stakes between " + _join(names) + " over time", fontsize=15,
                 fontweight="bold", y=1 - 0.18 / height)  # fmt: skip
    fig.text(0.5, 1 - 0.62 / height, "Percent of capital held. Solid where the figure "
             "certainly held; faded, with a hatched window, where sources only bound the day "
             "it changed",
             ha="center", fontsize=10, color="#444444")  # fmt: skip
    if zoom:
        main = fig.add_axes((0.055, bottom, 0.62, plot_h))
        side = fig.add_axes((0.715, bottom, 0.27, plot_h), sharey=main)
        panels = [(main, first, last), (side, zoom[0], zoom[1])]
    else:
        main = fig.add_axes((0.06, bottom, 0.92, plot_h))
        panels = [(main, first, last)]

    colours = dict(zip(order, _cycle(_SERIES_COLOURS, len(order)), strict=True))
    for ax, x0, x1 in panels:
        # Within the enlarged period, the main panel leaves figures and captions to the
        # enlargement, where they have room.
        until_zoom = zoom[0] if zoom and ax is main else x1
        placed: list = []
        for key in order:
            series = sorted(positions[key], key=lambda s: _bounds(s)[0] or dt.date.min)
            _draw_series(ax, series, colours[key], first, last, top, (x0, x1, until_zoom), placed)
        _format_time_axis(ax, x0, x1, top)
        for day, *_ in found_events:
            if x0 <= day <= x1:
                ax.axvline(_x(day), color="#888888", linestyle=":", linewidth=1.2, zorder=0)
        captioned = [e for e in found_events if x0 <= e[0] <= until_zoom]
        _mark_events(ax, captioned, x0, x1, top, full_date=ax is not main)
    if zoom:
        main.axvspan(_x(zoom[0]), _x(zoom[1]), color="#eeeeee", zorder=0)
        main.text(_x(zoom[1]) - 0.012 * (zoom[1] - first).days, top * 0.985, "enlarged",
                  rotation=90, ha="right", va="top", fontsize=8.5, color="#555555")  # fmt: skip
        side.set_title(f"{zoom[0]:%b %Y} to {zoom[1]:%b %Y}, enlarged", fontsize=10)
        side.tick_params(labelleft=False)
        side.set_ylabel("")
        side.set_facecolor("#fafafa")

    series_handles = [
        Line2D([], [], color=colours[key], linewidth=2.5, label=label)
        for key, label in zip(order, labels, strict=True)
    ]
    fig.legend(handles=series_handles, loc="upper center", ncol=ncol, fontsize=9.5,
               frameon=False, bbox_to_anchor=(0.5, (0.4 + legend_h + 0.05) / height))  # fmt: skip
    style_handles = [
        Line2D([], [], color="#555555", linewidth=2.5, label="shares with votes"),
        Line2D([], [], color="#555555", linewidth=2.5, linestyle=(0, (4, 2)),
               label="shares without votes"),
        Line2D([], [], color="#555555", linewidth=2.5, alpha=0.3,
               label="possibly held (day of change unknown)"),
        Patch(facecolor="none", edgecolor="#777777", hatch="////",
              label="window in which the figure changed"),
        Line2D([], [], color="#888888", linestyle=":", linewidth=1.2, label="key event"),
    ]  # fmt: skip
    fig.legend(handles=style_handles, loc="lower center", ncol=5, frameon=False, fontsize=9.5,
               bbox_to_anchor=(0.5, 0.0))  # fmt: skip
    return fig


def _series_label(held, key: tuple, series: list, first: dt.date) -> str:
    holder, target, through = key
    label = f"{held.label(holder)} → {held.label(target)}"
    if through:
        label += f" via {held.label(through)}"
    votes = [s.voting for s in series]
    if not any(votes):
        label += " (no votes)"
    elif not all(votes):
        since = min(_bounds(s)[0] or first for s in series if s.voting)
        label += f" (votes from {since.year})"
    return textwrap.fill(label, 46)


def _dense_tail(changes: list[dt.date], last: dt.date) -> tuple[dt.date, dt.date] | None:
    """The period after the last gap of three years or more between changes, when at
    least four changes crowd into it and it is short next to the whole axis."""
    for before, after in zip(reversed(changes[:-1]), reversed(changes[1:]), strict=True):
        if (after - before).days >= 3 * 365:
            start = after - dt.timedelta(days=120)
            tail = [d for d in changes if d >= after]
            whole = (last - changes[0]).days
            if len(tail) >= 4 and (last - start).days < whole / 4:
                return start, last
            return None
    return None


def _format_time_axis(ax, x0: dt.date, x1: dt.date, top: float) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    ax.set_xlim(_x(x0), _x(x1))
    ax.set_ylim(0, top)
    ax.set_ylabel("percent of capital")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:g}%")
    locator = AutoDateLocator(minticks=4, maxticks=14)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _cycle(colours: list[str], n: int) -> list[str]:
    return [colours[i % len(colours)] for i in range(n)]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _bounds(stake) -> tuple:
    i = stake.interval
    return i.start_earliest, i.start_latest, i.end_earliest, i.end_latest


def _draw_series(ax, series, colour, first, last, top, panel, placed) -> None:
    """One position's stakes: certain spans solid, possible spans faded, changes hatched.

    ``panel`` is (first day, last day, last day to label) of the axes drawn on.
    """
    previous = None
    for stake in series:
        se, sl, ee, el = _bounds(stake)
        level = stake.percent
        style = "-" if stake.voting else (0, (4, 2))
        left = max(se or first, first)
        solid_to = min(ee if ee is not None else (el if el is not None else last), last)
        faded_to = min(el if el is not None else last, last)
        line = {"color": colour, "linewidth": 2.5, "linestyle": style,
                "solid_capstyle": "butt"}  # fmt: skip

        if sl is not None and sl < solid_to:
            _level(ax, sl, solid_to, level, zorder=3, **line)
        if sl is None or left < sl:  # possible before it is certain
            _level(ax, left, min(sl or faded_to, faded_to), level, alpha=0.3, zorder=2, **line)
        if faded_to > solid_to:  # possible after its end may have come
            _level(ax, solid_to, faded_to, level, alpha=0.3, zorder=2, **line)
        _percent_label(ax, left, faded_to, level, colour, top, panel, placed)

        # How the line reaches this level: a step on a known day, or a hatched window.
        before = previous.percent if previous is not None else 0.0
        if se is not None and se == sl:
            ax.plot([_x(se), _x(se)], [before, level], color=colour, linewidth=1.6,
                    linestyle=style, zorder=3)  # fmt: skip
        elif se is not None and sl is not None:
            low, high = sorted((before, level))
            if high - low < top * 0.012:
                low, high = low - top * 0.012, high + top * 0.012
            ax.fill_between([_x(se), _x(sl)], low, high, facecolor="none", edgecolor=colour,
                            hatch="////", linewidth=0, alpha=0.6, zorder=1)  # fmt: skip
        previous = stake
        # A stake that ends on a known day with no successor drops to zero then.
        if stake is series[-1] and ee is not None and ee == el and ee <= last:
            ax.plot([_x(ee), _x(ee)], [level, 0], color=colour, linewidth=1.6,
                    linestyle=style, zorder=3)  # fmt: skip


def _level(ax, start: dt.date, end: dt.date, level: float, **style) -> None:
    """A horizontal line at ``level`` from ``start`` to ``end``."""
    ax.plot([_x(start), _x(end)], [level, level], **style)


def _percent_label(ax, left, right, level, colour, top, panel, placed) -> None:
    """Write the figure above (or else below) the middle of its visible span, when the
    span is wide enough and the place is free; ``placed`` holds the labels so far."""
    x0, x1, label_until = panel
    a, b = max(left, x0), min(right, label_until)
    width = (x1 - x0).days
    if (b - a).days < 0.035 * width:
        return
    middle = _x(a) + ((b - a).days) / 2
    half_w = 0.028 * width + 0.004 * width * len(f"{level:g}")
    height = top * 0.055
    for y0 in (level + top * 0.012, level - top * 0.012 - height):
        if y0 < 0:
            continue
        rect = (middle - half_w, y0, middle + half_w, y0 + height)
        if not any(_overlap(rect, r) for r in placed):
            placed.append(rect)
            ax.text(middle, y0, f"{level:g}%", ha="center", va="bottom", fontsize=9.5,
                    color=colour, fontweight="bold", zorder=4,
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white",
                          "edgecolor": "none", "alpha": 0.8})  # fmt: skip
            return


def _mark_events(ax, events, x0, x1, top, *, full_date: bool) -> None:
    """A dotted line and a caption for each event; captions step down when they would
    run into the previous one, and turn left near the right edge."""
    width = (x1 - x0).days
    rows: list[float] = []  # right end of the last caption in each row, in days from x0
    for day, caption, _ in events:
        x = _x(day)
        ax.axvline(x, color="#888888", linestyle=":", linewidth=1.2, zorder=0)
        text = f"{day:%Y-%m-%d} {caption}" if full_date else f"{day.year} {caption}"
        length = len(text) * width * (0.0095 if not full_date else 0.021)
        offset = (day - x0).days
        to_left = offset + length > width
        start, end = (offset - length, offset) if to_left else (offset, offset + length)
        row = next((i for i, right in enumerate(rows) if start > right), len(rows))
        if row == len(rows):
            rows.append(end)
        else:
            rows[row] = end
        ax.text(x, top * (0.985 - 0.06 * row), f" {text} " if not to_left else f"{text} ",
                ha="right" if to_left else "left", va="top", fontsize=8.5, color="#333333",
                bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none",
                      "alpha": 0.85}, zorder=5)  # fmt: skip
