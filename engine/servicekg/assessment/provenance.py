"""Writing assessments back into the knowledge graph with PROV-O, so SPARQL can query them.

Per business: one ``skg:Assessment`` (a ``prov:Activity``) that ``prov:used`` the business's
observations; each recommendation a ``skg:Recommendation`` (``prov:Entity``)
``prov:wasGeneratedBy`` the assessment, ``skg:forBusiness`` the business, ``skg:firedRule`` the
rule, ``skg:addresses`` the rule's concept, with its ``skg:rank``, ``skg:score`` and
``skg:scoreReason``, ``prov:wasDerivedFrom`` the observations it used and its ``skg:rootCause``
if one was found; each rule it could not judge a ``skg:Unjudged`` (``prov:wasGeneratedBy`` the
assessment, ``skg:aboutRule``) with the metrics that would decide it (``skg:missingMetric``).
Everything goes into the graph ``GRAPH.assessments``.

What a recommendation says whatever the business is its rule's, in the rules graph, in every
language: its title (``?rec skg:firedRule/rdfs:label``), its text
(``skg:firedRule/skg:recommendationText``), its principles (``skg:firedRule/skg:restsOnPrinciple``)
and passages (``skg:firedRule/skg:restsOn``). An unjudged rule's business is its assessment's
(``prov:wasGeneratedBy/skg:assessedBusiness``).
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox

from servicekg.assessment.results import AssessmentReport, BusinessAssessment
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import BASE, GRAPH, SKG, local_name

__all__ = ["ASSESSMENT", "business_nquads", "write_assessments"]

ASSESSMENT = BASE + "assessment/"
_PROV = "http://www.w3.org/ns/prov#"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _iri(iri: str) -> str:
    """An IRI in N-Quads, checked."""
    return str(ox.NamedNode(iri))


_G = _iri(str(GRAPH.assessments))
_TYPE = _iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_COMMENT = _iri("http://www.w3.org/2000/01/rdf-schema#comment")
_USED = _iri(_PROV + "used")
_ENDED = _iri(_PROV + "endedAtTime")
_GENERATED_BY = _iri(_PROV + "wasGeneratedBy")
_DERIVED_FROM = _iri(_PROV + "wasDerivedFrom")
_ASSESSMENT_CLASS = _iri(str(SKG.Assessment))
_RECOMMENDATION = _iri(str(SKG.Recommendation))
_UNJUDGED = _iri(str(SKG.Unjudged))
_ASSESSED = _iri(str(SKG.assessedBusiness))
_FOR_BUSINESS = _iri(str(SKG.forBusiness))
_FIRED_RULE = _iri(str(SKG.firedRule))
_ADDRESSES = _iri(str(SKG.addresses))
_RANK = _iri(str(SKG.rank))
_SCORE = _iri(str(SKG.score))
_SCORE_REASON = _iri(str(SKG.scoreReason))
_ROOT_CAUSE = _iri(str(SKG.rootCause))
_ABOUT_RULE = _iri(str(SKG.aboutRule))
_MISSING = _iri(str(SKG.missingMetric))
_INTEGER = _iri(_XSD + "integer")
_DECIMAL = _iri(_XSD + "decimal")

_END = f" {_G} .\n"
"""What closes a statement in the assessments graph."""
_IRI_END = ">" + _END


def business_nquads(business: BusinessAssessment, generated_at: str) -> str:
    """The PROV-O description of one business's assessment as N-Quads text in
    ``GRAPH.assessments`` (a store loads it without a Python object per quad).

    It holds no text in any language: titles and texts are the fired rules', in the rules
    graph in every language.

    >>> from servicekg.assessment.results import BusinessAssessment
    >>> text = business_nquads(
    ...     BusinessAssessment("kiosk", "https://w3id.org/servicekg/business/kiosk", None, None, 0),
    ...     "2026-11-30T12:00:00+00:00")
    >>> print(text.splitlines()[1])  # doctest: +NORMALIZE_WHITESPACE
    <https://w3id.org/servicekg/assessment/kiosk> <https://w3id.org/servicekg/ns#assessedBusiness>
    <https://w3id.org/servicekg/business/kiosk> <https://w3id.org/servicekg/graph/assessments> .
    """
    prefix = f"<{ASSESSMENT}{quote(business.business, safe='')}"
    activity = prefix + ">"
    subject = f"<{business.iri}>"
    parts = [
        activity.join(
            (
                "",
                _ACTIVITY_TYPE,
                f" {_ASSESSED} {subject}{_END}",
                f" {_ENDED} {_when(generated_at)}{_END}",
                *[_USED_HEAD + o + _IRI_END for o in business.used_observations],
            )
        )
    ]
    if business.error:
        parts.append(f"{activity} {_COMMENT} {ox.Literal(business.error)}{_END}")
    prefix += "/"
    generated_by = f" {_GENERATED_BY} {activity}{_END}"
    for_business = f" {_FOR_BUSINESS} {subject}{_END}"
    for rec in business.recommendations:
        node, fired, addresses = _recommendation(rec.rule.iri, rec.addresses.iri)
        tails = [
            "",
            _RECOMMENDATION_TYPE,
            generated_by,
            for_business,
            fired,
            addresses,
            f' {_RANK} "{rec.rank}"^^{_INTEGER}{_END}',
            f' {_SCORE} "{rec.score:.1f}"^^{_DECIMAL}{_END}',
            f" {_SCORE_REASON} {_string(rec.reason.text())}{_END}",
            *[_DERIVED_HEAD + e.observation + _IRI_END for e in rec.evidence],
        ]
        if rec.root_cause is not None:
            tails.append(f" {_ROOT_CAUSE} {_n(rec.root_cause.concept.iri)}{_END}")
        parts.append((prefix + node).join(tails))
    for number, unjudged in enumerate(business.unjudged, start=1):
        parts.append(
            f"{prefix}unjudged-{number}>".join(
                (
                    "",
                    _UNJUDGED_TYPE,
                    generated_by,
                    _about(unjudged.rule.iri),
                    *[_missing(m.iri) for m in unjudged.missing_metrics],
                )
            )
        )
    return "".join(parts)


_ACTIVITY_TYPE = f" {_TYPE} {_ASSESSMENT_CLASS}{_END}"
_RECOMMENDATION_TYPE = f" {_TYPE} {_RECOMMENDATION}{_END}"
_UNJUDGED_TYPE = f" {_TYPE} {_UNJUDGED}{_END}"
_USED_HEAD = f" {_USED} <"
_DERIVED_HEAD = f" {_DERIVED_FROM} <"


@lru_cache(maxsize=4096)
def _recommendation(rule: str, addresses: str) -> tuple[str, str, str]:
    """What a recommendation of ``rule`` has whatever the business: the last segment of its
    node (after the business's), and its statements of the rule and of what it addresses
    (each without its subject): worked out once per rule, not once per business."""
    return (
        quote(local_name(rule), safe="") + ">",
        f" {_FIRED_RULE} {_n(rule)}{_END}",
        f" {_ADDRESSES} {_n(addresses)}{_END}",
    )


@lru_cache(maxsize=4096)
def _about(rule: str) -> str:
    """`` skg:aboutRule <rule> graph .``: an unjudged node's statement of its rule."""
    return f" {_ABOUT_RULE} {_n(rule)}{_END}"


@lru_cache(maxsize=4096)
def _missing(metric: str) -> str:
    """`` skg:missingMetric <metric> graph .``: an unjudged node's statement of a metric."""
    return f" {_MISSING} {_n(metric)}{_END}"


@lru_cache(maxsize=65536)
def _n(iri: str) -> str:
    """An IRI in N-Quads, checked once for IRIs that recur (rules, metrics, concepts)."""
    return _iri(iri)


def _string(text: str) -> str:
    """A plain string literal in N-Quads, tagged English (score reasons)."""
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        return str(ox.Literal(text, language="en"))
    return f'"{text}"@en'


@lru_cache(maxsize=16)
def _when(generated_at: str) -> str:
    return str(ox.Literal(generated_at, datatype=ox.NamedNode(_XSD + "dateTime")))


def write_assessments(kb: KnowledgeBase, report: AssessmentReport) -> int:
    """Replace the assessments graph with ``report``'s; returns the number of quads written.

    The quads go to the store as N-Quads text a chunk of businesses at a time, and replace the
    graph in one swap (a reader or a killed process sees the old graph or the new).
    """
    chunks = (
        "".join(
            business_nquads(b, report.generated_at)
            for b in report.businesses[start : start + _CHUNK]
        ).encode()
        for start in range(0, len(report.businesses), _CHUNK)
    )
    return kb.replace_graphs_nquads([GRAPH.assessments], chunks)


_CHUNK = 500
