"""The JSON routes for consultants under /api/ and their OpenAPI description."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from server_client import assert_error, client_for
from servicekg.assessment.pipeline import run_assessment
from servicekg.assessment.results import SCHEMA
from servicekg.knowledge_base import KnowledgeBase
from servicekg.resources import data_root

XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def client(sample_kb: KnowledgeBase) -> Iterator[TestClient]:
    with client_for(sample_kb) as test_client:
        yield test_client


def test_businesses_lists_every_example_business(client: TestClient) -> None:
    response = client.get("/api/businesses")
    assert response.status_code == 200
    rows = response.json()["businesses"]
    ids = [row["business"] for row in rows]
    assert "burgeri-riga" in ids
    assert ids == sorted(ids)
    burgeri = next(row for row in rows if row["business"] == "burgeri-riga")
    assert burgeri["sector"] == "fast-food"
    assert burgeri["observations"] > 0
    assert burgeri["recommendations"] > 0
    assert client.get(burgeri["links"]["recommendations"]).status_code == 200


def test_recommendations_are_the_report_shape_and_match_the_cli(client: TestClient) -> None:
    response = client.get("/api/businesses/burgeri-riga/recommendations")
    assert response.status_code == 200
    data = response.json()
    assert data["schema"] == SCHEMA
    assert data["language"] == "en"
    [business] = data["businesses"]
    expected = run_assessment([data_root() / "examples"]).report.business("burgeri-riga")
    assert [r["id"] for r in business["recommendations"]] == [
        r.id for r in expected.recommendations
    ]
    first = business["recommendations"][0]
    assert {"rank", "score", "title", "text", "evidence", "sources", "reason", "rule"} <= set(first)
    assert first["reason"]["chains"]
    assert first["sources"][0]["quote"]


def test_recommendations_in_dutch_and_latvian(client: TestClient) -> None:
    english = client.get("/api/businesses/burgeri-riga/recommendations").json()
    dutch = client.get("/api/businesses/burgeri-riga/recommendations?lang=nl").json()
    latvian = client.get("/api/businesses/burgeri-riga/recommendations?lang=lv").json()
    titles = [d["businesses"][0]["recommendations"][0]["title"] for d in (english, dutch, latvian)]
    assert len(set(titles)) == 3, titles


def test_an_unknown_business_is_404_naming_close_ones(client: TestClient) -> None:
    error = assert_error(client.get("/api/businesses/burgeri-rga/recommendations"), "not_found")
    assert "burgeri-riga" in error["message"]


def test_an_unknown_language_is_400(client: TestClient) -> None:
    error = assert_error(client.get("/api/rules?lang=de"), "bad_request")
    assert error["accepted"] == ["en", "nl", "lv"]


def test_rules_and_one_rule(client: TestClient) -> None:
    rules = client.get("/api/rules?lang=lv").json()["rules"]
    assert len(rules) >= 40
    one = client.get(rules[0]["links"]["self"] + "?lang=nl").json()
    assert one["id"] == rules[0]["id"]
    assert one["recommendation"]
    assert one["principles"]
    assert_error(client.get("/api/rules/no-such-rule"), "not_found")


def test_principles_with_the_rules_resting_on_them(client: TestClient) -> None:
    principles = client.get("/api/principles?lang=nl").json()["principles"]
    assert principles
    assert all(p["label"] for p in principles)
    assert any(p["rules"] for p in principles)


def _example_path(template: str) -> str:
    return re.sub(r"\{business\}", "burgeri-riga", re.sub(r"\{rule\}", "slow-service", template))


def test_openapi_describes_every_api_route_and_each_answers(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    described = set(document["paths"])
    app_routes = {
        "/api" + route.path
        for mount in client.app.routes  # type: ignore[attr-defined]
        if getattr(mount, "path", "") == "/api"
        for route in mount.routes
        if route.path not in ("/", "/openapi.json")
    }
    assert described == app_routes
    for path in described:
        response = client.get(_example_path(path))
        assert response.status_code == 200, (path, response.text)
    error_schema = document["components"]["schemas"]["Error"]
    assert error_schema["properties"]["error"]["required"] == ["status", "code", "message"]


def test_a_business_named_like_a_script_comes_back_as_plain_json(tmp_path: Path) -> None:
    folder = tmp_path / "obs"
    folder.mkdir()
    (folder / "businesses.csv").write_text(
        f"business,name,sector,region\nxss-shop,{XSS},retail,Rīga\n", encoding="utf-8"
    )
    (folder / "observations.csv").write_text(
        "business,metric,value\nxss-shop,greeting_rate,0.2\n", encoding="utf-8"
    )
    kb = run_assessment([folder]).kb
    with client_for(kb) as client:
        response = client.get("/api/businesses")
        assert response.headers["content-type"].startswith("application/json")
        [row] = response.json()["businesses"]
        assert row["name"] == XSS
        report = client.get("/api/businesses/xss-shop/recommendations").json()
        assert report["businesses"][0]["name"] == XSS


@pytest.mark.parametrize("business", ["Kafejnīca „Rīts”", "Bakkerij 't Hoekje"])
def test_business_ids_with_spaces_and_non_latin_letters(tmp_path: Path, business: str) -> None:
    folder = tmp_path / "obs"
    folder.mkdir()
    (folder / "observations.csv").write_text(
        f'business,metric,value\n"{business}",greeting_rate,0.2\n', encoding="utf-8"
    )
    kb = run_assessment([folder]).kb
    with client_for(kb) as client:
        [row] = client.get("/api/businesses").json()["businesses"]
        assert row["business"] == business
        response = client.get(row["links"]["recommendations"])
        assert response.status_code == 200, response.text
        assert response.json()["businesses"][0]["business"] == business
