"""Loading observations: every format gives the same set; units convert; ids keep their letters."""

from __future__ import annotations

import csv
import datetime
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations import (
    Business,
    Observation,
    ObservationSet,
    Origin,
    sector_codes,
)

DATA = Path(__file__).parent / "data" / "observations"
RITS = 'Kafejnīca "Rīts"'
HOEKJE = "Bakkerij 't Hoekje"
PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))

Load = Callable[..., ObservationSet]


def _seen(
    business: str,
    metric: str,
    value: float | bool,
    unit: str,
    when: datetime.date | None,
    location: str | None = None,
    source: str | None = None,
    note: str | None = None,
) -> Observation:
    return Observation(business, metric, value, unit, when, location, source, note, Origin("", 0))


MARCH_1, JANUARY_15, MARCH_2 = (datetime.date(2024, m, d) for m, d in ((3, 1), (1, 15), (3, 2)))
MORNING = datetime.datetime(2024, 3, 2, 10, 30)
NOON_IN_RIGA = datetime.datetime(2024, 2, 20, 12, 0, tzinfo=PLUS_TWO)
EXPECTED_OBSERVATIONS = [
    _seen(RITS, "greeting_rate", 0.85, "ratio", MARCH_1, "Rīga", "mystery shop", "lunch rush"),
    _seen(RITS, "greeting_rate", 0.6, "ratio", JANUARY_15, "Rīga", "mystery shop"),
    _seen(RITS, "friendliness_score", 4.2, "score", MARCH_1, "Rīga", "customer survey"),
    _seen(HOEKJE, "service_time_seconds", 90.0, "s", MORNING, "Utrecht", "stopwatch"),
    _seen(HOEKJE, "has_problem_resolution_process", True, "bool", MARCH_2, "Utrecht", "interview",
          "asked the owner"),
    _seen("QuickBite Riga", "service_time_seconds", 75.0, "s", NOON_IN_RIGA, source="POS export"),
    _seen("QuickBite Riga", "complaint_rate", 3.0, "per_1000", datetime.date(2024, 2, 20)),
    _seen("Solo Observed", "retention_rate", 0.7, "ratio", None),
]  # fmt: skip
EXPECTED_BUSINESSES = {
    RITS: Business(RITS, "Kafejnīca Rīts SIA", "restaurant", "Rīga", {"owner": "Bērziņa"}),
    HOEKJE: Business(HOEKJE, "Bakkerij 't Hoekje BV", "retail", "Utrecht", {"owner": "Jansen"}),
    "QuickBite Riga": Business("QuickBite Riga", "QuickBite", "fast-food", "Rīga"),
}


