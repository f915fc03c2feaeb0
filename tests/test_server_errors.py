"""One JSON error shape for every error: each kind of error the server answers is provoked
here for real, and every code of ERROR_CODES must be among them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from live_server import free_port
from server_client import assert_error, client_for
from servicekg.errors import ERROR_CODES
from servicekg.knowledge_base import KnowledgeBase
from servicekg.server import ServerSettings, create_app

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
UPDATE = {"Content-Type": "application/sparql-update"}

Case = Callable[[TestClient], object]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.with_ontology()


@pytest.fixture(scope="module")
def client(kb: KnowledgeBase) -> Iterator[TestClient]:
    settings = ServerSettings(
        allow_update=True,
        token="t",  # noqa: S106 (a test token)
        query_timeout=1.0,
        result_limit=20_000,
        max_body=2_000,
    )
    app = create_app(kb, settings)
    app.router.routes.insert(0, Route("/broken", _broken))  # a route with a bug in it
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


async def _broken(_request: Request) -> Response:
    raise RuntimeError("a bug in a route")


AUTH = {"Authorization": "Bearer t"}

CASES: dict[str, Case] = {
    "bad_request": lambda c: c.get(
        "/sparql?" + urlencode([("query", "ASK{}"), ("query", "ASK{}")])
    ),
    "query_syntax": lambda c: c.get("/sparql", params={"query": "SELEC ?x"}),
    "invalid_data": lambda c: c.put(
        "/store?default", content=b"not turtle", headers={"Content-Type": "text/turtle", **AUTH}
    ),
    "unauthorized": lambda c: c.post("/sparql", content="CLEAR ALL", headers=UPDATE),
    "forbidden": lambda c: c.post(
        "/sparql", content="CLEAR ALL", headers={**UPDATE, "Authorization": "Bearer x"}
    ),
    "remote_not_allowed": lambda c: c.get(
        "/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}
    ),
    "not_found": lambda c: c.get("/no/such/page"),
    "method_not_allowed": lambda c: c.delete("/sparql"),
    "not_acceptable": lambda c: c.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}
    ),
    "payload_too_large": lambda c: c.post(
        "/sparql",
        content="ASK { } #" + "x" * 3_000,
        headers={"Content-Type": "application/sparql-query"},
    ),
    "unsupported_media_type": lambda c: c.post(
        "/sparql", content="ASK {}", headers={"Content-Type": "application/json"}
    ),
    "result_too_large": lambda c: c.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}
    ),
    "internal": lambda c: c.get("/broken"),
    "query_timeout": lambda c: c.get("/sparql", params={"query": SLOW}),
}


@pytest.mark.parametrize("code", CASES.keys())
def test_every_error_has_the_one_shape(client: TestClient, code: str) -> None:
    response = CASES[code](client)
    error = assert_error(response, code)
    assert "Traceback" not in error["message"]


def test_a_read_only_server_says_so() -> None:
    with client_for(KnowledgeBase()) as client:
        response = client.post("/sparql", content="CLEAR ALL", headers=UPDATE)
    assert "--allow-update" in assert_error(response, "read_only")["message"]


def test_an_unreachable_remote_store_is_502() -> None:
    port = free_port()
    kb = KnowledgeBase.remote(f"http://127.0.0.1:{port}/query")
    with client_for(kb) as client:
        response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert_error(response, "store_unavailable")


def test_every_error_code_is_provoked_by_a_test() -> None:
    provoked = set(CASES) | {"read_only", "store_unavailable"}
    assert provoked == set(ERROR_CODES)


def test_the_server_goes_on_after_each_error(client: TestClient) -> None:
    for code in ("query_timeout", "result_too_large", "internal"):
        CASES[code](client)
        response = client.get("/sparql", params={"query": "ASK { skg:Friendliness ?p ?o }"})
        assert response.json()["boolean"] is True, code
