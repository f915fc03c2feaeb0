"""The forked query worker: a process that evaluates queries over the store it was forked with
and writes their serialised results to a pipe, in frames, until it is killed or its parent goes.

Frames: one type byte and a length (``R`` ready, once, after forking; ``D`` data, ``Z`` done
with the format's name, ``L`` the result size limit was passed, ``E`` an error as JSON). See
:mod:`servicekg.querying.executor` for why queries run here.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import signal
import struct
import time
import warnings
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from servicekg.errors import (
    InputError,
    QueryTimeout,
    ResultTooLarge,
    ServiceKGError,
    SparqlError,
    TooLarge,
    parser_error,
)
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import PREFIXES
from servicekg.sparql.formats import ResultFormat, is_graph_result, result_format, write_result
from servicekg.sparql.query_text import has_dataset_clause
from servicekg.stores import EmbeddedStore

__all__ = ["READY_S", "CountingWriter", "Worker", "pick_format"]


_HEADER = struct.Struct("!cI")  # frame type, payload length
_FORK_ATTEMPTS = 3
READY_S = 3.0
"""Seconds a new worker has to read the store and say it is ready (``R``)."""
_LENGTH = struct.Struct("!I")


class CountingWriter:
    """A binary output that passes bytes on and stops the serialisation past ``limit``."""

    def __init__(self, sink: Any, limit: int | None) -> None:
        self._sink = sink
        self._limit = limit
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        if self._limit is not None and self.count > self._limit:
            raise TooLarge
        self._sink(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered here."""


def pick_format(
    result: Any, solutions: str | ResultFormat, graph: str | ResultFormat
) -> ResultFormat:
    """The format a result is written in: ``graph`` for triples, ``solutions`` otherwise."""
    chosen = graph if is_graph_result(result) else solutions
    return chosen if isinstance(chosen, ResultFormat) else result_format(chosen)


