"""Follow-ups read beside observations: told by their columns, checked row by row."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from servicekg.errors import ObservationError
from servicekg.observations.follow_ups import FollowUp

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_a_follow_ups_file_beside_observations_is_read_as_follow_ups(load, tmp_path) -> None:
    (tmp_path / "o.csv").write_text(
        "business,metric,value,observed_at\nx1,greeting_rate,0.7,2026-03-01\n", encoding="utf-8"
    )
    (tmp_path / "f.csv").write_text(
        "business,rule,status,date,note\n"
        "x1,customers-not-greeted,In progress,2026-03-20,Greeting script\n"
        "x1,slow-service,DONE,,\n",
        encoding="utf-8",
    )
    found = load(tmp_path / "o.csv", tmp_path / "f.csv")
    assert len(found.observations) == 1
    assert found.follow_ups == [
        FollowUp("x1", "customers-not-greeted", "in-progress", datetime.date(2026, 3, 20),
                 "Greeting script"),
        FollowUp("x1", "slow-service", "done", None, None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("x1,slow-service,finished,2026-03-20,", "status", "unknown status"),
        ("x1,slow-service,done,someday,", "date", "someday"),
        ("x1,,done,2026-03-20,", "rule", "missing rule id"),
        ("x1,slow-service,done,2999-01-01,", "date", "future"),
    ],
)
def test_a_bad_follow_up_is_refused_naming_its_row_and_field(
    load, tmp_path, row: str, field: str, words: str
) -> None:
    bad = tmp_path / "f.csv"
    bad.write_text(f"business,rule,status,date,note\n{row}\n", encoding="utf-8")
    with pytest.raises(ObservationError) as caught:
        load(bad)
    [problem] = caught.value.problems
    assert (problem.path, problem.row, problem.field) == (str(bad), 2, field)
    assert words in problem.message
    if field == "status":
        assert problem.accepted == ("accepted", "in-progress", "done", "declined")


def test_the_example_chain_has_a_follow_up_marked_done(load) -> None:
    chain = EXAMPLES / "chain"
    found = load(chain / "follow-ups.csv", chain / "businesses.csv")
    done = [f for f in found.follow_ups if f.status == "done"]
    assert ("burgeru-baze-riga", "slow-service-fast-food") in {(f.business, f.rule) for f in done}
    assert {b.extra.get("group") for b in found.businesses.values()} == {"burgeru-baze"}
