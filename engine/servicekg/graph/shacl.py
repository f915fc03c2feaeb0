"""SHACL validation of the knowledge graph with pySHACL, reported per offending IRI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from servicekg.graph import shacl_sparql
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH, PREFIXES, local_name
from servicekg.rdf_io import read_quads, to_rdflib_graph
from servicekg.resources import shapes_dir

__all__ = ["ValidationReport", "Violation", "ontology_shapes", "validate_ontology"]


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: the IRI at fault, the property, what is wrong and the offending value."""

    focus: str
    path: str | None
    message: str
    value: str | None = None
    severity: str = "Violation"
    shape: str | None = None

    def __str__(self) -> str:
        where = _short(self.focus) + (f" {_short(self.path)}" if self.path else "")
        value = f" (value: {_short(self.value)})" if self.value else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass
class ValidationReport:
    """What a SHACL run found; ``conforms`` is true when there is no violation."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form: ``{"conforms", "triples", "violations": [...]}``."""
        return {
            "conforms": self.conforms,
            "triples": self.triples,
            "violations": [v.__dict__ for v in self.violations],
        }


def ontology_shapes() -> rdflib.Graph:
    """The shapes the ontology itself must satisfy (``ontology/shapes/ontology-shapes.ttl``)."""
    return to_rdflib_graph(read_quads(shapes_dir() / "ontology-shapes.ttl"))


def validate_ontology(
    files: Sequence[Path] | None = None, shapes: rdflib.Graph | None = None
) -> ValidationReport:
    """Load the ontology ``files`` (default: the bundled ones) and validate them with SHACL.

    Raises :class:`~servicekg.errors.ParseError` when a file does not parse.
    """
    kb = KnowledgeBase.with_ontology(files)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in kb.quads(GRAPH.ontology)]
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return validate_graph(to_rdflib_graph(triples), shapes or ontology_shapes(), store=store)


def validate_graph(
    data: rdflib.Graph, shapes: rdflib.Graph, *, store: ox.Store | None = None
) -> ValidationReport:
    """Validate ``data`` against ``shapes`` (no inference beyond rdfs:subClassOf targets).

    SPARQL-based constraints run once each over ``store`` (``data`` in a pyoxigraph store,
    made from ``data`` when not given) rather than once per focus node in pySHACL
    (:mod:`servicekg.graph.shacl_sparql`); the results are the same.
    """
    import pyshacl  # here, not at the top: a cold start need not pay for it

    rest, constraints = shacl_sparql.split(shapes)
    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=rest,
        inference="none",
        advanced=True,
        allow_warnings=True,
        meta_shacl=False,
    )
    found = _violations(results)
    if constraints:
        if store is None:
            store = ox.Store()
            store.load(data.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
        for result in shacl_sparql.run(store, constraints):
            found.append(
                Violation(
                    focus=result.focus,
                    path=result.path,
                    message=result.message or "does not conform",
                    value=result.value,
                    severity=result.severity.rsplit("#", 1)[-1],
                    shape=result.shape,
                )
            )
            conforms = conforms and not result.severity.endswith("#Violation")
    violations = sorted(
        found,
        key=lambda v: (v.focus, v.path or "", v.message, v.value or "", v.shape or ""),
    )
    return ValidationReport(conforms=bool(conforms), violations=violations, triples=len(data))


def _violations(results: rdflib.Graph) -> list[Violation]:
    found = []
    for result in results.subjects(SH.resultSeverity, None):

        def one(predicate: rdflib.URIRef, node: rdflib.term.Node = result) -> str | None:
            value = results.value(node, predicate)
            return None if value is None else str(value)

        severity = one(SH.resultSeverity) or str(SH.Violation)
        found.append(
            Violation(
                focus=one(SH.focusNode) or "",
                path=one(SH.resultPath),
                message=one(SH.resultMessage) or "does not conform",
                value=one(SH.value),
                severity=local_name(severity),
                shape=one(SH.sourceShape),
            )
        )
    return found


def _short(iri: str | None) -> str:
    """An IRI written with the prefix it has in :data:`PREFIXES`, else unchanged."""
    if iri is None:
        return ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
