"""The command line on a remote SPARQL endpoint: a real Oxigraph server, and our own
`servicekg serve` that wants a bearer token for updates."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from live_server import live_server
from oxigraph_server import oxigraph_server
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.stores import StoreError

COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.mark.parametrize("union", ["dataset", "oxigraph"])
def test_load_update_query_and_assess_on_an_oxigraph_server(
    run_cli, tmp_path: Path, union: str
) -> None:
    with oxigraph_server(tmp_path / "data") as server:
        where = [
            "--endpoint",
            server.query_url,
            "--update-endpoint",
            server.update_url,
            "--store-endpoint",
            server.store_url,
            "--union",
            union,
        ]
        assert run_cli("load", *where).exit_code == 0
        update = "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/p> 1 } }"
        assert run_cli("update", update, *where).exit_code == 0
        out = run_cli("query", COUNT, "--format", "csv", *where).stdout
        sizes = {r["g"]: int(r["n"]) for r in csv.DictReader(io.StringIO(out))}
        assert sizes["http://x/g"] == 1
        assert sizes[str(GRAPH.ontology)] > 3000
        union_count = run_cli(
            "query", "SELECT (COUNT(*) AS ?n) { ?s skos:prefLabel ?o }", "--format", "csv", *where
        ).stdout
        assert int(union_count.split()[1]) > 100  # the union reaches the ontology graph
        examples = Path(__file__).resolve().parents[1] / "examples"
        assert run_cli("assess", str(examples), "--format", "json", *where).exit_code == 0
        explained = run_cli("explain", "burgeri-riga", "slow-service-fast-food", *where)
        assert "service_time_seconds = 156" in explained.stdout


def test_a_token_reaches_our_own_server(tmp_path: Path) -> None:
    with live_server(
        "--store", str(tmp_path / "store"), "--allow-update", "--token", "s3cret"
    ) as server:
        anonymous = KnowledgeBase.remote(server.sparql_url)
        with pytest.raises(StoreError, match=r"HTTP 40[13]"):
            anonymous.update("INSERT DATA { <http://x/a> <http://x/p> 1 }")
        kb = KnowledgeBase.remote(server.sparql_url, token="s3cret")  # noqa: S106
        kb.update("INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/p> 1 } }")
        assert kb.select("SELECT ?s FROM <http://x/g> WHERE { ?s ?p ?o }") == [{"s": "http://x/a"}]
