"""The engagement vocabulary: its terms, their labels in three languages, the report words."""

from __future__ import annotations

import pytest

from servicekg.engagement.progress import MetricTrend
from servicekg.engagement.rdf import STATUS_TERMS
from servicekg.engagement.render import trend_svg
from servicekg.engagement.words import words
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG
from servicekg.observations.follow_ups import STATUSES

CHANGES = {
    "new": SKG.NewRecommendation,
    "persisting": SKG.Persisting,
    "worse": SKG.Worse,
    "resolved": SKG.Resolved,
}


def _label(kb: KnowledgeBase, term: str, lang: str) -> str:
    [row] = kb.select(f"SELECT ?l WHERE {{ <{term}> rdfs:label ?l FILTER (LANG(?l) = '{lang}') }}")
    return str(row["l"])


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_the_reports_say_what_the_graph_labels_say(kb: KnowledgeBase, lang: str) -> None:
    said = words(lang)
    for code, term in CHANGES.items():
        assert said["transitions"][code] == _label(kb, str(term), lang)
    for code, term in STATUS_TERMS.items():
        assert said["statuses"][code] == _label(kb, term, lang)


def test_every_status_has_a_term_with_its_code(kb: KnowledgeBase) -> None:
    assert tuple(STATUS_TERMS) == STATUSES
    rows = kb.select("SELECT ?s ?code WHERE { ?s a skg:FollowUpStatus ; skg:statusCode ?code }")
    assert {str(r["code"]): str(r["s"]) for r in rows} == STATUS_TERMS


def test_every_language_has_every_word() -> None:
    def keys(found: dict, prefix: str = "") -> set[str]:
        out = set()
        for key, value in found.items():
            out |= keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
        return out

    assert keys(words("en")) == keys(words("nl")) == keys(words("lv"))


def test_a_trend_chart_is_inline_svg_with_a_gap_for_unknown_values() -> None:
    trend = MetricTrend(
        "staff_turnover_rate", "Staff <turnover>", "ratio", (None, 0.84), (False, True), "first"
    )
    svg = trend_svg(trend, ["2026-06-02", "2026-09-22"])
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert svg.count("<circle") == 1
    assert "Staff &lt;turnover&gt;" in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
