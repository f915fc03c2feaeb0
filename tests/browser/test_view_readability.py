"""Every view in every language as a client first sees it, measured in headless Chromium: after
the first fit every node's label box lies inside the canvas (nothing cut at an edge, nothing
under the details panel), few label boxes overlap another, recommendations and the rules that
made them read in the page's language, and what is on screen exports as PNG and SVG.

Label boxes are measured from vis-network's own positions (``network.getPositions()``,
``canvasToDOM``) and the label sizes it measured with the canvas's text metrics; the test
checks those sizes against ``ctx.measureText`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser.viz_pages import ARTIFACTS, ViewPage, open_view
from servicekg.namespace import LANGUAGES
from servicekg.views import VIEWS

pytestmark = [pytest.mark.slow, pytest.mark.browser]

MAX_OVERLAP = 0.05
"""At most one label box in twenty may touch another at first draw. Not zero: a layered view
puts a node's label under it and a long two-line label can reach the label of the node below
in a dense column, which still reads; a hairball fails it clearly (the old principles view:
33-43 % in en/nl/lv, the old spring-placed query view 16-24 %). Every view now measures 0."""

MIN_FONT_PX = 8.5
"""The smallest a label may be drawn at first fit, in CSS pixels. The old value chain fitted
its 38 nodes at 5.8 px (the labels could not be read in a screenshot); the assessment of a
business with many observations is the densest view now, at about 9 px."""

RULE_ID = re.compile(r"^(\d+\. )?[a-z0-9]+(-[a-z0-9]+)+$")
"""What a rule's identifier looks like (``customers-not-greeted``), with or without a rank."""

MEASURE = """() => {
  const v = window.skgView, n = v.network, frame = n.canvas.frame.getBoundingClientRect();
  const side = document.getElementById("skg-side").getBoundingClientRect();
  const ctx = n.canvas.getContext(), positions = n.getPositions(), boxes = [];
  for (const id of n.body.nodeIndices) {
    const node = n.body.nodes[id], label = String(node.options.label || "");
    if (!label) continue;
    const size = node.labelModule.size, p = positions[id];
    const font = node.options.font;
    ctx.font = font.size + "px " + font.face;
    const widest = Math.max(...label.split(/\\s+/).map(w => ctx.measureText(w).width));
    const dx = size.left - node.x, dy = size.top - node.y;
    const a = n.canvasToDOM({x: p.x + dx, y: p.y + dy});
    const b = n.canvasToDOM({x: p.x + dx + size.width, y: p.y + dy + size.height});
    const box = {id: String(id), label, left: a.x + frame.left, top: a.y + frame.top,
                 right: b.x + frame.left, bottom: b.y + frame.top,
                 width: size.width, widest: Math.min(widest, 200)};
    const cx = (box.left + box.right) / 2, cy = (box.top + box.bottom) / 2;
    const hit = document.elementFromPoint(cx, cy);
    box.onCanvas = !!hit && n.canvas.frame.contains(hit);
    boxes.push(box);
  }
  const fonts = n.body.nodeIndices.map(id => n.body.nodes[id].options.font.size);
  return {boxes, fontPx: Math.min(...fonts) * n.getScale(),
          frame: {left: frame.left, top: frame.top, right: frame.right,
                         bottom: frame.bottom}, side: {left: side.left}};
}"""


@pytest.fixture(scope="module", params=[(v, lang) for v in VIEWS for lang in LANGUAGES])
def first_draw(
    request: pytest.FixtureRequest, browser: Browser, written: dict[str, ViewPage]
) -> Iterator[tuple[ViewPage, str, dict[str, Any]]]:
    """One view opened in one language, measured as first drawn, and its screenshot kept."""
    view, lang = request.param
    target = written[view]
    shown = open_view(browser, replace(target, requests=[], errors=[]), f"#lang={lang}")
    page = page_of(shown)
    measured = page.evaluate(MEASURE)
    folder = ARTIFACTS / "views"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{view}-{lang}.png"))
    yield shown, lang, measured
    page.context.close()


