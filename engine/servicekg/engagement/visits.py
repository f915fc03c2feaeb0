"""Visits: the consultant's rounds at one business, told from the observations' dates.

A visit is a run of observation dates with no gap longer than :data:`VISIT_GAP_DAYS`: the
mystery shop on Tuesday and the staff survey exported on Friday are one visit; the return three
months later is the next. Undated observations belong to the first visit. A business whose
observations are all undated (or all within one run) has one visit.

The state of a business *at* a visit is what was known then: each metric's latest value
observed up to the visit's last day (:func:`known_at`). A metric measured at an earlier visit
and not again keeps its earlier value, marked as not re-measured (:func:`measured_during`).

>>> import datetime
>>> from servicekg.observations import Observation, Origin
>>> def seen(metric, value, day):
...     return Observation("cafe", metric, value, "ratio", day, None, None, None, Origin("f", 1))
>>> march, june = datetime.date(2026, 3, 10), datetime.date(2026, 6, 9)
>>> rows = [seen("greeting_rate", 0.7, march), seen("greeting_rate", 0.9, june),
...         seen("retention_rate", 0.8, march + datetime.timedelta(days=3))]
>>> [(v.number, v.start.isoformat(), v.end.isoformat()) for v in visits_of(rows)]
[(1, '2026-03-10', '2026-03-13'), (2, '2026-06-09', '2026-06-09')]
>>> second = visits_of(rows)[1]
>>> {m: o.value for m, o in known_at(rows, second).items()}
{'greeting_rate': 0.9, 'retention_rate': 0.8}
>>> sorted(measured_during(rows, second))
['greeting_rate']
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from servicekg.observations import Observation

__all__ = [
    "VISIT_GAP_DAYS",
    "Visit",
    "find_visit",
    "known_at",
    "measured_during",
    "observations_until",
    "visits_of",
]

VISIT_GAP_DAYS = 31
"""More days than this without an observation start a new visit."""


@dataclass(frozen=True)
class Visit:
    """One visit to one business: its number (1 is the first) and its first and last day
    (``None`` for a business observed with no dates at all)."""

    business: str
    number: int
    start: datetime.date | None
    end: datetime.date | None

    @property
    def label(self) -> str:
        """How a person names the visit: its first day (``2026-03-10``), or ``visit 1``."""
        return self.start.isoformat() if self.start else f"visit {self.number}"

    def as_dict(self) -> dict[str, object]:
        """The visit in the JSON shape of the progress and chain reports."""
        return {
            "number": self.number,
            "label": self.label,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }


def visits_of(observations: Iterable[Observation], gap_days: int = VISIT_GAP_DAYS) -> list[Visit]:
    """The visits of one business's observations, first to last."""
    found = list(observations)
    days = sorted({d for o in found if (d := _day(o.observed_at)) is not None})
    business = found[0].business if found else ""
    if not days:
        return [Visit(business, 1, None, None)]
    runs: list[list[datetime.date]] = [[days[0]]]
    for day in days[1:]:
        if (day - runs[-1][-1]).days > gap_days:
            runs.append([day])
        else:
            runs[-1].append(day)
    return [Visit(business, i, run[0], run[-1]) for i, run in enumerate(runs, start=1)]


def find_visit(visits: Sequence[Visit], wanted: str | int) -> Visit:
    """The visit named by its number (``2``) or ``latest``, or the one under way on a day
    (``2026-06-30``: the last visit begun by then); :class:`LookupError` naming the visits
    there are otherwise."""
    text = str(wanted).strip()
    if text == "latest" and visits:
        return visits[-1]
    for visit in visits:
        if text == str(visit.number) or text == visit.label:
            return visit
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        begun = [v for v in visits if v.start is not None and v.start <= day]
        if begun:
            return begun[-1]
    known = ", ".join(f"{v.number} ({v.label})" for v in visits) or "none"
    raise LookupError(f"no visit {text!r}; the visits are {known}, or 'latest'")


def known_at(observations: Iterable[Observation], visit: Visit) -> dict[str, Observation]:
    """Each metric's observation as known at the end of ``visit``: the latest one dated up to
    its last day (undated observations count as the oldest)."""
    latest: dict[str, Observation] = {}
    for obs in observations:
        day = _day(obs.observed_at)
        if visit.end is not None and day is not None and day > visit.end:
            continue
        current = latest.get(obs.metric)
        if current is None or _key(obs) >= _key(current):
            latest[obs.metric] = obs
    return latest


def measured_during(observations: Iterable[Observation], visit: Visit) -> set[str]:
    """The metrics observed during ``visit`` itself (undated ones count for the first visit)."""
    found = set()
    for obs in observations:
        day = _day(obs.observed_at)
        if day is None:
            if visit.number == 1:
                found.add(obs.metric)
        elif visit.start is not None and visit.end is not None and visit.start <= day <= visit.end:
            found.add(obs.metric)
    return found


def observations_until(observations: Iterable[Observation], visit: Visit) -> list[Observation]:
    """The observations made up to the end of ``visit`` (what an assessment at that visit
    reads; it keeps each metric's latest value itself)."""
    if visit.end is None:
        return list(observations)
    end = visit.end
    return [o for o in observations if (d := _day(o.observed_at)) is None or d <= end]


def _day(moment: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(datetime.UTC)
        return moment.date()
    return moment


def _key(obs: Observation) -> tuple[int, str]:
    moment = obs.observed_at
    return (0, "") if moment is None else (1, moment.isoformat())
