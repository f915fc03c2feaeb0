"""A streamed assessment run: for more businesses than memory holds.

The observations are checked in a first pass (all or nothing, as always) and then read a chunk
of businesses at a time (:mod:`servicekg.observations.chunks`); each chunk is assessed, its
observations and PROV-O assessments are bulk-loaded into an on-disk store, and its JSON is
written to the report as it comes. Nothing grows with the number of businesses but the
business descriptions. The JSON is the same as the in-memory run's (``as_dict``, indented by
two); businesses come in the order their observations were read, then those only described.

The store is written with pyoxigraph's bulk loader, which is fast and light but not
transactional: if the run stops part-way the store holds part of it (run it again).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import TextIO

from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.pipeline import Chunk, Progress, assess_chunk_now, chunk_jobs, worker_pool
from servicekg.assessment.results import SCHEMA, BusinessAssessment, business_dict
from servicekg.concurrency.background import consume_in_background
from servicekg.errors import InputError
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.observations import ObservationSet, sector_codes
from servicekg.observations.chunks import CheckedFiles, check_observations
from servicekg.rules import add_rules_to_kb, load_rules

__all__ = ["ReportWriter", "StreamedRun", "stream_assessment"]


@dataclass
class StreamedRun:
    """What a streamed run did: the store it wrote, how many businesses, which failed."""

    kb: KnowledgeBase
    businesses: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(business, error) of each business whose assessment stopped with an error."""


class ReportWriter:
    """Writes the JSON report a business at a time, exactly as ``json.dumps(report.as_dict(),
    indent=2, ensure_ascii=False)`` writes it whole."""

    def __init__(self, out: TextIO, language: str, generated_at: str) -> None:
        self._out = out
        self._count = 0
        head = json.dumps(
            {"schema": SCHEMA, "language": language, "generated_at": generated_at},
            indent=2,
            ensure_ascii=False,
        )
        out.write(head[: -len("\n}")] + ',\n  "businesses": [')

    def add(self, business: BusinessAssessment) -> None:
        """Append one business's assessment."""
        text = json.dumps(business_dict(business), indent=2, ensure_ascii=False)
        self._out.write(("\n" if self._count == 0 else ",\n") + _indent(text, "    "))
        self._count += 1

    def close(self) -> None:
        """Close the list and the object."""
        self._out.write("\n  ]\n}" if self._count else "]\n}")


def stream_assessment(
    paths: Sequence[Path],
    store: Path,
    out: TextIO | None = None,
    *,
    lang: str = "en",
    workers: int = 1,
    overrides: Path | None = None,
    progress: Progress | None = None,
) -> StreamedRun:
    """Check the observation files (all or nothing), then assess a chunk at a time, writing
    the ontology, rules, observations and assessments into the on-disk store in ``store`` and
    (if ``out`` is given) the JSON report to ``out``."""
    kb = KnowledgeBase.open(store)
    held = [
        str(g)
        for g in (GRAPH.observations, GRAPH.assessments)
        if kb.query(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    ]
    if held:
        raise InputError(
            f"{store}: a streamed run writes into a store without observations or assessments, "
            f"and this one holds {' and '.join(held)}: use a new folder, or assess without "
            "--stream (that replaces them in one transaction)"
        )
    kb.load_ontology()
    catalogue = MetricCatalogue.from_kb(kb)
    checked = check_observations(paths, catalogue, sector_codes(kb))
    try:
        return _run(kb, checked, out, lang, workers, overrides, progress)
    finally:
        checked.close()


def _run(
    kb: KnowledgeBase,
    checked: CheckedFiles,
    out: TextIO | None,
    lang: str,
    workers: int,
    overrides: Path | None,
    progress: Progress | None,
) -> StreamedRun:
    book = load_rules(kb=kb, catalogue=checked.catalogue, overrides=overrides)
    context = AssessmentContext.build(kb, lang, book=book, catalogue=checked.catalogue)
    add_rules_to_kb(kb, book)
    generated_at = datetime.now(UTC).isoformat()
    writer = ReportWriter(out, lang, generated_at) if out is not None else None
    run = StreamedRun(kb)

    def texts(chunks: Iterator[Chunk]) -> Iterator[bytes]:
        for results, text in chunks:
            yield text
            for business in results:
                run.businesses += 1
                if business.error:
                    run.failed.append((business.business, business.error))
                if writer is not None:
                    writer.add(business)
            if progress:
                progress(len(results))

    with ExitStack() as stack:
        # workers are forked before the loading thread starts (a fork copies no busy thread)
        pool: Pool | None = None
        if workers > 1:
            pool = stack.enter_context(worker_pool(workers, lang, overrides, context))
        load = stack.enter_context(kb.bulk_loading([GRAPH.observations, GRAPH.assessments]))
        # each chunk is bulk-loaded on a thread of its own while the next is assessed here
        chunks = _assessed(checked.chunks(), context, generated_at, pool, ahead=2 * workers)
        consume_in_background(
            lambda loads: sum(load(text) for text in loads), texts(chunks), name="bulk-load"
        )
    if writer is not None:
        writer.close()
    return run


def _assessed(
    chunks: Iterator[ObservationSet],
    context: AssessmentContext,
    generated_at: str,
    pool: Pool | None,
    ahead: int,
) -> Iterator[Chunk]:
    """Each chunk assessed, in order; with a worker ``pool``, up to ``ahead`` chunks ahead."""
    if pool is None:
        for chunk in chunks:
            yield assess_chunk_now(context, chunk_jobs(chunk), generated_at)
        return
    pending: deque[AsyncResult[Chunk]] = deque()
    for chunk in chunks:
        pending.append(pool.apply_async(assess_chunk_now, (None, chunk_jobs(chunk), generated_at)))
        if len(pending) > ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))
