"""The SPARQL 1.1 Protocol at ``/sparql``: queries and updates, told apart as the protocol says.

* query: ``GET ?query=...``, ``POST`` a form (``application/x-www-form-urlencoded``) with
  ``query``, or ``POST`` the query itself (``application/sparql-query``); the dataset from
  ``default-graph-uri`` and ``named-graph-uri`` (these override ``FROM``);
* update: ``POST`` a form with ``update``, or the update itself (``application/sparql-update``);
* ``GET`` with no query: the Service Description (Turtle, or another RDF format on request).

Results are negotiated (:mod:`servicekg.server.negotiation`) from the Accept header, or a
``format`` parameter which wins over it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import TypeVar
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from servicekg.errors import ApiError, QuerySyntaxError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.server.auth import require_write
from servicekg.server.context import context_of
from servicekg.server.limits import read_body, run_reading
from servicekg.server.negotiation import GRAPH_TYPES, RESULT_TYPES, choose, media_type_of
from servicekg.server.service_description import service_description
from servicekg.server.settings import ServerSettings
from servicekg.server.update_dataset import with_using
from servicekg.sparql.formats import result_format, serialize_result
from servicekg.sparql.query_text import has_dataset_clause

__all__ = ["QUERY_TYPES", "sparql_endpoint"]

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
QUERY_TYPES = (FORM, QUERY_TYPE, UPDATE_TYPE)
"""The request bodies ``POST /sparql`` accepts."""

Params = list[tuple[str, str]]

T = TypeVar("T")


async def sparql_endpoint(request: Request) -> Response:
    """Answer one SPARQL Protocol request (GET or POST)."""
    params: Params = list(request.query_params.multi_items())
    if request.method in ("GET", "HEAD"):
        if _one(params, "update") is not None:
            raise ApiError("bad_request", "send updates with POST, not GET")
        query = _one(params, "query")
        if query is None:
            return _description(request)
        return await _query(request, query, params)
    media, charset = _content_type(request)
    if media not in QUERY_TYPES:
        raise ApiError(
            "unsupported_media_type",
            f"POST /sparql takes {', '.join(QUERY_TYPES)}; got {media or 'no Content-Type'!r}",
            accepted=list(QUERY_TYPES),
        )
    if media == UPDATE_TYPE:
        require_write(request, context_of(request).settings)
    body = await read_body(request, context_of(request).settings.max_body)
    text = _decode(body, charset)
    if media == QUERY_TYPE:
        return await _query(request, text, params)
    if media == UPDATE_TYPE:
        return await _update(request, text, params)
    form = params + parse_qsl(text, keep_blank_values=True)
    query, update = _one(form, "query"), _one(form, "update")
    if (query is None) == (update is None):
        raise ApiError("bad_request", "give exactly one of the form fields 'query' or 'update'")
    if query is not None:
        return await _query(request, query, form)
    require_write(request, context_of(request).settings)
    return await _update(request, str(update), form)


async def _query(request: Request, text: str, params: Params) -> Response:
    context = context_of(request)
    settings = context.settings
    wanted = _one(params, "format")
    accept = request.headers.get("accept")
    solutions = _offer(RESULT_TYPES, wanted, accept)
    graph = _offer(GRAPH_TYPES, wanted, accept)
    if solutions is None and graph is None:
        _negotiate(RESULT_TYPES + GRAPH_TYPES, wanted, accept)
    default_graph, named_graphs = _dataset(
        context.kb,
        settings,
        text,
        _all(params, "default-graph-uri"),
        _all(params, "named-graph-uri"),
    )

    base = _base(request)

    # The pool stops the query at --query-timeout (killing only the worker that ran it).
    output = await _located(
        context.pool.run(
            base + text,
            solutions_format=solutions or RESULT_TYPES[0],
            graph_format=graph or GRAPH_TYPES[0],
            default_graph=default_graph,
            named_graphs=named_graphs,
            allow_remote=settings.allow_remote,
        ),
        base,
    )
    if output.format.kind == "graph" and graph is None:
        _negotiate(GRAPH_TYPES, wanted, accept)
    if output.format.kind == "solutions" and solutions is None:
        _negotiate(RESULT_TYPES, wanted, accept)
    return Response(
        output.data, media_type=_with_charset(output.media_type), headers={"Vary": "Accept"}
    )


def _offer(offered: tuple[str, ...], wanted: str | None, accept: str | None) -> str | None:
    """The media type for one kind of result, or None when the client accepts none of it."""
    if wanted is not None:
        return media_type_of(wanted, offered)
    return choose(offered, accept)


def _dataset(
    kb: KnowledgeBase,
    settings: ServerSettings,
    text: str,
    defaults: list[str],
    named: list[str],
) -> tuple[list[str | ox.DefaultGraph] | None, list[str] | None]:
    """The dataset the protocol's parameters name (None: the query's own, or the union)."""
    default_graph: list[str | ox.DefaultGraph] | None = list(defaults) or None
    named_graphs: list[str] | None = list(named) or None
    if (
        not settings.union_default_graph
        and default_graph is None
        and named_graphs is None
        and not has_dataset_clause(text)
    ):
        with kb.fork_gate.reading():
            return [ox.DefaultGraph()], kb.named_graphs()
    return default_graph, named_graphs


async def _update(request: Request, text: str, params: Params) -> Response:
    context = context_of(request)
    text = with_using(text, _all(params, "using-graph-uri"), _all(params, "using-named-graph-uri"))
    base = _base(request)
    settings = context.settings
    # No time limit: an update is one transaction, which cannot be stopped half-way without
    # lying to the client about what was written.
    await _located(
        run_reading(
            context.kb,
            lambda: context.kb.update(base + text, allow_remote=settings.allow_remote),
        ),
        base,
    )
    return Response(status_code=204)


def _base(request: Request) -> str:
    """``BASE <endpoint URL>``, put before the user's first line: relative IRIs in queries and
    updates resolve against the endpoint, as the protocol wants a service-defined base."""
    return f"BASE <{request.url.replace(query='')}> "


async def _located(work: Awaitable[T], base: str) -> T:
    """Await ``work``; a syntax error on line 1 gets the column the user wrote (without the
    ``BASE`` put before it)."""
    try:
        return await work
    except QuerySyntaxError as error:
        if error.line == 1 and error.column is not None:
            raise QuerySyntaxError(error.detail, 1, max(1, error.column - len(base))) from None
        raise


def _description(request: Request) -> Response:
    context = context_of(request)
    wanted = _one(list(request.query_params.multi_items()), "format")
    media = _negotiate(GRAPH_TYPES, wanted, request.headers.get("accept"))
    endpoint = str(request.url.replace(query=""))
    with context.kb.fork_gate.reading():
        graphs = context.kb.named_graphs()
    triples = service_description(
        endpoint,
        graphs,
        update=context.settings.allow_update,
        union=context.settings.union_default_graph,
    )
    body = serialize_result(triples, result_format(media))
    return Response(body, media_type=_with_charset(media))


def _negotiate(offered: tuple[str, ...], wanted: str | None, accept: str | None) -> str:
    if wanted is not None:
        media = media_type_of(wanted, offered)
        if media is None:
            raise ApiError(
                "not_acceptable",
                f"format={wanted!r} does not fit this result; accepted: {', '.join(offered)}",
                accepted=list(offered),
            )
        return media
    media = choose(offered, accept)
    if media is None:
        raise ApiError(
            "not_acceptable",
            f"no format in Accept: {accept!r} fits this result; accepted: {', '.join(offered)}",
            accepted=list(offered),
        )
    return media


def _content_type(request: Request) -> tuple[str, str]:
    header = request.headers.get("content-type", "")
    media, _, rest = header.partition(";")
    charset = "utf-8"
    for param in rest.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def _decode(body: bytes, charset: str) -> str:
    if charset.replace("-", "").replace("_", "") not in ("utf8", "usascii", "ascii"):
        raise ApiError(
            "unsupported_media_type",
            f"charset={charset}: SPARQL requests are UTF-8 (send charset=utf-8, or none)",
        )
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(
            "bad_request", f"the body is not valid {charset} (byte {error.start})"
        ) from None


def _one(params: Sequence[tuple[str, str]], name: str) -> str | None:
    values = _all(params, name)
    if len(values) > 1:
        raise ApiError("bad_request", f"the parameter {name!r} was given {len(values)} times")
    return values[0] if values else None


def _all(params: Sequence[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in params if key == name]


def _with_charset(media: str) -> str:
    textual = media.startswith("text/") or media.endswith(("json", "xml")) or "n-triples" in media
    return f"{media}; charset=utf-8" if textual else media
