"""The OpenAPI 3 description of the JSON routes under ``/api/`` (served at ``/api/openapi.json``).

Written as data here, beside the routes it describes; a test checks that every ``/api`` route
is described and every described path answers.
"""

from __future__ import annotations

from typing import Any

from servicekg.errors import ERROR_CODES
from servicekg.namespace import LANGUAGES

__all__ = ["openapi_document"]

_LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of labels and texts.",
    "schema": {"type": "string", "enum": list(LANGUAGES), "default": "en"},
}

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string", "enum": sorted(ERROR_CODES)},
                "message": {"type": "string"},
            },
            "additionalProperties": True,
        }
    },
}

_TERM = {
    "type": "object",
    "properties": {"iri": {"type": "string"}, "label": {"type": "string"}},
}


_FILTERS = [
    {
        "name": "group",
        "in": "query",
        "required": False,
        "description": "Only the businesses of this group (chain); an unknown group is 404.",
        "schema": {"type": "string"},
    },
    {
        "name": "sector",
        "in": "query",
        "required": False,
        "description": "Only the businesses of this sector code.",
        "schema": {"type": "string"},
    },
    {
        "name": "visit",
        "in": "query",
        "required": False,
        "description": "Only the businesses with this visit: a number (their N-th), a day "
        "(YYYY-MM-DD: a visit begun by then) or latest.",
        "schema": {"type": "string"},
    },
]
"""The filters of ``/api/businesses`` (and of the portfolio view at ``/viz/portfolio``)."""


