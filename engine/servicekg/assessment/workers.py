"""Worker processes and chunks: the one place that decides how many processes assess and how
many businesses go together, and assesses chunks of businesses, in order, here or in a pool.

durable-rules keeps its state per process, so each worker has its own engine: forked from the
caller's context where the system can fork, or spawned to build its own.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.pool import AsyncResult
from pathlib import Path

from servicekg.assessment.assessor import assess_business
from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.provenance import business_nquads as assessment_nquads
from servicekg.assessment.results import BusinessAssessment
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations import Business, Observation, ObservationSet, business_iri
from servicekg.observations.rdf import business_nquads
from servicekg.rules import load_rules

__all__ = [
    "CHUNK",
    "FORK",
    "Chunk",
    "Job",
    "assess_chunk_now",
    "assessed",
    "business_rdf",
    "chunk_jobs",
    "processes_for",
    "worker_pool",
]

CHUNK = 200
"""Businesses assessed together: a chunk goes to a worker, into the store and into the report
in one piece (in memory and streamed alike)."""

Job = tuple[str, Business | None, list[Observation]]
"""One business to assess: its id, its description (if any) and its observations."""

Chunk = tuple[list[BusinessAssessment], bytes]
"""Assessments of a chunk of businesses, and (when asked for) their observations and PROV-O
descriptions as N-Quads (UTF-8: it goes to the store as bytes, and between processes bytes
cost a copy where text costs decoding)."""


def processes_for(workers: int, businesses: int | None) -> int:
    """How many processes assess: ``workers``, but one where fewer than two chunks of
    businesses come (a pool would not pay off); ``businesses`` is ``None`` where the count is
    not known ahead (a streamed run)."""
    if workers <= 1 or (businesses is not None and businesses < 2 * CHUNK):
        return 1
    return workers


def assessed(
    chunks: Iterable[list[Job]],
    context: AssessmentContext,
    generated_at: str,
    pool: multiprocessing.pool.Pool | None,
    *,
    rdf: bool,
    ahead: int,
) -> Iterator[Chunk]:
    """Each chunk of jobs assessed, in order: here, or in a worker ``pool`` with up to
    ``ahead`` chunks under way (so that a streamed run never holds more)."""
    if pool is None:
        for jobs in chunks:
            yield _assess_jobs(context, jobs, generated_at, rdf)
        return
    pending: deque[AsyncResult[Chunk]] = deque()
    for jobs in chunks:
        pending.append(pool.apply_async(assess_chunk_now, (None, jobs, generated_at, rdf)))
        if len(pending) > ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


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
