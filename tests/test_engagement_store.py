"""Visits, follow-ups and chains in the knowledge base: written by a run, queried by SPARQL."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from engagement_data import EXAMPLES, JELGAVA, LIEPAJA, RIGA
from servicekg.assessment.pipeline import AssessmentRun, run_assessment
from servicekg.engagement.from_kb import Engagement, record_follow_up, write_engagement
from servicekg.errors import InputError, UnknownTermError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.observations.follow_ups import FollowUp
from servicekg.rules import load_rules
from servicekg.views import build_view

QUERIES = Path(__file__).resolve().parents[1] / "ontology" / "queries" / "engagement"


@cache
def _all_visits() -> AssessmentRun:
    """The examples assessed at every visit (read only: tests that write make their own)."""
    run = run_assessment([EXAMPLES])
    write_engagement(run.kb, run.observations, run.report.businesses, all_visits=True)
    return run


def _fresh() -> AssessmentRun:
    run = run_assessment([EXAMPLES])
    write_engagement(run.kb, run.observations, run.report.businesses)
    return run


def _ask(name: str) -> list[dict]:
    [path] = QUERIES.glob(f"*{name}.rq")
    return _all_visits().kb.select(path.read_text(encoding="utf-8"))


def test_the_trend_of_a_metric_across_visits() -> None:
    rows = [(r["business"], r["visit"], r["seconds"]) for r in _ask("trend-of-a-metric")]
    assert rows == [
        (JELGAVA, 1, 88), (JELGAVA, 2, 104), (JELGAVA, 3, 121),
        (LIEPAJA, 1, 97), (LIEPAJA, 2, 92),
        (RIGA, 1, 142), (RIGA, 2, 141), (RIGA, 3, 96),
    ]  # fmt: skip


def test_recommendations_resolved_per_chain() -> None:
    assert _ask("recommendations-resolved-per-chain") == [{"group": "burgeru-baze", "resolved": 9}]


def test_branches_below_their_sectors_median() -> None:
    rows = [(r["business"], r["score"]) for r in _ask("branches-below-their-sectors-median")]
    assert rows == [(JELGAVA, Decimal("217.2")), (LIEPAJA, Decimal("129.5"))]


def test_each_visit_is_assessed_and_kept_with_its_provenance() -> None:
    kb = _all_visits().kb
    rows = kb.select(
        f"""SELECT ?a ?n (COUNT(?o) AS ?used) WHERE {{
              ?a skg:assessedBusiness business:{RIGA} ; skg:atVisit ?v ; prov:used ?o .
              ?v skg:visitNumber ?n }} GROUP BY ?a ?n ORDER BY ?n"""
    )
    assert [(r["a"].rsplit("assessment/", 1)[1], r["n"]) for r in rows] == [
        (f"{RIGA}/visit/1", 1),
        (f"{RIGA}/visit/2", 2),
        (RIGA, 3),  # the current assessment keeps its name
    ]
    later = kb.query(
        f"""ASK {{ ?a skg:assessedBusiness business:{RIGA} ; skg:atVisit/skg:visitNumber ?n ;
                  prov:used/skg:duringVisit/skg:visitNumber ?m FILTER (?m > ?n) }}"""
    )
    assert bool(later) is False  # an assessment uses only what was known at its visit
    changes = kb.select(
        f"""SELECT ?rule ?change WHERE {{
              ?r skg:forBusiness business:{JELGAVA} ; skg:firedRule ?rule ;
                 skg:changeSinceLastVisit ?change ;
                 prov:wasGeneratedBy/skg:atVisit/skg:visitNumber 3 }}"""
    )
    found = {r["rule"].rsplit("/", 1)[1]: r["change"].rsplit("#", 1)[1] for r in changes}
    assert found["discourteous-help"] == "NewRecommendation"
    assert found["slow-service-fast-food"] == "Worse"


def test_without_all_visits_only_the_current_assessment_is_kept() -> None:
    kb = _fresh().kb
    rows = kb.select(f"SELECT ?a WHERE {{ ?a skg:assessedBusiness business:{RIGA} }}")
    assert len(rows) == 1
    visits = kb.select(f"SELECT ?v WHERE {{ ?v skg:visitOf business:{RIGA} }}")
    assert len(visits) == 3


def test_follow_ups_from_a_file_are_stored_once() -> None:
    run = _fresh()
    again = write_engagement(run.kb, run.observations, run.report.businesses)
    count = run.kb.select(
        f"SELECT (COUNT(?f) AS ?n) WHERE {{ GRAPH <{GRAPH.follow_ups}> {{ ?f a skg:FollowUp }} }}"
    )
    assert count == [{"n": len(run.observations.follow_ups)}]
    assert again > 0  # the visits graph is written again; the follow-ups are not


def test_a_recorded_follow_up_supersedes_the_one_before_and_shows_in_progress() -> None:
    run = _fresh()
    rules = [r.id for r in load_rules()]
    done = FollowUp(RIGA, "too-little-training", "done", datetime.date(2026, 8, 1), "3 shifts")
    iri = record_follow_up(run.kb, done, rules)
    assert iri.endswith(f"/{RIGA}/too-little-training/2")
    revised = run.kb.select(f"SELECT ?p WHERE {{ <{iri}> prov:wasRevisionOf ?p }}")
    assert revised[0]["p"].endswith("/too-little-training/1")
    progress = Engagement(run.kb).progress(RIGA)
    outcome = {c.follow_up.rule: c.outcome for c in progress.checks}
    assert outcome["too-little-training"] == "resolved"  # September: 24 h, knowledge 4.1


@pytest.mark.parametrize(
    ("follow_up", "error", "words"),
    [
        (
            FollowUp("nobody", "slow-service-fast-food", "done"),
            UnknownTermError,
            "unknown business",
        ),
        (FollowUp(RIGA, "slow-servise", "done"), UnknownTermError, "did you mean 'slow-service'"),
        (
            FollowUp(RIGA, "slow-service-fast-food", "done", datetime.date(2999, 1, 1)),
            InputError,
            "not in the future",
        ),
    ],
)
def test_a_follow_up_of_nothing_known_is_refused(follow_up, error, words) -> None:
    run = _fresh()
    with pytest.raises(error, match=words):
        record_follow_up(run.kb, follow_up, [r.id for r in load_rules()])


def test_a_what_if_never_changes_the_store() -> None:
    kb = _fresh().kb
    before = sorted(map(str, kb.quads()))
    engagement = Engagement(kb)
    result = engagement.what_if(JELGAVA, {"service_time_seconds": 90.0})
    assert [r.rule.iri.rsplit("/", 1)[1] for r in result.disappear] == ["slow-service-fast-food"]
    engagement.best(JELGAVA, 3)
    assert sorted(map(str, kb.quads())) == before


def test_an_unknown_business_or_group_names_the_known_ones() -> None:
    engagement = Engagement(_fresh().kb)
    with pytest.raises(UnknownTermError, match="did you mean 'burgeru-baze-riga'"):
        engagement.progress("burgeru-baze-rige")
    with pytest.raises(UnknownTermError, match="known: burgeru-baze"):
        engagement.chain("burger-base")


def test_an_empty_knowledge_base_has_no_groups() -> None:
    assert Engagement(KnowledgeBase.with_ontology()).groups() == {}


def test_earlier_visits_stay_out_of_the_current_views_and_counts() -> None:
    """Regression: earlier visits' recommendations must not count as the business's own."""
    kb = _all_visits().kb
    current = kb.select(
        f"""SELECT ?rec WHERE {{ GRAPH <{GRAPH.assessments}> {{
              ?rec a skg:Recommendation ; skg:forBusiness business:{RIGA} }} }}"""
    )
    assert [r["rec"].rsplit("/", 1)[1] for r in current] == ["slow-service-fast-food"]
    earlier = kb.select(
        f"""SELECT (COUNT(?rec) AS ?n) WHERE {{ GRAPH <{GRAPH.history}> {{
              ?rec a skg:Recommendation ; skg:forBusiness business:{RIGA} }} }}"""
    )
    assert earlier == [{"n": 9 + 7}]  # March and June
    graph, _ = build_view(kb, "assessment", business=RIGA)
    shown = [n for n, kind in graph.nodes(data="kind") if kind == "recommendation"]
    assert len(shown) == 1


@pytest.mark.parametrize(
    ("wanted", "riga_until"),
    [
        ("1", "2026-03-12"),
        ("3", "2026-09-10"),
        ("latest", "2026-09-10"),
        ("2026-06-10", "2026-06-11"),
    ],
)
def test_assessing_at_one_visit_keeps_what_was_known_then(wanted: str, riga_until: str) -> None:
    from engagement_data import examples
    from servicekg.engagement.from_kb import at_visit

    found, missing = at_visit(examples(), wanted)
    riga = found.by_business()[RIGA]
    assert max(o.observed_at for o in riga).isoformat() == riga_until
    assert (LIEPAJA in missing) is (wanted == "3")  # Liepāja was visited twice
    assert not set(missing) & set(found.businesses)
    if wanted in ("1", "latest"):
        assert missing == []
    if wanted == "2026-06-30":
        assert "burgeri-riga" in found.businesses  # its visit of 15 June
