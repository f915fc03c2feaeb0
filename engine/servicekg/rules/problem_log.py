"""Collecting the problems of rule files, each naming file, line, rule id and field: the one
collector (:class:`~servicekg.problems.Problems`) with the checks of located YAML."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from servicekg.problems import Problems
from servicekg.rules.yaml_source import LocatedDict, line_of

__all__ = ["ProblemLog", "is_number"]


class ProblemLog(Problems):
    """The problems of rule files found so far (all listed), and the file and rule being read."""

    def __init__(self) -> None:
        super().__init__(limit=None)

    def problem(self, line: int | None, field: str | None, message: str) -> None:
        """Record a problem of the current file and rule."""
        self.add(None, field, message, line=line)

    def keys(
        self,
        node: Mapping[Any, Any],
        accepted: tuple[str, ...],
        field: str | None,
        required: tuple[str, ...] = (),
        what: str = "field",
    ) -> None:
        """Log keys of ``node`` not ``accepted`` (with the closest one) and ``required`` ones
        missing; ``what`` names them in messages ("field", "language")."""
        self.duplicates(node, field)
        for key in node:
            if key not in accepted:
                close = difflib.get_close_matches(str(key), accepted, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                where = f"{field}.{key}" if field else str(key)
                self.problem(
                    line_of(node, key),
                    where,
                    f"unknown {what} {key!r}{hint} (accepted: {', '.join(accepted)})",
                )
        for key in required:
            if key not in node:
                where = f"{field}.{key}" if field else key
                self.problem(line_of(node), where, f"missing {what} {key!r}")

    def duplicates(self, node: Mapping[Any, Any], field: str | None) -> None:
        """Log the keys written twice in ``node`` (once: they are then forgotten)."""
        for key, line in getattr(node, "duplicates", ()):
            where = f"{field}.{key}" if field else str(key)
            self.problem(line, where, f"{key!r} is written twice in the same mapping")
        if isinstance(node, LocatedDict):
            node.duplicates = []  # report once

    def alone(self, node: Mapping[Any, Any], key: str, field: str) -> None:
        """Log the other keys of a condition that must hold ``key`` alone (``all``, ``any``)."""
        others = [k for k in node if k != key]
        if others:
            self.problem(
                line_of(node),
                field,
                f"'{key}' stands alone in its condition; move "
                f"{', '.join(map(repr, others))} into a condition of its own",
            )


def is_number(value: object) -> bool:
    """An int or a float, not a boolean."""
    return isinstance(value, int | float) and not isinstance(value, bool)