def _workbook(folder: Path, first_sheet: str = "observations") -> Path:
    """The fixture data as an Excel workbook, with numbers and dates in typed cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = first_sheet
    sheet.append(
        ["Business", "Metric", "Value", "Unit", "Observed at", "Location", "Source", "Note"]
    )
    for seen in json.loads((DATA / "observations.json").read_text("utf-8"))["observations"]:
        when = seen.get("observed_at")
        if when and "+" not in when:  # Excel has no time zones: an offset stays text
            when = datetime.datetime.fromisoformat(when)
        sheet.append(
            [seen["business"], seen["metric"], seen["value"], seen.get("unit"), when,
             seen.get("location"), seen.get("source"), seen.get("note")]
        )  # fmt: skip
    described = book.create_sheet("businesses")
    with (DATA / "businesses.csv").open(encoding="utf-8", newline="") as rows:
        for row in csv.reader(rows):
            described.append(row)
    path = folder / "observations.xlsx"
    book.save(path)
    return path


FORMATS = {
    "csv": lambda folder: [DATA / "observations.csv", DATA / "businesses.csv"],
    "json": lambda folder: [DATA / "observations.json"],
    "yaml": lambda folder: [DATA / "observations.yaml"],
    "turtle": lambda folder: [DATA / "observations.ttl"],
    "json-ld": lambda folder: [DATA / "observations.jsonld"],
    "xlsx": lambda folder: [_workbook(folder)],
    "xlsx, first sheet": lambda folder: [_workbook(folder, first_sheet="Blad1")],
}


@pytest.mark.parametrize("kind", FORMATS)
def test_every_format_loads_the_same_observations(load: Load, tmp_path: Path, kind: str) -> None:
    found = load(*FORMATS[kind](tmp_path))
    assert found.observations == EXPECTED_OBSERVATIONS
    assert found.businesses == EXPECTED_BUSINESSES
    assert found == ObservationSet(EXPECTED_BUSINESSES, EXPECTED_OBSERVATIONS)


def test_origins_name_the_file_and_the_row_as_a_person_counts_it(
    load: Load, tmp_path: Path
) -> None:
    csv_set = load(DATA / "observations.csv", DATA / "businesses.csv")
    assert csv_set.observations[0].origin == Origin(str(DATA / "observations.csv"), 2)
    assert csv_set.businesses[HOEKJE].origin == Origin(str(DATA / "businesses.csv"), 3)
    book = _workbook(tmp_path)
    xlsx_set = load(book)
    assert xlsx_set.observations[-1].origin == Origin(f"{book}[observations]", 9)
    assert xlsx_set.businesses[RITS].origin == Origin(f"{book}[businesses]", 2)
    json_set = load(DATA / "observations.json")
    assert json_set.observations[1].origin == Origin(
        f"{DATA / 'observations.json'}[observations]", 2
    )
    turtle = load(DATA / "observations.ttl")
    assert turtle.observations[0].origin == Origin(str(DATA / "observations.ttl"), None)


def test_percent_converts_to_a_ratio_and_minutes_to_seconds(load: Load, tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_text(
        "business,metric,value,unit\n"
        "A,retention_rate,85,%\n"
        "B,retention_rate,85%,\n"
        "C,greeting_rate,7,per_1000\n"
        "D,queue_wait_seconds,2.5,min\n",
        encoding="utf-8",
    )
    found = load(data)
    assert [(o.value, o.unit) for o in found.observations] == [
        (0.85, "ratio"),
        (0.85, "ratio"),
        (0.007, "ratio"),
        (150.0, "s"),
    ]


def test_a_semicolon_csv_with_a_bom_and_decimal_commas(load: Load, tmp_path: Path) -> None:
    data = tmp_path / "excel-nl.csv"
    data.write_bytes(
        "business;metric;value;unit;observed_at\r\n"
        'Kafejnīca "Rīts";greeting_rate;0,85;;2024-03-01\r\n'
        "Bakkerij 't Hoekje;friendliness_score;4;score;2024-03-01\r\n".encode("utf-8-sig")
    )
    found = load(data)
    assert [(o.business, o.metric, o.value) for o in found.observations] == [
        (RITS, "greeting_rate", 0.85),
        (HOEKJE, "friendliness_score", 4.0),
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [("ja", True), ("Nee", False), ("jā", True), ("NĒ", False), ("yes", True), ("0", False),
     ("TRUE", True), ("no", False)],
)  # fmt: skip
def test_yes_and_no_in_english_dutch_and_latvian(
    load: Load, tmp_path: Path, written: str, expected: bool
) -> None:
    data = tmp_path / "flags.csv"
    data.write_text(f"business,metric,value\nA,has_problem_resolution_process,{written}\n", "utf-8")
    (seen,) = load(data).observations
    assert seen.value is expected


def test_latvian_and_dutch_ids_are_one_business_however_they_are_typed(
    load: Load, tmp_path: Path
) -> None:
    decomposed = "Kafejni\u0304ca"  # i + combining macron, as some keyboards write ī
    data = tmp_path / "ids.csv"
    data.write_text(
        "business,metric,value\n"
        f"Kafejnīca,greeting_rate,0.5\n"
        f" {decomposed} ,return_rate,0.1\n"
        "Bakkerij 't Hoekje,greeting_rate,0.7\n",
        encoding="utf-8",
    )
    found = load(data)
    assert found.facts("Kafejnīca") == {"greeting_rate": 0.5, "return_rate": 0.1}
    assert found.facts(HOEKJE) == {"greeting_rate": 0.7}


def test_facts_take_the_latest_observation(load: Load) -> None:
    found = load(DATA / "observations.csv")
    assert found.facts(RITS) == {"greeting_rate": 0.85, "friendliness_score": 4.2}
    assert found.facts("Solo Observed") == {"retention_rate": 0.7}
    assert "retention_rate" not in found.facts(RITS)  # not observed: absent, never a default


def test_exact_duplicates_are_kept_once_across_files(load: Load, tmp_path: Path) -> None:
    copy = tmp_path / "copy.csv"
    shutil.copy(DATA / "observations.csv", copy)
    found = load(DATA / "observations.csv", copy, DATA / "observations.json")
    assert found.observations == EXPECTED_OBSERVATIONS


def test_blank_rows_and_trailing_separators_of_a_spreadsheet_are_ignored(
    load: Load, tmp_path: Path
) -> None:
    data = tmp_path / "export.csv"
    data.write_text(
        "\nbusiness,metric,value,\nA,greeting_rate,0.5,\n,,,\n\nB,greeting_rate,0.6,\n", "utf-8"
    )
    found = load(data)
    assert [(o.business, o.origin.row) for o in found.observations] == [("A", 3), ("B", 6)]


def test_a_business_description_file_alone(load: Load) -> None:
    found = load(DATA / "businesses.csv")
    assert found.observations == []
    assert found.businesses == EXPECTED_BUSINESSES
    assert set(found.by_business()) == set(EXPECTED_BUSINESSES)


def test_sector_codes_come_from_the_knowledge_base(kb: KnowledgeBase) -> None:
    codes = sector_codes(kb)
    assert "fast-food" in codes
    assert codes == sorted(r["code"] for r in kb.select("SELECT ?code { ?s skg:sectorCode ?code }"))


def test_business_sector_other_is_always_accepted(load: Load, tmp_path: Path) -> None:
    data = tmp_path / "businesses.csv"
    data.write_text("business,sector\nGarage Jansen,Other\n", "utf-8")
    assert load(data).businesses["Garage Jansen"].sector == "other"


def test_no_files_load_nothing(load: Load) -> None:
    assert load() == ObservationSet({}, [])


def test_xlsx_rows_are_numbered_as_excel_shows_them(load: Load, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["B3"], sheet["C3"], sheet["D3"] = "business", "metric", "value"
    sheet["B5"], sheet["C5"], sheet["D5"] = HOEKJE, "greeting_rate", 0.5
    path = tmp_path / "offset.xlsx"
    book.save(path)
    (seen,) = load(path).observations
    assert seen.origin == Origin(f"{path}[Sheet]", 5)
