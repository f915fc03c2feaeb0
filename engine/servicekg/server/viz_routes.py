"""The HTML graph views under ``/viz/``: the same pages as ``servicekg viz``, built per request
from the knowledge base the server holds.

* ``/viz/`` redirects to the principles view;
* ``/viz/{view}?lang=en|nl|lv`` for ``principles``, ``value-chain``, ``customer-chain``,
  ``portfolio``; ``/viz/assessment?business=ID``; ``/viz/query?query=CONSTRUCT...``.

Pages link to each other through these routes. Errors (an unknown view or business, a query
that is not a CONSTRUCT) answer in the server's one JSON error shape.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from servicekg.errors import UnknownTermError
from servicekg.server.context import context_of
from servicekg.server.limits import run_reading
from servicekg.server.params import language
from servicekg.views import render_view
from servicekg.views.spec import VIEWS

__all__ = ["view_link", "view_routes"]


def view_link(view: str, business: str | None = None) -> str:
    """The server's URL of ``view`` (for one business: its assessment).

    >>> view_link("assessment", "Rīgas maiznīca")
    '/viz/assessment?business=R%C4%ABgas%20maizn%C4%ABca'
    """
    link = f"/viz/{view}"
    return link + (f"?business={quote(business, safe='')}" if business else "")


def view_routes() -> list[BaseRoute]:
    """The routes to mount at ``/viz``."""
    return [
        Route("/", _index, methods=["GET", "HEAD"]),
        Route("/{view}", _view, methods=["GET", "HEAD"]),
    ]


async def _index(_request: Request) -> Response:
    return RedirectResponse(view_link("principles"), status_code=303)


async def _view(request: Request) -> Response:
    view = request.path_params["view"]
    if view not in VIEWS:
        raise UnknownTermError("view", view, list(VIEWS))
    context = context_of(request)
    params = request.query_params
    lang = language(request)
    page = await run_reading(
        context.kb,
        lambda: render_view(
            context.kb,
            view,
            lang=lang,
            business=params.get("business"),
            query=params.get("query"),
            linker=view_link,
        ),
        timeout=context.settings.query_timeout,
    )
    return HTMLResponse(page)
