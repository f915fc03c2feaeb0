"""Reading observations or business descriptions from CSV, as spreadsheets export it.

The separator is ``,``, ``;`` or a tab, told from the header line (a spreadsheet set to a
Dutch or Latvian locale writes ``;`` and decimal commas, which are then accepted). The file
must be UTF-8, with or without a byte-order mark. The first non-empty row is the header; rows
are numbered as the spreadsheet numbers them (header = row 1). Whether the file holds
observations or descriptions is told by its columns (:func:`~.table.table_kind`).

Rows are streamed from the file as the validator asks for them, so that a file of millions
of rows is never held in memory as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import count, repeat
from pathlib import Path

from servicekg.observations.files import file_error, not_utf8, read_bytes
from servicekg.observations.table import RawTable, Row, column_name, table_kind

__all__ = ["read_csv"]

_SEPARATORS = (",", ";", "\t")
_ENCODING = "utf-8-sig"


def read_csv(path: Path, label: str) -> list[RawTable]:
    """The one table of a CSV file (its rows are read lazily)."""
    header_row, header, separator = _header(path, label)
    columns = [column_name(cell) for cell in header]
    return [
        RawTable(
            kind=table_kind(columns),
            path=label,
            columns=columns,
            rows=_rows(path, label, separator, header_row),
            header_row=header_row,
            decimal_comma=separator == ";",
        )
    ]


def _header(path: Path, label: str) -> tuple[int, list[str], str]:
    """The header's row number, cells and separator; refuses a missing or empty file."""
    try:
        with path.open(encoding=_ENCODING, newline="") as stream:
            lines = enumerate(stream, start=1)
            for number, line in lines:
                if line.strip():
                    separator = max(_SEPARATORS, key=line.count)
                    # a quoted header cell may span lines: let csv read the record whole
                    rest = (text for _n, text in lines)
                    record = next(csv.reader(_chain(line, rest), delimiter=separator))
                    return number, record, separator
    except UnicodeDecodeError:
        raise file_error(label, not_utf8(path)) from None
    except csv.Error as error:
        raise file_error(label, f"is not readable as CSV: {error}") from None
    except OSError:
        read_bytes(path, label)  # says why: missing, a folder, unreadable
        raise
    raise file_error(label, "the file is empty")


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _rows(path: Path, label: str, separator: str, header_row: int) -> Iterator[Row]:
    with path.open(encoding=_ENCODING, newline="") as stream:
        reader = csv.reader(stream, delimiter=separator)
        try:
            for _header_record in zip(range(header_row), reader, strict=False):
                pass
            yield from zip(count(header_row + 1), reader, repeat(None))
        except UnicodeDecodeError:
            raise file_error(label, not_utf8(path)) from None
        except csv.Error as error:
            raise file_error(
                label, f"is not readable as CSV (line {reader.line_num}): {error}"
            ) from None
