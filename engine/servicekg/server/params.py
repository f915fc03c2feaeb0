"""Query parameters more than one route reads, checked the same way everywhere."""

from __future__ import annotations

from starlette.requests import Request

from servicekg.errors import ApiError
from servicekg.namespace import LANGUAGES

__all__ = ["language"]


def language(request: Request) -> str:
    """The ``lang`` parameter (default ``en``); any other than the graph's languages is a bad
    request (400), on ``/api`` and ``/viz`` alike."""
    lang = request.query_params.get("lang", "en")
    if lang not in LANGUAGES:
        raise ApiError(
            "bad_request",
            f"lang={lang!r} is not a language of the graph",
            accepted=list(LANGUAGES),
        )
    return lang
