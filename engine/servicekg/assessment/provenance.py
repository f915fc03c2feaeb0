"""Writing assessments back into the knowledge graph with PROV-O, so SPARQL can query them.

Per business: one ``skg:Assessment`` (a ``prov:Activity``) that ``prov:used`` the business's
observations; each recommendation a ``skg:Recommendation`` (``prov:Entity``)
``prov:wasGeneratedBy`` the assessment, ``prov:wasDerivedFrom`` the observations it used and
(``skg:firedRule``) the rule; each rule it could not judge a ``skg:Unjudged`` with the metrics
that would decide it. Everything goes into the graph ``GRAPH.assessments``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox

from servicekg.assessment.model import AssessmentReport, BusinessAssessment
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import BASE, GRAPH, SKG

__all__ = ["ASSESSMENT", "assessment_quads", "write_assessments"]

ASSESSMENT = BASE + "assessment/"
_PROV = "http://www.w3.org/ns/prov#"
_XSD = "http://www.w3.org/2001/XMLSchema#"


_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_P = {
    name: ox.NamedNode(iri)
    for name, iri in {
        "label": "http://www.w3.org/2000/01/rdf-schema#label",
        "comment": "http://www.w3.org/2000/01/rdf-schema#comment",
        "used": _PROV + "used",
        "ended": _PROV + "endedAtTime",
        "generated_by": _PROV + "wasGeneratedBy",
        "derived_from": _PROV + "wasDerivedFrom",
        "Assessment": str(SKG.Assessment),
        "Recommendation": str(SKG.Recommendation),
        "Unjudged": str(SKG.Unjudged),
        "assessed": str(SKG.assessedBusiness),
        "for_business": str(SKG.forBusiness),
        "fired_rule": str(SKG.firedRule),
        "rank": str(SKG.rank),
        "score": str(SKG.score),
        "score_reason": str(SKG.scoreReason),
        "text": str(SKG.recommendationText),
        "addresses": str(SKG.addresses),
        "principle": str(SKG.principle),
        "rests_on": str(SKG.restsOn),
        "root_cause": str(SKG.rootCause),
        "about_rule": str(SKG.aboutRule),
        "missing": str(SKG.missingMetric),
    }.items()
}
_INTEGER = ox.NamedNode(_XSD + "integer")
_DECIMAL = ox.NamedNode(_XSD + "decimal")


@lru_cache(maxsize=65536)
def _n(iri: str) -> ox.NamedNode:
    """A named node, shared for IRIs that recur (rules, metrics, concepts, passages)."""
    return ox.NamedNode(iri)


def assessment_quads(report: AssessmentReport) -> Iterable[ox.Quad]:
    """The PROV-O description of every assessment of ``report``."""
    graph = _n(str(GRAPH.assessments))
    when = ox.Literal(report.generated_at, datatype=ox.NamedNode(_XSD + "dateTime"))
    for business in report.businesses:
        yield from _business_quads(business, report.language, when, graph)


def _business_quads(
    business: BusinessAssessment, lang: str, when: ox.Literal, graph: ox.NamedNode
) -> Iterable[ox.Quad]:
    key = quote(business.business, safe="")
    activity = ox.NamedNode(f"{ASSESSMENT}{key}")
    subject = ox.NamedNode(business.iri)
    p, quad = _P, ox.Quad
    yield quad(activity, _TYPE, p["Assessment"], graph)
    yield quad(activity, p["assessed"], subject, graph)
    yield quad(activity, p["ended"], when, graph)
    for observation in business.used_observations:
        yield quad(activity, p["used"], ox.NamedNode(observation), graph)
    if business.error:
        yield quad(activity, p["comment"], ox.Literal(business.error), graph)
    for rec in business.recommendations:
        node = ox.NamedNode(f"{ASSESSMENT}{key}/{quote(rec.rule.iri.rsplit('/', 1)[-1], safe='')}")
        yield quad(node, _TYPE, p["Recommendation"], graph)
        yield quad(node, p["generated_by"], activity, graph)
        yield quad(node, p["for_business"], subject, graph)
        yield quad(node, p["fired_rule"], _n(rec.rule.iri), graph)
        yield quad(node, p["rank"], ox.Literal(str(rec.rank), datatype=_INTEGER), graph)
        yield quad(node, p["score"], ox.Literal(f"{rec.score:.1f}", datatype=_DECIMAL), graph)
        yield quad(node, p["score_reason"], ox.Literal(rec.reason.text(), language="en"), graph)
        yield quad(node, p["label"], ox.Literal(rec.title, language=lang), graph)
        yield quad(node, p["text"], ox.Literal(rec.text, language=lang), graph)
        yield quad(node, p["addresses"], _n(rec.addresses.iri), graph)
        for principle in rec.principles:
            yield quad(node, p["principle"], _n(principle.iri), graph)
        for source in rec.sources:
            yield quad(node, p["rests_on"], _n(source.passage), graph)
        for evidence in rec.evidence:
            yield quad(node, p["derived_from"], ox.NamedNode(evidence.observation), graph)
        if rec.root_cause is not None:
            yield quad(node, p["root_cause"], _n(rec.root_cause.concept.iri), graph)
    for number, unjudged in enumerate(business.unjudged, start=1):
        node = ox.NamedNode(f"{ASSESSMENT}{key}/unjudged-{number}")
        yield quad(node, _TYPE, p["Unjudged"], graph)
        yield quad(node, p["for_business"], subject, graph)
        yield quad(node, p["about_rule"], _n(unjudged.rule.iri), graph)
        yield quad(node, p["generated_by"], activity, graph)
        for metric in unjudged.missing_metrics:
            yield quad(node, p["missing"], _n(metric.iri), graph)


def write_assessments(kb: KnowledgeBase, report: AssessmentReport) -> int:
    """Replace the assessments graph with ``report``'s, in one transaction; returns the count.

    The quads are streamed into the store, never held in a list (they are the bulk of a run).
    """
    return kb.replace_graph(GRAPH.assessments, assessment_quads(report))
