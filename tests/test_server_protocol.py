"""The SPARQL 1.1 Protocol at /sparql: query and update forms, datasets, content negotiation,
status codes, the Service Description and CORS (in-process; the live server is tested in
test_server_live.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from server_client import assert_error, client_for, snapshot
from servicekg.errors import QuerySyntaxError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH

NEEDS = "SELECT ?need WHERE { skg:SixBasicNeeds skos:member ?need } ORDER BY ?need"
GRAPH_QUERY = "CONSTRUCT { ?n a skg:BasicNeed } WHERE { skg:SixBasicNeeds skos:member ?n }"
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture(scope="module")
def client(sample_kb: KnowledgeBase) -> Iterator[TestClient]:
    with client_for(sample_kb) as test_client:
        yield test_client


def _needs(response: object) -> list[str]:
    data = response.json()  # type: ignore[attr-defined]
    return [row["need"]["value"] for row in data["results"]["bindings"]]


def test_query_by_get_form_and_direct_post_give_the_same_answer(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": NEEDS})
    by_form = client.post(
        "/sparql",
        content=urlencode({"query": NEEDS}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    direct = client.post(
        "/sparql", content=NEEDS, headers={"Content-Type": "application/sparql-query"}
    )
    needs = _needs(by_get)
    assert len(needs) == 6
    assert _needs(by_form) == needs
    assert _needs(direct) == needs
    assert by_get.headers["content-type"].startswith("application/sparql-results+json")


RESULT_FORMATS = [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("text/csv", ox.QueryResultsFormat.CSV),
]


@pytest.mark.parametrize(("media", "parser"), RESULT_FORMATS)
def test_select_results_in_every_result_format(
    client: TestClient, media: str, parser: ox.QueryResultsFormat
) -> None:
    response = client.get("/sparql", params={"query": NEEDS}, headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    if parser == ox.QueryResultsFormat.CSV:
        lines = response.text.strip().splitlines()
        assert lines[0] == "need"
        assert len(lines) == 7
        return
    solutions = ox.parse_query_results(response.content, parser)
    assert len(list(solutions)) == 6


def test_ask_answers_a_boolean(client: TestClient) -> None:
    ask = "ASK { skg:EmployeeTreatment skg:influences+ skg:Profit }"
    response = client.get("/sparql", params={"query": ask})
    assert response.json()["boolean"] is True
    xml = client.get(
        "/sparql", params={"query": ask}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert bool(ox.parse_query_results(xml.content, ox.QueryResultsFormat.XML)) is True


GRAPH_FORMATS = [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
]


@pytest.mark.parametrize(("media", "rdf_format"), GRAPH_FORMATS)
def test_construct_results_in_every_graph_format(
    client: TestClient, media: str, rdf_format: ox.RdfFormat
) -> None:
    response = client.post(
        "/sparql",
        content=GRAPH_QUERY,
        headers={"Content-Type": "application/sparql-query", "Accept": media},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    triples = list(ox.parse(response.content, format=rdf_format))
    assert len(triples) == 6


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_the_format_parameter_wins_over_accept(client: TestClient, fmt: str, media: str) -> None:
    response = client.get(
        "/sparql", params={"query": NEEDS, "format": fmt}, headers={"Accept": "text/csv"}
    )
    assert response.headers["content-type"].split(";")[0] == media


def test_accept_qualities_are_honoured(client: TestClient) -> None:
    response = client.get(
        "/sparql",
        params={"query": NEEDS},
        headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"},
    )
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    assert "Accept" in response.headers["vary"]


def test_a_graph_for_a_browser_accept_header_is_turtle(client: TestClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", params={"query": GRAPH_QUERY}, headers={"Accept": browser})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in ("text/turtle", "application/rdf+xml")


@pytest.mark.parametrize(
    ("query", "accept"),
    [(NEEDS, "image/png"), (NEEDS, "text/turtle"), (GRAPH_QUERY, "text/csv")],
)
def test_406_when_no_accepted_format_fits_the_result(
    client: TestClient, query: str, accept: str
) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    error = assert_error(response, "not_acceptable")
    assert error["accepted"]


def test_406_for_a_format_parameter_that_does_not_fit(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": NEEDS, "format": "turtle"})
    assert_error(response, "not_acceptable")


def test_415_for_a_body_that_is_not_a_query(client: TestClient) -> None:
    response = client.post("/sparql", content=NEEDS, headers={"Content-Type": "text/plain"})
    error = assert_error(response, "unsupported_media_type")
    assert "application/sparql-query" in error["accepted"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_405_for_other_methods(client: TestClient, method: str) -> None:
    response = client.request(method, "/sparql")
    assert_error(response, "method_not_allowed")
    assert "POST" in response.headers["allow"]


def test_400_for_a_syntax_error_says_where(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?x\nWHERE { ?x ?p }"})
    error = assert_error(response, "query_syntax")
    assert error["line"] == 2
    assert error["column"] >= 1
    assert "line 2" in error["message"]


@pytest.mark.parametrize(
    "params",
    [
        [("query", NEEDS), ("query", NEEDS)],
        [("update", "CLEAR ALL")],
    ],
    ids=["two queries", "update by GET"],
)
def test_400_for_malformed_protocol_requests(client: TestClient, params: list) -> None:
    response = client.get("/sparql?" + urlencode(params))
    assert_error(response, "bad_request")


def test_400_for_a_form_with_both_query_and_update(client: TestClient) -> None:
    response = client.post(
        "/sparql",
        content=urlencode({"query": NEEDS, "update": "CLEAR ALL"}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_error(response, "bad_request")


def test_default_graph_uri_makes_the_default_graph(client: TestClient) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s skg:influences ?o }"

    def total(params: list[tuple[str, str]]) -> int:
        response = client.get("/sparql?" + urlencode([("query", count), *params]))
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    assert total([]) > 0
    assert total([("default-graph-uri", str(GRAPH.derived))]) == total([])
    assert total([("default-graph-uri", str(GRAPH.ontology))]) == 0


def test_named_graph_uri_limits_the_named_graphs(client: TestClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post(
        "/sparql?" + urlencode([("named-graph-uri", str(GRAPH.derived))]),
        content=query,
        headers={"Content-Type": "application/sparql-query"},
    )
    graphs = [row["g"]["value"] for row in response.json()["results"]["bindings"]]
    assert graphs == [str(GRAPH.derived)]


def test_get_with_no_query_is_the_service_description(client: TestClient) -> None:
    response = client.get("/sparql")
    assert response.headers["content-type"].startswith("text/turtle")
    triples = [q.triple for q in ox.parse(response.content, format=ox.RdfFormat.TURTLE)]
    endpoint = ox.NamedNode("http://testserver/sparql")
    assert ox.Triple(endpoint, ox.NamedNode(SD + "endpoint"), endpoint) in triples
    languages = {t.object.value for t in triples if t.predicate.value == SD + "supportedLanguage"}
    assert languages == {SD + "SPARQL11Query"}
    names = {t.object.value for t in triples if t.predicate.value == SD + "name"}
    assert str(GRAPH.ontology) in names


def test_the_service_description_names_update_when_allowed() -> None:
    with client_for(KnowledgeBase(), allow_update=True) as client:
        response = client.get("/sparql", headers={"Accept": "application/n-triples"})
    triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    languages = {t.object.value for t in triples if t.predicate.value == SD + "supportedLanguage"}
    assert SD + "SPARQL11Update" in languages


@pytest.mark.parametrize("form", [True, False], ids=["form", "direct"])
def test_update_by_form_and_direct_post(form: bool) -> None:
    kb = KnowledgeBase()
    update = "INSERT DATA { <urn:ex:a> <urn:ex:p> 'x' }"
    with client_for(kb, allow_update=True) as client:
        if form:
            response = client.post(
                "/sparql",
                content=urlencode({"update": update}),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        else:
            response = client.post(
                "/sparql", content=update, headers={"Content-Type": "application/sparql-update"}
            )
        assert response.status_code == 204, response.text
        check = client.get("/sparql", params={"query": "ASK { <urn:ex:a> <urn:ex:p> 'x' }"})
        assert check.json()["boolean"] is True


def test_an_update_that_does_not_parse_is_400_and_changes_nothing() -> None:
    kb = KnowledgeBase()
    kb.update("INSERT DATA { <urn:ex:a> <urn:ex:p> 1 }")
    before = snapshot(kb)
    with client_for(kb, allow_update=True) as client:
        response = client.post(
            "/sparql",
            content="INSERT DATA { <urn:ex:b> <urn:ex:p> 2 } ; DELETE WHERE { oops",
            headers={"Content-Type": "application/sparql-update"},
        )
    assert_error(response, "query_syntax")
    assert snapshot(kb) == before


def test_cors_preflight_and_simple_requests(client: TestClient) -> None:
    origin = "http://yasgui.example"
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed
    assert "content-type" in allowed
    simple = client.get("/sparql", params={"query": NEEDS}, headers={"Origin": origin})
    assert simple.headers["access-control-allow-origin"] == "*"
    error = client.get("/nowhere", headers={"Origin": origin})
    assert error.headers["access-control-allow-origin"] == "*"


def test_results_are_utf8_with_latvian_and_dutch_labels(client: TestClient) -> None:
    query = "SELECT ?l WHERE { skg:Friendliness skos:prefLabel ?l FILTER(LANG(?l) IN ('lv','nl')) }"
    response = client.get("/sparql", params={"query": query})
    labels = {row["l"]["value"] for row in json.loads(response.content)["results"]["bindings"]}
    assert any("ī" in label or "ā" in label for label in labels), labels


def test_relative_iris_resolve_against_the_endpoint(client: TestClient) -> None:
    response = client.get(
        "/sparql",
        params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200, response.text
    assert "<http://testserver/s> <http://testserver/p>" in response.text


@pytest.mark.parametrize("kind", ["query", "update"])
def test_a_syntax_error_on_the_first_line_has_the_users_column(kind: str) -> None:
    """The endpoint puts a BASE before the user's text; the column is still the one the
    parser gives for the text as the user wrote it."""
    kb = KnowledgeBase()
    text = "SELECT ?x WHERE { ?x }" if kind == "query" else "INSERT DATA { <a> }"
    run = kb.query if kind == "query" else kb.update
    with pytest.raises(QuerySyntaxError) as direct:
        run(text)
    with client_for(kb, allow_update=True) as client:
        if kind == "query":
            response = client.get("/sparql", params={"query": text})
        else:
            response = client.post(
                "/sparql", content=text, headers={"Content-Type": "application/sparql-update"}
            )
    error = assert_error(response, "query_syntax")
    assert (error["line"], error["column"]) == (direct.value.line, direct.value.column)
