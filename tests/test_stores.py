"""The knowledge base behaves the same on its three stores: in memory, on disk, and a remote
SPARQL endpoint (a real Oxigraph server on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from oxigraph_server import oxigraph_server
from servicekg.errors import InputError, ParseError, QuerySyntaxError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.stores import GraphNotFound
from servicekg.stores.embedded import STAGING

EX = "http://example.org/"
G1 = ox.NamedNode(EX + "g1")
G2 = ox.NamedNode(EX + "g2")
P = ox.NamedNode(EX + "p")


def _triple(s: str, o: int | str) -> ox.Triple:
    obj = ox.Literal(o) if isinstance(o, int) else ox.NamedNode(EX + o)
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), obj)


@pytest.fixture(scope="module")
def remote_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "data") as server:
        yield server


@pytest.fixture(params=["memory", "disk", "remote", "remote-oxigraph-union"])
def make_kb(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], KnowledgeBase]]:
    """``make_kb()``: an empty knowledge base of the store under test (the same one again when
    called twice, reopened for a disk store)."""
    opened: list[KnowledgeBase] = []

    def make() -> KnowledgeBase:
        if request.param == "memory":
            kb = opened[0] if opened else KnowledgeBase()
        elif request.param == "disk":
            for old in opened:
                old.close()
            kb = KnowledgeBase.open(tmp_path / "store")
        else:
            server = request.getfixturevalue("remote_server")
            union = "oxigraph" if request.param.endswith("union") else "dataset"
            kb = KnowledgeBase.remote(
                server.query_url, server.update_url, server.store_url, union=union
            )
            if not opened:
                kb.update("DROP SILENT ALL")
        opened.append(kb)
        return kb

    yield make
    for kb in opened:
        kb.close()


def test_quads_added_to_named_graphs_are_queried_as_one_union(make_kb) -> None:
    kb = make_kb()
    assert kb.add_quads([_triple("a", 1), _triple("b", 2)], G1) == 2
    kb.add_quads([_triple("c", 3)], G2)
    assert kb.named_graphs() == [G1.value, G2.value]
    assert kb.graph_sizes() == {G1.value: 2, G2.value: 1}
    assert len(kb) == 3
    rows = kb.select("SELECT ?s WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o")
    assert [r["s"] for r in rows] == [EX + "a", EX + "b", EX + "c"]


def test_from_and_protocol_dataset_choose_graphs(make_kb) -> None:
    kb = make_kb()
    kb.add_quads([_triple("a", 1)], G1)
    kb.add_quads([_triple("c", 3)], G2)
    from_one = kb.select("SELECT ?s FROM <http://example.org/g2> WHERE { ?s ?p ?o }")
    assert [r["s"] for r in from_one] == [EX + "c"]
    rows = list(kb.query("SELECT ?s WHERE { ?s ?p ?o }", default_graph=[G1.value]))
    assert [r["s"].value for r in rows] == [EX + "a"]
    named = list(
        kb.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", default_graph=[], named_graphs=[G2])
    )
    assert [r["g"].value for r in named] == [G2.value]


def test_replace_graph_replaces_only_that_graph(make_kb) -> None:
    kb = make_kb()
    kb.add_quads([_triple("a", 1), _triple("b", 2)], G1)
    kb.add_quads([_triple("c", 3)], G2)
    assert kb.replace_graph(G1, (t for t in [_triple("z", 9)])) == 1
    assert kb.graph_sizes() == {G1.value: 1, G2.value: 1}
    assert bool(kb.query("ASK { GRAPH <http://example.org/g1> { ?s ?p 9 } }"))
    assert not [g for g in kb.named_graphs() if g.startswith(STAGING)]


def test_drop_graph_and_update(make_kb) -> None:
    kb = make_kb()
    kb.add_quads([_triple("a", 1)], G1)
    kb.update(f"INSERT DATA {{ GRAPH <{G2.value}> {{ <{EX}x> skos:prefLabel 'x' }} }}")
    assert kb.graph_sizes() == {G1.value: 1, G2.value: 1}
    assert kb.drop_graph(G1) is True
    assert kb.drop_graph(G1) is False
    assert kb.named_graphs() == [G2.value]


def test_a_syntax_error_says_where(make_kb) -> None:
    kb = make_kb()
    with pytest.raises(QuerySyntaxError) as caught:
        kb.query("SELECT ?s\nWHERE {\n  ?s ?p\n}")
    assert caught.value.line == 4
    assert "line 4, column" in str(caught.value)
    with pytest.raises(QuerySyntaxError) as caught:
        kb.update("INSERT DATA {\n <http://x> <http://y> }")
    assert caught.value.line == 2


def test_graph_store_get_put_post_delete(make_kb) -> None:
    kb = make_kb()
    turtle = f"<{EX}a> <{EX}p> 1 .\n<{EX}b> <{EX}p> 2 ."
    assert kb.put_graph(G1, turtle, "text/turtle") is True
    assert kb.put_graph(G1, f"<{EX}c> <{EX}p> 3 .", "turtle") is False
    assert kb.post_graph(G1, f'<{EX}d> <{EX}p> "4" .', "application/n-triples") is False
    got = ox.parse(kb.get_graph(G1, "application/n-triples"), format=ox.RdfFormat.N_TRIPLES)
    assert sorted(t.subject.value for t in got) == [EX + "c", EX + "d"]
    assert kb.has_graph(G1)
    kb.delete_graph(G1)
    assert not kb.has_graph(G1)
    with pytest.raises(GraphNotFound):
        kb.get_graph(G1)
    with pytest.raises(GraphNotFound):
        kb.delete_graph(G1)
    assert kb.put_graph(G2, "", "text/turtle") is True
    assert kb.has_graph(G2)


def test_the_default_graph_through_the_graph_store(make_kb) -> None:
    kb = make_kb()
    kb.put_graph(None, f"<{EX}a> <{EX}p> 1 .", "text/turtle")
    kb.add_quads([_triple("b", 2)], G1)
    default = ox.parse(kb.get_graph(None, "nt"), format=ox.RdfFormat.N_TRIPLES)
    assert [t.subject.value for t in default] == [EX + "a"]
    kb.delete_graph(None)
    assert list(ox.parse(kb.get_graph(None, "nt"), format=ox.RdfFormat.N_TRIPLES)) == []


def test_rdf_that_does_not_parse_changes_nothing(make_kb) -> None:
    kb = make_kb()
    kb.put_graph(G1, f"<{EX}a> <{EX}p> 1 .", "text/turtle")
    with pytest.raises(ParseError) as caught:
        kb.put_graph(G1, f"<{EX}a> <{EX}p> 2 .\n<{EX}b> <{EX}p> .", "text/turtle")
    assert caught.value.location.line == 2
    assert kb.graph_sizes() == {G1.value: 1}
    with pytest.raises(InputError, match="unknown RDF format"):
        kb.put_graph(G1, "x", "text/x-nonsense")


def test_loading_several_files_is_all_or_nothing(make_kb, tmp_path: Path) -> None:
    kb = make_kb()
    good = tmp_path / "good.ttl"
    good.write_text(f"<{EX}a> <{EX}p> 1 .")
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"<{EX}b> <{EX}p> 2 .\n<{EX}c> <{EX}p> ")
    with pytest.raises(ParseError) as caught:
        kb.load_files([good, bad], G1)
    assert caught.value.location.path == bad
    assert len(kb) == 0
    assert kb.load_files([good], G1) == 1
    assert kb.graph_sizes() == {G1.value: 1}


def test_dump_writes_each_format_that_reads_back(make_kb) -> None:
    kb = make_kb()
    kb.add_quads([_triple("a", 1), _triple("b", "c")], G1)
    kb.add_quads([_triple("d", 2)], G2)
    for name, fmt in (("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD)):
        assert len(list(ox.parse(kb.dump(G1, name), format=fmt))) == 2
    everything = list(ox.parse(kb.dump(rdf_format="nquads"), format=ox.RdfFormat.N_QUADS))
    assert sorted(q.graph_name.value for q in everything) == [G1.value, G1.value, G2.value]


def test_the_ontology_loads_with_its_shortcuts(make_kb) -> None:
    kb = make_kb()
    kb.load_ontology()
    assert bool(kb.query("ASK { skg:EmployeeTreatment skg:influences+ skg:Profit }"))
    sizes = kb.graph_sizes()
    assert sizes[str(GRAPH.ontology)] > 3000
    assert sizes[str(GRAPH.derived)] > 100
    kb.load_ontology()
    assert kb.graph_sizes() == sizes


def test_what_was_written_is_there_when_the_store_is_opened_again(make_kb) -> None:
    kb = make_kb()
    kb.add_quads([_triple("a", 1)], G1)
    kb.replace_graph(G2, [_triple("b", 2)])
    again = make_kb()
    assert again.graph_sizes() == {G1.value: 1, G2.value: 1}


def test_a_remote_store_that_is_not_there_is_named(tmp_path: Path) -> None:
    from servicekg.stores import StoreError

    kb = KnowledgeBase.remote("http://127.0.0.1:9/query")
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:9"):
        kb.named_graphs()
    with pytest.raises(StoreError, match="not an http"):
        KnowledgeBase.remote("file:///etc/passwd")


def test_a_disk_store_removes_a_staging_graph_left_by_a_killed_replace(tmp_path: Path) -> None:
    kb = KnowledgeBase.open(tmp_path / "store")
    kb.add_quads([_triple("a", 1)], G1)
    kb.add_quads([_triple("half", 1)], STAGING + "left-over")
    kb.close()
    again = KnowledgeBase.open(tmp_path / "store")
    assert again.named_graphs() == [G1.value]
    again.close()


def test_replacing_graphs_from_nquads_text_swaps_them_whole_or_not_at_all(make_kb) -> None:
    kb = make_kb()
    g, h = "http://x/g", "http://x/h"
    kb.add_quads([ox.Quad(ox.NamedNode("http://x/old"), P, ox.Literal("old"), ox.NamedNode(g))])
    before = set(kb.quads())
    new = f'<http://x/a> <{P.value}> "a" <{g}> .\n<http://x/b> <{P.value}> "b" <{h}> .\n'

    def failing() -> Iterator[bytes]:
        yield new.encode()
        raise OSError("the source broke midway")

    with pytest.raises(OSError, match="midway"):
        kb.replace_graphs_nquads([g, h], failing())
    assert set(kb.quads()) == before
    assert sorted(kb.named_graphs()) == [g]  # no staging graph is left behind
    assert kb.replace_graphs_nquads([g, h], [new.encode()]) == 2
    assert kb.graph_sizes() == {g: 1, h: 1}
    assert {q.object.value for q in kb.quads()} == {"a", "b"}
