"""The query page at ``/`` (also ``/query``) and its assets under ``/static/``.

Everything the page needs is served from here: no CDN, no inline script (the Content Security
Policy allows only our own files). The example queries of ``ontology/queries/*.rq`` are listed
in the page as escaped options and a JSON block; the script puts results into the table as
text, never as HTML, so data cannot inject markup.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from servicekg.graph.example_queries import ExampleQuery, example_queries

__all__ = ["PAGE_HEADERS", "STATIC_DIR", "page_routes", "render_page"]

STATIC_DIR = Path(__file__).parent / "static"

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
"""Headers of the query page: only our own scripts and styles, nothing else loads."""

_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>servicekg SPARQL</title>
<link rel="stylesheet" href="/static/query.css">
<script src="/static/query.js" defer></script>
</head>
<body>
<header>
<h1>servicekg SPARQL</h1>
<nav><a href="/viz/principles">graph views</a> <a href="/sparql">service description</a>
<a href="/api/">JSON API</a></nav>
</header>
<main>
<form id="query-form" method="post" action="/sparql">
<label for="example">Example query</label>
<select id="example">
<option value="">(write your own)</option>
{options}
</select>
<label for="query">Query</label>
<textarea id="query" name="query" rows="14" spellcheck="false">{first}</textarea>
<label for="format">Show</label>
<select id="format">
<option value="table">table</option>
<option value="raw">raw response</option>
</select>
<button id="run" type="submit">Run</button>
</form>
<p id="status" role="status"></p>
<div id="results"></div>
</main>
<script type="application/json" id="examples">{examples}</script>
</body>
</html>
"""


def render_page(queries: Sequence[ExampleQuery] | None = None) -> str:
    """The query page's HTML, with the example queries (default: the bundled ones), every
    text escaped."""
    queries = example_queries() if queries is None else queries
    options = "\n".join(
        f'<option value="{html.escape(q.name)}">{html.escape(q.question)}</option>' for q in queries
    )
    examples = json.dumps({q.name: q.sparql for q in queries}, ensure_ascii=True)
    examples = examples.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    first = html.escape(queries[0].sparql) if queries else ""
    return _TEMPLATE.format(options=options, examples=examples, first=first)


async def _page(_request: Request) -> Response:
    return HTMLResponse(render_page(), headers=PAGE_HEADERS)


def page_routes() -> list[BaseRoute]:
    """``/`` and ``/query`` (the page) and ``/static`` (its assets)."""
    return [
        Route("/", _page, methods=["GET"]),
        Route("/query", _page, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]
