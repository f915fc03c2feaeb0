"""What every route needs: the knowledge base it serves and the server's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from servicekg.knowledge_base import KnowledgeBase
from servicekg.server.settings import ServerSettings

__all__ = ["ServerContext", "context_of"]


@dataclass
class ServerContext:
    """The knowledge base, the settings and per-server caches (built on first use)."""

    kb: KnowledgeBase
    settings: ServerSettings
    cache: dict[str, Any] = field(default_factory=dict)


def context_of(request: Request) -> ServerContext:
    """The context of the app that received ``request``."""
    context: ServerContext = request.app.state.servicekg
    return context
