"""Spreadsheet habits that gave silently wrong numbers: each read as Excel shows the cell.

Every workbook here is a real .xlsx written by openpyxl, as Excel would save it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from servicekg.errors import ObservationError
from servicekg.observations import ObservationSet

Load = Callable[..., ObservationSet]
HEADER = ("business", "metric", "value", "unit", "observed_at", "source", "note")


def _book(
    path: Path, rows: list[tuple[object, ...]], formats: dict[str, str] | None = None
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "observations"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.save(path)
    return path


def _values(found: ObservationSet) -> dict[str, float | bool]:
    return {o.metric: o.value for o in found.observations}


@pytest.mark.parametrize("number_format", ["0%", "0.0%", "0.00%"])
@pytest.mark.parametrize("unit", ["%", None, "ratio"])
def test_a_percentage_cell_is_the_percentage_it_shows(
    load: Load, tmp_path: Path, number_format: str, unit: str | None
) -> None:
    # regression: 78 % typed in Excel is stored as 0.78; with unit % it was read as 0.0078
    path = _book(
        tmp_path / "audit.xlsx",
        [("Bakkerij Jansen", "greeting_rate", 0.78, unit)],
        {"C2": number_format},
    )
    assert _values(load(path)) == {"greeting_rate": 0.78}


def test_a_percentage_cell_with_a_unit_that_contradicts_it_is_refused(
    load: Load, tmp_path: Path
) -> None:
    path = _book(tmp_path / "audit.xlsx", [("A", "greeting_rate", 0.78, "per_1000")], {"C2": "0%"})
    with pytest.raises(ObservationError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.field) == (2, "unit")
    assert "shows 78% (formatted as a percentage)" in problem.message


def test_a_percentage_over_100_is_out_of_range_as_the_consultant_wrote_it(
    load: Load, tmp_path: Path
) -> None:
    path = _book(tmp_path / "audit.xlsx", [("A", "greeting_rate", 1.4, None)], {"C2": "0%"})
    with pytest.raises(ObservationError) as caught:
        load(path)
    assert "140 % (= 1.4 ratio) is out of range" in caught.value.problems[0].message


def test_a_plain_number_cell_with_unit_percent_is_still_a_percentage(
    load: Load, tmp_path: Path
) -> None:
    path = _book(tmp_path / "audit.xlsx", [("A", "greeting_rate", 78, "%")])
    assert _values(load(path)) == {"greeting_rate": 0.78}


def test_a_rate_written_as_a_percentage_without_unit_names_the_unit_to_add(
    load: Load, tmp_path: Path
) -> None:
    path = _book(tmp_path / "audit.xlsx", [("A", "greeting_rate", 64, None)])
    with pytest.raises(ObservationError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert problem.message == (
        "64 is out of range for greeting_rate (a ratio from 0 to 1): write 64 with unit %, or 0.64"
    )


def test_a_date_serial_number_in_observed_at_is_the_date_excel_means(
    load: Load, tmp_path: Path
) -> None:
    # 46340 is 2026-11-14 in Excel's 1900 date system; a general-format cell shows the number
    path = _book(tmp_path / "audit.xlsx", [("A", "greeting_rate", 0.5, None, 46340)])
    (found,) = load(path).observations
    assert found.observed_at == datetime.date(2026, 11, 14)


def test_a_date_formatted_cell_is_a_date(load: Load, tmp_path: Path) -> None:
    path = _book(
        tmp_path / "audit.xlsx",
        [("A", "greeting_rate", 0.5, None, datetime.datetime(2026, 11, 14))],
        {"E2": "dd-mm-yyyy"},
    )
    (found,) = load(path).observations
    assert found.observed_at == datetime.date(2026, 11, 14)


@pytest.mark.parametrize("written", ["14-11-2026", "14.11.2026", "14.11.2026."])
def test_dates_as_people_write_them_in_the_netherlands_and_latvia(
    load: Load, tmp_path: Path, written: str
) -> None:
    path = _book(tmp_path / "audit.xlsx", [("A", "greeting_rate", 0.5, None, written)])
    (found,) = load(path).observations
    assert found.observed_at == datetime.date(2026, 11, 14)


def test_a_day_that_does_not_exist_is_refused(load: Load, tmp_path: Path) -> None:
    path = _book(tmp_path / "audit.xlsx", [("A", "greeting_rate", 0.5, None, "31.02.2026")])
    with pytest.raises(ObservationError) as caught:
        load(path)
    assert caught.value.problems[0].field == "observed_at"


@pytest.mark.parametrize(("written", "expected"), [("37", 37.0), ("37,5", 37.5), (" 7.5 ", 7.5)])
def test_a_text_cell_holding_a_number_is_that_number(
    load: Load, tmp_path: Path, written: str, expected: float
) -> None:
    path = _book(tmp_path / "audit.xlsx", [("A", "service_time_seconds", written, None)])
    assert _values(load(path)) == {"service_time_seconds": expected}


def test_a_merged_title_row_above_the_header_is_skipped(load: Load, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "observations"
    sheet.append(("Audit Bakkerij Jansen, november 2026",))
    sheet.merge_cells("A1:G1")
    sheet.append(HEADER)
    sheet.append(("A", "greeting_rate", 0.5))
    path = tmp_path / "audit.xlsx"
    book.save(path)
    (found,) = load(path).observations
    assert (found.value, found.origin.row) == (0.5, 3)


def test_a_merged_header_cell_over_two_columns_is_named_in_the_problem(
    load: Load, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(("business", "metric", "value", None))
    sheet.merge_cells("C1:D1")
    sheet.append(("A", "greeting_rate", 0.5, "%"))
    path = tmp_path / "audit.xlsx"
    book.save(path)
    with pytest.raises(ObservationError) as caught:
        load(path)
    assert "a merged header cell? unmerge it" in caught.value.problems[0].message


def test_dutch_and_latvian_sheet_and_column_names_are_read(load: Load, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    nl = book.active
    nl.title = "Waarnemingen"
    nl.append(("Bedrijf", "Meting", "Waarde", "Eenheid", "Datum", "Bron", "Notitie"))
    nl.append(("Jansen", "greeting_rate", 0.8, None, "14-11-2026", "mystery shop", "drukte"))
    businesses = book.create_sheet("Bedrijven")
    businesses.append(("Bedrijf", "Naam", "Sector"))
    businesses.append(("Jansen", "Bakkerij Jansen", "retail"))
    path = tmp_path / "nl.xlsx"
    book.save(path)
    found = load(path)
    (obs,) = found.observations
    assert (obs.source, obs.note, obs.observed_at) == (
        "mystery shop",
        "drukte",
        datetime.date(2026, 11, 14),
    )
    assert found.businesses["Jansen"].sector == "retail"

    book = openpyxl.Workbook()
    lv = book.active
    lv.title = "Novērojumi"
    lv.append(("Uzņēmums", "Rādītājs", "Vērtība", "Mērvienība", "Datums", "Avots", "Piezīme"))
    lv.append(("Rīts", "greeting_rate", 80, "%", "14.11.2026.", "aptauja n=120", "rīts"))
    businesses = book.create_sheet("Uzņēmumi")
    businesses.append(("Uzņēmums", "Nosaukums", "Nozare"))
    businesses.append(("Rīts", "Kafejnīca Rīts", "restaurant"))
    path = tmp_path / "lv.xlsx"
    book.save(path)
    found = load(path)
    (obs,) = found.observations
    assert (obs.value, obs.source, obs.note) == (0.8, "aptauja n=120", "rīts")
    assert found.businesses["Rīts"].name == "Kafejnīca Rīts"


@pytest.mark.parametrize("written", ["1,250", "12,500"])
def test_a_comma_that_may_group_thousands_is_never_guessed(
    load: Load, tmp_path: Path, written: str
) -> None:
    path = _book(tmp_path / "audit.xlsx", [("A", "service_time_seconds", written, None)])
    with pytest.raises(ObservationError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert problem.field == "value"
    assert f"could be {written.replace(',', '.')} or {written.replace(',', '')}" in problem.message


@pytest.mark.parametrize("unit", [None, "ratio", "%"])
def test_a_percentage_cell_is_reported_in_percent_as_the_consultant_saw_it(
    load: Load, tmp_path: Path, unit: str | None
) -> None:
    # regression: a percentage cell with no unit (or "ratio") kept no entered unit, so the
    # report showed the base unit (0.78) where the consultant saw 78 %
    path = _book(
        tmp_path / "audit.xlsx",
        [("Bakkerij Jansen", "greeting_rate", 0.78, unit)],
        {"C2": "0%"},
    )
    (observation,) = load(path).observations
    assert observation.entered_unit == "%"
