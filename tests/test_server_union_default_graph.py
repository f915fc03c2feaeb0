"""Why the W3C test "GRAPH variable inside of EXISTS is bound to external variable"
(w3c/rdf-tests, ``sparql11/exists#exists-graph-variable``, newer than the vendored suite) passes
on Oxigraph's server and not on ``servicekg serve`` as it starts by default.

The test loads the same data as the default graph and as a named graph. With the union
default graph (servicekg's default, Oxigraph server's ``--union-default-graph``), every triple
of that named graph is in the default graph a second time, so each solution comes twice: the
union is of quads, not an RDF merge. With the standard dataset (``--no-union-default-graph``,
which the conformance tests use) servicekg answers as the test expects.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from server_client import client_for
from servicekg.knowledge_base import KnowledgeBase

EX = "http://example.org/"
QUERY = f"SELECT ?s WHERE {{ ?s <{EX}p> ?g FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"


def _same_data_in_default_and_named_graph() -> KnowledgeBase:
    kb = KnowledgeBase()
    graph = ox.NamedNode(EX + "g")
    triple = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), graph)
    kb.add_quads([triple], None)
    kb.add_quads([triple], graph)
    return kb


@pytest.mark.parametrize(("union", "rows"), [(False, 1), (True, 2)])
def test_the_graph_variable_inside_exists_is_the_outer_one(union: bool, rows: int) -> None:
    kb = _same_data_in_default_and_named_graph()
    with client_for(kb, union_default_graph=union) as client:
        answer = client.get("/sparql", params={"query": QUERY})
    assert answer.status_code == 200, answer.text
    bindings = answer.json()["results"]["bindings"]
    assert [b["s"]["value"] for b in bindings] == [EX + "s"] * rows
