"""The server over a remote store (``serve --endpoint``), on each real engine the tests start
(Oxigraph's server; Virtuoso, marked ``virtuoso``): the knowledge base is loaded and assessed
into the engine with the command line, and the endpoint, the Graph Store, ``/api`` and
``/viz`` answer as they do over the embedded store; errors keep their shape."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from remote_engines import ENGINES, RemoteEndpoint, remote_endpoint
from server_client import assert_error, client_for
from servicekg.cli.serve_command import serve
from servicekg.graph.concepts import list_concepts
from servicekg.server import ServerSettings, open_knowledge_base
from servicekg.server.startup import sample_knowledge_base

pytestmark = pytest.mark.slow

NT = '<urn:ex:a> <urn:ex:name> "Ātrie Burgeri" .\n'
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BUSINESS = "burgeri-riga"


@pytest.fixture(scope="module", params=ENGINES)
def remote(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RemoteEndpoint]:
    """The engine, holding the ontology, the rules and the assessed examples, written by
    ``servicekg load`` and ``servicekg assess --endpoint``."""
    from click.testing import CliRunner

    from servicekg.cli import app

    with remote_endpoint(request.param, tmp_path_factory.mktemp(request.param)) as server:
        runner = CliRunner(env=server.env())
        for args in (["load"], ["assess", str(EXAMPLES), "--all-visits", "--format", "json"]):
            result = runner.invoke(app, [*args, *server.options()], catch_exceptions=False)
            assert result.exit_code == 0, result.output
        yield server


@pytest.fixture(scope="module")
def embedded() -> Iterator[TestClient]:
    """The same knowledge base in memory, to compare with."""
    with client_for(sample_knowledge_base()) as test_client:
        yield test_client


@pytest.fixture
def client(remote: RemoteEndpoint, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    for name, value in remote.env().items():
        monkeypatch.setenv(name, value)  # the credentials, read as `servicekg serve` reads them
    options = serve.make_context("serve", [*remote.options(), "--allow-update"]).params
    settings = ServerSettings.from_options(options)
    kb = open_knowledge_base(settings)
    with client_for(kb, allow_update=True) as test_client:
        yield test_client


def test_the_engine_holds_what_the_embedded_store_holds(remote: RemoteEndpoint) -> None:
    sizes = remote.kb().graph_sizes()
    expected = sample_knowledge_base().graph_sizes()
    assert {g: n for g, n in sizes.items() if g in expected} == expected
    assert set(sizes) - set(expected) <= {"urn:ex:g"}  # left by a test below, if it failed


@pytest.mark.parametrize(
    "path",
    [
        "/api/businesses",
        f"/api/businesses/{BUSINESS}/recommendations",
        f"/api/businesses/{BUSINESS}/recommendations?lang=lv",
        "/api/rules",
        "/api/principles?lang=nl",
    ],
)
def test_the_api_answers_as_over_the_embedded_store(
    client: TestClient, embedded: TestClient, path: str
) -> None:
    remote, local = client.get(path), embedded.get(path)
    assert (remote.status_code, local.status_code) == (200, 200), remote.text
    assert _stable(remote.json()) == _stable(local.json())


@pytest.mark.parametrize(
    "path", ["/viz/principles", "/viz/portfolio?lang=nl", f"/viz/assessment?business={BUSINESS}"]
)
def test_the_views_show_what_they_show_over_the_embedded_store(
    client: TestClient, embedded: TestClient, path: str
) -> None:
    remote, local = client.get(path), embedded.get(path)
    assert (remote.status_code, local.status_code) == (200, 200), remote.text
    assert _labels(remote.text) == _labels(local.text)


def test_the_endpoint_answers_as_over_the_embedded_store(
    client: TestClient, embedded: TestClient
) -> None:
    query = (
        "SELECT ?rule (COUNT(?principle) AS ?n) "
        "WHERE { ?rule skg:restsOn ?principle } GROUP BY ?rule ORDER BY ?rule"
    )
    remote = client.get("/sparql", params={"query": query})
    local = embedded.get("/sparql", params={"query": query})
    assert remote.status_code == 200, remote.text
    assert remote.json()["results"] == local.json()["results"]
    ask = "ASK { skg:EmployeeTreatment skg:influences+ skg:Profit }"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
    no = "ASK { skg:Profit skg:influences skg:Profit }"
    assert client.get("/sparql", params={"query": no}).json()["boolean"] is False


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
    assert client.get(f"/store?graph={graph}").status_code == 404


def test_errors_keep_their_shape_in_front_of_a_remote_store(client: TestClient) -> None:
    error = assert_error(
        client.get("/sparql", params={"query": "SELECT ?x WHERE {"}), "query_syntax"
    )
    assert error["line"] == 1
    assert_error(client.get("/store?graph=urn:ex:none"), "not_found")
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert_error(client.get("/sparql", params={"query": service}), "remote_not_allowed")


def test_the_standard_dataset_in_front_of_a_remote_store(remote: RemoteEndpoint) -> None:
    """``--no-union-default-graph``: the default graph is the store's own (empty here, all is
    in named graphs) and GRAPH sees servicekg's graphs, never the engine's system graphs."""
    with client_for(remote.kb(), union_default_graph=False) as client:
        ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert ask.json()["boolean"] is False
        listed = client.get(
            "/sparql", params={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"}
        )
    graphs = {b["g"]["value"] for b in listed.json()["results"]["bindings"]}
    assert graphs == set(remote.kb().named_graphs())


def test_the_engine_s_own_graphs_stay_out_of_sight(remote: RemoteEndpoint) -> None:
    kb = remote.kb()
    graphs = kb.named_graphs()
    assert all("servicekg" in g or g.startswith("urn:ex:") for g in graphs), graphs
    everything = sum(1 for _ in kb.quads())
    assert everything == sum(kb.graph_sizes().values()) + sum(1 for _ in kb.quads(None))


def test_the_concepts_are_listed_as_in_memory(remote: RemoteEndpoint) -> None:
    """The concept listing (a property path, OPTIONAL and ORDER BY on two keys): Virtuoso
    7.2.5 over its own default graph answers it with 1 row of 69; over the graphs servicekg
    lists, in full, until the visits' graphs are written (see the known failure below)."""
    if remote.engine == "virtuoso":
        pytest.xfail(
            "Virtuoso 7.2.5 answers the listing (a property path with OPTIONAL labels) with no "
            "rows once the engagement and history graphs are in the dataset, though the same "
            "pattern without the OPTIONALs counts all 75; servicekg's own query is standard"
        )
    assert len(list_concepts(remote.kb())) == len(list_concepts(sample_knowledge_base()))


def _stable(value: object) -> object:
    """JSON as both stores must agree on it: where each file was read from (a temporary file
    for the sample) left out, lists of plain values compared as sets (SPARQL gives no order
    without ORDER BY)."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in ("origin", "generated_at")}
    if isinstance(value, list):
        items = [_stable(v) for v in value]
        if all(isinstance(v, str | int | float) for v in items):
            return sorted(items, key=str)
        return items
    return value


def _labels(html: str) -> list[str]:
    """The node labels a view shows, in order (the page's layout data aside)."""
    return sorted(set(re.findall(r'"label": "([^"]*)"', html)))
