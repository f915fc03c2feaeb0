"""The ASGI application: routes, middleware and error handlers over one knowledge base.

:func:`create_app` is all a caller needs (the ``serve`` command, tests, an ASGI server of the
operator's choice). Routes:

* ``/`` the query page, ``/static/...`` its assets;
* ``/sparql`` the SPARQL 1.1 Protocol (:mod:`.sparql_protocol`);
* ``/store`` the Graph Store HTTP Protocol (:mod:`.graph_store`);
* ``/api/...`` JSON for consultants, described at ``/api/openapi.json`` (:mod:`.api`);
* ``/viz`` where the HTML graph views are mounted (``viz=`` an ASGI app; none by default).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp

from servicekg.knowledge_base import KnowledgeBase
from servicekg.server.api import api_routes
from servicekg.server.context import ServerContext
from servicekg.server.errors import exception_handlers
from servicekg.server.graph_store import graph_store
from servicekg.server.page import page_routes
from servicekg.server.settings import ServerSettings
from servicekg.server.sparql_protocol import sparql_endpoint

__all__ = ["VIZ_MOUNT", "create_app"]

VIZ_MOUNT = "/viz"
"""Where :func:`create_app` mounts the HTML graph views given as ``viz``."""

_STORE_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]


def create_app(
    kb: KnowledgeBase,
    settings: ServerSettings | None = None,
    *,
    viz: ASGIApp | None = None,
) -> Starlette:
    """The server's ASGI app over ``kb``.

    ``viz`` is an ASGI app (e.g. a :class:`starlette.routing.Router`) serving the HTML graph
    views; it is mounted at :data:`VIZ_MOUNT`.
    """
    settings = settings or ServerSettings()
    context = ServerContext(kb, settings)
    routes: list[BaseRoute] = [
        *page_routes(),
        Route("/sparql", sparql_endpoint, methods=["GET", "HEAD", "POST"]),
        Route("/store", graph_store, methods=_STORE_METHODS),
        Route("/store/{path:path}", graph_store, methods=_STORE_METHODS),
        Mount("/api", routes=api_routes()),
    ]
    if viz is not None:
        routes.append(Mount(VIZ_MOUNT, app=viz))
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
