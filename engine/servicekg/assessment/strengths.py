"""Strengths: what a business was observed to do well, and why the articles say it matters.

A metric is a strength when it was observed on the good side of every threshold the rules of
this kind of business compare it with (its ``better`` direction tells which side is good),
and no rule that reads it was set aside. Why it matters is the concept it measures, that
concept's strongest causal chain to the outcomes recommendations are ranked by (each link with
its passages), and the passages the concept rests on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from functools import partial
from typing import Any

import networkx as nx

from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.results import Evidence, Strength
from servicekg.graph.catalogue import MetricSpec
from servicekg.rules import Rule
from servicekg.rules.conditions import Comparison, Value, evaluate, iter_comparisons

__all__ = ["find_strengths"]

_GOOD_SIDE = {
    # (better, op that flags the bad side) -> op of the good side
    ("higher", "below"): "at_least",
    ("higher", "at_most"): "above",
    ("lower", "above"): "at_most",
    ("lower", "at_least"): "below",
}


def find_strengths(
    context: AssessmentContext,
    facts: Mapping[str, Value],
    sector: str,
    set_aside: Collection[str],
    evidence: Callable[[str], Evidence | None],
    doubtful: Collection[str] = (),
) -> list[Strength]:
    """The strengths of one business, the most consequential first (by the impact of the
    concept each measures). ``set_aside`` are the ids of the rules set aside for it;
    ``doubtful`` the metrics whose observations contradict others (never a strength)."""
    bounds: dict[str, list[tuple[str, Any]]] = {}
    spoiled: set[str] = set(doubtful)
    checks = context.cached("bounds", sector, lambda: _bounds(context, sector))
    for rule, comparison, bound in checks:
        metric = comparison.metric
        if metric not in facts:
            continue
        exempt = rule.unless is not None and evaluate(rule.unless, facts, sector) is True
        if exempt and rule.id not in set_aside:
            continue  # the rule does not apply here (a sector left to a rule of its own)
        if rule.id in set_aside or evaluate(comparison, facts, sector) is not False:
            spoiled.add(metric)
        else:
            bounds.setdefault(metric, []).append(bound)
    found = []
    for metric, targets in bounds.items():
        if metric in spoiled:
            continue
        why = context.cached("strength", metric, partial(_why, context, metric))
        observed = evidence(metric)
        if why is None or observed is None:
            continue
        impact, concept, chains, links, passages = why
        found.append(
            (
                -impact,
                metric,
                Strength(
                    evidence=observed,
                    concept=concept,
                    target=_strictest(targets),
                    chains=chains,
                    links=links,
                    passages=passages,
                ),
            )
        )
    found.sort(key=lambda item: item[:2])
    return [strength for _, _, strength in found]


def _bounds(context: AssessmentContext, sector: str) -> list[tuple[Rule, Comparison, Any]]:
    """Every comparison of a rule of ``sector`` that flags the bad side of a metric with a
    direction of good, with the good side: the same for every business of the sector."""
    found = []
    for rule in context.book.rules:
        if rule.sectors is not None and sector not in rule.sectors:
            continue
        for comparison in iter_comparisons(rule.when):
            bound = _good_side(comparison, context.catalogue[comparison.metric], sector)
            if bound is not None:
                found.append((rule, comparison, bound))
    return found


def _why(context: AssessmentContext, metric: str) -> tuple[Any, ...] | None:
    """Why ``metric`` matters whatever the business: the impact and term of the concept it
    measures, its chains, the links of the strongest and the passages it rests on."""
    concept = _concept(context, context.catalogue[metric])
    if concept is None:
        return None
    chains = context.chains(concept)
    best = max(chains, key=lambda c: c.strength, default=None)
    return (
        context.impact.relative(concept),
        context.term(concept),
        chains,
        context.links([t.iri for t in best.path]) if best else (),
        context.grounding(concept),
    )


def _good_side(comparison: Comparison, spec: MetricSpec, sector: str) -> tuple[str, Any] | None:
    """The good side of a comparison that flags the bad side of ``spec``, or ``None``."""
    if comparison.op == "is" and spec.better == "true" and comparison.expected is False:
        return ("is", True)
    op = _GOOD_SIDE.get((spec.better or "", comparison.op))
    if op is None or comparison.threshold is None:
        return None
    return (op, comparison.threshold.for_sector(sector))


def _strictest(targets: list[tuple[str, Any]]) -> dict[str, Any]:
    """The bound every other one is implied by (the highest floor, the lowest ceiling)."""
    op = targets[0][0]
    values = [v for o, v in targets if o == op]
    if op in ("at_least", "above"):
        return {"op": op, "value": max(values)}
    if op in ("at_most", "below"):
        return {"op": op, "value": min(values)}
    return {"op": op, "value": values[0]}


def _concept(context: AssessmentContext, spec: MetricSpec) -> str | None:
    """The concept ``spec`` measures most directly: the one upstream of its other concepts
    (the greeting rather than the friendliness it leads to), then the one with most impact."""
    known = sorted(c for c in spec.concepts if c in context.graph)

    def upstream(concept: str) -> tuple[int, float]:
        below = nx.descendants(context.graph, concept)
        return sum(c in below for c in known), context.impact.relative(concept)

    return max(known, key=upstream, default=None)