def _business_path(
    description: str = "The business id (percent-encoded in the path).",
) -> dict[str, Any]:
    return {
        "name": "business",
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


def engagement_paths() -> dict[str, Any]:
    """The engagement routes: progress, follow-ups, what-if, chain."""
    anything = {"type": "object"}
    follow_up = {
        "type": "object",
        "required": ["rule", "status"],
        "properties": {
            "rule": {"type": "string", "description": "The rule id (slow-service)."},
            "status": {"type": "string", "enum": ["accepted", "in-progress", "done", "declined"]},
            "date": {"type": ["string", "null"], "format": "date"},
            "note": {"type": ["string", "null"]},
        },
    }
    return {
        "/api/businesses/{business}/progress": {
            "get": {
                "summary": "The business at each visit: metrics with trends, recommendations "
                "new, persisting, worse or resolved, score change, follow-ups judged",
                "parameters": [_business_path(), _LANG],
                "responses": {"200": _json(anything, "the progress"), **_errors(400, 404)},
            }
        },
        "/api/businesses/{business}/follow-ups": {
            "get": {
                "summary": "The business's follow-ups, oldest first",
                "parameters": [_business_path()],
                "responses": {"200": _json(anything, "the follow-ups")},
            },
            "post": {
                "summary": "Record a follow-up of one recommendation (needs the update token)",
                "parameters": [_business_path()],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": follow_up}},
                },
                "responses": {
                    "201": _json(follow_up, "the follow-up stored, with its iri"),
                    **_errors(400, 401, 403, 404),
                },
            },
        },
        "/api/businesses/{business}/what-if": {
            "get": {
                "summary": "Assess the business again with changed values; nothing is written",
                "parameters": [
                    _business_path(),
                    {
                        "name": "change",
                        "in": "query",
                        "required": False,
                        "description": "metric=value (repeatable; units allowed: 90%).",
                        "schema": {"type": "array", "items": {"type": "string"}},
                        "explode": True,
                    },
                    {
                        "name": "best",
                        "in": "query",
                        "required": False,
                        "description": "Rank the single changes of bad metrics to their "
                        "targets; the first N (3 when no change is given).",
                        "schema": {"type": "integer", "minimum": 1},
                    },
                    _LANG,
                ],
                "responses": {"200": _json(anything, "what moves"), **_errors(400, 404)},
            }
        },
        "/api/groups/{group}/chain": {
            "get": {
                "summary": "The chain report of a group: branches side by side",
                "parameters": [
                    {
                        "name": "group",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    _LANG,
                ],
                "responses": {"200": _json(anything, "the chain report"), **_errors(400, 404)},
            }
        },
    }


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/Error"}
    return {str(s): _json(ref, "an error, in the one error shape") for s in statuses}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``/api``."""
    business = {
        "type": "object",
        "required": ["business", "iri", "observations", "recommendations"],
        "properties": {
            "business": {"type": "string"},
            "iri": {"type": "string"},
            "name": {"type": ["string", "null"]},
            "sector": {"type": ["string", "null"]},
            "region": {"type": ["string", "null"]},
            "observations": {"type": "integer"},
            "recommendations": {"type": "integer"},
            "links": {"type": "object"},
        },
    }
    report = {
        "type": "object",
        "description": "The assessment report's JSON shape (README: 'the JSON shape'), "
        "holding the one business asked for.",
        "required": ["schema", "language", "generated_at", "businesses"],
        "properties": {
            "schema": {"type": "string"},
            "language": {"type": "string"},
            "generated_at": {"type": "string"},
            "businesses": {"type": "array", "items": {"type": "object"}},
        },
    }
    rule = {
        "type": "object",
        "required": ["id", "severity", "title", "addresses", "principles"],
        "properties": {
            "id": {"type": "string"},
            "severity": {"type": "string"},
            "title": {"type": "string"},
            "addresses": {"type": "string"},
            "principles": {"type": "array", "items": {"type": "string"}},
            "metrics": {"type": "array", "items": {"type": "string"}},
            "recommendation": {"type": "string"},
            "sources": {"type": "array", "items": {"type": "string"}},
            "rationale": {"type": ["string", "null"]},
        },
    }
    principle = {
        "type": "object",
        "properties": {
            "iri": {"type": "string"},
            "label": {"type": ["string", "null"]},
            "definition": {"type": ["string", "null"]},
            "rules": {"type": "array", "items": {"type": "string"}},
        },
    }

    def listing(key: str, item: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "properties": {key: {"type": "array", "items": item}}}

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "servicekg consultants' API",
            "version": "1",
            "description": "Businesses, their ranked and explained recommendations, the rules "
            "and the principles they rest on. SPARQL is at /sparql, the Graph Store at /store.",
        },
        "paths": {
            "/api/businesses": {
                "get": {
                    "summary": "Every business the store holds observations of (or those a "
                    "filter keeps)",
                    "parameters": _FILTERS,
                    "responses": {
                        "200": _json(listing("businesses", business), "the businesses"),
                        **_errors(404, 503),
                    },
                }
            },
            **engagement_paths(),
            "/api/businesses/{business}/recommendations": {
                "get": {
                    "summary": "One business's ranked recommendations, with their explanations",
                    "parameters": [
                        {
                            "name": "business",
                            "in": "path",
                            "required": True,
                            "description": "The business id (percent-encoded in the path).",
                            "schema": {"type": "string"},
                        },
                        _LANG,
                    ],
                    "responses": {
                        "200": _json(report, "the business's assessment"),
                        **_errors(400, 404, 503),
                    },
                }
            },
            "/api/rules": {
                "get": {
                    "summary": "Every rule",
                    "parameters": [_LANG],
                    "responses": {"200": _json(listing("rules", rule), "the rules")},
                }
            },
            "/api/rules/{rule}": {
                "get": {
                    "summary": "One rule with its recommendation text and sources",
                    "parameters": [
                        {
                            "name": "rule",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        _LANG,
                    ],
                    "responses": {"200": _json(rule, "the rule"), **_errors(400, 404)},
                }
            },
            "/api/principles": {
                "get": {
                    "summary": "Every principle and the rules that rest on it",
                    "parameters": [_LANG],
                    "responses": {
                        "200": _json(listing("principles", principle), "the principles"),
                        **_errors(400),
                    },
                }
            },
        },
        "components": {"schemas": {"Error": _ERROR, "Term": _TERM}},
    }
