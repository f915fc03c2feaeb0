"""The problems of one observation file, listed up to a cap and counted beyond it."""

from __future__ import annotations

from collections.abc import Sequence

from servicekg.errors import Problem

__all__ = ["MAX_PROBLEMS_PER_FILE", "FileProblems"]

MAX_PROBLEMS_PER_FILE = 1000
"""Problems listed per file; beyond this they are counted in one closing line (a wrong
column or unit in a file of a million rows would otherwise make a million lines)."""


class FileProblems:
    """Collects the problems of one file, in the order they are found."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.where = path
        """What problems name as their path: the file, or the sheet or section being read."""
        self._listed: list[Problem] = []
        self._unlisted = 0

    def add(
        self,
        row: int | None,
        field: str | None,
        message: str,
        accepted: Sequence[str] = (),
        label: str | None = None,
        path: str | None = None,
    ) -> None:
        """Note a problem; ``label`` names the row where its number says nothing (RDF)."""
        if len(self._listed) >= MAX_PROBLEMS_PER_FILE:
            self._unlisted += 1
            return
        text = f"{label}: {message}" if label else message
        self._listed.append(Problem(path or self.where, row, field, text, tuple(accepted)))

    def all(self) -> list[Problem]:
        """Every problem listed, and a closing line counting those that were not."""
        if not self._unlisted:
            return list(self._listed)
        closing = Problem(
            self.path,
            None,
            None,
            f"{self._unlisted} more problems are not listed (the first "
            f"{MAX_PROBLEMS_PER_FILE} are); fix these and load again to see them",
        )
        return [*self._listed, closing]

    def __len__(self) -> int:
        return len(self._listed) + self._unlisted
