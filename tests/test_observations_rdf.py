"""Observations as RDF (W3C SOSA, schema.org): business IRIs, the written graph, round trips."""

from __future__ import annotations

import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations import (
    OBSERVATIONS_GRAPH,
    Business,
    Observation,
    ObservationSet,
    Origin,
    business_id,
    business_iri,
    load_observations,
    observations_to_rdf,
    sector_codes,
)
from servicekg.rdf_io import to_rdflib_graph

DATA = Path(__file__).parent / "data" / "observations"
RITS = 'Kafejnīca "Rīts"'
HOEKJE = "Bakkerij 't Hoekje"


@pytest.fixture(scope="module")
def catalogue(kb: KnowledgeBase) -> MetricCatalogue:
    return MetricCatalogue.from_kb(kb)


@pytest.mark.parametrize(
    ("business", "iri"),
    [
        (RITS, "https://w3id.org/servicekg/business/Kafejn%C4%ABca%20%22R%C4%ABts%22"),
        (HOEKJE, "https://w3id.org/servicekg/business/Bakkerij%20%27t%20Hoekje"),
        ("Ēdnīca/Nr. 1?#", "https://w3id.org/servicekg/business/%C4%92dn%C4%ABca%2FNr.%201%3F%23"),
    ],
)
def test_business_iris_percent_encode_the_id_and_decode_back(business: str, iri: str) -> None:
    assert business_iri(business) == iri
    assert ox.NamedNode(iri).value == iri  # a valid IRI
    assert business_id(iri) == business


def test_an_iri_outside_the_business_namespace_has_no_business_id() -> None:
    assert business_id("https://example.org/cafe") is None


def test_the_graph_is_sosa_and_schema_org(catalogue: MetricCatalogue) -> None:
    observations = ObservationSet(
        {HOEKJE: Business(HOEKJE, "Hoekje BV", "retail", "Utrecht", {"owner": "Jansen"})},
        [
            Observation(HOEKJE, "greeting_rate", 0.85, "ratio", datetime.date(2024, 3, 1),
                        "Utrecht", "mystery shop", "busy", Origin("f.csv", 2)),
            Observation("Solo", "has_problem_resolution_process", True, "bool", None,
                        None, None, None, Origin("f.csv", 3)),
        ],
    )  # fmt: skip
    quads = observations_to_rdf(observations)
    assert {q.graph_name for q in quads} == {ox.NamedNode(OBSERVATIONS_GRAPH)}
    assert OBSERVATIONS_GRAPH == "https://w3id.org/servicekg/graph/observations"
    written = to_rdflib_graph(quads)
    expected = rdflib.Graph().parse(
        format="turtle",
        data="""
        @prefix sosa: <http://www.w3.org/ns/sosa/> .
        @prefix schema: <https://schema.org/> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix metric: <https://w3id.org/servicekg/metric/> .
        @prefix business: <https://w3id.org/servicekg/business/> .
        @prefix obs: <https://w3id.org/servicekg/observation/> .

        business:Bakkerij%20%27t%20Hoekje a schema:Organization ;
            schema:identifier "Bakkerij 't Hoekje" ; schema:name "Hoekje BV" ;
            schema:additionalType "retail" ; schema:areaServed "Utrecht" ;
            schema:additionalProperty [ a schema:PropertyValue ;
                                        schema:name "owner" ; schema:value "Jansen" ] .
        business:Solo a schema:Organization ; schema:identifier "Solo" .
        obs:GREETING a sosa:Observation ;
            sosa:hasFeatureOfInterest business:Bakkerij%20%27t%20Hoekje ;
            sosa:observedProperty metric:greeting_rate ;
            sosa:hasSimpleResult 0.85 ;
            sosa:resultTime "2024-03-01"^^xsd:date ;
            schema:location "Utrecht" ; dcterms:source "mystery shop" ; rdfs:comment "busy" .
        obs:FLAG a sosa:Observation ;
            sosa:hasFeatureOfInterest business:Solo ;
            sosa:observedProperty metric:has_problem_resolution_process ;
            sosa:hasSimpleResult true .
        """.replace("GREETING", _minted(quads, "greeting_rate")).replace(
            "FLAG", _minted(quads, "has_problem")
        ),
    )
    if not isomorphic(written, expected):
        _in_both, only_written, only_expected = graph_diff(
            to_isomorphic(written), to_isomorphic(expected)
        )
        pytest.fail(
            "written graph differs:\nonly written:\n"
            + only_written.serialize(format="nt")
            + "only expected:\n"
            + only_expected.serialize(format="nt")
        )


def _minted(quads: list[ox.Quad], metric: str) -> str:
    """The local name of the observation IRI minted for ``metric``."""
    (subject,) = {
        q.subject.value
        for q in quads
        if q.predicate.value.endswith("observedProperty") and metric in q.object.value
    }
    return subject.rsplit("/", 1)[1]


@pytest.mark.parametrize("source", ["observations.csv", "observations.yaml"])
def test_latvian_and_dutch_businesses_round_trip_through_turtle(
    kb: KnowledgeBase, catalogue: MetricCatalogue, tmp_path: Path, source: str
) -> None:
    sectors = sector_codes(kb)
    paths = [DATA / source] + ([DATA / "businesses.csv"] if source.endswith(".csv") else [])
    original = load_observations(paths, catalogue, sectors)
    turtle = tmp_path / "written.ttl"
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in observations_to_rdf(original)]
    turtle.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE) or b"")
    again = load_observations([turtle], catalogue, sectors)
    assert {o.business for o in again.observations} >= {RITS, HOEKJE}
    assert sorted(again.observations, key=repr) == sorted(original.observations, key=repr)
    assert again.businesses == original.businesses


def test_the_written_observations_answer_sparql_with_the_ontology(
    catalogue: MetricCatalogue, kb: KnowledgeBase
) -> None:
    loaded = load_observations(
        [DATA / "observations.csv", DATA / "businesses.csv"], catalogue, sector_codes(kb)
    )
    store = KnowledgeBase.with_ontology()
    store.add_quads(observations_to_rdf(loaded))
    rows = store.select(
        """PREFIX sosa: <http://www.w3.org/ns/sosa/>
           SELECT ?name ?sector ?value WHERE {
             GRAPH <https://w3id.org/servicekg/graph/observations> {
               ?business schema:additionalType ?code ; schema:name ?name .
               ?seen sosa:hasFeatureOfInterest ?business ;
                     sosa:observedProperty metric:service_time_seconds ;
                     sosa:hasSimpleResult ?value .
             }
             ?sector skg:sectorCode ?code .
           } ORDER BY ?name"""
    )
    assert [(r["name"], r["sector"].rsplit("#")[-1], float(r["value"])) for r in rows] == [
        ("Bakkerij 't Hoekje BV", "Retail", 90.0),
        ("QuickBite", "FastFood", 75.0),
    ]
