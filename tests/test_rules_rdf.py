"""Rules in the knowledge graph: each rule as a skg:Rule with its texts, severity, principles,
passages and metrics, answering the example queries on rules."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from servicekg.graph.example_queries import example_query
from servicekg.graph.shacl import ontology_shapes, validate_graph
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG
from servicekg.rdf_io import to_rdflib_graph
from servicekg.resources import ontology_dir
from servicekg.rules import RULES_GRAPH, RuleBook, add_rules_to_kb, load_rules, rules_to_rdf
from servicekg.rules.rule_graph import VOCABULARY

RULE_FILE = """\
rules:
  - id: fast-food-too-slow
    title: {en: Slow, nl: Traag, lv: Lēni}
    recommendation: {en: Be faster., nl: Wees sneller., lv: Esiet ātrāki.}
    severity: critical
    addresses: ServiceTime
    principles: [ServiceTime, NeedsVaryByBusiness]
    sources: [lv-service-time-mcdonalds]
    when:
      all:
        - sector: fast-food
        - {metric: service_time_seconds, above: {benchmark: fast-food-service-time}}
    unless: {metric: rude_service_is_the_product, is: true}
    basis: {advice: stated, threshold: stated}
    caveats:
      - passage: lv-product-quality
        text:
          en: Not at the cost of quality.
          nl: Niet ten koste van kwaliteit.
          lv: Ne uz kvalitātes rēķina.
    examples:
      fires: [{sector: fast-food, service_time_seconds: 100}]
      silent: [{sector: fast-food, service_time_seconds: 60}]
"""

EXPECTED = """\
@prefix skg: <https://w3id.org/servicekg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix metric: <https://w3id.org/servicekg/metric/> .
@prefix psg: <https://w3id.org/servicekg/passage/> .
@prefix bench: <https://w3id.org/servicekg/benchmark/> .

<https://w3id.org/servicekg/rule/fast-food-too-slow> a skg:Rule ;
    dcterms:identifier "fast-food-too-slow" ;
    rdfs:label "Slow"@en , "Traag"@nl , "Lēni"@lv ;
    skg:recommendationText "Be faster."@en , "Wees sneller."@nl , "Esiet ātrāki."@lv ;
    skg:severity skg:CriticalSeverity ;
    skg:addresses skg:ServiceTime ;
    skg:restsOnPrinciple skg:ServiceTime , skg:NeedsVaryByBusiness ;
    skg:restsOn psg:lv-service-time-mcdonalds ;
    skg:readsMetric metric:service_time_seconds , metric:rude_service_is_the_product ;
    skg:exceptionMetric metric:rude_service_is_the_product ;
    skg:usesBenchmark bench:fast-food-service-time ;
    skg:appliesToSector skg:FastFood ;
    skg:conditionText "all of (sector in (fast-food); service_time_seconds > 90)" ;
    skg:exceptionText "rude_service_is_the_product is true" ;
    skg:ruleFile "RULE_FILE" ;
    skg:basis skg:StatedByArticle ;
    skg:thresholdBasis skg:StatedByArticle ;
    skg:caveat <https://w3id.org/servicekg/rule/fast-food-too-slow/caveat/1> .

<https://w3id.org/servicekg/rule/fast-food-too-slow/caveat/1> a skg:Caveat ;
    skg:restsOn psg:lv-product-quality ;
    skg:caveatText "Not at the cost of quality."@en , "Niet ten koste van kwaliteit."@nl ,
                   "Ne uz kvalitātes rēķina."@lv .
