"""The server's query pool: long-lived workers awaited from the event loop. A runaway query is
stopped at the limit by killing only the worker that ran it; the other workers keep serving,
and the next query is answered."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
import pytest

from servicekg.errors import QuerySyntaxError, QueryTimeout, ResultTooLarge, ServiceKGError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.querying.executor import Limits
from servicekg.querying.pool import QueryPool

T = TypeVar("T")

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(params=["memory", "disk"])
def kb(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KnowledgeBase]:
    store = KnowledgeBase() if request.param == "memory" else KnowledgeBase.open(tmp_path / "s")
    p = ox.NamedNode("http://x/p")
    store.add_quads(
        (ox.Triple(ox.NamedNode(f"http://x/s{i}"), p, ox.Literal(i)) for i in range(2_000)),
        "http://x/g",
    )
    yield store
    store.close()


def _run(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``scenario`` on an event loop of its own thread: a browser test's session may keep
    an event loop running in the main thread (regression: asyncio.run() refused there)."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(lambda: asyncio.run(scenario())).result()


def _count(output: bytes) -> int:
    return int(json.loads(output)["results"]["bindings"][0]["n"]["value"])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_runaway_query_kills_only_its_worker_and_the_others_keep_serving(
    kb: KnowledgeBase,
) -> None:
    async def scenario() -> None:
        pool = QueryPool(kb, Limits(timeout_s=1.0), workers=2)
        try:
            # two workers exist and are idle
            await asyncio.gather(pool.run(COUNT), pool.run(COUNT))
            workers = {w.pid for w in pool._idle}
            assert len(workers) == 2
            start = time.monotonic()
            runaway = asyncio.ensure_future(pool.run(RUNAWAY))
            await asyncio.sleep(0.2)
            # while the runaway query runs, the other worker answers
            assert _count((await pool.run(COUNT)).data) == 2_000
            with pytest.raises(QueryTimeout, match="time limit of 1 s"):
                await runaway
            assert time.monotonic() - start < 5
            survivors = {w.pid for w in pool._idle}
            assert len(survivors & workers) == 1
            await asyncio.sleep(0.5)
            killed = (workers - survivors).pop()
            assert not _alive(killed)
            # and the next queries are answered, by the survivor and a new worker
            outputs = await asyncio.gather(pool.run(COUNT), pool.run(COUNT))
            assert [_count(o.data) for o in outputs] == [2_000, 2_000]
        finally:
            pool.close()

    _run(scenario)


def test_errors_and_result_limits_leave_the_worker_serving(kb: KnowledgeBase) -> None:
    async def scenario() -> None:
        pool = QueryPool(kb, Limits(timeout_s=5, max_result_bytes=4096), workers=1)
        try:
            first = (await pool.run(COUNT), pool._idle[-1].pid)[1]
            with pytest.raises(QuerySyntaxError) as caught:
                await pool.run("SELECT *\nWHERE { ?s ?p }")
            assert caught.value.line == 2
            with pytest.raises(ResultTooLarge, match="4,096 bytes"):
                await pool.run("SELECT * WHERE { ?s ?p ?o }")
            assert _count((await pool.run(COUNT)).data) == 2_000
            assert pool._idle[-1].pid == first
        finally:
            pool.close()

    _run(scenario)


def test_queries_see_every_write_made_before_them(kb: KnowledgeBase) -> None:
    async def scenario() -> None:
        pool = QueryPool(kb, Limits(timeout_s=5), workers=2)
        try:
            assert _count((await pool.run(COUNT)).data) == 2_000
            kb.update("INSERT DATA { GRAPH <http://x/g> { <http://x/new> <http://x/p> 1 } }")
            assert _count((await pool.run(COUNT)).data) == 2_001
            kb.drop_graph("http://x/g")
            assert _count((await pool.run(COUNT)).data) == 0
        finally:
            pool.close()

    _run(scenario)


def test_closing_the_pool_stops_its_workers(kb: KnowledgeBase) -> None:
    async def scenario() -> list[int]:
        pool = QueryPool(kb, Limits(timeout_s=5), workers=2)
        await asyncio.gather(pool.run(COUNT), pool.run(COUNT))
        pids = [w.pid for w in pool._idle]
        pool.close()
        return pids

    pids = _run(scenario)
    assert pids
    assert not any(_alive(pid) for pid in pids)
    assert os.getpid() not in pids


def test_a_query_still_running_when_the_pool_closes_ends_cleanly(kb: KnowledgeBase) -> None:
    async def scenario() -> None:
        pool = QueryPool(kb, Limits(timeout_s=1.0), workers=1)
        runaway = asyncio.ensure_future(pool.run(RUNAWAY))
        await asyncio.sleep(0.3)
        pool.close()
        with pytest.raises(ServiceKGError):  # its worker was stopped with the pool
            await runaway

    _run(scenario)
