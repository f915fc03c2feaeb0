"""W3C SPARQL 1.1 query tests, read from the vendored manifests, run against the live endpoint.

For each approved test: the store is emptied, the test's default-graph data and named graphs
are loaded through the Graph Store Protocol, the query is sent to the SPARQL endpoint over
HTTP, and the answer is compared with the expected results (multisets with blank-node
renaming, ordered when the query orders; graphs by isomorphism). Negative syntax tests must
be refused with 400. Failures we know of are listed in ``w3c/known_failures.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from w3c.client import Endpoint
from w3c.manifest import Case, known_failures, query_cases
from w3c.results import (
    describe_difference,
    graph_from,
    same_graph,
    same_solutions,
    solutions_from,
)
from w3c.server import conformance_server

pytestmark = pytest.mark.slow

_RESULT_FORMATS = {
    ".srx": ox.QueryResultsFormat.XML,
    ".srj": ox.QueryResultsFormat.JSON,
    ".tsv": ox.QueryResultsFormat.TSV,
}
_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", re.IGNORECASE)


def _params() -> list[object]:
    failures = known_failures()
    params: list[object] = []
    for case in query_cases():
        marks = []
        if case.iri in failures:
            marks.append(pytest.mark.xfail(reason=failures[case.iri], strict=True))
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    """One live server for the whole module."""
    with conformance_server() as live:
        yield live


def _ntriples(case: Case, *paths: object) -> bytes:
    quads = []
    for path in paths:
        quads.extend(
            ox.parse(path=path, base_iri=case.public_iri(path), rename_blank_nodes=True)  # type: ignore[arg-type]
        )
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _load(endpoint: Endpoint, case: Case, query: str) -> None:
    endpoint.clear()
    if case.data:
        response = endpoint.put_graph(None, _ntriples(case, *case.data))
        assert response.status < 300, response.body
    named = {case.public_iri(path): path for path in case.graph_data}
    folder = case.query.parent
    for iri in _FROM.findall(query):
        local = folder / iri.rsplit("/", 1)[-1]
        if not iri.startswith("http") and local.exists():
            named[case.public_iri(local)] = local
    for iri, path in named.items():
        response = endpoint.put_graph(iri, _ntriples(case, path))
        assert response.status < 300, response.body


def _ordered(query: str) -> bool:
    """Whether the outermost query has ORDER BY (it follows the last closing brace)."""
    return re.search(r"\bORDER\s+BY\b", query[query.rfind("}") :], re.IGNORECASE) is not None


@pytest.mark.parametrize("case", _params())
def test_w3c_query(endpoint: Endpoint, case: Case) -> None:
    """The endpoint answers the W3C test's query with the expected results."""
    query = case.query.read_text(encoding="utf-8")
    if case.kind == "negative-syntax":
        response = endpoint.query(query, "application/sparql-results+json")
        assert response.status == 400, f"{case.name}: accepted a bad query ({response.status})"
        return
    assert case.result is not None
    _load(endpoint, case, query)
    text = f"BASE <{case.public_iri(case.query)}>\n{query}"
    if case.result.suffix in _RESULT_FORMATS:
        response = endpoint.query(text, "application/sparql-results+json")
        assert response.status == 200, f"{response.status}: {response.body[:2000]!r}"
        expected = solutions_from(path=case.result, format=_RESULT_FORMATS[case.result.suffix])
        actual = solutions_from(response.body, ox.QueryResultsFormat.JSON)
        ok = same_solutions(expected, actual, ordered=_ordered(query))
        assert ok, f"{case.name}\n{query}\n{describe_difference(expected, actual)}"
    else:
        response = endpoint.query(text, "application/n-triples")
        assert response.status == 200, f"{response.status}: {response.body[:2000]!r}"
        expected_graph = graph_from(path=case.result, base_iri=case.public_iri(case.result))
        actual_graph = graph_from(response.body, ox.RdfFormat.N_TRIPLES)
        ok = same_graph(expected_graph, actual_graph)
        assert ok, f"{case.name}\n{query}\n{describe_difference(expected_graph, actual_graph)}"
