"""One JSON error shape for every error the server answers.

Every error, from a query that does not parse to a route that does not exist, is answered
with its HTTP status and a body of this shape (media type ``application/json``)::

    {"error": {"status": 400, "code": "query_syntax", "message": "...", ...details}}

``code`` is one of :data:`ERROR_CODES` (stable, for programs); ``message`` says what is wrong
and what would be accepted (for people); details such as ``line`` and ``column`` of a syntax
error, or ``accepted`` media types, are extra keys beside them.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from servicekg.errors import (
    ERROR_CODES,
    ApiError,
    GraphNotFound,
    InputError,
    ParseError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    ServiceKGError,
    StoreError,
    UnknownTermError,
)

__all__ = [
    "core_error",
    "error_codes_table",
    "error_response",
    "exception_handlers",
]

log = logging.getLogger("servicekg.server")


def error_response(error: ApiError) -> JSONResponse:
    """The response for ``error``: its status, headers and the JSON body."""
    body = {"status": error.status, "code": error.code, "message": error.message}
    body.update(error.details)
    return JSONResponse({"error": body}, status_code=error.status, headers=error.headers)


_STARLETTE_CODES = {404: "not_found", 405: "method_not_allowed", 400: "bad_request"}


async def _api_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)  # noqa: S101 (registered for ApiError only)
    return error_response(exc)


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # noqa: S101 (registered for HTTPException only)
    code = _STARLETTE_CODES.get(exc.status_code, "bad_request")
    if exc.status_code == 404:
        message = f"no route {request.url.path}; see / for the query page and /api/ for JSON"
    elif exc.status_code == 405:
        message = f"{request.method} is not answered at {request.url.path}"
    else:
        message = str(exc.detail)
    return error_response(ApiError(code, message, headers=dict(exc.headers or {})))


def core_error(exc: ServiceKGError) -> ApiError:
    """The API error for an error of the core (the knowledge base, its stores and SPARQL)."""
    if isinstance(exc, QuerySyntaxError):
        error = ApiError("query_syntax", str(exc), detail=exc.detail)
        if exc.line is not None:
            error.details.update(line=exc.line, column=exc.column)
        return error
    if isinstance(exc, QueryTimeout):
        return ApiError("query_timeout", str(exc), limit_seconds=exc.seconds)
    if isinstance(exc, ResultTooLarge):
        return ApiError("result_too_large", str(exc), limit=exc.limit)
    if isinstance(exc, QueryRefused):
        return ApiError("remote_not_allowed", str(exc))
    if isinstance(exc, GraphNotFound):
        return ApiError("not_found", str(exc), graph=exc.graph)
    if isinstance(exc, StoreError):
        return ApiError("store_unavailable", str(exc))
    if isinstance(exc, ParseError):
        location = exc.location
        error = ApiError("invalid_data", str(exc), detail=exc.detail)
        if location.line is not None:
            error.details.update(line=location.line, column=location.column)
        return error
    if isinstance(exc, UnknownTermError):
        return ApiError("not_found", str(exc), accepted=exc.accepted[:50])
    if isinstance(exc, InputError):
        return ApiError("bad_request", str(exc))
    return ApiError("invalid_data", str(exc))


async def _servicekg_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceKGError)  # noqa: S101 (registered for ServiceKGError only)
    return error_response(core_error(exc))


async def _internal(request: Request, exc: Exception) -> Response:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(
        ApiError("internal", f"the server failed on {request.method} {request.url.path}")
    )


def exception_handlers() -> dict[Any, Any]:
    """Starlette's exception handlers, every one answering in the one shape."""
    return {
        ApiError: _api_error,
        HTTPException: _http_exception,
        ServiceKGError: _servicekg_error,
        Exception: _internal,
    }


def error_codes_table() -> str:
    """The error codes as the README's Markdown table (a test keeps the README in step)."""
    lines = ["| status | code | when |", "| --- | --- | --- |"]
    for code, (status, when) in sorted(ERROR_CODES.items(), key=lambda item: item[1][0]):
        lines.append(f"| {status} | `{code}` | {when} |")
    return "\n".join(lines) + "\n"
