"""Every view in headless Chromium with the network off: it loads without asking for anything,
draws as many nodes and links as its graph has, opens a node's details on a click, switches
language, searches, links to the other views, and shows hostile names as text."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser.viz_pages import ARTIFACTS, BUSINESS, READY, ViewPage, open_view

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def page_of(loaded: ViewPage) -> Page:
    assert loaded.page is not None
    return loaded.page


def test_a_view_loads_offline_asking_for_nothing(loaded: ViewPage) -> None:
    page = page_of(loaded)
    assert loaded.requests == []
    assert loaded.errors == []
    assert page.evaluate("document.body.dataset.ready") == "true"


def test_a_view_draws_every_node_and_link_of_its_graph(loaded: ViewPage) -> None:
    counts = page_of(loaded).evaluate(
        """() => { const v = window.skgView, body = v.network.body;
                   v.openAll();
                   return [v.nodes.length, v.edges.length,
                           body.nodeIndices.length, body.edgeIndices.length]; }"""
    )
    assert counts == [loaded.nodes, loaded.edges, loaded.nodes, loaded.edges]
    shown = page_of(loaded).locator("#skg-counts").text_content() or ""
    assert shown.startswith(f"{loaded.nodes} nodes · {loaded.edges} links")


def test_clicking_a_node_opens_its_details(loaded: ViewPage) -> None:
    page = page_of(loaded)
    page.evaluate("() => window.skgView.openAll()")
    target: dict[str, Any] = page.evaluate(
        """() => { const n = window.skgView.network, box = n.canvas.frame.getBoundingClientRect();
                   for (const id of window.skgView.nodes.getIds()) {
                     const p = n.canvasToDOM(n.getPosition(id));
                     if (p.x < 20 || p.y < 20 || p.x > box.width - 20 || p.y > box.height - 20)
                       continue;
                     if (n.getNodeAt(p) === id) return {id, x: p.x + box.left, y: p.y + box.top};
                   }
                   return null; }"""
    )
    assert target is not None, "no node stands clear on the canvas"
    page.mouse.click(target["x"], target["y"])
    heading = page.locator("#skg-details h2")
    heading.wait_for()
    assert heading.text_content() == loaded.labels[target["id"]]["en"]
    assert page.locator("#skg-details .skg-iri").text_content()
    kind = page.locator("#skg-details .skg-kind").text_content() or ""
    assert kind.startswith("Kind: ")


def test_the_language_switch_changes_the_labels(loaded: ViewPage) -> None:
    page = page_of(loaded)
    changing = [n for n, t in loaded.labels.items() if t["nl"] != t["en"]]
    page.select_option("#skg-lang", "nl")
    labels = page.evaluate("() => window.skgView.nodes.get().map(n => [n.id, n.label])")
    assert dict(labels) == {n: t["nl"] for n, t in loaded.labels.items()}
    if loaded.view not in ("query",):
        assert changing
    assert page.locator("#skg-legend h2").text_content() == "Legenda"
    assert page.evaluate("document.documentElement.lang") == "nl"
    page.select_option("#skg-lang", "lv")
    assert page.locator("#skg-legend h2").text_content() == "Leģenda"
    page.select_option("#skg-lang", "en")


def test_a_screenshot_is_kept(loaded: ViewPage) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{loaded.view}.png"
    page_of(loaded).screenshot(path=str(path))
    assert path.stat().st_size > 10_000


def test_hostile_names_show_as_text(browser: Browser, written: dict[str, ViewPage]) -> None:
    shown = open_view(browser, written["assessment"])
    page = page_of(shown)
    business = f"https://w3id.org/servicekg/business/{BUSINESS}"
    page.evaluate("id => window.skgView.select(id)", business)
    assert page.locator("#skg-details h2").text_content() == "<script>alert(1)</script>"
    assert "<b>Rīga</b>" in (page.locator("#skg-details table").text_content() or "")
    assert page.locator("#skg-details b, #skg-details script").count() == 0
    title = page.evaluate("document.title")
    assert title == "Assessment of one business: <script>alert(1)</script> · servicekg"
    note = page.evaluate(
        """() => window.skgView.nodes.get().filter(n => n.skg.kind === 'observation')
                 .map(n => n.id)"""
    )
    for node in note:
        page.evaluate("id => window.skgView.select(id)", node)
    assert page.locator("img").count() == 0
    assert shown.dialogs == []
    assert page.locator("script").count() == 6
    page.context.close()


def test_search_finds_and_opens_a_node(browser: Browser, written: dict[str, ViewPage]) -> None:
    shown = open_view(browser, written["value-chain"])
    page = page_of(shown)
    page.fill("#skg-search", "loyal")
    results = page.locator("#skg-results li")
    assert results.first.text_content() == "Loyalty"
    page.press("#skg-search", "Enter")
    assert page.locator("#skg-details h2").text_content() == "Loyalty"
    assert page.evaluate("window.skgView.network.getSelectedNodes()") == [
        "https://w3id.org/servicekg/ns#Loyalty"
    ]
    page.fill("#skg-search", "no such thing")
    assert results.first.text_content() == "No match"
    page.context.close()


def test_views_link_to_each_other(browser: Browser, written: dict[str, ViewPage]) -> None:
    shown = open_view(browser, written["portfolio"])
    page = page_of(shown)
    page.select_option("#skg-lang", "nl")
    page.evaluate(
        "id => window.skgView.select(id)", f"https://w3id.org/servicekg/business/{BUSINESS}"
    )
    page.locator("#skg-details .skg-links a").click()
    page.wait_for_url(f"**/assessment-{BUSINESS}.html#lang=nl")
    page.wait_for_selector(READY, state="attached")
    assert page.evaluate("window.skgView.page.view") == "assessment"
    assert page.evaluate("window.skgView.language()") == "nl"
    page.locator("#skg-views a", has_text="De waardeketen").click()
    page.wait_for_url("**/value-chain.html#lang=nl")
    page.wait_for_selector(READY, state="attached")
    assert page.evaluate("window.skgView.page.view") == "value-chain"
    assert shown.requests == []
    page.context.close()


def test_a_link_to_a_node_opens_it(browser: Browser, written: dict[str, ViewPage]) -> None:
    shown = open_view(
        browser, written["principles"], "#node=https%3A%2F%2Fw3id.org%2Fservicekg%2Fns%23Loyalty"
    )
    page = page_of(shown)
    assert page.locator("#skg-details h2").text_content() == "Loyalty"
    quotes = page.locator("#skg-details blockquote")
    assert quotes.count() > 0
    assert quotes.first.get_attribute("lang") in ("nl", "lv")
    assert (page.locator("#skg-details .skg-rendering").first.text_content() or "").startswith(
        "In English: "
    )
    page.context.close()


@pytest.mark.parametrize("view", ["value-chain", "query"])
def test_hovering_a_node_shows_its_label(
    browser: Browser, written: dict[str, ViewPage], view: str
) -> None:
    shown = open_view(browser, written[view])
    page = page_of(shown)
    target: dict[str, Any] = page.evaluate(
        """() => { const n = window.skgView.network, box = n.canvas.frame.getBoundingClientRect();
                   for (const id of window.skgView.nodes.getIds()) {
                     const p = n.canvasToDOM(n.getPosition(id));
                     if (p.x > 20 && p.y > 20 && p.x < box.width - 20 && p.y < box.height - 20
                         && n.getNodeAt(p) === id) return {id, x: p.x + box.left, y: p.y + box.top};
                   } return null; }"""
    )
    page.mouse.move(target["x"] - 3, target["y"] - 3)
    page.mouse.move(target["x"], target["y"], steps=3)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.text_content() == shown.labels[target["id"]]["en"]
    page.context.close()
