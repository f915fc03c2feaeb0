"""Embedded pyoxigraph, in memory or on disk.

Every write is one pyoxigraph transaction (``Store.extend`` or ``Store.update``), never
``Store.bulk_load``: a bulk load is not transactional, so a process killed in its middle would
leave half a load on disk. Measured on this machine (500,000 triples into an on-disk store):
``extend`` 5.9 s, ``load`` 5.0 s, ``bulk_extend`` 3.9 s, ``bulk_load`` 2.9 s. We pay the
factor of two for all-or-nothing loads.

Replacing a graph on disk is two steps that must look like one: the new quads go into a
staging graph (one transaction), then one update drops the old graph and moves the staging
graph in its place. A process killed between the two leaves the old graph untouched and a
staging graph that the next :func:`EmbeddedStore.open` removes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from servicekg.errors import InputError
from servicekg.namespace import BASE
from servicekg.stores.base import GraphName, QueryResult, Store

__all__ = ["STAGING", "EmbeddedStore"]

STAGING = BASE + "graph/staging/"
REBUILD_AFTER = 200_000
"""Removed quads an in-memory store carries before it is rebuilt without them (once they also
outnumber the quads it holds): pyoxigraph's in-memory store keeps a removed quad in the lists
every later lookup walks, and in memory (``bench/replace_bench.py``: each replacement of 20,000
businesses' assessments added about 300 MB and slowed the aggregates; a rebuild of 1.2 million
quads takes about 3 s, so rebuilding when the removed outnumber the live costs at most about
3 µs per removed quad)."""
_INCOMPLETE = ox.NamedNode(BASE + "graph/incomplete")
"""Marks the graphs of a bulk load that has not finished (in a graph of the same name)."""
"""Prefix of the graphs that hold a replacement while it is written (never seen by queries
that name their graphs; removed when a store is opened)."""


class EmbeddedStore(Store):
    """A pyoxigraph store in this process: in memory (``path`` None) or in a folder."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.removed = 0
        """Quads removed from an in-memory store that it still carries (see
        :data:`REBUILD_AFTER`); always 0 on disk, where RocksDB drops them itself."""
        if self.path is None:
            self.kind = "memory"
            self._store = ox.Store()
            return
        self.kind = "disk"
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        except OSError as error:
            raise InputError(f"{self.path}: cannot open the store: {error}") from None
        self._recover()

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store itself (for benchmarks and the query runner)."""
        return self._store

    def describe(self) -> str:
        return "memory" if self.path is None else str(self.path)

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
        if default_graph is None and named_graphs is None:
            return self._store.query(
                sparql, prefixes=dict(prefixes), use_default_graph_as_union=union_default_graph
            )
        return self._store.query(
            sparql,
            prefixes=dict(prefixes),
            default_graph=list(default_graph or []),
            named_graphs=list(named_graphs or []),
        )

    def update(self, sparql: str, *, prefixes: Mapping[str, str]) -> None:
        self._store.update(sparql, prefixes=dict(prefixes))

    def extend(self, quads: Iterable[ox.Quad]) -> int:
        count = 0

        def counted() -> Iterator[ox.Quad]:
            nonlocal count
            for quad in quads:
                count += 1
                yield quad

        self._store.extend(counted())
        return count

    def replace_graphs(self, graphs: Mapping[GraphName, Iterable[ox.Quad]]) -> int:
        # The new content goes into staging graphs in one transaction (a failing quad source
        # adds nothing), then one update swaps every graph: on disk or in memory, a reader or
        # a killed process sees all of the old graphs or all of the new.
        staging = {g: ox.NamedNode(f"{STAGING}{uuid.uuid4().hex}") for g in graphs}
        count = self.extend(
            ox.Quad(q.subject, q.predicate, q.object, staging[graph])
            for graph, quads in graphs.items()
            for q in quads
        )
        self._swap_in(staging)
        return count

    def _swap_in(self, staging: Mapping[GraphName, ox.NamedNode]) -> None:
        """Replace each graph by its staging graph, all in one update (one transaction)."""
        gone = self._sizes([*staging, *staging.values()])  # the old graphs, and the copies
        steps = []
        for graph, stage in staging.items():
            target = "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"
            steps += [f"DROP SILENT {target}", f"ADD SILENT GRAPH {stage} TO {target}"]
            steps.append(f"DROP SILENT GRAPH {stage}")
        self._store.update(" ;\n".join(steps))
        self._note_removed(gone)

    def replace_graphs_nquads(self, graphs: Sequence[ox.NamedNode], chunks: Iterable[bytes]) -> int:
        if all(self._is_empty(g) for g in graphs):
            # Into empty graphs (a new store, a new run): each chunk is loaded as it comes,
            # the graphs marked incomplete until the last, so an error or a kill leaves them
            # empty again (as they were) and memory holds one chunk at a time.
            with self._marked_incomplete(graphs):
                count = 0
                for chunk in chunks:
                    count += self._load_text(chunk)
                return count
        if self.path is None:
            return self._replace_in_memory(graphs, chunks)
        # On disk, graphs that hold data are replaced in ONE transaction (a killed process
        # leaves the old graphs or the new): one update drops them and inserts the text (ADD
        # from staging graphs is slower there: 200,000 quads, DROP + INSERT DATA 4.7 s, ADD 12 s).
        ends = {g: f" {g} .".encode() for g in graphs}
        triples: dict[ox.NamedNode, list[bytes]] = {g: [] for g in graphs}
        for line in b"".join(chunks).splitlines():
            graph = next((g for g, end in ends.items() if line.endswith(end)), None)
            if graph is None:
                raise ValueError(f"a quad outside the graphs being replaced: {line[:200]!r}")
            triples[graph].append(line[: -len(ends[graph])] + b" .")
        drops = "".join(f"DROP SILENT GRAPH {g} ;\n" for g in graphs)
        inserts = b"\n".join(
            f"GRAPH {g} {{\n".encode() + b"\n".join(lines) + b"\n}" for g, lines in triples.items()
        )
        self._store.update(f"{drops}INSERT DATA {{\n{inserts.decode()}\n}}")
        return sum(len(lines) for lines in triples.values())

    def _replace_in_memory(self, graphs: Sequence[ox.NamedNode], chunks: Iterable[bytes]) -> int:
        # Each chunk is loaded as it is (pyoxigraph's parser, no Python quad objects) into
        # staging graphs; one update then swaps every graph (in memory ADD is cheap: 200,000
        # quads in 0.4 s), so a reader sees the old graphs or the new, and a quad source that
        # fails midway changes nothing. Each line ends with its graph: renaming is a replace.
        staging: dict[GraphName, ox.NamedNode] = {
            g: ox.NamedNode(f"{STAGING}{uuid.uuid4().hex}") for g in graphs
        }
        renames = [(f" {g} .\n".encode(), f" {s} .\n".encode()) for g, s in staging.items()]
        count = 0
        try:
            for chunk in chunks:
                for old, new in renames:
                    chunk = chunk.replace(old, new)
                count += self._load_text(chunk)
        except BaseException:
            for stage in staging.values():
                self.drop_graph(stage)
            raise
        self._swap_in(staging)
        return count

    @contextmanager
    def bulk_loading(self, graphs: Sequence[ox.NamedNode]) -> Iterator[Callable[[bytes], int]]:
        """Bulk-load N-Quads text into ``graphs``, which must be empty: pyoxigraph's fastest
        path, too large for one transaction. The graphs are marked incomplete until the end,
        so a store opened after a process was killed midway drops them: none of the load, and
        everything committed before it (:meth:`_recover`). An error drops them as well."""
        full = [g for g in graphs if not self._is_empty(g)]
        if full:
            raise InputError(
                f"{self.describe()}: a bulk load needs empty graphs, and "
                + ", ".join(g.value for g in full)
                + " hold data (use a new store folder, or drop them first)"
            )

        with self._marked_incomplete(graphs):
            yield lambda chunk: self._load_text(chunk, bulk=True)

    def _load_text(self, chunk: bytes, *, bulk: bool = False) -> int:
        """Load N-Quads text we generated (leniently: its IRIs were checked when their terms
        were made), in one transaction or with the bulk loader; returns the line count."""
        load = self._store.bulk_load if bulk else self._store.load
        load(chunk, format=ox.RdfFormat.N_QUADS, lenient=True)
        return chunk.count(b"\n")

    def _is_empty(self, graph: ox.NamedNode) -> bool:
        """Whether ``graph`` holds no quad (found without counting them all)."""
        return next(iter(self._store.quads_for_pattern(None, None, None, graph)), None) is None

    @contextmanager
    def _marked_incomplete(self, graphs: Sequence[ox.NamedNode]) -> Iterator[None]:
        """Mark ``graphs`` incomplete while they are filled: an error drops them, and so does
        the next opening of a store whose process was killed meanwhile (:meth:`_recover`)."""
        self._store.extend(ox.Quad(g, _INCOMPLETE, _INCOMPLETE, _INCOMPLETE) for g in graphs)
        try:
            yield
            self.flush()
        except BaseException:
            for graph in graphs:
                self.drop_graph(graph)
            raise
        finally:
            self._store.remove_graph(_INCOMPLETE)

    def drop_graph(self, graph: GraphName) -> bool:
        if isinstance(graph, ox.DefaultGraph):
            had = any(True for _ in self._store.quads_for_pattern(None, None, None, graph))
            gone = self._sizes([graph]) if had else 0
            self._store.clear_graph(graph)
            self._note_removed(gone)
            return had
        if not self._store.contains_named_graph(graph):
            return False
        gone = self._sizes([graph])
        self._store.remove_graph(graph)
        self._note_removed(gone)
        return True

    def _sizes(self, graphs: Sequence[GraphName]) -> int:
        """In memory, how many quads ``graphs`` hold together (on disk nothing is counted: 0)."""
        return 0 if self.path is not None else sum(self.count(g) for g in graphs)

    def _note_removed(self, quads: int) -> None:
        """In memory, count ``quads`` removed, and rebuild the store without the removed ones
        once they outnumber what it holds (and :data:`REBUILD_AFTER`)."""
        if self.path is not None or not quads:
            return
        self.removed += quads
        if self.removed >= REBUILD_AFTER and self.removed > len(self._store):
            self._rebuild()

    def _rebuild(self) -> None:
        """Copy every quad and named graph (empty ones too; blank nodes stay the same nodes)
        into a new in-memory store, and use it from now on. Readers that hold the old store
        finish on it; query workers are forked anew after any write."""
        fresh = ox.Store()
        for graph in self._store.named_graphs():
            fresh.add_graph(graph)
        fresh.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
        self._store = fresh
        self.removed = 0

    def create_graph(self, graph: ox.NamedNode) -> None:
        self._store.add_graph(graph)

    def has_graph(self, graph: GraphName) -> bool:
        return isinstance(graph, ox.DefaultGraph) or self._store.contains_named_graph(graph)

    def named_graphs(self) -> list[ox.NamedNode]:
        return [g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]

    def quads(self, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(None, None, None, graph))

    def count(self, graph: GraphName | None = None) -> int:
        if graph is None:
            return len(self._store)
        pattern = (
            "?s ?p ?o" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{ ?s ?p ?o }}"
        )
        found = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(next(iter(found))["n"].value)  # type: ignore[arg-type]

    def dump(self, graph: GraphName | None, rdf_format: ox.RdfFormat) -> bytes:
        if graph is None:
            return self._store.dump(format=rdf_format) or b""
        return self._store.dump(format=rdf_format, from_graph=graph) or b""

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        """Flush, then let go of the store (an on-disk store can then be opened again)."""
        if self._store is None:
            return
        self.flush()
        self._store = None  # type: ignore[assignment]

    def _recover(self) -> None:
        """Undo what a process killed mid-write left: staging graphs, and graphs of a bulk
        load that did not finish (marked incomplete)."""
        marks = self._store.quads_for_pattern(None, _INCOMPLETE, _INCOMPLETE, _INCOMPLETE)
        for graph in [q.subject for q in marks if isinstance(q.subject, ox.NamedNode)]:
            self._store.remove_graph(graph)
        for graph in self.named_graphs():
            if graph.value.startswith(STAGING) or graph == _INCOMPLETE:
                self._store.remove_graph(graph)
