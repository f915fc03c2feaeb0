"""Regression: with lxml installed (python-docx brings it), openpyxl parses with lxml, whose
XML errors are not the standard library's; a workbook with a broken part must still be refused
as not a workbook, naming the file, not end in a traceback."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from servicekg.errors import ServiceKGError
from servicekg.observations import ObservationSet


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "observations"
    sheet.append(["business", "metric", "value"])
    sheet.append(["b1", "service_time_seconds", 120])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_part(data: bytes, part: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == part else source.read(item))
    return out.getvalue()


@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"]
)
def test_a_workbook_with_a_part_that_is_not_xml_is_refused_clearly(
    load: Callable[[Path], ObservationSet], tmp_path: Path, part: str
) -> None:
    path = tmp_path / "audit.xlsx"
    path.write_bytes(_with_part(_workbook(), part, b""))
    with pytest.raises(ServiceKGError, match=r"audit\.xlsx.*not an Excel workbook"):
        load(path)
