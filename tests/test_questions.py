"""Consultants' questions, asked in SPARQL (the shipped example queries), and their answers."""

import pytest

from servicekg.graph.example_queries import example_queries, example_query
from servicekg.knowledge_base import KnowledgeBase


def _ask(kb: KnowledgeBase, name: str) -> list[dict]:
    return kb.select(example_query(name).sparql)


def test_every_example_query_states_its_question_and_answers(kb: KnowledgeBase) -> None:
    queries = example_queries()
    assert len(queries) >= 8
    for query in queries:
        assert query.question.endswith(("?", ".", ")")), query.path
        assert kb.select(query.sparql), f"{query.name} has no answer"


def test_the_six_basic_needs_in_three_languages(kb: KnowledgeBase) -> None:
    rows = _ask(kb, "six-basic-needs")
    assert [r["en"] for r in rows] == [
        "Control",
        "Fairness",
        "Friendliness",
        "Information",
        "Options and alternatives",
        "Understanding and empathy",
    ]
    assert all(r["nl"] and r["lv"] and r["nl"] != r["lv"] for r in rows)


def test_factors_that_lead_to_growth(kb: KnowledgeBase) -> None:
    factors = {r["factor"].rsplit("#")[-1] for r in _ask(kb, "factors-leading-to-growth")}
    for factor in [
        "ServiceTime",
        "ProductQuality",
        "ProblemResolution",
        "EmployeeTreatment",
        "SupplierService",
        "Greeting",
        "Consistency",
    ]:
        assert factor in factors


def test_problem_resolution_rests_on_the_kana_quote(kb: KnowledgeBase) -> None:
    rows = _ask(kb, "passages-for-a-concept")
    assert any("izšķirtspēja" in r["quote"] for r in rows)
    assert all(r["rendering"] for r in rows)


def test_the_value_chain_includes_value_loyalty_growth_profit(kb: KnowledgeBase) -> None:
    links = {(r["fromLabel"], r["toLabel"]) for r in _ask(kb, "the-value-chain")}
    assert ("Lasting value", "Loyalty") in links or any(a.endswith("value") for a, _ in links)
    assert any(b == "Growth" for _, b in links)
    assert all(r["effect"] in ("increases", "decreases") for r in _ask(kb, "the-value-chain"))


def test_the_cost_of_poor_quality(kb: KnowledgeBase) -> None:
    rows = _ask(kb, "cost-of-poor-quality")
    drivers = {r["driver"] for r in rows if r["effect"] == "increases"}
    assert {"Complaints", "Returns"} <= drivers
    assert any(r["effect"] == "decreases" and r["target"] == "Profit" for r in rows)


def test_needs_by_sector(kb: KnowledgeBase) -> None:
    rows = {(r["sector"], r["need"]) for r in _ask(kb, "needs-by-sector")}
    assert ("Theme park", "Fun") in rows
    assert ("Theme park", "Safety") in rows
    assert ("Accountancy", "Accuracy") in rows
    assert ("Accountancy", "Certainty") in rows


def test_the_customer_chain(kb: KnowledgeBase) -> None:
    rows = {(r["provider"], r["customer"]) for r in _ask(kb, "the-customer-chain")}
    assert ("Supplier", "Employee") in rows
    assert ("Manager", "Employee") in rows
    assert ("Employee", "External customer") in rows


def test_exceptions_and_misconceptions(kb: KnowledgeBase) -> None:
    rows = _ask(kb, "exceptions-and-misconceptions")
    assert {r["kind"] for r in rows} == {"exception", "misconception"}
    assert any(r["kind"] == "exception" and r["about"] == "Friendliness" for r in rows)


def test_every_need_and_factor_can_be_observed(kb: KnowledgeBase) -> None:
    unobserved = kb.select(
        """SELECT ?c WHERE { ?c a ?k . VALUES ?k { skg:BasicNeed skg:BusinessSpecificNeed
             skg:ServiceFactor skg:QualityCost skg:Outcome }
           FILTER NOT EXISTS { ?m skg:measures ?c } }"""
    )
    assert not unobserved


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_every_concept_reads_in_every_language(kb: KnowledgeBase, lang: str) -> None:
    rows = kb.select(
        """SELECT ?c WHERE { ?c a ?k . ?k rdfs:subClassOf+ skg:Concept .
             FILTER NOT EXISTS { ?c skos:prefLabel ?l ; skos:definition ?d
               FILTER (LANG(?l) = ?lang && LANG(?d) = ?lang) } }""".replace("?lang", f'"{lang}"')
    )
    assert not rows
