"""Consistency checks: observations of different metrics that cannot all be true at once.

The checks are data (``ontology/consistency.ttl``): shares of the same visits that exclude each
other cannot add up past one, and a rate must be what its own counts give. A business whose
observations fail a check gets a data-quality finding naming the rows; nothing is refused, so
one contradiction never loses the file.

>>> shares = ConsistencyCheck("c", "shares", {}, ("greeting_rate", "ignored_rate"))
>>> shares.contradiction({"greeting_rate": 0.7, "ignored_rate": 0.5})
'greeting_rate + ignored_rate = 1.2 > 1'
>>> rate = ConsistencyCheck("r", "rate", {}, ("complaint_rate", "complaints", "served"), 1000, 0.05)
>>> rate.contradiction({"complaint_rate": 4.0, "complaints": 40, "served": 2000})
'complaint_rate = 4, but complaints / served x 1000 = 20'
>>> print(rate.contradiction({"complaint_rate": 20.4, "complaints": 40, "served": 2000}))
None
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase

__all__ = ["ConsistencyCheck", "read_checks"]

_CHECKS = """
SELECT ?check ?kind ?label (LANG(?label) AS ?lang) ?share ?rate ?numerator ?denominator
       ?scale ?tolerance
WHERE {
  ?check a ?kind . ?kind rdfs:subClassOf skg:ConsistencyCheck .
  OPTIONAL { ?check skos:prefLabel ?label }
  OPTIONAL { ?check skg:share ?share }
  OPTIONAL { ?check skg:rate ?rate ; skg:numerator ?numerator ; skg:denominator ?denominator }
  OPTIONAL { ?check skg:scale ?scale }
  OPTIONAL { ?check skg:tolerance ?tolerance }
}
ORDER BY ?check ?share
"""

_KINDS = {"SharesOfSameVisits": "shares", "RateFromCounts": "rate"}


@dataclass(frozen=True)
class ConsistencyCheck:
    """One check: ``kind`` ``"shares"`` (``metrics`` must add up to at most 1) or ``"rate"``
    (``metrics`` are the rate, its numerator and its denominator: rate = numerator /
    denominator x ``scale`` within ``tolerance``, relative)."""

    iri: str
    kind: str
    labels: Mapping[str, str]
    metrics: tuple[str, ...]
    scale: float = 1.0
    tolerance: float = 0.0

    def contradiction(self, values: Mapping[str, float | bool]) -> str | None:
        """What does not add up, or ``None`` (also when a metric was not observed)."""
        if any(m not in values for m in self.metrics):
            return None
        numbers = [float(values[m]) for m in self.metrics]
        if self.kind == "shares":
            total = sum(numbers)
            if total > 1 + 1e-9:
                return " + ".join(self.metrics) + f" = {total:.4g} > 1"
            return None
        rate, numerator, denominator = numbers
        if denominator <= 0:
            return None if numerator == 0 else f"{self.metrics[2]} = 0 with {numerator:g} counted"
        given = numerator / denominator * self.scale
        if abs(given - rate) <= self.tolerance * max(abs(given), abs(rate)) + 1e-9:
            return None
        name, top, base = self.metrics
        return f"{name} = {rate:g}, but {top} / {base} x {self.scale:g} = {given:.4g}"

    def label(self, lang: str) -> str:
        """The check's label in ``lang`` (English, or its IRI, when it has none)."""
        return self.labels.get(lang) or self.labels.get("en") or self.iri


def read_checks(kb: KnowledgeBase, catalogue: MetricCatalogue) -> list[ConsistencyCheck]:
    """Every check of the knowledge graph whose metrics the catalogue knows."""
    ids = {spec.iri: spec.id for spec in catalogue}
    found: dict[str, dict[str, Any]] = {}
    for row in kb.select(_CHECKS):
        kind = _KINDS.get(row["kind"].rsplit("#", 1)[-1])
        if kind is None:
            continue
        item = found.setdefault(
            row["check"],
            {"kind": kind, "labels": {}, "shares": [], "rate": (), "scale": 1.0, "tol": 0.0},
        )
        if "label" in row:
            item["labels"][row["lang"]] = row["label"]
        if "share" in row and row["share"] not in item["shares"]:
            item["shares"].append(row["share"])
        if "rate" in row:
            item["rate"] = (row["rate"], row["numerator"], row["denominator"])
        item["scale"] = float(row.get("scale", item["scale"]))
        item["tol"] = float(row.get("tolerance", item["tol"]))
    checks = []
    for iri, item in found.items():
        metrics = item["shares"] if item["kind"] == "shares" else list(item["rate"])
        if not metrics or any(m not in ids for m in metrics):
            continue
        checks.append(
            ConsistencyCheck(
                iri=iri,
                kind=item["kind"],
                labels=item["labels"],
                metrics=tuple(ids[m] for m in metrics),
                scale=item["scale"],
                tolerance=item["tol"],
            )
        )
    return checks
