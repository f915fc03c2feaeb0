"""What an assessment produces: plain data, ready for any report format.

The JSON shape of :meth:`AssessmentReport.as_dict` is documented in the README and kept stable
(``"schema": SCHEMA``); a test fixes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Generic, TypeVar

from servicekg.errors import UnknownTermError
from servicekg.namespace import local_name

__all__ = [
    "SCHEMA",
    "AssessmentReport",
    "BusinessAssessment",
    "CausalChain",
    "Evidence",
    "Recommendation",
    "RootCauseFinding",
    "ScoreReason",
    "SourceQuote",
    "Term",
    "Unjudged",
    "business_dict",
]

N = TypeVar("N")

SCHEMA = "https://w3id.org/servicekg/schema/assessment/1"
"""Identifies the JSON shape; changes only with a new number."""


@dataclass(frozen=True)
class Term:
    """Something of the graph, named by IRI and labelled in the report's language."""

    iri: str
    label: str


@dataclass(frozen=True)
class Evidence:
    """An observation a recommendation used: the value in the metric's unit, and where it came
    from (``origin`` is ``file:row``); ``source`` and ``note`` are the consultant's own words
    (``mystery shop``, ``survey n=120``; what they saw)."""

    metric: str
    label: str
    value: float | bool
    unit: str
    observation: str
    observed_at: str | None = None
    source: str | None = None
    origin: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class SourceQuote:
    """A passage a recommendation rests on: the original words and their English rendering."""

    passage: str
    article: str
    section: str
    quote: str
    quote_language: str
    rendering: str


@dataclass(frozen=True)
class CausalChain(Generic[N]):
    """The strongest causal chain from a concept to one target outcome: the one chain type of
    the impact model (nodes are IRIs) and of the report (nodes are labelled :class:`Term`).

    ``path`` runs from the concept to ``target``; ``strength`` is the product of the edges'
    strengths and ``sign`` the product of their signs.
    """

    target: N
    path: tuple[N, ...]
    strength: float
    sign: int


@dataclass(frozen=True)
class ScoreReason:
    """Why a recommendation scored as it did: ``score = 100 * severity * impact * (0.5 + gap/2)``.

    ``impact`` (0-1) is the expected effect on loyalty, retention and growth through the causal
    graph relative to the strongest concept; ``gap`` (0-1) is how far the observation is from
    good, relative to the room the metric's range leaves.
    """

    severity: str
    severity_weight: float
    impact: float
    gap: float
    chains: tuple[CausalChain[Term], ...]

    def text(self) -> str:
        """One line a reader understands."""
        return (
            f"severity {self.severity} ({self.severity_weight:g}) x impact {self.impact:.2f}"
            f" x (0.5 + gap {self.gap:.2f} / 2)"
        )


@dataclass(frozen=True)
class RootCauseFinding:
    """The upstream concept several observed problems point to."""

    concept: Term
    observed: bool
    explains: tuple[Term, ...]
    chains: tuple[tuple[Term, ...], ...]


@dataclass(frozen=True)
class Recommendation:
    """One thing a business should do, with everything it rests on."""

    id: str
    business: str
    rank: int
    score: float
    title: str
    text: str
    rule: Term
    severity: str
    addresses: Term
    principles: tuple[Term, ...]
    evidence: tuple[Evidence, ...]
    sources: tuple[SourceQuote, ...]
    reason: ScoreReason
    root_cause: RootCauseFinding | None = None


@dataclass(frozen=True)
class Unjudged:
    """A rule the assessment could not judge, and the metrics that would decide it."""

    rule: Term
    missing_metrics: tuple[Term, ...]


@dataclass
class BusinessAssessment:
    """Everything one business's assessment found, or the error that stopped it."""

    business: str
    iri: str
    name: str | None
    sector: str | None
    observations: int
    recommendations: list[Recommendation] = field(default_factory=list)
    unjudged: list[Unjudged] = field(default_factory=list)
    root_causes: list[RootCauseFinding] = field(default_factory=list)
    used_observations: list[str] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    """What the reader should know about how the business was assessed (in the report's
    language), such as a business with no description, assessed without its sector."""

    def chosen(self, recommendation: str | None = None) -> list[Recommendation]:
        """Its recommendations, or the one ``recommendation`` names (a rule id or a rank);
        :class:`~servicekg.errors.UnknownTermError` naming the known rule ids otherwise."""
        if recommendation is None:
            return list(self.recommendations)
        found = [
            r
            for r in self.recommendations
            if recommendation in (local_name(r.rule.iri), str(r.rank))
        ]
        if not found:
            known = [local_name(r.rule.iri) for r in self.recommendations]
            raise UnknownTermError(f"recommendation for {self.business}", recommendation, known)
        return found


@dataclass
class AssessmentReport:
    """The assessments of one run, in one language."""

    language: str
    generated_at: str
    businesses: list[BusinessAssessment] = field(default_factory=list)

    @property
    def failed(self) -> list[BusinessAssessment]:
        """The businesses whose assessment stopped with an error."""
        return [b for b in self.businesses if b.error]

    def business(self, business_id: str) -> BusinessAssessment:
        """The assessment of one business (``KeyError`` naming it when there is none)."""
        for assessment in self.businesses:
            if assessment.business == business_id:
                return assessment
        raise KeyError(business_id)

    def as_dict(self) -> dict[str, Any]:
        """The documented, stable JSON shape."""
        return {
            "schema": SCHEMA,
            "language": self.language,
            "generated_at": self.generated_at,
            "businesses": [business_dict(b) for b in self.businesses],
        }


def business_dict(assessment: BusinessAssessment) -> dict[str, Any]:
    """One business's assessment in the JSON shape (an item of ``businesses``)."""
    data: dict[str, Any] = _plain(assessment)
    for rec, raw in zip(assessment.recommendations, data["recommendations"], strict=True):
        raw["reason"]["text"] = rec.reason.text()
    return data


def _plain(value: Any) -> Any:
    """What :func:`dataclasses.asdict` makes of ``value`` (dataclasses as dicts, lists and
    tuples kept as such), without its deep copies: the values here are immutable."""
    names = _FIELDS.get(type(value))
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[type(value)] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if type(value) is list or type(value) is tuple:
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    return value


_FIELDS: dict[type, tuple[str, ...]] = {}
