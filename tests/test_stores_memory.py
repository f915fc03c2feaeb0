"""An in-memory store whose graphs are replaced again and again: pyoxigraph keeps removed quads
in the lists every later lookup walks (and in memory), so the store is rebuilt without them
once they outnumber what it holds; the content stays exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from servicekg.knowledge_base import KnowledgeBase
from servicekg.stores import embedded

G1 = ox.NamedNode("https://example.org/graph/one")
G2 = ox.NamedNode("https://example.org/graph/two")
EMPTY = ox.NamedNode("https://example.org/graph/empty")


def _text(graph: ox.NamedNode, n: int, round_: int) -> bytes:
    return "".join(
        f'<https://example.org/s{i}> <https://example.org/p> "{round_}-{i}" {graph} .\n'
        for i in range(n)
    ).encode()


def _snapshot(kb: KnowledgeBase) -> set[str]:
    return set(kb.dump(rdf_format="nquads").decode().splitlines())


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "REBUILD_AFTER", 500)


def test_replacing_a_graph_again_and_again_keeps_the_removed_quads_bounded(
    small_threshold: None,
) -> None:
    kb = KnowledgeBase.open()
    shared = ox.BlankNode()
    kb.add_quads(
        [
            ox.Quad(
                ox.NamedNode("https://example.org/a"),
                ox.NamedNode("https://example.org/p"),
                shared,
                G2,
            ),
            ox.Quad(shared, ox.NamedNode("https://example.org/q"), ox.Literal("x"), G2),
            ox.Quad(
                ox.NamedNode("https://example.org/d"),
                ox.NamedNode("https://example.org/p"),
                ox.Literal("in the default graph"),
                ox.DefaultGraph(),
            ),
        ]
    )
    kb.post_graph(EMPTY, b"", "turtle")  # an empty named graph, as the Graph Store makes one
    store = kb.store
    carried = []
    for round_ in range(8):  # each replacement removes 400 (the old 200 and their copies)
        kb.replace_graphs_nquads([G1], [_text(G1, 200, round_)])
        carried.append(store.removed)
        assert store.removed <= max(len(kb), embedded.REBUILD_AFTER)
    assert carried == [0, 400, 0, 400, 0, 400, 0, 400]  # rebuilt once they outnumber the rest
    # the content is exactly the last replacement plus what else was there
    fresh = KnowledgeBase.open()
    fresh.add_quads(kb.quads())
    assert _snapshot(kb) == _snapshot(fresh)
    assert {q.object.value for q in kb.quads(G1)} == {f"7-{i}" for i in range(200)}
    # empty graphs survive a rebuild, and a blank node shared by two graphs stays one node
    assert EMPTY.value in kb.named_graphs()
    linked = kb.select(
        "SELECT ?x WHERE { GRAPH ?g { <https://example.org/a> <https://example.org/p> ?b }"
        " GRAPH ?h { ?b <https://example.org/q> ?x } }"
    )
    assert [row["x"] for row in linked] == ["x"]


def test_dropping_graphs_counts_towards_a_rebuild(small_threshold: None) -> None:
    kb = KnowledgeBase.open()
    for round_ in range(4):
        kb.replace_graphs_nquads([G1], [_text(G1, 300, round_)])
        kb.drop_graph(G1)
        assert kb.store.removed <= max(len(kb), embedded.REBUILD_AFTER)
    assert G1.value not in kb.named_graphs()


def test_an_on_disk_store_counts_nothing(tmp_path: Path, small_threshold: None) -> None:
    kb = KnowledgeBase.open(tmp_path / "store")
    for round_ in range(3):
        kb.replace_graphs_nquads([G1], [_text(G1, 400, round_)])
    assert kb.store.removed == 0
    assert len(list(kb.quads(G1))) == 400
    kb.close()


def test_a_second_assessment_in_the_same_memory_knowledge_base_leaves_no_dead_weight(
    small_threshold: None, tmp_path: Path
) -> None:
    """The regression: each run into the same in-memory knowledge base (a server, a notebook)
    left the previous run's quads, twice over, in the store for good."""
    from servicekg.assessment.pipeline import run_assessment

    examples = Path(__file__).parents[1] / "examples"
    kb = KnowledgeBase.with_ontology()
    first = run_assessment([examples], kb=kb)
    before = _snapshot(kb)
    for _ in range(3):
        run_assessment([examples], kb=kb)
        assert kb.store.removed <= max(len(kb), embedded.REBUILD_AFTER)
    assert first.report.businesses
    strip = {line for line in before if "endedAtTime" not in line}
    assert {line for line in _snapshot(kb) if "endedAtTime" not in line} == strip
