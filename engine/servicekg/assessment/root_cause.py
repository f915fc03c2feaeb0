"""Root causes: when several symptoms are observed, the upstream concept that explains them.

The articles name upstream causes: badly treated staff treat customers badly (complaints
together with unhappy, leaving staff point to how staff are treated), and suppliers are a link
of the service chain (late and poor supplies point to the supplier link). In the causal graph
these are common ancestors of the symptoms. A candidate must explain symptoms within a few
links, must be something a business can act on (a service factor), and must not have been
observed to be fine.

Only evidence names a cause. A candidate is named when it was observed and found bad itself
(a rule addressing it fired) and explains at least one other symptom, or when no metric could
observe it and it is the common upstream of two or more symptoms. A candidate that a metric
could decide but that was not observed is never named: it is listed *to check*, so that an
unobserved upstream concept is never preferred over an observed one. The graph given should
hold only the relations that rest on passages (:func:`evidence_graph`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

__all__ = [
    "LEVER_KINDS",
    "RootCause",
    "RootCauses",
    "ancestor_paths",
    "evidence_graph",
    "find_root_causes",
    "levers_driven",
]

LEVER_KINDS = frozenset({"https://w3id.org/servicekg/ns#ServiceFactor"})
"""Concept classes a root cause may belong to: what a business can act on."""

MAX_DISTANCE = 4
"""How many causal links a root cause may stand above a symptom it explains."""


@dataclass(frozen=True)
class RootCause:
    """An upstream concept and the symptoms it explains, each through its shortest chain.

    ``observed`` is true when the root cause's own metrics were observed and found bad (a rule
    addressing it fired); false when it was not observed.
    """

    concept: str
    explains: tuple[str, ...]
    chains: tuple[tuple[str, ...], ...]
    observed: bool


@dataclass(frozen=True)
class RootCauses:
    """The causes named (``causes``, best first) and the unobserved candidates a metric could
    decide (``to_check``)."""

    causes: list[RootCause] = field(default_factory=list)
    to_check: list[RootCause] = field(default_factory=list)


def evidence_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """The relations of ``graph`` a root cause may be traced through: those that rest on at
    least one passage and whose basis, where the graph gives one, is not our own judgement."""
    keep = sorted(
        (data["relation"], a, b)
        for a, b, data in graph.edges(data=True)
        if data.get("passages") and data.get("basis") != "judgement"
    )
    found = nx.DiGraph()  # in IRI order, so that ties between paths fall the same way always
    found.add_nodes_from(sorted(graph.nodes(data=True)))
    found.add_edges_from((a, b, graph.edges[a, b]) for _, a, b in keep)
    return found


def find_root_causes(
    graph: nx.DiGraph,
    symptoms: Iterable[str],
    *,
    fine: Collection[str] = (),
    measurable: Collection[str] = (),
    max_distance: int = MAX_DISTANCE,
    ancestors: Callable[[str], Mapping[str, Sequence[str]]] | None = None,
    upstream: Callable[[str], int] | None = None,
) -> RootCauses:
    """The root causes of ``symptoms`` (concept IRIs found bad), and what is left to check.

    ``fine`` are concepts observed to be good: they are never named nor listed.
    ``measurable`` are the concepts some metric measures: one of them that was not observed
    bad is never named; it is listed to check when it explains two or more symptoms, or one
    while it drives two or more other levers (an upstream cause: staff treatment, suppliers).
    Candidates that explain more other symptoms come first, then the closer ones; a cause's
    explained symptoms are not offered again by a weaker candidate. ``ancestors`` may give
    what :func:`ancestor_paths` gives for ``graph`` and ``max_distance``, kept from an earlier
    call (the assessment asks once per symptom); it may leave out ancestors that are not of a
    :data:`LEVER_KINDS` class. ``upstream`` may give what :func:`levers_driven` gives for
    ``graph``, kept likewise.
    """
    bad = {str(s) for s in symptoms if str(s) in graph}
    if len(bad) < 2:
        return RootCauses()
    if ancestors is None:
        reverse = graph.reverse(copy=False)

        def ancestors(symptom: str) -> Mapping[str, Sequence[str]]:
            return ancestor_paths(reverse, symptom, max_distance)

    reach: dict[str, dict[str, Sequence[str]]] = {}
    for symptom in sorted(bad):
        for ancestor, path in ancestors(symptom).items():
            reach.setdefault(ancestor, {})[symptom] = path
    if upstream is None:

        def upstream(concept: str) -> int:
            return levers_driven(graph, concept, max_distance)

    named, checks = [], []
    for concept, explained in reach.items():
        if graph.nodes[concept].get("kind") not in LEVER_KINDS or concept in fine:
            continue
        others = {s: p for s, p in explained.items() if s != concept}
        observed = concept in bad
        if not others:
            continue
        distance = sum(len(p) for p in others.values())
        driven = upstream(concept)
        entry = (-len(others), not observed, -driven, distance, concept, others)
        if observed or concept not in measurable:
            if len(others) + observed >= 2:
                named.append(entry)
        elif len(others) >= 2 or driven >= 2:
            checks.append(entry)
    causes = _pick(sorted(named), bad)
    chosen = {c.concept for c in causes}
    to_check = [
        RootCause(
            concept, tuple(sorted(others)), tuple(tuple(others[s]) for s in sorted(others)), False
        )
        for *_, concept, others in sorted(checks)
        if concept not in chosen
    ]
    return RootCauses(causes, to_check)


def levers_driven(graph: nx.DiGraph, concept: str, max_distance: int = MAX_DISTANCE) -> int:
    """How many other levers ``concept`` drives: two or more make it an upstream cause (how
    staff are treated), rather than one facet of the service (how fast it is). Between
    candidates that explain as much, the one further upstream comes first."""
    reached = nx.single_source_shortest_path_length(graph, concept, cutoff=max_distance)
    return sum(n != concept and graph.nodes[n].get("kind") in LEVER_KINDS for n in reached)


_Candidate = tuple[int, bool, int, int, str, dict[str, Sequence[str]]]


def _pick(candidates: list[_Candidate], bad: set[str]) -> list[RootCause]:
    found: list[RootCause] = []
    covered: set[str] = set()
    for *_, concept, others in candidates:
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
