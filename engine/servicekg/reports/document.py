"""The client report as plain data, every text already in the report's language.

One builder (:mod:`servicekg.reports.build`) fills it; the HTML, PDF, Markdown and DOCX
writers only lay it out, so the four formats say the same things in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Action",
    "Bar",
    "BusinessSection",
    "CaveatView",
    "ClientReport",
    "Comparison",
    "EvidenceLine",
    "PassageView",
    "RecommendationView",
    "ScoreRow",
    "SetAsideView",
    "Strength",
    "ToCheckView",
    "UnjudgedRow",
    "no_recommendations_key",
]


@dataclass(frozen=True)
class Bar:
    """One need or service factor of a business against its target: ``percent`` of the target
    met by its weakest measure (100 = met)."""

    label: str
    kind: str  # "need" or "factor"
    percent: float
    met: bool


@dataclass(frozen=True)
class EvidenceLine:
    """One observation behind a recommendation, said in the unit the consultant entered."""

    label: str
    value: str  # "7,5 min; doel: hoogstens 3 min; 4,5 min boven het doel"
    when: str | None
    location: str | None
    source: str | None
    note: str | None


@dataclass(frozen=True)
class PassageView:
    """A passage in its original language, with a rendering in the report's language."""

    quote: str
    quote_language: str
    rendering: str | None  # None when the quote is already in the report's language
    rendering_label: str
    article: str
    section: str


@dataclass(frozen=True)
class CaveatView:
    """How an article qualifies a recommendation, and the passage that says so."""

    text: str
    passage: PassageView | None


@dataclass(frozen=True)
class SetAsideView:
    """A rule whose problem was observed but that an exception or the kind of business sets
    aside: its title, the reason in the report's language, and the passages."""

    title: str
    reason: str
    passages: tuple[PassageView, ...]


@dataclass(frozen=True)
class ToCheckView:
    """A concept that would explain several observed problems but was not observed: never
    named as the cause; what to measure to decide it."""

    concept: str
    explains: str
    measures: str
    path: str


@dataclass(frozen=True)
class RecommendationView:
    """One recommendation: what to do, why, the evidence, the words it rests on."""

    rank: int
    title: str
    priority: str
    severity: str
    what: str
    why: str
    evidence: tuple[EvidenceLine, ...]
    passages: tuple[PassageView, ...]
    basis: tuple[str, ...]
    caveats: tuple[CaveatView, ...]


@dataclass(frozen=True)
class Strength:
    """An observed measure that meets its target, and why it matters per the articles."""

    business: str
    label: str
    value: str
    why: str | None
    article: str | None


@dataclass(frozen=True)
class UnjudgedRow:
    """A measure not observed, grouped under the need or factor it informs."""

    group: str
    measure: str
    how: str


@dataclass(frozen=True)
class Action:
    """One of the actions that matter most, across the businesses."""

    title: str
    businesses: tuple[str, ...]
    effect: str


@dataclass(frozen=True)
class ScoreRow:
    """A recommendation's score and its parts, for the appendix."""

    business: str
    title: str
    score: str
    severity_weight: str
    impact: str
    gap: str


@dataclass
class BusinessSection:
    """Everything the report says about one business."""

    id: str
    name: str
    sector: str
    region: str | None
    observations: int
    error: str | None = None
    root_causes: list[str] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    recommendations: list[RecommendationView] = field(default_factory=list)
    strengths: list[Strength] = field(default_factory=list)
    unjudged: list[UnjudgedRow] = field(default_factory=list)
    set_aside: list[SetAsideView] = field(default_factory=list)
    to_check: list[ToCheckView] = field(default_factory=list)
    data_quality: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    """Several businesses side by side: rows are needs and factors, cells percentages."""

    businesses: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float | None, ...]], ...]
    overall: tuple[float | None, ...]
    recommendations: tuple[int, ...]
    highest: tuple[str, ...]


@dataclass
class ClientReport:
    """The whole report: title page, executive summary, one section per business, appendix.

    ``client``, ``consultant`` and ``period`` are empty where nobody said (the report leaves
    those lines out rather than print a placeholder)."""

    lang: str
    words: dict[str, str]
    title: str
    client: str
    consultant: str
    period: str
    date: str
    scope: str
    actions: list[Action] = field(default_factory=list)
    strengths: list[Strength] = field(default_factory=list)
    comparison: Comparison | None = None
    businesses: list[BusinessSection] = field(default_factory=list)
    scores: list[ScoreRow] = field(default_factory=list)


def no_recommendations_key(section: BusinessSection) -> str:
    """The words for a business without recommendations: all targets met, or what was
    observed is set aside or to be checked first."""
    if section.set_aside or section.data_quality:
        return "no_recommendations_but"
    return "no_recommendations"
