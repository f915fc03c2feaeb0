"""Generated malformed observation files, in every format: each is refused with an error of the
servicekg family that names the file (or loads cleanly), never another exception; through the
CLI it exits 2 with no traceback; and a knowledge base it was loaded into is unchanged.

Inputs are made three ways: tables of tricky cells written properly in each format, the valid
fixture files of ``data/observations`` with random bytes cut, inserted or replaced, and raw
bytes. Hypothesis runs derandomized with no example database, so every run tries the same
inputs.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz import SETTINGS, examples
from servicekg.assessment.pipeline import run_assessment
from servicekg.cli import app
from servicekg.errors import EXIT_ERROR, EXIT_OK, ObservationError, ServiceKGError
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations import ObservationSet, load_observations, sector_codes

pytestmark = pytest.mark.fuzz

DATA = Path(__file__).parent / "data" / "observations"
FORMATS = (".csv", ".xlsx", ".json", ".yaml", ".ttl", ".jsonld")
FIXTURES = {
    ".csv": DATA / "observations.csv",
    ".json": DATA / "observations.json",
    ".yaml": DATA / "observations.yaml",
    ".ttl": DATA / "observations.ttl",
    ".jsonld": DATA / "observations.jsonld",
}


TRICKY = (
    "", " ", "NaN", "nan", "-NaN", "inf", "-inf", "Infinity", "1e309", "-1e309", "1e300",
    "-1e300", "1e-320", "0", "-0", "-1", "1,5", "1.5.5", "85%", "%", "abc%", "1_000", "0x10",
    "١٢٣", " 5 ", "2999-01-01", "2024-13-45", "2024-02-30", "9999-12-31T23:59:59+14:00",
    "0001-01-01", "yes", "jā", "nē", "maybe", "\x00", "\ufeff", "\u202e", "Rīgas maiznīca",
    "Café 't Hoekje", "<script>alert(1)</script>", '"', "'", "\n", "\r", ";", ",", "\t",
    "=1+1", "null", "true", "{}", "[]", "a" * 5000, "9" * 400,
)  # fmt: skip
COLUMNS = (
    "business", "metric", "value", "unit", "observed_at", "location", "source", "note", "name",
    "sector", "region", "Observed At", "BUSINESS", "", " ", "observed_on", "value",
)  # fmt: skip
UNITS = ("", "%", "s", "min", "h", "ratio", "score", "per_1000", "bool", "kg", "°C")
SECTORS = ("fast-food", "restaurant", "retail", "other", "Fast-Food", "bakery", "")


def _catalogue() -> MetricCatalogue:
    return MetricCatalogue.from_kb(KnowledgeBase.with_ontology())


CATALOGUE = _catalogue()
METRICS = (*CATALOGUE.ids[:12], "greeting-rate", "Greeting_Rate", "unknown_metric", "")


def cell_text() -> st.SearchStrategy[str]:
    """A cell as text: a tricky value, a number of any size, or any short text."""
    return st.one_of(
        st.sampled_from(TRICKY),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.integers().map(str),
        st.text(max_size=12),
    )


def cell_value() -> st.SearchStrategy[object]:
    """A cell as a typed value (JSON, YAML, XLSX keep types)."""
    return st.one_of(
        cell_text(),
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.dates(),
        st.datetimes(),
    )


@st.composite
def table(draw: st.DrawFn) -> tuple[list[str], list[list[object]]]:
    """A header of (mostly) known columns and rows of tricky cells, some of the wrong width."""
    columns = draw(
        st.one_of(
            st.just(["business", "metric", "value", "unit", "observed_at"]),
            st.lists(st.sampled_from(COLUMNS), min_size=0, max_size=7),
            st.lists(st.text(max_size=8), max_size=5),
        )
    )
    width = len(columns)

    def row() -> st.SearchStrategy[list[object]]:
        by_column: dict[str, st.SearchStrategy[object]] = {
            "business": st.one_of(st.sampled_from(TRICKY), st.text(max_size=10)),
            "metric": st.sampled_from(METRICS),
            "unit": st.sampled_from(UNITS),
            "sector": st.sampled_from(SECTORS),
        }
        cells = [by_column.get(name, cell_value()) for name in columns]
        fixed = st.tuples(*cells).map(list) if cells else st.just([])
        return st.one_of(fixed, st.lists(cell_value(), max_size=width + 2))

    rows = draw(st.lists(row(), max_size=6))
    return columns, rows


def _csv_bytes(columns: list[str], rows: list[list[object]], separator: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow(columns)
    writer.writerows([["" if c is None else str(c) for c in r] for r in rows])
    return out.getvalue().encode("utf-8", "surrogatepass")


def _document(columns: list[str], rows: list[list[object]]) -> list[dict[str, object]]:
    return [dict(zip(columns, r, strict=False)) for r in rows]


def _json_bytes(document: object) -> bytes:
    return json.dumps(document, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _yaml_bytes(document: object) -> bytes:
    text = yaml.safe_dump(_yaml_safe(document), allow_unicode=True)
    return text.encode("utf-8", "surrogatepass")


def _yaml_safe(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _yaml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_safe(v) for v in value]
    return value


def _xlsx_bytes(sheets: dict[str, tuple[list[str], list[list[object]]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, (columns, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([_xlsx_cell(c) for c in columns])
        for r in rows:
            sheet.append([_xlsx_cell(c) for c in r])
    out = io.BytesIO()
    book.save(out)
    return _fixed_times(out.getvalue())


def _fixed_times(workbook: bytes) -> bytes:
    """The workbook with its clock readings fixed, so that the same cells give the same bytes
    (hypothesis needs the same draws for the same input)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            content = source.read(name)
            if name == "docProps/core.xml":
                content = re.sub(rb">\d{4}-\d\d-\d\dT[^<]*<", b">2024-01-01T00:00:00Z<", content)
            target.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), content)
    return out.getvalue()


