"""Reading observations and business descriptions from JSON or YAML documents.

Two shapes are accepted, in either format:

* a list of row objects (``[{"business": ..., "metric": ..., "value": ...}, ...]``): observations;
* an object ``{"observations": [...], "businesses": [...]}`` (either key may be left out).

Keys are matched like spreadsheet headers (``Observed At`` is ``observed_at``). Rows are
numbered from 1 in each list; with the second shape messages name the list:
``visits.json[businesses]:row 2``. Values keep the types the format gives them (YAML reads
``2024-05-01`` as a date, ``yes`` as true).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import yaml

from servicekg.errors import ObservationError, Problem
from servicekg.observations.files import file_error, read_text
from servicekg.observations.table import RawTable, Row, column_name

__all__ = ["read_json", "read_yaml"]

_SECTIONS = ("observations", "businesses")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_json(path: Path, label: str) -> list[RawTable]:
    """The tables of a JSON document."""
    text = read_text(path, label)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise file_error(
            label, f"is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    return _tables(document, label, "an object", "JSON")


def read_yaml(path: Path, label: str) -> list[RawTable]:
    """The tables of a YAML document."""
    text = read_text(path, label)
    try:
        document = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        detail = getattr(error, "problem", None) or str(error)
        raise file_error(label, f"is not valid YAML: {detail}{where}") from None
    return _tables(document, label, "a mapping", "YAML")


def _tables(document: object, label: str, mapping: str, language: str) -> list[RawTable]:
    if isinstance(document, list):
        return [_table("observations", label, document, mapping)]
    if isinstance(document, dict):
        unknown = [key for key in document if column_name(key) not in _SECTIONS]
        if unknown:
            raise ObservationError(
                [
                    Problem(label, None, str(key), f"unknown top-level key {str(key)!r}", _SECTIONS)
                    for key in unknown
                ]
            )
        tables = []
        for key, items in document.items():
            kind = column_name(key)
            where = f"{label}[{kind}]"
            if not isinstance(items, list):
                raise file_error(where, f"{key!r} must be a list of rows, each {mapping}")
            tables.append(_table(kind, where, items, mapping))
        return tables
    shown = "nothing" if document is None else f"a {type(document).__name__}"
    raise file_error(
        label,
        f"holds {shown}; a {language} observation file is a list of rows, or {mapping} "
        f"with the lists 'observations' and 'businesses'",
    )


def _table(kind: str, where: str, items: list[object], mapping: str) -> RawTable:
    columns: dict[str, None] = {}
    problems = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, dict):
            columns.update((column_name(key), None) for key in item)
        else:
            problems.append(
                Problem(where, n, None, f"a row must be {mapping} of fields, not {item!r}")
            )
    if problems:
        raise ObservationError(problems)
    names = list(columns)
    cell: Callable[[object], object] = _cell
    rows: list[Row] = []
    for n, item in enumerate(items, start=1):
        found = {column_name(key): value for key, value in item.items()}  # type: ignore[attr-defined]
        rows.append((n, tuple(cell(found.get(name)) for name in names), None))
    return RawTable(kind=kind, path=where, columns=names, rows=rows)


def _cell(value: object) -> object:
    """A value as one cell: nested lists and objects become their JSON text (and are then
    refused where a number or a date is needed)."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value
