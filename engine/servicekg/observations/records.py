"""What a consultant observed, once read and checked: observations, businesses, and the set.

Values are in the metric's own unit (a rate written ``85`` with unit ``%`` is stored as
``0.85``, unit ``ratio``, and ``entered_unit`` keeps the ``%`` for reports). Two observations
are equal when they say the same thing; where they were read from (:class:`Origin`) and the
unit they were written in do not take part in the comparison.

When one metric was observed several times for a business, :meth:`ObservationSet.facts` takes
the value with the most recent ``observed_at``. A row with no date counts as older than every
dated one; a date (``2024-05-01``) counts as the start of that day; an aware time is compared in
UTC, a naive one as written. Between equal times, the row read last wins.

>>> origin = Origin("visits.csv", 2)
>>> early = Observation("Cafe", "greeting_rate", 0.5, "ratio", datetime.date(2024, 1, 5),
...                     None, None, None, origin)
>>> late = Observation("Cafe", "greeting_rate", 0.75, "ratio", datetime.date(2024, 3, 1),
...                    None, None, None, Origin("visits.csv", 3))
>>> ObservationSet({}, [late, early]).facts("Cafe")
{'greeting_rate': 0.75}
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from servicekg.errors import UnknownTermError

__all__ = ["Business", "Observation", "ObservationSet", "Origin", "new_observation", "new_origin"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where something was read: a file (``book.xlsx[businesses]`` for a sheet or a section)
    and the row as a person counts it (spreadsheet header = row 1; JSON/YAML item = index + 1),
    ``None`` where a format has no rows (RDF)."""

    path: str
    row: int | None

    def __str__(self) -> str:
        return self.path if self.row is None else f"{self.path}:row {self.row}"


@dataclass(frozen=True, slots=True)
class Observation:
    """One value of one metric observed at one business, in the metric's own unit."""

    business: str
    metric: str
    value: float | bool
    unit: str
    observed_at: datetime.date | datetime.datetime | None
    location: str | None
    source: str | None
    note: str | None
    origin: Origin = field(compare=False)
    entered_unit: str | None = field(default=None, compare=False)
    """The unit symbol the value was written in (``min``, ``%``), where it was not the
    metric's own: reports show the value as entered, converted back."""


@dataclass(frozen=True, slots=True)
class Business:
    """A business as the consultant described it; ``sector`` is a sector code or ``"other"``.

    ``extra`` holds the description's other columns, by column name.
    """

    id: str
    name: str | None = None
    sector: str | None = None
    region: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict, hash=False)
    origin: Origin | None = field(default=None, compare=False)


@dataclass
class ObservationSet:
    """Everything loaded: the described businesses by id, and every observation.

    Treat it as read-only once loaded: :meth:`facts` keeps an index of the observations by
    business, rebuilt only when the number of observations changes.
    """

    businesses: dict[str, Business] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)
    _index: dict[str, list[Observation]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _indexed: int = field(default=-1, init=False, repr=False, compare=False)

    def by_business(self) -> dict[str, list[Observation]]:
        """Every business that was described or observed, with its observations in the order
        read (an empty list for a business that was described only)."""
        index = self._by_business()
        return {business: list(found) for business, found in index.items()}

    def facts(self, business: str) -> dict[str, float | bool]:
        """Metric id -> value for ``business``; a metric never observed is absent.

        A metric observed several times gives its most recent value (see the module's notes).
        Raises :class:`UnknownTermError` for a business neither described nor observed.
        """
        index = self._by_business()
        try:
            found = index[business]
        except KeyError:
            raise UnknownTermError("business", business, sorted(index)) from None
        latest: dict[str, tuple[tuple[int, datetime.datetime], float | bool]] = {}
        for observation in found:
            when = _when(observation.observed_at)
            kept = latest.get(observation.metric)
            if kept is None or when >= kept[0]:
                latest[observation.metric] = (when, observation.value)
        return {metric: value for metric, (_when_, value) in latest.items()}

    def _by_business(self) -> dict[str, list[Observation]]:
        if self._index is None or self._indexed != len(self.observations):
            index: dict[str, list[Observation]] = {business: [] for business in self.businesses}
            for observation in self.observations:
                found = index.get(observation.business)
                if found is None:
                    index[observation.business] = [observation]
                else:
                    found.append(observation)
            self._index, self._indexed = index, len(self.observations)
        return self._index


class _OriginMaker:
    __slots__ = Origin.__slots__

    def __init__(self, path: str, row: int | None) -> None:
        self.path = path
        self.row = row
        self.__class__ = Origin  # type: ignore[assignment]


class _ObservationMaker:
    __slots__ = Observation.__slots__

    def __init__(
        self,
        business: str,
        metric: str,
        value: float | bool,
        unit: str,
        observed_at: datetime.date | datetime.datetime | None,
        location: str | None,
        source: str | None,
        note: str | None,
        origin: Origin,
        entered_unit: str | None = None,
    ) -> None:
        self.business = business
        self.metric = metric
        self.value = value
        self.unit = unit
        self.observed_at = observed_at
        self.location = location
        self.source = source
        self.note = note
        self.origin = origin
        self.entered_unit = entered_unit
        self.__class__ = Observation  # type: ignore[assignment]


new_origin: Callable[[str, int | None], Origin] = _OriginMaker  # type: ignore[assignment]
"""Make an :class:`Origin` as its constructor does, three times as fast (for the loader).

A frozen dataclass sets each field through ``object.__setattr__``; with millions of rows that
is a third of the loading time. These makers have the same slots as the frozen class, set them
plainly, then become an instance of it (``__class__`` assignment between classes of one
layout). The result is an ordinary frozen instance; a test checks both ways agree.
"""

new_observation: Callable[..., Observation] = _ObservationMaker  # type: ignore[assignment]
"""Make an :class:`Observation` as its constructor does, three times as fast (see
:data:`new_origin`); positional arguments in field order."""


_NO_DATE = (0, datetime.datetime.min)


def _when(moment: datetime.date | datetime.datetime | None) -> tuple[int, datetime.datetime]:
    """A sort key putting undated rows first, dates at the start of their day, aware times in
    UTC: comparable across every kind of ``observed_at``."""
    if moment is None:
        return _NO_DATE
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
        return (1, moment)
    return (1, datetime.datetime.combine(moment, datetime.time()))
