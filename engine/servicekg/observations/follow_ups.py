"""Follow-ups: what a client did about a recommendation, as a consultant records it.

A follow-up table has the columns ``business``, ``rule`` (the id of the rule whose
recommendation it follows up), ``status`` (:data:`STATUSES`), and optionally ``date`` (ISO 8601,
not in the future) and ``note``. It is told from observations and business descriptions by its
``status`` column (:func:`~.table.table_kind`), so a follow-ups file may sit beside the
observations in a folder.

>>> status_code(" In progress ")
'in-progress'
>>> status_code("finished") is None
True
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from servicekg.observations.records import Origin

__all__ = [
    "FOLLOW_UP_COLUMNS",
    "REQUIRED_FOLLOW_UP_COLUMNS",
    "STATUSES",
    "FollowUp",
    "status_code",
]

STATUSES = ("accepted", "in-progress", "done", "declined")
"""What a client may have done about a recommendation, in the order work goes."""

FOLLOW_UP_COLUMNS = ("business", "rule", "status", "observed_at", "note")
"""The columns of a follow-ups table as the loader names them: the ``date`` column is read as
an observation's date is (``date``, ``datum``, ``datums``, ``observed_at``)."""
REQUIRED_FOLLOW_UP_COLUMNS = ("business", "rule", "status")


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One status of one recommendation (a business and the rule that fired for it)."""

    business: str
    rule: str
    status: str
    date: datetime.date | None = None
    note: str | None = None
    origin: Origin | None = field(default=None, compare=False)


def status_code(written: object) -> str | None:
    """A status as written (any case, spaces, ``_`` or ``-``) as one of :data:`STATUSES`;
    ``None`` when it is none of them."""
    code = "-".join(str(written).strip().lower().replace("_", " ").replace("-", " ").split())
    return code if code in STATUSES else None
