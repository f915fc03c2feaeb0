"""Everything an assessment reads from the knowledge graph, gathered once per process."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, TypeVar

import networkx as nx
from pyoxigraph import Literal

from servicekg.assessment.consistency import ConsistencyCheck, read_checks
from servicekg.assessment.impact import ImpactModel
from servicekg.assessment.results import (
    CausalChain,
    CaveatNote,
    Link,
    RuleBasis,
    SourceQuote,
    Term,
)
from servicekg.assessment.root_cause import LEVER_KINDS, ancestor_paths, evidence_graph
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.graph.causal import causal_graph
from servicekg.graph.concepts import all_passages
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import local_name
from servicekg.rules import Rule, RuleBook, load_rules
from servicekg.rules.rule_graph import RULE

__all__ = ["AssessmentContext", "RulePlan"]

T = TypeVar("T")
_NONE = object()

_GROUNDS = "SELECT ?c ?p WHERE { ?c skg:restsOn ?p . ?p a skg:Passage } ORDER BY ?c ?p"


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
    caveats: tuple[CaveatNote, ...] = ()
    basis: RuleBasis | None = None


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
    grounds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    checks: list[ConsistencyCheck] = field(default_factory=list)

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
        grounds: dict[str, tuple[str, ...]] = {}
        for row in kb.select(_GROUNDS):
            grounds[row["c"]] = (*grounds.get(row["c"], ()), row["p"])
        checks = read_checks(kb, catalogue)
        return cls(
            lang, book, catalogue, graph, ImpactModel(graph), labels, passages, grounds, checks
        )

    def __post_init__(self) -> None:
        self._terms: dict[str, Term] = {}
        self._chains: dict[str, tuple[CausalChain[Term], ...]] = {}
        self._plans: dict[str, RulePlan] = {}
        self._metric_terms: dict[str, Term] = {}
        self._ancestors: dict[str, Mapping[str, Sequence[str]]] = {}
        self.evidence = evidence_graph(self.graph)
        self._reverse = self.evidence.reverse(copy=False)
        measured: dict[str, list[str]] = {}
        for spec in self.catalogue:
            for concept in spec.concepts:
                measured.setdefault(concept, []).append(spec.id)
        self.measured_by = {c: tuple(sorted(ids)) for c, ids in measured.items()}
        self._memo: dict[tuple[str, str], Any] = {}

    def cached(self, kind: str, key: str, compute: Callable[[], T]) -> T:
        """What ``compute`` gives, worked out once per run for ``(kind, key)``: what a finding
        says whatever the business (why a metric matters, whether a concept is upstream)."""
        found = self._memo.get((kind, key), _NONE)
        if found is _NONE:
            found = self._memo[kind, key] = compute()
        return found

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
                caveats=self._caveats(rule),
                basis=self._basis(rule),
            )
        return found

    def _caveats(self, rule: Rule) -> tuple[CaveatNote, ...]:
        """How the articles qualify ``rule``'s advice (``rule.caveats``; none if the rule
        files give none), each with its passage, in the context's language."""
        notes = []
        for caveat in getattr(rule, "caveats", ()) or ():
            passage = self.passages.get(caveat.passage)
            if passage is not None:
                notes.append(CaveatNote(_in(caveat.text, self.lang), passage))
        return tuple(notes)

    def _basis(self, rule: Rule) -> RuleBasis | None:
        """What ``rule``'s advice and threshold rest on (``rule.basis``), if the rule says."""
        basis = getattr(rule, "basis", None)
        if basis is None:
            return None
        return RuleBasis(basis.advice, basis.threshold, _in(basis.note or {}, self.lang))

    def kind(self, iri: str) -> str | None:
        """The concept class of ``iri`` (``None`` if the graph does not know it)."""
        node = self.graph.nodes.get(iri)
        return None if node is None else node.get("kind")

    def quotes(self, passages: Sequence[str]) -> tuple[SourceQuote, ...]:
        """The passages known to the graph, as quotes, in the order given, once each."""
        return tuple(self.passages[p] for p in dict.fromkeys(passages) if p in self.passages)

    def grounding(self, concept: str) -> tuple[SourceQuote, ...]:
        """The passages ``concept`` rests on (``skg:restsOn``)."""
        return self.quotes(self.grounds.get(concept, ()))

    def links(self, path: Sequence[str]) -> tuple[Link, ...]:
        """Each causal relation along ``path`` (concept IRIs), with its passages."""
        return self.cached("links", " ".join(path), lambda: self._links(path))

    def _links(self, path: Sequence[str]) -> tuple[Link, ...]:
        found = []
        for a, b in pairwise(path):
            edge = self.graph.edges[a, b]
            found.append(
                Link(
                    source=self.term(a),
                    target=self.term(b),
                    relation=edge["relation"],
                    sign=edge["sign"],
                    passages=self.quotes(edge["passages"]),
                    basis=edge.get("basis"),
                )
            )
        return tuple(found)

    def ancestors(self, concept: str) -> Mapping[str, Sequence[str]]:
        """The causal ancestors of ``concept`` that could be a root cause (of a
        :data:`~servicekg.assessment.root_cause.LEVER_KINDS` class), within the root-cause
        distance, through relations that rest on passages
        (:func:`~servicekg.assessment.root_cause.evidence_graph`), with their chains
        (:func:`~servicekg.assessment.root_cause.ancestor_paths`); kept once asked."""
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


def _in(texts: Mapping[str, str], lang: str) -> str:
    """The text in ``lang``, or in English, or empty."""
    return texts.get(lang) or texts.get("en") or ""
