"""The causal, customer-chain and sector graphs of the knowledge base as networkx graphs.

Each relation resource of the ontology becomes one edge, carrying its IRI, its polarity
(+1 increases, -1 decreases), its strength and the passages it rests on, so that paths can
be walked and their overall effect computed:

>>> # kb: KnowledgeBase.with_ontology(), one shared by the doctests (conftest.py)
>>> from servicekg.namespace import SKG, local_name
>>> graph = causal_graph(kb)
>>> path = next(causal_paths(graph, SKG.EmployeeTreatment, SKG.Profit))
>>> path.sign
1
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from math import prod

import networkx as nx
from pyoxigraph import Literal, NamedNode

from servicekg.errors import UnknownTermError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG, local_name

__all__ = ["CausalPath", "causal_graph", "causal_paths", "chain_graph", "relation_graph"]

_RELATIONS = """
SELECT ?relation ?from ?to ?polarity ?strength
       (GROUP_CONCAT(DISTINCT STR(?passage); separator=" ") AS ?passages)
WHERE {
  ?relation a ?kind ; skg:fromConcept ?from ; skg:toConcept ?to .
  OPTIONAL { ?relation skg:polarity/rdf:value ?polarity }
  OPTIONAL { ?relation skg:strength ?strength }
  OPTIONAL { ?relation skg:restsOn ?passage }
}
GROUP BY ?relation ?from ?to ?polarity ?strength
ORDER BY ?relation
"""

_LABELS = """
SELECT ?concept ?label ?class WHERE {
  ?concept a ?class . ?class rdfs:subClassOf* skg:Concept .
  OPTIONAL { ?concept skos:prefLabel ?label FILTER (LANG(?label) = ?lang) }
}
"""


@dataclass(frozen=True)
class CausalPath:
    """A chain of causal links: the concepts in order, their net sign and combined strength."""

    concepts: tuple[str, ...]
    relations: tuple[str, ...]
    sign: int
    strength: float

    def __len__(self) -> int:
        return len(self.relations)


def relation_graph(kb: KnowledgeBase, kind: str, lang: str = "en") -> nx.DiGraph:
    """One kind of relation (an IRI such as ``SKG.CausalLink``) as a directed graph.

    Nodes are concept IRIs with ``label`` (in ``lang``) and ``kind`` (their concept class);
    edges carry ``relation``, ``sign``, ``strength`` and ``passages``.
    """
    graph = nx.DiGraph()
    for row in kb.select(_LABELS, lang=Literal(lang)):
        concept = row["concept"]
        if concept not in graph:
            graph.add_node(concept, label=row.get("label", local_name(concept)), kind=row["class"])
    for row in kb.select(_RELATIONS, kind=NamedNode(str(kind))):
        graph.add_edge(
            row["from"],
            row["to"],
            relation=row["relation"],
            sign=int(row.get("polarity", 1)),
            strength=float(row.get("strength", 1.0)),
            passages=tuple(row.get("passages", "").split()),
        )
    return graph


def causal_graph(kb: KnowledgeBase, lang: str = "en") -> nx.DiGraph:
    """The causal links: an edge ``a -> b`` means more of ``a`` changes ``b`` by its sign."""
    return relation_graph(kb, str(SKG.CausalLink), lang)


def chain_graph(kb: KnowledgeBase, lang: str = "en") -> nx.DiGraph:
    """The customer chain: an edge ``a -> b`` means ``a`` serves ``b``, its customer."""
    return relation_graph(kb, str(SKG.ChainLink), lang)


def causal_paths(
    graph: nx.DiGraph, source: str, target: str, max_length: int | None = None
) -> Iterator[CausalPath]:
    """Every simple path from ``source`` to ``target``, shortest first.

    Each path's ``sign`` is the product of its links' signs (does more of the source raise or
    lower the target along this path?) and its ``strength`` the product of their strengths.
    """
    source, target = str(source), str(target)
    for node in (source, target):
        if node not in graph:
            raise UnknownTermError("concept", str(node), sorted(local_name(n) for n in graph))
    for nodes in nx.shortest_simple_paths(graph, source, target):
        if max_length is not None and len(nodes) - 1 > max_length:
            return
        edges = [graph.edges[a, b] for a, b in pairwise(nodes)]
        yield CausalPath(
            concepts=tuple(nodes),
            relations=tuple(e["relation"] for e in edges),
            sign=prod(e["sign"] for e in edges),
            strength=prod(e["strength"] for e in edges),
        )
