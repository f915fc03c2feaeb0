"""A folder of linked views: every view of a knowledge base that holds assessments, written
side by side so that each page's links (``principles.html``, ``assessment-<id>.html``) work
from the files alone, with no server and no network."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from servicekg.knowledge_base import KnowledgeBase
from servicekg.views.page import file_links
from servicekg.views.render import render_view

__all__ = ["SITE_VIEWS", "write_views"]

SITE_VIEWS = ("principles", "value-chain", "customer-chain", "portfolio")
"""The views of the whole knowledge base; each business adds its assessment page."""


def write_views(
    kb: KnowledgeBase, folder: Path, businesses: Iterable[str], *, lang: str = "en"
) -> list[Path]:
    """Write :data:`SITE_VIEWS` and the assessment page of each of ``businesses`` into
    ``folder`` (made if needed); returns the files written, in that order.

    ``kb`` must hold the businesses' assessments (as after ``run_assessment``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    pages: list[tuple[str, str | None]] = [(view, None) for view in SITE_VIEWS]
    pages += [("assessment", business) for business in businesses]
    written = []
    for view, business in pages:
        path = folder / file_links(view, business)
        path.write_text(
            render_view(kb, view, lang=lang, business=business, linker=file_links),
            encoding="utf-8",
        )
        written.append(path)
    return written
