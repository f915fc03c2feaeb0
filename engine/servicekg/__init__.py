"""servicekg: customer-service principles as a knowledge graph, a rules engine and SPARQL.

The core is :class:`~servicekg.knowledge_base.KnowledgeBase`; the command line
(:mod:`servicekg.cli`) and the HTTP server are thin layers over it. ``import servicekg`` is
light: the knowledge base (and the store engine under it) is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from servicekg.knowledge_base import KnowledgeBase

__version__ = "0.1.0"
"""The package's version (pyproject.toml reads it from here)."""

__all__ = ["KnowledgeBase", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "KnowledgeBase":
        from servicekg.knowledge_base import KnowledgeBase

        return KnowledgeBase
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
