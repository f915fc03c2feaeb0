"""The Graph Store HTTP Protocol at /store: GET, HEAD, PUT, POST, DELETE on the default graph
and on named graphs, named indirectly (?graph=) and directly (the URL), with the spec's codes."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from server_client import assert_error, client_for, snapshot
from servicekg.knowledge_base import KnowledgeBase

G = "http://example.org/graphs/people"
ALICE = b'<http://example.org/alice> <http://xmlns.com/foaf/0.1/name> "Alice" .\n'
BOB = (
    b'<http://example.org/bob> <http://xmlns.com/foaf/0.1/name> "B\xc4\x93rzi\xc5\x86\xc5\xa1" .\n'
)
NT = {"Content-Type": "application/n-triples"}


@pytest.fixture
def client() -> TestClient:
    return client_for(KnowledgeBase(), allow_update=True)


def _triples(response: object, rdf_format: ox.RdfFormat = ox.RdfFormat.TURTLE) -> set[str]:
    content = response.content  # type: ignore[attr-defined]
    return {str(q.triple) for q in ox.parse(content, format=rdf_format)}


def test_a_named_graph_through_its_whole_life(client: TestClient) -> None:
    url = f"/store?graph={quote(G, safe='')}"
    assert_error(client.get(url), "not_found")
    created = client.put(url, content=ALICE, headers=NT)
    assert created.status_code == 201
    replaced = client.put(url, content=ALICE, headers=NT)
    assert replaced.status_code == 204
    added = client.post(url, content=BOB, headers=NT)
    assert added.status_code == 204
    got = client.get(url, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/n-triples")
    assert len(_triples(got, ox.RdfFormat.N_TRIPLES)) == 2
    assert "Bērziņš" in got.content.decode("utf-8")
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    put_again = client.put(url, content=BOB, headers=NT)
    assert put_again.status_code == 204
    assert len(_triples(client.get(url))) == 1
    assert client.delete(url).status_code == 204
    assert_error(client.get(url), "not_found")
    assert_error(client.delete(url), "not_found")
    assert client.head(url).status_code == 404


def test_the_default_graph(client: TestClient) -> None:
    assert client.get("/store?default").status_code == 200
    assert client.put("/store?default", content=ALICE, headers=NT).status_code == 204
    assert client.post("/store?default", content=BOB, headers=NT).status_code == 204
    assert len(_triples(client.get("/store?default"))) == 2
    assert client.delete("/store?default").status_code == 204
    assert _triples(client.get("/store?default")) == set()


def test_a_graph_named_by_its_url(client: TestClient) -> None:
    response = client.put(
        "/store/people/1.ttl",
        content=b"<#me> a <#Person> .",
        headers={"Content-Type": "text/turtle"},
    )
    assert response.status_code == 201
    iri = "http://testserver/store/people/1.ttl"
    got = client.get(f"/store?graph={quote(iri, safe='')}", headers={"Accept": "text/turtle"})
    assert f"<{iri}#me>" in got.text or "1.ttl#me" in got.text
    assert client.get("/store/people/1.ttl").status_code == 200


def test_post_to_the_store_makes_a_new_graph(client: TestClient) -> None:
    response = client.post("/store", content=ALICE, headers=NT)
    assert response.status_code == 201
    location = response.headers["location"]
    assert location.startswith("http://testserver/store/")
    got = client.get(f"/store?graph={quote(location, safe='')}")
    assert len(_triples(got)) == 1


@pytest.mark.parametrize(
    ("media", "rdf_format"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_graphs_in_every_rdf_format(
    client: TestClient, media: str, rdf_format: ox.RdfFormat
) -> None:
    client.put("/store?default", content=ALICE + BOB, headers=NT)
    got = client.get("/store?default", headers={"Accept": media})
    assert got.headers["content-type"].split(";")[0] == media
    assert len(_triples(got, rdf_format)) == 2
    sent = client.put(
        f"/store?graph={quote(G, safe='')}", content=got.content, headers={"Content-Type": media}
    )
    assert sent.status_code == 201


def test_415_for_a_body_in_an_unknown_format(client: TestClient) -> None:
    before = client.get("/store?default").content
    response = client.put("/store?default", content=b"a,b\n", headers={"Content-Type": "text/csv"})
    assert_error(response, "unsupported_media_type")
    assert client.get("/store?default").content == before


def test_400_for_a_body_that_does_not_parse_and_nothing_changes() -> None:
    kb = KnowledgeBase()
    with client_for(kb, allow_update=True) as client:
        client.put("/store?default", content=ALICE, headers=NT)
        before = snapshot(kb)
        response = client.put(
            "/store?default",
            content=b"<http://example.org/a> <http://example.org/b> .\n",
            headers=NT,
        )
        error = assert_error(response, "invalid_data")
        assert error["line"] == 1
    assert snapshot(kb) == before


@pytest.mark.parametrize(
    "target",
    ["/store", f"/store?default&graph={quote(G, safe='')}", "/store?graph=not%20an%20iri"],
    ids=["no graph", "both", "bad iri"],
)
def test_400_for_a_request_that_names_no_single_graph(client: TestClient, target: str) -> None:
    assert_error(client.get(target), "bad_request")


def test_406_for_a_graph_in_a_result_format(client: TestClient) -> None:
    response = client.get("/store?default", headers={"Accept": "text/csv"})
    assert_error(response, "not_acceptable")


def _multipart(*files: tuple[str, str | None, bytes]) -> bytes:
    parts = []
    for name, media, data in files:
        head = f'Content-Disposition: form-data; name="graphs"; filename="{name}"\r\n'
        if media:
            head += f"Content-Type: {media}\r\n"
        parts.append(b"--XyZ\r\n" + head.encode() + b"\r\n" + data + b"\r\n")
    return b"".join(parts) + b"--XyZ--\r\n"


MULTIPART = {"Content-Type": "multipart/form-data; boundary=XyZ"}


def test_several_files_in_one_multipart_post_go_into_one_graph(client: TestClient) -> None:
    body = _multipart(
        ("alice.nt", "application/n-triples", ALICE),
        ("bob.ttl", None, BOB),
    )
    response = client.post(f"/store?graph={quote(G, safe='')}", content=body, headers=MULTIPART)
    assert response.status_code == 201, response.text
    got = client.get(f"/store?graph={quote(G, safe='')}")
    assert len(_triples(got)) == 2


def test_a_multipart_post_with_one_bad_file_changes_nothing() -> None:
    kb = KnowledgeBase()
    body = _multipart(("alice.nt", None, ALICE), ("bad.ttl", "text/turtle", b"<a> <b> ."))
    with client_for(kb, allow_update=True) as client:
        assert_error(client.post("/store?default", content=body, headers=MULTIPART), "invalid_data")
        unknown = _multipart(("notes.txt", "text/csv", b"a,b"))
        assert_error(
            client.post("/store?default", content=unknown, headers=MULTIPART),
            "unsupported_media_type",
        )
    assert snapshot(kb) == set()
