"""Assessments read back from a store: those that ``assess --store`` wrote (PROV-O, graph
``GRAPH.assessments``), without assessing again, as the same result types a fresh run gives
(:class:`~servicekg.assessment.results.BusinessAssessment`), so that one renderer serves both.

Each recommendation comes with the facts it was derived from, the rule that fired, the root
cause and the score's reason, as written; its title, text, principles and quoted sources are
the fired rule's (the rules graph the same run wrote), in the language asked for. What the
store does not keep is left empty: the chains behind the score, the units of the facts, the
count of observations, and whether a root cause was observed. Rules set aside are read back
with their exception or principle and its passages; strengths, causes to check and
data-quality findings are not stored.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from servicekg.assessment.results import (
    BusinessAssessment,
    Evidence,
    Recommendation,
    RootCauseFinding,
    ScoreReason,
    SetAside,
    SourceQuote,
    Term,
)
from servicekg.errors import InputError, UnknownTermError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import local_name

__all__ = ["stored_assessment"]

_BUSINESS = """
SELECT ?business ?name ?sector WHERE {
  ?assessment a skg:Assessment ; skg:assessedBusiness ?business .
  ?business schema:identifier ?id .
  OPTIONAL { ?business schema:name ?name }
  OPTIONAL { ?business schema:additionalType ?sector }
}"""

_RECOMMENDATIONS = """
SELECT ?rec ?rank ?score ?title ?text ?rule ?reason ?severity ?addresses ?cause ?root WHERE {
  ?rec a skg:Recommendation ; skg:forBusiness ?business ; skg:rank ?rank ; skg:score ?score ;
       skg:firedRule ?rule ; skg:scoreReason ?reason .
  OPTIONAL { ?rec skg:addresses ?addresses }
  OPTIONAL { ?rule rdfs:label ?title FILTER(lang(?title) = ?lang) }
  OPTIONAL { ?rule skg:recommendationText ?text FILTER(lang(?text) = ?lang) }
  OPTIONAL { ?rule skg:severity ?severity }
  OPTIONAL { ?rec skg:rootCause ?cause . ?cause skos:prefLabel ?root FILTER(lang(?root) = ?lang) }
} ORDER BY ?rank"""

_FACTS = """
SELECT ?observation ?metric ?value ?when ?source WHERE {
  ?rec prov:wasDerivedFrom ?observation .
  ?observation sosa:observedProperty ?property ; sosa:hasSimpleResult ?value .
  OPTIONAL { ?property skg:metricId ?id }
  BIND(COALESCE(?id, STR(?property)) AS ?metric)
  OPTIONAL { ?observation sosa:resultTime ?when }
  OPTIONAL { ?observation dcterms:source ?source }
} ORDER BY ?metric"""

_PRINCIPLES = """
SELECT DISTINCT ?principle ?label WHERE {
  ?rule skg:restsOnPrinciple ?principle .
  ?principle skos:prefLabel ?label FILTER(lang(?label) = ?lang)
} ORDER BY ?label"""

_SOURCES = """
SELECT ?passage ?quote ?language ?rendering ?article WHERE {
  ?rule skg:restsOn ?passage .
  ?passage skg:quote ?quote .
  BIND(LANG(?quote) AS ?language)
  OPTIONAL { ?passage skg:rendering ?rendering FILTER (LANG(?rendering) = "en") }
  OPTIONAL {
    ?passage dcterms:isPartOf ?work . ?work dcterms:title ?article FILTER(lang(?article) = "en")
  }
}"""

_SET_ASIDE = """
SELECT ?node ?rule ?title ?reason ?label ?exception WHERE {
  ?node a skg:SetAside ; prov:wasGeneratedBy/skg:assessedBusiness ?business ;
        skg:setAsideRule ?rule ; skg:setAsideBy ?reason .
  OPTIONAL { ?rule rdfs:label ?title FILTER(lang(?title) = ?lang) }
  OPTIONAL { ?reason skos:prefLabel ?label FILTER(lang(?label) = ?lang) }
  BIND(EXISTS { ?reason a skg:ServiceException } AS ?exception)
} ORDER BY ?rule"""

_GROUNDS = """
SELECT ?passage ?quote ?language ?rendering ?article WHERE {
  ?concept skg:restsOn ?passage .
  ?passage skg:quote ?quote .
  BIND(LANG(?quote) AS ?language)
  OPTIONAL { ?passage skg:rendering ?rendering FILTER(lang(?rendering) = "en") }
  OPTIONAL {
    ?passage dcterms:isPartOf ?work . ?work dcterms:title ?article FILTER(lang(?article) = "en")
  }
} ORDER BY ?passage"""

REASON_PATTERN = re.compile(
    r"^severity (\S+) \(([-\d.e]+)\) x impact ([-\d.e]+) x \(0\.5 \+ gap ([-\d.e]+) / 2\)$"
)
""":meth:`ScoreReason.text` as written, read back."""


def stored_assessment(kb: KnowledgeBase, business: str, lang: str = "en") -> BusinessAssessment:
    """The stored assessment of ``business`` (its identifier) with its ranked recommendations,
    texts and labels in ``lang``; raises :class:`UnknownTermError` naming the assessed
    businesses."""
    found = kb.select(_BUSINESS, id=ox.Literal(business))
    if not found:
        known = sorted({r["id"] for r in kb.select(_BUSINESS.replace("?business ?name", "?id"))})
        raise UnknownTermError("assessed business", business, known)
    subject = found[0]["business"]
    result = BusinessAssessment(
        business=business,
        iri=subject,
        name=found[0].get("name"),
        sector=found[0].get("sector"),
        observations=0,
    )
    language = ox.Literal(lang)
    for row in kb.select(_RECOMMENDATIONS, business=ox.NamedNode(subject), lang=language):
        result.recommendations.append(_recommendation(kb, business, row, language))
    for row in kb.select(_SET_ASIDE, business=ox.NamedNode(subject), lang=language):
        result.set_aside.append(_set_aside(kb, row))
    return result


def _set_aside(kb: KnowledgeBase, row: dict[str, object]) -> SetAside:
    """A rule set aside as written: the rule, the exception or principle and its passages, and
    the facts it read; which sectors the rule is for is not kept."""
    rule, reason = str(row["rule"]), str(row["reason"])
    return SetAside(
        rule=Term(rule, str(row.get("title", local_name(rule)))),
        title=str(row.get("title", local_name(rule))),
        kind="exception" if row.get("exception") is True else "sector",
        reason=Term(reason, str(row.get("label", local_name(reason)))),
        evidence=_facts(kb, ox.NamedNode(str(row["node"]))),
        passages=_quotes(kb.select(_GROUNDS, concept=ox.NamedNode(reason))),
    )


def _facts(kb: KnowledgeBase, node: ox.NamedNode) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(
            metric=local_name(f["metric"]),
            label=local_name(f["metric"]),
            value=f["value"] if isinstance(f["value"], bool) else float(f["value"]),
            unit="",
            observation=f["observation"],
            observed_at=str(f["when"]) if "when" in f else None,
            source=f.get("source"),
        )
        for f in kb.select(_FACTS, rec=node)
    )


def _quotes(rows: list[dict[str, Any]]) -> tuple[SourceQuote, ...]:
    return tuple(
        SourceQuote(
            passage=s["passage"],
            article=s.get("article", ""),
            section="",
            quote=s["quote"],
            quote_language=s.get("language", ""),
            rendering=s.get("rendering", ""),
        )
        for s in rows
    )


def _recommendation(
    kb: KnowledgeBase, business: str, row: dict[str, object], language: ox.Literal
) -> Recommendation:
    rec, rule = ox.NamedNode(str(row["rec"])), ox.NamedNode(str(row["rule"]))
    rule_id = local_name(rule.value)
    severity = _severity(row.get("severity"))  # type: ignore[arg-type]
    root = None
    if "cause" in row:
        concept = Term(str(row["cause"]), str(row.get("root", local_name(str(row["cause"])))))
        root = RootCauseFinding(concept, observed=False, explains=(), chains=())
    addresses = str(row.get("addresses", ""))
    return Recommendation(
        id=f"{business}/{rule_id}",
        business=business,
        rank=int(str(row["rank"])),
        score=float(str(row["score"])),
        title=str(row.get("title", rule_id)),
        text=str(row.get("text", "")),
        rule=Term(rule.value, rule_id),
        severity=severity or "",
        addresses=Term(addresses, local_name(addresses)),
        principles=tuple(
            Term(p["principle"], p["label"])
            for p in kb.select(_PRINCIPLES, rule=rule, lang=language)
        ),
        evidence=_facts(kb, rec),
        sources=_quotes(kb.select(_SOURCES, rule=rule)),
        reason=_reason(str(row["reason"]), rec.value),
        root_cause=root,
    )


def _reason(text: str, rec: str) -> ScoreReason:
    found = REASON_PATTERN.match(text)
    if found is None:
        raise InputError(f"<{rec}>: a score reason this version cannot read: {text!r}")
    severity, weight, impact, distance = found.groups()
    return ScoreReason(severity, float(weight), float(impact), float(distance), chains=())


def _severity(iri: str | None) -> str | None:
    """``skg:HighSeverity`` as ``high``."""
    return local_name(iri).removesuffix("Severity").lower() if iri else None
