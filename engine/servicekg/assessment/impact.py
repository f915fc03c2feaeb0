"""How much acting on a concept is expected to move loyalty, retention, growth and profit.

The causal graph says, link by link, how strongly one concept drives the next. The most
reliable chain from a concept to an outcome is the path whose strengths multiply to the
largest value (Dijkstra over ``-log(strength)``); a concept's *impact* is the sum of those
best-chain strengths to each target outcome. Computed once per concept and kept.

>>> # kb: KnowledgeBase.with_ontology(), one shared by the doctests (conftest.py)
>>> from servicekg.graph.causal import causal_graph
>>> from servicekg.namespace import SKG
>>> model = ImpactModel(causal_graph(kb))
>>> model.impact(SKG.Friendliness).value > model.impact(SKG.Complaints).value
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import networkx as nx

from servicekg.assessment.results import CausalChain
from servicekg.namespace import SKG

__all__ = ["DEFAULT_TARGETS", "Impact", "ImpactModel"]

DEFAULT_TARGETS: tuple[str, ...] = (
    str(SKG.Loyalty),
    str(SKG.Retention),
    str(SKG.Growth),
    str(SKG.Profit),
)
"""The outcomes recommendations are ranked by (profit too: the cost of quality reaches it and
no stated link leads on from it, since "growth, profit and more value" is a list, not a chain)."""


@dataclass(frozen=True)
class Impact:
    """A concept's expected effect on the target outcomes, with the chains that carry it."""

    concept: str
    value: float
    chains: tuple[CausalChain[str], ...]


class ImpactModel:
    """Impacts over one causal graph (see :func:`servicekg.graph.causal.causal_graph`)."""

    def __init__(self, graph: nx.DiGraph, targets: Sequence[str] = DEFAULT_TARGETS) -> None:
        self._graph = graph
        self._targets = tuple(str(t) for t in targets)
        self._weighted = nx.DiGraph()
        for a, b, data in graph.edges(data=True):
            strength = max(float(data["strength"]), 1e-9)
            self._weighted.add_edge(a, b, cost=-math.log(strength), sign=data["sign"])
        self._impacts: dict[str, Impact] = {}
        self._largest: float | None = None

    @property
    def targets(self) -> tuple[str, ...]:
        """The outcome IRIs impacts are measured on."""
        return self._targets

    def impact(self, concept: str) -> Impact:
        """``concept``'s impact: the strongest chain to each target outcome, summed."""
        concept = str(concept)
        if concept not in self._impacts:
            self._impacts[concept] = self._compute(concept)
        return self._impacts[concept]

    def _compute(self, concept: str) -> Impact:
        chains: list[CausalChain[str]] = []
        if concept in self._weighted:
            costs, paths = nx.single_source_dijkstra(self._weighted, concept, weight="cost")
            for target in self._targets:
                if target == concept:
                    chains.append(CausalChain(target, (concept,), 1.0, 1))
                elif target in paths:
                    path = paths[target]
                    sign = math.prod(self._weighted.edges[a, b]["sign"] for a, b in pairwise(path))
                    chains.append(CausalChain(target, tuple(path), math.exp(-costs[target]), sign))
        elif concept in self._targets:
            chains.append(CausalChain(concept, (concept,), 1.0, 1))
        return Impact(concept, sum(c.strength for c in chains), tuple(chains))

    def largest(self) -> float:
        """The largest impact any concept of the graph has (for scores from 0 to 1)."""
        if self._largest is None:
            self._largest = (
                max((self.impact(node).value for node in self._graph.nodes), default=1.0) or 1.0
            )
        return self._largest

    def relative(self, concept: str) -> float:
        """``concept``'s impact as a share of the largest, from 0 to 1."""
        return self.impact(str(concept)).value / self.largest()
