"""Who may write: read-only by default; with --allow-update a bearer token when one is set
(401 without it, 403 with a wrong one, and the store unchanged), or a loopback server with no
token, which accepts writes with a warning. Every SPARQL update route and every Graph Store
write method is tried."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from starlette.testclient import TestClient

from server_client import assert_error, client_for, snapshot
from servicekg.errors import InputError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.server import ServerSettings

TOKEN = "s3cret-token"  # noqa: S105 (a test token)
UPDATE = "INSERT DATA { <urn:ex:new> <urn:ex:p> 'written' }"
NT = b'<urn:ex:new> <urn:ex:p> "written" .\n'

Write = Callable[[TestClient, dict[str, str]], object]

WRITES: dict[str, Write] = {
    "update form": lambda c, h: c.post(
        "/sparql",
        content=urlencode({"update": UPDATE}),
        headers={"Content-Type": "application/x-www-form-urlencoded", **h},
    ),
    "update direct": lambda c, h: c.post(
        "/sparql", content=UPDATE, headers={"Content-Type": "application/sparql-update", **h}
    ),
    "store PUT": lambda c, h: c.put(
        "/store?graph=urn:ex:g", content=NT, headers={"Content-Type": "application/n-triples", **h}
    ),
    "store POST": lambda c, h: c.post(
        "/store?graph=urn:ex:g", content=NT, headers={"Content-Type": "application/n-triples", **h}
    ),
    "store POST new": lambda c, h: c.post(
        "/store", content=NT, headers={"Content-Type": "application/n-triples", **h}
    ),
    "store DELETE": lambda c, h: c.delete("/store?graph=urn:ex:existing", headers=h),
    "store DELETE default": lambda c, h: c.delete("/store?default", headers=h),
}


def _kb() -> KnowledgeBase:
    kb = KnowledgeBase()
    kb.update("INSERT DATA { GRAPH <urn:ex:existing> { <urn:ex:a> <urn:ex:p> 1 } }")
    kb.update("INSERT DATA { <urn:ex:d> <urn:ex:p> 2 }")
    return kb


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_read_only_server_refuses_every_write(write: Write) -> None:
    kb = _kb()
    before = snapshot(kb)
    with client_for(kb) as client:
        assert_error(write(client, {}), "read_only")
        assert_error(write(client, {"Authorization": f"Bearer {TOKEN}"}), "read_only")
    assert snapshot(kb) == before


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_write_without_the_token_is_401_and_changes_nothing(write: Write) -> None:
    kb = _kb()
    before = snapshot(kb)
    with client_for(kb, allow_update=True, token=TOKEN) as client:
        response = write(client, {})
        assert_error(response, "unauthorized")
        assert response.headers["www-authenticate"].startswith("Bearer")  # type: ignore[attr-defined]
        assert_error(write(client, {"Authorization": "Basic dXNlcjpwYXNz"}), "unauthorized")
    assert snapshot(kb) == before


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_write_with_a_wrong_token_is_403_and_changes_nothing(write: Write) -> None:
    kb = _kb()
    before = snapshot(kb)
    with client_for(kb, allow_update=True, token=TOKEN) as client:
        assert_error(write(client, {"Authorization": "Bearer wrong"}), "forbidden")
        assert_error(write(client, {"Authorization": f"Bearer {TOKEN}x"}), "forbidden")
    assert snapshot(kb) == before


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_write_with_the_token_is_done(write: Write) -> None:
    kb = _kb()
    before = snapshot(kb)
    with client_for(kb, allow_update=True, token=TOKEN) as client:
        response = write(client, {"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code in (201, 204), response.text  # type: ignore[attr-defined]
    assert snapshot(kb) != before


def test_a_loopback_server_with_no_token_accepts_writes_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    kb = _kb()
    with (
        caplog.at_level(logging.WARNING, logger="servicekg.server"),
        client_for(kb, allow_update=True) as client,
    ):
        response = WRITES["update direct"](client, {})
    assert response.status_code == 204  # type: ignore[attr-defined]
    assert bool(kb.query("ASK { <urn:ex:new> <urn:ex:p> 'written' }"))
    assert any("no token" in record.getMessage() for record in caplog.records)


def test_reads_need_no_token() -> None:
    with client_for(_kb(), allow_update=True, token=TOKEN) as client:
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        assert client.get("/store?default").status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org"])  # noqa: S104
def test_updates_without_a_token_are_refused_off_loopback(host: str) -> None:
    with pytest.raises(InputError, match="needs --token"):
        ServerSettings.from_options({"host": host, "allow_update": True})
    ServerSettings.from_options({"host": host, "allow_update": True, "token": TOKEN})
