"""What every route needs: the knowledge base it serves and the server's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from servicekg.knowledge_base import KnowledgeBase
from servicekg.querying.executor import Limits
from servicekg.querying.pool import QueryPool
from servicekg.server.settings import ServerSettings

__all__ = ["ServerContext", "context_of"]

_WORKERS = 2
"""Queries evaluated at once (each in a worker process that can be stopped)."""


@dataclass
class ServerContext:
    """The knowledge base, the settings, the query pool that holds queries to the limits,
    and per-server caches (built on first use)."""

    kb: KnowledgeBase
    settings: ServerSettings
    cache: dict[str, Any] = field(default_factory=dict)
    _pool: QueryPool | None = None

    @property
    def pool(self) -> QueryPool:
        """The query workers of ``/sparql``, driven from the event loop (made on first use)."""
        if self._pool is None:
            self._pool = QueryPool(self.kb, self._limits(), workers=_WORKERS)
        return self._pool

    def _limits(self) -> Limits:
        return Limits(
            timeout_s=self.settings.query_timeout, max_result_bytes=self.settings.result_limit
        )

    def close(self) -> None:
        """Stop the query workers."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None


def context_of(request: Request) -> ServerContext:
    """The context of the app that received ``request``."""
    context: ServerContext = request.app.state.servicekg
    return context
