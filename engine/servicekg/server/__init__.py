"""The HTTP server: a SPARQL 1.1 endpoint, a Graph Store, a query page, JSON for consultants
and the HTML graph views, as one ASGI app over a :class:`~servicekg.knowledge_base.KnowledgeBase`.

``servicekg serve`` runs it with uvicorn; :func:`create_app` builds it for any ASGI server.
"""

from servicekg.server.asgi_app import create_app
from servicekg.server.settings import SETTINGS, ServerSettings, Setting
from servicekg.server.startup import open_knowledge_base, sample_knowledge_base

__all__ = [
    "SETTINGS",
    "ServerSettings",
    "Setting",
    "create_app",
    "open_knowledge_base",
    "sample_knowledge_base",
]