def _xlsx_cell(value: object) -> object:
    """What a spreadsheet can hold: no control characters, no numbers past 1e308."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")[:1000]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    if isinstance(value, datetime.date) and value.year < 1901:
        return value.isoformat()
    return value


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few slices cut, random bytes inserted or bytes replaced."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(("cut", "insert", "replace", "truncate")))
        if action == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(
                st.one_of(st.binary(max_size=8), st.sampled_from(TRICKY).map(str.encode))
            )
        elif action == "replace":
            data[at] = draw(st.integers(0, 255))
        else:
            del data[at:]
    return bytes(data)


@st.composite
def malformed(draw: st.DrawFn, suffix: str) -> bytes:
    """A malformed (or, by chance, valid) file of the kind ``suffix`` names."""
    columns, rows = draw(table())
    if suffix == ".csv":
        made = st.sampled_from((",", ";", "\t")).map(lambda sep: _csv_bytes(columns, rows, sep))
    elif suffix == ".json":
        made = st.sampled_from(("list", "sections", "other")).map(
            lambda shape: _json_bytes(_shaped(shape, columns, rows))
        )
    elif suffix == ".yaml":
        made = st.sampled_from(("list", "sections", "other")).map(
            lambda shape: _yaml_bytes(_shaped(shape, columns, rows))
        )
    elif suffix == ".xlsx":
        made = st.sampled_from(("observations", "businesses", "Sheet")).map(
            lambda name: _xlsx_bytes({name: (columns, rows)})
        )
    else:
        made = st.just(FIXTURES[suffix].read_bytes())
    original = FIXTURES.get(suffix, FIXTURES[".csv"]).read_bytes()
    if suffix == ".xlsx":
        original = _xlsx_bytes({"observations": (columns, rows)})
    return draw(
        st.one_of(
            made,
            mutated(draw(made) if suffix != ".xlsx" else original),
            mutated(original),
            st.binary(max_size=200),
            _zip_of_junk() if suffix == ".xlsx" else st.text(max_size=200).map(str.encode),
        )
    )


def _shaped(shape: str, columns: list[str], rows: list[list[object]]) -> object:
    rows_as_objects = _document(columns, rows)
    if shape == "list":
        return rows_as_objects
    if shape == "sections":
        return {"observations": rows_as_objects, "businesses": rows_as_objects[:2]}
    return rows[0][0] if rows and rows[0] else {"observations": "none"}


def _zip_of_junk() -> st.SearchStrategy[bytes]:
    def build(members: list[tuple[str, bytes]]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name, content in members:
                archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), content)
        return out.getvalue()

    names = st.sampled_from(
        ("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "junk.txt")
    )
    members = st.lists(
        st.tuples(names, st.binary(max_size=60)), max_size=4, unique_by=lambda m: m[0]
    )
    return members.map(build)


# --- the checks -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("malformed")


@pytest.fixture(scope="module")
def load(kb: KnowledgeBase) -> Callable[[Path], ObservationSet]:
    codes = sector_codes(kb)
    return lambda path: load_observations([path], CATALOGUE, codes)


def _refused_clearly(error: ServiceKGError, path: Path) -> None:
    """The error names the file; each problem names it (with the sheet or section)."""
    assert str(path) in str(error), str(error)
    if isinstance(error, ObservationError):
        assert error.problems
        for problem in error.problems:
            assert problem.path.startswith(str(path)), str(problem)
            assert problem.message.strip(), str(problem)
            if problem.row is not None:
                assert f"row {problem.row}" in str(problem)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", FORMATS)
def test_the_loader_refuses_malformed_files_with_a_clear_error(
    load: Callable[[Path], ObservationSet], folder: Path, suffix: str
) -> None:
    path = folder / f"input{suffix}"

    @settings(SETTINGS, max_examples=examples(300 if suffix not in (".ttl", ".jsonld") else 200))
    @given(data=malformed(suffix))
    def check(data: bytes) -> None:
        path.write_bytes(data)
        try:
            loaded = load(path)
        except ServiceKGError as error:
            _refused_clearly(error, path)
        else:
            assert isinstance(loaded, ObservationSet)

    check()


@pytest.mark.slow
def test_the_cli_exits_2_with_the_file_named_and_no_traceback(folder: Path) -> None:
    runner = CliRunner()

    @settings(SETTINGS, max_examples=examples(80))
    @given(suffix=st.sampled_from(FORMATS), data=st.data())
    def check(suffix: str, data: st.DataObject) -> None:
        path = folder / f"cli{suffix}"
        path.write_bytes(data.draw(malformed(suffix)))
        result = runner.invoke(app, ["assess", str(path), "--format", "json"])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        assert result.exit_code in (EXIT_OK, EXIT_ERROR), result.output
        assert "Traceback" not in result.output + result.stderr
        if result.exit_code == EXIT_ERROR:
            assert result.stderr.startswith("error:"), result.stderr
            assert path.name in result.stderr

    check()


@pytest.mark.slow
def test_a_refused_load_leaves_the_knowledge_base_unchanged(folder: Path) -> None:
    kb = KnowledgeBase.with_ontology()

    @settings(SETTINGS, max_examples=examples(80))
    @given(suffix=st.sampled_from(FORMATS), data=st.data())
    def check(suffix: str, data: st.DataObject) -> None:
        path = folder / f"kb{suffix}"
        path.write_bytes(data.draw(malformed(suffix)))
        before = set(kb.quads())
        try:
            run_assessment([path], kb=kb)
        except ServiceKGError:
            assert set(kb.quads()) == before

    check()
