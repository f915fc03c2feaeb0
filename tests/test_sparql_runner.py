"""Time and result size limits stop a runaway query, not the process; the next query runs as
usual and sees every write made before it."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from oxigraph_server import oxigraph_server
from servicekg.errors import InputError, QuerySyntaxError, QueryTimeout, ResultTooLarge
from servicekg.knowledge_base import KnowledgeBase
from servicekg.querying.executor import Limits, QueryRunner

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _generated(kb: KnowledgeBase, size: int) -> None:
    p = ox.NamedNode("http://x/p")
    kb.add_quads(
        (ox.Triple(ox.NamedNode(f"http://x/s{i}"), p, ox.Literal(i)) for i in range(size)),
        "http://x/g",
    )


@pytest.fixture(params=["memory", "disk"])
def kb(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KnowledgeBase]:
    store = KnowledgeBase() if request.param == "memory" else KnowledgeBase.open(tmp_path / "s")
    _generated(store, 2_000)
    yield store
    store.close()


def _count(output: bytes) -> int:
    return int(json.loads(output)["results"]["bindings"][0]["n"]["value"])


def test_a_runaway_query_stops_at_the_limit_and_the_next_one_runs(kb: KnowledgeBase) -> None:
    with QueryRunner(kb, Limits(timeout_s=1.0)) as runner:
        start = time.monotonic()
        with pytest.raises(QueryTimeout, match="time limit of 1 s"):
            runner.run(RUNAWAY)
        assert time.monotonic() - start < 5
        assert _count(runner.run(COUNT).data) == 2_000


def test_the_stopped_query_no_longer_runs(kb: KnowledgeBase) -> None:
    before = set(_children())
    with QueryRunner(kb, Limits(timeout_s=0.5), workers=1) as runner:
        with pytest.raises(QueryTimeout):
            runner.run(RUNAWAY)
        assert set(_children()) - before == set()


def _children() -> list[int]:
    """Pids of this process's live children (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def test_a_result_over_the_size_limit_is_stopped(kb: KnowledgeBase) -> None:
    with QueryRunner(kb, Limits(timeout_s=5, max_result_bytes=4096)) as runner:
        with pytest.raises(ResultTooLarge, match="4,096 bytes"):
            runner.run("SELECT * WHERE { ?s ?p ?o }")
        with pytest.raises(ResultTooLarge):
            runner.run("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")
        assert _count(runner.run(COUNT).data) == 2_000
    with pytest.raises(ResultTooLarge):
        QueryRunner(kb, Limits(timeout_s=None, max_result_bytes=100)).run(
            "CONSTRUCT WHERE { ?s ?p ?o }"
        )


def test_queries_see_every_write_made_before_them(kb: KnowledgeBase) -> None:
    with QueryRunner(kb, Limits(timeout_s=5)) as runner:
        assert _count(runner.run(COUNT).data) == 2_000
        kb.update("INSERT DATA { GRAPH <http://x/g> { <http://x/new> <http://x/p> 1 } }")
        assert _count(runner.run(COUNT).data) == 2_001
        kb.drop_graph("http://x/g")
        assert _count(runner.run(COUNT).data) == 0


def test_errors_come_back_from_the_worker(kb: KnowledgeBase) -> None:
    with QueryRunner(kb, Limits(timeout_s=5)) as runner:
        with pytest.raises(QuerySyntaxError) as caught:
            runner.run("SELECT *\nWHERE { ?s ?p }")
        assert caught.value.line == 2
        with pytest.raises(InputError, match="unknown result format"):
            runner.run(COUNT, solutions_format="text/x-nothing")
        assert _count(runner.run(COUNT).data) == 2_000


def test_formats_and_datasets_through_the_worker(kb: KnowledgeBase) -> None:
    kb.add_quads(
        [ox.Triple(ox.NamedNode("http://x/o"), ox.NamedNode("http://x/p"), ox.Literal(1))],
        "http://x/other",
    )
    with QueryRunner(kb, Limits(timeout_s=5)) as runner:
        out = runner.run(COUNT, solutions_format="text/csv")
        assert (out.media_type, out.data) == ("text/csv", b"n\r\n2001\r\n")
        out = runner.run(COUNT, default_graph=["http://x/other"])
        assert _count(out.data) == 1
        out = runner.run(
            "SELECT ?s FROM <http://x/other> WHERE { ?s ?p ?o }", solutions_format="tsv"
        )
        assert out.data.splitlines()[1] == b"<http://x/o>"
        out = runner.run("CONSTRUCT WHERE { <http://x/o> ?p ?o }", graph_format="ntriples")
        assert out.format.name == "ntriples"
        assert (
            out.data
            == b'<http://x/o> <http://x/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        )


def test_many_queries_from_threads_share_the_workers(kb: KnowledgeBase) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with QueryRunner(kb, Limits(timeout_s=10), workers=2) as runner, ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(lambda _: _count(runner.run(COUNT).data), range(40)))
    assert counts == [2_000] * 40


def test_a_remote_query_stops_at_the_limit_too(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "data", "--timeout-s", "5") as server:
        kb = KnowledgeBase.remote(server.query_url, server.update_url)
        _generated(kb, 2_000)
        with QueryRunner(kb, Limits(timeout_s=1.0, max_result_bytes=4096)) as runner:
            start = time.monotonic()
            with pytest.raises(QueryTimeout):
                runner.run(RUNAWAY)
            assert time.monotonic() - start < 5
            with pytest.raises(ResultTooLarge):
                runner.run("SELECT * WHERE { ?s ?p ?o }")
            assert _count(runner.run(COUNT).data) == 2_000


def test_a_worker_outlives_the_thread_that_asked_for_it(kb: KnowledgeBase) -> None:
    # A server's request threads come and go; Linux's parent-death signal follows the thread
    # that forked, so workers are forked by the runner's own thread (a regression test).
    with QueryRunner(kb, Limits(timeout_s=5), workers=1) as runner:
        asker = threading.Thread(target=runner.run, args=(COUNT,))
        asker.start()
        asker.join()
        time.sleep(0.2)
        assert _count(runner.run(COUNT).data) == 2_000