def page_of(shown: ViewPage) -> Page:
    assert shown.page is not None
    return shown.page


def overlap_share(boxes: list[dict[str, Any]]) -> float:
    """The share of label boxes that overlap another by more than a pixel each way."""
    touching = set()
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1
                and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
            ):
                touching.update((a["id"], b["id"]))
    return len(touching) / len(boxes) if boxes else 0.0


def test_every_label_is_inside_the_canvas_at_first_draw(
    first_draw: tuple[ViewPage, str, dict[str, Any]],
) -> None:
    shown, _, measured = first_draw
    frame = measured["frame"]
    outside = [
        b["label"]
        for b in measured["boxes"]
        if b["left"] < frame["left"] - 1
        or b["right"] > frame["right"] + 1
        or b["top"] < frame["top"] - 1
        or b["bottom"] > frame["bottom"] + 1
    ]
    assert measured["boxes"]
    assert outside == []
    assert shown.errors == []


def test_no_label_is_covered_by_the_details_panel_or_anything_else(
    first_draw: tuple[ViewPage, str, dict[str, Any]],
) -> None:
    _, _, measured = first_draw
    under_panel = [b["label"] for b in measured["boxes"] if b["right"] > measured["side"]["left"]]
    covered = [b["label"] for b in measured["boxes"] if not b["onCanvas"]]
    assert under_panel == []
    assert covered == []


def test_label_boxes_fit_their_text_as_the_canvas_measures_it(
    first_draw: tuple[ViewPage, str, dict[str, Any]],
) -> None:
    _, _, measured = first_draw
    short = [b["label"] for b in measured["boxes"] if b["width"] + 1 < b["widest"]]
    assert short == []


def test_labels_are_drawn_large_enough_to_read(
    first_draw: tuple[ViewPage, str, dict[str, Any]],
) -> None:
    shown, lang, measured = first_draw
    print(f"font {shown.view} {lang}: {measured['fontPx']:.1f} px")
    assert measured["fontPx"] >= MIN_FONT_PX


def test_few_labels_overlap_at_first_draw(
    first_draw: tuple[ViewPage, str, dict[str, Any]],
) -> None:
    shown, lang, measured = first_draw
    share = overlap_share(measured["boxes"])
    print(f"overlap {shown.view} {lang}: {share:.3f} of {len(measured['boxes'])} labels")
    assert share <= MAX_OVERLAP


def test_recommendations_and_rules_read_in_the_page_language(
    first_draw: tuple[ViewPage, str, dict[str, Any]],
) -> None:
    shown, lang, _ = first_draw
    page = page_of(shown)
    rows = page.evaluate(
        """() => window.skgView.nodes.get()
                 .filter(n => ['recommendation', 'rule'].includes(n.skg.kind))
                 .map(n => [n.skg.kind, n.label, n.skg.labels])"""
    )
    if shown.view not in ("assessment", "portfolio"):
        assert rows == []
        return
    assert any(kind == "recommendation" for kind, _, _ in rows)
    for _, label, labels in rows:
        assert label == labels[lang]
        assert not RULE_ID.match(label), label
        if lang != "en":
            assert label != labels["en"], label


def test_the_view_has_a_title_and_a_reading_guide_in_its_language(
    first_draw: tuple[ViewPage, str, dict[str, Any]],
) -> None:
    shown, lang, _ = first_draw
    page = page_of(shown)
    spec = page.evaluate("() => [window.skgView.page.title, window.skgView.page.guide]")
    assert page.locator("#skg-title").text_content() == spec[0][lang]
    assert page.locator("#skg-guide").text_content() == spec[1][lang]
    assert spec[1][lang]


