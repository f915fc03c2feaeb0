"""``servicekg assess`` with no store and no RDF format builds no RDF (nobody would read it),
and reports exactly what a run that writes the graphs reports."""

from __future__ import annotations

import json

from servicekg.assessment.pipeline import run_assessment
from servicekg.namespace import GRAPH
from servicekg.resources import data_root


def _without_time(report: dict) -> dict:
    return {key: value for key, value in report.items() if key != "generated_at"}


def test_a_run_that_writes_nothing_reports_the_same() -> None:
    examples = [data_root() / "examples"]
    written = run_assessment(examples)
    unwritten = run_assessment(examples, write=False)
    assert written.kb.has_graph(GRAPH.assessments)
    assert not unwritten.kb.has_graph(GRAPH.assessments)
    assert not unwritten.kb.has_graph(GRAPH.observations)
    assert _without_time(unwritten.report.as_dict()) == _without_time(written.report.as_dict())


def test_the_cli_reports_the_same_with_and_without_a_store(run_cli, tmp_path) -> None:
    examples = str(data_root() / "examples")
    plain = json.loads(run_cli("assess", examples, "--format", "json").stdout)
    stored = run_cli("assess", examples, "--format", "json", "--store", str(tmp_path / "kb"))
    assert _without_time(plain) == _without_time(json.loads(stored.stdout))
