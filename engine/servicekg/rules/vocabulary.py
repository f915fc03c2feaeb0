"""What a rule file may name, read once from the knowledge graph: metrics, concepts, passages,
sectors and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field

from servicekg.errors import UnknownTermError
from servicekg.graph.catalogue import Benchmark, MetricCatalogue
from servicekg.graph.concepts import resolve_concept
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import BENCH, PSG

__all__ = ["Vocabulary"]


@dataclass
class Vocabulary:
    """The names of the knowledge graph a rule may use, with lookups that say what is known."""

    kb: KnowledgeBase
    catalogue: MetricCatalogue
    sectors: dict[str, str]  # sector code -> IRI
    passages: set[str]  # passage IRIs
    benchmarks: dict[str, Benchmark]  # IRI -> benchmark
    _concepts: dict[str, str | UnknownTermError] = field(default_factory=dict)

    @classmethod
    def from_kb(cls, kb: KnowledgeBase, catalogue: MetricCatalogue | None = None) -> Vocabulary:
        """Read the names from ``kb`` (and the metrics from ``catalogue``, default: from ``kb``)."""
        catalogue = catalogue if catalogue is not None else MetricCatalogue.from_kb(kb)
        sectors = {
            row["code"]: row["sector"]
            for row in kb.select("SELECT ?sector ?code WHERE { ?sector skg:sectorCode ?code }")
        }
        passages = {row["p"] for row in kb.select("SELECT ?p WHERE { ?p a skg:Passage }")}
        benchmarks = {b.iri: b for spec in catalogue for b in spec.benchmarks}
        return cls(kb, catalogue, sectors, passages, benchmarks)

    def concept(self, name: str) -> str:
        """The IRI of the concept ``name`` (local name, prefixed name, IRI or label)."""
        if name not in self._concepts:
            try:
                self._concepts[name] = resolve_concept(self.kb, name)
            except UnknownTermError as error:
                self._concepts[name] = error
        found = self._concepts[name]
        if isinstance(found, UnknownTermError):
            raise found
        return found

    def passage(self, name: str) -> str:
        """The IRI of the passage ``name`` (``lv-greeting``, ``psg:lv-greeting`` or the IRI)."""
        iri = _expand(name, "psg:", str(PSG))
        if iri not in self.passages:
            known = sorted(p.removeprefix(str(PSG)) for p in self.passages)
            raise UnknownTermError("passage", name.removeprefix("psg:"), known)
        return iri

    def benchmark(self, name: str) -> Benchmark:
        """The benchmark ``name`` (``fast-food-service-time``, ``bench:...`` or the IRI)."""
        iri = _expand(name, "bench:", str(BENCH))
        if iri not in self.benchmarks:
            known = sorted(b.removeprefix(str(BENCH)) for b in self.benchmarks)
            raise UnknownTermError("benchmark", name.removeprefix("bench:"), known)
        return self.benchmarks[iri]


def _expand(name: str, prefix: str, base: str) -> str:
    if name.startswith(("http://", "https://")):
        return name
    return base + name.removeprefix(prefix)
