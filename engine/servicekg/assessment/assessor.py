"""Assessing one business: rules fire, recommendations are explained, scored and ranked.

Each business is assessed on its own: its facts go through the rules engine in a session of
their own, so one business's failure is reported for it and never touches the others. The
run around it (which businesses, how many processes, where the results go) is
:mod:`servicekg.assessment.pipeline`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.notices import no_sector
from servicekg.assessment.results import (
    BusinessAssessment,
    DataQualityFinding,
    Evidence,
    Recommendation,
    RootCauseFinding,
    ScoreReason,
    Term,
    ToCheck,
    Unjudged,
)
from servicekg.assessment.root_cause import RootCause, find_root_causes, levers_driven
from servicekg.assessment.scoring import SEVERITY_WEIGHTS, gap, score
from servicekg.assessment.set_aside import set_aside
from servicekg.assessment.strengths import find_strengths
from servicekg.errors import ServiceKGError
from servicekg.namespace import local_name
from servicekg.observations import Business, Observation, business_iri, observation_iri

__all__ = ["assess_business", "latest_observations"]


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
    facts = latest_observations(observations)
    iris = {metric: observation_iri(obs) for metric, obs in facts.items()}
    result.used_observations = list(iris.values())
    values = {k: o.value for k, o in facts.items()}
    try:
        firings = context.book.evaluate(values, sector, business_id)
    except ServiceKGError as error:
        result.error = str(error)
        return result
    evidence: dict[str, Evidence] = {}

    def evidence_of(metric: str) -> Evidence | None:
        found = evidence.get(metric)
        if found is None and metric in facts:
            found = evidence[metric] = _evidence(context, facts[metric], iris[metric])
        return found

    fired = {f.rule.addresses for f in firings}
    fired_ids = {f.rule.id for f in firings}
    observed = values.keys()
    judged_fine: set[str] = set()
    for rule in context.book.rules:
        if rule.id in fired_ids:
            continue
        aside = set_aside(context, rule, values, sector, evidence_of)
        if aside is not None:
            result.set_aside.append(aside)
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
    analysis = find_root_causes(
        context.evidence,
        fired,
        fine=judged_fine,
        measurable=context.measured_by.keys(),
        ancestors=context.ancestors,
        upstream=lambda c: context.cached(
            "upstream", c, lambda: levers_driven(context.evidence, c)
        ),
    )
    result.root_causes = [_finding(context, c) for c in analysis.causes]
    result.to_check = [_to_check(context, c, observed) for c in analysis.to_check]
    result.data_quality = _data_quality(context, values, evidence_of)
    aside_ids = {local_name(a.rule.iri) for a in result.set_aside}
    doubtful = {e.metric for f in result.data_quality for e in f.observations}
    result.strengths = find_strengths(context, values, sector, aside_ids, evidence_of, doubtful)
    specs = {m: context.catalogue[m] for m in values}
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
        used = [e for e in map(evidence_of, firing.evidence) if e is not None]
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
            caveats=plan.caveats,
            basis=plan.basis,
        )
        for rank, (_, _, _, plan, points, reason, root, used) in enumerate(ranked, start=1)
    ]
    return result


def _concerns(finding: RootCauseFinding, concept: str) -> bool:
    """Whether a root cause is ``concept`` or explains it."""
    return concept == finding.concept.iri or any(concept == t.iri for t in finding.explains)


def latest_observations(observations: Iterable[Observation]) -> dict[str, Observation]:
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


def _finding(context: AssessmentContext, cause: RootCause) -> RootCauseFinding:
    return RootCauseFinding(
        concept=context.term(cause.concept),
        observed=cause.observed,
        explains=tuple(context.term(s) for s in cause.explains),
        chains=tuple(tuple(context.term(c) for c in chain) for chain in cause.chains),
        links=tuple(context.links(chain) for chain in cause.chains),
    )


def _to_check(context: AssessmentContext, cause: RootCause, observed: Iterable[str]) -> ToCheck:
    seen = set(observed)
    metrics = [m for m in context.measured_by.get(cause.concept, ()) if m not in seen]
    return ToCheck(
        concept=context.term(cause.concept),
        explains=tuple(context.term(s) for s in cause.explains),
        metrics=tuple(context.metric_term(m) for m in metrics),
        links=tuple(context.links(chain) for chain in cause.chains),
    )


def _data_quality(
    context: AssessmentContext,
    values: dict[str, float | bool],
    evidence_of: Callable[[str], Evidence | None],
) -> list[DataQualityFinding]:
    """The consistency checks these observations fail, each naming the rows it read."""
    found = []
    for check in context.checks:
        detail = check.contradiction(values)
        if detail is not None:
            rows = tuple(e for e in map(evidence_of, check.metrics) if e is not None)
            found.append(
                DataQualityFinding(
                    check=Term(check.iri, check.label(context.lang)),
                    kind=check.kind,
                    observations=rows,
                    detail=detail,
                )
            )
    return found
