"""The pages are self-contained (nothing to fetch from the network), carry every language,
escape what the data says, and lay large graphs out in advance with physics off."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

from servicekg.assessment.pipeline import AssessmentRun, run_assessment
from servicekg.knowledge_base import KnowledgeBase
from servicekg.resources import data_root
from servicekg.views import VIEWS, build_view, render_view
from servicekg.views.layout import label_box

DATA = Path(__file__).parent / "data"
_URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "srcset", "data", "background"}


class _Page(HTMLParser):
    """Every element, its attributes, and the text of each script and style."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.blocks:
            self._open = tag
            self.blocks[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.blocks[self._open][-1] += data


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def data_of(html: str, name: str) -> object:
    found = re.search(
        rf'<script id="skg-{name}" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, name
    return json.loads(found[1])


@pytest.fixture(scope="module")
def run() -> AssessmentRun:
    return run_assessment([data_root() / "examples", DATA / "viz"])


@pytest.fixture(scope="module")
def pages(run: AssessmentRun) -> dict[str, str]:
    query = "CONSTRUCT { ?a skg:influences ?b } WHERE { ?a skg:influences ?b }"
    return {view: render_view(run.kb, view, business="script-diner", query=query) for view in VIEWS}


@pytest.mark.parametrize("view", VIEWS)
def test_a_page_references_nothing_on_the_network(pages: dict[str, str], view: str) -> None:
    page = parse(pages[view])
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "img", "object", "embed", "base"), tag
        for name, value in attrs.items():
            if name in _URL_ATTRIBUTES:
                assert not re.match(r"\s*(https?:)?//", value or ""), (tag, name, value)
        if tag == "script":
            assert "src" not in attrs
    for style in page.blocks["style"]:
        for target in re.findall(r"url\(\s*['\"]?([^'\")]*)", style):
            assert target.startswith("data:"), target
        assert "@import" not in style
    scripts = [s for s in page.blocks["script"] if "fetch(" in s or "XMLHttpRequest" in s]
    assert len(scripts) <= 1  # vis-network's bundle mentions them; our own script does not
    assert "fetch(" not in page.blocks["script"][-1]
    csp = next(
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp
    assert "connect-src 'none'" in csp


@pytest.mark.parametrize("view", VIEWS)
def test_a_page_carries_its_graph_in_every_language(
    run: AssessmentRun, pages: dict[str, str], view: str
) -> None:
    query = "CONSTRUCT { ?a skg:influences ?b } WHERE { ?a skg:influences ?b }"
    graph, _ = build_view(run.kb, view, business="script-diner", query=query)
    nodes = data_of(pages[view], "nodes")
    edges = data_of(pages[view], "edges")
    assert isinstance(nodes, list)
    assert isinstance(edges, list)
    assert len(nodes) == graph.number_of_nodes()
    assert len(edges) == graph.number_of_edges()
    assert {n["id"] for n in nodes} == set(graph)
    for node in nodes:
        assert set(node["skg"]["labels"]) == {"en", "nl", "lv"}
        assert isinstance(node["x"], float | int)
        assert isinstance(node["y"], float | int)
    page = data_of(pages[view], "page")
    assert isinstance(page, dict)
    assert set(page["title"]) == {"en", "nl", "lv"}


def test_labels_come_in_the_language_asked_for(kb: KnowledgeBase) -> None:
    html = render_view(kb, "value-chain", lang="lv")
    nodes = {n["id"]: n for n in data_of(html, "nodes")}  # type: ignore[union-attr]
    loyalty = nodes["https://w3id.org/servicekg/ns#Loyalty"]
    assert loyalty["label"] == loyalty["skg"]["labels"]["lv"] == "Lojalitāte"
    assert '<html lang="lv">' in html
    assert "<title>Vērtību ķēde · servicekg</title>" in html


@pytest.mark.parametrize("view", ["assessment", "portfolio"])
def test_names_and_notes_are_escaped(pages: dict[str, str], view: str) -> None:
    html = pages[view]
    assert "<script>alert" not in html
    assert "<b>Rīga" not in html
    assert "<img src=x" not in html
    page = parse(html)
    assert [t for t, _ in page.tags].count("script") == 6
    names = [n["skg"]["labels"]["en"] for n in data_of(html, "nodes")]  # type: ignore[union-attr]
    assert "<script>alert(1)</script>" in names


def test_the_page_links_views_through_the_linker_it_is_given(run: AssessmentRun) -> None:
    def routes(view: str, business: str | None) -> str:
        return f"/viz/{view}" + (f"?business={business}" if business else "")

    html = render_view(run.kb, "portfolio", linker=routes)
    page = data_of(html, "page")
    assert isinstance(page, dict)
    assert [v["href"] for v in page["views"]] == [
        "/viz/principles",
        "/viz/value-chain",
        "/viz/customer-chain",
        "/viz/portfolio",
    ]
    nodes = {n["id"]: n for n in data_of(html, "nodes")}  # type: ignore[union-attr]
    business = nodes["https://w3id.org/servicekg/business/burgeri-riga"]
    assert business["skg"]["details"]["links"][0]["href"] == "/viz/assessment?business=burgeri-riga"


def test_file_links_name_the_pages_written_side_by_side(run: AssessmentRun) -> None:
    html = render_view(run.kb, "assessment", business="burgeri-riga")
    nodes = data_of(html, "nodes")
    assert isinstance(nodes, list)
    hrefs = {link["href"] for n in nodes for link in n["skg"]["details"]["links"]}
    assert (
        "portfolio.html#node=https%3A%2F%2Fw3id.org%2Fservicekg%2Fbusiness%2Fburgeri-riga" in hrefs
    )
    assert any(h.startswith("principles.html#node=") for h in hrefs)


def _big_kb(nodes: int) -> KnowledgeBase:
    kb = KnowledgeBase()
    ex = "https://example.org/n/"
    link = ox.NamedNode("https://example.org/link")
    kb.store.extend(
        ox.Quad(ox.NamedNode(f"{ex}{i}"), link, ox.NamedNode(f"{ex}{i // 2}"), ox.DefaultGraph())
        for i in range(1, nodes)
    )
    return kb


def test_large_views_are_laid_out_in_advance_with_physics_off() -> None:
    html = render_view(_big_kb(600), "query", query="CONSTRUCT { ?a ?p ?b } WHERE { ?a ?p ?b }")
    options = data_of(html, "options")
    assert isinstance(options, dict)
    assert options["physics"]["enabled"] is False
    assert options["layout"]["improvedLayout"] is False
    nodes = data_of(html, "nodes")
    assert isinstance(nodes, list)
    assert len(nodes) == 600
    assert len({(n["x"], n["y"]) for n in nodes}) == 600


def test_small_spring_views_are_spread_so_labels_do_not_overlap(kb: KnowledgeBase) -> None:
    html = render_view(
        kb, "query", query="CONSTRUCT { ?a skg:influences ?b } WHERE { ?a skg:influences ?b }"
    )
    options = data_of(html, "options")
    assert isinstance(options, dict)
    assert options["physics"]["enabled"] is False
    nodes = data_of(html, "nodes")
    assert isinstance(nodes, list)
    boxes = []
    for node in nodes:
        width, height = label_box(node["label"])
        boxes.append(
            (node["x"] - width / 2, node["y"] - 16, node["x"] + width / 2, node["y"] - 16 + height)
        )
    clashes = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
    ]
    assert clashes == []
