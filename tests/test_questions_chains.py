"""The consultants' questions 12-31: every multi-step chain the articles draw (each link its own
relation, basis and passage), the exception, the misconception, caveats and coverage."""

import pytest

from servicekg.graph.example_queries import example_queries, example_query
from servicekg.knowledge_base import KnowledgeBase
from servicekg.rules import add_rules_to_kb, load_rules

STATED, IMPLIED = "stated by the article", "implied by the article"


@pytest.fixture(scope="module")
def rules_kb() -> KnowledgeBase:
    kb = KnowledgeBase.with_ontology()
    add_rules_to_kb(kb, load_rules(kb=kb))
    return kb


def _rows(kb: KnowledgeBase, name: str, *columns: str) -> set[tuple]:
    return {
        tuple(str(r.get(c, "")) for c in columns) for r in kb.select(example_query(name).sparql)
    }


def test_there_are_at_least_thirty_questions() -> None:
    assert len(example_queries()) >= 30


def test_how_staff_treatment_reaches_the_customer(kb: KnowledgeBase) -> None:
    rows = _rows(kb, "staff-treatment-to-customers", "from", "to", "basis", "passage")
    assert rows == {
        ("Employee", "External customer", STATED, "nl1-external-customer"),
        ("Employee", "External customer", STATED, "nl1-interaction-link"),
        ("Employee treatment", "Internal service", IMPLIED, "nl1-managers-internal-customers"),
        ("Employee treatment", "Internal service", IMPLIED, "nl1-wsj-poorly-treated"),
        ("Employee treatment", "Service quality", STATED, "nl1-managers-internal-customers"),
        ("Employee treatment", "Service quality", STATED, "nl1-wsj-poorly-treated"),
        ("Internal service", "Service quality", IMPLIED, "nl1-customer-chain"),
        ("Internal service", "Service quality", IMPLIED, "nl1-interaction-link"),
        ("Manager", "Employee", STATED, "nl1-managers-internal-customers"),
    }


def test_loyalty_builds_growth_profit_and_value_side_by_side(kb: KnowledgeBase) -> None:
    assert _rows(kb, "value-builds-loyalty-builds-three", "from", "to", "basis") == {
        ("Lasting value", "Loyalty", STATED),
        ("Loyalty", "Growth", STATED),
        ("Loyalty", "Profit", STATED),
        ("Loyalty", "Lasting value", STATED),
    }


def test_the_cost_of_quality_chain_link_by_link(kb: KnowledgeBase) -> None:
    assert _rows(kb, "cost-of-quality-chain", "from", "effect", "to", "basis") == {
        ("Product quality", "decreases", "Complaints", STATED),
        ("Product quality", "decreases", "Returns", STATED),
        ("Complaints", "increases", "External failure cost", STATED),
        ("Returns", "increases", "External failure cost", STATED),
        ("External failure cost", "decreases", "Profit", IMPLIED),
    }


def test_the_greatest_effects_rest_on_the_passages_that_say_so(kb: KnowledgeBase) -> None:
    rows = _rows(kb, "greatest-effects", "from", "to", "passage")
    assert ("Problem resolution", "Customer retention", "lv-problem-resolution-kana") in rows
    assert ("Problem resolution", "Customer satisfaction", "lv-problem-resolution-kana") in rows
    assert ("Service quality", "Growth", "nl2-growth-profit") in rows
    assert ("Service time", "Service quality", "lv-service-time-factor") in rows
    assert not any(to in ("Growth", "Profit") and frm != "Service quality" for frm, to, _ in rows)


def test_experience_satisfaction_word_of_mouth_growth(kb: KnowledgeBase) -> None:
    assert _rows(kb, "satisfaction-word-of-mouth-growth", "from", "to", "basis") == {
        ("Memorable experience", "Customer satisfaction", IMPLIED),
        ("Customer satisfaction", "Word of mouth", STATED),
        ("Word of mouth", "Growth", STATED),
    }


def test_what_makes_service_a_source_of_revenue(kb: KnowledgeBase) -> None:
    assert _rows(kb, "service-as-revenue", "from", "passage") == {
        ("Customer retention", "nl2-retention-revenue-source"),
        ("Loyalty", "nl2-loyalty-revenue"),
        ("Service quality", "nl2-loyalty-revenue"),
        ("Service quality", "nl2-revenue-generator"),
    }


def test_best_service_at_parity_carries_the_articles_condition(kb: KnowledgeBase) -> None:
    rows = _rows(kb, "best-service-at-parity", "from", "to", "condition", "basis")
    assert rows == {
        (
            "Service quality",
            "Competitive advantage",
            "when competitors sell the same or similar products at similar prices",
            STATED,
        ),
        ("Competitive advantage", "Customer retention", "", IMPLIED),
    }


def test_the_sentence_that_lost_its_verb_is_read_as_implied(kb: KnowledgeBase) -> None:
    rows = kb.select(example_query("less-obvious-needs-widen-the-gap").sparql)
    assert {r["need"] for r in rows} == {"Understanding and empathy", "Options and alternatives"}
    assert all(r["basis"] == IMPLIED and "lost its verb" in r["reading"] for r in rows)