def test_what_is_on_screen_exports_as_png_and_svg(
    first_draw: tuple[ViewPage, str, dict[str, Any]],
) -> None:
    shown, _, measured = first_draw
    page = page_of(shown)
    png = page.evaluate("() => window.skgView.exportPNG()")
    assert png.startswith("data:image/png;base64,")
    assert len(png) > 5_000
    svg = page.evaluate(
        """() => { const text = window.skgView.exportSVG();
                   const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
                   return {text, broken: doc.getElementsByTagName('parsererror').length,
                           words: [...doc.querySelectorAll('text')].map(t => t.textContent)}; }"""
    )
    assert svg["broken"] == 0
    shown_words = " ".join(svg["words"])
    for box in measured["boxes"]:
        first = box["label"].split()[0]
        assert first in shown_words
    assert shown.requests == []


def test_principles_open_one_group_at_a_time(
    browser: Browser, written: dict[str, ViewPage]
) -> None:
    shown = open_view(browser, written["principles"], "#lang=nl")
    page = page_of(shown)
    closed = page.evaluate("() => window.skgView.network.body.nodeIndices.length")
    groups = page.evaluate("() => Object.keys(window.skgView.page.groups).length")
    assert closed == groups
    page.evaluate("() => window.skgView.openGroup('kind:outcome')")
    opened = page.evaluate("() => window.skgView.network.body.nodeIndices.length")
    outcomes = sum(1 for n in shown.labels if n.endswith(("Loyalty", "Growth", "Profit")))
    assert opened > closed + outcomes - 1
    page.context.close()


@pytest.mark.parametrize("view", ["principles", "assessment"])
def test_an_opened_group_reads_too(
    browser: Browser, written: dict[str, ViewPage], view: str
) -> None:
    """Each group opened on its own (the page closes the others): its members' labels stay
    inside the canvas and apart."""
    shown = open_view(browser, written[view], "#lang=lv")
    page = page_of(shown)
    groups = page.evaluate("() => Object.keys(window.skgView.page.groups)")
    assert groups
    for group in groups:
        page.evaluate("g => window.skgView.openGroup(g)", group)
        measured = page.evaluate(MEASURE)
        share = overlap_share(measured["boxes"])
        print(f"opened {view} {group}: overlap {share:.3f} of {len(measured['boxes'])} labels")
        assert share <= MAX_OVERLAP, group
        frame = measured["frame"]
        assert all(
            frame["left"] - 1 <= b["left"] and b["right"] <= frame["right"] + 1
            for b in measured["boxes"]
        ), group
    page.context.close()


def test_search_opens_the_group_of_what_it_finds(
    browser: Browser, written: dict[str, ViewPage]
) -> None:
    shown = open_view(browser, written["principles"], "#lang=nl")
    page = page_of(shown)
    # search opens the group a node is in, and the language switch relabels the groups
    page.fill("#skg-search", "loyal")
    page.press("#skg-search", "Enter")
    assert page.locator("#skg-details h2").text_content() == "Loyaliteit"
    page.select_option("#skg-lang", "lv")
    labels = page.evaluate(
        """() => { const n = window.skgView.network;
                   return n.body.nodeIndices.filter(id => n.body.nodes[id].isCluster)
                           .map(id => n.body.nodes[id].options.label); }"""
    )
    assert labels
    assert any(label.startswith("Klienta vajadzība") for label in labels)
    page.context.close()


