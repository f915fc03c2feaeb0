"""The graph views hold what the knowledge base says: every concept, every causal link with its
sign, the customer chain, one business's assessment, the portfolio, any CONSTRUCT result."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from pyoxigraph import NamedNode

from servicekg.assessment.pipeline import AssessmentRun, run_assessment
from servicekg.errors import InputError, UnknownTermError
from servicekg.graph.concepts import list_concepts
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG
from servicekg.resources import data_root
from servicekg.views import VIEWS, build_view
from servicekg.views.assessment import action_label

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def run() -> AssessmentRun:
    """The bundled examples and a business whose name and notes are HTML, assessed."""
    return run_assessment([data_root() / "examples", DATA / "viz"])


def test_the_principles_view_holds_every_concept_and_the_articles(kb: KnowledgeBase) -> None:
    graph, title = build_view(kb, "principles")
    concepts = {c["iri"] for c in list_concepts(kb)}
    assert concepts <= set(graph)
    sources = {n for n, kind in graph.nodes(data="kind") if kind == "source"}
    assert len(sources) == 3
    assert set(graph) == concepts | sources
    assert title["nl"] == "De principes en hun verbanden"
    friendliness = graph.nodes[str(SKG.Friendliness)]
    assert friendliness["kind"] == "need"
    assert friendliness["labels"] == {
        "en": "Friendliness",
        "nl": "Vriendelijkheid",
        "lv": "Draudzīgums",
    }
    details = friendliness["details"]
    assert details["definition"]["en"].startswith("The most basic of the six customer needs")
    quote = details["quotes"][0]
    assert quote["lang"] == "nl"
    assert quote["rendering"]
    assert quote["article"]


@pytest.mark.parametrize(
    ("iri", "kind"),
    [
        (SKG.ServiceTime, "factor"),
        (SKG.Supplier, "role"),
        (SKG.Loyalty, "outcome"),
        (SKG.Complaints, "cost"),
        (SKG.FastFood, "sector"),
    ],
)
def test_concepts_are_coloured_by_kind(kb: KnowledgeBase, iri: str, kind: str) -> None:
    graph, _ = build_view(kb, "principles")
    assert graph.nodes[str(iri)]["kind"] == kind


def test_the_value_chain_has_every_causal_link_with_its_sign(kb: KnowledgeBase) -> None:
    graph, _ = build_view(kb, "value-chain")
    rows = kb.select(
        """SELECT ?from ?to ?polarity WHERE {
             ?r a skg:CausalLink ; skg:fromConcept ?from ; skg:toConcept ?to ;
                skg:polarity ?polarity }"""
    )
    assert graph.number_of_edges() == len(rows)
    for row in rows:
        (edge,) = graph.get_edge_data(row["from"], row["to"]).values()
        positive = row["polarity"] == str(SKG.Increases)
        assert edge["sign"] == ("+" if positive else "\u2212")
        assert edge["style"] == ("increases" if positive else "decreases")
    chain = [SKG.EmployeeTreatment, SKG.ServiceQuality, SKG.CustomerSatisfaction, SKG.Loyalty]
    assert all(str(c) in graph for c in chain)
    assert nx.has_path(graph, str(SKG.EmployeeTreatment), str(SKG.Profit))
    assert nx.has_path(graph, str(SKG.SupplierService), str(SKG.ServiceQuality))
    # regression: no passage says better supplier service makes better products
    assert not graph.has_edge(str(SKG.SupplierService), str(SKG.ProductQuality))


def test_the_customer_chain_runs_from_suppliers_to_external_customers(kb: KnowledgeBase) -> None:
    graph, _ = build_view(kb, "customer-chain")
    for role in (SKG.Supplier, SKG.Employee, SKG.InternalCustomer, SKG.ExternalCustomer):
        assert graph.nodes[str(role)]["kind"] == "role"
    assert nx.has_path(graph, str(SKG.Supplier), str(SKG.ExternalCustomer))
    (edge,) = graph.get_edge_data(str(SKG.Supplier), str(SKG.Employee)).values()
    assert edge["labels"]["nl"] == "bedient"


def test_the_assessment_view_shows_ranked_recommendations_root_cause_and_unknowns(
    run: AssessmentRun,
) -> None:
    graph, title = build_view(run.kb, "assessment", business="belcentrum-noord")
    assessment = run.report.business("belcentrum-noord")
    assert title["en"].endswith(": BelCentrum Noord B.V.")
    recs = [d for _, d in graph.nodes(data=True) if d["kind"] == "recommendation"]
    # a recommendation reads as what to do first, its rule as what was found
    assert sorted(d["labels"]["en"] for d in recs) == sorted(
        f"{r.rank}. {action_label(r.text)}" for r in assessment.recommendations
    )
    rules = {n for n, k in graph.nodes(data="kind") if k == "rule"}
    assert rules == {r.rule.iri for r in assessment.recommendations}
    titles = {graph.nodes[r.rule.iri]["labels"]["en"] for r in assessment.recommendations}
    assert titles == {r.title for r in assessment.recommendations}
    (cause,) = assessment.root_causes
    assert "root-cause" in graph.nodes[cause.concept.iri]["marks"]
    unknown = {n for n, d in graph.nodes(data=True) if "unknown" in d["marks"]}
    missing = {m.iri for u in assessment.unjudged for m in u.missing_metrics}
    assert unknown == missing
    assert missing
    observations = [n for n, k in graph.nodes(data="kind") if k == "observation"]
    assert len(observations) == assessment.observations
    principles = {p.iri for r in assessment.recommendations for p in r.principles}
    assert principles <= set(graph)
    passages = {n for n, k in graph.nodes(data="kind") if k == "passage"}
    assert passages == {s.passage for r in assessment.recommendations for s in r.sources}
    for passage in passages:
        (quote,) = graph.nodes[passage]["details"]["quotes"]
        assert quote["quote"]
        assert quote["rendering"]


def test_the_assessment_view_shows_a_business_values(run: AssessmentRun) -> None:
    graph, _ = build_view(run.kb, "assessment", business="script-diner")
    business = graph.nodes["https://w3id.org/servicekg/business/script-diner"]
    values = {v["name"]: v["value"] for v in business["details"]["values"]}
    assert values == {
        "identifier": "script-diner",
        "name": "<script>alert(1)</script>",
        "sector": "fast-food",
        "region": "<b>Rīga</b>",
        "observations": "6",
    }
    assert business["details"]["links"][0]["view"] == "portfolio"


def test_an_unknown_business_is_named_with_the_known_ones(run: AssessmentRun) -> None:
    with pytest.raises(UnknownTermError, match="did you mean 'burgeri-riga'"):
        build_view(run.kb, "assessment", business="burgeri-rica")


def test_views_of_assessments_need_assessments(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError, match="no assessments"):
        build_view(kb, "portfolio")
    with pytest.raises(InputError, match="needs a business"):
        build_view(kb, "assessment")


def test_the_portfolio_counts_recommendations_and_root_causes_by_sector(
    run: AssessmentRun,
) -> None:
    graph, _ = build_view(run.kb, "portfolio")
    report = run.report
    businesses = {n for n, k in graph.nodes(data="kind") if k == "business"}
    assert len(businesses) == len(report.businesses)
    employee = graph.nodes[str(SKG.EmployeeTreatment)]
    assert "root-cause" in employee["marks"]
    having = [
        b
        for b in report.businesses
        if any(c.concept.iri == str(SKG.EmployeeTreatment) for c in b.root_causes)
    ]
    assert employee["labels"]["en"].endswith(f"({len(having)})")
    values = employee["details"]["values"]
    counts = {_english(v["name"]): v["value"] for v in values}
    assert counts["count"] == str(len(having)) == "4"  # two of them branches of examples/chain
    assert (counts["Fast food"], counts["Call centre"]) == ("3", "1")
    # regression: the sector rows were English in every language
    sectors = [v["name"] for v in values if isinstance(v["name"], dict)]
    assert len(sectors) == 2
    assert all(set(names) == {"en", "nl", "lv"} for names in sectors)
    assert all(names["lv"] != names["en"] for names in sectors)
    rule = "https://w3id.org/servicekg/rule/slow-service-fast-food"
    fired = [b for b in report.businesses if any(r.rule.iri == rule for r in b.recommendations)]
    assert graph.in_degree(rule) == len(fired) > 0
    link = graph.nodes["https://w3id.org/servicekg/business/burgeri-riga"]["details"]["links"][0]
    assert (link["view"], link["business"]) == ("assessment", "burgeri-riga")


def _english(name: object) -> str:
    return name["en"] if isinstance(name, dict) else str(name)


def test_a_construct_query_becomes_a_view(kb: KnowledgeBase) -> None:
    query = """CONSTRUCT { ?a skg:increases ?b . ?a skos:prefLabel ?l . ?a skg:strength 1 }
               WHERE { ?a skg:increases ?b . ?a skos:prefLabel ?l }"""
    graph, _ = build_view(kb, "query", query=query)
    pairs = {(r["a"], r["b"]) for r in kb.select("SELECT ?a ?b WHERE { ?a skg:increases ?b }")}
    assert {(a, b) for a, b, _ in graph.edges} == pairs
    node = graph.nodes[str(SKG.Friendliness)]
    assert node["labels"]["lv"] == "Draudzīgums"
    assert node["kind"] == "need"
    assert {"name": "strength", "value": "1"} in node["details"]["values"]


@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p ?o }", "ASK { ?s ?p ?o }"])
def test_the_query_view_refuses_what_is_not_a_graph(kb: KnowledgeBase, query: str) -> None:
    with pytest.raises(InputError, match="CONSTRUCT or DESCRIBE"):
        build_view(kb, "query", query=query)


def test_an_unknown_view_names_the_views(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownTermError, match="did you mean 'value-chain'"):
        build_view(kb, "value-chains")
    assert VIEWS == (
        "principles",
        "value-chain",
        "customer-chain",
        "assessment",
        "portfolio",
        "query",
    )


def test_a_concept_links_to_the_other_views_that_draw_it(kb: KnowledgeBase) -> None:
    chain, _ = build_view(kb, "value-chain")
    accuracy = chain.nodes[str(SKG.Accuracy)]["details"]["links"]
    assert [(link["view"], link["node"]) for link in accuracy] == [
        ("principles", str(SKG.Accuracy))
    ]
    principles, _ = build_view(kb, "principles")
    views = [link["view"] for link in principles.nodes[str(SKG.Employee)]["details"]["links"]]
    assert views == ["customer-chain"]
    views = [link["view"] for link in principles.nodes[str(SKG.ServiceQuality)]["details"]["links"]]
    assert views == ["value-chain"]


def test_observations_read_as_a_person_writes_them_in_the_page_language(
    run: AssessmentRun,
) -> None:
    """Regression: labels showed base units and English unit words (``0.4 ratio``,
    ``30 per_1000``, ``2.1 score``) on Dutch and Latvian pages."""
    graph, _ = build_view(run.kb, "assessment", business="script-diner")
    labels = [d["labels"] for _, d in graph.nodes(data=True) if d["kind"] == "observation"]
    assert len(labels) == 6
    for texts in labels:
        for lang in ("nl", "lv"):
            shown = texts[lang].rsplit("= ", 1)[1]  # "Vriendelijkheidsscore" is Dutch
            assert not any(word in shown for word in ("ratio", "per_1000", "score"))
    greeting = next(t for t in labels if t["en"].startswith("Greeting"))
    assert greeting["en"].endswith("= 40\xa0%")
    assert greeting["lv"].endswith("= 40\xa0%")
    complaints = next(t for t in labels if "1000" in t["lv"])
    assert complaints["lv"].endswith("= 30\xa0uz 1000")
    assert complaints["nl"].endswith("= 30\xa0per 1000")
    employees = next(t for t in labels if t["en"].startswith("Employee satisfaction"))
    assert employees["nl"].endswith("= 2,1\xa0/ 5")
    assert employees["en"].endswith("= 2.1\xa0/ 5")
    service = next(t for t in labels if t["en"].startswith("Service time"))
    assert service["lv"].endswith("= 300\xa0s")


def test_why_a_recommendation_scored_so_reads_in_the_page_language(run: AssessmentRun) -> None:
    """Regression: the score reason was the English formula on Dutch and Latvian pages."""
    graph, _ = build_view(run.kb, "assessment", business="script-diner")
    reasons = [
        next(v["value"] for v in d["details"]["values"] if v["name"] == "why-score")
        for _, d in graph.nodes(data=True)
        if d["kind"] == "recommendation"
    ]
    assert reasons
    for texts in reasons:
        assert texts["en"].startswith("severity ")
        assert texts["nl"].startswith("ernst ")
        assert "0,5 + afstand" in texts["nl"]
        assert texts["lv"].startswith("nopietnība ")
        assert "ietekme" in texts["lv"]
        assert not any(w in texts[lang] for lang in ("nl", "lv") for w in ("severity", "gap"))


def test_a_quote_carries_its_rendering_in_every_page_language(kb: KnowledgeBase) -> None:
    """Regression: a Dutch or Latvian page showed the English rendering of a passage."""
    graph, _ = build_view(kb, "principles")
    quote = graph.nodes[str(SKG.Friendliness)]["details"]["quotes"][0]
    assert quote["lang"] == "nl"
    assert set(quote["rendering"]) == {"en", "nl", "lv"}
    rows = kb.select(
        "SELECT ?lang ?text WHERE { ?p skg:rendering ?text BIND (LANG(?text) AS ?lang) }",
        p=NamedNode(quote["passage"]),
    )
    assert quote["rendering"] == {str(r["lang"]): str(r["text"]) for r in rows}
    assert quote["rendering"]["lv"] != quote["rendering"]["en"]


def test_a_passage_is_labelled_with_its_rendering_in_the_page_language(
    run: AssessmentRun,
) -> None:
    graph, _ = build_view(run.kb, "assessment", business="belcentrum-noord")
    passages = [d for _, d in graph.nodes(data=True) if d["kind"] == "passage"]
    assert passages
    for data in passages:
        (quote,) = data["details"]["quotes"]
        for lang in ("en", "nl", "lv"):
            shown = quote["quote"] if lang == quote["lang"] else quote["rendering"][lang]
            assert data["labels"][lang].strip("“”…")[:20] == shown[:20]
