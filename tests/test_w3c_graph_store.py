"""W3C SPARQL 1.1 Graph Store HTTP Protocol tests against the live ``/store``.

The vendored ``http-rdf-update/tests.txt`` is a sequence of exchanges, each titled
``Request (NAME)``; later ones depend on the state the earlier ones left. The exchanges are
written out below under those titles (graphs named indirectly, ``?graph=<store>/person/1.ttl``,
which every Graph Store Protocol server must accept), and each test replays the sequence from
an empty store up to its own exchange (checking only its own response), so any test runs
alone and a failure shows in the exchange at fault and in those that depend on its state.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urljoin

import pyoxigraph as ox
import pytest

from w3c.client import Endpoint, Response, request
from w3c.manifest import SUITE, known_failures
from w3c.results import describe_difference, graph_from, same_graph
from w3c.server import conformance_server

TESTS_TXT = SUITE / "http-rdf-update" / "tests.txt"
SUITE_IRI = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/tests.txt#"
FOAF = "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
PREFIXES = FOAF + "@prefix v: <http://www.w3.org/2006/vcard/ns#> .\n"
JOHN = '<http://$HOST$/person/1> a foaf:Person; foaf:businessCard [ a v:VCard; v:fn "John Doe" ] .'
JANE = '<http://$HOST$/person/1> a foaf:Person; foaf:businessCard [ a v:VCard; v:fn "Jane Doe" ] .'
ALICE = '[] a foaf:Person; foaf:businessCard [ a v:VCard; v:given-name "Alice" ] .'
JANE_NAMED = JANE.replace("foaf:Person;", 'foaf:Person; foaf:name "Jane Doe";')
JANE_FULL = JANE_NAMED.replace(
    'foaf:name "Jane Doe";', 'foaf:name "Jane Doe"; foaf:givenName "Jane"; foaf:familyName "Doe";'
)
# tests.txt nests a multipart/mixed in one form field (the RFC 2388 way of sending two files);
# clients today send each file as its own form-data part, which is what is sent here.
MULTIPART = (
    "--AaB03x\r\n"
    'Content-Disposition: form-data; name="graphs"; filename="lastName.ttl"\r\n'
    "Content-Type: text/turtle\r\n\r\n"
    + FOAF
    + '<http://$HOST$/person/1> foaf:familyName "Doe" .\r\n'
    "--AaB03x\r\n"
    'Content-Disposition: form-data; name="graphs"; filename="firstName.ttl"\r\n'
    "Content-Type: text/turtle\r\n\r\n"
    + FOAF
    + '<http://$HOST$/person/1> foaf:givenName "Jane" .\r\n'
    "--AaB03x--\r\n"
)


@dataclass(frozen=True)
class Exchange:
    """One request of tests.txt and the response it must get."""

    method: str
    target: str  # "person/1", "person/2", "default", "store" (the store itself) or "new"
    status: frozenset[int]
    body: str | None = None
    content_type: str | None = None
    expect_graph: str | None = None  # Turtle the response body must be isomorphic to


OK = frozenset({200, 204})
CREATED = frozenset({201})
MISSING = frozenset({404})
TURTLE = "text/turtle"

EXCHANGES: dict[str, Exchange] = {
    "PUT - Initial state": Exchange("PUT", "person/1", CREATED, PREFIXES + JOHN, TURTLE),
    "GET of PUT - Initial state": Exchange("GET", "person/1", OK, expect_graph=JOHN),
    "PUT - graph already in store": Exchange("PUT", "person/1", OK, PREFIXES + JANE, TURTLE),
    "GET of PUT - graph already in store": Exchange("GET", "person/1", OK, expect_graph=JANE),
    "PUT - default graph": Exchange("PUT", "default", CREATED | OK, PREFIXES + ALICE, TURTLE),
    "GET of PUT - default graph": Exchange("GET", "default", OK, expect_graph=ALICE),
    "PUT - mismatched payload": Exchange(
        "PUT", "person/1", frozenset({400}), PREFIXES + JANE, "application/rdf+xml"
    ),
    "PUT - empty graph": Exchange("PUT", "person/2", CREATED | OK, "", TURTLE),
    "GET of PUT - empty graph": Exchange("GET", "person/2", OK, expect_graph=""),
    "DELETE - existing graph": Exchange("DELETE", "person/2", OK),
    "GET of DELETE - existing graph": Exchange("GET", "person/2", MISSING),
    "DELETE - non-existent graph": Exchange("DELETE", "person/2", MISSING),
    "POST - existing graph": Exchange(
        "POST",
        "person/1",
        OK,
        FOAF + '<http://$HOST$/person/1> foaf:name "Jane Doe" .',
        TURTLE,
    ),
    "GET of POST - existing graph": Exchange("GET", "person/1", OK, expect_graph=JANE_NAMED),
    "POST - multipart/form-data": Exchange(
        "POST", "person/1", OK, MULTIPART, "multipart/form-data; boundary=AaB03x"
    ),
    "GET of POST - multipart/form-data": Exchange("GET", "person/1", OK, expect_graph=JANE_FULL),
    "POST - create  new graph": Exchange("POST", "store", CREATED, PREFIXES + ALICE, TURTLE),
    "GET of POST - create  new graph": Exchange("GET", "new", OK, expect_graph=ALICE),
    "POST - empty graph to existing graph": Exchange("POST", "new", OK, "", TURTLE),
    "GET of POST - after noop": Exchange("GET", "new", OK, expect_graph=ALICE),
    "HEAD on an existing graph": Exchange("HEAD", "person/1", OK),
    "HEAD on a non-existing graph": Exchange("HEAD", "person/2", MISSING),
}


def exchange_names() -> list[str]:
    """The exchanges of tests.txt, in order, by their titles."""
    text = TESTS_TXT.read_text(encoding="utf-8")
    return re.findall(r"Request \((.+?)\s*\)", text)


def _params() -> list[object]:
    failures = known_failures()
    params: list[object] = []
    for name in exchange_names():
        iri = SUITE_IRI + quote(name)
        marks = []
        if iri in failures:
            marks.append(pytest.mark.xfail(reason=failures[iri], strict=True))
        params.append(pytest.param(name, id=name, marks=marks))
    return params


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    """One live server for the whole module."""
    with conformance_server() as live:
        yield live


def _url(endpoint: Endpoint, target: str, new_graph: str | None) -> str:
    if target == "default":
        return endpoint.graph_url(None)
    if target == "store":
        return endpoint.store_url
    if target == "new":
        assert new_graph is not None, "no Location from 'POST - create new graph'"
        return new_graph
    return endpoint.graph_url(endpoint.store_url + "/" + target + ".ttl")


def _run(endpoint: Endpoint, exchange: Exchange, host: str, new_graph: str | None) -> Response:
    headers = {"Accept": TURTLE} if exchange.method in {"GET", "HEAD"} else {}
    if exchange.content_type:
        headers["Content-Type"] = exchange.content_type
    body = None if exchange.body is None else exchange.body.replace("$HOST$", host).encode()
    url = _url(endpoint, exchange.target, new_graph)
    return request(exchange.method, url, body=body, headers=headers)


def test_every_exchange_of_tests_txt_is_written_out() -> None:
    """The table above covers exactly the exchanges tests.txt lists."""
    assert exchange_names() == list(EXCHANGES)


@pytest.mark.parametrize("name", _params())
def test_w3c_graph_store(endpoint: Endpoint, name: str) -> None:
    """Replaying tests.txt up to NAME, every response is the one the test expects."""
    endpoint.clear()
    host = endpoint.store_url.split("/")[2]
    new_graph: str | None = None
    names = list(EXCHANGES)
    for step_name in names[: names.index(name) + 1]:
        exchange = EXCHANGES[step_name]
        response = _run(endpoint, exchange, host, new_graph)
        location = response.headers.get("location")
        if step_name == "POST - create  new graph" and location:
            new_graph = urljoin(endpoint.store_url, location)
        if step_name != name:
            continue
        where = f"{step_name}: {response.status} {response.body[:500]!r}"
        assert response.status in exchange.status, where
        if step_name == "POST - create  new graph":
            assert location, f"{where}: no Location header"
        if exchange.expect_graph is not None:
            assert response.media_type == TURTLE, where
            expected = graph_from(
                (PREFIXES + exchange.expect_graph.replace("$HOST$", host)).encode(),
                ox.RdfFormat.TURTLE,
            )
            actual = graph_from(response.body, ox.RdfFormat.TURTLE, base_iri=endpoint.store_url)
            assert same_graph(expected, actual), describe_difference(expected, actual)
