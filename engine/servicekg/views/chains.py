"""Views 2 and 3, the value chain and the customer chain: the causal links with the sign of
each (from how staff are treated and how suppliers serve, through service and product quality,
to satisfaction, loyalty, retention, word of mouth, growth, profit and value), and who serves
whom (suppliers, the company's internal customers, its external customers). Both are laid out
in columns, causes and servers on the left.

>>> from servicekg.knowledge_base import KnowledgeBase
>>> kb = KnowledgeBase.with_ontology()
>>> graph = chain_view_graph(kb, Lexicon.read(kb), "customer-chain")
>>> "https://w3id.org/servicekg/ns#ExternalCustomer" in graph
True
"""

from __future__ import annotations

import networkx as nx

from servicekg.graph.causal import relation_graph
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG
from servicekg.views.lexicon import Lexicon
from servicekg.views.nodes import add_concept
from servicekg.views.spec import Texts
from servicekg.views.view_graph import add_edge, new_graph

__all__ = ["chain_view_graph"]


def chain_view_graph(kb: KnowledgeBase, lexicon: Lexicon, view: str) -> nx.MultiDiGraph:
    """The graph of ``view`` (``value-chain`` or ``customer-chain``): the concepts its
    relation links, and one edge per relation."""
    relation = lexicon.spec.view(view).relation
    if relation is None:
        raise ValueError(f"view {view!r} is not a chain view")
    links = relation_graph(kb, str(SKG._NS) + relation)
    graph = new_graph(view)
    for iri in sorted(n for n in links if links.degree(n) > 0):
        add_concept(graph, lexicon, iri, here=view)
    increases = lexicon.label(str(SKG.Increases))
    decreases = lexicon.label(str(SKG.Decreases))
    serves = lexicon.label(str(SKG.serves))
    signs = lexicon.spec.edges
    for source, target, data in sorted(links.edges(data=True)):
        if relation == "ChainLink":
            add_edge(graph, source, target, serves, width=2.0)
            continue
        positive = data["sign"] > 0
        words = increases if positive else decreases
        strength = data["strength"]
        labels: Texts = {lang: f"{words[lang]} ({strength:g})" for lang in words}
        style = "increases" if positive else "decreases"
        add_edge(
            graph,
            source,
            target,
            labels,
            style,
            width=1.0 + 3.0 * strength,
            sign=signs[style]["label"],
        )
    return graph