"""


@pytest.fixture(scope="module")
def book(kb: KnowledgeBase) -> RuleBook:
    return load_rules(kb=kb)


@pytest.fixture(scope="module")
def rules_kb(book: RuleBook) -> KnowledgeBase:
    kb = KnowledgeBase.with_ontology()
    add_rules_to_kb(kb, book)
    return kb


def test_a_rule_in_rdf_is_what_its_file_says(tmp_path: Path, kb: KnowledgeBase) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(RULE_FILE, encoding="utf-8")
    quads = rules_to_rdf(load_rules(path, kb=kb))
    assert {q.graph_name for q in quads} == {RULES_GRAPH}
    actual = to_rdflib_graph(quads)
    expected = rdflib.Graph().parse(data=EXPECTED.replace("RULE_FILE", str(path)), format="turtle")
    if not isomorphic(actual, expected):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        pytest.fail(
            f"missing:\n{missing.serialize(format='nt')}\nextra:\n{extra.serialize(format='nt')}"
        )


def test_the_rules_graph_has_its_own_name() -> None:
    assert RULES_GRAPH.value == "https://w3id.org/servicekg/graph/rules"


def test_every_rule_is_described_with_labels_severity_principles_sources_and_metrics(
    rules_kb: KnowledgeBase, book: RuleBook
) -> None:
    rows = rules_kb.select(
        """SELECT ?id (COUNT(DISTINCT ?label) AS ?labels) (COUNT(DISTINCT ?metric) AS ?metrics)
                  (SAMPLE(?file) AS ?f) WHERE {
             ?r a skg:Rule ; dcterms:identifier ?id ; rdfs:label ?label ; skg:severity ?s ;
                skg:addresses ?a ; skg:restsOnPrinciple ?p ; skg:restsOn ?psg ;
                skg:readsMetric ?metric ; skg:ruleFile ?file ; skg:conditionText ?c .
             ?s a skg:Severity . ?a a/rdfs:subClassOf* skg:Concept . ?psg a skg:Passage .
             ?metric a skg:Metric .
           } GROUP BY ?id"""
    )
    assert {r["id"] for r in rows} == {rule.id for rule in book}
    for row in rows:
        rule = book.get(row["id"])
        assert row["labels"] == 3
        assert row["metrics"] == len(rule.metrics)
        assert row["f"] == f"rules/{rule.file.name}"


def test_adding_the_rules_again_replaces_them(book: RuleBook) -> None:
    kb = KnowledgeBase.with_ontology()
    first = add_rules_to_kb(kb, book)
    add_rules_to_kb(kb, book)
    assert kb.graph_sizes()[RULES_GRAPH.value] == first > 30 * len(book) // 2


def test_which_rules_rest_on_each_principle(rules_kb: KnowledgeBase) -> None:
    rows = rules_kb.select(example_query("rules-by-principle").sparql)
    by_principle: dict[str, set[str]] = {}
    for row in rows:
        by_principle.setdefault(row["principle"], set()).update(
            [row["rule"]] if "rule" in row else []
        )
    assert by_principle["Staff treatment mirrors service"] == {
        "complaints-and-turnover",
        "high-staff-turnover",
        "staff-poorly-treated",
    }
    assert all(by_principle.values())


def test_the_principles_no_rule_covers(rules_kb: KnowledgeBase, kb: KnowledgeBase) -> None:
    # every principle, need, factor, outcome and cost has a rule and a metric
    query = example_query("principles-no-rule-covers").sparql
    assert rules_kb.select(query) == []
    assert len(kb.select(query)) > 30  # without rules, nothing is covered


def _declared_in_vocabulary_file() -> dict[str, set[str]]:
    graph = rdflib.Graph().parse(ontology_dir() / "rules-vocabulary.ttl", format="turtle")
    declared: dict[str, set[str]] = {}
    for term in set(graph.subjects(rdflib.RDF.type, None)):
        if str(term).startswith(str(SKG._NS)):
            languages = {label.language for label in graph.objects(term, rdflib.RDFS.label)}
            declared[str(term).removeprefix(str(SKG._NS))] = languages
    return declared


def test_the_vocabulary_the_rdf_uses_is_declared_with_labels_in_three_languages() -> None:
    declared = _declared_in_vocabulary_file()
    assert set(declared) == set(VOCABULARY)
    assert all(languages == {"en", "nl", "lv"} for languages in declared.values()), declared


def test_rules_rest_on_passages_like_concepts_do(rules_kb: KnowledgeBase) -> None:
    passages = rules_kb.select(
        "SELECT ?quote WHERE { ?r dcterms:identifier 'slow-service-fast-food' ; "
        "skg:restsOn/skg:quote ?quote }"
    )
    assert any("90" in row["quote"] for row in passages)
    assert isinstance(RULES_GRAPH, ox.NamedNode)


def test_the_rules_graph_satisfies_the_basis_shape(book: RuleBook) -> None:
    data = to_rdflib_graph(rules_to_rdf(book))
    report = validate_graph(data, ontology_shapes())
    assert report.conforms, "\n".join(map(str, report.violations))
    # a rule stripped of its basis is caught, naming the rule
    rule = rdflib.URIRef("https://w3id.org/servicekg/rule/unfriendly-staff")
    data.remove((rule, rdflib.URIRef(str(SKG.basis)), None))
    report = validate_graph(data, ontology_shapes())
    assert any(v.focus == str(rule) and "skg:basis" in v.message for v in report.violations)


def test_each_rule_writes_its_basis_note_and_caveats(rules_kb: KnowledgeBase) -> None:
    rows = rules_kb.select(
        """SELECT ?advice ?threshold (COUNT(DISTINCT ?note) AS ?notes)
                  (COUNT(DISTINCT ?caveat) AS ?caveats) WHERE {
             ?r dcterms:identifier 'slow-service' ; skg:basis ?advice ;
                skg:thresholdBasis ?threshold ; skg:basisNote ?note ; skg:caveat ?caveat }
           GROUP BY ?advice ?threshold"""
    )
    assert rows == [
        {
            "advice": str(SKG.StatedByArticle),
            "threshold": str(SKG.OwnJudgement),
            "notes": 3,
            "caveats": 2,
        }
    ]
