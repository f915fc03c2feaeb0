"""The server over a remote store (``serve --endpoint``): a real Oxigraph server on 127.0.0.1
holds the data; our endpoint, Graph Store and limits work the same in front of it."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from oxigraph_server import OxigraphServer, oxigraph_server
from server_client import assert_error, client_for
from servicekg.server import ServerSettings, open_knowledge_base

pytestmark = pytest.mark.slow

NT = '<urn:ex:a> <urn:ex:name> "Ātrie Burgeri" .\n'


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture
def client(remote: OxigraphServer) -> Iterator[TestClient]:
    settings = ServerSettings.from_options(
        {
            "endpoint": remote.query_url,
            "update_endpoint": remote.update_url,
            "store_endpoint": remote.store_url,
            "allow_update": True,
        }
    )
    kb = open_knowledge_base(settings)
    with client_for(kb, allow_update=True) as test_client:
        yield test_client


def test_writes_and_reads_go_to_the_remote_store(client: TestClient) -> None:
    graph = quote("urn:ex:g", safe="")
    put = client.put(
        f"/store?graph={graph}",
        content=NT.encode(),
        headers={"Content-Type": "application/n-triples"},
    )
    assert put.status_code in (201, 204)
    got = client.get(f"/store?graph={graph}", headers={"Accept": "application/n-triples"})
    assert "Ātrie Burgeri" in got.text
    answer = client.get(
        "/sparql", params={"query": "SELECT ?n WHERE { <urn:ex:a> <urn:ex:name> ?n }"}
    )
    assert answer.json()["results"]["bindings"][0]["n"]["value"] == "Ātrie Burgeri"
    update = client.post(
        "/sparql",
        content="INSERT DATA { GRAPH <urn:ex:g> { <urn:ex:b> <urn:ex:name> 'B' } }",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert update.status_code == 204
    count = client.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?c) WHERE { ?s <urn:ex:name> ?o }"}
    )
    assert count.json()["results"]["bindings"][0]["c"]["value"] == "2"
    assert client.delete(f"/store?graph={graph}").status_code == 204


def test_errors_keep_their_shape_in_front_of_a_remote_store(client: TestClient) -> None:
    error = assert_error(
        client.get("/sparql", params={"query": "SELECT ?x WHERE {"}), "query_syntax"
    )
    assert error["line"] == 1
    assert_error(client.get("/store?graph=urn:ex:none"), "not_found")
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert_error(client.get("/sparql", params={"query": service}), "remote_not_allowed")
