"""W3C SPARQL 1.1 Protocol tests against the live endpoint.

The vendored ``protocol/manifest.ttl`` names the 34 tests; the HTTP exchange each one
describes (in the W3C suite's test descriptions) is written out below under the test's local
name, and the runner checks that the manifest and this table name the same tests. Datasets are
the suite's: graphs ``data1.rdf`` .. ``data3.rdf`` of kasei.us, each holding
``<dataN.rdf> a foaf:Document``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from w3c.client import Endpoint, Response, request
from w3c.manifest import ProtocolCase, known_failures, protocol_cases
from w3c.server import conformance_server

DATA = "http://kasei.us/2009/09/sparql/data/"
D0, D1, D2, D3 = (f"{DATA}data{n}.rdf" for n in range(4))
TEST_GRAPH = "http://example.org/protocol-update-dataset-test/"
PREFIXES = "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
FORM = "application/x-www-form-urlencoded"
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {
    "application/rdf+xml",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/n-quads",
    "application/trig",
    "application/xhtml+xml",
    "text/html",
}
INSERT_THREE = (
    PREFIXES
    + "CLEAR ALL ;\nINSERT DATA {\n"
    + "".join(f"  GRAPH <{g}> {{ <{g}> a foaf:Document }}\n" for g in (D1, D2, D3))
    + "} ;\n"
)
ASK_D1_D2_NOT_D3 = f"""PREFIX dc: <http://purl.org/dc/terms/>
ASK {{
  GRAPH <{TEST_GRAPH}> {{ <{D1}> a dc:BibliographicResource . <{D2}> a dc:BibliographicResource }}
  FILTER NOT EXISTS {{ GRAPH <{TEST_GRAPH}> {{ <{D3}> a dc:BibliographicResource }} }}
}}"""


@dataclass(frozen=True)
class Step:
    """One HTTP request of a test and what its response must be."""

    method: str
    operation: str  # "query" or "update": which URL of the endpoint
    params: Sequence[tuple[str, str]] = ()
    body: bytes | None = None
    content_type: str | None = None
    ok: bool = True  # 2xx/3xx expected; otherwise 4xx
    boolean: bool | None = None
    media_types: frozenset[str] = frozenset()
    check: Callable[[Response], None] | None = None


@dataclass(frozen=True)
class Exchange:
    """A protocol test: the graphs it needs, then its requests in order."""

    steps: tuple[Step, ...]
    graphs: tuple[str, ...] = field(default=())


def _direct_query(text: str, params: Sequence[tuple[str, str]] = (), **kw: Any) -> Step:
    return Step("POST", "query", params, text.encode(), "application/sparql-query", **kw)


def _direct_update(text: str, params: Sequence[tuple[str, str]] = (), **kw: Any) -> Step:
    return Step("POST", "update", params, text.encode(), "application/sparql-update", **kw)


def _get_query(params: Sequence[tuple[str, str]], **kw: Any) -> Step:
    return Step("GET", "query", params, **kw)


def _ask_true(text: str) -> Step:
    return _direct_query(text, boolean=True)


def _absolute_iri_bound(response: Response) -> None:
    solutions = list(_parse_results(response))  # type: ignore[arg-type]  # a SELECT
    assert len(solutions) == 1, solutions
    value = solutions[0]["o"]
    assert isinstance(value, ox.NamedNode), value
    assert value.value.endswith("test"), value
    assert "://" in value.value, f"relative IRI <test> was not resolved: {value}"


ASK_D1_D2 = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
ASK_NAMED = f"ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
ASK_FULL = f"ASK {{ <{D3}> a ?type GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"

EXCHANGES: dict[str, Exchange] = {
    "query_post_form": Exchange(
        (
            Step(
                "POST",
                "query",
                [("default-graph-uri", D0)],
                b"query=ASK%20%7B%7D",
                FORM,
                boolean=True,
            ),
        )
    ),
    "query_dataset_default_graphs_get": Exchange(
        (
            _get_query(
                [("query", ASK_D1_D2), ("default-graph-uri", D1), ("default-graph-uri", D2)],
                boolean=True,
            ),
        ),
        (D1, D2),
    ),
    "query_dataset_default_graphs_post": Exchange(
        (
            _direct_query(
                ASK_D1_D2, [("default-graph-uri", D1), ("default-graph-uri", D2)], boolean=True
            ),
        ),
        (D1, D2),
    ),
    "query_dataset_named_graphs_post": Exchange(
        (
            _direct_query(
                ASK_NAMED, [("named-graph-uri", D1), ("named-graph-uri", D2)], boolean=True
            ),
        ),
        (D1, D2),
    ),
    "query_dataset_named_graphs_get": Exchange(
        (
            _get_query(
                [("query", ASK_NAMED), ("named-graph-uri", D1), ("named-graph-uri", D2)],
                boolean=True,
            ),
        ),
        (D1, D2),
    ),
    "query_dataset_full": Exchange(
        (
            _direct_query(
                ASK_FULL,
                [("default-graph-uri", D3), ("named-graph-uri", D1), ("named-graph-uri", D2)],
                boolean=True,
            ),
        ),
        (D1, D2, D3),
    ),
    "query_multiple_dataset": Exchange(
        (
            _direct_query(
                f"ASK FROM <{D3}> {ASK_NAMED.removeprefix('ASK ')}",
                [("named-graph-uri", D1), ("named-graph-uri", D2)],
                boolean=True,
            ),
        ),
        (D1, D2, D3),
    ),
    "query_get": Exchange(
        (_get_query([("query", "ASK {}"), ("default-graph-uri", D0)], boolean=True),)
    ),
    "query_content_type_select": Exchange(
        (_direct_query("SELECT (1 AS ?value) {}", media_types=frozenset(TABULAR_TYPES)),)
    ),
    "query_content_type_ask": Exchange(
        (_direct_query("ASK {}", media_types=frozenset(BOOLEAN_TYPES)),)
    ),
    "query_content_type_describe": Exchange(
        (_direct_query("DESCRIBE <http://example.org/>", media_types=frozenset(RDF_TYPES)),)
    ),
    "query_content_type_construct": Exchange(
        (
            _direct_query(
                "CONSTRUCT { <s> <p> 1 } WHERE {}",
                media_types=frozenset(RDF_TYPES),
            ),
        )
    ),
    "update_dataset_default_graph": Exchange(
        (
            _direct_update(
                PREFIXES
                + f"CLEAR ALL ;\nINSERT DATA {{ GRAPH <{D1}> {{ <{D1}> a foaf:Document }} }} ;\n"
                + f"INSERT {{ GRAPH <{TEST_GRAPH}> {{ ?s a dc:BibliographicResource }} }}\n"
                + "WHERE { ?s a foaf:Document }",
                [("using-graph-uri", D1)],
            ),
            _ask_true(
                f"ASK {{ GRAPH <{TEST_GRAPH}> "
                f"{{ <{D1}> a <http://purl.org/dc/terms/BibliographicResource> }} }}"
            ),
        )
    ),
    "update_dataset_default_graphs": Exchange(
        (
            _direct_update(
                INSERT_THREE
                + f"INSERT {{ GRAPH <{TEST_GRAPH}> {{ ?s a dc:BibliographicResource }} }}\n"
                + "WHERE { ?s a foaf:Document }",
                [("using-graph-uri", D1), ("using-graph-uri", D2)],
            ),
            _ask_true(ASK_D1_D2_NOT_D3),
        )
    ),
    "update_dataset_named_graphs": Exchange(
        (
            _direct_update(
                INSERT_THREE
                + f"INSERT {{ GRAPH <{TEST_GRAPH}> {{ ?s a dc:BibliographicResource }} }}\n"
                + "WHERE { GRAPH ?g { ?s a foaf:Document } }",
                [("using-named-graph-uri", D1), ("using-named-graph-uri", D2)],
            ),
            _ask_true(ASK_D1_D2_NOT_D3),
        )
    ),
    "update_dataset_full": Exchange(
        (
            _direct_update(
                INSERT_THREE
                + f"INSERT {{ GRAPH <{TEST_GRAPH}> {{ ?s a dc:BibliographicResource }} }}\n"
                + "WHERE { { ?s a foaf:Document } UNION { GRAPH ?g { ?s a foaf:Document } } }",
                [("using-graph-uri", D1), ("using-named-graph-uri", D2)],
            ),
            _ask_true(ASK_D1_D2_NOT_D3),
        )
    ),
    "update_post_form": Exchange(
        (
            Step(
                "POST",
                "update",
                (),
                urlencode(
                    {
                        "update": f"CLEAR ALL ; INSERT DATA {{ GRAPH <{TEST_GRAPH}> "
                        "{ <http://example.org/s> <http://example.org/p> 'form' } }"
                    }
                ).encode(),
                FORM,
            ),
            _ask_true(f"ASK {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p 'form' }} }}"),
        )
    ),
    "update_post_direct": Exchange(
        (
            _direct_update(
                f"CLEAR ALL ; INSERT DATA {{ GRAPH <{TEST_GRAPH}> "
                "{ <http://example.org/s> <http://example.org/p> 'direct' } }"
            ),
            _ask_true(f"ASK {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p 'direct' }} }}"),
        )
    ),
    "update_base_uri": Exchange(
        (
            _direct_update(
                "CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;\n"
                "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> "
                "{ <http://example.org/s> <http://example.org/p> <test> } }"
            ),
            _direct_query(
                "SELECT ?o WHERE { GRAPH <http://example.org/protocol-base-test/> "
                "{ <http://example.org/s> <http://example.org/p> ?o } }",
                check=_absolute_iri_bound,
            ),
        )
    ),
    "query_post_direct": Exchange((_direct_query("ASK {}", boolean=True),)),
    "bad_query_method": Exchange((Step("PUT", "query", [("query", "ASK {}")], ok=False),)),
    "bad_multiple_queries": Exchange(
        (_get_query([("query", "ASK {}"), ("query", "SELECT * {}")], ok=False),)
    ),
    "bad_query_wrong_media_type": Exchange(
        (Step("POST", "query", (), b"ASK {}", "text/plain", ok=False),)
    ),
    "bad_query_missing_form_type": Exchange(
        (Step("POST", "query", (), b"query=ASK%20%7B%7D", None, ok=False),)
    ),
    "bad_query_missing_direct_type": Exchange(
        (Step("POST", "query", (), b"ASK {}", None, ok=False),)
    ),
    "bad_query_non_utf8": Exchange(
        (
            Step(
                "POST",
                "query",
                (),
                "ASK {}".encode("utf-16"),
                "application/sparql-query; charset=UTF-16",
                ok=False,
            ),
        )
    ),
    "bad_query_syntax": Exchange((_get_query([("query", "ASK {[}")], ok=False),)),
    "bad_update_get": Exchange((Step("GET", "update", [("update", "CLEAR ALL")], ok=False),)),
    "bad_multiple_updates": Exchange(
        (
            Step(
                "POST",
                "update",
                (),
                b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
                FORM,
                ok=False,
            ),
        )
    ),
    "bad_update_wrong_media_type": Exchange(
        (Step("POST", "update", (), b"CLEAR NAMED", "text/plain", ok=False),)
    ),
    "bad_update_missing_form_type": Exchange(
        (Step("POST", "update", (), b"update=CLEAR%20NAMED", None, ok=False),)
    ),
    "bad_update_non_utf8": Exchange(
        (
            Step(
                "POST",
                "update",
                (),
                "CLEAR NAMED".encode("utf-16"),
                "application/sparql-update; charset=UTF-16",
                ok=False,
            ),
        )
    ),
    "bad_update_syntax": Exchange(
        (Step("POST", "update", (), b"update=CLEAR%20XYZ", FORM, ok=False),)
    ),
    "bad_update_dataset_conflict": Exchange(
        (
            _direct_update(
                PREFIXES
                + f"CLEAR ALL ;\nINSERT {{ GRAPH <{TEST_GRAPH}> "
                + "{ ?s a dc:BibliographicResource } }\n"
                + f"USING NAMED <{D1}> WHERE {{ GRAPH ?g {{ ?s a foaf:Document }} }}",
                [("using-named-graph-uri", D1)],
                ok=False,
            ),
        )
    ),
}


def _params() -> list[object]:
    failures = known_failures()
    params: list[object] = []
    for case in protocol_cases():
        marks = []
        if case.iri in failures:
            marks.append(pytest.mark.xfail(reason=failures[case.iri], strict=True))
        params.append(pytest.param(case, id=case.local_name, marks=marks))
    return params


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    """One live server for the whole module."""
    with conformance_server() as live:
        yield live


def _parse_results(response: Response) -> ox.QuerySolutions | ox.QueryBoolean:
    formats = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    }
    assert response.media_type in formats, f"not a SPARQL results type: {response.media_type}"
    return ox.parse_query_results(response.body, formats[response.media_type])


def _send(endpoint: Endpoint, step: Step) -> Response:
    url = endpoint.query_url if step.operation == "query" else endpoint.update_url
    if step.params:
        url += ("&" if "?" in url else "?") + urlencode(list(step.params))
    headers = {"Content-Type": step.content_type} if step.content_type else {}
    return request(step.method, url, body=step.body, headers=headers)


def test_every_manifest_test_has_its_exchange() -> None:
    """The table above covers exactly the tests the manifest names."""
    assert {case.local_name for case in protocol_cases()} == set(EXCHANGES)


@pytest.mark.parametrize("case", _params())
def test_w3c_protocol(endpoint: Endpoint, case: ProtocolCase) -> None:
    """The endpoint answers each request of the W3C protocol test as the protocol says."""
    exchange = EXCHANGES[case.local_name]
    endpoint.clear()
    for graph in exchange.graphs:
        body = f"<{graph}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        body += "<http://xmlns.com/foaf/0.1/Document> .\n"
        assert endpoint.put_graph(graph, body.encode()).status < 300
    for number, step in enumerate(exchange.steps, 1):
        response = _send(endpoint, step)
        where = f"{case.name}, request {number}: {response.status} {response.body[:500]!r}"
        if not step.ok:
            assert 400 <= response.status < 500, where
            continue
        assert 200 <= response.status < 400, where
        if step.media_types:
            assert response.media_type in step.media_types, where
        if step.boolean is not None:
            result = _parse_results(response)
            assert isinstance(result, ox.QueryBoolean), where
            assert bool(result) is step.boolean, where
        if step.check is not None:
            step.check(response)
