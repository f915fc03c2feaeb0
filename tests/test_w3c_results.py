"""The result comparison of the W3C harness says "different" when results differ.

The conformance tests are only as good as this comparison: a comparison that always agreed
would pass every test. These cases pin down what it accepts (blank-node renaming, row order
of unordered results, numbers written differently) and what it refuses.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from w3c.results import Solutions, graph_from, same_graph, same_solutions, solutions_from


def _json(head: list[str], *rows: dict[str, dict[str, str]]) -> bytes:
    return json.dumps({"head": {"vars": head}, "results": {"bindings": list(rows)}}).encode()


def _results(head: list[str], *rows: dict[str, dict[str, str]]) -> Solutions:
    return solutions_from(_json(head, *rows), ox.QueryResultsFormat.JSON)


def _b(label: str) -> dict[str, str]:
    return {"type": "bnode", "value": label}


def _n(lexical: str, datatype: str = "integer") -> dict[str, str]:
    return {
        "type": "literal",
        "value": lexical,
        "datatype": "http://www.w3.org/2001/XMLSchema#" + datatype,
    }


def test_blank_nodes_match_under_a_consistent_renaming() -> None:
    """_:a/_:b and _:x/_:y are the same result when the renaming is one-to-one."""
    expected = _results(["s", "o"], {"s": _b("a"), "o": _b("b")}, {"s": _b("b"), "o": _b("a")})
    renamed = _results(["s", "o"], {"s": _b("y"), "o": _b("x")}, {"s": _b("x"), "o": _b("y")})
    assert same_solutions(expected, renamed, ordered=False)


def test_blank_nodes_that_merge_two_into_one_do_not_match() -> None:
    """Two distinct blank nodes cannot both map to one."""
    expected = _results(["s"], {"s": _b("a")}, {"s": _b("b")})
    merged = _results(["s"], {"s": _b("x")}, {"s": _b("x")})
    assert not same_solutions(expected, merged, ordered=False)


def test_row_order_counts_only_when_ordered() -> None:
    """Swapped rows are equal as multisets, different as sequences."""
    one = _results(["v"], {"v": _n("1")}, {"v": _n("2")})
    other = _results(["v"], {"v": _n("2")}, {"v": _n("1")})
    assert same_solutions(one, other, ordered=False)
    assert not same_solutions(one, other, ordered=True)


def test_duplicates_count() -> None:
    """A multiset: one row twice is not the same as that row once and another once."""
    twice = _results(["v"], {"v": _n("1")}, {"v": _n("1")})
    both = _results(["v"], {"v": _n("1")}, {"v": _n("2")})
    assert not same_solutions(twice, both, ordered=False)


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        (_n("3.21E4", "double"), _n("32100", "double"), True),
        (_n("6.70", "decimal"), _n("6.7", "decimal"), True),
        (_n("1", "integer"), _n("1", "decimal"), False),
        (_n("2", "integer"), _n("3", "integer"), False),
    ],
)
def test_numbers_compare_by_value_within_one_type(
    left: dict[str, str], right: dict[str, str], same: bool
) -> None:
    """Lexical forms of one number agree; another type or value does not."""
    assert (
        same_solutions(_results(["v"], {"v": left}), _results(["v"], {"v": right}), False) is same
    )


def test_variables_must_match() -> None:
    """A result that projects other variables is a different result."""
    assert not same_solutions(_results(["a"]), _results(["b"]), ordered=False)


def test_graphs_compare_by_isomorphism() -> None:
    """Blank-node labels do not matter in graphs; a changed triple does."""
    ttl = b"<http://e/s> <http://e/p> _:x . _:x <http://e/q> 1 ."
    assert same_graph(
        graph_from(ttl, ox.RdfFormat.TURTLE),
        graph_from(ttl.replace(b"_:x", b"_:other"), ox.RdfFormat.TURTLE),
    )
    assert not same_graph(
        graph_from(ttl, ox.RdfFormat.TURTLE),
        graph_from(ttl.replace(b" 1 .", b" 2 ."), ox.RdfFormat.TURTLE),
    )
