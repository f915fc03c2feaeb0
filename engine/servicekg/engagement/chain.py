"""A chain's branches side by side: what head office should do once rather than N times.

Given the latest assessment of each branch of a group (a ``group`` or ``chain`` column of the
business descriptions) and the scores of every business of the same sectors in the knowledge
base, :func:`chain_report` gives:

* each branch's recommendations (the needs and factors it falls short on), its score (the sum
  of its recommendations' scores, lower is better) and its percentile among its sector;
* **chain-level actions**: recommendations made at most branches (more than half, and at least
  two), one action for head office instead of one per branch;
* **shared root causes**: root causes named at two or more branches (a cause at head office,
  such as how staff are treated or how a supplier serves every branch);
* the best and worst branch for each metric observed at two or more branches.

The percentile is the share of the sector's businesses whose score is worse (higher), ties
(the branch itself included) counted half: ``100 * (worse + ties / 2) / n``.

>>> percentile(10.0, [0.0, 10.0, 50.0, 80.0])
62.5
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from servicekg.assessment.results import BusinessAssessment
from servicekg.engagement.progress import business_score
from servicekg.graph.catalogue import MetricSpec
from servicekg.observations import Business

__all__ = [
    "GROUP_COLUMNS",
    "Branch",
    "BranchSummary",
    "ChainReport",
    "MetricExtremes",
    "SharedAction",
    "SharedCause",
    "chain_report",
    "group_of",
    "percentile",
]

GROUP_COLUMNS = ("group", "chain")
"""The business description columns that name a business's group (brand, franchise, region)."""


def group_of(business: Business | None) -> str | None:
    """The group a business description names (its ``group`` or ``chain`` column), if any."""
    if business is None:
        return None
    for column in GROUP_COLUMNS:
        found = business.extra.get(column)
        if found and found.strip():
            return found.strip()
    return None


@dataclass(frozen=True)
class Branch:
    """One branch as the chain report reads it: its description, its latest assessment, each
    metric's value as known then, and the visit that was (its label, ``None`` if undated)."""

    business: Business
    assessment: BusinessAssessment
    facts: Mapping[str, float | bool]
    visit: str | None = None


@dataclass(frozen=True)
class BranchSummary:
    """A branch in the chain report."""

    business: str
    name: str | None
    region: str | None
    sector: str | None
    visit: str | None
    score: float
    percentile: float | None
    sector_size: int
    recommendations: tuple[tuple[str, str, str, float], ...]
    """(rule id, title, label of what it addresses, score), best first."""


@dataclass(frozen=True)
class SharedAction:
    """A recommendation made at most branches: one action for the chain."""

    rule: str
    title: str
    addresses: str
    branches: tuple[str, ...]
    mean_score: float


@dataclass(frozen=True)
class SharedCause:
    """A root cause named at two or more branches, and the symptoms it explains there."""

    concept: str
    label: str
    branches: tuple[str, ...]
    explains: tuple[str, ...]


@dataclass(frozen=True)
class MetricExtremes:
    """The best and the worst branch on one metric (by the metric's better direction)."""

    metric: str
    label: str
    unit: str
    values: tuple[tuple[str, float | bool], ...]
    best: str
    worst: str


@dataclass
class ChainReport:
    """A chain's branches compared (see the module)."""

    group: str
    branches: list[BranchSummary] = field(default_factory=list)
    shared_actions: list[SharedAction] = field(default_factory=list)
    shared_causes: list[SharedCause] = field(default_factory=list)
    extremes: list[MetricExtremes] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        return {
            "group": self.group,
            "branches": [
                {
                    "business": b.business,
                    "name": b.name,
                    "region": b.region,
                    "sector": b.sector,
                    "visit": b.visit,
                    "score": b.score,
                    "percentile": b.percentile,
                    "sector_size": b.sector_size,
                    "recommendations": [
                        {"rule": r, "title": t, "addresses": a, "score": s}
                        for r, t, a, s in b.recommendations
                    ],
                }
                for b in self.branches
            ],
            "shared_actions": [
                {
                    "rule": a.rule,
                    "title": a.title,
                    "addresses": a.addresses,
                    "branches": list(a.branches),
                    "mean_score": a.mean_score,
                }
                for a in self.shared_actions
            ],
            "shared_causes": [
                {
                    "concept": c.concept,
                    "label": c.label,
                    "branches": list(c.branches),
                    "explains": list(c.explains),
                }
                for c in self.shared_causes
            ],
            "best_and_worst": [
                {
                    "metric": e.metric,
                    "label": e.label,
                    "unit": e.unit,
                    "values": dict(e.values),
                    "best": e.best,
                    "worst": e.worst,
                }
                for e in self.extremes
            ],
        }


