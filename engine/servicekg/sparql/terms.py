"""Terms in queries and out of them: binding variables to RDF terms before evaluation, and
reading solutions as plain Python values."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pyoxigraph as ox
import rdflib

__all__ = ["bind_variables", "python_value"]


def bind_variables(sparql: str, values: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Replace each ``?name`` (or ``$name``) of ``sparql`` by the term ``values[name]``.

    Terms are written in N-Triples syntax, so IRIs and literals are escaped; a ``?name`` inside
    a string literal of the query would be replaced too, so bound names must not occur there.

    >>> bind_variables("SELECT ?l WHERE { ?c ?p ?l }", {"c": ox.NamedNode("http://x/a")})
    'SELECT ?l WHERE { <http://x/a> ?p ?l }'
    """
    for name, term in values.items():
        if not isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
            raise TypeError(f"bind {name!r} to a pyoxigraph term, not {type(term).__name__}")
        sparql = re.sub(rf"[?$]{re.escape(name)}\b", _constant(str(term)), sparql)
    return sparql


def _constant(text: str) -> Callable[[re.Match[str]], str]:
    """A replacement for :func:`re.sub` that inserts ``text`` as it is (no escapes)."""
    return lambda _match: text


def python_value(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value (IRI: str; literal: its native value)."""
    if isinstance(term, ox.Literal):
        return rdflib.Literal(
            term.value,
            lang=term.language,
            datatype=None if term.language else rdflib.URIRef(term.datatype.value),
        ).toPython()
    return term.value
