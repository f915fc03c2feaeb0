"""The HTML graph views served under /viz/: the same offline pages as `servicekg viz`, linked
through the server's routes, with errors in the one JSON error shape."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from server_client import assert_error, client_for
from servicekg.knowledge_base import KnowledgeBase
from servicekg.server.viz_routes import view_link

VIEWS = ["principles", "value-chain", "customer-chain", "portfolio"]
CONSTRUCT = "CONSTRUCT { ?a skg:influences ?b } WHERE { ?a skg:influences ?b }"


@pytest.fixture(scope="module")
def client(sample_kb: KnowledgeBase) -> Iterator[TestClient]:
    with client_for(sample_kb) as c:
        yield c


def _remote_references(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"'\s>]+""", html)


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_is_a_self_contained_page_linking_to_the_server_routes(
    client: TestClient, view: str
) -> None:
    response = client.get(f"/viz/{view}", params={"lang": "lv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert _remote_references(html) == []
    assert '"/viz/principles' in html or "/viz/value-chain" in html  # links stay on the server


def test_the_assessment_view_shows_one_business(client: TestClient) -> None:
    response = client.get("/viz/assessment", params={"business": "burgeri-riga"})
    assert response.status_code == 200
    assert "burgeri-riga" in response.text
    assert _remote_references(response.text) == []


def test_an_unknown_business_is_not_found_with_the_known_ones_offered(client: TestClient) -> None:
    error = assert_error(
        client.get("/viz/assessment", params={"business": "burgeri-rga"}), "not_found"
    )
    assert "burgeri-riga" in error["message"]


@pytest.mark.parametrize("route", ["/viz/principles", "/api/principles"])
def test_an_unknown_language_is_a_bad_request_on_viz_as_on_api(
    client: TestClient, route: str
) -> None:
    """Regression: /viz answered 404 (as if the view were missing) where /api answered 400."""
    error = assert_error(client.get(route, params={"lang": "de"}), "bad_request")
    assert "'de'" in error["message"]
    assert error["accepted"] == ["en", "nl", "lv"]


def test_an_unknown_view_is_not_found(client: TestClient) -> None:
    error = assert_error(client.get("/viz/valuechain"), "not_found")
    assert "value-chain" in error["message"]


def test_a_construct_query_is_drawn_and_a_select_is_refused(client: TestClient) -> None:
    assert client.get("/viz/query", params={"query": CONSTRUCT}).status_code == 200
    assert_error(client.get("/viz/query", params={"query": "SELECT * { ?s ?p ?o }"}), "bad_request")
    assert_error(client.get("/viz/query"), "bad_request")


def test_the_index_leads_to_the_principles(client: TestClient) -> None:
    response = client.get("/viz/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/viz/principles"


def test_links_to_a_business_are_escaped_for_a_url() -> None:
    assert view_link("assessment", "a&b c") == "/viz/assessment?business=a%26b%20c"


def test_the_query_page_leads_to_the_views(client: TestClient) -> None:
    page = client.get("/").text
    links = re.findall(r'href="(/viz/[^"]*)"', page)
    assert links == ["/viz/principles"]
    assert client.get(links[0]).status_code == 200
