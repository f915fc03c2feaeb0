"""Rules in the knowledge graph, so that SPARQL can ask which rules rest on which principle.

Each rule becomes a ``skg:Rule`` named ``rule:<id>`` in the graph :data:`RULES_GRAPH`, with its
titles (``rdfs:label``) and recommendations in three languages, its severity, the concept it
addresses, the principles and passages it rests on, the metrics it reads, the benchmarks its
thresholds come from, its condition in words and the file it was written in. The vocabulary is
declared in ``ontology/rules-vocabulary.ttl``.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import BASE, GRAPH, LANGUAGES, METRIC, SKG
from servicekg.resources import data_root
from servicekg.rules.conditions import describe, iter_comparisons
from servicekg.rules.rulebook import Rule, RuleBook

__all__ = [
    "BASIS_INDIVIDUALS",
    "RULE",
    "RULES_GRAPH",
    "VOCABULARY",
    "add_rules_to_kb",
    "rule_iri",
    "rules_to_rdf",
]

RULES_GRAPH = ox.NamedNode(str(GRAPH.rules))
"""The named graph the rules are written to."""

RULE = BASE + "rule/"
"""Rules are named ``RULE + id``."""

VOCABULARY = (
    "Rule",
    "Severity",
    "LowSeverity",
    "MediumSeverity",
    "HighSeverity",
    "CriticalSeverity",
    "addresses",
    "restsOnPrinciple",
    "readsMetric",
    "exceptionMetric",
    "usesBenchmark",
    "severity",
    "recommendationText",
    "conditionText",
    "exceptionText",
    "rationale",
    "ruleFile",
    "thresholdBasis",
    "caveat",
    "Caveat",
    "caveatText",
)
"""The ``skg:`` terms of ``ontology/rules-vocabulary.ttl`` this module writes."""

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")
_REST_ON = ox.NamedNode(str(SKG.restsOn))
_IN_SECTOR = ox.NamedNode(str(SKG.appliesToSector))
_BASIS = ox.NamedNode(str(SKG.basis))
_BASIS_NOTE = ox.NamedNode(str(SKG.basisNote))
BASIS_INDIVIDUALS = {
    "stated": ox.NamedNode(str(SKG.StatedByArticle)),
    "implied": ox.NamedNode(str(SKG.ImpliedByArticle)),
    "judgement": ox.NamedNode(str(SKG.OwnJudgement)),
}
"""The ``skg:Basis`` individual of each basis kind a rule file may write."""


def _skg(name: str) -> ox.NamedNode:
    if name not in VOCABULARY:
        raise AttributeError(f"term {name!r} is not in ontology/rules-vocabulary.ttl")
    return ox.NamedNode(str(SKG._NS) + name)


def rule_iri(rule: Rule | str) -> ox.NamedNode:
    """The IRI of a rule (or of the rule with that id)."""
    return ox.NamedNode(RULE + (rule if isinstance(rule, str) else rule.id))


def rules_to_rdf(rulebook: RuleBook) -> list[ox.Quad]:
    """Every rule of ``rulebook`` as quads in :data:`RULES_GRAPH`."""
    quads: list[ox.Quad] = []
    for rule in rulebook:
        quads.extend(_rule_quads(rule, rulebook.sectors))
    return quads


def _rule_quads(rule: Rule, sectors: dict[str, str]) -> list[ox.Quad]:
    subject = rule_iri(rule)
    quads: list[ox.Quad] = []

    def add(predicate: ox.NamedNode, obj: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(subject, predicate, obj, RULES_GRAPH))

    add(_RDF_TYPE, _skg("Rule"))
    add(_IDENTIFIER, ox.Literal(rule.id))
    for lang in LANGUAGES:
        add(_LABEL, ox.Literal(rule.title[lang], language=lang))
        add(_skg("recommendationText"), ox.Literal(rule.recommendation[lang], language=lang))
    add(_skg("severity"), _skg(f"{rule.severity.capitalize()}Severity"))
    add(_skg("addresses"), ox.NamedNode(rule.addresses))
    for principle in rule.principles:
        add(_skg("restsOnPrinciple"), ox.NamedNode(principle))
    for passage in rule.sources:
        add(_REST_ON, ox.NamedNode(passage))
    for metric in rule.metrics:
        add(_skg("readsMetric"), ox.NamedNode(str(METRIC[metric])))
    for metric in rule.exception_metrics:
        add(_skg("exceptionMetric"), ox.NamedNode(str(METRIC[metric])))
    for benchmark in _benchmarks(rule):
        add(_skg("usesBenchmark"), ox.NamedNode(benchmark))
    for code in sorted(rule.sectors or ()):
        add(_IN_SECTOR, ox.NamedNode(sectors[code]))
    add(_skg("conditionText"), ox.Literal(describe(rule.when)))
    if rule.unless is not None:
        add(_skg("exceptionText"), ox.Literal(describe(rule.unless)))
    if rule.rationale:
        add(_skg("rationale"), ox.Literal(rule.rationale, language="en"))
    add(_skg("ruleFile"), ox.Literal(_relative(rule.file)))
    if rule.basis is not None:
        add(_BASIS, BASIS_INDIVIDUALS[rule.basis.advice])
        if rule.basis.threshold is not None:
            add(_skg("thresholdBasis"), BASIS_INDIVIDUALS[rule.basis.threshold])
        for lang, text in rule.basis.note.items():
            add(_BASIS_NOTE, ox.Literal(text, language=lang))
    for index, caveat in enumerate(rule.caveats):
        node = ox.NamedNode(f"{subject.value}/caveat/{index + 1}")
        add(_skg("caveat"), node)
        quads.append(ox.Quad(node, _RDF_TYPE, _skg("Caveat"), RULES_GRAPH))
        quads.append(ox.Quad(node, _REST_ON, ox.NamedNode(caveat.passage), RULES_GRAPH))
        for lang, text in caveat.text.items():
            quads.append(
                ox.Quad(node, _skg("caveatText"), ox.Literal(text, language=lang), RULES_GRAPH)
            )
    return quads


def add_rules_to_kb(kb: KnowledgeBase, rulebook: RuleBook) -> int:
    """Replace the rules graph of ``kb`` with ``rulebook``'s rules; returns the triple count."""
    return kb.replace_graph(RULES_GRAPH, rules_to_rdf(rulebook))


def _benchmarks(rule: Rule) -> list[str]:
    found: list[str] = []
    for condition in (rule.when, rule.unless):
        if condition is None:
            continue
        for comparison in iter_comparisons(condition):
            if comparison.threshold is not None:
                found.extend(iri for _, iri in comparison.threshold.benchmarks if iri not in found)
    return found


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(data_root().resolve()).as_posix()
    except ValueError:
        return str(path)
