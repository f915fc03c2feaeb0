"""Shared by the doctests of ``engine/servicekg``: one knowledge base with the ontology, built
once per session, as ``kb`` (doctests only read it)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def _shared_kb() -> Any:
    from servicekg.knowledge_base import KnowledgeBase

    return KnowledgeBase.with_ontology()


@pytest.fixture(autouse=True)
def _doctest_kb(request: pytest.FixtureRequest, doctest_namespace: dict[str, Any]) -> None:
    if request.node.__class__.__name__ == "DoctestItem":
        doctest_namespace["kb"] = request.getfixturevalue("_shared_kb")
