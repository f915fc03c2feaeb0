"""The engagement routes of /api: progress, follow-ups (writing needs the token), what-if
(read-only), chain, and the filters of /api/businesses and the portfolio view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from server_client import assert_error, client_for, snapshot
from servicekg.engagement.runs import assess_visits
from servicekg.engagement.words import words
from servicekg.knowledge_base import KnowledgeBase
from servicekg.resources import data_root

TOKEN = "s3cret-token-for-tests"  # noqa: S105
RIGA, JELGAVA = "burgeru-baze-riga", "burgeru-baze-jelgava"


@pytest.fixture
def client(sample_kb: KnowledgeBase) -> Iterator[TestClient]:
    with client_for(sample_kb) as test_client:
        yield test_client


def _writable() -> KnowledgeBase:
    return assess_visits([data_root() / "examples"]).run.kb


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_progress_in_each_language(client: TestClient, lang: str) -> None:
    response = client.get(f"/api/businesses/{RIGA}/progress", params={"lang": lang})
    assert response.status_code == 200, response.text
    data = response.json()
    assert [v["number"] for v in data["visits"]] == [1, 2, 3]
    changes = {r["rule"]: r["change"] for r in data["recommendations"]}
    assert changes["slow-service-fast-food"] == "persisting"
    titles = [r["title"] for r in data["recommendations"] if r["rule"] == "slow-service-fast-food"]
    expected = {
        "en": "Fast-food service is slower than the McDonald's example",
        "nl": "De fastfoodbediening is trager dan het voorbeeld van McDonald's",
        "lv": "Ātrās ēdināšanas apkalpošana ir lēnāka par McDonald's piemēru",
    }
    assert titles == [expected[lang]]


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_chain_in_each_language(client: TestClient, lang: str) -> None:
    response = client.get("/api/groups/burgeru-baze/chain", params={"lang": lang})
    assert response.status_code == 200, response.text
    data = response.json()
    assert [b["business"] for b in data["branches"]] == [JELGAVA, "burgeru-baze-liepaja", RIGA]
    label = {"en": "Employee treatment", "nl": "Behandeling van medewerkers"}
    if lang in label:
        assert data["shared_causes"][0]["label"] == label[lang]


def test_an_unknown_group_is_404_naming_the_known_ones(client: TestClient) -> None:
    error = assert_error(client.get("/api/groups/burger-base/chain"), "not_found")
    assert "burgeru-baze" in error["message"]


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_what_if_is_read_only_and_in_each_language(sample_kb: KnowledgeBase, lang: str) -> None:
    before = snapshot(sample_kb)
    with client_for(sample_kb) as client:
        response = client.get(
            f"/api/businesses/{JELGAVA}/what-if",
            params={"change": "service_time_seconds=90", "best": "2", "lang": lang},
        )
    assert response.status_code == 200, response.text
    data = response.json()
    assert [r["rule"] for r in data["what_if"]["disappear"]] == ["slow-service-fast-food"]
    assert len(data["best"]) == 2
    assert snapshot(sample_kb) == before
    said = words(lang)
    assert said["transitions"]["new"]  # the words exist in the language asked for


def test_what_if_with_no_change_lists_the_best_three(client: TestClient) -> None:
    data = client.get(f"/api/businesses/{JELGAVA}/what-if").json()
    assert len(data["best"]) == 3
    assert "what_if" not in data


@pytest.mark.parametrize(
    "params", [{"change": "service_time=90"}, {"change": "greeting_rate=2"}, {"best": "0"}]
)
def test_a_bad_what_if_is_400(client: TestClient, params: dict[str, str]) -> None:
    response = client.get(f"/api/businesses/{JELGAVA}/what-if", params=params)
    assert response.status_code in (400, 404)
    assert_error(response, "bad_request" if response.status_code == 400 else "not_found")


def test_recording_a_follow_up_needs_the_token_and_changes_nothing_without_it() -> None:
    kb = _writable()
    body = {
        "rule": "slow-service-fast-food",
        "status": "done",
        "date": "2026-09-25",
        "note": "3 at lunch",
    }
    with client_for(kb) as client:  # read-only
        before = snapshot(kb)
        assert_error(client.post(f"/api/businesses/{JELGAVA}/follow-ups", json=body), "read_only")
        assert snapshot(kb) == before
    with client_for(kb, allow_update=True, token=TOKEN) as client:
        assert_error(
            client.post(f"/api/businesses/{JELGAVA}/follow-ups", json=body), "unauthorized"
        )
        assert snapshot(kb) == before
        response = client.post(
            f"/api/businesses/{JELGAVA}/follow-ups",
            json=body,
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 201, response.text
        assert response.json()["iri"].endswith(f"/{JELGAVA}/slow-service-fast-food/1")
        listed = client.get(f"/api/businesses/{JELGAVA}/follow-ups").json()["follow_ups"]
        [stored] = [f for f in listed if f["rule"] == "slow-service-fast-food"]
        assert (stored["status"], stored["date"]) == ("done", "2026-09-25")


@pytest.mark.parametrize(
    ("body", "words_"),
    [
        ({"rule": "slow-service-fast-food"}, "'status' is required"),
        ({"rule": "slow-service-fast-food", "status": "finished"}, "'status' is required"),
        ({"rule": "slow-service-fast-food", "status": "done", "date": "25.09.2026"}, "YYYY-MM-DD"),
        ({"rule": "slow-service-fast-food", "status": "done", "colour": "red"}, "unknown field"),
        ({"rule": "slow-servise", "status": "done"}, "did you mean 'slow-service'"),
    ],
)
def test_a_bad_follow_up_is_refused_in_the_error_shape(body: dict, words_: str) -> None:
    kb = _writable()
    before = snapshot(kb)
    with client_for(kb, allow_update=True, token=TOKEN) as client:
        response = client.post(
            f"/api/businesses/{RIGA}/follow-ups",
            json=body,
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert response.status_code in (400, 404)
    error = response.json()["error"]
    assert words_ in error["message"]
    assert snapshot(kb) == before


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"group": "burgeru-baze"}, {RIGA, JELGAVA, "burgeru-baze-liepaja"}),
        ({"group": "burgeru-baze", "visit": "3"}, {RIGA, JELGAVA}),
        ({"sector": "fast-food"}, {RIGA, JELGAVA, "burgeru-baze-liepaja", "burgeri-riga"}),
        ({"sector": "hospitality"}, {"viesnica-kapas"}),
    ],
)
def test_businesses_filter_by_group_sector_and_visit(
    client: TestClient, params: dict[str, str], expected: set[str]
) -> None:
    rows = client.get("/api/businesses", params=params).json()["businesses"]
    assert {r["business"] for r in rows} == expected


def test_businesses_filter_by_an_unknown_group_is_404(client: TestClient) -> None:
    assert_error(client.get("/api/businesses", params={"group": "nobody"}), "not_found")


def test_the_portfolio_view_keeps_only_the_filtered_businesses(client: TestClient) -> None:
    whole = client.get("/viz/portfolio").text
    chain = client.get("/viz/portfolio", params={"group": "burgeru-baze"}).text
    assert "burgeri-riga" in whole
    assert "burgeri-riga" not in chain
    assert RIGA in chain
