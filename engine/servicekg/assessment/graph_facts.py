"""Everything an assessment reads from the knowledge graph, gathered once per process."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
from pyoxigraph import Literal

from servicekg.assessment.impact import ImpactModel
from servicekg.assessment.results import CausalChain, SourceQuote, Term
from servicekg.assessment.root_cause import LEVER_KINDS, ancestor_paths
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.graph.causal import causal_graph
from servicekg.graph.concepts import all_passages
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import local_name
from servicekg.rules import Rule, RuleBook, load_rules
from servicekg.rules.rule_graph import RULE

__all__ = ["AssessmentContext", "RulePlan"]


@dataclass(frozen=True)
class RulePlan:
    """What an assessment says of one rule whatever the business: worked out once per run."""

    rule: Rule
    term: Term
    title: str
    text: str
    addresses: Term
    principles: tuple[Term, ...]
    sources: tuple[SourceQuote, ...]
    relative_impact: float
    chains: tuple[CausalChain[Term], ...]
    metrics: frozenset[str]


@dataclass
class AssessmentContext:
    """The rules, metric catalogue, causal graph, impacts, labels and passages, in one language."""

    lang: str
    book: RuleBook
    catalogue: MetricCatalogue
    graph: nx.DiGraph
    impact: ImpactModel
    labels: dict[str, str]
    passages: dict[str, SourceQuote]

    @classmethod
    def build(
        cls,
        kb: KnowledgeBase,
        lang: str = "en",
        book: RuleBook | None = None,
        catalogue: MetricCatalogue | None = None,
    ) -> AssessmentContext:
        """Read it all from ``kb`` (rules from ``rules/`` unless ``book`` is given)."""
        catalogue = catalogue or MetricCatalogue.from_kb(kb)
        book = book or load_rules(kb=kb, catalogue=catalogue)
        graph = causal_graph(kb, lang)
        labels = {
            row["c"]: row["label"]
            for row in kb.select(
                "SELECT ?c ?label WHERE { ?c skos:prefLabel ?label FILTER (LANG(?label) = ?lang) }",
                lang=Literal(lang),
            )
        }
        passages = {
            p.iri: SourceQuote(
                passage=p.iri,
                article=p.article_title,
                section=p.section,
                quote=p.quote,
                quote_language=p.quote_language,
                rendering=p.rendering,
            )
            for p in all_passages(kb)
        }
        return cls(lang, book, catalogue, graph, ImpactModel(graph), labels, passages)

    def __post_init__(self) -> None:
        self._terms: dict[str, Term] = {}
        self._chains: dict[str, tuple[CausalChain[Term], ...]] = {}
        self._plans: dict[str, RulePlan] = {}
        self._metric_terms: dict[str, Term] = {}
        self._ancestors: dict[str, Mapping[str, Sequence[str]]] = {}
        self._reverse = self.graph.reverse(copy=False)

    def plan(self, rule: Rule) -> RulePlan:
        """``rule``'s terms, texts, passages, impact and chains in the context's language."""
        found = self._plans.get(rule.id)
        if found is None:
            found = self._plans[rule.id] = RulePlan(
                rule=rule,
                term=Term(RULE + rule.id, rule.text("title", self.lang)),
                title=rule.text("title", self.lang),
                text=rule.text("recommendation", self.lang),
                addresses=self.term(rule.addresses),
                principles=self.terms(rule.principles),
                sources=tuple(self.passages[p] for p in rule.sources if p in self.passages),
                relative_impact=self.impact.relative(rule.addresses),
                chains=self.chains(rule.addresses),
                metrics=frozenset(rule.metrics),
            )
        return found

    def ancestors(self, concept: str) -> Mapping[str, Sequence[str]]:
        """The causal ancestors of ``concept`` within the root-cause distance that could be a
        root cause (of a :data:`~servicekg.assessment.root_cause.LEVER_KINDS` class), with
        their chains (:func:`~servicekg.assessment.root_cause.ancestor_paths`); kept once
        asked."""
        found = self._ancestors.get(concept)
        if found is None:
            nodes = self.graph.nodes
            found = self._ancestors[concept] = {
                ancestor: path
                for ancestor, path in ancestor_paths(self._reverse, concept).items()
                if nodes[ancestor].get("kind") in LEVER_KINDS
            }
        return found

    def term(self, iri: str) -> Term:
        """``iri`` with its label in the context's language (its local name if it has none)."""
        found = self._terms.get(iri)
        if found is None:
            label = self.labels.get(iri, local_name(iri))
            found = self._terms[iri] = Term(iri, label)
        return found

    def terms(self, iris: tuple[str, ...]) -> tuple[Term, ...]:
        """Several IRIs as terms."""
        return tuple(self.term(iri) for iri in iris)

    def chains(self, concept: str) -> tuple[CausalChain[Term], ...]:
        """The strongest causal chains from ``concept`` to each target outcome, labelled."""
        found = self._chains.get(concept)
        if found is None:
            found = self._chains[concept] = tuple(
                CausalChain(
                    target=self.term(chain.target),
                    path=self.terms(chain.path),
                    strength=round(chain.strength, 3),
                    sign=chain.sign,
                )
                for chain in self.impact.impact(concept).chains
            )
        return found

    def metric_term(self, metric_id: str) -> Term:
        """A metric by id, labelled in the context's language."""
        found = self._metric_terms.get(metric_id)
        if found is None:
            spec = self.catalogue[metric_id]
            found = self._metric_terms[metric_id] = Term(
                spec.iri, spec.labels.get(self.lang, metric_id)
            )
        return found
