"""Progress between visits: each transition, trends, the score change, follow-ups judged."""

from __future__ import annotations

import datetime

import pytest

from engagement_data import JELGAVA, LIEPAJA, RIGA, examples, specs, visits_of_business
from servicekg.engagement.progress import progress
from servicekg.engagement.render import progress_markdown
from servicekg.engagement.visits import visits_of
from servicekg.engagement.words import words
from servicekg.observations import Business, Observation, ObservationSet, Origin
from servicekg.observations.follow_ups import FollowUp

JANUARY, APRIL = datetime.date(2026, 1, 10), datetime.date(2026, 4, 10)


def _seen(metric: str, value: float, day: datetime.date) -> Observation:
    return Observation("cafe", metric, value, "", day, None, None, None, Origin("t.csv", 2))


def _cafe(*follow_ups: FollowUp) -> ObservationSet:
    """A fast-food business seen in January and April: one recommendation of each kind."""
    rows = [
        _seen("service_time_seconds", 150, JANUARY),  # slow, then slower: worse
        _seen("service_time_seconds", 200, APRIL),
        _seen("greeting_rate", 0.6, JANUARY),  # not greeted, then greeted: resolved
        _seen("greeting_rate", 0.95, APRIL),
        _seen("queue_wait_seconds", 240, JANUARY),  # long queues, the same: persisting
        _seen("queue_wait_seconds", 240, APRIL),
        _seen("order_accuracy_rate", 0.9, APRIL),  # first measured in April: new
    ]
    cafe = Business("cafe", "Café", "fast-food")
    return ObservationSet({"cafe": cafe}, rows, list(follow_ups))


def _changes(found) -> dict[str, str]:
    return {r.rule: r.change for r in found.recommendations}


def test_each_recommendation_is_new_persisting_worse_or_resolved() -> None:
    found = progress(visits_of_business("cafe", _cafe()), specs())
    assert _changes(found) == {
        "order-errors": "new",
        "long-queues": "persisting",
        "slow-service-fast-food": "worse",
        "customers-not-greeted": "resolved",
    }
    worse = next(r for r in found.recommendations if r.change == "worse")
    assert worse.gap_after > worse.gap_before
    assert found.newly_measured == ["order_accuracy_rate"]


def test_the_score_change_is_the_change_of_the_sum_of_scores() -> None:
    visits = visits_of_business("cafe", _cafe())
    found = progress(visits, specs())
    sums = [round(sum(r.score for r in v.assessment.recommendations), 1) for v in visits]
    assert found.scores == sums
    assert found.score_change == pytest.approx(sums[1] - sums[0], abs=0.05)


def test_each_metric_has_its_values_per_visit_and_a_trend() -> None:
    found = {m.metric: m for m in progress(visits_of_business("cafe", _cafe()), specs()).metrics}
    assert found["service_time_seconds"].values == (150, 200)
    assert found["service_time_seconds"].trend == "worse"  # lower is better
    assert found["greeting_rate"].trend == "better"
    assert found["queue_wait_seconds"].trend == "steady"
    assert found["order_accuracy_rate"].values == (None, 0.9)
    assert found["order_accuracy_rate"].trend == "first"


@pytest.mark.parametrize(
    ("rule", "day", "outcome"),
    [
        ("customers-not-greeted", datetime.date(2026, 2, 1), "resolved"),
        ("slow-service-fast-food", datetime.date(2026, 2, 1), "not-moved"),
        ("long-queues", datetime.date(2026, 2, 1), "not-moved"),
        ("slow-service-fast-food", datetime.date(2026, 5, 1), "no-visit-since"),
    ],
)
def test_a_follow_up_marked_done_is_judged_at_the_next_visit(
    rule: str, day: datetime.date, outcome: str
) -> None:
    done = FollowUp("cafe", rule, "done", day, "done it")
    found = progress(visits_of_business("cafe", _cafe(done)), specs(), [done])
    [check] = found.checks
    assert check.outcome == outcome


def test_a_follow_up_whose_metric_was_not_measured_again_says_so() -> None:
    rows = [
        _seen("service_time_seconds", 150, JANUARY),
        _seen("greeting_rate", 0.9, APRIL),  # April: service time not timed again
    ]
    data = ObservationSet({"cafe": Business("cafe", None, "fast-food")}, rows)
    done = FollowUp("cafe", "slow-service-fast-food", "done", datetime.date(2026, 2, 1))
    found = progress(visits_of_business("cafe", data), specs(), [done])
    assert [c.outcome for c in found.checks] == ["not-measured"]
    assert {r.rule: r.change for r in found.recommendations} == {
        "slow-service-fast-food": "persisting"
    }


def test_the_example_chain_tells_its_three_stories() -> None:
    """Rīga improves, Jelgava gets worse, Liepāja persists (examples/README.md)."""
    data = examples()
    riga = progress(visits_of_business(RIGA), specs(), data.follow_ups)
    assert len(riga.visits) == 3
    assert riga.score_change < 0
    assert _changes(riga)["long-queues"] == "resolved"
    assert _changes(riga)["slow-service-fast-food"] == "persisting"
    outcomes = {c.follow_up.rule: c.outcome for c in riga.checks}
    assert outcomes == {"customers-not-greeted": "resolved", "slow-service-fast-food": "not-moved"}
    jelgava = progress(visits_of_business(JELGAVA), specs(), data.follow_ups)
    assert jelgava.score_change > 0
    assert set(_changes(jelgava).values()) == {"new", "worse"}
    liepaja = progress(visits_of_business(LIEPAJA), specs(), data.follow_ups)
    assert len(liepaja.visits) == 2
    assert liepaja.newly_measured == ["staff_turnover_rate"]
    assert _changes(liepaja)["inconsistent-service"] == "resolved"
    assert _changes(liepaja)["slow-service-fast-food"] == "persisting"


def test_visits_are_told_by_gaps_between_dates() -> None:
    rows = examples().by_business()[RIGA]
    assert [(v.start.isoformat(), v.end.isoformat()) for v in visits_of(rows)] == [
        ("2026-03-10", "2026-03-12"),
        ("2026-06-09", "2026-06-11"),
        ("2026-09-08", "2026-09-10"),
    ]


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_the_progress_report_speaks_the_readers_language(lang: str) -> None:
    said = words(lang)
    found = progress(visits_of_business(RIGA, lang=lang), specs(), examples().follow_ups, lang=lang)
    text = progress_markdown(found, lang)
    assert text.startswith(f"# {said['progress']}: Burgeru Bāze")
    for change in ("persisting", "resolved"):
        assert f"| {said['transitions'][change]} |" in text
    assert said["outcomes"]["not-moved"] in text
    assert said["trends"]["better"] in text
    other = {"en": "nl", "nl": "lv", "lv": "en"}[lang]
    assert words(other)["outcomes"]["not-moved"] not in text


def test_progress_as_json_holds_every_part() -> None:
    data = progress(visits_of_business(RIGA), specs(), examples().follow_ups).as_dict()
    assert set(data) == {
        "business", "name", "visits", "scores", "score_change", "metrics", "recommendations",
        "newly_measured", "follow_ups", "follow_up_checks",
    }  # fmt: skip
    assert data["visits"][0] == {
        "number": 1, "label": "2026-03-10", "start": "2026-03-10", "end": "2026-03-12",
    }  # fmt: skip
