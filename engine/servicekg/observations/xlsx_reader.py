"""Reading observations and business descriptions from an Excel workbook (``.xlsx``).

Observations are read from the sheet named ``observations`` (any case), else from the first
sheet not named ``businesses``; descriptions from a sheet named ``businesses``. Each sheet's
first non-empty row is its header; rows are numbered as Excel shows them. Messages name the
sheet: ``book.xlsx[observations]:row 7``. Numbers, booleans and dates keep their cell types;
a date cell (a time of exactly midnight) is read as a date.
"""

from __future__ import annotations

import datetime
import warnings
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError as XmlParseError

from servicekg.observations.files import file_error, read_bytes
from servicekg.observations.table import RawTable, Row, column_name

__all__ = ["read_xlsx"]

_MIDNIGHT = datetime.time()

_NOT_A_WORKBOOK: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    XmlParseError,
    KeyError,
    ValueError,
    TypeError,
    OSError,
)
"""What openpyxl raises on a file that is not a sound workbook: not a zip, a truncated or
corrupt zip, a part that is not XML (``ParseError``) or has values of the wrong type
(``TypeError``), a missing part (``KeyError``); and openpyxl's ``InvalidFileException``
(openpyxl is imported when a workbook is read: it is a cold start's heaviest library)."""


def read_xlsx(path: Path, label: str) -> list[RawTable]:
    """The observations sheet and the businesses sheet (when there is one) of a workbook."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    read_bytes(path, label)  # a missing, unreadable or empty file is said as for the others
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of features it does not read
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                sheets = {name: _cells(book[name]) for name in book.sheetnames}
            finally:
                book.close()
    except (*_NOT_A_WORKBOOK, InvalidFileException) as error:
        raise file_error(
            label,
            f"is not an Excel workbook (.xlsx): {error}; re-save it as .xlsx (Excel 2007 or "
            "later), or export it as CSV UTF-8",
        ) from None
    by_name = {name.strip().lower(): name for name in sheets}
    observations = by_name.get("observations") or next(
        (name for name in sheets if name.strip().lower() != "businesses"), None
    )
    tables = []
    if observations is not None:
        tables.append(_table("observations", label, observations, sheets[observations]))
    if "businesses" in by_name:
        name = by_name["businesses"]
        tables.append(_table("businesses", label, name, sheets[name]))
    return tables


def _cells(sheet: object) -> list[tuple[object, ...]]:
    return [
        tuple(_value(cell) for cell in row)
        for row in sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    ]


def _value(cell: object) -> object:
    if isinstance(cell, datetime.datetime) and cell.time() == _MIDNIGHT and cell.tzinfo is None:
        return cell.date()
    return cell


def _table(kind: str, label: str, sheet: str, cells: list[tuple[object, ...]]) -> RawTable:
    where = f"{label}[{sheet}]"
    header_row = next(
        (n for n, row in enumerate(cells, start=1) if any(_filled(c) for c in row)), None
    )
    if header_row is None:
        raise file_error(where, f"the sheet {sheet!r} is empty")
    columns = [column_name(cell) for cell in cells[header_row - 1]]
    while columns and not columns[-1]:
        columns.pop()  # Excel often reports empty cells past the last column
    rows: list[Row] = [
        (n, row, None) for n, row in enumerate(cells[header_row:], start=header_row + 1)
    ]
    return RawTable(kind=kind, path=where, columns=columns, rows=rows, header_row=header_row)


def _filled(cell: object) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))
