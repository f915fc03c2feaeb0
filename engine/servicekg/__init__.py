"""servicekg: customer-service principles as a knowledge graph, a rules engine and SPARQL.

The core is :class:`~servicekg.knowledge_base.KnowledgeBase`; the command line
(:mod:`servicekg.cli`) and the HTTP server are thin layers over it.
"""

from importlib.metadata import PackageNotFoundError, version

from servicekg.knowledge_base import KnowledgeBase

try:
    __version__ = version("servicekg")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

__all__ = ["KnowledgeBase", "__version__"]
