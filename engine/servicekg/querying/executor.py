"""Queries with a time limit and a result size limit that stop a runaway query, not the process.

pyoxigraph cannot stop a query (no timeout or cancellation in its Python API, oxigraph issue
#1926), and much of its evaluation (ORDER BY, GROUP BY, a hash join's build side) blocks inside
one call that Python cannot interrupt. So a query with a time limit runs in a **forked worker
process**: the fork sees the store as it was (copy-on-write memory, the same on-disk files),
evaluates the query, writes the serialised result to a pipe, and is killed when the time is up.

Workers are kept and reused: a fresh fork pays for its first query (page copies made by the
allocator, about 40% on a 1-million-triple store), a warm one does not. Every write through the
knowledge base raises its ``generation``; a worker forked before a write is retired, so no
query ever sees data older than the last write. At most ``workers`` queries run at once; more
wait their turn.

Memory: pyoxigraph's in-memory store writes to what it reads (reference counts), so a warm
worker over it ends up holding a private copy of the pages its queries touched (a full scan:
most of the store again; measured +340 MB per worker at 1,000,000 triples). Workers over an
on-disk store share the operating system's cache and copy little (+46 MB). Large stores
belong on disk.

The result size limit counts bytes of the serialised result and stops the evaluation as soon as
they pass it (the serialiser drives the evaluation lazily). Queries of a remote store are limited
by the HTTP timeout and the same byte count; the endpoint should have its own time limit too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from servicekg.errors import ResultTooLarge, ServiceKGError, TooLarge
from servicekg.knowledge_base import GraphRef, KnowledgeBase, graph_name
from servicekg.querying.worker import CountingWriter, Worker, pick_format
from servicekg.sparql.formats import ResultFormat, result_format, write_result
from servicekg.sparql.query_text import check_query
from servicekg.stores import EmbeddedStore

__all__ = ["DEFAULT_LIMITS", "Limits", "QueryOutput", "QueryRunner", "run_query"]


@dataclass(frozen=True)
class Limits:
    """How long a query may run and how large its result may be (None: no limit)."""

    timeout_s: float | None = 30.0
    max_result_bytes: int | None = 100 * 1024 * 1024


DEFAULT_LIMITS = Limits()
"""30 seconds and 100 MiB of serialised result."""


@dataclass(frozen=True)
class QueryOutput:
    """A query's serialised result."""

    data: bytes
    format: ResultFormat
    elapsed_s: float

    @property
    def media_type(self) -> str:
        """The media type of ``data`` (``application/sparql-results+json``, ...)."""
        return self.format.media_type


