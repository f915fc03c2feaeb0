"""What every route needs: the knowledge base it serves and the server's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from servicekg.knowledge_base import KnowledgeBase
from servicekg.querying.executor import Limits, QueryRunner
from servicekg.server.settings import ServerSettings

__all__ = ["ServerContext", "context_of"]

_WORKERS = 2
"""Queries evaluated at once (each in a worker process that can be stopped)."""


@dataclass
class ServerContext:
    """The knowledge base, the settings, the query runner that holds queries to the limits,
    and per-server caches (built on first use)."""

    kb: KnowledgeBase
    settings: ServerSettings
    cache: dict[str, Any] = field(default_factory=dict)
    _runner: QueryRunner | None = None

    @property
    def runner(self) -> QueryRunner:
        """The query runner (made on first use: its workers fork from the serving process)."""
        if self._runner is None:
            limits = Limits(
                timeout_s=self.settings.query_timeout,
                max_result_bytes=self.settings.result_limit,
            )
            self._runner = QueryRunner(self.kb, limits, workers=_WORKERS)
        return self._runner

    def close(self) -> None:
        """Stop the query runner's workers."""
        if self._runner is not None:
            self._runner.close()
            self._runner = None


def context_of(request: Request) -> ServerContext:
    """The context of the app that received ``request``."""
    context: ServerContext = request.app.state.servicekg
    return context
