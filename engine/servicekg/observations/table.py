"""The rows a reader hands to the validator: one table of observations or of businesses.

Every reader (CSV, XLSX, JSON, YAML, RDF) produces :class:`RawTable` objects; the validator
does not know which format they came from. Cells keep the type the format gave them (text from
CSV; numbers, booleans and dates from JSON, YAML and XLSX).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from servicekg.observations.aliases import canonical_column

__all__ = [
    "BUSINESS_COLUMNS",
    "OBSERVATION_COLUMNS",
    "REQUIRED_BUSINESS_COLUMNS",
    "REQUIRED_OBSERVATION_COLUMNS",
    "Percentage",
    "RawTable",
    "Row",
    "column_name",
    "table_kind",
]

OBSERVATION_COLUMNS = (
    "business",
    "metric",
    "value",
    "unit",
    "observed_at",
    "location",
    "source",
    "note",
)
REQUIRED_OBSERVATION_COLUMNS = ("business", "metric", "value")
BUSINESS_COLUMNS = ("business", "name", "sector", "region")
REQUIRED_BUSINESS_COLUMNS = ("business",)


class Percentage(float):
    """A number a workbook shows as a percentage: the ratio it stores (0.78 for 78 %).

    The value reader takes it as the percentage the consultant sees, whatever the ``unit``
    column says (``%``, ``ratio`` or nothing), so that 78 % is never read as 0.78 %.
    """

    __slots__ = ()


Row = tuple[int | None, Sequence[object], str | None]
"""A row number as a person counts it (``None`` where the format has none), the cells in the
order of the table's columns, and what to call the row in messages where the number says
nothing (an RDF node)."""


@dataclass
class RawTable:
    """One table read from one file: its columns (normalised names) and its rows.

    ``kind`` is ``"observations"`` or ``"businesses"``; ``path`` is the file as messages name
    it (with the sheet or section in brackets when a file holds both kinds); ``header_row`` is
    the row of the column names (``None`` where there is no header line).
    """

    kind: str
    path: str
    columns: list[str]
    rows: Iterable[Row]
    header_row: int | None = None
    decimal_comma: bool = False
    fields: dict[str, str] = field(default_factory=dict)
    """How messages name a column when it differs from the column (RDF properties)."""


def column_name(header: object) -> str:
    """A header as the loader matches it: trimmed, lower case, spaces and hyphens as ``_``, and
    a Dutch or Latvian name as the column it stands for (:mod:`~.aliases`).

    >>> column_name(" Observed At "), column_name("Waarde")
    ('observed_at', 'value')
    """
    return canonical_column("" if header is None else str(header))


def table_kind(columns: Iterable[str]) -> str:
    """Whether columns are those of observations or of business descriptions.

    A table with a ``metric`` or ``value`` column holds observations; one with ``business`` and
    any of ``name``, ``sector``, ``region`` but neither of those holds descriptions; anything
    else is taken for observations (and refused for its missing columns).
    """
    found = set(columns)
    if found & {"metric", "value"}:
        return "observations"
    if "business" in found and found & {"name", "sector", "region"}:
        return "businesses"
    return "observations"
