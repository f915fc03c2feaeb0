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
                    "summary": "Every business the store holds observations of",
                    "responses": {
                        "200": _json(listing("businesses", business), "the businesses"),
                        **_errors(503),
                    },
                }
            },
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
