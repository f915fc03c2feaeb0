"""A remote SPARQL 1.1 endpoint as a store: Oxigraph server, Jena Fuseki, GraphDB, Virtuoso.

Queries go to the query URL and updates to the update URL (the same one when not given) by
the SPARQL 1.1 Protocol (form POST); whole graphs are read with the Graph Store Protocol when a
store URL is given, otherwise with CONSTRUCT. Every write is one update request, which these
servers apply as one transaction.

The knowledge base's queries see the union of all graphs as their default graph. Endpoints
differ in how to ask for that, so ``union`` says how:

* ``"dataset"`` (default, works everywhere): the protocol's ``default-graph-uri`` and
  ``named-graph-uri`` list every named graph of the store (one extra request to list them);
* ``"oxigraph"``: Oxigraph server's ``union-default-graph`` parameter;
* ``"native"``: the endpoint already answers over the union (Virtuoso and GraphDB by
  default, Fuseki with ``unionDefaultGraph``, Oxigraph with ``--union-default-graph``).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import groupby
from typing import Literal

import pyoxigraph as ox

from servicekg.errors import QueryTimeout, StoreError, parser_error
from servicekg.sparql.query_text import has_dataset_clause
from servicekg.stores.base import GraphName, QueryResult, Store

__all__ = ["UNION_MODES", "RemoteStore"]

UNION_MODES = ("dataset", "oxigraph", "native")
_ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/sparql-results+xml;q=0.5, application/rdf+xml;q=0.5"
)
_TIMEOUT_S = 300.0


class RemoteStore(Store):
    """A store behind SPARQL 1.1 Protocol URLs (``token``: a bearer token sent with each
    request)."""

    kind = "remote"

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        *,
        token: str | None = None,
        union: Literal["dataset", "oxigraph", "native"] = "dataset",
        timeout_s: float = _TIMEOUT_S,
    ) -> None:
        for url in (query_url, update_url, store_url):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"{url}: not an http(s) URL of a SPARQL endpoint")
        if union not in UNION_MODES:
            raise StoreError(f"union {union!r} is not one of {', '.join(UNION_MODES)}")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.store_url = store_url
        self.union = union
        self._token = token
        self._timeout_s = timeout_s

    def describe(self) -> str:
        return self.query_url

    # --- SPARQL -------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        prefixes: Mapping[str, str],
        default_graph: Sequence[GraphName] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        union_default_graph: bool = True,
        timeout_s: float | None = None,
    ) -> QueryResult:
        _check_syntax(sparql, prefixes)
        text = _declare(prefixes) + sparql
        fields: list[tuple[str, str]] = [("query", text)]
        if default_graph is not None or named_graphs is not None:
            fields += _dataset(default_graph or [], named_graphs or [])
        elif union_default_graph and self.union == "oxigraph":
            fields.append(("union-default-graph", ""))
        elif union_default_graph and self.union == "dataset" and not _has_from(sparql):
            graphs = self.named_graphs()
            fields += _dataset(graphs, graphs)
        body, media_type = self._post(
            self.query_url, fields, _ACCEPT, line_offset=len(prefixes), timeout_s=timeout_s
        )
        return _parse_result(body, media_type, self.query_url)

    def update(self, sparql: str, *, prefixes: Mapping[str, str]) -> None:
        fields = [("update", _declare(prefixes) + sparql)]
        self._post(self.update_url, fields, "*/*", line_offset=len(prefixes))

    # --- writes -------------------------------------------------------------------------

    def extend(self, quads: Iterable[ox.Quad]) -> int:
        count, data = _insert_data(quads)
        if count:
            self._post(self.update_url, [("update", data)], "*/*")
        return count

    def replace_graphs(self, graphs: Mapping[GraphName, Iterable[ox.Quad]]) -> int:
        drops = " ;\n".join(f"DROP SILENT {_target(g)}" for g in graphs)
        count, data = _insert_data(q for quads in graphs.values() for q in quads)
        self._post(self.update_url, [("update", drops + (" ;\n" + data if count else ""))], "*/*")
        return count

    def drop_graph(self, graph: GraphName) -> bool:
        existed = self.count(graph) > 0 or self.has_graph(graph)
        self._post(self.update_url, [("update", f"DROP SILENT {_target(graph)}")], "*/*")
        return existed

    def create_graph(self, graph: ox.NamedNode) -> None:
        self._post(self.update_url, [("update", f"CREATE SILENT GRAPH {graph}")], "*/*")

    # --- reads --------------------------------------------------------------------------

    def named_graphs(self) -> list[ox.NamedNode]:
        result = self._plain_select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return [s["g"] for s in result if isinstance(s["g"], ox.NamedNode)]

    def has_graph(self, graph: GraphName) -> bool:
        if isinstance(graph, ox.DefaultGraph):
            return True
        return bool(self._plain_query(f"ASK {{ GRAPH {graph} {{ }} }}"))

    def quads(self, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        if graph is None:
            found = self._plain_select(
                "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
            )
            for s in found:
                yield ox.Quad(s["s"], s["p"], s["o"], s["g"] or ox.DefaultGraph())
            return
        if self.store_url is not None:
            triples = self._graph_store_get(graph)
        else:
            pattern = (
                "?s ?p ?o"
                if isinstance(graph, ox.DefaultGraph)
                else f"GRAPH {graph} {{ ?s ?p ?o }}"
            )
            triples = self._plain_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}")
        for t in triples:
            yield ox.Quad(t.subject, t.predicate, t.object, graph)

    def count(self, graph: GraphName | None = None) -> int:
        if graph is None:
            where = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
        elif isinstance(graph, ox.DefaultGraph):
            where = "?s ?p ?o"
        else:
            where = f"GRAPH {graph} {{ ?s ?p ?o }}"
        found = self._plain_select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(next(iter(found))["n"].value)

    # --- HTTP ---------------------------------------------------------------------------

    def _plain_query(self, sparql: str) -> QueryResult:
        """A query over the store's own dataset (no union)."""
        body, media_type = self._post(self.query_url, [("query", sparql)], _ACCEPT)
        return _parse_result(body, media_type, self.query_url)

    def _plain_select(self, sparql: str) -> ox.QuerySolutions:
        return self._plain_query(sparql)

    def _graph_store_get(self, graph: GraphName) -> Iterable[ox.Triple]:
        assert self.store_url is not None  # noqa: S101 - checked by the caller
        param = (
            "default"
            if isinstance(graph, ox.DefaultGraph)
            else "graph=" + urllib.parse.quote(graph.value, safe="")
        )
        separator = "&" if "?" in self.store_url else "?"
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            f"{self.store_url}{separator}{param}", headers=self._headers("application/n-triples")
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout_s) as response:  # noqa: S310
                data = response.read()
                media_type = response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return []
            raise _http_error(self.store_url, error) from None
        except OSError as error:
            raise StoreError(f"{self.store_url}: cannot reach the graph store: {error}") from None
        return list(ox.parse(data, format=_rdf_format(media_type, self.store_url)))

    def _headers(self, accept: str) -> dict[str, str]:
        headers = {"Accept": accept, "User-Agent": "servicekg"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def _post(
        self,
        url: str,
        fields: list[tuple[str, str]],
        accept: str,
        *,
        line_offset: int = 0,
        timeout_s: float | None = None,
    ) -> tuple[bytes, str]:
        headers = self._headers(accept)
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(  # noqa: S310 - scheme checked in __init__
                request, timeout=timeout_s or self._timeout_s
            ) as response:
                return response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            raise _http_error(url, error, line_offset) from None
        except OSError as error:
            if isinstance(error, TimeoutError) or isinstance(
                getattr(error, "reason", None), TimeoutError
            ):
                if timeout_s is None:
                    raise StoreError(f"{url}: no answer in {self._timeout_s:g} s") from None
                raise QueryTimeout(timeout_s) from None
            raise StoreError(f"{url}: cannot reach the SPARQL endpoint: {error}") from None


def _check_syntax(sparql: str, prefixes: Mapping[str, str]) -> None:
    """Parse the query locally (pyoxigraph parses before it evaluates anything; the empty
    store is never read), so that a syntax error says where, as it does for local stores."""
    ox.Store().query(sparql, prefixes=dict(prefixes))


def _declare(prefixes: Mapping[str, str]) -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())


