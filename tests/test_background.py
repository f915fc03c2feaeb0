"""The two-stage pipeline that writes assessment chunks into the store while the next chunks
are assessed: results in order, bounded memory, and errors from either side that undo the
write and reach the caller."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from servicekg.concurrency.background import consume_in_background
from servicekg.errors import ProductionStopped


def test_the_consumer_gets_every_item_in_order_and_its_result_is_returned() -> None:
    seen: list[str] = []

    def consume(items: Iterator[int]) -> int:
        seen.append(threading.current_thread().name)
        return sum(n * 10**k for k, n in enumerate(items))

    assert consume_in_background(consume, iter([1, 2, 3, 4]), name="writer") == 4321
    assert seen == ["writer"]  # it ran on its own thread


def test_the_producer_runs_at_most_depth_items_ahead_of_the_consumer() -> None:
    produced = 0
    lead: list[int] = []

    def items() -> Iterator[int]:
        nonlocal produced
        for n in range(50):
            produced += 1
            yield n

    def consume(chunks: Iterator[int]) -> int:
        count = 0
        for _ in chunks:
            count += 1
            lead.append(produced - count)
        return count

    assert consume_in_background(consume, items(), depth=2) == 50
    # waiting in the queue (2) + the one being handed over (1)
    assert max(lead) <= 3


class Boom(Exception):
    pass


def test_a_producer_failure_stops_the_consumer_which_can_undo_and_the_error_is_raised() -> None:
    undone: list[int] = []

    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise Boom("assessing chunk 3 failed")

    def consume(chunks: Iterator[int]) -> int:
        got = []
        try:
            for chunk in chunks:
                got.append(chunk)
        except ProductionStopped:
            undone.extend(got)
            raise
        return len(got)

    with pytest.raises(Boom, match="chunk 3"):
        consume_in_background(consume, items())
    assert undone == [1, 2]


def test_a_consumer_failure_stops_production_and_is_raised() -> None:
    produced = 0

    def endless() -> Iterator[int]:
        nonlocal produced
        while True:
            produced += 1
            yield produced

    def consume(chunks: Iterator[int]) -> int:
        for chunk in chunks:
            if chunk == 3:
                raise OSError("disk full")
        return 0

    with pytest.raises(OSError, match="disk full"):
        consume_in_background(consume, endless(), depth=1)
    assert produced < 10


def test_an_interrupted_assessment_leaves_the_last_run_in_the_store(tmp_path: Path) -> None:
    """Ctrl-C (here: a progress callback that raises) halfway through a run: the store keeps
    the previous run's graphs whole, and no half-written staging graph is left behind."""
    from servicekg.assessment import workers as runner
    from servicekg.assessment.pipeline import run_assessment
    from servicekg.knowledge_base import KnowledgeBase
    from servicekg.namespace import GRAPH

    (tmp_path / "businesses.csv").write_text(
        "business,name,sector\na,A,retail\nb,B,retail\nc,C,fast-food\n", encoding="utf-8"
    )
    (tmp_path / "observations.csv").write_text(
        "business,metric,value\na,greeting_rate,0.4\nb,greeting_rate,0.9\n"
        "c,service_time_seconds,300\n",
        encoding="utf-8",
    )
    files = [tmp_path / "businesses.csv", tmp_path / "observations.csv"]
    for store in (None, tmp_path / "store"):
        kb = KnowledgeBase.with_ontology() if store is None else KnowledgeBase.open(store)
        if store is not None:
            kb.load_ontology()
        run_assessment([*files[:1], _only(tmp_path, "a")], kb=kb)
        before = {g: kb.dump(g) for g in (GRAPH.observations, GRAPH.assessments)}
        graphs = set(kb.named_graphs())
        calls = 0

        def interrupt(_done: int) -> None:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise KeyboardInterrupt

        old, runner.CHUNK = runner.CHUNK, 1
        try:
            with pytest.raises(KeyboardInterrupt):
                run_assessment(files, kb=kb, progress=interrupt)
        finally:
            runner.CHUNK = old
        assert calls == 2
        assert {g: kb.dump(g) for g in before} == before
        assert set(kb.named_graphs()) == graphs


def _only(folder: Path, business: str) -> Path:
    path = folder / f"only-{business}.csv"
    rows = (folder / "observations.csv").read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([rows[0], *(r for r in rows[1:] if r.startswith(f"{business},"))]) + "\n",
        encoding="utf-8",
    )
    return path
