"""Specific bad (and awkward but good) observation files, in every format: wrong encodings and
byte-order marks, empty files, a missing column, huge values, NaN and infinity, dates in the
future, Latvian and Dutch business names, Turtle that does not parse, XLSX that is not one.

Each refused file is refused by the loader with its file named and what is wrong, and by the
CLI with exit code 2 and no traceback; each accepted one loads and is assessed. The cases
complement ``data/observations/bad-input.yaml`` (which fixes every message of the common ones).
"""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result

from servicekg.assessment.pipeline import run_assessment
from servicekg.errors import EXIT_ERROR, ObservationError
from servicekg.observations import ObservationSet, business_iri

Load = Callable[..., ObservationSet]
HEAD = "business,metric,value,unit,observed_at\n"
RIGA = "Rīgas maiznīca"
HOEKJE = "Café 't Hoekje"
NEXT_YEAR = datetime.date.today().year + 1


def _workbook(rows: list[list[object]], title: str = "observations") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ttl(result: str, metric: str = "greeting_rate", extra: str = "") -> bytes:
    return (
        "@prefix sosa: <http://www.w3.org/ns/sosa/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix metric: <https://w3id.org/servicekg/metric/> .\n"
        "<https://example.org/o1> a sosa:Observation ;\n"
        "  sosa:hasFeatureOfInterest <https://w3id.org/servicekg/business/A> ;\n"
        f"  sosa:observedProperty metric:{metric} ;\n"
        f"  sosa:hasSimpleResult {result} {extra}.\n"
    ).encode()


GOOD_WORKBOOK = _workbook([["business", "metric", "value"], ["A", "greeting_rate", 0.5]])

