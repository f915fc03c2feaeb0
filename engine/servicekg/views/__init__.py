"""Interactive graph views of the knowledge base: networkx graphs built by SPARQL, drawn with
pyvis/vis-network into self-contained HTML pages (nothing loads from the network).

>>> from servicekg.knowledge_base import KnowledgeBase
>>> html = render_view(KnowledgeBase.with_ontology(), "value-chain", lang="nl")
>>> html.startswith("<!DOCTYPE html>")
True
"""

from servicekg.views.page import Linker, file_links
from servicekg.views.render import build_view, render_view
from servicekg.views.site import SITE_VIEWS, write_views
from servicekg.views.spec import VIEWS

__all__ = [
    "SITE_VIEWS",
    "VIEWS",
    "Linker",
    "build_view",
    "file_links",
    "render_view",
    "write_views",
]
