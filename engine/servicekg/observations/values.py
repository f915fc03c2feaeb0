"""Reading one cell's value: numbers, yes/no, units, dates, and the messages that refuse them.

The validator's row loop handles the common case itself (a plain number in the metric's own
unit, in range) and calls :meth:`ValueReader.value` for everything else, which reads the value
in full and says what is wrong with it. Dates are read by :class:`DateReader`, once per
distinct text.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from servicekg.graph.catalogue import MetricCatalogue, MetricSpec
from servicekg.observations.table import Percentage
from servicekg.problems import Problems

__all__ = [
    "BOOLEAN_WORDS",
    "ISO_FORMS",
    "DateReader",
    "MetricCheck",
    "ValueReader",
    "number_text",
    "show",
    "text",
]

BOOLEAN_WORDS: dict[str, bool] = {
    "true": True,
    "false": False,
    "yes": True,
    "no": False,
    "1": True,
    "0": False,
    "ja": True,
    "nee": False,
    "jā": True,
    "nē": False,
}
"""How a yes/no value may be written (compared in lower case)."""

ISO_FORMS = (
    "YYYY-MM-DD",
    "YYYY-MM-DDThh:mm[:ss]",
    "YYYY-MM-DDThh:mm[:ss]+hh:mm",
    "DD-MM-YYYY",
    "DD.MM.YYYY",
)
"""The forms ``observed_at`` is accepted in, as messages say them: ISO 8601, and a day as
people write it in the Netherlands (``14-11-2026``) and Latvia (``14.11.2026``, with or
without the final dot)."""

_GROUPED = re.compile(r"-?[1-9]\d{0,2},\d{3}")
"""A number with one comma before three digits: a decimal comma or a thousands separator."""

_DAY_FIRST = re.compile(r"(\d{1,2})([-.])(\d{1,2})\2(\d{4})\.?")


@dataclass(frozen=True)
class MetricCheck:
    """What the checks of a value need to know of its metric, worked out once per metric."""

    spec: MetricSpec
    id: str
    unit: str
    lowest: float
    highest: float
    units: frozenset[str]
    accepted_range: str
    boolean: bool
    plain: bool  # a decimal metric: any finite number in range will do

    @classmethod
    def of(cls, spec: MetricSpec, catalogue: MetricCatalogue) -> MetricCheck:
        """The check of ``spec``, with the units its values may be written in."""
        return cls(
            spec=spec,
            id=spec.id,
            unit=spec.unit,
            lowest=-math.inf if spec.minimum is None else spec.minimum,
            highest=math.inf if spec.maximum is None else spec.maximum,
            units=frozenset(catalogue.units_for(spec)),
            accepted_range=spec.accepted_range(),
            boolean=spec.is_boolean,
            plain=spec.datatype == "decimal",
        )


class ValueReader:
    """Reads the ``value`` and ``unit`` cells of one table's rows, reporting what is wrong."""

    def __init__(
        self,
        catalogue: MetricCatalogue,
        problems: Problems,
        fields: Mapping[str, str],
        decimal_comma: bool,
    ) -> None:
        self._catalogue = catalogue
        self._problems = problems
        self._value_field = fields.get("value", "value")
        self._unit_field = fields.get("unit", "unit")
        self._decimal_comma = decimal_comma

    def value(
        self, metric: MetricCheck, raw: object, unit: object, row: int | None, label: str | None
    ) -> float | bool | None:
        """The value in the metric's own unit, or ``None`` once its problems are reported."""
        symbol = text(unit) or None
        if isinstance(raw, Percentage) and not metric.boolean:
            # a percentage cell: Excel stores 78 % as 0.78; read it as the 78 % shown
            shown = _tidy(float(raw) * 100)
            if symbol not in (None, "%", "ratio"):
                self._problems.add(
                    row,
                    self._unit_field,
                    f"the cell shows {number_text(shown)}% (formatted as a percentage) but the "
                    f"unit says {symbol!r}",
                    ("%", "ratio", "(empty)"),
                    label=label,
                )
                return None
            raw, symbol = shown, "%"
        if isinstance(raw, str) and raw.strip().endswith("%") and not metric.boolean:
            raw = raw.strip()[:-1].strip()
            if symbol not in (None, "%"):
                self._problems.add(
                    row,
                    self._unit_field,
                    f"the value {raw}% is in % but the unit says {symbol!r}",
                    sorted(metric.units),
                    label=label,
                )
                return None
            symbol = "%"
        unit_fits = symbol is None or symbol in metric.units
        if not unit_fits:
            kind = "a yes/no metric" if metric.boolean else f"measured in {metric.unit!r}"
            self._problems.add(
                row,
                self._unit_field,
                f"unit {symbol!r} does not fit {metric.id} ({kind})",
                sorted(metric.units),
                label=label,
            )
        if metric.boolean:
            found = self._boolean(metric, raw, row, label)
            return found if unit_fits else None
        number = self._number(metric, raw, row, label)
        if number is None or not unit_fits:
            return None
        if symbol is not None and symbol != metric.unit:
            number = _tidy(self._catalogue.convert(metric.spec, number, symbol))
        # a huge number in a large unit can overflow to infinity once converted
        if not (math.isfinite(number) and metric.lowest <= number <= metric.highest):
            self._out_of_range(metric, raw, symbol, number, row, label)
            return None
        if not metric.plain and not number.is_integer():
            self._problems.add(
                row,
                self._value_field,
                f"{show(raw)} is not a whole number, as {metric.id} must be",
                (metric.accepted_range,),
                label=label,
            )
            return None
        return number

    def _boolean(
        self, metric: MetricCheck, raw: object, row: int | None, label: str | None
    ) -> bool | None:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int | float) and raw in (0, 1):
            return bool(raw)
        found = BOOLEAN_WORDS.get(raw.strip().lower()) if isinstance(raw, str) else None
        if found is None:
            said = "missing value" if text(raw) == "" else f"{show(raw)} is not a yes/no value"
            self._problems.add(
                row,
                self._value_field,
                f"{said} for {metric.id}",
                tuple(BOOLEAN_WORDS),
                label=label,
            )
        return found

    def _number(
        self, metric: MetricCheck, raw: object, row: int | None, label: str | None
    ) -> float | None:
        """A finite number, or ``None`` once the problem is reported."""
        number: float | None = None
        hint = ""
        if isinstance(raw, bool):
            hint = f" ({metric.id} is a number, not yes/no)"
        elif isinstance(raw, int | float):
            number = float(raw)
        elif isinstance(raw, str):
            written = raw.strip()
            if self._decimal_comma and "," in written and "." not in written:
                if _GROUPED.fullmatch(written):
                    # 1,250 is 1.25 in Dutch and Latvian but 1250 in English: never guess
                    whole = written.replace(",", "")
                    self._problems.add(
                        row,
                        self._value_field,
                        f"{written!r} could be {written.replace(',', '.')} or {whole}: "
                        f"write {whole} or {written.replace(',', '.')}",
                        (metric.accepted_range,),
                        label=label,
                    )
                    return None
                written = written.replace(",", ".", 1)
            try:
                number = float(written)
            except ValueError:
                if "," in written:
                    hint = " (write a decimal point, or save the CSV with ';' separators)"
        if number is not None and math.isfinite(number):
            return number
        if text(raw) == "":
            message = f"missing value for {metric.id}"
        elif number is not None:
            message = f"{show(raw)} is not a finite number"
        else:
            message = f"{show(raw)} is not a number{hint}"
        accepted = (metric.accepted_range,) if number is not None else ()
        self._problems.add(row, self._value_field, message, accepted, label=label)
        return None

    def _out_of_range(
        self,
        metric: MetricCheck,
        raw: object,
        symbol: str | None,
        value: float,
        row: int | None,
        label: str | None,
    ) -> None:
        if symbol is not None and symbol != metric.unit:
            factor = self._catalogue.convert(metric.spec, 1.0, symbol)
            written = _range_text(metric.lowest / factor, metric.highest / factor)
            self._problems.add(
                row,
                self._value_field,
                f"{show(raw)} {symbol} (= {number_text(value)} {metric.unit}) is out of range "
                f"for {metric.id}",
                (f"{metric.accepted_range} {metric.unit}", f"{written} {symbol}"),
                label=label,
            )
        else:
            hint = ""
            if metric.unit == "ratio" and 5 <= value <= 100 and "%" in metric.units:
                # 64 for a rate of 0..1 is a percentage written without its unit (1.4 may be a typo)
                hint = (
                    f" (a ratio from 0 to 1): write {show(raw)} with unit %, or "
                    f"{number_text(_tidy(value / 100))}"
                )
            self._problems.add(
                row,
                self._value_field,
                f"{show(raw)} is out of range for {metric.id}{hint}",
                (metric.accepted_range,),
                label=label,
            )


