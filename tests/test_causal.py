"""Walking the causal graph with networkx finds what the articles say."""

import networkx as nx
import pytest

from servicekg.errors import UnknownTermError
from servicekg.graph.causal import causal_graph, causal_paths, chain_graph
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG


@pytest.fixture(scope="module")
def graph(kb: KnowledgeBase) -> nx.DiGraph:
    return causal_graph(kb)


def test_every_path_from_staff_treatment_to_profit_raises_profit(graph: nx.DiGraph) -> None:
    paths = list(causal_paths(graph, SKG.EmployeeTreatment, SKG.Profit, max_length=8))
    assert paths, "the articles link how staff are treated to profit"
    assert all(p.sign == 1 for p in paths)
    assert any(str(SKG.ServiceQuality) in p.concepts for p in paths)


def test_better_product_quality_raises_profit_through_the_cost_of_quality(
    graph: nx.DiGraph,
) -> None:
    through_cost = [
        p
        for p in causal_paths(graph, SKG.ProductQuality, SKG.Profit, max_length=6)
        if str(SKG.ExternalFailureCost) in p.concepts
    ]
    assert through_cost, "product quality -> complaints/returns -> external cost -> profit"
    # two negative links (fewer complaints, cost lowers profit) make a positive path
    assert all(p.sign == 1 for p in through_cost)


def test_slower_service_lowers_retention(graph: nx.DiGraph) -> None:
    paths = list(causal_paths(graph, SKG.ServiceTime, SKG.Retention, max_length=6))
    assert paths
    assert all(p.sign == -1 for p in paths)


def test_suppliers_reach_profit(graph: nx.DiGraph) -> None:
    assert nx.has_path(graph, str(SKG.SupplierService), str(SKG.Profit))


@pytest.mark.parametrize(
    "need",
    [
        SKG.Friendliness,
        SKG.UnderstandingAndEmpathy,
        SKG.Fairness,
        SKG.Control,
        SKG.OptionsAndAlternatives,
        SKG.Information,
    ],
)
def test_every_basic_need_leads_to_loyalty(graph: nx.DiGraph, need: str) -> None:
    assert nx.has_path(graph, str(need), str(SKG.Loyalty))


def test_value_builds_loyalty_and_loyalty_builds_growth_profit_and_more_value(
    graph: nx.DiGraph,
) -> None:
    value, loyalty = str(SKG.LastingValue), str(SKG.Loyalty)
    assert graph.has_edge(value, loyalty)
    for outcome in (SKG.Growth, SKG.Profit, SKG.LastingValue):
        assert graph.has_edge(loyalty, str(outcome))
        assert graph.edges[loyalty, str(outcome)]["sign"] == 1


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Growth", "Profit"),
        ("Profit", "LastingValue"),
        ("Revenue", "Profit"),
        ("CustomerSatisfaction", "Retention"),
        ("Attractiveness", "Loyalty"),
        ("SupplierService", "ProductQuality"),
    ],
)
def test_parallel_outcomes_and_unstated_links_are_not_chained(
    graph: nx.DiGraph, source: str, target: str
) -> None:
    # regression: "loyalty builds growth, profit and more value" is a list, not a chain, and
    # no passage states these links
    assert not graph.has_edge(str(SKG[source]), str(SKG[target]))


def test_problem_resolution_has_the_strongest_effect_on_retention(graph: nx.DiGraph) -> None:
    edge = graph.edges[str(SKG.ProblemResolution), str(SKG.Retention)]
    assert edge["strength"] == 1.0
    assert edge["passages"]


def test_every_edge_carries_its_passages_and_labels_follow_the_language(
    kb: KnowledgeBase,
) -> None:
    graph = causal_graph(kb, "lv")
    assert all(data["passages"] for _, _, data in graph.edges(data=True))
    assert (
        graph.nodes[str(SKG.Loyalty)]["label"] != causal_graph(kb).nodes[str(SKG.Loyalty)]["label"]
    )


def test_the_customer_chain_runs_from_suppliers_to_external_customers(kb: KnowledgeBase) -> None:
    chain = chain_graph(kb)
    path = nx.shortest_path(chain, str(SKG.Supplier), str(SKG.ExternalCustomer))
    assert str(SKG.Employee) in path
    assert chain.has_edge(str(SKG.Manager), str(SKG.Employee))


def test_an_unknown_concept_is_named(graph: nx.DiGraph) -> None:
    with pytest.raises(UnknownTermError, match="Profitt"):
        next(causal_paths(graph, SKG.Loyalty, "https://w3id.org/servicekg/ns#Profitt"))
