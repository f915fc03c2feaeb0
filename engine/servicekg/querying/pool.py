"""Queries for the HTTP server: long-lived query workers driven from the event loop, so that a
query costs a pipe round trip, not a thread hop and a fork.

The workers are :class:`~servicekg.querying.worker.Worker` processes, as the
:class:`~servicekg.querying.executor.QueryRunner` uses them, with the same time limit, result size
limit and safety checks; what changes is how the server waits for them. The runner blocks a
thread per query (the server hopped to a thread pool for each one and back); here the request's
coroutine writes the query to an idle worker's pipe and awaits its answer with the event loop's
own reader on the reply pipe, so no thread is involved at all. At the time limit only that worker
is killed (the others keep serving) and a replacement is forked at once, so the next request
finds one ready. Measured with ``bench/sparql_bench.py``: see the README's benchmarks.

Workers are forked by one long-lived thread (Linux kills a worker when the thread that forked it
ends) through :meth:`Worker.fork`, which holds the knowledge base's fork gate and write lock. A
write raises the knowledge base's generation; a worker forked before it is retired when it comes
back idle, so no query sees data older than the last write.

Everything else (no time limit, a remote store) goes to :class:`QueryRunner` in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from servicekg.errors import QueryTimeout, ResultTooLarge, ServiceKGError
from servicekg.knowledge_base import GraphRef, KnowledgeBase
from servicekg.querying.executor import Limits, QueryOutput, QueryRunner, _graph_list, _name
from servicekg.querying.worker import _HEADER, _LENGTH, Worker, _error_from
from servicekg.sparql.formats import ResultFormat, result_format
from servicekg.sparql.query_text import check_query
from servicekg.stores import EmbeddedStore

__all__ = ["QueryPool"]


class QueryPool:
    """At most ``workers`` queries of ``kb`` at once, each in a long-lived worker process that
    is killed (and replaced) only if its query passes the time limit. Use from one event loop;
    :meth:`close` when done."""

    def __init__(self, kb: KnowledgeBase, limits: Limits, *, workers: int = 2) -> None:
        self.kb = kb
        self.limits = limits
        self._max = max(1, workers)
        self._idle: deque[Worker] = deque()
        self._live = 0  # workers idle, busy or being forked
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._fds: set[int] = set()
        self._forker = ThreadPoolExecutor(1, thread_name_prefix="servicekg-query-fork")
        self._closed = False
        self._fallback = QueryRunner(kb, limits, workers=workers)

    async def run(
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
        """Run one query within the limits; the same answers and errors as
        :meth:`QueryRunner.run`."""
        limits = limits or self.limits
        allowed = self.kb.allow_remote if allow_remote is None else allow_remote
        check_query(sparql, allow_remote=allowed)
        if limits.timeout_s is None or not isinstance(self.kb.store, EmbeddedStore):
            return await asyncio.get_running_loop().run_in_executor(
                None,
                lambda: self._fallback.run(
                    sparql,
                    solutions_format=solutions_format,
                    graph_format=graph_format,
                    default_graph=default_graph,
                    named_graphs=named_graphs,
                    allow_remote=True,  # checked above
                    limits=limits,
                ),
            )
        start = time.perf_counter()
        request = {
            "sparql": sparql,
            "solutions": _name(solutions_format),
            "graph": _name(graph_format),
            "default_graph": _graph_list(default_graph),
            "named_graphs": _graph_list(named_graphs),
            "max_bytes": limits.max_result_bytes,
        }
        worker = await self._acquire()
        try:
            data, fmt = await self._ask(worker, request, limits.timeout_s)
        except BaseException:
            # A worker that answered with an error serves again; one stopped at the time limit
            # (or cancelled, or broken) is killed, and with it its query.
            if worker.clean:
                self._release(worker)
            else:
                self._discard(worker)
            raise
        self._release(worker)
        return QueryOutput(data, fmt, time.perf_counter() - start)

    async def _ask(
        self, worker: Worker, request: dict[str, Any], timeout_s: float
    ) -> tuple[bytes, ResultFormat]:
        body = json.dumps(request).encode()
        payload = _LENGTH.pack(len(body)) + body
        loop = asyncio.get_running_loop()
        if len(payload) > 16384:  # could fill the pipe: write from a thread
            await loop.run_in_executor(None, _write_all, worker.requests, payload)
        else:
            _write_all(worker.requests, payload)
        worker.clean = False
        reader = _Frames(loop, worker.replies)
        try:
            async with asyncio.timeout(timeout_s):
                return await reader.answer()
        except TimeoutError:
            raise QueryTimeout(timeout_s) from None
        finally:
            reader.stop()
            worker.clean = reader.answered

    # --- workers ----------------------------------------------------------------------------

    async def _acquire(self) -> Worker:
        while True:
            if self._closed:
                raise ServiceKGError("the query pool is closed")
            generation = self.kb.generation
            while self._idle:
                worker = self._idle.pop()  # the last used: its pages are warm
                if worker.generation == generation:
                    return worker
                self._discard(worker)
            if self._live < self._max:
                self._live += 1
                try:
                    return await self._fork()
                except BaseException:
                    self._live -= 1
                    self._wake()
                    raise
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
                raise

    async def _fork(self) -> Worker:
        worker = await asyncio.get_running_loop().run_in_executor(
            self._forker, Worker.fork, self.kb, self._live_fds
        )
        self._fds |= {worker.requests, worker.replies}
        return worker

    def _live_fds(self) -> frozenset[int]:
        return frozenset(self._fds)

    def _release(self, worker: Worker) -> None:
        if self._closed or worker.generation != self.kb.generation:
            self._discard(worker)
            return
        self._idle.append(worker)
        self._wake()

    def _discard(self, worker: Worker) -> None:
        """Kill ``worker`` (its query, if any, with it) and free its place."""
        self._fds -= {worker.requests, worker.replies}
        self._live -= 1
        # SIGKILL and close at once; reaping the process may wait a moment: not on the loop
        # (unless the pool is closed, and its forking thread with it).
        if self._closed:
            worker.stop()
        else:
            self._forker.submit(worker.stop)
        self._wake()

    def _wake(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def close(self) -> None:
        """Stop every worker (a query still running ends with an error)."""
        self._closed = True
        while self._idle:
            worker = self._idle.popleft()
            self._fds -= {worker.requests, worker.replies}
            worker.stop()
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._fallback.close()
        self._forker.shutdown(wait=True)


class _Frames:
    """The reply frames of one query, read as they arrive with the event loop's reader."""

    def __init__(self, loop: asyncio.AbstractEventLoop, fd: int) -> None:
        self._loop = loop
        self._fd = fd
        self._buffer = bytearray()
        self._chunks: list[bytes] = []
        self._done: asyncio.Future[tuple[bytes, ResultFormat]] = loop.create_future()
        self.answered = False
        """Whether the worker sent its last frame (a result or an error): it can serve again."""
        loop.add_reader(fd, self._readable)

    async def answer(self) -> tuple[bytes, ResultFormat]:
        return await self._done

    def stop(self) -> None:
        self._loop.remove_reader(self._fd)

    def _readable(self) -> None:
        try:
            data = os.read(self._fd, 1 << 20)
        except BlockingIOError:
            return
        except OSError as error:
            self._fail(ServiceKGError(f"the query process failed: {error}"))
            return
        if not data:
            self._fail(ServiceKGError("the query process ended without an answer"))
            return
        self._buffer += data
        while len(self._buffer) >= _HEADER.size:
            kind, length = _HEADER.unpack_from(self._buffer)
            if len(self._buffer) < _HEADER.size + length:
                return
            body = bytes(self._buffer[_HEADER.size : _HEADER.size + length])
            del self._buffer[: _HEADER.size + length]
            if kind == b"D":
                self._chunks.append(body)
                continue
            self.answered = True
            if kind == b"Z":
                self._finish((b"".join(self._chunks), result_format(body.decode())))
            elif kind == b"L":
                self._fail(ResultTooLarge(int(body.decode())))
            else:
                self._fail(_error_from(json.loads(body)))

    def _finish(self, answer: tuple[bytes, ResultFormat]) -> None:
        self.stop()
        if not self._done.done():
            self._done.set_result(answer)

    def _fail(self, error: Exception) -> None:
        self.stop()
        if not self._done.done():
            self._done.set_exception(error)


def _write_all(fd: int, payload: bytes) -> None:
    while payload:
        payload = payload[os.write(fd, payload) :]
