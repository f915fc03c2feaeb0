"""Observations and businesses as RDF: W3C SOSA for observations, schema.org for businesses.

This module fixes the RDF form both ways: :func:`observations_to_rdf` writes it into the
named graph :data:`OBSERVATIONS_GRAPH`, and observation files in Turtle or JSON-LD are read in
the same form (:mod:`servicekg.observations.rdf_reader`).

An observation (``business:`` is ``https://w3id.org/servicekg/business/``)::

    <https://w3id.org/servicekg/observation/9f2c...> a sosa:Observation ;
        sosa:hasFeatureOfInterest business:Kafejn%C4%ABca%20%22R%C4%ABts%22 ;
        sosa:observedProperty metric:greeting_rate ;
        sosa:hasSimpleResult 0.85 ;              # xsd:decimal, or xsd:boolean for yes/no
        sosa:resultTime "2024-05-01"^^xsd:date ; # optional: xsd:date or xsd:dateTime
        schema:location "Rīga, Brīvības iela" ;  # optional
        dcterms:source "mystery shop, visit 3" ; # optional
        rdfs:comment "lunch rush" .              # optional (the note)

The result is in the metric's own unit (its ``skg:unit``). An input file may give another
unit with ``skg:unit`` (``skg:Percent``); it is converted on loading. ``sosa:resultTime`` may
be a date as well as a date-time (SOSA expects ``xsd:dateTime``; a consultant often knows only
the day, and the date is kept as given).

A business::

    business:Bakkerij%20%27t%20Hoekje a schema:Organization ;
        schema:identifier "Bakkerij 't Hoekje" ;
        schema:name "Bakkerij 't Hoekje BV" ;    # optional
        schema:additionalType "retail" ;          # optional: the sector code
        schema:areaServed "Utrecht" ;             # optional: the region
        schema:additionalProperty [ a schema:PropertyValue ;      # one per extra column
            schema:name "owner" ; schema:value "Jansen" ] .

The sector is written as its code (schema.org allows text for ``schema:additionalType``), so
that the business joins the ontology's sector with ``?sector skg:sectorCode ?code``; the
writer needs no lookup and ``other`` needs no concept of its own. Every business observed or
described is written as a ``schema:Organization`` with its ``schema:identifier``; one that was
only observed has nothing more.

Business IRIs are ``https://w3id.org/servicekg/business/`` followed by the id, UTF-8
percent-encoded (every character but ``A-Z a-z 0-9 - . _ ~``). Observation IRIs are minted
from a hash of business, metric and time, the key under which an observation is unique.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from urllib.parse import quote, unquote

import pyoxigraph as ox

from servicekg.namespace import BASE, GRAPH, METRIC
from servicekg.observations.model import Business, Observation, ObservationSet

__all__ = [
    "BUSINESS_BASE",
    "DCTERMS",
    "OBSERVATIONS_GRAPH",
    "OBSERVATION_BASE",
    "RDFS_COMMENT",
    "RDF_TYPE",
    "SCHEMA",
    "SKG_UNIT",
    "SOSA",
    "XSD",
    "business_id",
    "business_iri",
    "metric_iri",
    "observation_iri",
    "observations_to_rdf",
]

OBSERVATIONS_GRAPH = str(GRAPH.observations)
"""The named graph observations are loaded into."""

BUSINESS_BASE = BASE + "business/"
OBSERVATION_BASE = BASE + "observation/"
SOSA = "http://www.w3.org/ns/sosa/"
SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
SKG_UNIT = BASE + "ns#unit"

_SAFE = "-._~"


def business_iri(business: str) -> str:
    """The IRI of a business id.

    >>> business_iri('Kafejnīca "Rīts"')
    'https://w3id.org/servicekg/business/Kafejn%C4%ABca%20%22R%C4%ABts%22'
    """
    return BUSINESS_BASE + quote(business, safe=_SAFE)


def business_id(iri: str) -> str | None:
    """The business id of a business IRI, ``None`` for an IRI outside ``business/``.

    >>> business_id("https://w3id.org/servicekg/business/Bakkerij%20%27t%20Hoekje")
    "Bakkerij 't Hoekje"
    """
    if not iri.startswith(BUSINESS_BASE) or len(iri) == len(BUSINESS_BASE):
        return None
    return unquote(iri[len(BUSINESS_BASE) :], errors="strict")


def metric_iri(metric: str) -> str:
    """The IRI of a metric id (``metric:<id>`` of ``ontology/metrics.ttl``)."""
    return str(METRIC) + metric


def observation_iri(observation: Observation) -> str:
    """The IRI of one observation: stable for its business, metric and time."""
    when = observation.observed_at
    key = "\x1f".join((observation.business, observation.metric, when.isoformat() if when else ""))
    return OBSERVATION_BASE + hashlib.sha256(key.encode()).hexdigest()[:24]


def observations_to_rdf(obs: ObservationSet) -> list[ox.Quad]:
    """Every business and observation of ``obs`` as quads in :data:`OBSERVATIONS_GRAPH`."""
    graph = ox.NamedNode(OBSERVATIONS_GRAPH)
    quads: list[ox.Quad] = []
    for business, observations in obs.by_business().items():
        subject = ox.NamedNode(business_iri(business))
        quads.extend(_business(subject, business, obs.businesses.get(business), graph))
        for observation in observations:
            quads.extend(_observation(subject, observation, graph))
    return quads


def _business(
    subject: ox.NamedNode, business: str, described: Business | None, graph: ox.NamedNode
) -> list[ox.Quad]:
    found = [
        ox.Quad(subject, _RDF_TYPE, _ORGANIZATION, graph),
        ox.Quad(subject, _IDENTIFIER, ox.Literal(business), graph),
    ]
    if described is None:
        return found
    for predicate, text in (
        (_NAME, described.name),
        (_ADDITIONAL_TYPE, described.sector),
        (_AREA_SERVED, described.region),
    ):
        if text is not None:
            found.append(ox.Quad(subject, predicate, ox.Literal(text), graph))
    for name, text in described.extra.items():
        node = ox.BlankNode()
        found += [
            ox.Quad(subject, _ADDITIONAL_PROPERTY, node, graph),
            ox.Quad(node, _RDF_TYPE, _PROPERTY_VALUE, graph),
            ox.Quad(node, _NAME, ox.Literal(name), graph),
            ox.Quad(node, _VALUE, ox.Literal(text), graph),
        ]
    return found


def _observation(
    business: ox.NamedNode, observation: Observation, graph: ox.NamedNode
) -> list[ox.Quad]:
    when = observation.observed_at
    subject = ox.NamedNode(observation_iri(observation))
    found = [
        ox.Quad(subject, _RDF_TYPE, _OBSERVATION, graph),
        ox.Quad(subject, _FEATURE_OF_INTEREST, business, graph),
        ox.Quad(subject, _OBSERVED_PROPERTY, ox.NamedNode(metric_iri(observation.metric)), graph),
        ox.Quad(subject, _SIMPLE_RESULT, _result(observation.value), graph),
    ]
    if when is not None:
        found.append(ox.Quad(subject, _RESULT_TIME, _time(when), graph))
    for predicate, text in (
        (_LOCATION, observation.location),
        (_SOURCE, observation.source),
        (_COMMENT, observation.note),
    ):
        if text is not None:
            found.append(ox.Quad(subject, predicate, ox.Literal(text), graph))
    return found


def _result(value: float | bool) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=_XSD_BOOLEAN)
    text = format(Decimal(repr(value)), "f")
    if "." not in text:
        text += ".0"
    return ox.Literal(text, datatype=_XSD_DECIMAL)


def _time(when: datetime.date) -> ox.Literal:
    if isinstance(when, datetime.datetime):
        return ox.Literal(when.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    return ox.Literal(when.isoformat(), datatype=ox.NamedNode(XSD + "date"))


_RDF_TYPE = ox.NamedNode(RDF_TYPE)
_OBSERVATION = ox.NamedNode(SOSA + "Observation")
_FEATURE_OF_INTEREST = ox.NamedNode(SOSA + "hasFeatureOfInterest")
_OBSERVED_PROPERTY = ox.NamedNode(SOSA + "observedProperty")
_SIMPLE_RESULT = ox.NamedNode(SOSA + "hasSimpleResult")
_RESULT_TIME = ox.NamedNode(SOSA + "resultTime")
_ORGANIZATION = ox.NamedNode(SCHEMA + "Organization")
_IDENTIFIER = ox.NamedNode(SCHEMA + "identifier")
_NAME = ox.NamedNode(SCHEMA + "name")
_ADDITIONAL_TYPE = ox.NamedNode(SCHEMA + "additionalType")
_AREA_SERVED = ox.NamedNode(SCHEMA + "areaServed")
_ADDITIONAL_PROPERTY = ox.NamedNode(SCHEMA + "additionalProperty")
_PROPERTY_VALUE = ox.NamedNode(SCHEMA + "PropertyValue")
_VALUE = ox.NamedNode(SCHEMA + "value")
_LOCATION = ox.NamedNode(SCHEMA + "location")
_SOURCE = ox.NamedNode(DCTERMS + "source")
_COMMENT = ox.NamedNode(RDFS_COMMENT)
_XSD_BOOLEAN = ox.NamedNode(XSD + "boolean")
_XSD_DECIMAL = ox.NamedNode(XSD + "decimal")
