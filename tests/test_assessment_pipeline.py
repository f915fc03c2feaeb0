"""The one assessment pipeline: a what-if re-assesses one business of a store with changed
values, through the same pipeline as a run, and writes nothing."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from servicekg.assessment.pipeline import AssessmentRun, run_assessment, what_if
from servicekg.errors import UnknownTermError
from servicekg.resources import data_root


@pytest.fixture(scope="module")
def run() -> AssessmentRun:
    return run_assessment([data_root() / "examples"])


def _rules(recommendations) -> list[str]:
    return [r.rule.iri.rsplit("/", 1)[-1] for r in recommendations]


def _everything(run: AssessmentRun) -> set[str]:
    return set(run.kb.dump(rdf_format=ox.RdfFormat.N_QUADS).decode().splitlines())


def test_a_bad_metric_set_to_a_good_value_removes_its_recommendation(run) -> None:
    before = run.report.business("burgeri-riga")
    assert "slow-service-fast-food" in _rules(before.recommendations)
    after = what_if(run.kb, "burgeri-riga", {"service_time_seconds": 60.0})
    assert "slow-service-fast-food" not in _rules(after.recommendations)
    # the other findings stay, ranked as before
    assert _rules(after.recommendations) == [
        r for r in _rules(before.recommendations) if r != "slow-service-fast-food"
    ]


def test_a_what_if_never_changes_the_store(run) -> None:
    before = _everything(run)
    what_if(run.kb, "burgeri-riga", {"service_time_seconds": 60.0, "queue_wait_seconds": 30.0})
    what_if(run.kb, "burgeri-riga", {})
    assert _everything(run) == before


def test_no_change_gives_the_stored_assessment(run) -> None:
    stored = run.report.business("burgeri-riga")
    again = what_if(run.kb, "burgeri-riga", {})
    assert [(r.rule.iri, r.rank, r.score) for r in again.recommendations] == [
        (r.rule.iri, r.rank, r.score) for r in stored.recommendations
    ]


def test_an_unknown_metric_or_business_is_named(run) -> None:
    with pytest.raises(UnknownTermError, match="service_time_second"):
        what_if(run.kb, "burgeri-riga", {"service_time_second": 60.0})
    with pytest.raises(UnknownTermError, match="did you mean 'burgeri-riga'"):
        what_if(run.kb, "burgeri-rig", {"service_time_seconds": 60.0})
