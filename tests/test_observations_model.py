"""The observation model: facts take the latest value, unknown stays unknown."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from servicekg.errors import UnknownTermError
from servicekg.observations import Business, Observation, ObservationSet, Origin
from servicekg.observations.records import new_observation, new_origin

UTC = datetime.UTC


def _seen(
    metric: str,
    value: float | bool,
    when: datetime.date | None,
    row: int,
    business: str = "Cafe",
) -> Observation:
    return Observation(business, metric, value, "ratio", when, None, None, None, Origin("f", row))


def test_facts_take_the_most_recent_observation_whatever_the_order() -> None:
    found = ObservationSet(
        {},
        [
            _seen("greeting_rate", 0.9, datetime.date(2024, 3, 1), 2),
            _seen("greeting_rate", 0.5, datetime.date(2024, 5, 1), 3),
            _seen("greeting_rate", 0.7, datetime.date(2024, 1, 1), 4),
        ],
    )
    assert found.facts("Cafe") == {"greeting_rate": 0.5}


def test_an_undated_observation_counts_as_the_oldest() -> None:
    found = ObservationSet(
        {},
        [
            _seen("retention_rate", 0.8, datetime.date(2020, 1, 1), 2),
            _seen("retention_rate", 0.1, None, 3),
        ],
    )
    assert found.facts("Cafe") == {"retention_rate": 0.8}


def test_dates_and_times_of_every_kind_compare() -> None:
    morning = datetime.datetime(
        2024, 5, 1, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=3))
    )
    found = ObservationSet(
        {},
        [
            _seen("return_rate", 0.1, datetime.datetime(2024, 5, 1, 7, 0), 2),  # naive, later
            _seen("return_rate", 0.2, morning, 3),  # 06:00 UTC
            _seen("return_rate", 0.3, datetime.date(2024, 5, 1), 4),  # start of the day
        ],
    )
    assert found.facts("Cafe") == {"return_rate": 0.1}


def test_a_metric_not_observed_is_absent_not_defaulted() -> None:
    found = ObservationSet({"Cafe": Business("Cafe", sector="retail")}, [])
    assert found.facts("Cafe") == {}
    assert found.by_business() == {"Cafe": []}


def test_by_business_lists_described_and_observed_businesses() -> None:
    seen = _seen("greeting_rate", 0.5, None, 2, business="Observed only")
    found = ObservationSet({"Described only": Business("Described only")}, [seen])
    assert found.by_business() == {"Described only": [], "Observed only": [seen]}


def test_facts_of_an_unknown_business_suggest_the_close_one() -> None:
    found = ObservationSet({}, [_seen("greeting_rate", 0.5, None, 2, business="Bakkerij")])
    with pytest.raises(UnknownTermError, match=r"'Bakery'; did you mean 'Bakkerij'"):
        found.facts("Bakery")


def test_the_index_follows_observations_added_after_a_first_look() -> None:
    found = ObservationSet({}, [_seen("greeting_rate", 0.5, None, 2)])
    assert found.facts("Cafe") == {"greeting_rate": 0.5}
    found.observations.append(_seen("return_rate", 0.1, None, 3))
    assert found.facts("Cafe") == {"greeting_rate": 0.5, "return_rate": 0.1}


def test_where_an_observation_was_read_takes_no_part_in_equality() -> None:
    assert _seen("greeting_rate", 0.5, None, 2) == _seen("greeting_rate", 0.5, None, 9)
    assert _seen("greeting_rate", 0.5, None, 2) != _seen("greeting_rate", 0.6, None, 2)


def test_the_fast_makers_give_the_same_frozen_objects() -> None:
    fields = ("Cafe", "greeting_rate", 0.5, "ratio", datetime.date(2024, 1, 2), "x", "y", "z")
    made = new_observation(*fields, new_origin("f.csv", 7))
    built = Observation(*fields, Origin("f.csv", 7))
    assert type(made) is Observation
    assert type(made.origin) is Origin
    assert made == built
    assert hash(made) == hash(built)
    assert dataclasses.astuple(made) == dataclasses.astuple(built)
    assert repr(made) == repr(built)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.value = 0.9  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.origin.row = 1  # type: ignore[misc]


def test_the_fast_makers_know_every_field() -> None:
    assert new_observation.__slots__ == tuple(f.name for f in dataclasses.fields(Observation))  # type: ignore[attr-defined]
    assert new_origin.__slots__ == tuple(f.name for f in dataclasses.fields(Origin))  # type: ignore[attr-defined]
