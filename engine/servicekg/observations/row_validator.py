"""The typed checks of observations and business descriptions, one plain Python pass per row.

A :class:`Validator` takes the tables every reader produced, checks each row against the
metric catalogue and the sector codes, and collects every problem of every file. It keeps the
first of exact duplicates and refuses the same observation (business, metric, ``observed_at``)
given twice with different values, naming both rows, across files too.

It is written for speed (two million rows in seconds): metric specs, dates and business ids
are looked up once per distinct text and cached, the common row (a plain number in the
metric's unit) is checked inline, and no SPARQL or SHACL runs per row.

What is accepted:

* ``value``: a number (``0.85``, ``1e3``; a decimal comma in ``;``-separated CSV), finite and
  in the metric's range after conversion to its unit; ``85%`` is read as 85 with unit ``%``.
  A yes/no metric takes true/false, yes/no, 1/0, ja/nee, jā/nē (any case).
* ``unit``: empty (the metric's own) or a symbol that converts to it.
* ``observed_at``: ISO 8601, a date (``2024-05-01``) or a time (``2024-05-01T09:30``, with or
  without an offset), not in the future.
* ``business``: any text; surrounding spaces are dropped and it is put in Unicode NFC form, so
  that ``Kafejnīca`` typed on different keyboards is one business.
* ``sector``: a sector code of the ontology or ``other`` (any case).
* columns: those of :data:`~.table.OBSERVATION_COLUMNS`, in English, Dutch or Latvian
  (:mod:`~.aliases`), and the template's guidance columns, which are ignored; an unknown one is
  refused, so that a misspelt ``observed_onn`` is not silently ignored; a description may have
  any columns. A row with neither business nor value is a template row left blank.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Collection, Iterable, MutableMapping, Sequence

from servicekg.errors import ObservationError, Problem, UnknownTermError
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.observations.aliases import GUIDANCE_COLUMNS
from servicekg.observations.records import (
    Business,
    Observation,
    ObservationSet,
    Origin,
    new_observation,
    new_origin,
)
from servicekg.observations.table import (
    BUSINESS_COLUMNS,
    OBSERVATION_COLUMNS,
    REQUIRED_BUSINESS_COLUMNS,
    REQUIRED_OBSERVATION_COLUMNS,
    Percentage,
    RawTable,
)
from servicekg.observations.values import (
    ISO_FORMS,
    DateReader,
    MetricCheck,
    ValueReader,
    number_text,
    show,
    text,
)
from servicekg.problems import Problems

__all__ = ["OTHER_SECTOR", "Validator", "business_text"]

OTHER_SECTOR = "other"
"""The sector code for a business in none of the ontology's sectors."""

_ID_CACHE = 10_000
"""How many business cells :meth:`Validator.forget_observations` lets the id cache keep."""


