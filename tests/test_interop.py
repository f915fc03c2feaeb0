"""Standard SPARQL clients against the live endpoint: SPARQLWrapper and rdflib's stores.

What an analyst does from Python: SELECT and ASK in JSON and XML, CONSTRUCT as Turtle and
RDF/XML, updates (URL-encoded and direct POST) with SPARQLWrapper; graph access and updates
through rdflib's ``SPARQLStore`` and ``SPARQLUpdateStore``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, XML, SPARQLWrapper

from w3c.client import Endpoint
from w3c.server import conformance_server

EX = "http://example.org/interop/"
GRAPH = EX + "graph"
DATA = f"""
<{EX}burgeri> <{EX}sector> "fast-food" .
<{EX}burgeri> <{EX}score> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .
<{EX}kafija> <{EX}sector> "restaurant" .
<{EX}kafija> <{EX}score> "9"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""
SELECT = f"SELECT ?b ?score WHERE {{ GRAPH <{GRAPH}> {{ ?b <{EX}score> ?score }} }} ORDER BY ?b"
ASK = f"ASK {{ GRAPH <{GRAPH}> {{ <{EX}kafija> <{EX}sector> 'restaurant' }} }}"
CONSTRUCT = (
    f"CONSTRUCT {{ ?b <{EX}inSector> ?s }} WHERE {{ GRAPH <{GRAPH}> {{ ?b <{EX}sector> ?s }} }}"
)


@pytest.fixture(scope="module")
def server() -> Iterator[Endpoint]:
    """One live server for the module."""
    with conformance_server() as live:
        yield live


@pytest.fixture
def endpoint(server: Endpoint) -> Endpoint:
    """The live server holding only the example graph."""
    server.clear()
    assert server.put_graph(GRAPH, DATA.encode()).status < 300
    return server


def _wrapper(url: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_select_json(endpoint: Endpoint) -> None:
    """SELECT answers in SPARQL JSON, rows in the query's order."""
    client = _wrapper(endpoint.query_url, JSON)
    client.setQuery(SELECT)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index,call-overload]
    assert [(r["b"]["value"], r["score"]["value"]) for r in rows] == [
        (EX + "burgeri", "7"),
        (EX + "kafija", "9"),
    ]
    assert rows[0]["score"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_sparqlwrapper_select_xml(endpoint: Endpoint) -> None:
    """SELECT answers in SPARQL XML, which SPARQLWrapper reads as a DOM."""
    client = _wrapper(endpoint.query_url, XML)
    client.setQuery(SELECT)
    document = client.queryAndConvert()
    values = [node.firstChild.data for node in document.getElementsByTagName("uri")]  # type: ignore[union-attr]
    assert values == [EX + "burgeri", EX + "kafija"]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(endpoint: Endpoint, fmt: str) -> None:
    """ASK answers true in both result formats."""
    client = _wrapper(endpoint.query_url, fmt)
    client.setQuery(ASK)
    result = client.queryAndConvert()
    if fmt == JSON:
        assert result["boolean"] is True  # type: ignore[index,call-overload]
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]


# SPARQLWrapper reads RDF/XML into an rdflib ConjunctiveGraph, which rdflib deprecates.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fmt", [TURTLE, XML])
def test_sparqlwrapper_construct(endpoint: Endpoint, fmt: str) -> None:
    """CONSTRUCT answers a graph (Turtle or RDF/XML) that rdflib reads."""
    client = _wrapper(endpoint.query_url, fmt)
    client.setQuery(CONSTRUCT)
    result = client.queryAndConvert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result, format="turtle")
    assert set(graph) == {
        (URIRef(EX + "burgeri"), URIRef(EX + "inSector"), Literal("fast-food")),
        (URIRef(EX + "kafija"), URIRef(EX + "inSector"), Literal("restaurant")),
    }


@pytest.mark.parametrize("method", [URLENCODED, POSTDIRECTLY])
def test_sparqlwrapper_update(endpoint: Endpoint, method: str) -> None:
    """An update sent by SPARQLWrapper (form or direct POST) changes what queries see."""
    client = SPARQLWrapper(endpoint.query_url, updateEndpoint=endpoint.update_url)
    client.setMethod(POST)
    client.setRequestMethod(method)
    client.setQuery(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{EX}new> <{EX}sector> 'retail' }} }}")
    assert client.query().response.status in {200, 204}
    check = _wrapper(endpoint.query_url, JSON)
    check.setQuery(f"ASK {{ GRAPH <{GRAPH}> {{ <{EX}new> <{EX}sector> 'retail' }} }}")
    assert check.queryAndConvert()["boolean"] is True  # type: ignore[index,call-overload]


def test_rdflib_sparqlstore_reads(endpoint: Endpoint) -> None:
    """rdflib's SPARQLStore queries the endpoint and lists a named graph's triples."""
    store = SPARQLStore(endpoint.query_url, returnFormat="json")
    try:
        rows = [(str(b), int(s)) for b, s in Graph(store=store).query(SELECT)]  # type: ignore[misc]
        assert rows == [(EX + "burgeri", 7), (EX + "kafija", 9)]
        assert bool(Graph(store=store).query(ASK).askAnswer) is True
        named = Graph(store=store, identifier=URIRef(GRAPH))
        assert set(named.subjects(URIRef(EX + "sector"), None)) == {
            URIRef(EX + "burgeri"),
            URIRef(EX + "kafija"),
        }
    finally:
        store.close()


def test_rdflib_sparqlupdatestore_writes(endpoint: Endpoint) -> None:
    """rdflib's SPARQLUpdateStore adds and removes triples in a named graph."""
    store = SPARQLUpdateStore(endpoint.query_url, endpoint.update_url)
    graph = Graph(store=store, identifier=URIRef(GRAPH))
    triple = (URIRef(EX + "pasts"), URIRef(EX + "sector"), Literal("other"))
    try:
        graph.add(triple)
        assert triple in graph
        graph.remove(triple)
        assert triple not in graph
        assert (URIRef(EX + "kafija"), URIRef(EX + "sector"), Literal("restaurant")) in graph
    finally:
        store.close()
