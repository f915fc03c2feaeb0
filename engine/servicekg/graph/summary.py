"""A summary of what the knowledge base holds: the counts a reader checks first."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal

from servicekg.graph.concepts import check_language
from servicekg.knowledge_base import KnowledgeBase

__all__ = ["Summary", "summarise"]


@dataclass
class Summary:
    """Counts of the knowledge base's contents, labelled in one language."""

    triples: int
    graphs: dict[str, int]
    concepts_by_kind: dict[str, int] = field(default_factory=dict)
    relations_by_kind: dict[str, int] = field(default_factory=dict)
    passages_by_article: dict[str, int] = field(default_factory=dict)
    metrics: int = 0
    units: int = 0
    benchmarks: int = 0
    basic_needs: list[str] = field(default_factory=list)

    @property
    def concepts(self) -> int:
        """How many concepts there are in all."""
        return sum(self.concepts_by_kind.values())


def summarise(kb: KnowledgeBase, lang: str = "en") -> Summary:
    """Count concepts by class, relations by kind, passages by article, metrics and units."""
    language = Literal(check_language(lang))
    summary = Summary(triples=len(kb), graphs=kb.graph_sizes())
    for row in kb.select(
        """SELECT ?label (COUNT(DISTINCT ?c) AS ?n) WHERE {
             ?c a ?class . ?class rdfs:subClassOf+ skg:Concept ; rdfs:label ?label
             FILTER (LANG(?label) = ?lang) } GROUP BY ?label ORDER BY DESC(?n) ?label""",
        lang=language,
    ):
        summary.concepts_by_kind[row["label"]] = row["n"]
    for row in kb.select(
        """SELECT ?label (COUNT(DISTINCT ?r) AS ?n) WHERE {
             ?r a ?kind . ?kind rdfs:subClassOf skg:Relation ; rdfs:label ?label
             FILTER (LANG(?label) = ?lang) } GROUP BY ?label ORDER BY DESC(?n)""",
        lang=language,
    ):
        summary.relations_by_kind[row["label"]] = row["n"]
    for row in kb.select(
        """SELECT ?title (COUNT(DISTINCT ?p) AS ?n) WHERE {
             ?p a skg:Passage ; dcterms:isPartOf ?a . ?a dcterms:title ?title
             FILTER (LANG(?title) = "en") } GROUP BY ?title ORDER BY ?title"""
    ):
        summary.passages_by_article[row["title"]] = row["n"]
    counts = kb.select(
        """SELECT (COUNT(DISTINCT ?m) AS ?metrics) (COUNT(DISTINCT ?u) AS ?units)
                  (COUNT(DISTINCT ?b) AS ?benchmarks) WHERE {
             { ?m a skg:Metric } UNION { ?u a skg:Unit } UNION { ?b a skg:Benchmark } }"""
    )[0]
    summary.metrics = counts["metrics"]
    summary.units = counts["units"]
    summary.benchmarks = counts["benchmarks"]
    summary.basic_needs = [
        row["label"]
        for row in kb.select(
            """SELECT ?label WHERE { skg:SixBasicNeeds skos:member ?need .
                 ?need skos:prefLabel ?label FILTER (LANG(?label) = ?lang) } ORDER BY ?label""",
            lang=language,
        )
    ]
    return summary
