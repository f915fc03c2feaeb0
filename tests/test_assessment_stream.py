"""A streamed run (on-disk store, report written as it goes) says exactly what an in-memory run
says: the same JSON, the same graphs; bad input still loads nothing; observations that are not
grouped by business still give the same answer."""

from __future__ import annotations

import gc
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from servicekg.assessment.pipeline import run_assessment, stream_assessment
from servicekg.errors import ObservationError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH

BUSINESSES = """business,name,sector,region,owner
burgers,Burgeri "Rīga",fast-food,LV,Ozols
diner,Ed's Rude Diner,restaurant,US,
callcentre,Bel Direct,call-centre,NL,
factory,Staalwerk,manufacturing,NL,
quiet,Stille Winkel,retail,NL,
"""

OBSERVATIONS = """business,metric,value,unit,observed_at,note
burgers,service_time_seconds,4,min,2024-05-01,"lunch, ""rush"" hour"
burgers,friendliness_score,4.5,,,
burgers,greeting_rate,95,%,,
burgers,greeting_rate,95,%,,
diner,friendliness_score,1.2,,,
diner,rude_service_is_the_product,true,,,
diner,service_time_seconds,600,s,,
callcentre,complaint_rate,40,per_1000,,
callcentre,staff_turnover_rate,0.6,ratio,,
callcentre,employee_satisfaction_score,2.1,,,
factory,supplier_on_time_rate,0.6,,2024-01-01,
factory,supplier_on_time_rate,0.7,,2024-02-01,
factory,supplier_defect_rate,0.08,,,
factory,defect_rate,0.07,,,
walkin,greeting_rate,0.4,,,
"""


def _files(folder: Path, observations: str = OBSERVATIONS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "businesses.csv").write_text(BUSINESSES, encoding="utf-8")
    (folder / "observations.csv").write_text(observations, encoding="utf-8")
    return [folder / "businesses.csv", folder / "observations.csv"]


def _graph(kb: KnowledgeBase, name: str) -> set[str]:
    """A graph's lines, blank nodes named alike and the run's time left out."""
    text = kb.dump(name, ox.RdfFormat.N_QUADS)
    lines = set()
    for line in text.decode().splitlines():
        if "endedAtTime" in line:
            continue
        lines.add(" ".join("_:b" if word.startswith("_:") else word for word in line.split(" ")))
    return lines


def _streamed(files: list[Path], store: Path, chunk: int | None = None) -> tuple[str, object]:
    out = io.StringIO()
    if chunk is not None:
        import servicekg.assessment.workers as stream

        old, stream.CHUNK = stream.CHUNK, chunk
        try:
            run = stream_assessment(files, store, out)
        finally:
            stream.CHUNK = old
    else:
        run = stream_assessment(files, store, out)
    return out.getvalue(), run


def _same_report(streamed: str, memory: str) -> None:
    data = json.loads(streamed)
    assert streamed.replace(data["generated_at"], "T") == memory.replace(
        json.loads(memory)["generated_at"], "T"
    )


@pytest.mark.parametrize("chunk", [1, 2, 200])
def test_a_streamed_run_writes_the_report_and_graphs_of_an_in_memory_run(
    tmp_path: Path, chunk: int
) -> None:
    files = _files(tmp_path / "in")
    memory = run_assessment(files)
    text, streamed = _streamed(files, tmp_path / "store", chunk)
    # businesses in the order observed, then those only described: here that is file order
    expected = json.dumps(memory.report.as_dict(), indent=2, ensure_ascii=False)
    order = [b["business"] for b in json.loads(text)["businesses"]]
    assert order == ["burgers", "diner", "callcentre", "factory", "walkin", "quiet"]
    by_id = {b["business"]: b for b in json.loads(expected)["businesses"]}
    assert json.loads(text)["businesses"] == [by_id[b] for b in order]
    assert streamed.businesses == 6
    assert streamed.failed == []
    for graph in (GRAPH.observations, GRAPH.assessments, GRAPH.rules):
        assert _graph(streamed.kb, str(graph)) == _graph(memory.kb, str(graph)), graph


def test_the_streamed_json_is_the_in_memory_json_text(tmp_path: Path) -> None:
    observations = OBSERVATIONS.replace("walkin,greeting_rate,0.4,,,\n", "")
    businesses = "".join(BUSINESSES.splitlines(keepends=True)[:-1])  # no described-only one
    files = _files(tmp_path / "in", observations)
    (tmp_path / "in" / "businesses.csv").write_text(businesses, encoding="utf-8")
    memory = run_assessment(files)
    text, _ = _streamed(files, tmp_path / "store")
    _same_report(text, json.dumps(memory.report.as_dict(), indent=2, ensure_ascii=False))


def test_the_store_is_an_ordinary_knowledge_base_afterwards(tmp_path: Path) -> None:
    _streamed(_files(tmp_path / "in"), tmp_path / "store")
    kb = KnowledgeBase.open(tmp_path / "store")
    rows = kb.select(
        "SELECT ?rule WHERE { ?rec skg:forBusiness ?b ; skg:firedRule ?rule ; skg:rank 1 . "
        "?b schema:identifier 'factory' }"
    )
    assert len(rows) == 1


def test_observations_not_grouped_by_business_give_the_same_answer(tmp_path: Path) -> None:
    lines = OBSERVATIONS.splitlines(keepends=True)
    by_metric = sorted(lines[1:], key=lambda line: line.split(",")[1])
    shuffled = lines[0] + "".join(by_metric)  # the rows of a business apart
    files = _files(tmp_path / "in", shuffled)
    memory = run_assessment(files)
    text, streamed = _streamed(files, tmp_path / "store", chunk=2)
    _same_report(text, json.dumps(memory.report.as_dict(), indent=2, ensure_ascii=False))
    assert _graph(streamed.kb, str(GRAPH.assessments)) == _graph(memory.kb, str(GRAPH.assessments))


def test_a_conflict_between_rows_far_apart_is_still_refused(tmp_path: Path) -> None:
    conflicting = OBSERVATIONS + "burgers,friendliness_score,2.0,,,\n"
    with pytest.raises(ObservationError) as caught:
        _streamed(_files(tmp_path / "in", conflicting), tmp_path / "store")
    assert "twice with different values" in str(caught.value)


def test_a_bad_row_loads_nothing_into_the_store(tmp_path: Path) -> None:
    bad = OBSERVATIONS + "walkin,greeting_rate,1.7,,,\n"
    with pytest.raises(ObservationError) as caught:
        _streamed(_files(tmp_path / "in", bad), tmp_path / "store")
    assert "observations.csv" in str(caught.value)
    assert "row 17" in str(caught.value)
    del caught  # its traceback holds the run's store open
    gc.collect()
    kb = KnowledgeBase.open(tmp_path / "store")
    graphs = set(kb.named_graphs())
    assert str(GRAPH.observations) not in graphs
    assert str(GRAPH.assessments) not in graphs


@pytest.mark.slow
def test_two_workers_stream_the_same_report(tmp_path: Path) -> None:
    files = _files(tmp_path / "in")
    import servicekg.assessment.workers as stream

    old, stream.CHUNK = stream.CHUNK, 1
    try:
        single, double = io.StringIO(), io.StringIO()
        stream_assessment(files, tmp_path / "one", single)
        stream_assessment(files, tmp_path / "two", double, workers=2)
    finally:
        stream.CHUNK = old
    _same_report(double.getvalue(), single.getvalue())
