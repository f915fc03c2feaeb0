"""Ranking by impact through the causal graph, and root causes of several symptoms."""

import networkx as nx
import pytest

from servicekg.assessment.impact import ImpactModel
from servicekg.assessment.root_cause import find_root_causes
from servicekg.graph.causal import causal_graph
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG


@pytest.fixture(scope="module")
def graph(kb: KnowledgeBase) -> nx.DiGraph:
    return causal_graph(kb)


@pytest.fixture(scope="module")
def model(graph: nx.DiGraph) -> ImpactModel:
    return ImpactModel(graph)


def test_impact_is_carried_by_the_strongest_chain_to_each_outcome(model: ImpactModel) -> None:
    impact = model.impact(str(SKG.ProblemResolution))
    retention = next(c for c in impact.chains if c.target == str(SKG.Retention))
    # the article: problem resolution has the greatest effect on retention (strength 1.0)
    assert retention.strength == 1.0
    assert retention.path == (str(SKG.ProblemResolution), str(SKG.Retention))
    assert impact.value == pytest.approx(sum(c.strength for c in impact.chains))


def test_longer_weaker_chains_weigh_less(model: ImpactModel, graph: nx.DiGraph) -> None:
    assert model.relative(str(SKG.Friendliness)) > model.relative(str(SKG.Complaints))
    assert 0 < model.relative(str(SKG.SupplierService)) < 1
    assert max(model.relative(n) for n in graph.nodes) == pytest.approx(1.0)


def test_slower_service_carries_a_negative_sign(model: ImpactModel) -> None:
    assert all(c.sign == -1 for c in model.impact(str(SKG.ServiceTime)).chains)


def test_a_concept_off_the_graph_has_no_impact(model: ImpactModel) -> None:
    assert model.impact(str(SKG.SixSigma)).value == 0


def _names(causes):
    return [
        (c.concept.rsplit("#")[1], sorted(s.rsplit("#")[1] for s in c.explains)) for c in causes
    ]


def test_complaints_with_poor_internal_service_point_to_how_staff_are_treated(
    graph: nx.DiGraph,
) -> None:
    causes = find_root_causes(graph, [str(SKG.Complaints), str(SKG.InternalService)])
    assert _names(causes)[0] == ("EmployeeTreatment", ["Complaints", "InternalService"])
    assert causes[0].observed is False
    assert all(chain[-1] in causes[0].explains for chain in causes[0].chains)


def test_late_poor_supplies_point_to_the_supplier_link(graph: nx.DiGraph) -> None:
    causes = find_root_causes(graph, [str(SKG.SupplierService), str(SKG.Complaints)])
    assert _names(causes) == [("SupplierService", ["Complaints"])]
    assert causes[0].observed is True


def test_supplier_service_is_not_blamed_for_product_quality(graph: nx.DiGraph) -> None:
    # regression: the suppliers passage says better service from suppliers, not better products
    assert not graph.has_edge(str(SKG.SupplierService), str(SKG.ProductQuality))
    causes = find_root_causes(
        graph, [str(SKG.ProductQuality), str(SKG.Returns), str(SKG.Complaints)]
    )
    assert _names(causes)[0] == ("ProductQuality", ["Complaints", "Returns"])


def test_a_cause_observed_to_be_fine_is_not_blamed(graph: nx.DiGraph) -> None:
    symptoms = [str(SKG.InternalService), str(SKG.Complaints), str(SKG.Retention)]
    assert _names(find_root_causes(graph, symptoms))[0][0] == "EmployeeTreatment"
    fine = [str(SKG.EmployeeTreatment)]
    assert _names(find_root_causes(graph, symptoms, fine=fine))[0][0] == "InternalService"


def test_one_symptom_has_no_root_cause(graph: nx.DiGraph) -> None:
    assert find_root_causes(graph, [str(SKG.Complaints)]) == []
