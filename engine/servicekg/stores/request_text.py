"""What a remote store sends and reads back: the SPARQL text with its prefixes, the protocol's
dataset fields, ``INSERT DATA`` for quads, and the endpoint's answers parsed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby

import pyoxigraph as ox

from servicekg.errors import StoreError
from servicekg.stores.base import GraphName, QueryResult

__all__ = [
    "ACCEPT_RDF",
    "ACCEPT_RESULTS",
    "check_syntax",
    "dataset_fields",
    "declare",
    "insert_data",
    "parse_result",
    "rdf_format",
]

ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
ACCEPT_RDF = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_BASE = re.compile(r"\s*BASE\s*<[^>]*>[ \t]*", re.IGNORECASE)


def check_syntax(sparql: str, prefixes: Mapping[str, str]) -> str:
    """Parse the query locally (pyoxigraph parses before it evaluates anything; the empty
    store is never read), so that a syntax error says where, as it does for local stores;
    the media types to accept for its kind of result (an engine may answer a CONSTRUCT in a
    results format when asked for any)."""
    result = ox.Store().query(sparql, prefixes=dict(prefixes))
    if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
        return ACCEPT_RESULTS
    return ACCEPT_RDF


def declare(prefixes: Mapping[str, str], sparql: str) -> str:
    """``sparql`` with ``prefixes`` declared, after its leading ``BASE`` if it has one (the
    grammar takes them in any order; Virtuoso wants ``BASE`` first)."""
    base = _BASE.match(sparql)
    head = base[0] if base else ""
    declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())
    return head + declared + sparql[len(head) :]


def dataset_fields(
    default: Sequence[GraphName], named: Sequence[ox.NamedNode]
) -> list[tuple[str, str]]:
    fields = [("default-graph-uri", g.value) for g in default if isinstance(g, ox.NamedNode)]
    return fields + [("named-graph-uri", g.value) for g in named]


def insert_data(quads: Iterable[ox.Quad], blank_nodes_in_data: bool = True) -> tuple[int, str]:
    """One ``INSERT DATA`` of the quads (in N-Triples syntax, escaped by pyoxigraph); where the
    engine refuses blank nodes in ``INSERT DATA`` and there are some, the same as ``INSERT {
    ... } WHERE { }`` (both make fresh blank nodes, shared within the request; Virtuoso caps
    that form at some hundreds of triples, so its writes go through the Graph Store)."""
    count = 0
    blank = False
    parts = []
    for graph, group in groupby(quads, key=lambda q: q.graph_name):
        lines = []
        for q in group:
            count += 1
            blank = (
                blank or isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
            )
            lines.append(f"{q.subject} {q.predicate} {q.object} .")
        body = "\n".join(lines)
        if isinstance(graph, ox.DefaultGraph):
            parts.append(body)
        else:
            parts.append(f"GRAPH {graph} {{\n{body}\n}}")
    if blank and not blank_nodes_in_data:
        return count, "INSERT {\n" + "\n".join(parts) + "\n} WHERE { }"
    return count, "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def rdf_format(media_type: str, url: str) -> ox.RdfFormat:
    found = ox.RdfFormat.from_media_type(media_type)
    if found is None:
        raise StoreError(f"{url}: answered with {media_type!r}, which is not an RDF format")
    return found


def parse_result(body: bytes, media_type: str, url: str) -> QueryResult:
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        return ox.parse_query_results(body, format=results_format)
    return list(ox.parse(body, format=rdf_format(media_type, url)))
