"""Writing assessments back into the knowledge graph with PROV-O, so SPARQL can query them.

Per business: one ``skg:Assessment`` (a ``prov:Activity``) that ``prov:used`` the business's
observations; each recommendation a ``skg:Recommendation`` (``prov:Entity``)
``prov:wasGeneratedBy`` the assessment, ``prov:wasDerivedFrom`` the observations it used and
(``skg:firedRule``) the rule; each rule it could not judge a ``skg:Unjudged`` with the metrics
that would decide it. Everything goes into the graph ``GRAPH.assessments``.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox

from servicekg.assessment.model import AssessmentReport, BusinessAssessment, SourceQuote, Term
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import BASE, GRAPH, SKG

__all__ = ["ASSESSMENT", "business_nquads", "write_assessments"]

ASSESSMENT = BASE + "assessment/"
_PROV = "http://www.w3.org/ns/prov#"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _iri(iri: str) -> str:
    return str(ox.NamedNode(iri))


_TYPE = _iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_P = {
    name: _iri(iri)
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
_INTEGER = _iri(_XSD + "integer")
_DECIMAL = _iri(_XSD + "decimal")
_GRAPH = _iri(str(GRAPH.assessments))


@lru_cache(maxsize=65536)
def _n(iri: str) -> str:
    """An IRI in N-Quads, checked once for IRIs that recur (rules, metrics, concepts, passages)."""
    return _iri(iri)


def _literal(text: str, lang: str | None = None) -> str:
    """A literal in N-Quads."""
    return str(ox.Literal(text, language=lang))


@lru_cache(maxsize=4096)
def _text(text: str, lang: str | None = None) -> str:
    """A literal in N-Quads, kept for texts that recur (titles, recommendations; not texts
    that change with every business, which would only fill the cache)."""
    return _literal(text, lang)


def business_nquads(business: BusinessAssessment, lang: str, generated_at: str) -> str:
    """The PROV-O description of one business's assessment as N-Quads text in
    ``GRAPH.assessments`` (a store loads it without a Python object per quad)."""
    key = quote(business.business, safe="")
    activity = f"<{ASSESSMENT}{key}>"
    subject = f"<{business.iri}>"
    p, g = _P, _GRAPH
    lines = [
        f"{activity} {_TYPE} {p['Assessment']} {g} .\n",
        f"{activity} {p['assessed']} {subject} {g} .\n",
        f"{activity} {p['ended']} {_when(generated_at)} {g} .\n",
    ]
    used = p["used"]
    lines += [f"{activity} {used} <{o}> {g} .\n" for o in business.used_observations]
    if business.error:
        lines.append(f"{activity} {p['comment']} {_literal(business.error)} {g} .\n")
    for rec in business.recommendations:
        rule = rec.rule.iri
        node = f"<{ASSESSMENT}{key}/{quote(rule.rsplit('/', 1)[-1], safe='')}>"
        static = _rule_lines(
            rule, lang, rec.title, rec.text, rec.addresses, rec.principles, rec.sources
        )
        lines += [
            f"{node} {_TYPE} {p['Recommendation']} {g} .\n",
            f"{node} {p['generated_by']} {activity} {g} .\n",
            f"{node} {p['for_business']} {subject} {g} .\n",
            f'{node} {p["rank"]} "{rec.rank}"^^{_INTEGER} {g} .\n',
            f'{node} {p["score"]} "{rec.score:.1f}"^^{_DECIMAL} {g} .\n',
            f"{node} {p['score_reason']} {_literal(rec.reason.text(), 'en')} {g} .\n",
            static.replace(_NODE, node),
        ]
        derived = p["derived_from"]
        lines += [f"{node} {derived} <{e.observation}> {g} .\n" for e in rec.evidence]
        if rec.root_cause is not None:
            lines.append(f"{node} {p['root_cause']} {_n(rec.root_cause.concept.iri)} {g} .\n")
    for number, unjudged in enumerate(business.unjudged, start=1):
        node = f"<{ASSESSMENT}{key}/unjudged-{number}>"
        lines += [
            f"{node} {_TYPE} {p['Unjudged']} {g} .\n",
            f"{node} {p['for_business']} {subject} {g} .\n",
            f"{node} {p['about_rule']} {_n(unjudged.rule.iri)} {g} .\n",
            f"{node} {p['generated_by']} {activity} {g} .\n",
        ]
        missing = p["missing"]
        lines += [f"{node} {missing} {_n(m.iri)} {g} .\n" for m in unjudged.missing_metrics]
    return "".join(lines)


_NODE = "\x00"
"""Where a recommendation's node goes in :func:`_rule_lines` (no IRI or literal holds it)."""


@lru_cache(maxsize=4096)
def _rule_lines(
    rule: str,
    lang: str,
    title: str,
    text: str,
    addresses: Term,
    principles: tuple[Term, ...],
    sources: tuple[SourceQuote, ...],
) -> str:
    """The lines of a recommendation that depend only on its rule, its node left as
    :data:`_NODE` (worked out once per rule rather than once per business)."""
    p, g = _P, _GRAPH
    lines = [
        f"{_NODE} {p['fired_rule']} {_n(rule)} {g} .\n",
        f"{_NODE} {p['label']} {_text(title, lang)} {g} .\n",
        f"{_NODE} {p['text']} {_text(text, lang)} {g} .\n",
        f"{_NODE} {p['addresses']} {_n(addresses.iri)} {g} .\n",
    ]
    lines += [f"{_NODE} {p['principle']} {_n(t.iri)} {g} .\n" for t in principles]
    lines += [f"{_NODE} {p['rests_on']} {_n(s.passage)} {g} .\n" for s in sources]
    return "".join(lines)


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
            business_nquads(b, report.language, report.generated_at)
            for b in report.businesses[start : start + _CHUNK]
        ).encode()
        for start in range(0, len(report.businesses), _CHUNK)
    )
    return kb.replace_graphs_nquads([GRAPH.assessments], chunks)


_CHUNK = 500