def test_theme_park_and_accountant_needs_are_observable(kb: KnowledgeBase) -> None:
    assert _rows(kb, "theme-park-needs", "need", "metric") == {
        ("Fun", "fun_score"),
        ("Safety", "perceived_safety_score"),
        ("Safety", "safety_incident_rate"),
    }
    rows = _rows(kb, "accountant-needs", "need", "metric", "basis")
    assert ("Accuracy", "advice_error_rate", IMPLIED) in rows
    assert ("Certainty", "certainty_score", IMPLIED) in rows


def test_the_greeting_reaches_quality_through_both_articles(kb: KnowledgeBase) -> None:
    rows = _rows(kb, "greeting-to-friendliness", "from", "to", "article")
    assert rows == {
        ("Greeting", "Friendliness", "000_244392f9df451672.txt"),
        ("Greeting", "Friendliness", "001_585b8e39a23a0ce6.txt"),
        ("Friendliness", "Service quality", "001_585b8e39a23a0ce6.txt"),
        ("Greeting", "Service quality", "000_244392f9df451672.txt"),
    }


def test_the_internal_chain_runs_both_ways(kb: KnowledgeBase) -> None:
    rows = _rows(kb, "internal-chain-both-ways", "provider", "customer", "passage")
    assert ("Internal customer", "Employee", "nl1-chain-both-ways") in rows
    assert ("Employee", "Internal customer", "nl1-internal-customer") in rows


def test_the_rude_service_exception_silences_every_politeness_rule(
    rules_kb: KnowledgeBase,
) -> None:
    rows = _rows(rules_kb, "what-the-rude-service-exception-sets-aside", "concept", "rule")
    assert {c for c, _ in rows} == {
        "Friendliness",
        "Greeting",
        "Understanding and empathy",
        "Fast, courteous help",
    }
    assert {r for _, r in rows} == {
        "unfriendly-staff",
        "customers-not-greeted",
        "customers-ignored-on-arrival",
        "discourteous-help",
        "little-empathy",
    }


def test_the_yes_folklore_is_refuted_and_observable(kb: KnowledgeBase) -> None:
    assert _rows(kb, "the-yes-folklore", "passage", "metric") == {
        ("nl1-just-say-yes-false", "request_granted_needs_unmet_rate"),
        ("nl1-unasked-needs-missed", "request_granted_needs_unmet_rate"),
    }


def test_relations_by_basis_cover_every_relation(kb: KnowledgeBase) -> None:
    rows = kb.select(example_query("relations-by-basis").sparql)
    total = sum(int(r["relations"]) for r in rows)
    all_relations = kb.select(
        "SELECT (COUNT(?r) AS ?n) WHERE { ?r a/rdfs:subClassOf skg:Relation }"
    )[0]["n"]
    assert total == int(all_relations)
    assert {r["basis"] for r in rows} <= {STATED, IMPLIED, "servicekg's own judgement"}


def test_every_implied_relation_has_a_dutch_reading(kb: KnowledgeBase) -> None:
    rows = kb.select(example_query("implied-readings").sparql)
    implied = kb.select("SELECT ?r WHERE { ?r skg:basis skg:ImpliedByArticle }")
    assert len(rows) == len(implied) > 10
    assert all(r["reading"].startswith(("Het ", "De ")) for r in rows)


def test_the_90_seconds_belong_to_fast_food_only(kb: KnowledgeBase) -> None:
    assert _rows(
        kb, "benchmarks-and-their-sector", "metric", "sector", "goodAtMost", "passage"
    ) == {("service_time_seconds", "fast-food", "90", "lv-service-time-mcdonalds")}


def test_cited_works_are_named_as_the_articles_name_them(kb: KnowledgeBase) -> None:
    rows = _rows(kb, "cited-works", "work", "year")
    assert ("Reichheld and Teal (1996)", "1996") in rows
    assert ("Andreassen and Olsen (2008)", "2008") in rows


def test_caveats_reach_the_rules_they_qualify(rules_kb: KnowledgeBase) -> None:
    rows = _rows(rules_kb, "caveats-on-the-advice", "passage", "rule")
    assert ("lv-product-quality", "slow-service") in rows
    assert ("lv-product-quality", "slow-service-fast-food") in rows
    assert ("lv-culture-and-the-customers-eye", "customers-not-greeted") in rows
    assert ("nl1-needs-vary-disneyland", "theme-park-not-fun") in rows
    assert ("nl1-chain-both-ways", "internal-requests-late") in rows


def test_every_principle_is_observable(kb: KnowledgeBase) -> None:
    rows = kb.select(example_query("observing-every-teaching").sparql)
    principles = kb.select("SELECT ?p WHERE { ?p a skg:Principle }")
    assert len(rows) == len(principles)
    assert all(int(r["metrics"]) >= 1 for r in rows)
