"""The one assessment pipeline: read the observations, load the rules, assess a chunk of
businesses at a time (here or in worker processes), and hand the results to a sink.

Every way of assessing goes through :func:`run_pipeline`; they differ only in where the
observations come from and in the sink (:mod:`servicekg.assessment.sinks`):

* :func:`run_assessment`: files, all in memory; the graphs replace the last run's in one swap;
* :func:`assess`: observations already read, nothing written (the server's ``/api/assess``);
* :func:`stream_assessment`: files checked first, then read a chunk at a time into an on-disk
  store, the JSON report written as it comes (for more businesses than memory holds);
* :func:`what_if`: one business of a store, some of its values changed, nothing written.

How many processes and how many businesses a chunk holds is decided in one place,
:mod:`servicekg.assessment.workers`; one business is assessed by
:func:`servicekg.assessment.assessor.assess_business`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.pool import Pool
from pathlib import Path
from typing import TextIO

from servicekg.assessment import workers as _workers
from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.results import AssessmentReport, BusinessAssessment
from servicekg.assessment.sinks import MemorySink, Sink, StoreSink, StreamedRun
from servicekg.assessment.workers import (
    FORK,
    Job,
    assessed,
    chunk_jobs,
    processes_for,
    worker_pool,
)
from servicekg.concurrency.background import consume_in_background
from servicekg.errors import InputError, UnknownTermError
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH, local_name
from servicekg.observations import (
    OBSERVATION_FORMATS,
    Business,
    Observation,
    ObservationSet,
    Origin,
    business_iri,
    load_observations,
    sector_codes,
)
from servicekg.observations.chunks import CheckedFiles, check_observations
from servicekg.rules import load_rules

__all__ = [
    "AssessmentRun",
    "Progress",
    "assess",
    "expand_inputs",
    "run_assessment",
    "run_pipeline",
    "stream_assessment",
    "what_if",
]

Progress = Callable[[int], None]
"""Called with the number of businesses just assessed."""


@dataclass
class AssessmentRun:
    """What one run produced: the knowledge base (ontology, rules, observations, assessments),
    the observations read and the report."""

    kb: KnowledgeBase
    observations: ObservationSet
    report: AssessmentReport


class _Source:
    """The businesses to assess, a chunk of jobs at a time: observations in memory, or files
    already checked and read again a chunk at a time."""

    def __init__(self, found: ObservationSet | CheckedFiles) -> None:
        self.found = found
        self.count = len(found.by_business()) if isinstance(found, ObservationSet) else None

    def jobs(self, size: int) -> Iterator[list[Job]]:
        if isinstance(self.found, ObservationSet):
            jobs = chunk_jobs(self.found)
            for start in range(0, len(jobs), size):
                yield jobs[start : start + size]
        else:
            for chunk in self.found.chunks(size):
                yield chunk_jobs(chunk)


def run_pipeline(
    kb: KnowledgeBase,
    read: Callable[[MetricCatalogue], ObservationSet | CheckedFiles],
    sink: Sink,
    *,
    lang: str = "en",
    workers: int = 1,
    overrides: Path | None = None,
    context: AssessmentContext | None = None,
    progress: Progress | None = None,
) -> ObservationSet | CheckedFiles:
    """Read the observations (``read``, given the metric catalogue), load the rules, assess
    every business a chunk at a time and hand the results to ``sink``; returns what was read.

    With ``workers > 1`` worker processes are forked once the rules are ready (or, where the
    system cannot fork, spawned first, to build their rules while the files are read here);
    each assesses a chunk and also builds its RDF (as N-Quads). The sink writes each chunk on
    a thread of its own while the next ones are assessed. A given ``context`` (rules included)
    is used as it is.
    """
    with ExitStack() as stack:
        pool: Pool | None = None
        if workers > 1 and not FORK:  # spawned first: they build while files are read
            pool = stack.enter_context(worker_pool(workers, lang, overrides))
        catalogue = context.catalogue if context else MetricCatalogue.from_kb(kb)
        found = read(catalogue)
        source = _Source(found)
        if context is None:
            book = load_rules(kb=kb, catalogue=catalogue, overrides=overrides)
            context = AssessmentContext.build(kb, lang, book=book, catalogue=catalogue)
        stack.callback(gc.unfreeze)
        processes = processes_for(workers, source.count)
        if processes > 1 and pool is None:
            if sink.freeze:
                gc.freeze()  # forked workers then leave what they inherit alone (no copies)
            # forked before the writing thread starts (a fork copies no busy thread)
            pool = stack.enter_context(worker_pool(processes, lang, overrides, context))
        generated_at = datetime.now(UTC).isoformat()
        first = sink.begin(kb, context.book, generated_at)
        consume = stack.enter_context(sink.writing(kb))
        chunks = assessed(
            source.jobs(_workers.CHUNK),
            context,
            generated_at,
            pool,
            rdf=sink.rdf,
            ahead=2 * processes,
        )

        def texts() -> Iterator[bytes]:
            yield from first
            for results, text in chunks:
                yield text
                sink.take(results)
                if progress:
                    progress(len(results))

        consume_in_background(consume, texts(), name="write-back")
    sink.close()
    return found


def run_assessment(
    paths: Sequence[Path],
    *,
    lang: str = "en",
    workers: int = 1,
    overrides: Path | None = None,
    kb: KnowledgeBase | None = None,
    progress: Progress | None = None,
    select: Callable[[ObservationSet], ObservationSet] | None = None,
    write: bool = True,
) -> AssessmentRun:
    """Load the observation files (all or nothing), assess every business, and write the rules,
    observations and assessments into the knowledge base's named graphs (one swap).

    ``select`` may narrow what was read before it is assessed and written (the observations
    as known at one visit).

    Without ``write`` no RDF is built or written at all (the report is all the caller reads:
    building the write-back was about half of a plain ``servicekg assess``'s CPU)."""
    kb = kb or KnowledgeBase.with_ontology()
    report = AssessmentReport(language=lang, generated_at=datetime.now(UTC).isoformat())
    sectors = sector_codes(kb)
    files = expand_inputs(paths)

    def read(catalogue: MetricCatalogue) -> ObservationSet:
        found = load_observations(files, catalogue, sectors)
        return select(found) if select else found

    found = run_pipeline(
        kb,
        read,
        MemorySink(report, write=write),
        lang=lang,
        workers=workers,
        overrides=overrides,
        progress=progress,
    )
    assert isinstance(found, ObservationSet)  # noqa: S101 (what load_observations returns)
    return AssessmentRun(kb, found, report)


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
    """Assess every business of ``observations``, writing nothing; recommendations ranked,
    first things first."""
    report = AssessmentReport(language=lang, generated_at=datetime.now(UTC).isoformat())
    run_pipeline(
        kb,
        lambda _catalogue: observations,
        MemorySink(report, write=False),
        lang=lang,
        workers=workers,
        overrides=overrides,
        context=context,
        progress=progress,
    )
    return report


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
    (if ``out`` is given) the JSON report to ``out``. Businesses come in the order their
    observations were read, then those only described."""
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
    sectors = sector_codes(kb)
    run = StreamedRun(kb)
    with ExitStack() as stack:

        def read(catalogue: MetricCatalogue) -> CheckedFiles:
            checked = check_observations(paths, catalogue, sectors)
            stack.callback(checked.close)
            return checked

        run_pipeline(
            kb,
            read,
            StoreSink(run, out, lang),
            lang=lang,
            workers=workers,
            overrides=overrides,
            progress=progress,
        )
    return run


def what_if(
    kb: KnowledgeBase,
    business_id: str,
    changes: Mapping[str, float | bool],
    *,
    lang: str = "en",
    context: AssessmentContext | None = None,
) -> BusinessAssessment:
    """Assess one business of ``kb`` again as if the metrics in ``changes`` had the values
    given (in each metric's own unit), writing nothing: the same pipeline as a run, with the
    business's stored observations (those a run wrote) and the changes in place of the
    observations of those metrics. A caller asking many what-ifs gives the ``context`` (rules,
    catalogue, causal graph, in ``lang``) built once, so that each costs one business's
    assessment, not a reading of the rules.

    An unknown business or metric is an :class:`~servicekg.errors.UnknownTermError`.
    """
    catalogue = context.catalogue if context else MetricCatalogue.from_kb(kb)
    observations = stored_observations(kb, business_id, catalogue)
    for metric in changes:
        catalogue[metric]  # raises UnknownTermError naming the known metrics
    kept = [o for o in observations.observations if o.metric not in changes]
    origin = Origin("what-if", None)
    changed = [
        Observation(business_id, m, v, catalogue[m].unit, None, None, "what-if", None, origin)
        for m, v in changes.items()
    ]
    given = ObservationSet(observations.businesses, [*kept, *changed])
    report = assess(kb, given, lang=lang, context=context)
    return report.business(business_id)


def stored_observations(
    kb: KnowledgeBase, business_id: str, catalogue: MetricCatalogue
) -> ObservationSet:
    """The observations and description of one business as a run wrote them into ``kb``."""
    iri = business_iri(business_id)
    rows = kb.select(
        f"""PREFIX sosa: <http://www.w3.org/ns/sosa/>
        PREFIX schema: <https://schema.org/>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?metric ?value ?time ?location ?source ?note WHERE {{
          GRAPH <{GRAPH.observations}> {{
            ?o sosa:hasFeatureOfInterest <{iri}> ; sosa:observedProperty ?metric ;
               sosa:hasSimpleResult ?value .
            OPTIONAL {{ ?o sosa:resultTime ?time }}
            OPTIONAL {{ ?o schema:location ?location }}
            OPTIONAL {{ ?o dcterms:source ?source }}
            OPTIONAL {{ ?o rdfs:comment ?note }}
          }}
        }}"""
    )
    about = kb.select(
        f"""PREFIX schema: <https://schema.org/>
        SELECT ?name ?sector ?region WHERE {{
          GRAPH <{GRAPH.observations}> {{
            <{iri}> a schema:Organization .
            OPTIONAL {{ <{iri}> schema:name ?name }}
            OPTIONAL {{ <{iri}> schema:additionalType ?sector }}
            OPTIONAL {{ <{iri}> schema:areaServed ?region }}
          }}
        }}"""
    )
    if not about:
        known = kb.select(
            f"""PREFIX schema: <https://schema.org/>
            SELECT ?id WHERE {{ GRAPH <{GRAPH.observations}> {{ ?b schema:identifier ?id }} }}"""
        )
        raise UnknownTermError("business", business_id, sorted(str(r["id"]) for r in known))
    origin = Origin(kb.describe(), None)
    observations = [
        Observation(
            business_id,
            local_name(row["metric"]),
            row["value"] if isinstance(row["value"], bool) else float(row["value"]),
            catalogue[local_name(row["metric"])].unit,
            row.get("time"),
            row.get("location"),
            row.get("source"),
            row.get("note"),
            origin,
        )
        for row in rows
    ]
    first = about[0]
    business = Business(business_id, first.get("name"), first.get("sector"), first.get("region"))
    return ObservationSet({business_id: business}, observations)


def expand_inputs(paths: Sequence[Path]) -> list[Path]:
    """Files as given; folders become their observation files (every supported extension)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in OBSERVATION_FORMATS
                and not p.name.lower().startswith("readme")
            )
            if not found:
                accepted = ", ".join(sorted(OBSERVATION_FORMATS))
                raise InputError(f"{path}: no observation files ({accepted}) in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files
