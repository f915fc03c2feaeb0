"""The SKG namespace class and the ontology define the same terms; misspellings fail."""

import pytest

from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG


def _declared_in_ontology(kb: KnowledgeBase) -> set[str]:
    rows = kb.select(
        """SELECT DISTINCT ?term WHERE {
             GRAPH <https://w3id.org/servicekg/graph/ontology> { ?term a ?type }
             FILTER STRSTARTS(STR(?term), "https://w3id.org/servicekg/ns#")
           }"""
    )
    return {r["term"].split("#", 1)[1] for r in rows}


def _declared_in_python() -> set[str]:
    return {name for name in SKG.__annotations__ if not name.startswith("_")}


def test_every_ontology_term_is_a_python_constant(kb: KnowledgeBase) -> None:
    missing = _declared_in_ontology(kb) - _declared_in_python()
    assert not missing, f"add to servicekg.namespace.SKG: {sorted(missing)}"


def test_every_python_constant_is_declared_in_the_ontology(kb: KnowledgeBase) -> None:
    stale = _declared_in_python() - _declared_in_ontology(kb)
    assert not stale, f"declared in SKG but typed nowhere in ontology/*.ttl: {sorted(stale)}"


def test_a_misspelt_term_fails_loudly() -> None:
    with pytest.raises(AttributeError, match="Friendlyness"):
        _ = SKG.Friendlyness
