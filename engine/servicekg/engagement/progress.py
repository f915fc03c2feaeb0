"""Progress between visits: what moved, what the client did, and whether it worked.

Given one business's assessment at each visit (:class:`VisitAssessment`, oldest first) and its
follow-ups, :func:`progress` says, for the latest visit against the one before:

* each metric's value per visit and its trend (better, worse, steady, first measured), from
  the metric's ``better`` direction in the catalogue;
* each recommendation as **new** (it did not fire at the last visit), **persisting** (it fired
  then and now, no further from good), **worse** (it fired then and now, further from good:
  its gap grew) or **resolved** (it fired then, and now it is judged and does not fire); one
  that fired then and cannot be judged now is **undecided**;
* the score change: a business's score is the sum of its recommendations' scores, so it falls
  as problems are solved (0: nothing to recommend);
* the metrics that were unknown at the last visit and have since been measured;
* for each follow-up marked done, whether it moved its metric at the first visit after it was
  done: the recommendation resolved, or its gap shrank by at least :data:`MOVED_SHARE`; or it
  did not move; or its metrics were not measured again; or there has been no visit since.

It works on plain assessments (:class:`~servicekg.assessment.results.BusinessAssessment`), so any
pipeline that assesses one business from a list of observations can feed it
(:func:`assess_each_visit`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from servicekg.assessment.results import BusinessAssessment, Recommendation
from servicekg.engagement.visits import (
    Visit,
    known_at,
    measured_during,
    observations_until,
    visits_of,
)
from servicekg.graph.catalogue import MetricSpec
from servicekg.observations import Observation
from servicekg.observations.follow_ups import FollowUp

__all__ = [
    "MOVED_SHARE",
    "TRANSITIONS",
    "FollowUpCheck",
    "MetricTrend",
    "Progress",
    "RecommendationChange",
    "VisitAssessment",
    "assess_each_visit",
    "business_score",
    "check_follow_up",
    "progress",
    "transition",
]

TRANSITIONS = ("new", "persisting", "worse", "resolved", "undecided")
"""How a recommendation changed since the last visit (``undecided``: it fired at the last
visit, and now a metric it reads is unknown, so it can be judged neither way)."""

MOVED_SHARE = 0.2
"""A follow-up done 'moved its metric' when the recommendation's gap (how far from good) shrank
by at least this share, or the recommendation was resolved."""

_EPSILON = 1e-9

AssessOne = Callable[[Sequence[Observation]], BusinessAssessment]
"""Assesses one business from the observations given (the pipeline's single-business path)."""


@dataclass(frozen=True)
class VisitAssessment:
    """One business assessed as known at one visit: the assessment, each metric's value as
    known then, and the metrics measured during the visit itself."""

    visit: Visit
    assessment: BusinessAssessment
    facts: Mapping[str, float | bool]
    measured: frozenset[str]


@dataclass(frozen=True)
class MetricTrend:
    """One metric across the visits: its value at each (``None``: not yet known), whether it
    was measured at that visit, and its trend at the latest visit."""

    metric: str
    label: str
    unit: str
    values: tuple[float | bool | None, ...]
    measured: tuple[bool, ...]
    trend: str


@dataclass(frozen=True)
class RecommendationChange:
    """One recommendation (by its rule) at the last two visits."""

    rule: str
    title: str
    change: str
    score_before: float | None
    score_after: float | None
    gap_before: float | None
    gap_after: float | None
    metrics: tuple[str, ...]
    follow_up: FollowUp | None = None


@dataclass(frozen=True)
class FollowUpCheck:
    """What a follow-up marked done did, judged at the first visit after its date."""

    follow_up: FollowUp
    outcome: str
    """``resolved``, ``moved``, ``not-moved``, ``not-measured`` or ``no-visit-since``."""
    visit: Visit | None
    gap_before: float | None
    gap_after: float | None


@dataclass
class Progress:
    """One business's progress at its latest visit against the one before (see the module)."""

    business: str
    name: str | None
    visits: list[Visit]
    metrics: list[MetricTrend] = field(default_factory=list)
    recommendations: list[RecommendationChange] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    newly_measured: list[str] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    checks: list[FollowUpCheck] = field(default_factory=list)

    @property
    def score_change(self) -> float | None:
        """The latest score minus the one before (``None`` with one visit)."""
        if len(self.scores) < 2:
            return None
        return round(self.scores[-1] - self.scores[-2], 1)

    def as_dict(self) -> dict[str, Any]:
        """The progress as plain JSON data (dates as ISO text)."""
        return {
            "business": self.business,
            "name": self.name,
            "visits": [v.as_dict() for v in self.visits],
            "scores": self.scores,
            "score_change": self.score_change,
            "metrics": [
                {
                    "metric": m.metric,
                    "label": m.label,
                    "unit": m.unit,
                    "values": list(m.values),
                    "measured": list(m.measured),
                    "trend": m.trend,
                }
                for m in self.metrics
            ],
            "recommendations": [
                {
                    "rule": r.rule,
                    "title": r.title,
                    "change": r.change,
                    "score_before": r.score_before,
                    "score_after": r.score_after,
                    "gap_before": r.gap_before,
                    "gap_after": r.gap_after,
                    "metrics": list(r.metrics),
                    "follow_up": _follow_up_dict(r.follow_up) if r.follow_up else None,
                }
                for r in self.recommendations
            ],
            "newly_measured": self.newly_measured,
            "follow_ups": [_follow_up_dict(f) for f in self.follow_ups],
            "follow_up_checks": [
                {
                    **_follow_up_dict(c.follow_up),
                    "outcome": c.outcome,
                    "judged_at_visit": c.visit.number if c.visit else None,
                    "gap_before": c.gap_before,
                    "gap_after": c.gap_after,
                }
                for c in self.checks
            ],
        }


def assess_each_visit(
    observations: Sequence[Observation], assess_one: AssessOne
) -> list[VisitAssessment]:
    """Assess one business at each of its visits, as known then (oldest first)."""
    found = []
    for visit in visits_of(observations):
        seen = observations_until(observations, visit)
        facts = {metric: obs.value for metric, obs in known_at(seen, visit).items()}
        found.append(
            VisitAssessment(
                visit,
                assess_one(seen),
                facts,
                frozenset(measured_during(observations, visit)),
            )
        )
    return found


def business_score(assessment: BusinessAssessment) -> float:
    """The sum of the recommendations' scores (0 when there is nothing to recommend)."""
    return round(sum(r.score for r in assessment.recommendations), 1)


def transition(
    before: Recommendation | None, after: Recommendation | None, judged: bool = True
) -> str | None:
    """``new``, ``persisting``, ``worse`` or ``resolved`` (``None`` when neither fired);
    ``undecided`` when it fired before and could not be judged now (``judged`` false).

    >>> transition(None, None) is None
    True
    """
    if before is None:
        return None if after is None else "new"
    if after is None:
        return "resolved" if judged else "undecided"
    return "worse" if after.reason.gap > before.reason.gap + _EPSILON else "persisting"


def progress(
    visits: Sequence[VisitAssessment],
    specs: Mapping[str, MetricSpec],
    follow_ups: Iterable[FollowUp] = (),
    lang: str = "en",
) -> Progress:
    """The progress of one business over ``visits`` (oldest first; at least one)."""
    if not visits:
        raise ValueError("progress needs at least one visit")
    latest = visits[-1]
    mine = sorted(
        (f for f in follow_ups if f.business == latest.assessment.business),
        key=lambda f: (f.date or datetime.date.min, f.rule),
    )
    result = Progress(
        business=latest.assessment.business,
        name=latest.assessment.name,
        visits=[v.visit for v in visits],
        scores=[business_score(v.assessment) for v in visits],
        follow_ups=mine,
    )
    result.metrics = _trends(visits, specs, lang)
    previous = visits[-2] if len(visits) > 1 else None
    last_status = {f.rule: f for f in mine}
    result.recommendations = _changes(previous, latest, last_status)
    if previous is not None:
        result.newly_measured = sorted(set(latest.facts) - set(previous.facts))
    result.checks = [check_follow_up(f, visits) for f in mine if f.status == "done"]
    return result


def check_follow_up(follow_up: FollowUp, visits: Sequence[VisitAssessment]) -> FollowUpCheck:
    """What a follow-up marked done did at the first visit after its date (undated: at the
    latest visit, against the one before)."""
    before, after = _around(follow_up.date, visits)
    rec_before = _fired(before.assessment, follow_up.rule) if before else None
    if after is None:
        gap = rec_before.reason.gap if rec_before else None
        return FollowUpCheck(follow_up, "no-visit-since", None, gap, None)
    rec_after = _fired(after.assessment, follow_up.rule)
    gap_before = rec_before.reason.gap if rec_before else None
    gap_after = rec_after.reason.gap if rec_after else None
    if rec_after is None:
        return FollowUpCheck(follow_up, "resolved", after.visit, gap_before, None)
    metrics = {e.metric for e in rec_after.evidence}
    if not metrics & after.measured:
        return FollowUpCheck(follow_up, "not-measured", after.visit, gap_before, gap_after)
    if gap_before is not None and gap_after is not None:
        moved = gap_after <= gap_before * (1 - MOVED_SHARE) + _EPSILON
    else:
        moved = False
    outcome = "moved" if moved else "not-moved"
    return FollowUpCheck(follow_up, outcome, after.visit, gap_before, gap_after)


def _around(
    day: datetime.date | None, visits: Sequence[VisitAssessment]
) -> tuple[VisitAssessment | None, VisitAssessment | None]:
    """The last visit on or before ``day`` and the first one after it."""
    if day is None:
        if len(visits) < 2:
            return (visits[-1] if visits else None), None
        return visits[-2], visits[-1]
    before = None
    for item in visits:
        start = item.visit.start
        if start is not None and start > day:
            return before, item
        before = item
    return before, None


def _fired(assessment: BusinessAssessment, rule: str) -> Recommendation | None:
    return next((r for r in assessment.recommendations if _rule_id(r) == rule), None)


def _rule_id(rec: Recommendation) -> str:
    return rec.rule.iri.rsplit("/", 1)[-1]


def _changes(
    previous: VisitAssessment | None,
    latest: VisitAssessment,
    last_status: Mapping[str, FollowUp],
) -> list[RecommendationChange]:
    before = {_rule_id(r): r for r in previous.assessment.recommendations} if previous else {}
    after = {_rule_id(r): r for r in latest.assessment.recommendations}
    unjudged = {u.rule.iri.rsplit("/", 1)[-1] for u in latest.assessment.unjudged}
    changes = []
    for rule in [*after, *(r for r in before if r not in after)]:
        old, new = before.get(rule), after.get(rule)
        change = transition(old, new, judged=rule not in unjudged)
        if change is None:  # pragma: no cover - one of them fired
            continue
        shown = new or old
        assert shown is not None  # noqa: S101 (one of them fired)
        changes.append(
            RecommendationChange(
                rule=rule,
                title=shown.title,
                change=change,
                score_before=old.score if old else None,
                score_after=new.score if new else None,
                gap_before=old.reason.gap if old else None,
                gap_after=new.reason.gap if new else None,
                metrics=tuple(e.metric for e in shown.evidence),
                follow_up=last_status.get(rule),
            )
        )
    order = {name: i for i, name in enumerate(TRANSITIONS)}
    changes.sort(key=lambda c: (order[c.change], -(c.score_after or c.score_before or 0)))
    return changes


def _trends(
    visits: Sequence[VisitAssessment], specs: Mapping[str, MetricSpec], lang: str
) -> list[MetricTrend]:
    metrics = sorted({m for v in visits for m in v.facts})
    trends = []
    for metric in metrics:
        spec = specs.get(metric)
        values = tuple(v.facts.get(metric) for v in visits)
        measured = tuple(metric in v.measured for v in visits)
        label = (spec.labels.get(lang) or spec.labels.get("en") or metric) if spec else metric
        trends.append(
            MetricTrend(
                metric=metric,
                label=label,
                unit=spec.unit if spec else "",
                values=values,
                measured=measured,
                trend=_trend(values, measured, spec.better if spec else None),
            )
        )
    return trends


def _trend(
    values: Sequence[float | bool | None], measured: Sequence[bool], better: str | None
) -> str:
    """The trend at the latest visit: ``first`` (unknown before), ``not-remeasured`` (known
    from an earlier visit only), ``steady``, ``better``, ``worse`` or ``changed`` (a metric
    with no better direction)."""
    now, before = values[-1], values[-2] if len(values) > 1 else None
    if len(values) > 1 and before is None and now is not None:
        return "first"
    if len(values) > 1 and now is not None and not measured[-1]:
        return "not-remeasured"
    if len(values) < 2 or now is None or before is None:
        return "steady"
    if now == before or (
        not isinstance(now, bool) and not isinstance(before, bool) and abs(now - before) < 1e-9
    ):
        return "steady"
    if better == "higher" or better == "true":
        return "better" if float(now) > float(before) else "worse"
    if better == "lower":
        return "better" if float(now) < float(before) else "worse"
    return "changed"


def _follow_up_dict(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "business": follow_up.business,
        "rule": follow_up.rule,
        "status": follow_up.status,
        "date": follow_up.date.isoformat() if follow_up.date else None,
        "note": follow_up.note,
    }
