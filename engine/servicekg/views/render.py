"""One entry point for every view: build its graph from the knowledge base and render the page.

The command line and the HTTP server both call :func:`render_view`; it knows neither.
"""

from __future__ import annotations

import networkx as nx

from servicekg.errors import InputError
from servicekg.graph.concepts import check_language
from servicekg.knowledge_base import KnowledgeBase
from servicekg.views.assessment import assessment_graph
from servicekg.views.chains import chain_view_graph
from servicekg.views.construct import construct_graph
from servicekg.views.lexicon import Lexicon
from servicekg.views.page import Linker, file_links, render_page
from servicekg.views.portfolio import portfolio_graph
from servicekg.views.principles import principles_graph
from servicekg.views.spec import Texts, load_spec

__all__ = ["build_view", "render_view"]


def build_view(
    kb: KnowledgeBase,
    view: str,
    *,
    business: str | None = None,
    query: str | None = None,
) -> tuple[nx.MultiDiGraph, Texts]:
    """The graph of ``view`` and its title in each language.

    ``assessment`` needs ``business`` (its id) and a knowledge base holding assessments;
    ``portfolio`` needs assessments; ``query`` needs a SPARQL CONSTRUCT ``query``.
    """
    spec = load_spec()
    view_spec = spec.view(view)
    if view == "query" and not query:
        raise InputError("the query view needs a SPARQL CONSTRUCT query (--query FILE.rq)")
    if view == "assessment" and not business:
        raise InputError("the assessment view needs a business (--business ID)")
    lexicon = Lexicon.read(kb, spec)
    title = view_spec.title
    if view == "principles":
        graph = principles_graph(kb, lexicon)
    elif view in ("value-chain", "customer-chain"):
        graph = chain_view_graph(kb, lexicon, view)
    elif view == "assessment":
        graph, name = assessment_graph(kb, lexicon, str(business))
        title = {lang: f"{text}: {name}" for lang, text in title.items()}
    elif view == "portfolio":
        graph = portfolio_graph(kb, lexicon)
    else:
        graph = construct_graph(kb, lexicon, str(query))
    return graph, title


def render_view(
    kb: KnowledgeBase,
    view: str,
    *,
    lang: str = "en",
    business: str | None = None,
    query: str | None = None,
    linker: Linker = file_links,
) -> str:
    """The self-contained HTML page of ``view`` (one of :data:`~servicekg.views.spec.VIEWS`).

    ``lang`` is the language the page opens in (it switches to the others itself);
    ``linker(view, business)`` makes the URLs of the other views (default: files side by side,
    ``principles.html``; a server passes its own routes).
    """
    check_language(lang)
    graph, title = build_view(kb, view, business=business, query=query)
    return render_page(graph, view, lang=lang, title=title, business=business, linker=linker)
