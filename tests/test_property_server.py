"""Generated malformed requests to the SPARQL endpoint, the Graph Store, the JSON routes and
the graph views over HTTP
(in-process, through starlette's client): queries, updates, form bodies, content types,
Accept headers, graph IRIs, RDF bodies and their combinations. Every answer is a 2xx or a 4xx
in the one JSON error shape, never a 500, and a refused request leaves the store as it was.

The generated queries and updates are those of ``test_property_sparql`` (the example queries
with bytes cut, inserted or replaced, and random text); here they may name the network
(``SERVICE``, ``LOAD``): the server refuses those without reaching it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from fuzz import SETTINGS, examples
from server_client import assert_error, client_for, snapshot
from servicekg.knowledge_base import KnowledgeBase
from test_property_sparql import QUERIES, UPDATES, mutated

pytestmark = pytest.mark.fuzz

TOKEN = "t"  # noqa: S105 (a test token)
GRAPH = "urn:x-test:fuzz"
CONSTRUCT = "CONSTRUCT { ?a skg:influences ?b } WHERE { ?a skg:influences ?b }"

TURTLE = (
    "@prefix skg: <https://w3id.org/servicekg/ns#> .\n"
    '<urn:x-test:a> skg:note "Rīgas \\"maiznīca\\""@lv ; a skg:Business .\n'
)
BODIES = {
    "text/turtle": TURTLE,
    "application/n-triples": '<urn:x-test:a> <urn:x-test:b> "c"@en .\n',
    "application/ld+json": '{"@id": "urn:x-test:a", "urn:x-test:b": [{"@value": "c"}]}',
    "application/rdf+xml": (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:x="urn:x-test:"><rdf:Description rdf:about="urn:x-test:a"><x:b>c</x:b>'
        "</rdf:Description></rdf:RDF>"
    ),
}
MEDIA = [
    *BODIES,
    "application/sparql-query",
    "application/sparql-update",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
    "application/x-turtle",
    "application/json",
    "",
]
ACCEPTS = [
    "*/*",
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "text/html",
    "image/png",
]
FORMATS = ["json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml", "html", ""]

_ascii = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


def _header_value(choices: list[str]) -> st.SearchStrategy[str]:
    """A media type from ``choices`` with generated parameters, q-values, or printable junk."""
    parameter = st.sampled_from(
        [
            *("", ";charset=utf-8", ";charset=latin-1", ";charset=", ';charset="UTF-8"', ";q=0.5"),
            *(";q=abc", ";q=-1", ";q=2", ";;", ";boundary=", ";boundary=b", "; =x", ";a=b=c"),
        ]
    )
    one = st.builds(lambda m, p: m + p, st.sampled_from(choices), parameter)
    return st.one_of(
        one,
        st.lists(one, min_size=2, max_size=4).map(", ".join),
        _ascii,
    )


VALID_IRIS = st.sampled_from([GRAPH, "urn:x-test:other", "http://example.org/g", "relative/g"])
IRIS = st.one_of(
    VALID_IRIS,
    VALID_IRIS,
    st.sampled_from(
        [
            GRAPH,
            "urn:x-test:other",
            "http://127.0.0.1:9/g",
            "relative/graph",
            "",
            "<urn:x-test:g>",
            "urn:x test",
            "http://[::1",
            "http://a/%zz",
            "urn:x-test:\u0000",
            "urn:x-test:é",
            "\\\\server\\share",
            "../../etc/passwd",
            "urn:x-test:a>b",
            "_:blank",
            '"literal"',
        ]
    ),
    st.text(max_size=30),
)


def _query_text() -> st.SearchStrategy[str]:
    return st.one_of(mutated(QUERIES), st.text(max_size=80), st.sampled_from(QUERIES))


def _update_text() -> st.SearchStrategy[str]:
    return st.one_of(mutated(UPDATES), st.text(max_size=80))


def _params(draw: st.DrawFn, names: list[str]) -> list[tuple[str, str]]:
    """Extra protocol parameters, sometimes repeated, sometimes junk."""
    if draw(st.integers(0, 2)) == 0:
        return []
    return draw(
        st.lists(
            st.one_of(
                st.tuples(st.sampled_from(names[:2]), IRIS),
                st.tuples(st.sampled_from(names), IRIS),
                st.tuples(st.just("format"), st.sampled_from(FORMATS)),
                st.tuples(_ascii, st.text(max_size=10)),
            ),
            max_size=2,
        )
    )


def _checked(response: Any) -> None:
    """A 2xx, a 3xx, or a 4xx in the one error shape; never a 5xx."""
    assert response.status_code < 500, (response.status_code, response.text[:500])
    if response.status_code >= 400 and response.request.method != "HEAD":
        assert_error(response, response.json()["error"]["code"])


@pytest.fixture(scope="module", params=["memory", "disk"])
def kb(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KnowledgeBase]:
    """A knowledge base of its own (updates change it), in memory and on disk."""
    folder = tmp_path_factory.mktemp("store") if request.param == "disk" else None
    with KnowledgeBase.open(folder) as opened:
        opened.load_ontology()
        yield opened


@pytest.fixture(scope="module")
def client(kb: KnowledgeBase) -> Iterator[TestClient]:
    with client_for(
        kb,
        allow_update=True,
        token=TOKEN,
        query_timeout=10.0,
        result_limit=200_000,
        max_body=20_000,
    ) as c:
        yield c


@st.composite
def query_requests(draw: st.DrawFn) -> dict[str, Any]:
    """One query request: by GET, by a form or by the query itself, with generated headers
    and parameters."""
    text = draw(_query_text())
    params = _params(draw, ["default-graph-uri", "named-graph-uri", "query"])
    headers = {"Accept": draw(_header_value(ACCEPTS))} if draw(st.booleans()) else {}
    how = draw(st.sampled_from(["get", "form", "direct", "junk-type"]))
    if how == "get":
        return {
            "method": "GET",
            "url": "/sparql?" + urlencode([("query", text), *params]),
            "headers": headers,
        }
    if how == "form":
        headers["Content-Type"] = draw(
            st.sampled_from(
                [
                    "application/x-www-form-urlencoded",
                    "application/x-www-form-urlencoded;charset=utf-8",
                ]
            )
        )
        body = urlencode([("query", text), *params]).encode()
        return {"method": "POST", "url": "/sparql", "headers": headers, "content": body}
    return _direct_post(draw, text, params, headers, "application/sparql-query", how)


@st.composite
def update_requests(draw: st.DrawFn) -> dict[str, Any]:
    """One update request: a form or the update itself, with or without the right token."""
    text = draw(_update_text())
    params = _params(draw, ["using-graph-uri", "using-named-graph-uri", "update"])
    auth = draw(
        st.sampled_from([f"Bearer {TOKEN}", f"Bearer {TOKEN}", "Bearer x", "Basic dA==", ""])
    )
    headers = {"Authorization": auth} if auth else {}
    how = draw(st.sampled_from(["form", "direct", "get", "junk-type"]))
    if how == "get":
        return {
            "method": "GET",
            "url": "/sparql?" + urlencode([("update", text), *params]),
            "headers": headers,
        }
    if how == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode([("update", text), *params]).encode()
        return {"method": "POST", "url": "/sparql", "headers": headers, "content": body}
    return _direct_post(draw, text, params, headers, "application/sparql-update", how)


def _direct_post(
    draw: st.DrawFn,
    text: str,
    params: list[tuple[str, str]],
    headers: dict[str, str],
    media: str,
    how: str,
) -> dict[str, Any]:
    """A POST of the query or update itself: its own media type (``how == "direct"``) or a
    drawn one, and its text or drawn bytes as the body."""
    headers["Content-Type"] = media if how == "direct" else draw(_header_value(MEDIA))
    body = (
        text.encode("utf-8", "surrogatepass")
        if draw(st.booleans())
        else draw(st.binary(max_size=60))
    )
    return {
        "method": "POST",
        "url": "/sparql?" + urlencode(params),
        "headers": headers,
        "content": body,
    }


@st.composite
def rdf_bodies(draw: st.DrawFn) -> tuple[bytes, str]:
    """An RDF body, maybe broken, maybe sent as another type, maybe as multipart."""
    media = draw(st.sampled_from(sorted(BODIES)))
    text = draw(st.one_of(st.just(BODIES[media]), mutated([BODIES[media]])))
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        media = draw(_header_value(MEDIA))
    if draw(st.integers(0, 4)) == 0:
        boundary = draw(st.sampled_from(["b", "", "x y", '"q"', "-" * 80]))
        part_type = draw(st.sampled_from([*BODIES, "", "text/html", "multipart/mixed"]))
        name = draw(st.sampled_from(["a.ttl", "a.nt", "a", "../a.ttl", "a.xlsx", ""]))
        head = f'Content-Disposition: form-data; name="f"; filename="{name}"\r\n'
        if part_type:
            head += f"Content-Type: {part_type}\r\n"
        cut = draw(st.booleans())
        data = (
            f"--{boundary}\r\n{head}\r\n".encode()
            + data
            + (b"" if cut else f"\r\n--{boundary}--\r\n".encode())
        )
        media = f"multipart/form-data; boundary={boundary}"
    return data, media


@st.composite
def graph_store_requests(draw: st.DrawFn) -> dict[str, Any]:
    """One Graph Store request: any method, a graph named any way, any body and headers."""
    method = draw(st.sampled_from(["GET", "HEAD", "PUT", "POST", "DELETE"]))
    target = draw(
        st.sampled_from(["default", "graph", "graph", "graph", "both", "none", "path", "twice"])
    )
    iri = draw(IRIS)
    url = {
        "default": "/store?default",
        "graph": "/store?" + urlencode({"graph": iri}),
        "both": "/store?default&" + urlencode({"graph": iri}),
        "none": "/store",
        "path": "/store/" + quote(iri, safe="/%"),
        "twice": "/store?" + urlencode([("graph", iri), ("graph", GRAPH)]),
    }[target]
    auth = draw(st.sampled_from([f"Bearer {TOKEN}", f"Bearer {TOKEN}", "Bearer x", ""]))
    headers = {"Authorization": auth} if auth else {}
    if draw(st.booleans()):
        headers["Accept"] = draw(_header_value(ACCEPTS))
    request: dict[str, Any] = {"method": method, "url": url, "headers": headers}
    if method in ("PUT", "POST"):
        data, media = draw(rdf_bodies())
        headers["Content-Type"] = media
        request["content"] = data
    return request


def _send(client: TestClient, request: dict[str, Any]) -> Any:
    return client.request(
        request["method"],
        request["url"],
        headers=request.get("headers"),
        content=request.get("content"),
    )


@pytest.mark.slow
def test_generated_query_requests_get_a_result_or_an_error_and_change_nothing(
    client: TestClient, kb: KnowledgeBase
) -> None:
    before = snapshot(kb)

    @settings(SETTINGS, max_examples=examples(500))
    @given(request=query_requests())
    def check(request: dict[str, Any]) -> None:
        _checked(_send(client, request))

    check()
    assert snapshot(kb) == before


@pytest.mark.slow
def test_generated_update_requests_are_done_or_refused_with_nothing_changed(
    client: TestClient, kb: KnowledgeBase
) -> None:
    @settings(SETTINGS, max_examples=examples(400))
    @given(request=update_requests())
    def check(request: dict[str, Any]) -> None:
        before = snapshot(kb)
        response = _send(client, request)
        _checked(response)
        if response.status_code >= 400:
            assert snapshot(kb) == before, request

    check()


@pytest.mark.slow
def test_generated_graph_store_requests_are_done_or_refused_with_nothing_changed(
    client: TestClient, kb: KnowledgeBase
) -> None:
    @settings(SETTINGS, max_examples=examples(400))
    @given(request=graph_store_requests())
    def check(request: dict[str, Any]) -> None:
        before = snapshot(kb)
        response = _send(client, request)
        _checked(response)
        if response.status_code >= 400 or request["method"] in ("GET", "HEAD"):
            assert snapshot(kb) == before, request

    check()


@st.composite
def route_requests(draw: st.DrawFn) -> str:
    """A GET of a JSON route or a graph view with generated ids, languages and queries."""
    text = st.one_of(
        st.sampled_from(["burgeri-riga", "en", "lv", "", "..", "%"]), st.text(max_size=20)
    )
    lang = draw(st.one_of(st.none(), st.sampled_from(["en", "nl", "lv", "xx", ""]), text))
    query = draw(st.one_of(st.none(), mutated([CONSTRUCT]), text))
    path = draw(
        st.sampled_from(
            [
                "/api/businesses",
                "/api/businesses/{id}/recommendations",
                "/api/rules",
                "/api/rules/{id}",
                "/api/principles",
                "/viz/{id}",
                "/viz/principles",
                "/viz/assessment",
                "/viz/query",
            ]
        )
    )
    params = [("lang", lang), ("query", query), ("business", draw(st.one_of(st.none(), text)))]
    url = path.replace("{id}", quote(draw(text), safe=""))
    return url + "?" + urlencode([(k, v) for k, v in params if v is not None])


@pytest.mark.slow
def test_generated_route_requests_are_answered_or_refused(sample_kb: KnowledgeBase) -> None:
    before = snapshot(sample_kb)
    with client_for(sample_kb, query_timeout=10.0) as client:

        @settings(SETTINGS, max_examples=examples(200))
        @given(url=route_requests())
        def check(url: str) -> None:
            _checked(client.get(url))

        check()
    assert snapshot(sample_kb) == before
