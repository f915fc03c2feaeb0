"""Explanations read back from a store: the assessments that ``assess --store`` wrote (PROV-O,
graph ``GRAPH.assessments``), without assessing again.

Each recommendation comes with the facts it was derived from, the rule that fired, the root
cause and the score's reason, as written; its title, text, principles and quoted sources are
the fired rule's (the rules graph the same run wrote), in the language asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from servicekg.errors import UnknownTermError
from servicekg.knowledge_base import KnowledgeBase

__all__ = ["StoredRecommendation", "explain_stored", "stored_recommendations"]

_BUSINESS = """
SELECT ?business ?name WHERE {
  ?assessment a skg:Assessment ; skg:assessedBusiness ?business .
  ?business schema:identifier ?id .
  OPTIONAL { ?business schema:name ?name }
}"""

_RECOMMENDATIONS = """
SELECT ?rec ?rank ?score ?title ?text ?rule ?reason ?severity ?root WHERE {
  ?rec a skg:Recommendation ; skg:forBusiness ?business ; skg:rank ?rank ; skg:score ?score ;
       skg:firedRule ?rule ; skg:scoreReason ?reason .
  OPTIONAL { ?rule rdfs:label ?title FILTER(lang(?title) = ?lang) }
  OPTIONAL { ?rule skg:recommendationText ?text FILTER(lang(?text) = ?lang) }
  OPTIONAL { ?rule skg:severity ?severity }
  OPTIONAL { ?rec skg:rootCause ?cause . ?cause skos:prefLabel ?root FILTER(lang(?root) = ?lang) }
} ORDER BY ?rank"""

_FACTS = """
SELECT ?metric ?value ?when ?source WHERE {
  ?rec prov:wasDerivedFrom ?observation .
  ?observation sosa:observedProperty ?property ; sosa:hasSimpleResult ?value .
  OPTIONAL { ?property skg:metricId ?id }
  BIND(COALESCE(?id, STR(?property)) AS ?metric)
  OPTIONAL { ?observation sosa:resultTime ?when }
  OPTIONAL { ?observation dcterms:source ?source }
} ORDER BY ?metric"""

_PRINCIPLES = """
SELECT DISTINCT ?label WHERE {
  ?rule skg:restsOnPrinciple ?principle .
  ?principle skos:prefLabel ?label FILTER(lang(?label) = ?lang)
} ORDER BY ?label"""

_SOURCES = """
SELECT ?quote ?rendering ?article WHERE {
  ?rule skg:restsOn ?passage .
  ?passage skg:quote ?quote .
  OPTIONAL { ?passage skg:rendering ?rendering FILTER (LANG(?rendering) = "en") }
  OPTIONAL {
    ?passage dcterms:isPartOf ?work . ?work dcterms:title ?article FILTER(lang(?article) = "en")
  }
}"""


@dataclass
class StoredRecommendation:
    """One recommendation as the store holds it."""

    rank: int
    score: float
    title: str
    text: str
    rule: str
    reason: str
    severity: str | None
    root_cause: str | None
    facts: list[str] = field(default_factory=list)
    principles: list[str] = field(default_factory=list)
    sources: list[tuple[str, str | None, str | None]] = field(default_factory=list)


def stored_recommendations(
    kb: KnowledgeBase, business: str, lang: str = "en"
) -> tuple[str, list[StoredRecommendation]]:
    """The name and the ranked recommendations of ``business`` (its identifier) as assessed
    and stored, their texts and labels in ``lang``; raises :class:`UnknownTermError` naming the
    assessed businesses."""
    found = kb.select(_BUSINESS, id=ox.Literal(business))
    if not found:
        known = sorted({r["id"] for r in kb.select(_BUSINESS.replace("?business ?name", "?id"))})
        raise UnknownTermError("assessed business", business, known)
    subject = ox.NamedNode(found[0]["business"])
    recs = []
    language = ox.Literal(lang)
    for row in kb.select(_RECOMMENDATIONS, business=subject, lang=language):
        rec, rule = ox.NamedNode(row["rec"]), ox.NamedNode(row["rule"])
        rule_id = row["rule"].rsplit("/", 1)[-1]
        recs.append(
            StoredRecommendation(
                rank=int(row["rank"]),
                score=float(row["score"]),
                title=row.get("title", rule_id),
                text=row.get("text", ""),
                rule=rule_id,
                reason=row["reason"],
                severity=_severity(row.get("severity")),
                root_cause=row.get("root"),
                facts=[
                    f"{f['metric'].rsplit('/', 1)[-1]} = {f['value']}"
                    + (f" ({f['source']})" if "source" in f else "")
                    for f in kb.select(_FACTS, rec=rec)
                ],
                principles=[p["label"] for p in kb.select(_PRINCIPLES, rule=rule, lang=language)],
                sources=[
                    (s["quote"], s.get("rendering"), s.get("article"))
                    for s in kb.select(_SOURCES, rule=rule)
                ],
            )
        )
    return found[0].get("name", business), recs


def explain_stored(
    kb: KnowledgeBase, business: str, recommendation: str | None = None, lang: str = "en"
) -> str:
    """The chain from facts to quote behind a stored assessment's recommendations (or one of
    them: ``recommendation`` is a rule id or a rank), as Markdown, texts in ``lang``."""
    name, recs = stored_recommendations(kb, business, lang)
    if recommendation is not None:
        chosen = [r for r in recs if recommendation in (r.rule, str(r.rank))]
        if not chosen:
            raise UnknownTermError(
                f"recommendation for {business}", recommendation, [r.rule for r in recs]
            )
        recs = chosen
    if not recs:
        return f"{business}: no recommendation\n"
    return "\n\n".join(_markdown(name, rec) for rec in recs) + "\n"


def _markdown(name: str, rec: StoredRecommendation) -> str:
    lines = [f"# {rec.rank}. {_md(rec.title)}", "", f"business: {_md(name)}", "", "facts:"]
    lines += [f"  {fact}" for fact in rec.facts]
    lines += ["", f"rule: {rec.rule}" + (f" ({rec.severity})" if rec.severity else ""), ""]
    lines.append("principles: " + ", ".join(rec.principles))
    if rec.root_cause:
        lines.append(f"root cause: {rec.root_cause}")
    lines += ["", "sources:"]
    for quote, rendering, article in rec.sources:
        lines.append(f'  "{quote}"')
        if rendering:
            lines.append(f"  = {rendering}")
        if article:
            lines.append(f"  ({article})")
    lines += ["", f"score {rec.score:g} = {rec.reason}", "", rec.text]
    return "\n".join(lines)


def _severity(iri: str | None) -> str | None:
    """``skg:HighSeverity`` as ``high``."""
    return iri.rsplit("#", 1)[-1].removesuffix("Severity").lower() if iri else None


def _md(text: str) -> str:
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return text
