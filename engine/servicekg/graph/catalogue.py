"""The metric catalogue: what a consultant can observe, read once from the knowledge graph.

Observation loading and the rules both read metrics through this object, so a metric is
declared in exactly one place (``ontology/metrics.ttl``).

>>> # kb: KnowledgeBase.with_ontology(), one shared by the doctests (conftest.py)
>>> catalogue = MetricCatalogue.from_kb(kb)
>>> spec = catalogue["service_time_seconds"]
>>> spec.unit, spec.better, catalogue.convert(spec, 2, "min")
('s', 'lower', 120.0)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from servicekg.errors import UnknownTermError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import local_name

__all__ = ["Benchmark", "MetricCatalogue", "MetricSpec", "UnitSpec"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_BETTER = {"HigherIsBetter": "higher", "LowerIsBetter": "lower", "TrueIsBetter": "true"}


@dataclass(frozen=True)
class UnitSpec:
    """A unit as observation files write it, and how it converts to its base unit."""

    symbol: str
    iri: str
    labels: dict[str, str]
    base: str  # symbol of the unit it converts to (itself for a base unit)
    multiplier: float = 1.0


@dataclass(frozen=True)
class Benchmark:
    """A value an article gives as good for a metric, possibly only in one sector."""

    iri: str
    metric: str
    sector: str | None  # sector code, or None for every sector
    good_at_most: float | None
    good_at_least: float | None
    passages: tuple[str, ...]


@dataclass(frozen=True)
class MetricSpec:
    """One metric of the catalogue.

    ``datatype`` is ``"decimal"``, ``"integer"`` or ``"boolean"``; ``better`` is ``"higher"``,
    ``"lower"``, ``"true"`` or ``None`` for a context flag; ``unit`` is the base unit's symbol;
    ``concepts`` are the IRIs of the concepts it measures.
    """

    id: str
    iri: str
    labels: dict[str, str]
    unit: str
    datatype: str
    minimum: float | None
    maximum: float | None
    better: str | None
    concepts: tuple[str, ...]
    benchmarks: tuple[Benchmark, ...] = field(default=())

    @property
    def is_boolean(self) -> bool:
        """Whether the metric is a yes/no observation."""
        return self.datatype == "boolean"

    def accepted_range(self) -> str:
        """The valid values, said for an error message (``"0 to 1"``, ``"at least 0"``)."""
        if self.is_boolean:
            return "true or false"
        if self.minimum is not None and self.maximum is not None:
            return f"{_num(self.minimum)} to {_num(self.maximum)}"
        if self.minimum is not None:
            return f"at least {_num(self.minimum)}"
        if self.maximum is not None:
            return f"at most {_num(self.maximum)}"
        return "any number"


class MetricCatalogue:
    """Every metric and unit of the knowledge graph, by id and by symbol."""

    def __init__(self, metrics: dict[str, MetricSpec], units: dict[str, UnitSpec]) -> None:
        self._metrics = metrics
        self._units = units

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> MetricCatalogue:
        """Read the catalogue from the knowledge base's ontology."""
        units = _read_units(kb)
        benchmarks = _read_benchmarks(kb)
        metrics = _read_metrics(kb, units, benchmarks)
        return cls(metrics, units)

    def __getitem__(self, metric_id: str) -> MetricSpec:
        try:
            return self._metrics[metric_id]
        except KeyError:
            raise UnknownTermError("metric", metric_id, sorted(self._metrics)) from None

    def __contains__(self, metric_id: object) -> bool:
        return metric_id in self._metrics

    def __iter__(self) -> Iterator[MetricSpec]:
        return iter(self._metrics.values())

    def __len__(self) -> int:
        return len(self._metrics)

    @property
    def ids(self) -> list[str]:
        """Every metric id, sorted."""
        return sorted(self._metrics)

    def unit(self, symbol: str) -> UnitSpec:
        """The unit written ``symbol``; raises :class:`UnknownTermError` naming the known ones."""
        try:
            return self._units[symbol]
        except KeyError:
            raise UnknownTermError("unit", symbol, sorted(self._units)) from None

    def units_for(self, spec: MetricSpec) -> list[str]:
        """The unit symbols a value of ``spec`` may be written in (its own and convertible)."""
        convertible = {u.symbol for u in self._units.values() if u.base == spec.unit}
        return sorted(convertible | {spec.unit})

    def convert(self, spec: MetricSpec, value: float, symbol: str | None) -> float:
        """``value`` written in unit ``symbol`` (``None``: the metric's own) in the metric's unit.

        Raises :class:`UnknownTermError` for a unit that does not convert to the metric's.
        """
        if symbol is None or symbol == spec.unit:
            return value
        unit = self._units.get(symbol)
        if unit is None or unit.base != spec.unit:
            raise UnknownTermError(f"unit for {spec.id}", symbol, self.units_for(spec))
        return value * unit.multiplier


