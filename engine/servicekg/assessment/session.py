"""One assessment run end to end: load and check observations, assess, write back to the graph."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.pool import Pool
from pathlib import Path

import pyoxigraph as ox

from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.pipeline import FORK, Progress, assess_chunks, worker_pool
from servicekg.assessment.results import AssessmentReport
from servicekg.concurrency.background import consume_in_background
from servicekg.errors import InputError
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.observations import (
    OBSERVATION_FORMATS,
    ObservationSet,
    load_observations,
    sector_codes,
)
from servicekg.rules import load_rules, rules_to_rdf

__all__ = ["AssessmentRun", "expand_inputs", "run_assessment"]


@dataclass
class AssessmentRun:
    """What one run produced: the knowledge base (ontology, rules, observations, assessments),
    the observations read and the report."""

    kb: KnowledgeBase
    observations: ObservationSet
    report: AssessmentReport


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


def run_assessment(
    paths: Sequence[Path],
    *,
    lang: str = "en",
    workers: int = 1,
    overrides: Path | None = None,
    kb: KnowledgeBase | None = None,
    progress: Progress | None = None,
) -> AssessmentRun:
    """Load the observation files (all or nothing), assess every business, and write the rules,
    observations and assessments into the knowledge base's named graphs.

    With ``workers > 1`` worker processes are forked once the rules are ready (or, where the
    system cannot fork, spawned first, to build their rules while the files are read here);
    each assesses a chunk of businesses and also writes its RDF (as N-Quads). Chunks are
    loaded into the store on a thread of its own while the next ones are assessed.
    """
    kb = kb or KnowledgeBase.with_ontology()
    with ExitStack() as stack:
        spawned = workers > 1 and not FORK  # started first: they build while files are read
        pool: int | Pool = 1
        if spawned:
            pool = stack.enter_context(worker_pool(workers, lang, overrides))
        catalogue = MetricCatalogue.from_kb(kb)
        observations = load_observations(expand_inputs(paths), catalogue, sector_codes(kb))
        book = load_rules(kb=kb, catalogue=catalogue, overrides=overrides)
        context = AssessmentContext.build(kb, lang, book=book, catalogue=catalogue)
        stack.callback(gc.unfreeze)
        if workers > 1 and not spawned:
            gc.freeze()  # forked workers then leave what they inherit alone (no copies)
            pool = stack.enter_context(worker_pool(workers, lang, overrides, context))
        report = AssessmentReport(language=lang, generated_at=datetime.now(UTC).isoformat())
        chunks = assess_chunks(
            kb,
            observations,
            report.generated_at,
            lang=lang,
            workers=pool,
            context=context,
            overrides=overrides,
            rdf=True,
        )

        def texts() -> Iterator[bytes]:
            yield ox.serialize(rules_to_rdf(book), format=ox.RdfFormat.N_QUADS) or b""
            for results, text in chunks:
                yield text
                report.businesses.extend(results)
                # the results stay to the end: the collector need not walk them again and again
                gc.freeze()
                if progress:
                    progress(len(results))

        # rules, observations and assessments replace the last run's in one swap: a reader, or
        # a store whose process is killed mid-write, sees the whole of one run or the other.
        # The store writes each chunk on a thread of its own while the next is assessed here.
        graphs = [GRAPH.rules, GRAPH.observations, GRAPH.assessments]
        consume_in_background(
            lambda chunks: kb.replace_graphs_nquads(graphs, chunks), texts(), name="write-back"
        )
    return AssessmentRun(kb, observations, report)
