"""The knowledge base: one store holding the ontology, the rules, the observations and the
assessments in named graphs (:class:`~servicekg.namespace.GRAPH`), answering SPARQL.

The CLI and the HTTP server are thin layers over this object; it knows nothing of either.
The store (:mod:`servicekg.stores`) is embedded pyoxigraph in memory (the default) or on disk,
or a remote SPARQL 1.1 endpoint; every method works the same on all three. Queries see the
union of all graphs as their default graph, unless they name their dataset (``FROM``, or the
protocol's ``default-graph-uri``).

Nothing here reaches the network unless asked: ``SERVICE`` and ``LOAD`` are refused unless
``allow_remote`` (see :mod:`servicekg.sparql.safety`), and ``FROM <iri>`` only ever selects
graphs of the store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import pyoxigraph as ox
import rdflib

from servicekg.concurrency.fork_gate import ForkGate
from servicekg.errors import InputError, QuerySyntaxError
from servicekg.namespace import GRAPH, PREFIXES
from servicekg.rdf_io import read_quads, to_rdflib_graph
from servicekg.resources import ontology_files
from servicekg.sparql.formats import parse_rdf, rdf_format_of
from servicekg.sparql.query_text import check_query, check_update, has_dataset_clause
from servicekg.sparql.terms import bind_variables, python_value
from servicekg.stores import EmbeddedStore, GraphName, GraphNotFound, RemoteStore, Store
from servicekg.stores.remote import UPDATE_TIMEOUT_S

__all__ = [
    "EVERY_GRAPH",
    "GraphRef",
    "KnowledgeBase",
    "QuerySyntaxError",
    "bind_variables",
    "graph_name",
    "python_value",
]

GraphRef = str | rdflib.URIRef | ox.NamedNode | ox.DefaultGraph | None
"""A graph as callers name it: an IRI (str, rdflib or pyoxigraph), ``DefaultGraph()`` or None
(the store's default graph)."""


class _Every:
    """The type of :data:`EVERY_GRAPH`."""

    def __repr__(self) -> str:
        return "EVERY_GRAPH"


EVERY_GRAPH = _Every()
"""Passed as ``graph`` to :meth:`KnowledgeBase.quads` and :meth:`KnowledgeBase.dump`: every
graph of the store, as quads."""

_DERIVE_SHORTCUTS = """
INSERT { GRAPH <%(derived)s> { ?from ?shortcut ?to } }
WHERE {
  GRAPH <%(ontology)s> {
    ?relation skg:fromConcept ?from ; skg:toConcept ?to ; a ?kind .
    OPTIONAL { ?relation skg:polarity ?polarity }
  }
  VALUES (?kind ?polarity ?shortcut) {
    (skg:CausalLink skg:Increases skg:increases)
    (skg:CausalLink skg:Decreases skg:decreases)
    (skg:ChainLink UNDEF skg:serves)
    (skg:SectorNeed UNDEF skg:needsInSector)
  }
}
;
INSERT { GRAPH <%(derived)s> { ?from skg:influences ?to } }
WHERE { GRAPH <%(ontology)s> {
  ?relation a skg:CausalLink ; skg:fromConcept ?from ; skg:toConcept ?to .
} }
"""

_T = TypeVar("_T")


class KnowledgeBase:
    """The servicekg graphs in one store, queried with SPARQL 1.1.

    >>> kb = KnowledgeBase.with_ontology()
    >>> bool(kb.query("ASK { skg:Friendliness a skg:BasicNeed }"))
    True
    >>> kb.kind
    'memory'
    """

    def __init__(self, store: Store | None = None, *, allow_remote: bool = False) -> None:
        self._store = store if store is not None else EmbeddedStore()
        self.allow_remote = allow_remote
        """Whether ``SERVICE`` and ``LOAD`` may reach the network (default: refused)."""
        self.generation = 0
        """Raised by every write through this object (query workers forked before are stale)."""
        self.write_lock = threading.RLock()
        """Held by every write through this object (and while a query worker is forked)."""
        self.fork_gate = ForkGate()
        """Threads that read the store in this process while query workers may be forked hold
        ``fork_gate.reading()`` (see :mod:`servicekg.concurrency.fork_gate`)."""

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path | str | None = None) -> KnowledgeBase:
        """An empty or existing knowledge base: in memory, or on disk in ``directory``
        (created if missing; what was written survives a restart)."""
        return cls(EmbeddedStore(directory))

    @classmethod
    def remote(
        cls,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        *,
        engine: str = "generic",
        token: str | None = None,
        user: str | None = None,
        password: str | None = None,
        union: str | None = None,
        update_timeout: float = UPDATE_TIMEOUT_S,
    ) -> KnowledgeBase:
        """A knowledge base in a remote SPARQL 1.1 endpoint on ``engine`` (a profile of
        :mod:`servicekg.stores.profiles`; see :mod:`servicekg.stores.remote` for ``union``);
        ``token`` is sent as a bearer token, ``user`` and ``password`` as the engine wants."""
        store = RemoteStore(
            query_url,
            update_url,
            store_url,
            engine=engine,
            token=token,
            user=user,
            password=password,
            union=union,  # type: ignore[arg-type]
            update_timeout_s=update_timeout,
        )
        return cls(store)

    @classmethod
    def with_ontology(cls, files: Sequence[Path] | None = None) -> KnowledgeBase:
        """A new in-memory knowledge base with the ontology loaded."""
        kb = cls()
        kb.load_ontology(files)
        return kb

    @property
    def store(self) -> Store:
        """The store (:class:`servicekg.stores.Store`)."""
        return self._store

    @property
    def kind(self) -> str:
        """``"memory"``, ``"disk"`` or ``"remote"``."""
        return self._store.kind

    def describe(self) -> str:
        """Where the knowledge base is: ``memory``, a folder or a URL."""
        return self._store.describe()

    def close(self) -> None:
        """Make every write durable and release the store."""
        self._store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- SPARQL -------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[GraphRef] | None = None,
        named_graphs: Sequence[GraphRef] | None = None,
        allow_remote: bool | None = None,
        timeout_s: float | None = None,
        **substitutions: ox.NamedNode | ox.Literal,
    ) -> Any:
        """Run a SPARQL query; by default over the union of all graphs.

        The prefixes of :data:`~servicekg.namespace.PREFIXES` are predeclared. Keyword arguments
        bind variables before evaluation (``kb.query(q, concept=NamedNode(...))``).
        ``default_graph`` and ``named_graphs`` choose the dataset as the protocol's
        ``default-graph-uri`` and ``named-graph-uri`` do (overriding ``FROM``; a missing one is
        empty). ``SERVICE`` is refused unless ``allow_remote`` (default: the knowledge base's).
        ``timeout_s`` bounds the wait for a remote store's answer (to stop an embedded store's
        query, run it with :class:`servicekg.querying.executor.QueryRunner`).
        Returns pyoxigraph's result: ``QuerySolutions``, ``QueryBoolean`` or an iterable of
        ``Triple``. Raises :class:`QuerySyntaxError` saying where the query is wrong.
        """
        sparql = bind_variables(sparql, substitutions)
        check_query(sparql, allow_remote=self._allowed(allow_remote))
        dataset = default_graph is not None or named_graphs is not None
        try:
            return self._store.query(
                sparql,
                prefixes=PREFIXES,
                default_graph=[graph_name(g) for g in default_graph or []] if dataset else None,
                named_graphs=[_named(g) for g in named_graphs or []] if dataset else None,
                union_default_graph=not has_dataset_clause(sparql),
                timeout_s=timeout_s,
            )
        except SyntaxError as error:
            raise QuerySyntaxError.from_parser(error) from None

    def select(
        self, sparql: str, **substitutions: ox.NamedNode | ox.Literal
    ) -> list[dict[str, Any]]:
        """Run a SELECT query; each row maps variable names to Python values.

        IRIs become strings, literals their Python value (numbers, booleans, strings);
        unbound variables are absent from the row.
        """
        solutions = self.query(bind_variables(sparql, substitutions))
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = python_value(term)
            rows.append(row)
        return rows

    def update(self, sparql: str, *, allow_remote: bool | None = None) -> None:
        """Run a SPARQL update as one transaction (the prefixes of :data:`PREFIXES` are
        predeclared). ``LOAD`` and ``SERVICE`` are refused unless ``allow_remote``."""
        check_update(sparql, allow_remote=self._allowed(allow_remote))
        try:
            self._write(lambda: self._store.update(sparql, prefixes=PREFIXES))
        except SyntaxError as error:
            raise QuerySyntaxError.from_parser(error) from None

    def _write(self, operation: Callable[..., _T], *args: Any) -> _T:
        """Run one write under the write lock, then mark the store changed."""
        with self.write_lock:
            try:
                return operation(*args)
            finally:
                self.generation += 1

    def _allowed(self, allow_remote: bool | None) -> bool:
        return self.allow_remote if allow_remote is None else allow_remote

    # --- graphs -------------------------------------------------------------------------

    def add_quads(self, quads: Iterable[ox.Quad | ox.Triple], graph: GraphRef = None) -> int:
        """Add quads (or triples) in one transaction; with ``graph`` they all go there, else
        each quad stays in its own graph (triples in the default graph). Returns the count."""
        return self._write(self._store.extend, _into(quads, graph, keep=graph is None))

    def replace_graph(self, graph: GraphRef, quads: Iterable[ox.Quad | ox.Triple]) -> int:
        """Replace one graph's content by ``quads`` (put into that graph), in one transaction
        on disk; returns the count. The quads may be a generator: they are never held."""
        return self.replace_graphs({graph: quads})

    def replace_graphs(self, graphs: Mapping[GraphRef, Iterable[ox.Quad | ox.Triple]]) -> int:
        """Replace several graphs at once (one transaction where the store allows)."""
        targets = {graph_name(g): _into(quads, g, keep=False) for g, quads in graphs.items()}
        return self._write(self._store.replace_graphs, targets)

    def replace_graphs_nquads(self, graphs: Sequence[GraphRef], chunks: Iterable[bytes]) -> int:
        """Replace ``graphs`` by the quads of ``chunks`` (N-Quads text, each quad in one of
        ``graphs``) in one swap, as :meth:`replace_graphs` does: the fast path for large
        generated data (an assessment's observations and provenance). Returns the quad count."""
        names = [_named(g) for g in graphs]
        return self._write(self._store.replace_graphs_nquads, names, chunks)

    @contextmanager
    def bulk_loading(self, graphs: Sequence[GraphRef]) -> Iterator[Callable[[bytes], int]]:
        """``with kb.bulk_loading([g, ...]) as load: load(nquads_text)``: the embedded store's
        bulk loader for streamed runs, into graphs that must be empty. Not one transaction:
        the graphs are marked incomplete until the block ends, and a store reopened after a
        process was killed midway drops them (none of the load, all that came before it).
        Needs an embedded store (:class:`InputError` otherwise)."""
        bulk = getattr(self._store, "bulk_loading", None)
        if bulk is None:
            raise InputError(f"{self.describe()}: bulk loading needs an embedded store (--store)")
        with self.write_lock, bulk([_named(g) for g in graphs]) as load:
            yield load
        self.generation += 1

    def flush(self) -> None:
        """Make every write durable (on-disk stores)."""
        self._store.flush()

    def drop_graph(self, graph: GraphRef) -> bool:
        """Remove a named graph (or empty the default graph); False when it was not there."""
        return self._write(self._store.drop_graph, graph_name(graph))

    def has_graph(self, graph: GraphRef) -> bool:
        """Whether the graph exists (the default graph always does)."""
        return self._store.has_graph(graph_name(graph))

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs())

    def graph_sizes(self) -> dict[str, int]:
        """The number of triples in each named graph."""
        return {g: self._store.count(ox.NamedNode(g)) for g in self.named_graphs()}

    def quads(self, graph: GraphRef | _Every = EVERY_GRAPH) -> Iterator[ox.Quad]:
        """The quads of one graph (``None``: the default graph), or of every graph."""
        return self._store.quads(None if isinstance(graph, _Every) else graph_name(graph))

    def dump(
        self, graph: GraphRef | _Every = EVERY_GRAPH, rdf_format: ox.RdfFormat | str = "trig"
    ) -> bytes:
        """One graph serialised (``None``: the default graph), or every graph (in a dataset
        format: TriG or N-Quads). ``rdf_format`` is a pyoxigraph format, a media type, a file
        extension or a name (``turtle``, ``ntriples``, ``jsonld``, ``trig``, ``nquads``)."""
        target = None if isinstance(graph, _Every) else graph_name(graph)
        return self._store.dump(target, rdf_format_of(rdf_format))

    def __len__(self) -> int:
        return self._store.count()

    # --- loading ------------------------------------------------------------------------

    def load_files(self, paths: Iterable[Path], graph: GraphRef | _Every = EVERY_GRAPH) -> int:
        """Load RDF files as one transaction: every file parses, or none is loaded.

        Triples go into ``graph`` (quads of TriG and N-Quads files too); by default quads keep
        their own graphs and triples go to the default graph.
        Returns the number of triples read. Raises :class:`~servicekg.errors.ParseError`
        naming the file and line of the first syntax error.
        """
        keep = isinstance(graph, _Every)
        target = ox.DefaultGraph() if isinstance(graph, _Every) else graph_name(graph)
        quads: list[ox.Quad] = []
        for path in paths:
            quads.extend(read_quads(Path(path), target, keep_graphs=keep))
        return self._write(self._store.extend, quads)

    def load_ontology(self, files: Sequence[Path] | None = None) -> int:
        """Replace the ontology graph with ``files`` (default: the bundled ``ontology/*.ttl``)
        and derive the shortcut properties. Returns the number of triples read."""
        paths = list(files) if files is not None else ontology_files()
        if not paths:
            raise InputError("no ontology files to load (expected ontology/*.ttl)")
        ontology = ox.NamedNode(str(GRAPH.ontology))
        quads: list[ox.Quad] = []
        for path in paths:
            quads.extend(read_quads(Path(path), ontology))
        # the shortcuts are derived in a scratch store, then both graphs are replaced in ONE
        # transaction: a process killed midway leaves the old graphs or the new, never neither
        staged = KnowledgeBase()
        staged.add_quads(quads)
        staged.update(_DERIVE_SHORTCUTS % {"derived": GRAPH.derived, "ontology": GRAPH.ontology})
        graphs = (GRAPH.ontology, GRAPH.derived)
        self.replace_graphs({graph: staged.quads(graph) for graph in graphs})
        return len(quads)

    # --- the Graph Store Protocol -------------------------------------------------------

    def get_graph(self, graph: GraphRef, rdf_format: ox.RdfFormat | str = "turtle") -> bytes:
        """One graph serialised; raises :class:`GraphNotFound` for a missing named graph."""
        name = graph_name(graph)
        if not self._store.has_graph(name):
            raise GraphNotFound(name.value)  # type: ignore[union-attr]
        return self._store.dump(name, rdf_format_of(rdf_format))

    def put_graph(
        self,
        graph: GraphRef,
        data: bytes | str,
        rdf_format: ox.RdfFormat | str,
        *,
        base_iri: str | None = None,
    ) -> bool:
        """Replace a graph with the RDF in ``data``; True when the graph was created.
        Raises :class:`~servicekg.errors.ParseError` (nothing changed) when it does not parse."""
        name = graph_name(graph)
        triples = parse_rdf(data, rdf_format, base_iri=base_iri)
        created = not self._store.has_graph(name)
        self._write(self._store.replace_graphs, {name: _into(triples, name, keep=False)})
        if isinstance(name, ox.NamedNode) and not triples:
            self._write(self._store.create_graph, name)
        return created

    def post_graph(
        self,
        graph: GraphRef,
        data: bytes | str,
        rdf_format: ox.RdfFormat | str,
        *,
        base_iri: str | None = None,
    ) -> bool:
        """Merge the RDF in ``data`` into a graph; True when the graph was created."""
        name = graph_name(graph)
        triples = parse_rdf(data, rdf_format, base_iri=base_iri)
        created = not self._store.has_graph(name)
        if isinstance(name, ox.NamedNode) and created and not triples:
            self._write(self._store.create_graph, name)
        self._write(self._store.extend, _into(triples, name, keep=False))
        return created

    def delete_graph(self, graph: GraphRef) -> None:
        """Remove a named graph (or empty the default graph); raises :class:`GraphNotFound`
        for a missing named graph."""
        name = graph_name(graph)
        if not self._store.has_graph(name):
            raise GraphNotFound(name.value)  # type: ignore[union-attr]
        self._write(self._store.drop_graph, name)

    def to_rdflib(self, graph: GraphRef = GRAPH.ontology) -> rdflib.Graph:
        """A copy of one named graph as an rdflib graph."""
        result = to_rdflib_graph(self._store.quads(graph_name(graph)))
        for prefix, iri in PREFIXES.items():
            result.bind(prefix, iri, replace=True)
        return result


