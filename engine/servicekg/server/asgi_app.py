"""The ASGI application: routes, middleware and error handlers over one knowledge base.

:func:`create_app` is all a caller needs (the ``serve`` command, tests, an ASGI server of the
operator's choice). Routes:

* ``/`` the query page, ``/static/...`` its assets;
* ``/sparql`` the SPARQL 1.1 Protocol (:mod:`.sparql_protocol`);
* ``/store`` the Graph Store HTTP Protocol (:mod:`.graph_store`);
* ``/api/...`` JSON for consultants, described at ``/api/openapi.json`` (:mod:`.api`);
* ``/viz/...`` the HTML graph views (:mod:`.views`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Mount, Route

from servicekg.knowledge_base import KnowledgeBase
from servicekg.server.api import api_routes
from servicekg.server.context import ServerContext
from servicekg.server.error_responses import exception_handlers
from servicekg.server.graph_store import graph_store
from servicekg.server.query_page import page_routes
from servicekg.server.settings import ServerSettings
from servicekg.server.sparql_protocol import sparql_endpoint
from servicekg.server.viz_routes import view_routes

__all__ = ["create_app"]

_STORE_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]


def create_app(
    kb: KnowledgeBase,
    settings: ServerSettings | None = None,
) -> Starlette:
    """The server's ASGI app over ``kb``."""
    settings = settings or ServerSettings()
    context = ServerContext(kb, settings)
    routes: list[BaseRoute] = [
        *page_routes(),
        Route("/sparql", sparql_endpoint, methods=["GET", "HEAD", "POST"]),
        Route("/store", graph_store, methods=_STORE_METHODS),
        Route("/store/{path:path}", graph_store, methods=_STORE_METHODS),
        Mount("/api", routes=api_routes()),
        Mount("/viz", routes=view_routes()),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=["Location", "Content-Type", "WWW-Authenticate"],
                max_age=600,
            )
        ],
        exception_handlers=exception_handlers(),
        lifespan=_lifespan(context),
    )
    app.state.servicekg = context
    return app


def _lifespan(context: ServerContext) -> Any:
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            context.close()

    return lifespan
