"""What a knowledge base needs of a store, whichever store it is.

Three stores implement :class:`Store`: embedded pyoxigraph in memory or on disk
(:mod:`servicekg.stores.embedded`) and a remote SPARQL 1.1 endpoint
(:mod:`servicekg.stores.remote`). Graph names are pyoxigraph terms: a ``NamedNode`` for a named
graph, ``DefaultGraph()`` for the store's own default graph.

Query results are pyoxigraph's: ``QuerySolutions`` for SELECT, ``QueryBoolean`` for ASK, and an
iterable of ``Triple`` for CONSTRUCT and DESCRIBE, so callers never care where they came from.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pyoxigraph as ox

__all__ = ["GraphName", "QueryResult", "Store"]

GraphName = ox.NamedNode | ox.DefaultGraph
"""A graph of the store: a named graph, or the store's default graph."""

QueryResult = Any
"""``ox.QuerySolutions``, ``ox.QueryBoolean`` or an iterable of ``ox.Triple``."""


class Store(ABC):
    """A quad store that answers SPARQL 1.1; every write is one transaction (all or nothing)."""

    kind: str = "abstract"
    """``"memory"``, ``"disk"`` or ``"remote"``."""

    @abstractmethod
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
        """Evaluate a query. Without ``default_graph``, the default graph is the union of all
        graphs when ``union_default_graph``; ``named_graphs`` limits what ``GRAPH`` sees.
        ``timeout_s`` bounds the wait for a remote answer (embedded stores cannot stop a
        query: :mod:`servicekg.querying.executor` does that). Raises ``SyntaxError`` (pyoxigraph's)
        for a query that does not parse."""

    @abstractmethod
    def update(self, sparql: str, *, prefixes: Mapping[str, str]) -> None:
        """Run a SPARQL update as one transaction."""

    @abstractmethod
    def extend(self, quads: Iterable[ox.Quad]) -> int:
        """Add quads in one transaction; returns how many were given."""

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[GraphName, Iterable[ox.Quad]]) -> int:
        """Replace each graph's content by its quads (which must be in that graph), all graphs
        in one transaction where the store allows; returns how many quads were written."""

    def replace_graphs_nquads(self, graphs: Sequence[ox.NamedNode], chunks: Iterable[bytes]) -> int:
        """Replace ``graphs`` by the quads of ``chunks`` (N-Quads text, every quad in one of
        ``graphs``), like :meth:`replace_graphs`; returns how many quads were written.

        Stores that can load text directly override this; here the text is parsed."""
        wanted = set(graphs)
        parsed: dict[GraphName, list[ox.Quad]] = {graph: [] for graph in graphs}
        for chunk in chunks:
            for quad in ox.parse(chunk, format=ox.RdfFormat.N_QUADS):
                if quad.graph_name not in wanted:
                    raise ValueError(f"a quad in {quad.graph_name}, not a graph being replaced")
                parsed[quad.graph_name].append(quad)
        return self.replace_graphs(parsed)

    @abstractmethod
    def drop_graph(self, graph: GraphName) -> bool:
        """Remove a graph and its triples (the default graph is emptied); False if it was
        not there."""

    @abstractmethod
    def create_graph(self, graph: ox.NamedNode) -> None:
        """Make an empty named graph exist (a no-op when it does)."""

    @abstractmethod
    def named_graphs(self) -> list[ox.NamedNode]:
        """The named graphs that hold at least one triple or were created explicitly."""

    @abstractmethod
    def quads(self, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        """The quads of one graph, or of every graph when ``graph`` is None."""

    def count(self, graph: GraphName | None = None) -> int:
        """The number of quads of one graph, or of the whole store."""
        return sum(1 for _ in self.quads(graph))

    def has_graph(self, graph: GraphName) -> bool:
        """Whether a named graph exists (the default graph always does)."""
        return isinstance(graph, ox.DefaultGraph) or graph in set(self.named_graphs())

    def dump(self, graph: GraphName | None, rdf_format: ox.RdfFormat) -> bytes:
        """One graph (triples) or the whole store (quads, for N-Quads and TriG) serialised."""
        quads = self.quads(graph)
        if graph is not None and not rdf_format.supports_datasets:
            triples: Iterable[Any] = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
            return ox.serialize(triples, format=rdf_format) or b""
        return ox.serialize(quads, format=rdf_format) or b""

    def flush(self) -> None:  # noqa: B027 - a no-op for stores that need none
        """Make every write durable (on-disk stores)."""

    def close(self) -> None:  # noqa: B027
        """Release the store (a no-op where nothing is held)."""

    def describe(self) -> str:
        """Where the store is, for messages: ``memory``, a folder or a URL."""
        return self.kind
