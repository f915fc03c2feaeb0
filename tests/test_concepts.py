"""Looking concepts up by name or label, and describing them in any language."""

import pytest

from servicekg.errors import UnknownTermError
from servicekg.graph.concepts import describe_concept, list_concepts, resolve_concept
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG


@pytest.mark.parametrize(
    "name",
    ["Friendliness", "skg:Friendliness", str(SKG.Friendliness), "friendliness", "Vriendelijkheid"],
)
def test_a_concept_is_found_by_name_iri_or_label(kb: KnowledgeBase, name: str) -> None:
    assert resolve_concept(kb, name) == str(SKG.Friendliness)


def test_a_latvian_label_finds_its_concept(kb: KnowledgeBase) -> None:
    label = describe_concept(kb, "ProblemResolution", "lv").label
    assert resolve_concept(kb, label.upper()) == str(SKG.ProblemResolution)


def test_an_unknown_concept_lists_what_is_known(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownTermError, match=r"Friendlyness.*known:"):
        resolve_concept(kb, "Friendlyness")


def test_a_description_carries_definition_relations_metrics_and_quotes(kb: KnowledgeBase) -> None:
    view = describe_concept(kb, "ServiceTime", "nl")
    assert view.kind == "ServiceFactor"
    assert set(view.labels) == {"en", "nl", "lv"}
    assert view.label == view.labels["nl"]
    assert view.definition
    assert "service_time_seconds" in view.metrics
    assert any(r.direction == "out" and r.other == str(SKG.ServiceQuality) for r in view.relations)
    mcdonalds = [p for p in view.passages if "90" in p.quote]
    assert mcdonalds
    assert mcdonalds[0].quote_language == "lv"
    assert "90" in mcdonalds[0].rendering


def test_the_list_holds_every_kind(kb: KnowledgeBase) -> None:
    kinds = {row["kind"] for row in list_concepts(kb)}
    assert {
        "BasicNeed",
        "ServiceFactor",
        "CustomerRole",
        "Outcome",
        "Principle",
        "Misconception",
        "ServiceException",
        "QualityCost",
        "Sector",
    } <= kinds
