"""Compare SPARQL results the way the W3C suite means them.

- Solution sequences are multisets of solutions (ordered lists when the query orders them),
  equal up to a one-to-one renaming of blank nodes; the projected variables must match.
- Booleans are booleans.
- Graphs (CONSTRUCT) are equal when isomorphic: both are canonicalised (blank nodes renamed
  from the graph's shape) and compared as sets of triples.

Terms are compared as RDF terms (IRI, lexical form, datatype), with two allowances every
SPARQL test harness makes (Jena's ``ResultSetCompare.equalsByValue``): language tags compare
without regard to case (RDF 1.1), and numbers of the same XSD type compare by value, since
SPARQL does not fix the lexical form of a computed number (``3.21E4`` and ``32100`` doubles).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

__all__ = [
    "Graph",
    "Solutions",
    "describe_difference",
    "graph_from",
    "same_graph",
    "same_solutions",
    "solutions_from",
]

Key = tuple[str, ...]
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + name
    for name in (
        "integer",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "positiveInteger",
    )
}
_FLOATS = {_XSD + "double", _XSD + "float"}
Row = frozenset[tuple[str, Key]]


@dataclass(frozen=True)
class Solutions:
    """A solution sequence (``boolean`` is None) or a boolean result (``rows`` is empty)."""

    variables: frozenset[str]
    rows: tuple[Row, ...]
    boolean: bool | None = None


@dataclass(frozen=True)
class Graph:
    """A graph, canonicalised: a set of N-Triples lines."""

    triples: frozenset[str]


def _key(term: object) -> Key:
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return ("literal", _number(term.value, datatype), datatype, (term.language or "").lower())
    raise TypeError(f"unexpected term in results: {term!r}")


def _number(lexical: str, datatype: str) -> str:
    """The canonical text of a number's value, or the lexical form itself for other literals."""
    try:
        if datatype in _INTEGERS:
            return str(int(lexical))
        if datatype == _XSD + "decimal":
            return str(Decimal(lexical).normalize())
        if datatype in _FLOATS:
            return repr(float(lexical))
    except (ValueError, InvalidOperation):
        return lexical
    return lexical


def solutions_from(
    data: bytes | None = None,
    format: ox.QueryResultsFormat | None = None,
    path: Path | None = None,
) -> Solutions:
    """Read SPARQL results (XML, JSON or TSV) from bytes or a file."""
    if path is not None:
        parsed = ox.parse_query_results(path=path, format=format)
    else:
        parsed = ox.parse_query_results(data, format)
    if isinstance(parsed, ox.QueryBoolean):
        return Solutions(frozenset(), (), bool(parsed))
    variables = [v.value for v in parsed.variables]
    rows = []
    for solution in parsed:
        rows.append(
            frozenset(
                (name, _key(solution[name])) for name in variables if solution[name] is not None
            )
        )
    return Solutions(frozenset(variables), tuple(rows))


def graph_from(
    data: bytes | None = None,
    format: ox.RdfFormat | None = None,
    path: Path | None = None,
    base_iri: str | None = None,
) -> Graph:
    """Read an RDF graph and canonicalise its blank nodes."""
    if path is not None:
        quads = ox.parse(path=path, format=format, base_iri=base_iri)
    else:
        quads = ox.parse(data, format, base_iri=base_iri)
    dataset = ox.Dataset(
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return Graph(frozenset(str(ox.Triple(q.subject, q.predicate, q.object)) for q in dataset))


def same_graph(expected: Graph, actual: Graph) -> bool:
    """Whether two canonicalised graphs are isomorphic."""
    return expected.triples == actual.triples


def same_solutions(expected: Solutions, actual: Solutions, ordered: bool) -> bool:
    """Whether two results are equal: same variables, same rows up to blank-node renaming."""
    if expected.boolean is not None or actual.boolean is not None:
        return expected.boolean == actual.boolean
    if expected.variables != actual.variables or len(expected.rows) != len(actual.rows):
        return False
    return _match(list(expected.rows), list(actual.rows), ordered, {}, set())


def _match(
    expected: list[Row],
    actual: list[Row],
    ordered: bool,
    mapping: dict[str, str],
    used: set[int],
) -> bool:
    """Backtracking search for a row pairing and a blank-node bijection that make them equal."""
    if not expected:
        return True
    first, rest = expected[0], expected[1:]
    candidates: Iterable[int] = [len(used)] if ordered else range(len(actual))
    for index in candidates:
        if index in used:
            continue
        extended = _unify(first, actual[index], mapping)
        if extended is None:
            continue
        used.add(index)
        if _match(rest, actual, ordered, extended, used):
            return True
        used.discard(index)
    return False


def _unify(expected: Row, actual: Row, mapping: dict[str, str]) -> dict[str, str] | None:
    if {name for name, _ in expected} != {name for name, _ in actual}:
        return None
    bound = dict(actual)
    extended = dict(mapping)
    taken = set(extended.values())
    for name, key in expected:
        other = bound[name]
        if key[0] != "bnode" or other[0] != "bnode":
            if key != other:
                return None
            continue
        if key[1] in extended:
            if extended[key[1]] != other[1]:
                return None
        elif other[1] in taken:
            return None
        else:
            extended[key[1]] = other[1]
            taken.add(other[1])
    return extended


def _show_row(row: Row) -> str:
    return "  {" + ", ".join(f"?{n}={'/'.join(k)}" for n, k in sorted(row)) + "}"


def describe_difference(expected: Solutions | Graph, actual: Solutions | Graph) -> str:
    """A readable account of what differs, for the assertion message."""
    if isinstance(expected, Graph) and isinstance(actual, Graph):
        missing = sorted(expected.triples - actual.triples)
        extra = sorted(actual.triples - expected.triples)
        return (
            "missing triples:\n  " + "\n  ".join(missing) + "\nunexpected:\n  " + "\n  ".join(extra)
        )
    if isinstance(expected, Solutions) and isinstance(actual, Solutions):
        if expected.boolean is not None or actual.boolean is not None:
            return f"expected {expected.boolean}, got {actual.boolean}"
        lines = [
            f"variables expected {sorted(expected.variables)}, got {sorted(actual.variables)}",
            f"expected {len(expected.rows)} rows:",
            *(_show_row(r) for r in _sample(expected.rows)),
            f"got {len(actual.rows)} rows:",
            *(_show_row(r) for r in _sample(actual.rows)),
        ]
        return "\n".join(lines)
    return f"expected {type(expected).__name__}, got {type(actual).__name__}"


def _sample(rows: Sequence[Row], limit: int = 30) -> Sequence[Row]:
    return rows[:limit]
