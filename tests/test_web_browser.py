"""A real headless Chromium (Debian's ``chromium``, driven by Playwright with its executable
path set) on the server started for real: home, search, entity page, the explorer's time
slider, a saved-query form and its CSV download. Screenshots go to a temporary folder;
``ALLIANCE_GRAPH_SCREENSHOTS=docs/img pytest tests/test_web_browser.py`` writes the ones
the docs show (a test run never changes a tracked file).

Without the browser these tests fail, saying so: .ci/run installs it (apt-get install
chromium); Playwright's own browser download is never used.
"""

from __future__ import annotations

import csv
import datetime
import faulthandler
import io
import os
import shutil
import sys
from pathlib import Path

import pytest
from test_web_protocol import live  # tests/ is on sys.path under pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("ALLIANCE_GRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the screenshots go: a temporary folder, or the one ALLIANCE_GRAPH_SCREENSHOTS
    names (docs/img to refresh the docs' pictures)."""
    chosen = os.environ.get("ALLIANCE_GRAPH_SCREENSHOTS")
    folder = (ROOT / chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    found = Path(CHROMIUM).exists() or shutil.which(CHROMIUM)
    assert found, (
        f"no Chromium at {CHROMIUM}: install Debian's chromium package "
        "(apt-get install -y chromium, as .ci/run does) or set ALLIANCE_GRAPH_CHROMIUM"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def site():
    with live() as server:
        yield server.url


@pytest.fixture(autouse=True)
def stacks_if_stuck():
    """Every thread's stack on stderr (which pytest shows with a failure) if a test here
    runs past 25 s, where one takes 8-9 s (the explorer's page stalled past Playwright's
    30 s before forked workers let go of the server's sockets: docs/testing.md). The
    live server's request log is in "Captured log call", the browser's in "Captured
    stderr teardown"."""
    faulthandler.dump_traceback_later(25, file=sys.__stderr__)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    events = _browser_events(pg)
    yield pg
    # What the browser asked for and when, on stderr: pytest shows it with a failure,
    # beside the server's log of what it answered ("Captured log call").
    print("browser events:", *events, sep="\n  ", file=sys.stderr)
    context.close()
    # No script error, and no Content-Security-Policy refusal of our own assets.
    assert [e for e in errors if "favicon" not in e and "404" not in e] == []


def _browser_events(pg) -> list[str]:
    events: list[str] = []

    def note(what: str):
        def record(item=None) -> None:
            now = datetime.datetime.now().strftime("%H:%M:%S.%f")[:-3]
            url = getattr(item, "url", "")
            failure = getattr(item, "failure", None) if what == "request failed" else None
            events.append(f"{now} {what} {url}{f' ({failure})' if failure else ''}".rstrip())

        return record

    for event, what in [
        ("request", "request"),
        ("requestfinished", "request finished"),
        ("requestfailed", "request failed"),
        ("domcontentloaded", "DOMContentLoaded"),
        ("load", "load"),
    ]:
        pg.on(event, note(what))
    return events


def test_search_open_entity_and_explore(page, site, shots):
    from playwright.sync_api import expect

    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alliance")
    page.screenshot(path=shots / "web-home.png")

    box = page.get_by_label("Search the graph")
    box.fill("Nissan")
    # suggestions arrive in the datalist from /api/suggest
    expect(page.locator("#site-search-suggestions option").first).to_be_attached()
    box.press("Enter")
    page.wait_for_url("**/search?q=Nissan")
    page.get_by_role("link", name="Nissan Motor", exact=True).first.click()
    page.wait_for_url("**/resource/NissanMotor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nissan Motor")
    expect(page.get_by_role("heading", name="Stakes held")).to_be_visible()
    page.get_by_label("Certainty of each fact on").fill("2019-07-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/resource/NissanMotor?at=2019-07-01")
    page.screenshot(path=shots / "web-entity.png")

    page.get_by_role("link", name="Open in the ownership explorer").click()
    # Its scripts have run by DOMContentLoaded (they are deferred), which is all the steps
    # below need. This page once stalled here in one run of three: a script's request on
    # a kept-alive connection that a forked query worker held open (docs/testing.md).
    page.wait_for_url("**/explorer**", wait_until="domcontentloaded")
    slider = page.get_by_label("Year")
    slider.fill("2001")
    network = page.locator("#explorer-view .svg")
    expect(page.locator("#net-title")).to_contain_text("2001-07-01")
    expect(network).not_to_contain_text("Mitsubishi Motors")
    slider.fill("2019")
    expect(page.locator("#net-title")).to_contain_text("2019-07-01")
    expect(network).to_contain_text("Mitsubishi Motors")
    assert "at=2019-07-01" in page.url
    # clicking a company in the picture opens its panel
    page.locator("#explorer-view svg a").filter(has_text="Mitsubishi Motors").first.click()
    expect(page.locator("#panel-title")).to_contain_text("Mitsubishi Motors")
    expect(page.locator(".panel")).to_contain_text("Nissan Motor")
    page.screenshot(path=shots / "web-explorer.png", full_page=True)
    # the holder's timeline is clickable: a day of it moves the explorer there
    table = page.locator("table.timeline").filter(has_text="Nissan Motor in Mitsubishi Motors")
    table.get_by_role("link", name="2016-10-20").click()
    expect(page.locator("#net-title")).to_contain_text("2016-10-20")
    expect(page.get_by_label("Year")).to_have_value("2016")
    expect(page.locator("#panel-title")).to_contain_text("Mitsubishi Motors")


def test_saved_query_form_and_csv_download(page, site, tmp_path, shots):
    from playwright.sync_api import expect

    page.goto(site + "/queries/stakes-on-date")
    page.get_by_label("date").fill("2019-07-01")
    page.get_by_label("reading").select_option("possible")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**/queries/stakes-on-date?**")
    table = page.locator("table.results")
    expect(table).to_contain_text("Mitsubishi Motors")
    page.screenshot(path=shots / "web-query.png")
    with page.expect_download() as info:
        page.locator("#download-csv").click()
    target = tmp_path / "stakes.csv"
    info.value.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert rows, "the CSV has rows"
    assert {"holder", "held", "percent"} <= set(rows[0])
    assert any(r["heldLabel"] == "Mitsubishi Motors" for r in rows)
    shown = table.locator("tbody tr").count()
    assert shown == len(rows)


def test_keyboard_reaches_the_search_box(page, site):
    from playwright.sync_api import expect

    page.goto(site + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
