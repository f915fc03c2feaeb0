"""How far an observation is from good, and the score that ranks a recommendation."""

from __future__ import annotations

from collections.abc import Mapping

from servicekg.graph.catalogue import MetricSpec
from servicekg.rules import Rule
from servicekg.rules.conditions import iter_comparisons

__all__ = ["SEVERITY_WEIGHTS", "gap", "score"]

SEVERITY_WEIGHTS = {"low": 0.25, "medium": 0.5, "high": 0.75, "critical": 1.0}
"""How much a rule's severity weighs in its recommendation's score."""


def gap(
    rule: Rule, facts: Mapping[str, float | bool], sector: str, specs: Mapping[str, MetricSpec]
) -> float:
    """How far the observations that made ``rule`` fire are from good, from 0 to 1.

    For each numeric comparison that holds, the distance past its threshold relative to the
    room the metric's range leaves on that side (a time with no upper bound: relative to the
    threshold itself); a boolean that holds counts 1. The rule's gap is the mean.
    """
    distances: list[float] = []
    for comparison in iter_comparisons(rule.when):
        value = facts.get(comparison.metric)
        if value is None:
            continue
        if comparison.threshold is None:
            if comparison.op == "is" and value == comparison.expected:
                distances.append(1.0)
            continue
        if isinstance(value, bool):
            continue
        spec = specs[comparison.metric]
        limit = comparison.threshold.for_sector(sector)
        if comparison.op in ("above", "at_least") and value >= limit:
            room = (spec.maximum - limit) if spec.maximum is not None else max(abs(limit), 1.0)
            distances.append(_share(value - limit, room))
        elif comparison.op in ("below", "at_most") and value <= limit:
            room = (limit - spec.minimum) if spec.minimum is not None else max(abs(limit), 1.0)
            distances.append(_share(limit - value, room))
    return sum(distances) / len(distances) if distances else 1.0


def score(severity: str, impact: float, distance: float) -> float:
    """``100 * severity weight * impact * (0.5 + gap / 2)``, rounded to one decimal."""
    return round(100 * SEVERITY_WEIGHTS[severity] * impact * (0.5 + distance / 2), 1)


def _share(part: float, whole: float) -> float:
    if whole <= 0:
        return 1.0
    return max(0.0, min(1.0, part / whole))
