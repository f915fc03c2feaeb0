"""Helpers of the server tests: an in-process client over a knowledge base, and the checks
that an answer is in the one error shape."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from servicekg.errors import ERROR_CODES
from servicekg.knowledge_base import KnowledgeBase
from servicekg.server import ServerSettings, create_app

__all__ = ["assert_error", "client_for", "snapshot"]


def client_for(kb: KnowledgeBase, **settings: Any) -> TestClient:
    """starlette's in-process client over ``create_app(kb, ServerSettings(**settings))``."""
    return TestClient(create_app(kb, ServerSettings(**settings)), raise_server_exceptions=False)


def assert_error(response: Any, code: str) -> dict[str, Any]:
    """Check that ``response`` is the error ``code`` in the one shape; return its object."""
    status = ERROR_CODES[code][0]
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"status", "code", "message"} <= set(error), error
    assert error["status"] == status
    assert error["code"] == code, error
    assert isinstance(error["message"], str)
    assert error["message"]
    return dict(error)


def snapshot(kb: KnowledgeBase) -> set[tuple[str, str, str, str]]:
    """Every quad of the store as text, to show that a refused write changed nothing."""
    return {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in kb.quads()
    }
