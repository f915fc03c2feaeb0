"""Reading a query's text as the SPARQL grammar tokenises it: its bare keywords (outside
strings, IRIs and comments), its form, and whether it reaches the network or picks its own
dataset. :mod:`servicekg.sparql.safety` explains why the checks are needed; this module holds
them without importing any engine (a command that only asks pyoxigraph stays light).
"""

from __future__ import annotations

import re

from servicekg.errors import QueryRefused

__all__ = ["check_query", "check_update", "has_dataset_clause", "keywords", "query_form"]

# Strings (long and short, with escapes), IRIs and comments: what may hold any word without
# it being a keyword. One alternation, scanned left to right, so that a '#' inside an IRI or a
# string is not taken for a comment and a quote inside a comment is not taken for a string.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n\r]*",
    re.DOTALL,
)
# A bare word: not part of a variable (?x, $x), a prefix or a longer word. Words after '.' or
# '-' count (``?o.SERVICE`` is valid SPARQL): refusing ``ex:a.load`` is the safe mistake.
_WORD = re.compile(r"(?<![\w?$:])([A-Za-z]+)(?![\w:])")


def keywords(sparql: str) -> set[str]:
    """The bare words of a query or update, upper-cased, outside strings, IRIs and comments.

    >>> sorted(keywords('SELECT ?load WHERE { ?s ex:service "SERVICE" } # LOAD'))
    ['SELECT', 'WHERE']
    """
    return {m.upper() for m in _WORD.findall(_OPAQUE.sub(" ", sparql))}


_FORM = re.compile(r"(?<![\w?$:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)


def query_form(sparql: str) -> str | None:
    """The form of a query: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (the first one
    outside strings, IRIs and comments; a subquery comes later), None when there is none.

    >>> query_form("PREFIX ex: <http://x/SELECT> CONSTRUCT { ?s ?p ?o } WHERE { "
    ...            "{ SELECT ?s ?p ?o { ?s ?p ?o } } }")
    'CONSTRUCT'
    """
    found = _FORM.search(_OPAQUE.sub(" ", sparql))
    return found[1].upper() if found else None


def check_query(sparql: str, *, allow_remote: bool = False) -> None:
    """Refuse a query that would reach the network (``SERVICE``) unless ``allow_remote``."""
    if not allow_remote and "SERVICE" in keywords(sparql):
        raise QueryRefused(
            "SERVICE (a federated query to another endpoint) is not allowed here: this store "
            "does not fetch from the network unless remote access is allowed"
        )


def check_update(sparql: str, *, allow_remote: bool = False) -> None:
    """Refuse an update that would reach the network (``LOAD``, ``SERVICE``) unless
    ``allow_remote``."""
    if allow_remote:
        return
    found = keywords(sparql) & {"LOAD", "SERVICE"}
    if found:
        raise QueryRefused(
            f"{' and '.join(sorted(found))} (fetching from the network) is not allowed here: "
            "load files with `servicekg load` instead, or allow remote access"
        )


def has_dataset_clause(sparql: str) -> bool:
    """Whether a query chooses its own dataset (``FROM`` or ``FROM NAMED``).

    >>> has_dataset_clause("SELECT * FROM <http://example.org/g> { ?s ?p ?o }")
    True
    >>> has_dataset_clause("SELECT ?from { ?from ?p 'FROM' }")
    False
    """
    return "FROM" in keywords(sparql)