class Worker:
    """A forked process that answers queries over a pipe, one at a time."""

    def __init__(self, pid: int, requests: int, replies: int, generation: int) -> None:
        self.pid = pid
        self.requests = requests
        self.replies = replies
        self.generation = generation
        self.clean = True

    @classmethod
    def fork(cls, kb: KnowledgeBase, others: Callable[[], frozenset[int]] = frozenset) -> Worker:
        """Fork a worker over ``kb``'s store. ``others()`` are the other workers' pipe ends,
        which the new worker closes, so that each worker sees end-of-file when the parent
        goes (asked after this worker's pipes exist, so their numbers are never among them).

        A new worker first reads the store and says it is ready. One that does not within
        :data:`READY_S` is killed and another forked: a thread the fork did not copy (RocksDB's
        own, behind an on-disk store) may have held a lock of the store at that moment, and
        the child would wait for it forever (measured: about one fork in 9,000)."""
        for _ in range(_FORK_ATTEMPTS):
            worker = cls._fork(kb, others)
            try:
                kind, _body = _FrameReader(
                    worker.replies, time.monotonic() + READY_S, READY_S
                ).frame()
            except (QueryTimeout, ServiceKGError):
                kind = b""
            if kind == b"R":
                return worker
            worker.stop()
        raise ServiceKGError(f"no query worker started in {_FORK_ATTEMPTS} attempts")

    @classmethod
    def _fork(cls, kb: KnowledgeBase, others: Callable[[], frozenset[int]]) -> Worker:
        store = kb.store
        assert isinstance(store, EmbeddedStore)  # noqa: S101 - checked by the caller
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        with kb.fork_gate.forking(), kb.write_lock, warnings.catch_warnings():
            # Python 3.12+ warns of fork in a threaded process; the worker touches nothing
            # but the store and its two pipes, and leaves with os._exit.
            warnings.simplefilter("ignore", DeprecationWarning)
            generation = kb.generation
            inherited = others() - {request_r, request_w, reply_r, reply_w}
            pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker's side, measured through its replies
            code = 0
            try:
                for fd in (request_w, reply_r, *inherited):
                    with contextlib.suppress(OSError):
                        os.close(fd)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                _die_with_parent()
                bool(store.oxigraph.query("ASK { ?s ?p ?o }"))
                os.write(reply_w, _HEADER.pack(b"R", 0))
                _serve(store, request_r, reply_w)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(request_r)
        os.close(reply_w)
        return cls(pid, request_w, reply_r, generation)

    def ask(self, request: dict[str, Any], timeout_s: float) -> tuple[bytes, ResultFormat]:
        self.clean = False
        payload = _LENGTH.pack(len(request_bytes := json.dumps(request).encode())) + request_bytes
        while payload:
            payload = payload[os.write(self.requests, payload) :]
        deadline = time.monotonic() + timeout_s
        chunks: list[bytes] = []
        reader = _FrameReader(self.replies, deadline, timeout_s)
        while True:
            kind, body = reader.frame()
            if kind == b"D":
                chunks.append(body)
                continue
            self.clean = True
            if kind == b"Z":
                return b"".join(chunks), result_format(body.decode())
            if kind == b"L":
                raise ResultTooLarge(int(body.decode()))
            raise _error_from(json.loads(body))

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        for fd in (self.requests, self.replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


class _FrameReader:
    """Reads the worker's frames, raising :class:`QueryTimeout` at the deadline."""

    def __init__(self, fd: int, deadline: float, timeout_s: float) -> None:
        self._fd = fd
        self._deadline = deadline
        self._timeout_s = timeout_s
        self._buffer = bytearray()

    def frame(self) -> tuple[bytes, bytes]:
        header = self._exactly(_HEADER.size)
        kind, length = _HEADER.unpack(header)
        return kind, self._exactly(length)

    def _exactly(self, size: int) -> bytes:
        while len(self._buffer) < size:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise QueryTimeout(self._timeout_s)
            ready, _, _ = select.select([self._fd], [], [], left)
            if not ready:
                raise QueryTimeout(self._timeout_s)
            data = os.read(self._fd, 1 << 20)
            if not data:
                raise ServiceKGError("the query process ended without an answer")
            self._buffer += data
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out


def _error_from(reply: dict[str, Any]) -> Exception:
    if reply.get("kind") == "syntax":
        return parser_error(reply["message"])
    if reply.get("kind") == "input":
        return InputError(reply["message"])
    return SparqlError(reply.get("message", "the query failed"))


# --- the worker's side ------------------------------------------------------------------


def _serve(store: EmbeddedStore, requests: int, replies: int) -> None:  # pragma: no cover
    def send(kind: bytes, body: bytes) -> None:
        data = _HEADER.pack(kind, len(body)) + body
        while data:
            data = data[os.write(replies, data) :]

    while True:
        header = _read_exactly(requests, _LENGTH.size)
        if header is None:
            return
        body = _read_exactly(requests, _LENGTH.unpack(header)[0])
        if body is None:
            return
        request = json.loads(body)
        try:
            result = _evaluate(store, request)
            fmt = pick_format(result, request["solutions"], request["graph"])
            writer = CountingWriter(lambda chunk: send(b"D", chunk), request["max_bytes"])
            write_result(result, fmt, writer)  # type: ignore[arg-type]
            send(b"Z", fmt.name.encode())
        except TooLarge:
            send(b"L", str(request["max_bytes"]).encode())
        except SyntaxError as error:
            send(b"E", json.dumps({"kind": "syntax", "message": str(error.msg or error)}).encode())
        except ServiceKGError as error:
            send(b"E", json.dumps({"kind": "input", "message": str(error)}).encode())
        except Exception as error:
            send(b"E", json.dumps({"kind": "other", "message": str(error)}).encode())


def _evaluate(store: EmbeddedStore, request: dict[str, Any]) -> Any:  # pragma: no cover
    sparql = request["sparql"]
    default, named = request["default_graph"], request["named_graphs"]
    dataset = default is not None or named is not None
    return store.query(
        sparql,
        prefixes=PREFIXES,
        default_graph=[ox.NamedNode(g) if g else ox.DefaultGraph() for g in default or []]
        if dataset
        else None,
        named_graphs=[ox.NamedNode(g) for g in named or [] if g] if dataset else None,
        union_default_graph=not has_dataset_clause(sparql),
    )


def _die_with_parent() -> None:  # pragma: no cover
    """Ask Linux to kill this worker when the process that forked it dies (best effort)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


_PR_SET_PDEATHSIG = 1


def _read_exactly(fd: int, size: int) -> bytes | None:  # pragma: no cover
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data
