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
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote, unquote

import pyoxigraph as ox

from servicekg.namespace import BASE, GRAPH, METRIC
from servicekg.observations.records import Business, Observation, ObservationSet

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
    "business_nquads",
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
    text = "".join(
        business_nquads(business, obs.businesses.get(business), observations)
        for business, observations in obs.by_business().items()
    )
    return list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))


def business_nquads(
    business: str, described: Business | None, observations: Iterable[Observation]
) -> str:
    """One business and its observations as N-Quads text in :data:`OBSERVATIONS_GRAPH`
    (what :func:`observations_to_rdf` parses; a store loads it without Python objects)."""
    subject = f"<{business_iri(business)}>"
    lines = [
        f"{subject} {_RDF_TYPE} {_ORGANIZATION} {_GRAPH} .\n",
        f"{subject} {_IDENTIFIER} {_literal(business)} {_GRAPH} .\n",
    ]
    if described is not None:
        for predicate, text in (
            (_NAME, described.name),
            (_ADDITIONAL_TYPE, described.sector),
            (_AREA_SERVED, described.region),
        ):
            if text is not None:
                lines.append(f"{subject} {predicate} {_literal(text)} {_GRAPH} .\n")
        for name, text in described.extra.items():
            node = str(ox.BlankNode())
            lines += [
                f"{subject} {_ADDITIONAL_PROPERTY} {node} {_GRAPH} .\n",
                f"{node} {_RDF_TYPE} {_PROPERTY_VALUE} {_GRAPH} .\n",
                f"{node} {_NAME} {_literal(name)} {_GRAPH} .\n",
                f"{node} {_VALUE} {_literal(text)} {_GRAPH} .\n",
            ]
    for observation in observations:
        node = f"<{observation_iri(observation)}>"
        lines += [
            f"{node} {_RDF_TYPE} {_OBSERVATION} {_GRAPH} .\n",
            f"{node} {_FEATURE_OF_INTEREST} {subject} {_GRAPH} .\n",
            f"{node} {_OBSERVED_PROPERTY} {_metric(observation.metric)} {_GRAPH} .\n",
            f"{node} {_SIMPLE_RESULT} {_result(observation.value)} {_GRAPH} .\n",
        ]
        when = observation.observed_at
        if when is not None:
            lines.append(f"{node} {_RESULT_TIME} {_time(when)} {_GRAPH} .\n")
        for predicate, text in (
            (_LOCATION, observation.location),
            (_SOURCE, observation.source),
            (_COMMENT, observation.note),
        ):
            if text is not None:
                lines.append(f"{node} {predicate} {_literal(text)} {_GRAPH} .\n")
    return "".join(lines)


@lru_cache(maxsize=4096)
def _metric(metric: str) -> str:
    return str(ox.NamedNode(metric_iri(metric)))


def _literal(text: str) -> str:
    return str(ox.Literal(text))


def _result(value: float | bool) -> str:
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    text = format(Decimal(repr(value)), "f")
    if "." not in text:
        text += ".0"
    return f'"{text}"^^{_XSD_DECIMAL}'


def _time(when: datetime.date) -> str:
    if isinstance(when, datetime.datetime):
        return f'"{when.isoformat()}"^^<{XSD}dateTime>'
    return f'"{when.isoformat()}"^^<{XSD}date>'


def _iri(iri: str) -> str:
    return str(ox.NamedNode(iri))


_GRAPH = _iri(OBSERVATIONS_GRAPH)
_RDF_TYPE = _iri(RDF_TYPE)
_OBSERVATION = _iri(SOSA + "Observation")
_FEATURE_OF_INTEREST = _iri(SOSA + "hasFeatureOfInterest")
_OBSERVED_PROPERTY = _iri(SOSA + "observedProperty")
_SIMPLE_RESULT = _iri(SOSA + "hasSimpleResult")
_RESULT_TIME = _iri(SOSA + "resultTime")
_ORGANIZATION = _iri(SCHEMA + "Organization")
_IDENTIFIER = _iri(SCHEMA + "identifier")
_NAME = _iri(SCHEMA + "name")
_ADDITIONAL_TYPE = _iri(SCHEMA + "additionalType")
_AREA_SERVED = _iri(SCHEMA + "areaServed")
_ADDITIONAL_PROPERTY = _iri(SCHEMA + "additionalProperty")
_PROPERTY_VALUE = _iri(SCHEMA + "PropertyValue")
_VALUE = _iri(SCHEMA + "value")
_LOCATION = _iri(SCHEMA + "location")
_SOURCE = _iri(DCTERMS + "source")
_COMMENT = _iri(RDFS_COMMENT)
_XSD_DECIMAL = _iri(XSD + "decimal")
_TRUE = f'"true"^^{_iri(XSD + "boolean")}'
_FALSE = f'"false"^^{_iri(XSD + "boolean")}'
