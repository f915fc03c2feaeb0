"""Interim store access, until the core's ``servicekg.sparql`` (limits, safety, formats) lands.

Private and minimal on purpose: the routes call only these functions, so that they can be
switched to the core's API in one place and this module deleted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from servicekg.knowledge_base import KnowledgeBase, QuerySyntaxError
from servicekg.namespace import PREFIXES
from servicekg.server.errors import ApiError

__all__ = ["named_graphs", "run_query", "run_update", "serialize_graph", "serialize_result"]

_REMOTE = re.compile(r"\b(SERVICE|LOAD)\b", re.IGNORECASE)

_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def _refuse_remote(text: str, allow_remote: bool) -> None:
    if not allow_remote and _REMOTE.search(text):
        raise ApiError(
            "remote_not_allowed",
            "SERVICE and LOAD fetch remote data; the server refuses them unless started "
            "with --allow-remote",
        )


def run_query(
    kb: KnowledgeBase,
    text: str,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    *,
    allow_remote: bool = False,
    union: bool = True,
) -> Any:
    """Evaluate a query; pyoxigraph's result (solutions, boolean or triples), fully read."""
    _refuse_remote(text, allow_remote)
    options: dict[str, Any] = {"prefixes": PREFIXES}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = union
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = kb.store.query(text, **options)
    except SyntaxError as error:
        raise QuerySyntaxError.from_parser(error) from None
    if isinstance(result, ox.QueryBoolean):
        return result
    if isinstance(result, ox.QuerySolutions):
        return result
    return list(result)


def run_update(kb: KnowledgeBase, text: str, *, allow_remote: bool = False) -> None:
    """Run an update as one transaction."""
    _refuse_remote(text, allow_remote)
    kb.update(text)


def serialize_result(result: Any, media_type: str) -> bytes:
    """Solutions or a boolean in one of the SPARQL result formats."""
    return bytes(result.serialize(format=_RESULT_FORMATS[media_type]))


def serialize_graph(triples: Sequence[ox.Triple], media_type: str) -> bytes:
    """Triples in one of the RDF formats."""
    return bytes(ox.serialize(triples, format=_GRAPH_FORMATS[media_type], prefixes=PREFIXES) or b"")


def named_graphs(kb: KnowledgeBase) -> list[str]:
    """The IRIs of the store's named graphs, sorted."""
    return sorted(g.value for g in kb.store.named_graphs() if isinstance(g, ox.NamedNode))


Graph = ox.NamedNode | ox.DefaultGraph


def graph_exists(kb: KnowledgeBase, graph: Graph) -> bool:
    """True for the default graph, and for a named graph the store holds."""
    return isinstance(graph, ox.DefaultGraph) or kb.store.contains_named_graph(graph)


def graph_triples(kb: KnowledgeBase, graph: Graph) -> list[ox.Triple]:
    """The triples of one graph."""
    return [q.triple for q in kb.store.quads_for_pattern(None, None, None, graph)]


def parse_triples(body: bytes, media_type: str, base_iri: str) -> list[ox.Triple]:
    """Triples read from ``body`` (raises :class:`SyntaxError` naming the line)."""
    return [q.triple for q in ox.parse(body, format=_GRAPH_FORMATS[media_type], base_iri=base_iri)]


def write_graph(
    kb: KnowledgeBase, graph: Graph, triples: list[ox.Triple], *, replace: bool
) -> None:
    """Add ``triples`` to ``graph``, first emptying it when ``replace``; creates the graph."""
    store = kb.store
    if replace and graph_exists(kb, graph):
        store.clear_graph(graph)
    if isinstance(graph, ox.NamedNode):
        store.add_graph(graph)
    store.extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples])


def drop_graph(kb: KnowledgeBase, graph: Graph) -> None:
    """Empty the default graph, or remove a named graph."""
    if isinstance(graph, ox.DefaultGraph):
        kb.store.clear_graph(graph)
    else:
        kb.store.remove_graph(graph)
