"""The one family of errors servicekg raises, each naming what is at fault.

Every error carries the exit code the command line uses for it, so that the CLI and the
HTTP server translate errors without knowing their kinds:

* ``0`` success, the data conforms;
* ``1`` the data was read but does not conform (SHACL violations);
* ``2`` an error: a file that does not parse, an unknown name, bad input.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ERROR_CODES",
    "EXIT_ERROR",
    "EXIT_NONCONFORMING",
    "EXIT_OK",
    "ApiError",
    "GraphNotFound",
    "InputError",
    "ObservationError",
    "ParseError",
    "Problem",
    "ProductionStopped",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultTooLarge",
    "ServiceKGError",
    "SourceLocation",
    "SparqlError",
    "StoreError",
    "TooLarge",
    "UnknownTermError",
    "UpdateNotAllowed",
    "YamlSyntaxError",
    "parser_error",
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
    """One thing wrong with a consultant's observation file or a rule file, said so that it
    can be fixed.

    ``row`` is the row as a person counts it (the header is row 1 of a spreadsheet; the first
    item of a JSON or YAML list is row 1) and ``line`` the 1-based line of a text file (rule
    files), ``None`` when unknown or for the file as a whole; ``rule`` the rule id at fault;
    ``field`` is the column, RDF property or rule field (``when.all[1].above``) at fault,
    ``None`` for the whole row or rule; ``accepted`` says what would be accepted instead
    (units, a range, sector codes, column names), empty when nothing useful can be said.
    """

    path: str
    row: int | None
    field: str | None
    message: str
    accepted: tuple[str, ...] = ()
    rule: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.row is not None:
            where += f":row {self.row}"
        named = [f"rule {self.rule!r}"] if self.rule is not None else []
        if self.field is not None:
            named.append(f"field {self.field!r}")
        if named:
            where += ": " + ", ".join(named)
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


class RuleFileError(ServiceKGError):
    """Rule files that cannot be loaded: every problem of every file, one per line.

    No rule is loaded when this is raised. ``problems`` holds them in file and line order.
    """

    def __init__(self, problems: list[Problem]) -> None:
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


__all__ += ["RuleEngineError", "RuleFileError"]


# --- SPARQL queries and updates (HTTP status in ``http_status``) ------------------------------

_PARSER_LOCATION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


class SparqlError(ServiceKGError):
    """Base of the SPARQL errors; ``http_status`` is what the server answers with."""

    http_status = 400


class QuerySyntaxError(SparqlError):
    """A SPARQL query or update that does not parse; says where, as the parser does.

    ``line`` and ``column`` are 1-based, counted in the text the user wrote.
    """

    def __init__(self, detail: str, line: int | None = None, column: int | None = None) -> None:
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"SPARQL syntax error{where}: {detail}")
        self.detail = detail
        self.line = line
        self.column = column

    @classmethod
    def from_parser(cls, error: SyntaxError, line_offset: int = 0) -> QuerySyntaxError:
        """Translate pyoxigraph's error (``error at LINE:COLUMN: detail``), lines renumbered
        by ``line_offset`` where we prepended prefix declarations."""
        return parser_error(str(error.msg or error), line_offset, error.lineno, error.offset)


def parser_error(
    text: str, line_offset: int = 0, line: int | None = None, column: int | None = None
) -> QuerySyntaxError:
    """A :class:`QuerySyntaxError` from an Oxigraph parser message (``error at 1:20: ...``),
    in-process or from an Oxigraph server's 400 answer."""
    found = _PARSER_LOCATION.match(text.strip())
    if found:
        return QuerySyntaxError(found[3], int(found[1]) - line_offset, int(found[2]))
    return QuerySyntaxError(text.strip(), line, column)


class QueryRefused(SparqlError):
    """A query or update that would reach the network (``SERVICE``, ``LOAD``) while that is
    not allowed, or an update sent where updates are not allowed."""

    http_status = 403


class UpdateNotAllowed(SparqlError):
    """An update against a store the user did not name (never the default one by accident)."""


class QueryTimeout(SparqlError):
    """A query stopped at its time limit."""

    http_status = 503

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the query ran longer than its time limit of {seconds:g} s and was stopped; "
            "narrow it (a LIMIT, fewer unbound patterns) or raise the limit"
        )
        self.seconds = seconds


class ResultTooLarge(SparqlError):
    """A query whose result is larger than the result size limit."""

    http_status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the query's result is larger than the result size limit of {limit:,} bytes and "
            "was stopped; add a LIMIT or raise the limit"
        )
        self.limit = limit


# --- stores (servicekg.stores) -----------------------------------------------------------------


class StoreError(ServiceKGError):
    """The store cannot be reached or refused an operation; names the store and what failed."""


class GraphNotFound(StoreError):
    """A named graph that the store does not hold (the Graph Store Protocol's 404)."""

    http_status = 404

    def __init__(self, graph: str) -> None:
        super().__init__(f"no graph <{graph}> in the store")
        self.graph = graph


# --- the HTTP server's one JSON error shape (servicekg.server) ----------------------------------

ERROR_CODES: dict[str, tuple[int, str]] = {
    "bad_request": (400, "the request is malformed (a missing or repeated parameter)"),
    "query_syntax": (400, "the query or update does not parse; line and column say where"),
    "invalid_data": (400, "the RDF sent does not parse, or names something unknown"),
    "unauthorized": (401, "an update without a bearer token (Authorization: Bearer ...)"),
    "forbidden": (403, "an update with a wrong bearer token"),
    "read_only": (403, "an update on a server started without --allow-update"),
    "remote_not_allowed": (403, "SERVICE or LOAD (they reach the network) without --allow-remote"),
    "not_found": (404, "no such route, graph or business"),
    "method_not_allowed": (405, "the route does not answer this HTTP method"),
    "not_acceptable": (406, "no result format the client accepts fits this result"),
    "payload_too_large": (413, "the request body is larger than --max-body"),
    "unsupported_media_type": (415, "the request body's Content-Type is not one accepted here"),
    "result_too_large": (413, "the result of the query is larger than --result-limit bytes"),
    "internal": (500, "a fault in the server; it is logged, the server goes on"),
    "store_unavailable": (502, "the remote store (--endpoint) failed or cannot be reached"),
    "query_timeout": (503, "the query ran longer than --query-timeout and was stopped"),
}
"""Every error code: its HTTP status and when it is answered."""


class ApiError(ServiceKGError):
    """An error answered to the client in the one JSON shape.

    ``code`` must be one of :data:`ERROR_CODES`, which gives the status; ``details`` are extra
    keys of the error object; ``headers`` extra response headers (``Allow``,
    ``WWW-Authenticate``).
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **details: Any,
    ) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown error code {code!r}; known: {sorted(ERROR_CODES)}")
        super().__init__(message)
        self.code = code
        self.status = ERROR_CODES[code][0]
        self.details = details
        self.headers = headers or {}


# --- internal signals, never shown to a user --------------------------------------------------


class YamlSyntaxError(ServiceKGError):
    """YAML that does not parse: ``line`` (1-based, or ``None``) and what the parser said."""

    def __init__(self, line: int | None, detail: str) -> None:
        super().__init__(detail)
        self.line = line
        self.detail = detail


class ProductionStopped(ServiceKGError):
    """Raised inside the consumer's iterator when producing failed: the consumer undoes what
    it did (as on any error) and the producer's own error is raised to the caller."""


class TooLarge(ServiceKGError):
    """Raised by the counting writer to stop a serialisation (never escapes the runner)."""

    def __init__(self, message: str = "the output passed its size limit") -> None:
        super().__init__(message)
