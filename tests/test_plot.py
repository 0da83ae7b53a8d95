"""Pictures: what the figures say (title, legend, labels, events), and the files written."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from alliance_graph import plot
from alliance_graph.cli import cli, main
from alliance_graph.errors import UsageError
from alliance_graph.graph import load
from alliance_graph.temporal import AG

RES = "https://w3id.org/alliance-graph/resource/"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _texts(fig) -> list[str]:
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [t.get_text() for t in ax.texts] + [ax.get_title()]
    return found


def _legend_labels(fig) -> list[str]:
    labels = []
    for legend in fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend()]:
        labels += [t.get_text() for t in legend.get_texts()]
    return labels


@pytest.fixture(scope="module")
def network_2015(graph):
    return plot.network(graph, "2015-06-30")


def test_network_has_title_legend_and_labelled_stakes(network_2015):
    fig = network_2015
    assert fig._suptitle.get_text() == "Ownership on 2015-06-30"
    legend = _legend_labels(fig)
    assert {"shares with votes", "shares without votes", "Company", "State"} <= set(legend)
    texts = _texts(fig)
    assert "43.4%" in texts  # Renault in Nissan, certain on that day
    assert "15%\nvia Nissan Finance Co." in texts  # Nissan in Renault, without votes
    assert {"Renault", "Nissan Motor", "French State"} <= set(texts)


def test_network_draws_non_voting_stakes_dashed(network_2015):
    from matplotlib.patches import FancyArrowPatch

    arrows = [p for ax in network_2015.axes for p in ax.patches if isinstance(p, FancyArrowPatch)]
    dashed = [a for a in arrows if a.get_linestyle() not in ("-", "solid")]
    assert len(arrows) >= 8
    assert len(dashed) == 1  # only Nissan's shares in Renault carried no votes in 2015


def test_network_labels_do_not_overlap(network_2015):
    fig = network_2015
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for ax in fig.axes for t in ax.texts if t.get_text()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_timeline_has_series_events_and_styles(graph):
    fig = plot.timeline(graph)
    assert "Renault" in fig._suptitle.get_text() and "Nissan Motor" in fig._suptitle.get_text()
    legend = _legend_labels(fig)
    assert "Renault → Nissan Motor" in legend
    assert any(label.startswith("Nissan Motor → Mitsubishi Motors") for label in legend)
    assert {"shares with votes", "shares without votes", "key event"} <= set(legend)
    assert "window in which the figure changed" in legend
    texts = " | ".join(_texts(fig))
    for caption in ("1999 Alliance agreement", "2002 cross-holding", "2016 Nissan buys",
                    "2018 Ghosn arrested", "2023-11-08 rebalancing",
                    "2025-03-31 amended agreement"):  # fmt: skip
        assert caption in texts
    assert "44.4%" in texts and "43.4%" in texts


def test_timeline_reads_event_dates_from_the_graph():
    graph = load()
    event = URIRef(RES + "agreement-1999")
    graph.set((event, AG.dateEarliest, Literal("2000-06-01", datatype=XSD.date)))
    events = plot.key_events(graph)
    assert (events[0][0].isoformat(), events[0][1]) == ("2000-06-01", "Alliance agreement")
    graph.remove((event, None, None))
    assert all(iri != str(event) for *_, iri in plot.key_events(graph))


def test_timeline_needs_two_companies_with_stakes(graph):
    with pytest.raises(UsageError, match="at least two"):
        plot.timeline(graph, ["Renault", "renault"])
    with pytest.raises(UsageError, match="no stakes between"):
        plot.timeline(graph, ["Mitsubishi Motors", "French State"])


def test_save_writes_valid_png_and_svg(network_2015, tmp_path):
    png = plot.save(network_2015, tmp_path / "n.png")
    assert png.read_bytes()[:8] == PNG_MAGIC
    svg = plot.save(network_2015, tmp_path / "n.svg")
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Ownership on 2015-06-30" in svg.read_text()  # text kept as text
    with pytest.raises(UsageError, match=r"\.png or \.svg"):
        plot.save(network_2015, tmp_path / "n.jpg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.png", "n.svg"]


def test_save_keeps_the_old_picture_when_drawing_fails(network_2015, tmp_path, monkeypatch):
    target = tmp_path / "n.png"
    target.write_bytes(b"old picture")

    def broken(*args, **kwargs):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(network_2015, "savefig", broken)
    with pytest.raises(RuntimeError):
        plot.save(network_2015, target)
    assert target.read_bytes() == b"old picture"
    assert [p.name for p in tmp_path.iterdir()] == ["n.png"]


def test_cli_plot_commands(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["plot", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output
    out = tmp_path / "net.png"
    result = runner.invoke(cli, ["plot", "network", "--at", "2024-06-30", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == PNG_MAGIC
    out = tmp_path / "t.svg"
    result = runner.invoke(cli, ["plot", "timeline", "Renault", "nissan", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert ET.parse(out).getroot().tag.endswith("svg")


def test_cli_plot_unknown_company_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["plot", "timeline", "Renault", "Nobody Motors", "-o", str(tmp_path / "t.png")])
    assert exc.value.code == 2
    assert "no entity is named 'Nobody Motors'" in capsys.readouterr().err
    assert not (tmp_path / "t.png").exists()


def test_cli_plot_timeline_on_data_without_an_alliance_says_why(tmp_path, capsys):
    # The default companies are the members of an ag:Alliance: data without one is told
    # that, and to name the companies; nothing is written.
    data = tmp_path / "two.ttl"
    data.write_text(
        "@prefix ag: <https://w3id.org/alliance-graph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<http://example.org/A> a ag:Company ; rdfs:label "A"@en .\n',
        encoding="utf-8",
    )
    out = tmp_path / "t.svg"
    with pytest.raises(SystemExit) as exc:
        main(["plot", "timeline", "--data", str(data), "-o", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "none were named" in err and "0 member(s) of an ag:Alliance" in err
    assert not out.exists()