class Validator:
    """Checks tables against the catalogue and the sector codes, keeping what passes.

    Feed it every file's tables with :meth:`check_file` (each call returns that file's
    problems), then take :meth:`result` only if no call returned any.
    """

    def __init__(
        self,
        catalogue: MetricCatalogue,
        sectors: Collection[str],
        now: datetime.datetime | None = None,
        businesses: MutableMapping[str, Business] | None = None,
    ) -> None:
        self._catalogue = catalogue
        self._sectors = sorted({*sectors, OTHER_SECTOR})
        self._dates = DateReader(now)
        self._metrics: dict[object, MetricCheck | str] = {}
        self._ids: dict[object, str] = {}
        self._observations: dict[tuple[str, str, object], Observation] = {}
        self._businesses: MutableMapping[str, Business] = {} if businesses is None else businesses

    def check_file(self, path: str, tables: Iterable[RawTable]) -> list[Problem]:
        """Check every table of one file, keep its good rows and return its problems.

        ``tables`` may be lazy: a reader that finds the file unreadable part-way raises
        :class:`ObservationError`, whose problems are returned with the others.
        """
        problems = Problems(path)
        try:
            for table in tables:
                problems.where = table.path
                if table.kind == "businesses":
                    self._check_businesses(table, problems)
                else:
                    self._check_observations(table, problems)
        except ObservationError as error:
            for problem in error.problems:
                problems.add(
                    problem.row,
                    problem.field,
                    problem.message,
                    problem.accepted,
                    path=problem.path,
                )
        return problems.all()

    def result(self) -> ObservationSet:
        """Everything kept so far (meaningful only when no check found a problem)."""
        return ObservationSet(dict(self._businesses), list(self._observations.values()))

    @property
    def businesses(self) -> MutableMapping[str, Business]:
        """The business descriptions kept so far, by id (in the mapping given, if one was)."""
        return self._businesses

    def business_id(self, raw: object) -> str:
        """A business cell as the id it stands for (trimmed, NFC); ``""`` when there is none."""
        return self._ids.get(raw) or self._business_id(raw)

    def forget_observations(self) -> None:
        """Drop the observations kept so far (their duplicates are no longer recognised).

        For a first pass over observations grouped by business: called when a business's
        rows are over, it keeps memory bounded.
        """
        self._observations.clear()
        if len(self._ids) > _ID_CACHE:
            self._ids.clear()

    # --- observations -----------------------------------------------------------------------

    def _check_observations(self, table: RawTable, problems: Problems) -> None:
        columns = _columns(
            table, (*OBSERVATION_COLUMNS, *GUIDANCE_COLUMNS), REQUIRED_OBSERVATION_COLUMNS, problems
        )
        if columns is None:
            return
        i_business, i_metric, i_value, i_unit, i_date, i_location, i_source, i_note = (
            columns.get(name, -1) for name in OBSERVATION_COLUMNS
        )
        f_business, f_metric, f_date = (
            table.fields.get(name, name) for name in ("business", "metric", "observed_at")
        )
        values = ValueReader(self._catalogue, problems, table.fields, table.decimal_comma)
        width, nameless, path = len(table.columns), _nameless(table), table.path
        metrics, ids, kept = self._metrics, self._ids, self._observations
        dates, read_date = self._dates.cache, self._dates.read
        known_metrics = self._catalogue.ids
        add = problems.add
        make, origin = new_observation, new_origin
        rows = 0

        for row, cells, label in table.rows:
            if len(cells) != width or nameless:
                fitted = _fit(cells, width, nameless, row, label, problems)
                if fitted is None:
                    rows += 1
                    continue
                cells = fitted
            raw = cells[i_business]
            business = ids.get(raw) or self._business_id(raw)
            if not business and (
                not any(text(cell) for cell in cells) or text(cells[i_value]) == ""
            ):
                continue  # an empty row, or a template's row left blank (no business, no value)
            rows += 1
            bad = not business
            if bad:
                add(row, f_business, "missing business id", label=label)

            raw = cells[i_metric]
            found = metrics.get(raw) or self._metric(raw)
            metric = None
            if isinstance(found, str):
                add(row, f_metric, found, known_metrics, label=label)
                bad = True
            else:
                metric = found

            value: float | bool | None = None
            entered: str | None = None
            if metric is not None:
                raw = cells[i_value]
                unit = cells[i_unit] if i_unit >= 0 else ""
                entered = _entered_unit(raw, unit, metric.unit)
                if type(raw) is str and metric.plain and (not unit or unit == metric.unit):
                    try:
                        value = float(raw)
                    except ValueError:
                        value = None
                    # the fast path: a finite number in range; anything else is read in full
                    if (
                        value is None
                        or value - value != 0.0
                        or not (metric.lowest <= value <= metric.highest)
                    ):
                        value = values.value(metric, raw, unit, row, label)
                else:
                    value = values.value(metric, raw, unit, row, label)
                if value is None:
                    bad = True

            when = None
            if i_date >= 0:
                raw = cells[i_date]
                if raw is not None and raw != "":
                    when = (dates.get(raw) if type(raw) is str else None) or read_date(raw)
                    if type(when) is str:
                        add(row, f_date, when, ISO_FORMS, label=label)
                        bad = True

            if bad or metric is None or value is None:
                continue
            key = (business, metric.id, when)
            previous = kept.get(key)
            if previous is None:
                location = (cells[i_location] or None) if i_location >= 0 else None
                if location is not None:
                    location = text(location) or None
                source = (cells[i_source] or None) if i_source >= 0 else None
                if source is not None:
                    source = text(source) or None
                note = (cells[i_note] or None) if i_note >= 0 else None
                if note is not None:
                    note = text(note) or None
                kept[key] = make(
                    business,
                    metric.id,
                    value,
                    metric.unit,
                    when,
                    location,
                    source,
                    note,
                    origin(path, row),
                    entered,
                )
            elif previous.value != value:
                add(
                    row, table.fields.get("value", "value"), _conflict(previous, value), label=label
                )

        if rows == 0:
            problems.add(
                table.header_row,
                None,
                "there are no observations in it"
                + (" (only a header)" if table.header_row is not None else ""),
            )

    def _business_id(self, raw: object) -> str:
        business = business_text(raw)
        if business:
            self._ids[raw] = business
        return business

    def _metric(self, raw: object) -> MetricCheck | str:
        """The check of the metric named ``raw``, or the message refusing the name."""
        name = text(raw)
        found: MetricCheck | str
        if not name:
            found = "missing metric"
        else:
            try:
                found = MetricCheck.of(self._catalogue[name], self._catalogue)
            except UnknownTermError as error:
                found = _did_you_mean(error)
        self._metrics[raw] = found
        return found

    # --- business descriptions ---------------------------------------------------------------

    def _check_businesses(self, table: RawTable, problems: Problems) -> None:
        columns = _columns(table, None, REQUIRED_BUSINESS_COLUMNS, problems)
        if columns is None:
            return
        i_business, i_name, i_sector, i_region = (
            columns.get(name, -1) for name in BUSINESS_COLUMNS
        )
        extras = [(name, i) for name, i in columns.items() if name not in BUSINESS_COLUMNS]
        width, nameless = len(table.columns), _nameless(table)
        f_business, f_sector = (table.fields.get(name, name) for name in ("business", "sector"))
        for row, cells, label in table.rows:
            if len(cells) != width or nameless:
                fitted = _fit(cells, width, nameless, row, label, problems)
                if fitted is None:
                    continue
                cells = fitted
            business = self._business_id(cells[i_business])
            if not business:
                if any(text(cell) for cell in cells):
                    problems.add(row, f_business, "missing business id", label=label)
                continue
            sector = _optional(cells, i_sector)
            if sector is not None:
                sector = sector.lower()
                if sector not in self._sectors:
                    message = _did_you_mean(UnknownTermError("sector", sector, self._sectors))
                    problems.add(row, f_sector, message, self._sectors, label=label)
                    continue
            described = Business(
                id=business,
                name=_optional(cells, i_name),
                sector=sector,
                region=_optional(cells, i_region),
                extra={name: found for name, i in extras if (found := _optional(cells, i))},
                origin=Origin(table.path, row),
            )
            previous = self._businesses.get(business)
            if previous is None:
                self._businesses[business] = described
            elif previous != described:
                problems.add(
                    row,
                    None,
                    f"{business!r} is described twice, differently: here and at "
                    f"{previous.origin}; keep one description",
                    label=label,
                )