def graph_name(graph: GraphRef) -> GraphName:
    """A graph reference as a pyoxigraph graph name (``None``: the default graph).

    >>> graph_name("https://example.org/g")
    <NamedNode value=https://example.org/g>
    """
    if graph is None or isinstance(graph, ox.DefaultGraph):
        return ox.DefaultGraph()
    if isinstance(graph, ox.NamedNode):
        return graph
    try:
        return ox.NamedNode(str(graph))
    except ValueError as error:
        raise InputError(f"{graph!r} is not an absolute IRI of a graph: {error}") from None


def _named(graph: GraphRef) -> ox.NamedNode:
    name = graph_name(graph)
    if not isinstance(name, ox.NamedNode):
        raise InputError("named graphs are given by IRI, not the default graph")
    return name


def _into(
    quads: Iterable[ox.Quad | ox.Triple], graph: GraphRef, *, keep: bool
) -> Iterator[ox.Quad]:
    """Quads, lazily, each put into ``graph`` (or left in its own when ``keep``)."""
    target = graph_name(graph)
    for q in quads:
        if isinstance(q, ox.Triple):
            yield ox.Quad(q.subject, q.predicate, q.object, target)
        elif keep or q.graph_name == target:
            yield q
        else:
            yield ox.Quad(q.subject, q.predicate, q.object, target)
