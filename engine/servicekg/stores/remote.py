"""A remote SPARQL 1.1 endpoint as a store: Oxigraph server, Jena Fuseki, GraphDB, Virtuoso.

Queries go to the query URL and updates to the update URL (the same one when not given) by
the SPARQL 1.1 Protocol (form POST); whole graphs are read with the Graph Store Protocol when a
store URL is given, otherwise with CONSTRUCT. Every write is one update request, which these
servers apply as one transaction.

Where engines differ (how to ask for the union of the graphs, whether whole graphs are written
through the Graph Store, authentication, a default graph to write into, how ASK is answered),
the engine's profile (:mod:`servicekg.stores.profiles`, ``engine=``) says what to do. Whole
graphs are written with Graph Store ``PUT``/``POST`` where the profile allows and a store URL is
known; each such request is one transaction, so replacing several graphs at once is atomic per
graph there, and atomic as a whole through SPARQL Update (``engine="generic"``).

The knowledge base's queries see the union of all graphs as their default graph; ``union``
overrides how the profile asks for it:

* ``"dataset"`` (works everywhere): the protocol's ``default-graph-uri`` and
  ``named-graph-uri`` list every named graph of the store (one extra request to list them);
* ``"oxigraph"``: Oxigraph server's ``union-default-graph`` parameter;
* ``"native"``: the endpoint already answers over the union (GraphDB by default, Fuseki with
  ``unionDefaultGraph``, Oxigraph with ``--union-default-graph``; not Virtuoso, whose union
  includes its own system graphs).

Every request has a time limit (``timeout_s``; updates ``update_timeout_s``): an endpoint that
is down or does not answer is named in the error.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal

import pyoxigraph as ox

from servicekg.errors import QueryTimeout, StoreError
from servicekg.sparql.query_text import has_dataset_clause
from servicekg.stores.base import GraphName, QueryResult, Store
from servicekg.stores.http_client import HttpClient, NotFound, TimedOut, beside
from servicekg.stores.profiles import DEFAULT_STAND_IN, Credentials, EngineProfile, profile
from servicekg.stores.request_text import (
    ACCEPT_RDF,
    ACCEPT_RESULTS,
    check_syntax,
    dataset_fields,
    declare,
    insert_data,
    parse_result,
    rdf_format,
)

__all__ = ["UNION_MODES", "UPDATE_TIMEOUT_S", "RemoteStore"]

UNION_MODES = ("dataset", "oxigraph", "native", "virtuoso")
_TIMEOUT_S = 300.0
UPDATE_TIMEOUT_S = 120.0
"""How long an update waits for the endpoint unless told (``--update-timeout``)."""
_GRAPH_LIST_S = 2.0
_NO_GRAPH = "urn:x-servicekg:no-graph"
"""A graph no store holds: named alone, it leaves a query no named graphs to see."""
_ASK_ROWS = b'{"head":{},"boolean":%s}'


class RemoteStore(Store):
    """A store behind SPARQL 1.1 Protocol URLs, on the engine ``engine`` names (its profile
    fills in the update and Graph Store URLs when not given). ``token``: a bearer token sent
    with each request; ``user`` and ``password``: sent as the profile says (basic or digest)."""

    kind = "remote"

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        *,
        engine: str = "generic",
        token: str | None = None,
        user: str | None = None,
        password: str | None = None,
        union: Literal["dataset", "oxigraph", "native", "virtuoso"] | None = None,
        timeout_s: float = _TIMEOUT_S,
        update_timeout_s: float = UPDATE_TIMEOUT_S,
        graph_list_s: float = _GRAPH_LIST_S,
    ) -> None:
        try:
            self.profile: EngineProfile = profile(engine)
        except ValueError as error:
            raise StoreError(str(error)) from None
        update_url = update_url or beside(query_url, self.profile.update_path)
        store_url = store_url or beside(query_url, self.profile.store_path)
        for url in (query_url, update_url, store_url):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"{url}: not an http(s) URL of a SPARQL endpoint")
        union = union or self.profile.union
        if union not in UNION_MODES:
            raise StoreError(f"union {union!r} is not one of {', '.join(UNION_MODES)}")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.store_url = store_url
        self.union = union
        self._credentials = Credentials(token, user, password)
        self._http = HttpClient(self.profile, self._credentials, query_url)
        self._timeout_s = timeout_s
        self.update_timeout_s = update_timeout_s
        self._graph_list_s = graph_list_s
        self._listed: tuple[float, list[ox.NamedNode]] | None = None
        stand_in = self.profile.default_stand_in
        self._stand_in = ox.NamedNode(stand_in) if stand_in else None
        self._hidden = set(self.profile.system_graphs) | ({stand_in} if stand_in else set())

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
        accept = check_syntax(sparql, prefixes)
        dataset = default_graph is not None or named_graphs is not None
        pragmas: list[str] = []
        if self.union == "virtuoso" and not dataset and not has_dataset_clause(sparql):
            pragmas = self._virtuoso_dataset(union=union_default_graph)
        text = "".join(pragmas) + declare(prefixes, sparql)
        line_offset = len(pragmas) + len(prefixes)
        fields: list[tuple[str, str]] = [("query", text)]
        if dataset:
            chosen = [self._stored(g) for g in default_graph or []]
            fields += dataset_fields(chosen, named_graphs or [])
        elif union_default_graph and self.union == "oxigraph":
            fields.append(("union-default-graph", ""))
        elif union_default_graph and self.union == "dataset" and not has_dataset_clause(sparql):
            graphs = self._graphs_with_triples()
            default: list[GraphName] = [*graphs, *([self._stand_in] if self._stand_in else [])]
            fields += dataset_fields(default, graphs or self._no_graphs())
        elif not union_default_graph and not pragmas and not has_dataset_clause(sparql):
            fields += self._own_dataset()
        wait = timeout_s or self._timeout_s
        if self.profile.query_timeout_param is not None and timeout_s is not None:
            name, unit = self.profile.query_timeout_param
            fields.append((name, f"{timeout_s / unit:g}"))
        body, media_type = self._post(
            self.query_url, fields, accept, line_offset=line_offset, timeout_s=wait
        )
        return self._result(body, media_type)

    def update(self, sparql: str, *, prefixes: Mapping[str, str]) -> None:
        fields = [("update", declare(prefixes, sparql))]
        if self._stand_in is not None:  # Virtuoso takes it as the graph an update writes to
            fields.append(("default-graph-uri", self._stand_in.value))
        self._post(self.update_url, fields, "*/*", line_offset=len(prefixes), update=True)

    # --- writes -------------------------------------------------------------------------

    def extend(self, quads: Iterable[ox.Quad]) -> int:
        if self._graph_store_writes:
            return self._graph_store_add(quads)
        count, data = insert_data(self._stored_quads(quads), self.profile.blank_nodes_in_data)
        if count:
            self._post(self.update_url, [("update", data)], "*/*", update=True)
        return count

    def replace_graphs(self, graphs: Mapping[GraphName, Iterable[ox.Quad]]) -> int:
        if self._graph_store_writes:
            return sum(self._graph_store_put(g, quads) for g, quads in graphs.items())
        drops = " ;\n".join(f"DROP SILENT {self._target(g)}" for g in graphs)
        count, data = insert_data(
            self._stored_quads(q for quads in graphs.values() for q in quads),
            self.profile.blank_nodes_in_data,
        )
        update = drops + (" ;\n" + data if count else "")
        self._post(self.update_url, [("update", update)], "*/*", update=True)
        return count

    def drop_graph(self, graph: GraphName) -> bool:
        existed = self.count(graph) > 0 or self.has_graph(graph)
        self._post(
            self.update_url, [("update", f"DROP SILENT {self._target(graph)}")], "*/*", update=True
        )
        return existed

    def create_graph(self, graph: ox.NamedNode) -> None:
        self._post(
            self.update_url, [("update", f"CREATE SILENT GRAPH {graph}")], "*/*", update=True
        )

    # --- reads --------------------------------------------------------------------------

    def named_graphs(self) -> list[ox.NamedNode]:
        pattern = "{ }" if self.profile.empty_graph_ask else "{ ?s ?p ?o }"
        result = self._plain_select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {pattern} }}")
        return [
            s["g"]
            for s in result
            if isinstance(s["g"], ox.NamedNode) and s["g"].value not in self._hidden
        ]

    def _graphs_with_triples(self) -> list[ox.NamedNode]:
        """The named graphs that hold triples: all the union needs. Where empty graphs need a
        slower listing (Virtuoso lists created graphs only with ``DISTINCT``, at ~1 s over a
        few thousand quads), a grouped one (milliseconds) that leaves them out. The list is
        kept ``graph_list_s`` seconds (2 by default) and dropped at each write through this
        store: a graph another client adds is in the union within that time."""
        listed = self._listed
        if listed is not None and time.monotonic() - listed[0] < self._graph_list_s:
            return listed[1]
        started = time.monotonic()
        if self.profile.empty_graph_ask:
            graphs = self.named_graphs()
        else:
            found = self._plain_select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
            graphs = [s["g"] for s in found if s["g"].value not in self._hidden]
        self._listed = (started, graphs)
        return graphs

    def has_graph(self, graph: GraphName) -> bool:
        if isinstance(graph, ox.DefaultGraph):
            return True
        if not self.profile.empty_graph_ask:
            return graph in set(self.named_graphs())
        return bool(self._plain_query(f"ASK {{ GRAPH {graph} {{ }} }}"))

    def quads(self, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        if graph is None:
            found = self._plain_select(f"SELECT * WHERE {{ {self._every_graph()} }}")
            for s in found:
                yield ox.Quad(s["s"], s["p"], s["o"], self._named(s["g"]))
            return
        if self.store_url is not None:
            triples = self._graph_store_get(graph)
        else:
            triples = self._plain_query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {self._in_graph(graph)} }}"
            )
        for t in triples:
            yield ox.Quad(t.subject, t.predicate, t.object, graph)

    def count(self, graph: GraphName | None = None) -> int:
        where = self._every_graph() if graph is None else self._in_graph(graph)
        found = self._plain_select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(next(iter(found))["n"].value)

    # --- the engine's graphs ------------------------------------------------------------

    @property
    def _graph_store_writes(self) -> bool:
        return self.store_url is not None and self.profile.graph_store_writes

    def _stored(self, graph: GraphName) -> GraphName:
        """The graph of the engine that holds ``graph`` (the stand-in for the default one)."""
        if isinstance(graph, ox.DefaultGraph) and self._stand_in is not None:
            return self._stand_in
        return graph

    def _stored_quads(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        if self._stand_in is None:
            yield from quads
            return
        for q in quads:
            if isinstance(q.graph_name, ox.DefaultGraph):
                yield ox.Quad(q.subject, q.predicate, q.object, self._stand_in)
            else:
                yield q

    def _target(self, graph: GraphName) -> str:
        stored = self._stored(graph)
        return "DEFAULT" if isinstance(stored, ox.DefaultGraph) else f"GRAPH {stored}"

    def _own_dataset(self) -> list[tuple[str, str]]:
        """Protocol fields that make the engine's dataset the store's own: nothing, or on an
        engine whose default graph is the union of all, the stand-in graph as the default
        graph and the store's graphs as the named ones."""
        if self._stand_in is None:
            return []
        return dataset_fields([self._stand_in], self._graphs_with_triples() or self._no_graphs())

    def _virtuoso_dataset(self, *, union: bool) -> list[str]:
        """Virtuoso's ``DEFINE`` lines that make its dataset the store's, with no request to
        list the graphs: the default graph is Virtuoso's union of every graph less its system
        graphs (``union``) or the stand-in graph; the named graphs are every graph less the
        system graphs and the stand-in."""
        system = self.profile.system_graphs
        if union:
            lines = [f"DEFINE input:default-graph-exclude <{g}>\n" for g in system]
        else:
            lines = [f"DEFINE input:default-graph-uri <{self._stand_in_iri}>\n"]
        named = [*system, self._stand_in_iri]
        return lines + [f"DEFINE input:named-graph-exclude <{g}>\n" for g in named]

    @property
    def _stand_in_iri(self) -> str:
        return self._stand_in.value if self._stand_in is not None else DEFAULT_STAND_IN

    def _in_graph(self, graph: GraphName) -> str:
        """The pattern matching every triple of one graph of the store."""
        stored = self._stored(graph)
        return (
            "?s ?p ?o" if isinstance(stored, ox.DefaultGraph) else f"GRAPH {stored} {{ ?s ?p ?o }}"
        )

    def _every_graph(self) -> str:
        """The pattern matching every quad of the store (``?g`` unbound in the default graph),
        leaving out the engine's own system graphs."""
        if not self._hidden:
            return "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
        hidden = ", ".join(f"<{g}>" for g in self.profile.system_graphs)
        return f"GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN ({hidden}))"

    def _no_graphs(self) -> list[ox.NamedNode]:
        """Named graphs to list when there are none: on an engine that shows every graph when
        none is named, one that does not exist."""
        return [ox.NamedNode(_NO_GRAPH)] if self._stand_in is not None else []

    def _named(self, graph: ox.NamedNode | None) -> GraphName:
        if graph is None or graph == self._stand_in:
            return ox.DefaultGraph()
        return graph

    # --- HTTP ---------------------------------------------------------------------------

    def _plain_query(
        self, sparql: str, dataset: list[tuple[str, str]] | None = None
    ) -> QueryResult:
        """A query over the store's own dataset (no union)."""
        fields = [("query", sparql), *(dataset or [])]
        accept = ACCEPT_RDF if sparql.startswith("CONSTRUCT") else ACCEPT_RESULTS
        body, media_type = self._post(self.query_url, fields, accept)
        return self._result(body, media_type)

    def _plain_select(
        self, sparql: str, dataset: list[tuple[str, str]] | None = None
    ) -> ox.QuerySolutions:
        return self._plain_query(sparql, dataset)

    def _result(self, body: bytes, media_type: str) -> QueryResult:
        if self.profile.bnode_prefix:
            body = body.replace(b'"value": "' + self.profile.bnode_prefix, b'"value": "')
        result = parse_result(body, media_type, self.query_url)
        if self.profile.ask_as_rows and isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            if names == ["__ASK_RETVAL"]:
                answer = any(True for _ in result)
                return ox.parse_query_results(
                    _ASK_ROWS % (b"true" if answer else b"false"),
                    format=ox.QueryResultsFormat.JSON,
                )
        return result

    def _graph_url(self, graph: GraphName) -> str:
        assert self.store_url is not None  # noqa: S101 - checked by the callers
        stored = self._stored(graph)
        param = (
            "default"
            if isinstance(stored, ox.DefaultGraph)
            else f"{self.profile.graph_param}=" + urllib.parse.quote(stored.value, safe="")
        )
        separator = "&" if "?" in self.store_url else "?"
        return f"{self.store_url}{separator}{param}"

    def _graph_store_get(self, graph: GraphName) -> Iterable[ox.Triple]:
        url = self._graph_url(graph)
        try:
            data, media_type = self._send(
                "GET", url, None, {"Accept": "application/n-triples"}, self._timeout_s
            )
        except NotFound:
            return []
        return list(ox.parse(data, format=rdf_format(media_type, url)))

    def _graph_store_put(self, graph: GraphName, quads: Iterable[ox.Quad]) -> int:
        """Replace one graph by ``quads`` with one Graph Store ``PUT``."""
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        headers = {"Content-Type": "application/n-triples", "Accept": "*/*"}
        self._send("PUT", self._graph_url(graph), data, headers, self.update_timeout_s)
        return len(triples)

    def _graph_store_add(self, quads: Iterable[ox.Quad]) -> int:
        """Add quads with Graph Store ``POST``: one N-Quads request where the engine takes a
        dataset, else one N-Triples request per graph."""
        assert self.store_url is not None  # noqa: S101 - checked by the caller
        if self.profile.dataset_post:
            listed = list(quads)
            if listed:
                data = ox.serialize(listed, format=ox.RdfFormat.N_QUADS) or b""
                headers = {"Content-Type": "application/n-quads", "Accept": "*/*"}
                self._send("POST", self.store_url, data, headers, self.update_timeout_s)
            return len(listed)
        by_graph: dict[GraphName, list[ox.Triple]] = {}
        for q in quads:
            by_graph.setdefault(q.graph_name, []).append(  # type: ignore[arg-type]
                ox.Triple(q.subject, q.predicate, q.object)
            )
        headers = {"Content-Type": "application/n-triples", "Accept": "*/*"}
        for graph, triples in by_graph.items():
            data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            self._send("POST", self._graph_url(graph), data, headers, self.update_timeout_s)
        return sum(len(t) for t in by_graph.values())

    def _post(
        self,
        url: str,
        fields: list[tuple[str, str]],
        accept: str,
        *,
        line_offset: int = 0,
        timeout_s: float | None = None,
        update: bool = False,
    ) -> tuple[bytes, str]:
        headers = {
            "Accept": accept,
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        }
        data = urllib.parse.urlencode(fields).encode()
        limit = timeout_s or (self.update_timeout_s if update else self._timeout_s)
        if update:
            self._listed = None
        try:
            return self._send("POST", url, data, headers, limit, line_offset)
        except TimedOut:
            if update:
                raise StoreError(
                    f"{url}: the update had no answer in {limit:g} s and was abandoned; the "
                    "endpoint may still apply it"
                ) from None
            if timeout_s is None:
                raise StoreError(f"{url}: no answer in {limit:g} s") from None
            raise QueryTimeout(timeout_s) from None

    def _send(
        self,
        method: str,
        url: str,
        data: bytes | None,
        headers: dict[str, str],
        timeout_s: float,
        line_offset: int = 0,
    ) -> tuple[bytes, str]:
        """One HTTP request with the store's credentials; the body and its media type."""
        if method != "GET" and self.store_url and url.startswith(self.store_url):
            self._listed = None  # a Graph Store write
        return self._http.send(method, url, data, headers, timeout_s, line_offset)
