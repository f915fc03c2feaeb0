"""Headless Chromium (Debian's package, installed by ``make browser``) driven by Playwright,
and every view written as a page, side by side in one folder, as ``servicekg viz`` writes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from playwright.sync_api import Browser, sync_playwright

from browser.viz_pages import BUSINESS, CHROMIUM, CHROMIUM_ARGS, QUERY, ROOT, ViewPage, open_view
from servicekg.assessment.pipeline import run_assessment
from servicekg.resources import data_root
from servicekg.views import VIEWS, build_view, file_links, render_view


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium, headless, with no network services of its own."""
    if not CHROMIUM.is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make browser` (Debian's chromium package)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ViewPage]:
    """Every view as a file; the assessment is of the business whose name is a script tag."""
    run = run_assessment([data_root() / "examples", ROOT / "tests" / "data" / "viz"])
    folder = tmp_path_factory.mktemp("views")
    pages = {}
    for view in VIEWS:
        business = BUSINESS if view == "assessment" else None
        graph, _ = build_view(run.kb, view, business=business, query=QUERY)
        path = folder / file_links(view, business)
        path.write_text(render_view(run.kb, view, business=business, query=QUERY), encoding="utf-8")
        labels = {str(n): d["labels"] for n, d in graph.nodes(data=True)}
        pages[view] = ViewPage(view, path, graph.number_of_nodes(), graph.number_of_edges(), labels)
    return pages


@pytest.fixture(scope="module", params=VIEWS)
def loaded(
    request: pytest.FixtureRequest, browser: Browser, written: dict[str, ViewPage]
) -> Iterator[ViewPage]:
    """One view loaded in the browser, shared by the tests of a module."""
    target = written[request.param]
    shown = open_view(browser, replace(target, requests=[], errors=[], dialogs=[]))
    yield shown
    assert shown.page is not None
    shown.page.context.close()
