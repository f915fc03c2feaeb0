"""One assessment run end to end: load and check observations, assess, write back to the graph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from servicekg.assessment.context import AssessmentContext
from servicekg.assessment.model import AssessmentReport
from servicekg.assessment.provenance import assessment_quads
from servicekg.assessment.runner import Progress, assess
from servicekg.catalogue import MetricCatalogue
from servicekg.errors import InputError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.observations import (
    OBSERVATION_FORMATS,
    ObservationSet,
    load_observations,
    observations_to_rdf,
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
    observations and assessments into the knowledge base's named graphs."""
    kb = kb or KnowledgeBase.with_ontology()
    catalogue = MetricCatalogue.from_kb(kb)
    observations = load_observations(expand_inputs(paths), catalogue, sector_codes(kb))
    book = load_rules(kb=kb, catalogue=catalogue, overrides=overrides)
    context = AssessmentContext.build(kb, lang, book=book, catalogue=catalogue)
    report = assess(
        kb,
        observations,
        lang=lang,
        workers=workers,
        context=context,
        progress=progress,
        overrides=overrides,
    )
    # rules, observations and assessments replace the last run's in ONE transaction: a reader,
    # or a store whose process is killed mid-write, sees the whole of one run or the other
    kb.replace_graphs(
        {
            GRAPH.rules: rules_to_rdf(book),
            GRAPH.observations: observations_to_rdf(observations),
            GRAPH.assessments: assessment_quads(report),
        }
    )
    return AssessmentRun(kb, observations, report)