def _dataset(default: Sequence[GraphName], named: Sequence[ox.NamedNode]) -> list[tuple[str, str]]:
    fields = [("default-graph-uri", g.value) for g in default if isinstance(g, ox.NamedNode)]
    return fields + [("named-graph-uri", g.value) for g in named]


def _has_from(sparql: str) -> bool:
    return has_dataset_clause(sparql)


def _target(graph: GraphName) -> str:
    return "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"


def _insert_data(quads: Iterable[ox.Quad]) -> tuple[int, str]:
    """One ``INSERT DATA`` of the quads (in N-Triples syntax, escaped by pyoxigraph)."""
    count = 0
    parts = ["INSERT DATA {"]
    for graph, group in groupby(quads, key=lambda q: q.graph_name):
        lines = []
        for q in group:
            count += 1
            lines.append(f"{q.subject} {q.predicate} {q.object} .")
        body = "\n".join(lines)
        if isinstance(graph, ox.DefaultGraph):
            parts.append(body)
        else:
            parts.append(f"GRAPH {graph} {{\n{body}\n}}")
    parts.append("}")
    return count, "\n".join(parts)


def _rdf_format(media_type: str, url: str) -> ox.RdfFormat:
    found = ox.RdfFormat.from_media_type(media_type)
    if found is None:
        raise StoreError(f"{url}: answered with {media_type!r}, which is not an RDF format")
    return found


def _parse_result(body: bytes, media_type: str, url: str) -> QueryResult:
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        return ox.parse_query_results(body, format=results_format)
    return list(ox.parse(body, format=_rdf_format(media_type, url)))


def _http_error(url: str, error: urllib.error.HTTPError, line_offset: int = 0) -> Exception:
    detail = error.read().decode("utf-8", "replace").strip()[:2000]
    if error.code in (401, 403):
        return StoreError(f"{url}: not allowed (HTTP {error.code}); give a token: {detail}")
    if error.code == 400:
        return parser_error(detail, line_offset)
    return StoreError(f"{url}: HTTP {error.code}: {detail}")