def business_text(raw: object) -> str:
    """A business cell as the id it stands for: trimmed, in Unicode NFC (``""``: none).

    >>> business_text("  Kafejni\u0304ca ") == "Kafejn\u012bca"
    True
    """
    found = text(raw)
    return unicodedata.normalize("NFC", found) if found else ""


def _columns(
    table: RawTable,
    known: Sequence[str] | None,
    required: Sequence[str],
    problems: Problems,
) -> dict[str, int] | None:
    """Each named column's position, or ``None`` when a required one is missing.

    With ``known`` given, any other column is refused (with the close name it may mean).
    """
    position: dict[str, int] = {}
    header = table.header_row
    for i, name in enumerate(table.columns):
        if not name:
            continue
        if name in position:
            problems.add(header, name, f"the column {name!r} appears twice")
            continue
        position[name] = i
        if known is not None and name not in known:
            message = _did_you_mean(UnknownTermError("column", name, list(known)))
            problems.add(header, name, message, known)
    missing = [name for name in required if name not in position]
    if not missing:
        return position
    found = ", ".join(repr(c) for c in table.columns if c) or "none"
    what = "column" if len(missing) == 1 else "columns"
    problems.add(
        header,
        None,
        f"missing {what} {', '.join(repr(c) for c in missing)} for {table.kind}; "
        f"columns found: {found}",
        required,
    )
    return None


def _nameless(table: RawTable) -> list[int]:
    return [i for i, name in enumerate(table.columns) if not name]


def _fit(
    cells: Sequence[object],
    width: int,
    nameless: list[int],
    row: int | None,
    label: str | None,
    problems: Problems,
) -> Sequence[object] | None:
    """Cells padded to the header's width; ``None`` (and a problem) when a row has values
    beyond the header or under a column with no name."""
    if len(cells) > width and any(text(cell) for cell in cells[width:]):
        hint = " (a merged header cell? unmerge it and name each column)"
        if any(text(cell).isdigit() for cell in cells):
            hint = " (a decimal comma in a comma-separated file? quote the value or use ';')"
        problems.add(
            row,
            None,
            f"{len(cells)} values but the header names {width} columns{hint}",
            label=label,
        )
        return None
    fitted = list(cells[:width]) + [""] * (width - len(cells))
    for i in nameless:
        if text(fitted[i]):
            hint = " (a merged header cell? unmerge it and name each column)" if i else ""
            problems.add(
                row,
                None,
                f"value {show(fitted[i])} under a column with no name (column {i + 1}){hint}",
                label=label,
            )
            return None
    return fitted


def _conflict(previous: Observation, value: float | bool) -> str:
    when = previous.observed_at
    at = f"at {when.isoformat()}" if when is not None else "with no date"
    return (
        f"{previous.business!r} {previous.metric} observed {at} twice with different values: "
        f"{number_text(value)} here and {number_text(previous.value)} at {previous.origin}; "
        "keep one, or give each its own observed_at"
    )


def _optional(cells: Sequence[object], i: int) -> str | None:
    if i < 0:
        return None
    return text(cells[i]) or None


def _did_you_mean(error: UnknownTermError) -> str:
    """The error's text up to its list of known names (which goes into ``accepted``)."""
    return str(error).split("; known:", 1)[0]


def _entered_unit(raw: object, unit: object, own: str) -> str | None:
    """The unit a value was written in when it is not the metric's own (``min`` for seconds,
    ``%`` from the unit cell, a percentage cell of a workbook, or ``78%`` in the value cell)."""
    if isinstance(raw, Percentage):  # a percentage cell is read as %, whatever the unit says
        return "%" if own != "%" else None
    symbol = text(unit) or ("%" if type(raw) is str and raw.strip().endswith("%") else "")
    return symbol if symbol and symbol != own else None
