"""What the engagement tests share: the examples (or a few rows) assessed at each visit."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from servicekg.assessment.assessor import assess_business
from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.pipeline import expand_inputs
from servicekg.engagement.progress import VisitAssessment, assess_each_visit
from servicekg.graph.catalogue import MetricCatalogue, MetricSpec
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations import Business, Observation, ObservationSet, load_observations
from servicekg.observations import sector_codes as _sector_codes

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RIGA, JELGAVA, LIEPAJA = (f"burgeru-baze-{town}" for town in ("riga", "jelgava", "liepaja"))


@cache
def knowledge_base() -> KnowledgeBase:
    """The bundled ontology (read only)."""
    return KnowledgeBase.with_ontology()


@cache
def context(lang: str = "en") -> AssessmentContext:
    """Rules, catalogue and causal graph in ``lang``."""
    return AssessmentContext.build(knowledge_base(), lang)


@cache
def catalogue() -> MetricCatalogue:
    return MetricCatalogue.from_kb(knowledge_base())


def specs() -> dict[str, MetricSpec]:
    """Every metric's spec by id."""
    return {spec.id: spec for spec in catalogue()}


@cache
def examples() -> ObservationSet:
    """The bundled examples, chain and follow-ups included."""
    kb = knowledge_base()
    return load_observations(expand_inputs([EXAMPLES]), catalogue(), _sector_codes(kb))


def visits_of_business(
    business: str,
    observations: ObservationSet | None = None,
    lang: str = "en",
) -> list[VisitAssessment]:
    """One business assessed at each of its visits."""
    found = observations or examples()
    rows = found.by_business()[business]
    described = found.businesses.get(business)
    return assess_each_visit(rows, lambda seen: assess_one(business, described, seen, lang))


def assess_one(
    business: str, described: Business | None, rows: Sequence[Observation], lang: str = "en"
):
    """One business assessed from ``rows``."""
    return assess_business(context(lang), business, described, rows)
