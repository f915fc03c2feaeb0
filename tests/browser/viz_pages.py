"""What the browser tests share: where Chromium is, the pages written, and how a page is
opened with the network off and every request recorded."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Dialog, Page, Route

__all__ = [
    "ARTIFACTS",
    "BUSINESS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "QUERY",
    "ROOT",
    "ViewPage",
    "open_view",
]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("SERVICEKG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BUSINESS = "script-diner"
QUERY = "CONSTRUCT { ?a skg:influences ?b } WHERE { ?a skg:influences ?b }"
READY = "body[data-ready=true]"
"""Set by the page once vis-network has drawn the graph the first time."""
_LOCAL = ("file:", "data:", "about:", "blob:")


@dataclass
class ViewPage:
    """One view written to disk, what its graph holds, and what the browser asked for."""

    view: str
    path: Path
    nodes: int
    edges: int
    labels: dict[str, dict[str, str]]
    page: Page | None = None
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_view(browser: Browser, target: ViewPage, suffix: str = "") -> ViewPage:
    """Load ``target`` offline with every non-local request blocked and recorded."""
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()

    def block(route: Route) -> None:
        if route.request.url.startswith(_LOCAL):
            route.continue_()
        else:
            target.requests.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    page.on(
        "request",
        lambda r: None if r.url.startswith(_LOCAL) else target.requests.append(r.url),
    )
    page.on("pageerror", lambda e: target.errors.append(str(e)))
    page.on("console", lambda m: target.errors.append(m.text) if m.type == "error" else None)

    def dismiss(dialog: Dialog) -> None:
        target.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(target.path.as_uri() + suffix)
    # a selector, not a JavaScript predicate: the page's CSP forbids the eval Playwright would
    # use to poll one
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    target.page = page
    return target
