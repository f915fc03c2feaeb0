"""Refused observations: every problem of every file, each naming file, row, field and what
would be accepted, and nothing loaded. The cases are data: ``data/observations/bad-input.yaml``."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from servicekg.errors import EXIT_ERROR, ObservationError, Problem, ServiceKGError
from servicekg.observations import ObservationSet
from servicekg.problems import MAX_PROBLEMS_PER_FILE

DATA = Path(__file__).parent / "data" / "observations"
HEAD = "business,metric,value,unit,observed_at\n"

Load = Callable[..., ObservationSet]


def _cases() -> list[dict[str, Any]]:
    cases = yaml.safe_load((DATA / "bad-input.yaml").read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[case["case"] for case in CASES])
def test_each_kind_of_bad_input_is_named_with_what_is_accepted(
    load: Load, tmp_path: Path, case: dict[str, Any]
) -> None:
    for given in case["files"]:
        content = given["content"].encode(given.get("encoding", "utf-8"))
        (tmp_path / given["name"]).write_bytes(content)
    paths = [tmp_path / given["name"] for given in case["files"]] or [tmp_path / "absent.csv"]
    with pytest.raises(ObservationError) as caught:
        load(*paths)
    problems = caught.value.problems
    assert len(problems) == len(case["problems"]), "\n".join(map(str, problems))
    for problem, expected in zip(problems, case["problems"], strict=True):
        assert problem.path == str(tmp_path / expected["file"]), str(problem)
        assert problem.row == expected.get("row"), str(problem)
        assert problem.field == expected.get("field"), str(problem)
        assert re.search(expected["message"], problem.message), str(problem)
        assert set(expected.get("accepted", ())) <= set(problem.accepted), str(problem)
        assert str(problem) in str(caught.value)


def test_a_problem_reads_as_file_row_field_message_and_what_is_accepted(
    load: Load, tmp_path: Path
) -> None:
    data = tmp_path / "data.csv"
    data.write_text(HEAD + "A,greeting_rate,0.5,,\n" * 5 + "A,greeting_rate,1.4,,2024-01-01\n")
    with pytest.raises(ObservationError) as caught:
        load(data)
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"{data}:row 7: field 'value': 1.4 is out of range for greeting_rate (accepted: 0 to 1)"
    )
    assert caught.value.exit_code == EXIT_ERROR
    assert isinstance(caught.value, ServiceKGError)


def test_every_problem_of_a_file_is_reported_at_once(load: Load, tmp_path: Path) -> None:
    data = tmp_path / "visits.csv"
    data.write_text(
        HEAD
        + "A,greeting_rate,0.5,,2024-01-01\n"
        + "B,greting_rate,0.5,,\n"  # row 3: unknown metric
        + "C,greeting_rate,abc,min,\n"  # row 4: value and unit
        + ",service_time_seconds,-1,,2024-13-01\n"  # row 5: business, value, date
        + "D,has_problem_resolution_process,ja,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ObservationError) as caught:
        load(data)
    assert [(p.row, p.field) for p in caught.value.problems] == [
        (3, "metric"),
        (4, "unit"),
        (4, "value"),
        (5, "business"),
        (5, "value"),
        (5, "observed_at"),
    ]
    lines = str(caught.value).splitlines()
    assert lines[0] == "6 problems in the observations; nothing loaded:"
    assert lines[1:] == [str(p) for p in caught.value.problems]


def test_several_files_load_all_or_nothing(load: Load, tmp_path: Path) -> None:
    good = DATA / "observations.csv"
    bad = tmp_path / "bad.csv"
    bad.write_text(HEAD + "A,greeting_rate,2,,\n", encoding="utf-8")
    worse = tmp_path / "worse.json"
    worse.write_text('[{"business": "B", "metric": "fun_score", "value": 9}]', encoding="utf-8")
    with pytest.raises(ObservationError) as caught:
        load(good, bad, DATA / "businesses.csv", worse)
    assert [(p.path, p.row) for p in caught.value.problems] == [(str(bad), 2), (str(worse), 1)]


def test_the_same_observation_in_two_files_with_different_values(
    load: Load, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.yaml"
    first.write_text(HEAD + "A,greeting_rate,0.5,,2024-01-01\n", encoding="utf-8")
    second.write_text(
        "- {business: A, metric: greeting_rate, value: 0.6, observed_at: 2024-01-01}\n"
    )
    with pytest.raises(ObservationError) as caught:
        load(first, second)
    (problem,) = caught.value.problems
    assert (problem.path, problem.row) == (str(second), 1)
    assert f"0.5 at {first}:row 2" in problem.message


def test_problems_beyond_the_cap_are_counted(load: Load, tmp_path: Path) -> None:
    data = tmp_path / "many.csv"
    data.write_text(HEAD + "A,greeting_rate,7,,\n" * (MAX_PROBLEMS_PER_FILE + 5))
    with pytest.raises(ObservationError) as caught:
        load(data)
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1] == Problem(
        str(data),
        None,
        None,
        f"5 more problems are not listed (the first {MAX_PROBLEMS_PER_FILE} are); "
        "fix these and load again to see them",
    )


def test_a_file_that_cannot_be_read_is_said_so(load: Load, tmp_path: Path) -> None:
    with pytest.raises(ObservationError, match=r"is a folder, not a file"):
        load(tmp_path)


def test_a_byte_that_is_not_utf8_deep_in_a_large_csv(load: Load, tmp_path: Path) -> None:
    data = tmp_path / "big.csv"
    good = b"A,greeting_rate,0.5,,\n" * 20_000
    data.write_bytes(HEAD.encode() + good + "Café,greeting_rate,0.5,,\n".encode("latin-1"))
    with pytest.raises(ObservationError) as caught:
        load(data)
    (problem,) = caught.value.problems
    assert (problem.path, problem.row, problem.field) == (str(data), None, None)
    assert "byte 0xe9 on line 20002" in problem.message