def _read_units(kb: KnowledgeBase) -> dict[str, UnitSpec]:
    rows = kb.select(
        """SELECT ?unit ?symbol ?base ?multiplier WHERE {
             ?unit a skg:Unit ; skg:symbol ?symbol .
             OPTIONAL { ?unit skg:convertsTo/skg:symbol ?base ; skg:multiplier ?multiplier }
           }"""
    )
    units: dict[str, UnitSpec] = {}
    labels: dict[str, dict[str, str]] = {}
    for row in kb.select(
        "SELECT ?symbol ?label (LANG(?label) AS ?lang) WHERE "
        "{ ?u a skg:Unit ; skg:symbol ?symbol ; rdfs:label ?label }"
    ):
        labels.setdefault(row["symbol"], {})[row["lang"]] = row["label"]
    for row in rows:
        symbol = row["symbol"]
        units[symbol] = UnitSpec(
            symbol=symbol,
            iri=row["unit"],
            labels=labels.get(symbol, {}),
            base=row.get("base", symbol),
            multiplier=float(row.get("multiplier", 1.0)),
        )
    return units


def _read_benchmarks(kb: KnowledgeBase) -> dict[str, list[Benchmark]]:
    found: dict[str, list[Benchmark]] = {}
    for row in kb.select(
        """SELECT ?b ?metric ?sector ?most ?least
                  (GROUP_CONCAT(STR(?p); separator=" ") AS ?passages) WHERE {
             ?b a skg:Benchmark ; skg:metric/skg:metricId ?metric ; skg:restsOn ?p .
             OPTIONAL { ?b skg:appliesToSector/skg:sectorCode ?sector }
             OPTIONAL { ?b skg:goodAtMost ?most }
             OPTIONAL { ?b skg:goodAtLeast ?least }
           } GROUP BY ?b ?metric ?sector ?most ?least"""
    ):
        found.setdefault(row["metric"], []).append(
            Benchmark(
                iri=row["b"],
                metric=row["metric"],
                sector=row.get("sector"),
                good_at_most=_float(row.get("most")),
                good_at_least=_float(row.get("least")),
                passages=tuple(sorted(row["passages"].split())),
            )
        )
    return found


def _read_metrics(
    kb: KnowledgeBase, units: dict[str, UnitSpec], benchmarks: dict[str, list[Benchmark]]
) -> dict[str, MetricSpec]:
    labels: dict[str, dict[str, str]] = {}
    for row in kb.select(
        "SELECT ?id ?label (LANG(?label) AS ?lang) WHERE "
        "{ ?m a skg:Metric ; skg:metricId ?id ; skos:prefLabel ?label }"
    ):
        labels.setdefault(row["id"], {})[row["lang"]] = row["label"]
    metrics: dict[str, MetricSpec] = {}
    for row in kb.select(
        """SELECT ?m ?id ?unit ?datatype ?min ?max ?better
                  (GROUP_CONCAT(STR(?concept); separator=" ") AS ?concepts) WHERE {
             ?m a skg:Metric ; skg:metricId ?id ; skg:unit/skg:symbol ?unit ;
                skg:datatype ?datatype ; skg:measures ?concept .
             OPTIONAL { ?m skg:minInclusive ?min }
             OPTIONAL { ?m skg:maxInclusive ?max }
             OPTIONAL { ?m skg:betterWhen ?better }
           } GROUP BY ?m ?id ?unit ?datatype ?min ?max ?better ORDER BY ?id"""
    ):
        better = row.get("better")
        metrics[row["id"]] = MetricSpec(
            id=row["id"],
            iri=row["m"],
            labels=labels.get(row["id"], {}),
            unit=units[row["unit"]].symbol,
            datatype=row["datatype"].removeprefix(_XSD),
            minimum=_float(row.get("min")),
            maximum=_float(row.get("max")),
            better=_BETTER[local_name(better)] if better else None,
            concepts=tuple(sorted(set(row["concepts"].split()))),
            benchmarks=tuple(benchmarks.get(row["id"], ())),
        )
    return metrics


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _num(value: float) -> str:
    return f"{value:g}"