def percentile(score: float, sector_scores: Iterable[float]) -> float:
    """The share (0-100) of ``sector_scores`` (which include ``score`` itself) that are worse
    than ``score``, ties counted half; 50 for a business alone in its sector."""
    scores = list(sector_scores)
    if not scores:
        return 50.0
    worse = sum(1 for s in scores if s > score + 1e-9)
    ties = sum(1 for s in scores if abs(s - score) <= 1e-9)
    return round(100 * (worse + ties / 2) / len(scores), 1)


def chain_report(
    group: str,
    branches: Sequence[Branch],
    specs: Mapping[str, MetricSpec],
    sector_scores: Mapping[str, Sequence[float]],
    lang: str = "en",
) -> ChainReport:
    """Compare the branches of ``group`` (see the module). ``sector_scores`` are the scores of
    every business of each sector in the knowledge base (branches included)."""
    report = ChainReport(group=group)
    ordered = sorted(branches, key=lambda b: b.business.id)
    for branch in ordered:
        score = business_score(branch.assessment)
        peers = sector_scores.get(branch.business.sector or "", [])
        recs = tuple(
            (_rule_id(r.rule.iri), r.title, r.addresses.label, r.score)
            for r in branch.assessment.recommendations
        )
        report.branches.append(
            BranchSummary(
                business=branch.business.id,
                name=branch.business.name,
                region=branch.business.region,
                sector=branch.business.sector,
                visit=branch.visit,
                score=score,
                percentile=percentile(score, peers) if peers else None,
                sector_size=len(peers),
                recommendations=recs,
            )
        )
    report.shared_actions = _shared_actions(ordered)
    report.shared_causes = _shared_causes(ordered)
    report.extremes = _extremes(ordered, specs, lang)
    return report


def _rule_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _shared_actions(branches: Sequence[Branch]) -> list[SharedAction]:
    by_rule: dict[str, list[tuple[str, float, str, str]]] = {}
    for branch in branches:
        for rec in branch.assessment.recommendations:
            by_rule.setdefault(_rule_id(rec.rule.iri), []).append(
                (branch.business.id, rec.score, rec.title, rec.addresses.label)
            )
    shared = []
    for rule, found in by_rule.items():
        if len(found) >= 2 and 2 * len(found) > len(branches):
            shared.append(
                SharedAction(
                    rule=rule,
                    title=found[0][2],
                    addresses=found[0][3],
                    branches=tuple(b for b, *_ in found),
                    mean_score=round(sum(s for _, s, *_ in found) / len(found), 1),
                )
            )
    shared.sort(key=lambda a: (-len(a.branches), -a.mean_score, a.rule))
    return shared


def _shared_causes(branches: Sequence[Branch]) -> list[SharedCause]:
    by_concept: dict[str, tuple[str, list[str], list[str]]] = {}
    for branch in branches:
        for cause in branch.assessment.root_causes:
            _label, named, explains = by_concept.setdefault(
                cause.concept.iri, (cause.concept.label, [], [])
            )
            named.append(branch.business.id)
            explains.extend(t.label for t in cause.explains if t.label not in explains)
    shared = [
        SharedCause(iri, label, tuple(named), tuple(explains))
        for iri, (label, named, explains) in by_concept.items()
        if len(named) >= 2
    ]
    shared.sort(key=lambda c: (-len(c.branches), c.label))
    return shared


def _extremes(
    branches: Sequence[Branch], specs: Mapping[str, MetricSpec], lang: str
) -> list[MetricExtremes]:
    metrics = sorted({m for b in branches for m in b.facts})
    found = []
    for metric in metrics:
        spec = specs.get(metric)
        if spec is None or spec.better not in ("higher", "lower", "true"):
            continue
        values = [(b.business.id, b.facts[metric]) for b in branches if metric in b.facts]
        if len(values) < 2:
            continue
        higher_is_better = spec.better != "lower"
        ranked = sorted(values, key=lambda v: (float(v[1]), v[0]), reverse=higher_is_better)
        best, worst = ranked[0], ranked[-1]
        if best[1] == worst[1]:
            continue  # every branch alike: nothing to compare
        found.append(
            MetricExtremes(
                metric=metric,
                label=spec.labels.get(lang) or spec.labels.get("en") or metric,
                unit=spec.unit,
                values=tuple(values),
                best=best[0],
                worst=worst[0],
            )
        )
    return found
