"""The client report's own words and how it writes numbers, dates and values, per language.

Words come from ``words.yaml`` (data); numbers, dates and money from Babel in the report's
locale; a value is shown in the unit the consultant entered, converted back from the metric's
own unit through the unit conversions of the ontology.

>>> words = Words("nl")
>>> words["recommendations"], words.number(37.5), words.date(datetime.date(2026, 12, 2))
('Aanbevelingen', '37,5', '2 december 2026')
>>> Words("lv").date(datetime.date(2026, 12, 2))
'2026. gada 2. decembris'
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from servicekg.errors import UnknownTermError

__all__ = ["LANGUAGES", "WORDS_FILE", "Words", "catalogue"]

WORDS_FILE = Path(__file__).with_name("words.yaml")
LANGUAGES = ("en", "nl", "lv")
_NBSP = "\u00a0"


@functools.cache
def catalogue() -> Mapping[str, Any]:
    """``words.yaml`` as read: ``words`` (key -> language -> text) and ``units``."""
    with WORDS_FILE.open(encoding="utf-8") as stream:
        data: dict[str, Any] = yaml.safe_load(stream)
    return data


class Words:
    """The report's words, numbers and dates in one language."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise UnknownTermError("language", lang, list(LANGUAGES))
        self.lang = lang
        self._words: Mapping[str, Mapping[str, str]] = catalogue()["words"]
        self._units: Mapping[str, Mapping[str, str]] = catalogue()["units"]

    def __getitem__(self, key: str) -> str:
        return self._words[key][self.lang].strip()

    def say(self, key: str, **values: str) -> str:
        """The word ``key`` with its placeholders filled."""
        return self[key].format(**values)

    def number(self, value: float, digits: int = 2) -> str:
        """``value`` with at most ``digits`` decimals, in the locale (``37,5``)."""
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        return str(format_decimal(round(value, digits), format=pattern, locale=self.lang))

    def percent(self, ratio: float) -> str:
        """A ratio as a percentage (``78 %``)."""
        return f"{self.number(ratio * 100, 1)}{_NBSP}%"

    def date(self, value: datetime.date | str) -> str:
        """A date written out (``2 december 2026``; ``2026. gada 2. decembris``)."""
        from babel.dates import format_date

        if isinstance(value, str):
            value = datetime.date.fromisoformat(value[:10])
        return str(format_date(value, format="long", locale=self.lang))

    def period(self, start: datetime.date, end: datetime.date) -> str:
        """From ``start`` to ``end`` (one date when they are the same day)."""
        if start == end:
            return self.date(start)
        return f"{self.date(start)} \u2013 {self.date(end)}"

    def money(self, value: float, currency: str = "EUR") -> str:
        """An amount of money in the locale (``€ 1.200,00``)."""
        from babel.numbers import format_currency

        return str(format_currency(value, currency, locale=self.lang))

    def quantity(self, value: float | bool, symbol: str) -> str:
        """``value`` in the unit written ``symbol`` (a unit symbol of the ontology)."""
        if isinstance(value, bool) or symbol == "bool":
            return self["yes"] if value else self["no"]
        if symbol == "EUR":
            return self.money(value)
        if symbol == "ratio":  # a rate with no unit entered reads best as a percentage
            return self.percent(value)
        if symbol == "nps":
            return f"{self.number(value, 0)}{_NBSP}NPS"
        unit = self._units.get(symbol, {}).get(self.lang, symbol)
        digits = 1 if symbol in ("%", "per_1000", "min", "h") else 2
        shown = self.number(value, digits)
        return f"{shown}{_NBSP}{unit}" if unit else shown

    def words_of(self, lang: str) -> list[str]:
        """Every text of the catalogue in ``lang`` (for checks of a report's language)."""
        texts = [texts[lang] for texts in self._words.values()]
        texts += [texts[lang] for texts in self._units.values()]
        return texts
