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

import itertools
import math

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
    spec = lexicon.spec.view(view)
    stressed = strongest_paths(links, spec.emphasise, spec.emphasise_paths)
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
            width=(5.0 if (source, target) in stressed else 0.6) + 2.0 * strength,
            sign=signs[style]["label"],
            emphasis=(source, target) in stressed,
        )
    return graph


def strongest_paths(
    links: nx.MultiDiGraph, targets: tuple[str, ...], count: int
) -> set[tuple[str, str]]:
    """The links on the ``count`` strongest paths into each of ``targets`` (concept local
    names), from the causes the graph starts at: a path's strength is the product of its
    links' strengths, so the strongest is the shortest under ``-log(strength)``.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "x#T", strength=0.9); g.add_edge("b", "c", strength=0.2)
    0
    0
    >>> _ = g.add_edge("c", "x#T", strength=0.9)
    >>> sorted(strongest_paths(g, ("T",), 1))
    [('a', 'x#T')]
    """
    simple = nx.DiGraph()
    for source, target, data in links.edges(data=True):
        cost = -math.log(min(max(float(data.get("strength", 1.0)), 1e-6), 1.0))
        if not simple.has_edge(source, target) or simple[source][target]["cost"] > cost:
            simple.add_edge(source, target, cost=cost)
    starts = [n for n in simple if simple.in_degree(n) == 0]
    chosen: set[tuple[str, str]] = set()
    for name in targets:
        target = next((n for n in simple if str(n).rsplit("#", 1)[-1] == name), None)
        if target is None:
            continue
        distance, paths = nx.single_source_dijkstra(
            simple.reverse(copy=False), target, weight="cost"
        )
        best = sorted((distance[s], str(s)) for s in starts if s in distance)[:count]
        for _, start in best:
            path = list(reversed(paths[start]))
            chosen.update(itertools.pairwise(path))
    return chosen
