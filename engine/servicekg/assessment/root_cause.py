"""Root causes: when several symptoms are observed, the upstream concept that explains them.

The articles name upstream causes: badly treated staff treat customers badly (complaints
together with unhappy, leaving staff point to how staff are treated), and suppliers are a link
of the service chain (late and poor supplies point to the supplier link). In the causal graph
these are common ancestors of the symptoms. A candidate must explain at least two symptoms
within a few links, must be something a business can act on (a service factor), and must not
have been observed to be fine.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

__all__ = ["LEVER_KINDS", "RootCause", "ancestor_paths", "find_root_causes"]

LEVER_KINDS = frozenset({"https://w3id.org/servicekg/ns#ServiceFactor"})
"""Concept classes a root cause may belong to: what a business can act on."""

MAX_DISTANCE = 4
"""How many causal links a root cause may stand above a symptom it explains."""


@dataclass(frozen=True)
class RootCause:
    """An upstream concept and the symptoms it explains, each through its shortest chain.

    ``observed`` is true when the root cause's own metrics were observed and found bad (a rule
    addressing it fired); false when it is suspected because its metrics were not observed.
    """

    concept: str
    explains: tuple[str, ...]
    chains: tuple[tuple[str, ...], ...]
    observed: bool


def find_root_causes(
    graph: nx.DiGraph,
    symptoms: Iterable[str],
    *,
    fine: Collection[str] = (),
    max_distance: int = MAX_DISTANCE,
    ancestors: Callable[[str], Mapping[str, Sequence[str]]] | None = None,
) -> list[RootCause]:
    """The root causes of ``symptoms`` (concept IRIs found bad), best first.

    ``fine`` are concepts observed to be good: they are never named as a cause. Candidates that
    explain more other symptoms come first, then those observed bad themselves, then the
    closer ones. A root cause's explained symptoms are not offered again by a weaker candidate.
    ``ancestors`` may give what :func:`ancestor_paths` gives for ``graph`` and
    ``max_distance``, kept from an earlier call (the assessment asks once per symptom); it
    may leave out ancestors that are not of a :data:`LEVER_KINDS` class.
    """
    bad = {str(s) for s in symptoms if str(s) in graph}
    if len(bad) < 2:
        return []
    if ancestors is None:
        reverse = graph.reverse(copy=False)

        def ancestors(symptom: str) -> Mapping[str, Sequence[str]]:
            return ancestor_paths(reverse, symptom, max_distance)

    reach: dict[str, dict[str, Sequence[str]]] = {}
    for symptom in sorted(bad):
        for ancestor, path in ancestors(symptom).items():
            reach.setdefault(ancestor, {})[symptom] = path
    candidates = []
    for concept, explained in reach.items():
        if graph.nodes[concept].get("kind") not in LEVER_KINDS or concept in fine:
            continue
        others = {s: p for s, p in explained.items() if s != concept}
        observed = concept in bad
        if not others or len(others) + observed < 2:
            continue
        distance = sum(len(p) for p in others.values())
        candidates.append((-len(others), not observed, distance, concept, others))
    candidates.sort()
    found: list[RootCause] = []
    covered: set[str] = set()
    for _, _, _, concept, others in candidates:
        observed = concept in bad
        fresh = (set(others) | ({concept} if observed else set())) - covered
        if len(fresh) < 2 or concept in covered:
            continue
        covered |= set(others) | {concept}
        found.append(
            RootCause(
                concept=concept,
                explains=tuple(sorted(others)),
                chains=tuple(tuple(others[s]) for s in sorted(others)),
                observed=observed,
            )
        )
    return found


def ancestor_paths(
    reverse: nx.DiGraph, symptom: str, max_distance: int = MAX_DISTANCE
) -> dict[str, tuple[str, ...]]:
    """Each concept at most ``max_distance`` links above ``symptom`` (``reverse`` is the causal
    graph reversed), with the shortest chain from it down to the symptom."""
    paths = nx.single_source_shortest_path(reverse, symptom, cutoff=max_distance)
    return {ancestor: tuple(reversed(path)) for ancestor, path in paths.items()}
