"""View 1, the principles: every concept of the knowledge graph and how they connect, coloured
by kind, with the source articles they rest on.

>>> from servicekg.knowledge_base import KnowledgeBase
>>> kb = KnowledgeBase.with_ontology()
>>> graph = principles_graph(kb, Lexicon.read(kb))
>>> graph.nodes["https://w3id.org/servicekg/ns#Loyalty"]["kind"]
'outcome'
"""

from __future__ import annotations

import networkx as nx

from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG
from servicekg.views.lexicon import Lexicon, local_name
from servicekg.views.nodes import add_concept
from servicekg.views.spec import Texts
from servicekg.views.view_graph import add_edge, add_node, new_graph

__all__ = ["edge_labels", "principles_graph"]


def principles_graph(kb: KnowledgeBase, lexicon: Lexicon) -> nx.MultiDiGraph:
    """Concepts and articles as nodes; relations, what principles concern, broader and related
    concepts, exceptions and sources as edges."""
    rows = kb.select(lexicon.spec.query("concept-links"))
    graph = new_graph("principles")
    for iri in sorted(lexicon.kinds):
        add_concept(graph, lexicon, iri, here="principles")
    for row in rows:
        source, target = row["from"], row["to"]
        if source not in graph:
            continue
        if target not in graph:
            if row["kind"] != str(SKG.restsOn):
                continue
            add_node(graph, target, "source", lexicon.label(target))
        polarity = row.get("polarity")
        style = {str(SKG.Increases): "increases", str(SKG.Decreases): "decreases"}.get(
            polarity or "", "other"
        )
        add_edge(graph, source, target, edge_labels(lexicon, polarity or row["kind"]), style)
    return graph


def edge_labels(lexicon: Lexicon, iri: str) -> Texts:
    """What an edge of this relation class, property or polarity is called in each language."""
    found = lexicon.field(iri, "label")
    if found:
        return found
    name = local_name(iri)
    return lexicon.spec.ui.get(name) or lexicon.label(iri)
