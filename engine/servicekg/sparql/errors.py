"""Errors of SPARQL queries and updates, one kind per thing that can go wrong.

Each carries the exit code of :mod:`servicekg.errors` (all are 2, errors of the request) and an
HTTP status the server answers with (``http_status``).
"""

from __future__ import annotations

import re

from servicekg.errors import ServiceKGError

__all__ = [
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultTooLarge",
    "SparqlError",
    "UpdateNotAllowed",
    "parser_error",
]

_PARSER_LOCATION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


class SparqlError(ServiceKGError):
    """Base of the SPARQL errors; ``http_status`` is what the server answers with."""

    http_status = 400


class QuerySyntaxError(SparqlError):
    """A SPARQL query or update that does not parse; says where, as the parser does.

    ``line`` and ``column`` are 1-based, counted in the text the user wrote.
    """

    def __init__(self, detail: str, line: int | None = None, column: int | None = None) -> None:
        where = f" (line {line}, column {column})" if column is not None else ""
        if line is not None and column is None:
            where = f" (line {line})"
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
