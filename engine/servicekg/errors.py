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
    "ParseError",
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
