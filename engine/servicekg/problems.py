"""One collector of :class:`~servicekg.errors.Problem` records, for observation files and rule
files alike: problems in the order found, listed up to a cap and counted beyond it."""

from __future__ import annotations

from collections.abc import Sequence

from servicekg.errors import Problem

__all__ = ["MAX_PROBLEMS_PER_FILE", "Problems"]

MAX_PROBLEMS_PER_FILE = 1000
"""Problems listed per file; beyond this they are counted in one closing line (a wrong
column or unit in a file of a million rows would otherwise make a million lines)."""


class Problems:
    """Collects problems in the order they are found, against the file (and rule) being read.

    ``limit`` caps how many are listed (``None``: all); the rest are counted in one closing
    line of :meth:`all`.
    """

    def __init__(self, path: str = "", limit: int | None = MAX_PROBLEMS_PER_FILE) -> None:
        self.path = path
        self.where = path
        """What problems name as their path: the file, or the sheet or section being read."""
        self.rule: str | None = None
        self.problems: list[Problem] = []
        """The problems listed so far, in the order found."""
        self._limit = limit
        self._unlisted = 0

    def at(self, path: str, rule: str | None = None) -> None:
        """Report the following problems against ``path`` (and ``rule``)."""
        self.path = self.where = path
        self.rule = rule

    def add(
        self,
        row: int | None,
        field: str | None,
        message: str,
        accepted: Sequence[str] = (),
        label: str | None = None,
        path: str | None = None,
        *,
        line: int | None = None,
    ) -> None:
        """Note a problem of a ``row`` (counted as a person counts rows) or a text ``line``;
        ``label`` names the row where its number says nothing (RDF)."""
        if self._limit is not None and len(self.problems) >= self._limit:
            self._unlisted += 1
            return
        text = f"{label}: {message}" if label else message
        self.problems.append(
            Problem(
                path or self.where, row, field, text, tuple(accepted), rule=self.rule, line=line
            )
        )

    def all(self) -> list[Problem]:
        """Every problem listed, and a closing line counting those that were not."""
        if not self._unlisted:
            return list(self.problems)
        closing = Problem(
            self.path,
            None,
            None,
            f"{self._unlisted} more problems are not listed (the first "
            f"{self._limit} are); fix these and load again to see them",
        )
        return [*self.problems, closing]

    def __len__(self) -> int:
        return len(self.problems) + self._unlisted