REFUSED: list[tuple[str, str, bytes, str]] = [
    # (case, file name, content, what the message must say)
    (
        "CSV in UTF-16",
        "u16.csv",
        (HEAD + "A,greeting_rate,0.5,,\n").encode("utf-16"),
        r"not UTF-8 text \(byte 0xff on line 1\)",
    ),
    (
        "CSV in latin-1 with a Dutch name",
        "l1.csv",
        (HEAD + "Café,greeting_rate,0.5,,\n").encode("latin-1"),
        r"not UTF-8 text \(byte 0xe9 on line 2\)",
    ),
    (
        "JSON in UTF-16",
        "u16.json",
        json.dumps([{"business": "A"}]).encode("utf-16"),
        r"not UTF-8 text",
    ),
    (
        "YAML in latin-1",
        "l1.yaml",
        "- {business: Rīga}\n".encode().replace(b"\xc4\xab", b"\xee"),
        r"not UTF-8 text \(byte 0xee on line 1\)",
    ),
    ("Turtle in UTF-16", "u16.ttl", _ttl("0.5").decode().encode("utf-16"), r"does not parse"),
    ("an empty YAML file", "empty.yaml", b"", r"^the file is empty$"),
    ("an empty Turtle file", "empty.ttl", b"", r"^the file is empty$"),
    ("an empty JSON-LD file", "empty.jsonld", b"  \n", r"^the file is empty$"),
    ("an empty XLSX file", "empty.xlsx", b"", r"^the file is empty$"),
    ("a CSV with only a BOM", "bom-only.csv", b"\xef\xbb\xbf\n", r"the file is empty"),
    (
        "a CSV with no value column",
        "novalue.csv",
        b"business,metric\nA,greeting_rate\n",
        r"missing column 'value' for observations",
    ),
    (
        "a CSV with no business column",
        "nobusiness.csv",
        b"metric,value\ngreeting_rate,0.5\n",
        r"missing column 'business'",
    ),
    (
        "a huge rate",
        "huge.csv",
        (HEAD + "A,greeting_rate,1e308,,\n").encode(),
        r"out of range for greeting_rate",
    ),
    (
        "a number past the largest float",
        "inf.csv",
        (HEAD + "A,greeting_rate," + "9" * 400 + ",,\n").encode(),
        r"is not a finite number",
    ),
    (
        "NaN in JSON",
        "nan.json",
        b'[{"business": "A", "metric": "greeting_rate", "value": NaN}]',
        r"nan is not a finite number",
    ),
    (
        "infinity in JSON",
        "inf.json",
        b'[{"business": "A", "metric": "service_time_seconds", "value": Infinity}]',
        r"inf is not a finite number",
    ),
    (
        "NaN in YAML",
        "nan.yaml",
        b"- {business: A, metric: greeting_rate, value: .nan}\n",
        r"is not a finite number",
    ),
    (
        "-infinity in YAML",
        "inf.yaml",
        b"- {business: A, metric: service_time_seconds, value: -.inf}\n",
        r"is not a finite number",
    ),
    ("NaN in Turtle", "nan.ttl", _ttl('"NaN"^^xsd:double'), r"not a finite number"),
    (
        "INF in Turtle",
        "inf.ttl",
        _ttl('"INF"^^xsd:double', "service_time_seconds"),
        r"not a finite number",
    ),
    (
        "a date in the future in CSV",
        "future.csv",
        (HEAD + f"A,greeting_rate,0.5,,{NEXT_YEAR}-01-01\n").encode(),
        r"lies in the future",
    ),
    (
        "a time in the future in YAML",
        "future.yaml",
        (
            "- {business: A, metric: greeting_rate, value: 0.5, "
            f"observed_at: {NEXT_YEAR}-01-01T10:00:00}}"
        ).encode(),
        r"lies in the future",
    ),
    (
        "a date in the future in XLSX",
        "future.xlsx",
        _workbook(
            [
                ["business", "metric", "value", "observed_at"],
                ["A", "greeting_rate", 0.5, datetime.datetime(NEXT_YEAR, 1, 1)],
            ]
        ),
        r"lies in the future",
    ),
    (
        "a date in the future in Turtle",
        "future.ttl",
        _ttl("0.5", extra=f'; sosa:resultTime "{NEXT_YEAR}-01-01"^^xsd:date '),
        r"lies in the future",
    ),
    (
        "Turtle that does not parse",
        "broken.ttl",
        _ttl("0.5").replace(b" ;\n", b" \n", 1),
        r"does not parse: line \d+",
    ),
    (
        "Turtle with an undeclared prefix",
        "prefix.ttl",
        _ttl("0.5").replace(b"@prefix sosa", b"@prefix sosb"),
        r"does not parse",
    ),
    ("JSON-LD that is not JSON", "broken.jsonld", b'{"@context": {', r"does not parse"),
    (
        "a text file named .xlsx",
        "notes.xlsx",
        (HEAD + "A,greeting_rate,0.5,,\n").encode(),
        r"is not an Excel workbook \(\.xlsx\).*export it as CSV UTF-8",
    ),
    (
        "a truncated workbook",
        "truncated.xlsx",
        GOOD_WORKBOOK[: len(GOOD_WORKBOOK) // 2],
        r"is not an Excel workbook",
    ),
    ("a workbook whose end is cut", "cut.xlsx", GOOD_WORKBOOK[:-30], r"is not an Excel workbook"),
    (
        "a zip that is not a workbook",
        "other.xlsx",
        b"PK\x05\x06" + b"\x00" * 18,
        r"is not an Excel workbook",
    ),
    (
        "a workbook missing a part",
        "missing.xlsx",
        GOOD_WORKBOOK.replace(b"[Content_Types].xml", b"[Content_Types].xmX"),
        r"is not an Excel workbook",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_fault(
    load: Load, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ObservationError) as caught:
        load(path)
    problems = caught.value.problems
    assert all(p.path.startswith(str(path)) for p in problems), caught.value
    assert any(re.search(message, p.message) for p in problems), caught.value


@pytest.mark.parametrize(
    ("name", "content"),
    [case[1:3] for case in REFUSED[::3]],
    ids=[case[0] for case in REFUSED[::3]],
)
def test_the_cli_refuses_a_bad_file_with_exit_code_2_and_no_traceback(
    run_cli: Callable[..., Result], tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("assess", str(path))
    assert result.exit_code == EXIT_ERROR
    assert result.stderr.startswith("error:")
    assert name in result.stderr
    assert "Traceback" not in result.output


# --- awkward but good -----------------------------------------------------------------------

NAMES_ROWS = [
    [RIGA, "greeting_rate", 0.4, "2024-03-01"],
    [HOEKJE, "service_time_seconds", 400, "2024-03-01"],
    ["  Bakkerij de Zon  ", "greeting_rate", 0.9, ""],
    ["Ķekava Ēdnīca Nr. 1", "friendliness_score", 2.0, ""],
]


def _csv(rows: list[list[object]], bom: bool = False) -> bytes:
    text = "business,metric,value,observed_at\n" + "".join(
        ",".join(f'"{c}"' if "'" in str(c) or " " in str(c) else str(c) for c in row) + "\n"
        for row in rows
    )
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def _json(rows: list[list[object]], bom: bool = False) -> bytes:
    keys = ("business", "metric", "value", "observed_at")
    text = json.dumps([dict(zip(keys, row, strict=True)) for row in rows], ensure_ascii=False)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def _yaml(rows: list[list[object]], bom: bool = False) -> bytes:
    text = "".join(
        f"- {{business: {json.dumps(b, ensure_ascii=False)}, metric: {m}, value: {v}"
        + (f", observed_at: {d}" if d else "")
        + "}\n"
        for b, m, v, d in rows
    )
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def _xlsx(rows: list[list[object]], bom: bool = False) -> bytes:
    return _workbook([["Business", "Metric", "Value", "Observed at"], *rows])


def _turtle(rows: list[list[object]], bom: bool = False) -> bytes:
    body = "".join(
        f'[] a sosa:Observation ; sosa:hasFeatureOfInterest [ schema:identifier "{b}" ] ;\n'
        f"  sosa:observedProperty metric:{m} ; sosa:hasSimpleResult {float(v)} "
        + (f'; sosa:resultTime "{d}"^^xsd:date ' if d else "")
        + ".\n"
        for b, m, v, d in rows
    )
    text = (
        "@prefix sosa: <http://www.w3.org/ns/sosa/> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix metric: <https://w3id.org/servicekg/metric/> .\n" + body
    )
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


WRITERS = {".csv": _csv, ".json": _json, ".yaml": _yaml, ".xlsx": _xlsx, ".ttl": _turtle}


@pytest.mark.parametrize(
    ("suffix", "bom"),
    [
        (suffix, bom)
        for suffix in WRITERS
        for bom in (False, True)
        if not (bom and suffix == ".xlsx")
    ],
    ids=lambda value: ("with BOM" if value else "utf-8") if isinstance(value, bool) else value,
)  # a workbook has no byte-order mark
def test_latvian_and_dutch_names_load_in_every_format(
    load: Load, tmp_path: Path, suffix: str, bom: bool
) -> None:
    path = tmp_path / f"names{suffix}"
    path.write_bytes(WRITERS[suffix](NAMES_ROWS, bom=bom))
    loaded = load(path)
    assert sorted({o.business for o in loaded.observations}) == sorted(
        [RIGA, HOEKJE, "Bakkerij de Zon", "Ķekava Ēdnīca Nr. 1"]
    )


def test_a_name_typed_decomposed_is_the_same_business(load: Load, tmp_path: Path) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", RIGA)
    assert decomposed != RIGA
    path = tmp_path / "nfd.csv"
    path.write_bytes(
        _csv(
            [[RIGA, "greeting_rate", 0.4, "2024-03-01"], [decomposed, "friendliness_score", 2, ""]]
        )
    )
    assert {o.business for o in load(path).observations} == {RIGA}


def test_names_with_spaces_and_accents_are_assessed_explained_and_queryable(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "names.csv"
    path.write_bytes(_csv(NAMES_ROWS))
    run = run_assessment([path])
    assert {b.business for b in run.report.businesses} >= {RIGA, HOEKJE}
    assert not run.report.failed
    (rows,) = run.kb.select(
        "SELECT (COUNT(?a) AS ?n) WHERE { ?a a skg:Assessment ; skg:assessedBusiness ?b }",
    )
    assert rows["n"] == len(run.report.businesses)
    assert " " not in business_iri(HOEKJE)
    explained = run_cli("explain", HOEKJE, "--data", str(path))
    assert explained.exit_code == 0, explained.output
    assert "Service is slow" in explained.output or "slow" in explained.output.lower()
    as_json = run_cli("assess", str(path), "--format", "json")
    assert as_json.exit_code == 0
    names = {b["business"] for b in json.loads(as_json.stdout)["businesses"]}
    assert {RIGA, HOEKJE} <= names


def test_a_huge_value_of_an_unbounded_metric_is_assessed_not_crashed(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_bytes(
        (HEAD + "A,service_time_seconds,1e300,,\nB,service_time_seconds,60,,\n").encode()
    )
    report = run_assessment([path]).report
    assert not report.failed
    assert [r.rule.iri.rsplit("/", 1)[-1] for r in report.business("A").recommendations] == [
        "slow-service"
    ]


# --- regressions: each case failed before its fix -----------------------------------------


def _workbook_with_part(name: str, change: Callable[[bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(GOOD_WORKBOOK))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.namelist():
            content = source.read(member)
            target.writestr(member, change(content) if member == name else content)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        _workbook_with_part("[Content_Types].xml", lambda _: b"\x9a%/"),
        _workbook_with_part("xl/workbook.xml", lambda xml: xml[: len(xml) // 2]),
        _workbook_with_part("xl/styles.xml", lambda xml: re.sub(rb'="[^"]*"', b'="zz"', xml)),
    ],
    ids=["a part that is not XML", "a part cut short", "a part with values of the wrong type"],
)
def test_a_workbook_with_a_corrupt_part_is_refused_not_crashed(
    load: Load, tmp_path: Path, content: bytes
) -> None:
    # openpyxl raised xml.etree.ElementTree.ParseError and TypeError, which escaped the loader
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(content)
    with pytest.raises(ObservationError, match=r"corrupt\.xlsx: is not an Excel workbook"):
        load(path)


def test_a_huge_value_that_overflows_when_converted_is_refused(load: Load, tmp_path: Path) -> None:
    # 1e307 minutes is infinity in seconds: it passed the loader and failed in the rules engine
    path = tmp_path / "minutes.csv"
    path.write_bytes((HEAD + "A,service_time_seconds,1e307,min,\n").encode())
    with pytest.raises(ObservationError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.field) == (2, "value")
    assert "1e307 min (= inf s) is out of range for service_time_seconds" in problem.message


def test_a_turtle_file_with_a_byte_order_mark_loads(load: Load, tmp_path: Path) -> None:
    # Windows Notepad saves UTF-8 with a BOM; pyoxigraph's Turtle parser refused it
    path = tmp_path / "bom.ttl"
    path.write_bytes(_turtle(NAMES_ROWS, bom=True))
    assert {o.business for o in load(path).observations} >= {RIGA, HOEKJE}
