"""JSON routes of a consultant's engagement under ``/api/``: a business's progress, its
follow-ups (recording one needs the update token), a what-if (read-only) and a chain report.

They answer what the commands ``progress``, ``follow-up``, ``what-if`` and ``chain`` print
with ``--format json``, computed from what the store holds, in the language asked for.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from servicekg.engagement.from_kb import Engagement, record_follow_up
from servicekg.engagement.rdf import read_follow_ups
from servicekg.engagement.what_if import parse_changes
from servicekg.errors import ApiError
from servicekg.observations.follow_ups import STATUSES, FollowUp, status_code
from servicekg.server.auth import require_write
from servicekg.server.context import ServerContext, context_of
from servicekg.server.limits import read_body, run_reading
from servicekg.server.params import language

__all__ = ["BEST_DEFAULT", "engagement_routes"]

BEST_DEFAULT = 3
"""How many best single changes a what-if with no change lists."""


def engagement_routes() -> list[Route]:
    """The engagement routes, mounted under ``/api`` beside the others."""
    return [
        Route("/businesses/{business}/progress", _progress, methods=["GET"]),
        Route("/businesses/{business}/follow-ups", _follow_ups, methods=["GET", "POST"]),
        Route("/businesses/{business}/what-if", _what_if, methods=["GET"]),
        Route("/groups/{group}/chain", _chain, methods=["GET"]),
    ]


def _engagement(context: ServerContext, lang: str) -> Engagement:
    """One per language, kept: the rules and causal graph are read once per server."""
    key = f"engagement-{lang}"
    if key not in context.cache:
        context.cache[key] = Engagement(context.kb, lang)
    found: Engagement = context.cache[key]
    return found


async def _progress(request: Request) -> Response:
    context = context_of(request)
    business, lang = request.path_params["business"], language(request)
    engagement = _engagement(context, lang)
    found = await run_reading(
        context.kb, lambda: engagement.progress(business), context.settings.query_timeout
    )
    return JSONResponse(found.as_dict())


async def _chain(request: Request) -> Response:
    context = context_of(request)
    group, lang = request.path_params["group"], language(request)
    engagement = _engagement(context, lang)
    found = await run_reading(
        context.kb, lambda: engagement.chain(group), context.settings.query_timeout
    )
    return JSONResponse(found.as_dict())


async def _what_if(request: Request) -> Response:
    """``?change=metric=value`` (repeatable) and/or ``?best=N``; with neither, the best
    :data:`BEST_DEFAULT` single changes. Nothing is written."""
    context = context_of(request)
    business, lang = request.path_params["business"], language(request)
    written = request.query_params.getlist("change")
    best = _count(request.query_params.get("best"))
    if not written and best is None:
        best = BEST_DEFAULT
    engagement = _engagement(context, lang)

    def work() -> dict[str, Any]:
        changes = parse_changes(written, engagement.context.catalogue)
        data: dict[str, Any] = {"business": business}
        if changes:
            data["what_if"] = engagement.what_if(business, changes).as_dict()
        if best:
            data["best"] = [c.as_dict() for c in engagement.best(business, best)]
        return data

    found = await run_reading(context.kb, work, context.settings.query_timeout)
    return JSONResponse(found)


async def _follow_ups(request: Request) -> Response:
    context = context_of(request)
    business = request.path_params["business"]
    kb = context.kb
    if request.method == "GET":
        found = await run_reading(
            kb, lambda: read_follow_ups(kb, business), context.settings.query_timeout
        )
        return JSONResponse({"business": business, "follow_ups": [_plain(f) for f in found]})
    require_write(request, context.settings)
    body = await read_body(request, context.settings.max_body)
    given = _follow_up(business, body)
    rules = [r.id for r in _engagement(context, "en").context.book.rules]
    iri = await run_reading(kb, lambda: record_follow_up(kb, given, rules))
    return JSONResponse({"iri": iri, **_plain(given)}, status_code=201, headers={"Location": iri})


def _follow_up(business: str, body: bytes) -> FollowUp:
    """A follow-up from a JSON body ``{"rule", "status", "date"?, "note"?}``."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError("bad_request", "the body is not JSON") from None
    if not isinstance(data, dict):
        raise ApiError("bad_request", 'send a JSON object: {"rule": ..., "status": ...}')
    unknown = sorted(set(data) - {"rule", "status", "date", "note"})
    if unknown:
        raise ApiError("bad_request", f"unknown field {unknown[0]!r}", accepted=sorted(_FIELDS))
    rule, status = data.get("rule"), status_code(data.get("status", ""))
    if not isinstance(rule, str) or not rule:
        raise ApiError("bad_request", "'rule' (a rule id, e.g. slow-service) is required")
    if status is None:
        raise ApiError("bad_request", "'status' is required", accepted=list(STATUSES))
    day = data.get("date")
    try:
        date = datetime.date.fromisoformat(day) if day is not None else None
    except (TypeError, ValueError):
        raise ApiError("bad_request", f"'date' {day!r} is not YYYY-MM-DD") from None
    note = data.get("note")
    if note is not None and not isinstance(note, str):
        raise ApiError("bad_request", "'note' is text")
    return FollowUp(business, rule, status, date, note)


_FIELDS = ("rule", "status", "date", "note")


def _plain(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "rule": follow_up.rule,
        "status": follow_up.status,
        "date": follow_up.date.isoformat() if follow_up.date else None,
        "note": follow_up.note,
    }


def _count(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ApiError("bad_request", f"best={text!r} is not a whole number of at least 1")
    return int(text)
