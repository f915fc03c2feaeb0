"""An assessment run that knows visits: the latest (or one chosen) visit of every business,
and what a run adds beside the assessments (visits, groups, follow-ups, earlier visits).

The command line's ``assess`` and the server's sample knowledge base run through here; the
pipeline itself (:mod:`servicekg.assessment.pipeline`) knows nothing of visits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from servicekg.assessment.pipeline import AssessmentRun, Progress, run_assessment
from servicekg.engagement.from_kb import at_visit, write_engagement
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations import ObservationSet

__all__ = ["VisitRun", "assess_visits"]


@dataclass
class VisitRun:
    """A run, and the businesses left out because they have no such visit."""

    run: AssessmentRun
    left_out: list[str] = field(default_factory=list)


def assess_visits(
    paths: Sequence[Path],
    *,
    lang: str = "en",
    workers: int = 1,
    overrides: Path | None = None,
    kb: KnowledgeBase | None = None,
    progress: Progress | None = None,
    visit: str | None = None,
    all_visits: bool = False,
    write: bool = True,
) -> VisitRun:
    """Assess the observation files at each business's latest visit (or at ``visit``: a
    number, a day, ``latest``), write everything into the knowledge base, then add the visits,
    groups and follow-ups and, with ``all_visits``, each earlier visit's assessment."""
    left_out: list[str] = []

    def select(found: ObservationSet) -> ObservationSet:
        chosen, missing = at_visit(found, visit or "latest")
        left_out.extend(missing)
        return chosen

    run = run_assessment(
        paths,
        lang=lang,
        workers=workers,
        overrides=overrides,
        kb=kb,
        progress=progress,
        select=select if visit else None,
        write=write or all_visits,
    )
    if not (write or all_visits):
        return VisitRun(run, left_out)  # nothing reads RDF: no visits written either
    write_engagement(
        run.kb,
        run.observations,
        run.report.businesses,
        all_visits=all_visits,
        generated_at=run.report.generated_at,
    )
    return VisitRun(run, left_out)
