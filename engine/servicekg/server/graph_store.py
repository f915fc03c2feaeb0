"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``.

A graph is named indirectly (``/store?default``, ``/store?graph=IRI``) or directly (the
request URL itself, ``/store/some/path``, names the graph of that IRI). GET and HEAD return
it in a negotiated RDF format (404 for a named graph the store does not hold); PUT replaces
it, POST adds to it (201 when the graph is new, 204 otherwise); DELETE removes it (204, or 404
when there was none). ``POST /store`` with neither parameter makes a new graph and answers 201
with its IRI in ``Location``. Writes follow the same rules as SPARQL updates
(:mod:`servicekg.server.auth`) and are checked before the body is read.
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from servicekg.errors import ApiError
from servicekg.server.auth import require_write
from servicekg.server.context import context_of
from servicekg.server.limits import read_body, run_blocking, run_reading
from servicekg.server.multipart import rdf_parts
from servicekg.server.negotiation import GRAPH_TYPES, choose, media_type_of
from servicekg.sparql.formats import parse_rdf

__all__ = ["BODY_TYPES", "graph_store"]

BODY_TYPES: dict[str, str] = {
    "text/turtle": "text/turtle",
    "application/x-turtle": "text/turtle",
    "application/n-triples": "application/n-triples",
    "text/plain": "application/n-triples",
    "application/rdf+xml": "application/rdf+xml",
    "application/ld+json": "application/ld+json",
    "multipart/form-data": "multipart/form-data",
}
"""Request bodies accepted by PUT and POST, and the format each is read as (the files of a
``multipart/form-data`` body each in its own format)."""

MULTIPART = "multipart/form-data"
NTRIPLES = "application/n-triples"


def _merged(body: bytes, content_type: str, base: str) -> bytes:
    """The files of a multipart body read (every one, or none) and merged as N-Triples."""
    triples: list[ox.Triple] = []
    for data, media in rdf_parts(body, content_type):
        if media not in BODY_TYPES or media == MULTIPART:
            raise ApiError(
                "unsupported_media_type",
                f"a part of the multipart body is {media!r}; accepted: "
                + ", ".join(m for m in BODY_TYPES if m != MULTIPART),
            )
        triples.extend(parse_rdf(data, BODY_TYPES[media], base_iri=base))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


async def graph_store(request: Request) -> Response:
    """Answer one Graph Store Protocol request."""
    context = context_of(request)
    kb = context.kb
    graph, created_name = _target(request)
    if request.method in ("GET", "HEAD"):
        media = _negotiate(request)
        body = await run_reading(
            kb, lambda: kb.get_graph(graph, media), context.settings.query_timeout
        )
        return Response(body, media_type=media)
    require_write(request, context.settings)
    if request.method == "DELETE":
        await run_reading(kb, lambda: kb.delete_graph(graph))
        return Response(status_code=204)
    media = _body_type(request)
    body = await read_body(request, context.settings.max_body)
    base = graph.value if isinstance(graph, ox.NamedNode) else str(request.url)
    if media == MULTIPART:
        header = request.headers.get("content-type", "")
        body, media = await run_blocking(lambda: _merged(body, header, base)), NTRIPLES
    write = kb.put_graph if request.method == "PUT" else kb.post_graph
    created = await run_reading(kb, lambda: write(graph, body, media, base_iri=base))
    if created_name:
        return Response(status_code=201, headers={"Location": base})
    return Response(status_code=201 if created else 204)


def _negotiate(request: Request) -> str:
    wanted = request.query_params.get("format")
    accept = request.headers.get("accept")
    media = media_type_of(wanted, GRAPH_TYPES) if wanted else choose(GRAPH_TYPES, accept)
    if media is None:
        raise ApiError(
            "not_acceptable",
            f"graphs are served as {', '.join(GRAPH_TYPES)}",
            accepted=list(GRAPH_TYPES),
        )
    return media


def _target(request: Request) -> tuple[ox.NamedNode, bool] | tuple[ox.DefaultGraph, bool]:
    """The graph a request names, and whether the server made up its name (POST /store)."""
    params = request.query_params
    path = request.path_params.get("path")
    given_default = "default" in params
    given_graph = params.getlist("graph")
    if path:
        if given_default or given_graph:
            raise ApiError("bad_request", "name the graph by the URL or by ?graph=, not both")
        return _iri(str(request.url.replace(query=""))), False
    if len(given_graph) > 1:
        raise ApiError("bad_request", "give one ?graph= parameter")
    if given_default and given_graph:
        raise ApiError("bad_request", "give either ?default or ?graph=IRI, not both")
    if given_default:
        return ox.DefaultGraph(), False
    if given_graph:
        return _iri(given_graph[0]), False
    if request.method == "POST":
        base = str(request.url.replace(query="")).rstrip("/")
        return _iri(f"{base}/{uuid.uuid4()}"), True
    raise ApiError("bad_request", "name a graph: /store?default or /store?graph=IRI")


def _iri(text: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError as error:
        raise ApiError("bad_request", f"graph={text!r} is not an IRI: {error}") from None


def _body_type(request: Request) -> str:
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    found = BODY_TYPES.get(media)
    if found is None:
        raise ApiError(
            "unsupported_media_type",
            f"{request.method} /store takes {', '.join(BODY_TYPES)}; got {media or 'none'!r}",
            accepted=list(BODY_TYPES),
        )
    return found
