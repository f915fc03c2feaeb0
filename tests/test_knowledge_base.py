"""The knowledge base: loading is all or nothing, shortcuts are derived, errors say where."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from servicekg.errors import ParseError
from servicekg.knowledge_base import KnowledgeBase, QuerySyntaxError
from servicekg.namespace import GRAPH, SKG
from servicekg.resources import ontology_files


def test_the_ontology_lands_in_its_named_graph(kb: KnowledgeBase) -> None:
    sizes = kb.graph_sizes()
    assert sizes[str(GRAPH.ontology)] > 1000
    assert sizes[str(GRAPH.derived)] > 0


def test_one_bad_file_loads_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "zz-bad.ttl"
    bad.write_text("@prefix skg: <https://w3id.org/servicekg/ns#> .\nskg:a skg:b .\n")
    kb = KnowledgeBase()
    with pytest.raises(ParseError, match=r"zz-bad\.ttl:2"):
        kb.load_ontology([*ontology_files(), bad])
    assert len(kb) == 0


def test_reloading_replaces_rather_than_duplicates() -> None:
    kb = KnowledgeBase.with_ontology()
    before = kb.graph_sizes()
    kb.load_ontology()
    assert kb.graph_sizes() == before


def test_shortcuts_mirror_every_causal_link(kb: KnowledgeBase) -> None:
    links = kb.select("SELECT (COUNT(*) AS ?n) WHERE { ?l a skg:CausalLink }")[0]["n"]
    shortcuts = kb.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a skg:increases|skg:decreases ?b } }"
    )[0]["n"]
    distinct_pairs = kb.select(
        "SELECT (COUNT(DISTINCT *) AS ?n) WHERE { ?l a skg:CausalLink ;"
        " skg:fromConcept ?a ; skg:toConcept ?b }"
    )[0]["n"]
    assert links == distinct_pairs == shortcuts


def test_a_property_path_walks_the_derived_shortcuts(kb: KnowledgeBase) -> None:
    assert kb.query("ASK { skg:EmployeeTreatment skg:influences+ skg:Profit }")
    assert kb.query("ASK { skg:Supplier skg:serves+ skg:ExternalCustomer }")


def test_a_query_syntax_error_says_where(kb: KnowledgeBase) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        kb.query("SELECT ?x WHERE {\n  ?x a \n}")
    assert caught.value.line == 3
    assert "SPARQL syntax error" in str(caught.value)


def test_substitutions_bind_variables(kb: KnowledgeBase) -> None:
    rows = kb.select(
        "SELECT ?label WHERE { ?c skos:prefLabel ?label FILTER (LANG(?label) = 'nl') }",
        c=ox.NamedNode(str(SKG.Friendliness)),
    )
    assert rows == [{"label": "Vriendelijkheid"}]
