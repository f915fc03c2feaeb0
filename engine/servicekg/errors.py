"""The one family of errors servicekg raises, each naming what is at fault.

Every error carries the exit code the command line uses for it, so that the CLI and the
HTTP server translate errors without knowing their kinds:

* ``0`` success, the data conforms;
* ``1`` the data was read but does not conform (SHACL violations);
* ``2`` an error: a file that does not parse, an unknown name, bad input.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "EXIT_ERROR",
    "EXIT_NONCONFORMING",
    "EXIT_OK",
    "InputError",
    "ObservationError",
    "ParseError",
    "Problem",
    "ServiceKGError",
    "SourceLocation",
    "UnknownTermError",
]

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_ERROR = 2


class ServiceKGError(Exception):
    """Base of every error servicekg raises on purpose."""

    exit_code: int = EXIT_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class SourceLocation:
    """Where in a file something went wrong (1-based line and column; either may be unknown)."""

    path: Path | str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where


class ParseError(ServiceKGError):
    """A file could not be parsed: names the file, the line and what the parser expected."""

    def __init__(self, location: SourceLocation, detail: str) -> None:
        super().__init__(f"{location}: {detail}")
        self.location = location
        self.detail = detail


class InputError(ServiceKGError):
    """Input that is well formed but not acceptable (a missing file, an unsupported format)."""


class UnknownTermError(ServiceKGError, KeyError):
    """A name that the knowledge graph does not define (a concept, metric or language)."""

    def __init__(self, kind: str, name: str, accepted: list[str] | None = None) -> None:
        hint = ""
        if accepted:
            close = difflib.get_close_matches(name, accepted, n=3, cutoff=0.6)
            if close:
                hint += f"; did you mean {' or '.join(repr(c) for c in close)}?"
            shown = ", ".join(accepted[:12]) + (", ..." if len(accepted) > 12 else "")
            hint += f"; known: {shown}"
        super().__init__(f"unknown {kind} {name!r}{hint}")
        self.kind = kind
        self.name = name
        self.accepted = accepted or []


_SHOWN_ACCEPTED = 12  # what a problem's line lists of ``accepted`` before "... N more"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a consultant's observation file, said so that it can be fixed.

    ``row`` is the row as a person counts it (the header is row 1 of a spreadsheet; the first
    item of a JSON or YAML list is row 1), ``None`` for the file as a whole; ``field`` is the
    column (or RDF property) at fault, ``None`` for the whole row; ``accepted`` says what would
    be accepted instead (units, a range, sector codes, column names), empty when nothing useful
    can be said.
    """

    path: str
    row: int | None
    field: str | None
    message: str
    accepted: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = self.path if self.row is None else f"{self.path}:row {self.row}"
        if self.field is not None:
            where += f": field {self.field!r}"
        text = f"{where}: {self.message}"
        if self.accepted:
            shown = ", ".join(self.accepted[:_SHOWN_ACCEPTED])
            more = len(self.accepted) - _SHOWN_ACCEPTED
            text += f" (accepted: {shown}{f', ... {more} more' if more > 0 else ''})"
        return text


class ObservationError(ServiceKGError):
    """Observation files that cannot be loaded: every problem of every file, one per line.

    Nothing is loaded when this is raised. ``problems`` holds them in file and row order.
    """

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the observations; nothing loaded:"
        super().__init__("\n".join([head, *map(str, problems)]))
        self.problems = problems


# --- rule files and the rules engine (servicekg.rules) -----------------------------------------


@dataclass(frozen=True)
class RuleProblem:
    """One thing wrong with a rule file: where, which rule and field, what would be accepted.

    ``line`` is the 1-based line in ``path`` (``None`` when unknown), ``rule`` the rule id
    (``None`` for the file as a whole), ``field`` the path to the field at fault
    (``when.all[1].above``; ``None`` for the whole rule).
    """

    path: str
    line: int | None
    rule: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        if self.rule is not None:
            where += f": rule {self.rule!r}"
        if self.field is not None:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class RuleFileError(ServiceKGError):
    """Rule files that cannot be loaded: every problem of every file, one per line.

    No rule is loaded when this is raised. ``problems`` holds them in file and line order.
    """

    def __init__(self, problems: list[RuleProblem]) -> None:
        count = len(problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the rule files; no rule loaded:"
        super().__init__("\n".join([head, *map(str, problems)]))
        self.problems = problems


class RuleEngineError(ServiceKGError):
    """The rules engine failed for one business; names the business and what went wrong.

    Other businesses are not affected: their evaluation goes on. ``business`` is ``None`` when
    the failure concerns no single business (compiling the rules).
    """

    def __init__(self, business: str | None, detail: str) -> None:
        where = f"business {business!r}: " if business is not None else ""
        super().__init__(f"{where}rules engine error: {detail}")
        self.business = business
        self.detail = detail


__all__ += ["RuleEngineError", "RuleFileError", "RuleProblem"]
