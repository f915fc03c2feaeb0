"""Assessing businesses: rules fire, recommendations are explained, scored and ranked.

Each business is assessed on its own: its facts go through the rules engine in a session of
their own, so one business's failure is reported for it and never touches the others.
With ``workers > 1`` the businesses are shared among processes, each with its own engine
(durable-rules keeps its state per process).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from servicekg.assessment.context import AssessmentContext
from servicekg.assessment.model import (
    AssessmentReport,
    BusinessAssessment,
    Evidence,
    Recommendation,
    RootCauseFinding,
    ScoreReason,
    Unjudged,
)
from servicekg.assessment.notices import no_sector
from servicekg.assessment.provenance import business_nquads as assessment_nquads
from servicekg.assessment.root_cause import find_root_causes
from servicekg.assessment.scoring import SEVERITY_WEIGHTS, gap, score
from servicekg.errors import ServiceKGError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations import (
    Business,
    Observation,
    ObservationSet,
    business_iri,
    observation_iri,
)
from servicekg.observations.rdf import business_nquads
from servicekg.rules import load_rules

__all__ = [
    "FORK",
    "Chunk",
    "Job",
    "assess",
    "assess_business",
    "assess_chunk_now",
    "assess_chunks",
    "business_rdf",
    "chunk_jobs",
    "worker_pool",
]

Progress = Callable[[int], None]
_CHUNK = 200


Job = tuple[str, Business | None, list[Observation]]
"""One business to assess: its id, its description (if any) and its observations."""

Chunk = tuple[list[BusinessAssessment], bytes]
"""Assessments of a chunk of businesses, and (when asked for) their observations and PROV-O
descriptions as N-Quads (UTF-8: it goes to the store as bytes, and between processes bytes
cost a copy where text costs decoding)."""


def assess(
    kb: KnowledgeBase,
    observations: ObservationSet,
    *,
    lang: str = "en",
    workers: int = 1,
    context: AssessmentContext | None = None,
    progress: Progress | None = None,
    overrides: Path | None = None,
) -> AssessmentReport:
    """Assess every business of ``observations``; recommendations ranked, first things first.

    ``progress`` is called with the number of businesses just finished. With ``workers > 1``
    each worker process builds its own context (rules with ``overrides``).
    """
    report = AssessmentReport(language=lang, generated_at=datetime.now(UTC).isoformat())
    chunks = assess_chunks(
        kb,
        observations,
        report.generated_at,
        lang=lang,
        workers=workers,
        context=context,
        overrides=overrides,
    )
    for results, _text in chunks:
        report.businesses.extend(results)
        if progress:
            progress(len(results))
    return report


def assess_chunks(
    kb: KnowledgeBase,
    observations: ObservationSet,
    generated_at: str,
    *,
    lang: str = "en",
    workers: int | multiprocessing.pool.Pool = 1,
    context: AssessmentContext | None = None,
    overrides: Path | None = None,
    rdf: bool = False,
) -> Iterator[Chunk]:
    """Assess the businesses of ``observations`` a chunk at a time, in order.

    With ``rdf`` each chunk comes with its businesses' observations and assessments as N-Quads
    (see :func:`business_rdf`), built where the chunk was assessed. ``workers`` is a number of
    processes, or a pool made by :func:`worker_pool` (started early, it builds its contexts
    while the caller loads the observations); the caller closes a pool it gave.
    """
    jobs = chunk_jobs(observations)
    chunks = [(jobs[i : i + _CHUNK], generated_at, rdf) for i in range(0, len(jobs), _CHUNK)]
    if isinstance(workers, int) and (workers <= 1 or len(jobs) < 2 * _CHUNK):
        context = context or AssessmentContext.build(kb, lang)
        for chunk in chunks:
            yield _assess_jobs(context, *chunk)
        return
    if not isinstance(workers, int):
        yield from workers.imap(_assess_chunk, chunks)
        return
    with worker_pool(workers, lang, overrides, context) as pool:
        yield from pool.imap(_assess_chunk, chunks)


def chunk_jobs(observations: ObservationSet) -> list[Job]:
    """Every business of ``observations`` as a job, in :meth:`ObservationSet.by_business`
    order."""
    return [
        (business_id, observations.businesses.get(business_id), rows)
        for business_id, rows in observations.by_business().items()
    ]


def assess_chunk_now(
    context: AssessmentContext | None, jobs: list[Job], generated_at: str, rdf: bool = True
) -> Chunk:
    """Assess ``jobs`` here (``context`` ``None``: in a :func:`worker_pool` worker, with its
    context), with their RDF when ``rdf``."""
    if context is None:
        return _assess_chunk((jobs, generated_at, rdf))
    return _assess_jobs(context, jobs, generated_at, rdf)


FORK = "fork" in multiprocessing.get_all_start_methods()
"""Whether worker processes can be forked here (they then share the caller's context)."""


def worker_pool(
    workers: int,
    lang: str,
    overrides: Path | None,
    context: AssessmentContext | None = None,
) -> multiprocessing.pool.Pool:
    """``workers`` processes to assess with.

    Given the caller's ``context`` and where the system can fork (:data:`FORK`), the workers
    are forked and take it as it is: nothing to rebuild, started in milliseconds (the rules
    engine's state is copied with the process; nothing runs in it while it forks). Otherwise
    they are spawned and each builds its own context (rules with ``overrides``), which takes
    a second or two.
    """
    if context is not None and FORK:
        fork = multiprocessing.get_context("fork")
        return fork.Pool(workers, initializer=_adopt, initargs=(context,))
    spawn = multiprocessing.get_context("spawn")
    return spawn.Pool(workers, initializer=_init_worker, initargs=(lang, overrides))


def business_rdf(
    business: Business | None,
    rows: Sequence[Observation],
    result: BusinessAssessment,
    generated_at: str,
) -> str:
    """A business's observations and its assessment's PROV-O description, as N-Quads."""
    return business_nquads(result.business, business, rows) + assessment_nquads(
        result, generated_at
    )


def _assess_jobs(
    context: AssessmentContext, jobs: list[Job], generated_at: str, rdf: bool
) -> Chunk:
    results = [assess_business(context, b, business, rows) for b, business, rows in jobs]
    if not rdf:
        return results, b""
    text = "".join(
        business_rdf(business, rows, result, generated_at)
        for (_b, business, rows), result in zip(jobs, results, strict=True)
    )
    return results, text.encode()


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


_WORKER: AssessmentContext | None = None
_WORKER_ERROR = "worker was not initialised"


def _adopt(context: AssessmentContext) -> None:
    """A forked worker's context: its parent's."""
    global _WORKER
    _WORKER = context


def _init_worker(lang: str, overrides: Path | None) -> None:
    """Build this worker's context. A failure is kept, not raised: a pool whose initializer
    raises starts new workers for ever, so each chunk reports it instead."""
    global _WORKER, _WORKER_ERROR
    try:
        kb = KnowledgeBase.with_ontology()
        book = load_rules(kb=kb, overrides=overrides)
        _WORKER = AssessmentContext.build(kb, lang, book=book)
    except Exception as error:  # reported per business by _assess_chunk
        _WORKER_ERROR = f"worker could not start: {error}"


def _assess_chunk(chunk: tuple[list[Job], str, bool]) -> Chunk:
    jobs, generated_at, rdf = chunk
    if _WORKER is None:  # each business fails with the reason; its observations still count
        results = [
            BusinessAssessment(b, business_iri(b), None, None, len(rows), error=_WORKER_ERROR)
            for b, _, rows in jobs
        ]
        text = "".join(
            business_rdf(business, rows, result, generated_at)
            for (_b, business, rows), result in zip(jobs, results, strict=True)
        )
        return results, text.encode() if rdf else b""
    return _assess_jobs(_WORKER, jobs, generated_at, rdf)