class DateReader:
    """Reads ``observed_at``: ISO 8601 and not in the future, each distinct text once."""

    def __init__(self, now: datetime.datetime | None = None) -> None:
        moment = now if now is not None else datetime.datetime.now(datetime.UTC)
        if moment.tzinfo is None:
            moment = moment.astimezone()
        self._now_utc = moment.astimezone(datetime.UTC)
        self._now_local = moment.astimezone().replace(tzinfo=None)
        self._today = self._now_local.date()
        self.cache: dict[str, datetime.date | str] = {}
        """Text -> its date or time, or the message refusing it."""

    def read(self, raw: object) -> datetime.date | str:
        """A date or time, or the message saying why ``raw`` is not one."""
        if isinstance(raw, str):
            written = raw.strip()
            day_first = _DAY_FIRST.fullmatch(written)
            try:
                if day_first is not None:
                    day, _sep, month, year = day_first.groups()
                    moment: datetime.date = datetime.date(int(year), int(month), int(day))
                elif len(written) <= 10:
                    moment = datetime.date.fromisoformat(written)
                else:
                    moment = datetime.datetime.fromisoformat(written)
            except ValueError:
                found: datetime.date | str = (
                    f"{written!r} is not a date or time (ISO 8601, or day-month-year)"
                )
            else:
                found = self._not_future(moment, written)
            self.cache[raw] = found
            return found
        if isinstance(raw, datetime.date):
            return self._not_future(raw, raw.isoformat())
        return f"{show(raw)} is not a date (write it as text, YYYY-MM-DD)"

    def _not_future(self, moment: datetime.date, written: str) -> datetime.date | str:
        if isinstance(moment, datetime.datetime):
            future = (
                moment > self._now_local
                if moment.tzinfo is None
                else moment.astimezone(datetime.UTC) > self._now_utc
            )
        else:
            future = moment > self._today
        if future:
            return f"{written} lies in the future (today is {self._today.isoformat()})"
        return moment


def text(cell: object) -> str:
    """A cell as trimmed text ('' for an empty one); whole floats lose their ``.0``."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell).strip()


def show(raw: object) -> str:
    """A value as the consultant wrote it, for messages: numbers bare, text quoted."""
    if isinstance(raw, str):
        written = raw.strip()
        return written if _looks_numeric(written) else repr(written)
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float):
        return number_text(raw)
    if isinstance(raw, int):
        return str(raw)
    return repr(raw)


def number_text(value: object) -> str:
    """A stored value for messages (``0.85``, ``90``, ``true``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def _looks_numeric(written: str) -> bool:
    try:
        float(written)
    except ValueError:
        return False
    return True


def _range_text(lowest: float, highest: float) -> str:
    if math.isfinite(lowest) and math.isfinite(highest):
        return f"{lowest:.15g} to {highest:.15g}"
    if math.isfinite(lowest):
        return f"at least {lowest:.15g}"
    return f"at most {highest:.15g}"


def _tidy(value: float) -> float:
    """A converted value without the noise of binary arithmetic (85 % is 0.85, not
    0.8500000000000001)."""
    return float(f"{value:.15g}")