def test_the_details_panel_wraps_and_scrolls_a_long_quote(
    browser: Browser, written: dict[str, ViewPage]
) -> None:
    shown = open_view(browser, written["assessment"])
    page = page_of(shown)
    quoted = page.evaluate(
        """() => window.skgView.nodes.get().filter(n => n.skg.details.quotes.length)
                 .sort((a, b) => b.skg.details.quotes.length - a.skg.details.quotes.length)
                 .map(n => n.id)[0]"""
    )
    page.evaluate("id => window.skgView.select(id)", quoted)
    cut = page.evaluate(
        """() => [...document.querySelectorAll('#skg-details blockquote, #skg-details p')]
                 .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
    )
    assert cut == []
    panel = page.evaluate(
        """() => { const d = document.getElementById('skg-details');
                   return [getComputedStyle(d).overflowY, d.getBoundingClientRect().right,
                           window.innerWidth]; }"""
    )
    assert panel[0] == "auto"
    assert panel[1] <= panel[2]
    page.context.close()


def test_the_root_cause_path_and_strengths_are_drawn(
    browser: Browser, written: dict[str, ViewPage]
) -> None:
    shown = open_view(browser, written["assessment"])
    page = page_of(shown)
    found = page.evaluate(
        """() => { const v = window.skgView;
                   return {stressed: v.edges.get().filter(e => e.skg.emphasis).length,
                           root: v.nodes.get().filter(n => n.skg.marks.includes('root-cause'))
                                 .length,
                           strong: v.nodes.get().filter(n => n.skg.marks.includes('strength'))
                                   .map(n => n.skg.labels.en)}; }"""
    )
    assert found["root"] >= 1
    assert found["stressed"] >= 2
    legend = page.locator("#skg-legend li").all_text_contents()
    assert "Path to the root cause" in legend
    assert found["strong"], "the test business has observations that clear every threshold"
    page.context.close()


def test_print_shows_the_drawing_without_the_controls(
    browser: Browser, written: dict[str, ViewPage]
) -> None:
    shown = open_view(browser, written["value-chain"])
    page = page_of(shown)
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['#skg-views', '.skg-search', '.skg-tools', '#skg-details']
                 .map(s => getComputedStyle(document.querySelector(s)).display)"""
    )
    assert hidden == ["none"] * 4
    assert page.locator("#skg-network canvas").is_visible()
    assert page.locator("#skg-legend").is_visible()
    page.context.close()


@pytest.mark.parametrize("lang", ["nl", "lv"])
def test_observations_read_as_written_in_the_page_language(
    browser: Browser, written: dict[str, ViewPage], lang: str
) -> None:
    """Regression: a Latvian page showed ``= 0.4 ratio``, ``= 30 per_1000``, ``= 2.1 score``."""
    shown = open_view(browser, written["assessment"], f"#lang={lang}")
    page = page_of(shown)
    labels: list[str] = page.evaluate(
        """() => window.skgView.nodes.get().filter(n => n.skg.kind === 'observation')
                 .map(n => n.label)"""
    )
    assert len(labels) == 6
    values = [label.rsplit("= ", 1)[1] for label in labels]
    assert not [v for v in values if any(w in v for w in ("ratio", "per_1000", "score"))]
    assert "40\xa0%" in values  # the greeting rate, entered as 40 %, stored as 0.4
    assert "2,1\xa0/ 5" in values  # the locale's decimal comma
    assert ("uz 1000" if lang == "lv" else "per 1000") in " ".join(values)
    page.context.close()


def test_a_quote_on_a_latvian_page_shows_its_latvian_rendering(
    browser: Browser, written: dict[str, ViewPage]
) -> None:
    """Regression: the details of a Dutch passage on a Latvian page gave its English rendering;
    the language switch changes the rendering, the original stays as quoted."""
    shown = open_view(browser, written["assessment"], "#lang=lv")
    page = page_of(shown)
    node, quote = page.evaluate(
        """() => { for (const n of window.skgView.nodes.get()) {
                     const q = n.skg.details.quotes.find(q => q.lang === 'nl');
                     if (q) return [n.id, q]; } return [null, null]; }"""
    )
    assert node is not None
    page.evaluate("id => window.skgView.select(id)", node)
    first = page.locator("#skg-details .skg-rendering").first
    assert first.text_content() == "Latviski: " + quote["rendering"]["lv"]
    assert first.get_attribute("lang") == "lv"
    assert page.locator("#skg-details blockquote").first.text_content() == f"“{quote['quote']}”"
    page.select_option("#skg-lang", "en")
    assert first.text_content() == "In English: " + quote["rendering"]["en"]
    page.select_option("#skg-lang", "nl")  # the page reads the original: no rendering
    assert page.locator("#skg-details blockquote").first.text_content() == f"“{quote['quote']}”"
    page.context.close()
