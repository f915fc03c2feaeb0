"""How fast a large graph view becomes interactive in headless Chromium.

Builds a view of N nodes (default 5,000) the way ``servicekg viz query`` does: a synthetic
graph (each resource labelled in English, Dutch and Latvian, linked to a parent and, for one in
five, to a random other) is loaded into a knowledge base and drawn from a SPARQL CONSTRUCT.
The page is opened from disk in Debian's Chromium with the network off; we time, per run,
navigation start -> vis-network's first ``afterDrawing`` (the graph is on screen and answers
the mouse), then a click on a node -> its details shown, and the language switch relabelling
every node.

    .venv/bin/python bench/viz_bench.py [--nodes 5000] [--runs 3] [--chromium PATH]

Chromium is launched as the browser tests launch it (`tests/browser/viz_pages.py`: the
path, default `/usr/bin/chromium` or `SERVICEKG_CHROMIUM`, and the flags).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from playwright.sync_api import sync_playwright

from servicekg.knowledge_base import KnowledgeBase
from servicekg.views import render_view

# Chromium as the browser tests launch it (its path, SERVICEKG_CHROMIUM, and its flags)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from viz_pages import CHROMIUM, CHROMIUM_ARGS

EX = "https://example.org/bench/"
QUERY = "CONSTRUCT { ?a ?p ?b } WHERE { ?a ?p ?b }"


def synthetic_kb(nodes: int, seed: int = 1) -> KnowledgeBase:
    """N resources with labels in three languages; a tree plus one extra link in five."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not cryptography
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    parent, related = ox.NamedNode(EX + "partOf"), ox.NamedNode(EX + "relatedTo")
    graph = ox.DefaultGraph()
    quads = []
    for i in range(nodes):
        node = ox.NamedNode(f"{EX}n{i}")
        for lang, word in (("en", "node"), ("nl", "knoop"), ("lv", "mezgls")):
            quads.append(ox.Quad(node, label, ox.Literal(f"{word} {i}", language=lang), graph))
        if i:
            quads.append(ox.Quad(node, parent, ox.NamedNode(f"{EX}n{rng.randrange(i)}"), graph))
        if i and rng.random() < 0.2:
            quads.append(ox.Quad(node, related, ox.NamedNode(f"{EX}n{rng.randrange(i)}"), graph))
    kb = KnowledgeBase()
    kb.store.extend(quads)
    return kb


def measure(path: Path, chromium: str) -> dict[str, float]:
    """One cold load of the page in a fresh browser: milliseconds to drawn, click, relabel."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: None if r.url.startswith("file:") else requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
        drawn = page.evaluate("window.skgView.readyAt")
        target = page.evaluate(
            """() => { const n = window.skgView.network;
                       const box = n.canvas.frame.getBoundingClientRect();
                       for (const id of window.skgView.nodes.getIds()) {
                         const p = n.canvasToDOM(n.getPosition(id));
                         if (p.x > 20 && p.y > 20 && p.x < box.width - 20 && p.y < box.height - 20
                             && n.getNodeAt(p) === id) return {x: p.x + box.left, y: p.y + box.top};
                       } return null; }"""
        )
        start = time.perf_counter()
        page.mouse.click(target["x"], target["y"])
        page.wait_for_selector("#skg-details h2")
        clicked = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        page.select_option("#skg-lang", "lv")
        page.wait_for_selector("#skg-legend h2:text('Leģenda')")
        relabelled = (time.perf_counter() - start) * 1000
        counts = page.evaluate("[window.skgView.nodes.length, window.skgView.edges.length]")
        browser.close()
    if requests:
        raise SystemExit(f"the page asked the network for {requests[:3]}")
    return {
        "drawn_ms": round(drawn, 1),
        "click_to_details_ms": round(clicked, 1),
        "language_switch_ms": round(relabelled, 1),
        "nodes": counts[0],
        "edges": counts[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default=str(CHROMIUM))
    args = parser.parse_args()
    kb = synthetic_kb(args.nodes)
    start = time.perf_counter()
    html = render_view(kb, "query", query=QUERY)
    build = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.html"
        path.write_text(html, encoding="utf-8")
        runs = [measure(path, args.chromium) for _ in range(args.runs)]
    result = {
        "nodes": runs[0]["nodes"],
        "edges": runs[0]["edges"],
        "build_s": round(build, 2),
        "page_mb": round(len(html.encode()) / 1e6, 2),
        "runs": runs,
        "median_drawn_ms": statistics.median(r["drawn_ms"] for r in runs),
        "median_click_ms": statistics.median(r["click_to_details_ms"] for r in runs),
        "median_language_ms": statistics.median(r["language_switch_ms"] for r in runs),
    }
    print(json.dumps(result), flush=True)
    print(
        f"{result['nodes']} nodes, {result['edges']} links: page built in {result['build_s']} s"
        f" ({result['page_mb']} MB); interactive (first draw) after"
        f" {result['median_drawn_ms']:.0f} ms (median of {len(runs)} cold loads),"
        f" click -> details {result['median_click_ms']:.0f} ms,"
        f" language switch {result['median_language_ms']:.0f} ms",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
