"""Reading observations and business descriptions from RDF files (Turtle, JSON-LD).

The form is the one :mod:`servicekg.observations.rdf` writes. Each file is parsed whole
(a syntax error names its line), checked with the SHACL shapes of
``ontology/shapes/observation-shapes.ttl`` (every ``sosa:Observation`` has one business, one
declared metric, one result), and its observations then go through the same typed checks as a
spreadsheet's rows. RDF has no rows: messages name the observation (its IRI, or its metric and
business when it is a blank node) and the property at fault. A JSON-LD file must carry its
``@context`` inline (nothing is fetched from the network).

A business is the feature of interest's ``schema:identifier`` when the file gives one, else
the id in its IRI (``business/<percent-encoded id>``), else the IRI itself. An organisation
with no name, sector, region or extra attribute is not a description (it only names an id).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib

from servicekg.errors import InputError, ObservationError, ParseError, Problem, UnknownTermError
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.graph.shacl import validate_graph
from servicekg.namespace import METRIC, SKG
from servicekg.observations.files import file_error, read_bytes
from servicekg.observations.rdf import (
    DCTERMS,
    RDF_TYPE,
    RDFS_COMMENT,
    SCHEMA,
    SKG_UNIT,
    SOSA,
    XSD,
    business_id,
)
from servicekg.observations.table import RawTable, Row
from servicekg.rdf_io import read_quads, to_rdflib_graph
from servicekg.resources import shapes_dir

__all__ = ["observation_shapes", "read_rdf"]

_OBSERVATION_PROPERTIES = {
    "business": SOSA + "hasFeatureOfInterest",
    "metric": SOSA + "observedProperty",
    "value": SOSA + "hasSimpleResult",
    "unit": SKG_UNIT,
    "observed_at": SOSA + "resultTime",
    "location": SCHEMA + "location",
    "source": DCTERMS + "source",
    "note": RDFS_COMMENT,
}
_BUSINESS_PROPERTIES = {
    "business": SCHEMA + "identifier",
    "name": SCHEMA + "name",
    "sector": SCHEMA + "additionalType",
    "region": SCHEMA + "areaServed",
}
_NUMBERS = {
    XSD + name
    for name in (
        "decimal", "double", "float", "integer", "int", "long", "short", "byte",
        "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
        "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
    )
}  # fmt: skip
_PREFIXES = {
    SOSA: "sosa:",
    SCHEMA: "schema:",
    DCTERMS: "dcterms:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    str(SKG._NS): "skg:",
    str(METRIC): "metric:",
}
_SKOLEM = "urn:x-servicekg:blank:"

Node = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal


@functools.cache
def observation_shapes() -> rdflib.Graph:
    """The shapes RDF observation input must satisfy (``observation-shapes.ttl``)."""
    return to_rdflib_graph(read_quads(shapes_dir() / "observation-shapes.ttl"))


def read_rdf(path: Path, label: str, catalogue: MetricCatalogue) -> list[RawTable]:
    """The observations and the businesses of an RDF file, as tables for the validator."""
    quads = _parse(path, label)
    graph = _Graph(quads)
    refused = _shacl(quads, catalogue)
    if refused:
        raise ObservationError(
            [
                Problem(label, None, field, f"{graph.describe(node)}: {message}", accepted)
                for node, field, message, accepted in refused
            ]
        )
    units = _unit_symbols(catalogue)
    observations: list[Row] = []
    businesses: list[_Description] = []
    for subject in graph.subjects():
        types = graph.types(subject)
        if SOSA + "Observation" in types:
            observations.append(
                (None, _observation(graph, subject, units), graph.describe(subject))
            )
        if SCHEMA + "Organization" in types:
            described = _business(graph, subject)
            if described is not None:
                businesses.append(described)
    if not observations and not businesses:
        raise file_error(label, "holds no sosa:Observation and no schema:Organization")

    tables = []
    if observations:
        fields = {name: _short(iri) for name, iri in _OBSERVATION_PROPERTIES.items()}
        tables.append(
            RawTable(
                "observations", label, list(_OBSERVATION_PROPERTIES), observations, fields=fields
            )
        )
    if businesses:
        names = list(dict.fromkeys(name for b in businesses for name in b.extra))
        rows: list[Row] = [
            (None, (*b.cells, *(b.extra.get(name) for name in names)), b.where) for b in businesses
        ]
        fields = {name: _short(iri) for name, iri in _BUSINESS_PROPERTIES.items()}
        tables.append(
            RawTable("businesses", label, [*_BUSINESS_PROPERTIES, *names], rows, fields=fields)
        )
    return tables


def _parse(path: Path, label: str) -> list[ox.Quad]:
    read_bytes(path, label)  # a missing, unreadable or empty file is said as for the others
    try:
        return read_quads(path)
    except ParseError as error:
        where = error.location
        at = ""
        if where.line is not None:
            at = f"line {where.line}" + (f", column {where.column}" if where.column else "")
            at += ": "
        hint = ""
        if "remote context" in error.detail:
            hint = "; give the JSON-LD @context inline (nothing is fetched from the network)"
        raise file_error(label, f"does not parse: {at}{error.detail}{hint}") from None
    except InputError as error:
        raise file_error(label, f"cannot be read: {error}") from None


class _Graph:
    """The triples of one file by subject and predicate."""

    def __init__(self, quads: list[ox.Quad]) -> None:
        self._index: dict[Node, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for quad in quads:
            if isinstance(quad.subject, Node) and isinstance(quad.object, Term):
                self._index[quad.subject][quad.predicate.value].append(quad.object)

    def subjects(self) -> list[Node]:
        return list(self._index)

    def types(self, node: Node) -> set[str]:
        return {t.value for t in self.objects(node, RDF_TYPE)}

    def objects(self, node: Term, predicate: str) -> list[Term]:
        if not isinstance(node, Node) or node not in self._index:
            return []
        return self._index[node].get(predicate, [])

    def first(self, node: Term | None, predicate: str) -> Term | None:
        found = self.objects(node, predicate) if node is not None else []
        return found[0] if found else None

    def text(self, node: Term | None, predicate: str) -> str | None:
        found = self.first(node, predicate)
        return None if found is None else found.value

    def describe(self, node: Node) -> str:
        """How messages name a node: its IRI, or a blank observation by metric and business."""
        kind = "observation" if SOSA + "Observation" in self.types(node) else "business"
        if isinstance(node, ox.NamedNode):
            return f"{kind} <{node.value}>"
        if kind == "business":
            return "a business without an IRI"
        metric = self.text(node, SOSA + "observedProperty")
        business = self.text(node, SOSA + "hasFeatureOfInterest")
        of = f" of {_short(metric)}" if metric else ""
        at = f" at <{business}>" if business else ""
        return f"the observation{of}{at}"


@dataclass(frozen=True)
class _Description:
    cells: tuple[str | None, ...]  # business, name, sector, region
    extra: dict[str, str | None]
    where: str


def _shacl(
    quads: list[ox.Quad], catalogue: MetricCatalogue
) -> list[tuple[Node, str | None, str, tuple[str, ...]]]:
    """What the shapes refuse: (node, property, message, accepted) for each refusal.

    The data graph is the file and one ``<metric> a skg:Metric`` per metric of the catalogue.
    Blank nodes are given IRIs for the run, so that each refusal leads back to its node.
    """
    declared = [
        ox.Triple(ox.NamedNode(spec.iri), ox.NamedNode(RDF_TYPE), ox.NamedNode(str(SKG.Metric)))
        for spec in catalogue
    ]
    data = to_rdflib_graph([*map(_skolemised, quads), *declared])
    refused = []
    for violation in validate_graph(data, observation_shapes()).violations:
        focus = violation.focus
        node: Node = (
            ox.BlankNode(focus.removeprefix(_SKOLEM))
            if focus.startswith(_SKOLEM)
            else ox.NamedNode(focus)
        )
        message, accepted, value = violation.message, tuple[str, ...](), violation.value
        metric = str(METRIC)
        if violation.path == SOSA + "observedProperty" and value and value.startswith(metric):
            name = value.removeprefix(metric)
            if name not in catalogue:
                error = UnknownTermError("metric", name, catalogue.ids)
                message = str(error).split("; known:", 1)[0]
                accepted = tuple(catalogue.ids)
        elif value:
            message += f" (found: {_short(value)})"
        field = _short(violation.path) if violation.path else None
        refused.append((node, field, message, accepted))
    return refused


def _skolemised(quad: ox.Quad) -> ox.Triple:
    subject, value = quad.subject, quad.object
    if isinstance(subject, ox.BlankNode):
        subject = ox.NamedNode(_SKOLEM + subject.value)
    if isinstance(value, ox.BlankNode):
        value = ox.NamedNode(_SKOLEM + value.value)
    return ox.Triple(subject, quad.predicate, value)


def _observation(graph: _Graph, node: Node, units: dict[str, str]) -> tuple[object, ...]:
    """The cells of an observation, in the order of ``_OBSERVATION_PROPERTIES``."""
    properties = _OBSERVATION_PROPERTIES
    metric = graph.text(node, properties["metric"])
    if metric is not None:
        metric = metric.removeprefix(str(METRIC))
    unit = graph.text(node, properties["unit"])
    return (
        _business_of(graph, graph.first(node, properties["business"])),
        metric,
        _result(graph.first(node, properties["value"])),
        units.get(unit, unit) if unit is not None else None,
        graph.text(node, properties["observed_at"]),
        graph.text(node, properties["location"]),
        graph.text(node, properties["source"]),
        graph.text(node, properties["note"]),
    )


def _business(graph: _Graph, node: Node) -> _Description | None:
    """A description, or ``None`` for an organisation with nothing but its id."""
    cells = [graph.text(node, _BUSINESS_PROPERTIES[name]) for name in ("name", "sector", "region")]
    extra: dict[str, str | None] = {}
    for attribute in graph.objects(node, SCHEMA + "additionalProperty"):
        name = graph.text(attribute, SCHEMA + "name")
        if name:
            extra[name] = graph.text(attribute, SCHEMA + "value")
    if not any(cells) and not extra:
        return None
    return _Description((_business_of(graph, node), *cells), extra, graph.describe(node))


def _business_of(graph: _Graph, node: Term | None) -> str | None:
    """The business id of a feature of interest (see the module's notes)."""
    if node is None:
        return None
    identifier = graph.text(node, SCHEMA + "identifier")
    if identifier is not None:
        return identifier
    if isinstance(node, ox.NamedNode):
        try:
            return business_id(node.value) or node.value
        except UnicodeDecodeError:
            return node.value
    return None


def _result(term: Term | None) -> object:
    """A result as the validator reads cells: a bool, a number, or text."""
    if not isinstance(term, ox.Literal):
        return None
    datatype = term.datatype.value
    if datatype == XSD + "boolean":
        return {"true": True, "1": True, "false": False, "0": False}.get(term.value, term.value)
    if datatype in _NUMBERS:
        try:
            return float(term.value)
        except ValueError:
            return term.value
    return term.value


def _unit_symbols(catalogue: MetricCatalogue) -> dict[str, str]:
    """Unit IRI -> symbol, for every unit a metric of the catalogue may be written in."""
    symbols = {symbol for spec in catalogue for symbol in catalogue.units_for(spec)}
    return {catalogue.unit(symbol).iri: symbol for symbol in symbols}


def _short(iri: str) -> str:
    for namespace, prefix in _PREFIXES.items():
        if iri.startswith(namespace):
            return prefix + iri.removeprefix(namespace)
    return f"<{iri}>"
