"""Assessing one business: rules fire, recommendations are explained, scored and ranked.

Each business is assessed on its own: its facts go through the rules engine in a session of
their own, so one business's failure is reported for it and never touches the others. The
run around it (which businesses, how many processes, where the results go) is
:mod:`servicekg.assessment.pipeline`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.notices import no_sector
from servicekg.assessment.results import (
    BusinessAssessment,
    Evidence,
    Recommendation,
    RootCauseFinding,
    ScoreReason,
    Unjudged,
)
from servicekg.assessment.root_cause import find_root_causes
from servicekg.assessment.scoring import SEVERITY_WEIGHTS, gap, score
from servicekg.errors import ServiceKGError
from servicekg.observations import Business, Observation, business_iri, observation_iri

__all__ = ["assess_business"]


def assess_business(
    context: AssessmentContext,
    business_id: str,
    business: Business | None,
    observations: Sequence[Observation],
) -> BusinessAssessment:
    """One business: fire the rules, then explain, score and rank what fired."""
    sector = (business.sector if business else None) or ""
    result = BusinessAssessment(
        business=business_id,
        iri=business_iri(business_id),
        name=business.name if business else None,
        sector=business.sector if business else None,
        observations=len(observations),
    )
    if not sector:
        result.warnings.append(no_sector(business_id, business is not None, context.lang))
    facts = _latest(observations)
    iris = {metric: observation_iri(obs) for metric, obs in facts.items()}
    result.used_observations = list(iris.values())
    values = {k: o.value for k, o in facts.items()}
    try:
        firings = context.book.evaluate(values, sector, business_id)
    except ServiceKGError as error:
        result.error = str(error)
        return result
    fired = {f.rule.addresses for f in firings}
    fired_ids = {f.rule.id for f in firings}
    observed = values.keys()
    judged_fine: set[str] = set()
    for rule in context.book.rules:
        if rule.id in fired_ids:
            continue
        plan = context.plan(rule)
        if plan.metrics <= observed:  # all it reads was observed and it did not fire
            judged_fine.add(rule.addresses)
            continue
        verdict, missing = rule.verdict(values, sector)
        if verdict is False:
            judged_fine.add(rule.addresses)
        elif verdict is None and missing:
            metrics = tuple(context.metric_term(m) for m in missing)
            result.unjudged.append(Unjudged(plan.term, metrics))
    judged_fine -= fired
    causes = find_root_causes(context.graph, fired, fine=judged_fine, ancestors=context.ancestors)
    result.root_causes = [_finding(context, c) for c in causes]
    specs = {m: context.catalogue[m] for m in values}
    evidence: dict[str, Evidence] = {}
    ranked = []
    for firing in firings:
        rule = firing.rule
        plan = context.plan(rule)
        distance = gap(rule, values, sector, specs)
        weight = SEVERITY_WEIGHTS[rule.severity]
        reason = ScoreReason(
            severity=rule.severity,
            severity_weight=weight,
            impact=round(plan.relative_impact, 3),
            gap=round(distance, 3),
            chains=plan.chains,
        )
        root = next((f for f in result.root_causes if _concerns(f, rule.addresses)), None)
        used = []
        for metric in firing.evidence:
            if metric in facts:
                found = evidence.get(metric)
                if found is None:
                    found = evidence[metric] = _evidence(context, facts[metric], iris[metric])
                used.append(found)
        points = score(rule.severity, plan.relative_impact, distance)
        ranked.append((-points, -weight, plan.term.iri, plan, points, reason, root, tuple(used)))
    ranked.sort(key=lambda r: r[:3])
    result.recommendations = [
        Recommendation(
            id=f"{business_id}/{plan.rule.id}",
            business=business_id,
            rank=rank,
            score=points,
            title=plan.title,
            text=plan.text,
            rule=plan.term,
            severity=plan.rule.severity,
            addresses=plan.addresses,
            principles=plan.principles,
            evidence=used,
            sources=plan.sources,
            reason=reason,
            root_cause=root,
        )
        for rank, (_, _, _, plan, points, reason, root, used) in enumerate(ranked, start=1)
    ]
    return result


def _concerns(finding: RootCauseFinding, concept: str) -> bool:
    """Whether a root cause is ``concept`` or explains it."""
    return concept == finding.concept.iri or any(concept == t.iri for t in finding.explains)


def _latest(observations: Iterable[Observation]) -> dict[str, Observation]:
    """The observation each metric's value comes from (the most recent; undated is oldest)."""
    latest: dict[str, Observation] = {}
    for obs in observations:
        current = latest.get(obs.metric)
        if current is None or _when(obs) >= _when(current):
            latest[obs.metric] = obs
    return latest


def _when(obs: Observation) -> str:
    return "" if obs.observed_at is None else obs.observed_at.isoformat()


def _evidence(context: AssessmentContext, obs: Observation, iri: str) -> Evidence:
    return Evidence(
        metric=obs.metric,
        label=context.metric_term(obs.metric).label,
        value=obs.value,
        unit=obs.unit,
        observation=iri,
        observed_at=None if obs.observed_at is None else obs.observed_at.isoformat(),
        source=obs.source,
        note=obs.note,
        origin=f"{obs.origin.path}:{obs.origin.row}" if obs.origin.row else obs.origin.path,
    )


def _finding(context: AssessmentContext, cause: object) -> RootCauseFinding:
    return RootCauseFinding(
        concept=context.term(cause.concept),  # type: ignore[attr-defined]
        observed=cause.observed,  # type: ignore[attr-defined]
        explains=tuple(context.term(s) for s in cause.explains),  # type: ignore[attr-defined]
        chains=tuple(
            tuple(context.term(c) for c in chain)
            for chain in cause.chains  # type: ignore[attr-defined]
        ),
    )
