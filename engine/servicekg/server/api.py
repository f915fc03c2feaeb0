"""JSON routes for consultants under ``/api/``: businesses, one business's recommendations,
rules and principles, described by the OpenAPI document at ``/api/openapi.json``.

A business's recommendations are assessed afresh from the observations the store holds, so
they answer in the report's documented JSON shape (``servicekg assess --format json``) for any
store, and in the language asked for (``?lang=nl``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.pipeline import assess
from servicekg.errors import ApiError, UnknownTermError
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.observations import business_iri, load_observations, sector_codes
from servicekg.rules import RuleBook, load_rules
from servicekg.server.context import ServerContext, context_of
from servicekg.server.limits import run_reading
from servicekg.server.openapi import openapi_document
from servicekg.server.params import language

__all__ = ["api_routes"]

_BUSINESSES = """
SELECT ?business ?iri ?name ?sector ?region
       (COUNT(DISTINCT ?observation) AS ?observations)
       (COUNT(DISTINCT ?recommendation) AS ?recommendations)
WHERE {
  GRAPH <%(observations)s> {
    ?iri a schema:Organization ; schema:identifier ?business .
    OPTIONAL { ?iri schema:name ?name }
    OPTIONAL { ?iri schema:additionalType ?sector }
    OPTIONAL { ?iri schema:areaServed ?region }
    OPTIONAL { ?observation sosa:hasFeatureOfInterest ?iri }
  }
  OPTIONAL { GRAPH <%(assessments)s> { ?recommendation skg:forBusiness ?iri ;
                                                      a skg:Recommendation } }
}
GROUP BY ?business ?iri ?name ?sector ?region
ORDER BY ?business
"""

_BUSINESS_DATA = """
CONSTRUCT { ?s ?p ?o } WHERE {
  GRAPH <%(observations)s> {
    { ?s sosa:hasFeatureOfInterest ?business ; ?p ?o }
    UNION { BIND (?business AS ?s) ?s ?p ?o }
    UNION { ?business ?link ?s . FILTER isBlank(?s) ?s ?p ?o }
  }
}
"""

_PRINCIPLES = """
SELECT ?iri ?label ?definition WHERE {
  GRAPH <%(ontology)s> {
    ?iri a skg:Principle .
    OPTIONAL { ?iri skos:prefLabel ?label FILTER (LANG(?label) = ?lang) }
    OPTIONAL { ?iri skos:definition ?definition FILTER (LANG(?definition) = ?lang) }
  }
}
ORDER BY ?iri
"""


def api_routes() -> list[Route]:
    """The routes mounted under ``/api``."""
    return [
        Route("/", _index, methods=["GET"]),
        Route("/openapi.json", _openapi, methods=["GET"]),
        Route("/businesses", _businesses, methods=["GET"]),
        Route("/businesses/{business}/recommendations", _recommendations, methods=["GET"]),
        Route("/rules", _rules, methods=["GET"]),
        Route("/rules/{rule}", _rule, methods=["GET"]),
        Route("/principles", _principles, methods=["GET"]),
    ]


async def _index(_request: Request) -> Response:
    base = "/api"
    return JSONResponse(
        {
            "openapi": f"{base}/openapi.json",
            "businesses": f"{base}/businesses",
            "recommendations": f"{base}/businesses/{{business}}/recommendations",
            "rules": f"{base}/rules",
            "principles": f"{base}/principles",
        }
    )


async def _openapi(_request: Request) -> Response:
    return JSONResponse(openapi_document())


async def _businesses(request: Request) -> Response:
    context = context_of(request)
    rows = await run_reading(
        context.kb,
        lambda: context.kb.select(
            _BUSINESSES % {"observations": GRAPH.observations, "assessments": GRAPH.assessments}
        ),
        context.settings.query_timeout,
    )
    return JSONResponse({"businesses": [_business_row(row) for row in rows]})


def _business_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "business": str(row["business"]),
        "iri": row["iri"],
        "name": row.get("name"),
        "sector": row.get("sector"),
        "region": row.get("region"),
        "observations": int(row.get("observations", 0)),
        "recommendations": int(row.get("recommendations", 0)),
        "links": {
            "recommendations": f"/api/businesses/{_quote(str(row['business']))}/recommendations"
        },
    }


async def _recommendations(request: Request) -> Response:
    context = context_of(request)
    business = request.path_params["business"]
    lang = language(request)
    report = await run_reading(
        context.kb, lambda: _assess_one(context, business, lang), context.settings.query_timeout
    )
    return JSONResponse(report)


def _assess_one(context: ServerContext, business: str, lang: str) -> dict[str, Any]:
    kb = context.kb
    iri = business_iri(business)
    data = list(
        kb.query(
            _BUSINESS_DATA % {"observations": GRAPH.observations},
            business=ox.NamedNode(iri),
        )
    )
    if not data:
        known = [str(r["business"]) for r in kb.select(_BUSINESSES % _GRAPHS)]
        error = UnknownTermError("business", business, known)
        raise ApiError("not_found", str(error), known=known[:50])
    assessment_context = _assessment_context(context, lang)
    with tempfile.TemporaryDirectory(prefix="servicekg-") as folder:
        path = Path(folder) / "business.ttl"
        path.write_bytes(ox.serialize(data, format=ox.RdfFormat.TURTLE) or b"")
        observations = load_observations(
            [path], assessment_context.catalogue, _cached(context, "sectors", sector_codes, kb)
        )
    report = assess(kb, observations, lang=lang, context=assessment_context)
    return report.as_dict()


_GRAPHS = {"observations": GRAPH.observations, "assessments": GRAPH.assessments}


def _assessment_context(context: ServerContext, lang: str) -> AssessmentContext:
    key = f"assessment-context-{lang}"
    if key not in context.cache:
        catalogue = _cached(context, "catalogue", MetricCatalogue.from_kb, context.kb)
        book = _book(context)
        context.cache[key] = AssessmentContext.build(
            context.kb, lang, book=book, catalogue=catalogue
        )
    found: AssessmentContext = context.cache[key]
    return found


def _book(context: ServerContext) -> RuleBook:
    if "rules" not in context.cache:
        catalogue = _cached(context, "catalogue", MetricCatalogue.from_kb, context.kb)
        context.cache["rules"] = load_rules(kb=context.kb, catalogue=catalogue)
    book: RuleBook = context.cache["rules"]
    return book


def _cached(context: ServerContext, key: str, build: Any, kb: KnowledgeBase) -> Any:
    if key not in context.cache:
        context.cache[key] = build(kb)
    return context.cache[key]


async def _rules(request: Request) -> Response:
    context = context_of(request)
    lang = language(request)
    book = await run_reading(context.kb, lambda: _book(context))
    return JSONResponse({"rules": [_rule_dict(rule, lang) for rule in book]})


async def _rule(request: Request) -> Response:
    context = context_of(request)
    lang = language(request)
    book = await run_reading(context.kb, lambda: _book(context))
    rule_id = request.path_params["rule"]
    if rule_id not in book:
        known = [rule.id for rule in book]
        raise ApiError("not_found", str(UnknownTermError("rule", rule_id, known)))
    return JSONResponse(_rule_dict(book.get(rule_id), lang, full=True))


def _rule_dict(rule: Any, lang: str, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.id,
        "severity": rule.severity,
        "title": rule.text("title", lang),
        "addresses": rule.addresses,
        "principles": list(rule.principles),
        "metrics": rule.metrics,
        "links": {"self": f"/api/rules/{_quote(rule.id)}"},
    }
    if full:
        data["recommendation"] = rule.text("recommendation", lang)
        data["sources"] = list(rule.sources)
        data["rationale"] = rule.rationale
    return data


async def _principles(request: Request) -> Response:
    context = context_of(request)
    lang = language(request)
    book = await run_reading(context.kb, lambda: _book(context))

    def read() -> list[dict[str, Any]]:
        return context.kb.select(_PRINCIPLES % {"ontology": GRAPH.ontology}, lang=ox.Literal(lang))

    rows = await run_reading(context.kb, read, context.settings.query_timeout)
    resting: dict[str, list[str]] = {}
    for rule in book:
        for principle in rule.principles:
            resting.setdefault(principle, []).append(rule.id)
    return JSONResponse(
        {
            "principles": [
                {
                    "iri": row["iri"],
                    "label": row.get("label"),
                    "definition": row.get("definition"),
                    "rules": resting.get(row["iri"], []),
                }
                for row in rows
            ]
        }
    )


def _quote(text: str) -> str:
    return quote(text, safe="")
