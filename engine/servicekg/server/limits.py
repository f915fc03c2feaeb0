"""Limits that keep one request from hurting the others: body size and query time.

The body is read with a cap (a declared ``Content-Length`` above it is refused before a byte
is read; a body that grows past it while streaming is refused too). Store work runs in a
worker thread, so that the event loop keeps serving other clients while a query runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request

from servicekg.errors import ApiError
from servicekg.knowledge_base import KnowledgeBase

__all__ = ["read_body", "run_blocking", "run_reading"]

T = TypeVar("T")


async def read_body(request: Request, max_body: int) -> bytes:
    """The request body, or :class:`ApiError` ``payload_too_large`` past ``max_body`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ApiError("bad_request", f"Content-Length {declared!r} is not a number") from None
        if size > max_body:
            raise _too_large(size, max_body)
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > max_body:
            raise _too_large(total, max_body)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int, max_body: int) -> ApiError:
    return ApiError(
        "payload_too_large",
        f"the request body ({size} bytes or more) is larger than the limit of {max_body} bytes "
        "(--max-body)",
        limit=max_body,
    )


async def run_blocking(work: Callable[[], T], timeout: float | None = None) -> T:
    """Run ``work`` in a worker thread; past ``timeout`` seconds answer 503 ``query_timeout``.

    ``work`` should stop itself at its own deadline (the core's query limits); the timeout here
    is the server's backstop, so that the client is answered even if it does not.
    """
    if timeout is None:
        return await anyio.to_thread.run_sync(work)
    with anyio.move_on_after(timeout):
        return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
    raise ApiError(
        "query_timeout",
        f"the query ran longer than {timeout:g} s (--query-timeout) and was stopped",
        limit_seconds=timeout,
    )


async def run_reading(kb: KnowledgeBase, work: Callable[[], T], timeout: float | None = None) -> T:
    """:func:`run_blocking` for work that reads or writes ``kb``'s store in this process: it
    holds ``kb.fork_gate.reading()``, so that no query worker is forked while it is inside the
    store (:mod:`servicekg.concurrency.fork_gate`). Queries through the runner, which forks,
    must not."""

    def gated() -> T:
        with kb.fork_gate.reading():
            return work()

    return await run_blocking(gated, timeout)
