"""Writing assessments back into the knowledge graph with PROV-O, so SPARQL can query them.

Per business: one ``skg:Assessment`` (a ``prov:Activity``) that ``prov:used`` the business's
observations; each recommendation a ``skg:Recommendation`` (``prov:Entity``)
``prov:wasGeneratedBy`` the assessment, ``prov:wasDerivedFrom`` the observations it used and
(``skg:firedRule``) the rule; each rule it could not judge a ``skg:Unjudged`` with the metrics
that would decide it. Everything goes into the graph ``GRAPH.assessments``.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

import pyoxigraph as ox

from servicekg.assessment.model import AssessmentReport, BusinessAssessment
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import BASE, GRAPH, SKG

__all__ = ["ASSESSMENT", "assessment_quads", "write_assessments"]

ASSESSMENT = BASE + "assessment/"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
_PROV = "http://www.w3.org/ns/prov#"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def assessment_quads(report: AssessmentReport) -> Iterable[ox.Quad]:
    """The PROV-O description of every assessment of ``report``."""
    graph = _n(GRAPH.assessments)
    when = ox.Literal(report.generated_at, datatype=_n(_XSD + "dateTime"))
    for business in report.businesses:
        yield from _business_quads(business, report.language, when, graph)


def _business_quads(
    business: BusinessAssessment, lang: str, when: ox.Literal, graph: ox.NamedNode
) -> Iterable[ox.Quad]:
    key = quote(business.business, safe="")
    activity = _n(f"{ASSESSMENT}{key}")
    subject = _n(business.iri)

    def q(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(s, _n(p), o, graph)

    yield q(activity, str(_RDF_TYPE.value), _n(SKG.Assessment))
    yield q(activity, str(SKG.assessedBusiness), subject)
    yield q(activity, _PROV + "endedAtTime", when)
    for metric_obs in business.used_observations:
        yield q(activity, _PROV + "used", _n(metric_obs))
    if business.error:
        yield q(
            activity, "http://www.w3.org/2000/01/rdf-schema#comment", ox.Literal(business.error)
        )
    for rec in business.recommendations:
        node = _n(f"{ASSESSMENT}{key}/{quote(rec.rule.iri.rsplit('/', 1)[-1], safe='')}")
        yield q(node, str(_RDF_TYPE.value), _n(SKG.Recommendation))
        yield q(node, _PROV + "wasGeneratedBy", activity)
        yield q(node, str(SKG.forBusiness), subject)
        yield q(node, str(SKG.firedRule), _n(rec.rule.iri))
        yield q(node, str(SKG.rank), ox.Literal(str(rec.rank), datatype=_n(_XSD + "integer")))
        yield q(node, str(SKG.score), ox.Literal(f"{rec.score:.1f}", datatype=_n(_XSD + "decimal")))
        yield q(node, str(SKG.scoreReason), ox.Literal(rec.reason.text(), language="en"))
        yield q(node, str(_LABEL.value), ox.Literal(rec.title, language=lang))
        yield q(node, str(SKG.recommendationText), ox.Literal(rec.text, language=lang))
        yield q(node, str(SKG.addresses), _n(rec.addresses.iri))
        for principle in rec.principles:
            yield q(node, str(SKG.principle), _n(principle.iri))
        for source in rec.sources:
            yield q(node, str(SKG.restsOn), _n(source.passage))
        for evidence in rec.evidence:
            yield q(node, _PROV + "wasDerivedFrom", _n(evidence.observation))
        if rec.root_cause is not None:
            yield q(node, str(SKG.rootCause), _n(rec.root_cause.concept.iri))
    for number, unjudged in enumerate(business.unjudged, start=1):
        node = _n(f"{ASSESSMENT}{key}/unjudged-{number}")
        yield q(node, str(_RDF_TYPE.value), _n(SKG.Unjudged))
        yield q(node, str(SKG.forBusiness), subject)
        yield q(node, str(SKG.aboutRule), _n(unjudged.rule.iri))
        yield q(node, _PROV + "wasGeneratedBy", activity)
        for metric in unjudged.missing_metrics:
            yield q(node, str(SKG.missingMetric), _n(metric.iri))


def write_assessments(kb: KnowledgeBase, report: AssessmentReport) -> int:
    """Replace the assessments graph with ``report``'s, in one transaction; returns the count."""
    quads = list(assessment_quads(report))
    graph = _n(GRAPH.assessments)
    if graph in set(kb.store.named_graphs()):
        kb.store.remove_graph(graph)
    kb.store.extend(quads)
    return len(quads)
