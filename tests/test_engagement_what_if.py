"""What-if on plain assessments: targets, what moves, the best single changes, typed changes."""

from __future__ import annotations

import datetime

import pytest

from engagement_data import JELGAVA, RIGA, assess_one, catalogue, context, examples
from servicekg.engagement.visits import known_at, visits_of
from servicekg.engagement.what_if import bad_metrics, best_changes, compare, parse_changes, targets
from servicekg.errors import InputError, UnknownTermError
from servicekg.observations import Observation, Origin

LATER = datetime.datetime(2100, 1, 1)


def _business(business: str):
    data = examples()
    rows = data.by_business()[business]
    described = data.businesses[business]

    def assess(changes):
        extra = [
            Observation(business, m, v, "", LATER, None, None, None, Origin("what-if", None))
            for m, v in changes.items()
        ]
        return assess_one(business, described, [*rows, *extra])

    facts = {m: o.value for m, o in known_at(rows, visits_of(rows)[-1]).items()}
    return assess({}), facts, described.sector, assess


@pytest.mark.parametrize("business", [JELGAVA, RIGA, "ventspils-metals", "belcentrum-noord"])
def test_every_bad_metric_at_its_target_leaves_no_recommendation(business: str) -> None:
    before, _facts, sector, assess = _business(business)
    assert before.recommendations
    wanted = targets(bad_metrics(before), context().book.rules, sector or "")
    assert set(wanted) == set(bad_metrics(before))
    result = compare(before, assess(wanted), wanted)
    assert result.after.recommendations == []
    assert len(result.disappear) == len(before.recommendations)
    assert result.score_after == 0


def test_targets_use_the_sectors_thresholds() -> None:
    rules = context().book.rules
    metrics = ["service_time_seconds", "staff_turnover_rate", "has_problem_resolution_process"]
    assert targets(metrics, rules, "fast-food") == {
        "service_time_seconds": 90.0,  # the McDonald's benchmark
        "staff_turnover_rate": 0.8,
        "has_problem_resolution_process": True,
    }
    assert targets(["service_time_seconds"], rules, "")["service_time_seconds"] == 300.0


def test_the_best_single_changes_are_ranked_by_their_effect_with_a_causal_path() -> None:
    before, facts, sector, assess = _business(JELGAVA)
    best = best_changes(before, facts, context().book.rules, sector or "", assess, top=3)
    assert len(best) == 3
    assert [c.effect for c in best] == sorted((c.effect for c in best), reverse=True)
    top = best[0]
    assert top.effect == pytest.approx(top.result.score_before - top.result.score_after, abs=0.05)
    assert top.result.disappear
    assert top.path[-1] in {"Loyalty", "Retention", "Growth"}
    assert all(c.target != facts[c.metric] for c in best)


def test_a_change_that_helps_nothing_moves_nothing() -> None:
    before, _facts, _sector, assess = _business(RIGA)
    result = compare(before, assess({"greeting_rate": 0.99}), {"greeting_rate": 0.99})
    assert (result.disappear, result.appear, result.score_change) == ((), (), 0)


def test_typed_changes_convert_their_units() -> None:
    written = ["greeting_rate=85%", "queue_wait_seconds=3min", "has_problem_resolution_process=jā"]
    found = parse_changes(written, catalogue())
    assert found == {
        "greeting_rate": pytest.approx(0.85),
        "queue_wait_seconds": 180.0,
        "has_problem_resolution_process": True,
    }


@pytest.mark.parametrize(
    ("written", "error", "words"),
    [
        ("greeting_rate", InputError, "metric=value"),
        ("greeting_rat=0.5", UnknownTermError, "did you mean 'greeting_rate'"),
        ("greeting_rate=lots", InputError, "not a number"),
        ("greeting_rate=150%", InputError, "0 to 1"),
        ("service_time_seconds=2furlongs", InputError, "written in"),
        ("has_problem_resolution_process=maybe", InputError, "true or false"),
    ],
)
def test_a_bad_change_is_refused_naming_it(written: str, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        parse_changes([written], catalogue())
