"""Reading observations and business descriptions from an Excel workbook (``.xlsx``).

Observations are read from the sheet named ``observations`` (any case; or ``Waarnemingen``,
``Novērojumi`` and the other names of :mod:`~.aliases`), else from the first sheet that is not
a businesses, instructions or metrics sheet; descriptions from a sheet named ``businesses``
(``Bedrijven``, ``Uzņēmumi``). A sheet's header is its first row naming a known column (a title
row above it, merged or not, is skipped), else its first non-empty row; rows are numbered as
Excel shows them. Messages name the sheet: ``book.xlsx[observations]:row 7``.

Cells are read as Excel shows them, not as it stores them:

* a number formatted as a percentage (Excel stores 78 % as 0.78) is a :class:`Percentage`;
* a date cell is a date (a time of exactly midnight) or a time; a plain number in the
  ``observed_at`` column is an Excel date serial number (46340 is 2026-11-14);
* text cells keep their text, where a decimal comma (``37,5``) is accepted.
"""

from __future__ import annotations

import datetime
import warnings
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError as XmlParseError

from servicekg.observations.aliases import COLUMN_ALIASES, canonical_sheet
from servicekg.observations.files import file_error, read_bytes
from servicekg.observations.table import Percentage, RawTable, Row, column_name

__all__ = ["read_xlsx"]

_MIDNIGHT = datetime.time()

_NOT_A_WORKBOOK: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    XmlParseError,
    SyntaxError,  # lxml's XMLSyntaxError: openpyxl parses with lxml once it is installed
    NotImplementedError,  # a zip member packed with a compression method zipfile lacks
    KeyError,
    ValueError,
    TypeError,
    OSError,
)
"""What openpyxl raises on a file that is not a sound workbook: not a zip, a truncated or
corrupt zip or one packed in a way zipfile cannot read, a part that is not XML (``ParseError``,
or lxml's ``XMLSyntaxError`` once lxml is installed, as python-docx installs it) or has values
of the wrong type (``TypeError``), a missing part (``KeyError``); and openpyxl's
``InvalidFileException`` (openpyxl is imported when a workbook is read: it is a cold start's
heaviest library)."""


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
                epoch = book.epoch
            finally:
                book.close()
    except (*_NOT_A_WORKBOOK, InvalidFileException) as error:
        raise file_error(
            label,
            f"is not an Excel workbook (.xlsx): {error}; re-save it as .xlsx (Excel 2007 or "
            "later), or export it as CSV UTF-8",
        ) from None
    by_kind: dict[str, str] = {}
    for name in sheets:
        kind = canonical_sheet(name)
        if kind is not None:
            by_kind.setdefault(kind, name)
    observations = by_kind.get("observations") or next(
        (name for name in sheets if canonical_sheet(name) not in _OTHER_SHEETS), None
    )
    tables = []
    if observations is not None:
        tables.append(_table("observations", label, observations, sheets[observations], epoch))
    if "businesses" in by_kind:
        name = by_kind["businesses"]
        tables.append(_table("businesses", label, name, sheets[name], epoch))
    return tables


_OTHER_SHEETS = ("businesses", "instructions", "metrics", "sectors")
_KNOWN_COLUMNS = frozenset(COLUMN_ALIASES)


def _cells(sheet: object) -> list[tuple[object, ...]]:
    return [
        tuple(_value(cell) for cell in row)
        for row in sheet.iter_rows()  # type: ignore[attr-defined]
    ]


def _value(cell: object) -> object:
    value = getattr(cell, "value", None)
    if isinstance(value, datetime.datetime):
        if value.time() == _MIDNIGHT and value.tzinfo is None:
            return value.date()
        return value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in (getattr(cell, "number_format", None) or "")
    ):
        return Percentage(value)
    return value


def _table(
    kind: str, label: str, sheet: str, cells: list[tuple[object, ...]], epoch: datetime.datetime
) -> RawTable:
    where = f"{label}[{sheet}]"
    filled = [n for n, row in enumerate(cells, start=1) if any(_filled(c) for c in row)]
    if not filled:
        raise file_error(where, f"the sheet {sheet!r} is empty")
    # the first row naming a known column; a title row above the header (often merged) is not it
    header_row = next(
        (n for n in filled if _KNOWN_COLUMNS & {column_name(c) for c in cells[n - 1]}),
        filled[0],
    )
    columns = [column_name(cell) for cell in cells[header_row - 1]]
    while columns and not columns[-1]:
        columns.pop()  # Excel often reports empty cells past the last column
    body = cells[header_row:]
    if "observed_at" in columns:
        body = _serial_dates(body, columns.index("observed_at"), epoch)
    rows: list[Row] = [(n, row, None) for n, row in enumerate(body, start=header_row + 1)]
    return RawTable(
        kind=kind,
        path=where,
        columns=columns,
        rows=rows,
        header_row=header_row,
        decimal_comma=True,
    )


def _serial_dates(
    rows: list[tuple[object, ...]], i: int, epoch: datetime.datetime
) -> list[tuple[object, ...]]:
    """Rows with a plain number in column ``i`` read as the Excel date serial it is."""
    fixed = []
    for row in rows:
        cell = row[i] if i < len(row) else None
        if isinstance(cell, int | float) and not isinstance(cell, bool) and 0 < cell < 2958466:
            from openpyxl.utils.datetime import from_excel

            moment = from_excel(float(cell), epoch)
            row = (*row[:i], _value(_Cell(moment)), *row[i + 1 :])
        fixed.append(row)
    return fixed


class _Cell:
    """A stand-in for a worksheet cell holding ``value``."""

    number_format = "General"

    def __init__(self, value: object) -> None:
        self.value = value


def _filled(cell: object) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))