class QueryRunner:
    """Runs queries of one knowledge base within :class:`Limits`; reuse it for many queries
    and :meth:`close` it when done (it also works as a context manager)."""

    def __init__(
        self, kb: KnowledgeBase, limits: Limits = DEFAULT_LIMITS, *, workers: int = 2
    ) -> None:
        self.kb = kb
        self.limits = limits
        self._idle: list[Worker] = []
        self._busy = 0
        self._max = max(1, workers)
        self._turn = threading.Condition()
        self._fds: set[int] = set()  # the parent's ends of every live worker's pipes
        # Workers are forked by one long-lived thread: Linux kills a worker when the thread
        # that forked it ends (PR_SET_PDEATHSIG), which must be this one, not a request's.
        self._forker = ThreadPoolExecutor(1, thread_name_prefix="servicekg-query-fork")

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker (a query still running ends with an error)."""
        with self._turn:
            idle, self._idle = self._idle, []
            self._max = 0
            self._turn.notify_all()
        for worker in idle:
            self._discard(worker)
        self._forker.shutdown(wait=False)

    def _live_fds(self) -> frozenset[int]:
        with self._turn:
            return frozenset(self._fds)

    def _discard(self, worker: Worker) -> None:
        with self._turn:
            self._fds -= {worker.requests, worker.replies}
        worker.stop()

    def run(
        self,
        sparql: str,
        *,
        solutions_format: str | ResultFormat = "json",
        graph_format: str | ResultFormat = "turtle",
        default_graph: Sequence[GraphRef] | None = None,
        named_graphs: Sequence[GraphRef] | None = None,
        allow_remote: bool | None = None,
        limits: Limits | None = None,
    ) -> QueryOutput:
        """Run one query and serialise its result: SELECT and ASK in ``solutions_format``,
        CONSTRUCT and DESCRIBE in ``graph_format`` (names, extensions or media types).

        Raises :class:`QueryTimeout`, :class:`ResultTooLarge`, :class:`QuerySyntaxError`,
        :class:`QueryRefused` (SERVICE not allowed) or an ``InputError`` for a format that
        does not suit the result.
        """
        limits = limits or self.limits
        allowed = self.kb.allow_remote if allow_remote is None else allow_remote
        check_query(sparql, allow_remote=allowed)
        start = time.perf_counter()
        store = self.kb.store
        if limits.timeout_s is None or not isinstance(store, EmbeddedStore):
            data, fmt = self._in_process(
                sparql, solutions_format, graph_format, default_graph, named_graphs, limits
            )
        else:
            request = {
                "sparql": sparql,
                "solutions": _name(solutions_format),
                "graph": _name(graph_format),
                "default_graph": _graph_list(default_graph),
                "named_graphs": _graph_list(named_graphs),
                "max_bytes": limits.max_result_bytes,
            }
            data, fmt = self._in_worker(request, limits.timeout_s)
        return QueryOutput(data, fmt, time.perf_counter() - start)

    # --- in this process (no time limit, or a remote store) ----------------------------

    def _in_process(
        self,
        sparql: str,
        solutions: str | ResultFormat,
        graph: str | ResultFormat,
        default_graph: Sequence[GraphRef] | None,
        named_graphs: Sequence[GraphRef] | None,
        limits: Limits,
    ) -> tuple[bytes, ResultFormat]:
        result = self.kb.query(
            sparql,
            default_graph=default_graph,
            named_graphs=named_graphs,
            allow_remote=True,  # checked by run()
            timeout_s=limits.timeout_s,
        )
        fmt = pick_format(result, solutions, graph)
        chunks: list[bytes] = []
        writer = CountingWriter(chunks.append, limits.max_result_bytes)
        try:
            write_result(result, fmt, writer)  # type: ignore[arg-type]
        except TooLarge:
            raise ResultTooLarge(limits.max_result_bytes or 0) from None
        return b"".join(chunks), fmt

    # --- in a forked worker ------------------------------------------------------------

    def _in_worker(self, request: dict[str, Any], timeout_s: float) -> tuple[bytes, ResultFormat]:
        worker = self._acquire()
        try:
            return worker.ask(request, timeout_s)
        finally:
            # A worker that answered (a result or an error) serves again; one that was
            # stopped at the deadline or failed is killed.
            self._release(worker, reuse=worker.clean)

    def _acquire(self) -> Worker:
        generation = self.kb.generation
        with self._turn:
            while self._busy >= self._max:
                if self._max == 0:
                    raise ServiceKGError("the query runner is closed")
                self._turn.wait()
            self._busy += 1
            stale = [w for w in self._idle if w.generation != generation]
            self._idle = [w for w in self._idle if w.generation == generation]
            worker = self._idle.pop() if self._idle else None
        for old in stale:
            self._discard(old)
        if worker is not None:
            return worker
        try:
            worker = self._forker.submit(Worker.fork, self.kb, self._live_fds).result()
            with self._turn:
                self._fds |= {worker.requests, worker.replies}
            return worker
        except BaseException:
            with self._turn:
                self._busy -= 1
                self._turn.notify()
            raise

    def _release(self, worker: Worker, *, reuse: bool) -> None:
        with self._turn:
            self._busy -= 1
            reuse = reuse and self._max > 0 and worker.generation == self.kb.generation
            if reuse:
                self._idle.append(worker)
            self._turn.notify()
        if not reuse:
            self._discard(worker)


def run_query(
    kb: KnowledgeBase,
    sparql: str,
    *,
    solutions_format: str | ResultFormat = "json",
    graph_format: str | ResultFormat = "turtle",
    limits: Limits = DEFAULT_LIMITS,
    default_graph: Sequence[GraphRef] | None = None,
    named_graphs: Sequence[GraphRef] | None = None,
    allow_remote: bool | None = None,
) -> QueryOutput:
    """Run one query within ``limits`` (a runner used once; see :class:`QueryRunner`)."""
    with QueryRunner(kb, limits, workers=1) as runner:
        return runner.run(
            sparql,
            solutions_format=solutions_format,
            graph_format=graph_format,
            default_graph=default_graph,
            named_graphs=named_graphs,
            allow_remote=allow_remote,
        )


def _name(fmt: str | ResultFormat) -> str:
    return fmt.name if isinstance(fmt, ResultFormat) else result_format(fmt).name


def _graph_list(graphs: Sequence[GraphRef] | None) -> list[str | None] | None:
    if graphs is None:
        return None
    return [getattr(graph_name(g), "value", None) for g in graphs]
