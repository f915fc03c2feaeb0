"""The command line on a remote SPARQL endpoint: each real engine the tests start (Oxigraph's
server; Virtuoso, marked ``virtuoso``), Oxigraph's server as a generic endpoint too, our own
`servicekg serve` that wants a bearer token for updates, and an endpoint that is not there."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from live_server import live_server
from oxigraph_server import oxigraph_server
from remote_engines import ENGINES, RemoteEndpoint, remote_endpoint
from servicekg.cli import app
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.stores import StoreError
from servicekg.stores.remote import RemoteStore

COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module", params=ENGINES)
def remote(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RemoteEndpoint]:
    with remote_endpoint(request.param, tmp_path_factory.mktemp(request.param)) as server:
        yield server


def _runner(remote: RemoteEndpoint) -> Callable[..., Result]:
    runner = CliRunner(env=remote.env())

    def run(*args: str) -> Result:
        return runner.invoke(app, [*args, *remote.options()], catch_exceptions=False)

    return run


def _check_round_trip(run: Callable[..., Result]) -> None:
    """load, update, query, assess and explain against the endpoint ``run`` names."""
    assert run("load").exit_code == 0
    update = "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/p> 1 } }"
    assert run("update", update).exit_code == 0
    out = run("query", COUNT, "--format", "csv").stdout
    sizes = {r["g"]: int(r["n"]) for r in csv.DictReader(io.StringIO(out))}
    assert sizes["http://x/g"] == 1
    assert sizes[str(GRAPH.ontology)] > 3000
    assert not [g for g in sizes if "openlinksw" in g or ("servicekg" not in g and "x/g" not in g)]
    union_count = run(
        "query", "SELECT (COUNT(*) AS ?n) { ?s skos:prefLabel ?o }", "--format", "csv"
    ).stdout
    assert int(union_count.split()[1]) > 100  # the union reaches the ontology graph
    assert run("assess", str(EXAMPLES), "--format", "json").exit_code == 0
    explained = run("explain", "burgeri-riga", "slow-service-fast-food")
    assert "service_time_seconds = 156" in explained.stdout


def test_load_update_query_assess_and_explain_on_each_engine(remote: RemoteEndpoint) -> None:
    remote.clear()
    _check_round_trip(_runner(remote))


@pytest.mark.parametrize("union", ["dataset", "oxigraph"])
def test_oxigraph_as_a_generic_endpoint(run_cli, tmp_path: Path, union: str) -> None:
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
        _check_round_trip(lambda *args: run_cli(*args, *where))


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


def test_the_cli_sends_the_endpoint_token_not_the_servers_own(tmp_path: Path) -> None:
    """``SERVICEKG_ENDPOINT_TOKEN`` is the endpoint's; ``SERVICEKG_TOKEN`` is a server's own."""
    secret = "s3cret"  # noqa: S105 (a test token)
    with live_server(
        "--store", str(tmp_path / "store"), "--allow-update", "--token", secret
    ) as server:
        update = ["update", "INSERT DATA { <http://x/a> <http://x/p> 1 }"]
        where = ["--endpoint", server.sparql_url]
        refused = CliRunner(env={"SERVICEKG_TOKEN": secret, "SERVICEKG_ENDPOINT_TOKEN": None})
        result = refused.invoke(app, [*update, *where])
        assert result.exit_code == 2
        assert "not allowed" in result.stderr
        sent = CliRunner(env={"SERVICEKG_TOKEN": None, "SERVICEKG_ENDPOINT_TOKEN": secret})
        assert sent.invoke(app, [*update, *where]).exit_code == 0


def test_an_endpoint_that_is_down_is_named_with_exit_2(run_cli) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/sparql"
    for engine in ("oxigraph", "virtuoso", "generic"):
        result = CliRunner().invoke(
            app, ["query", "ASK { ?s ?p ?o }", "--endpoint", url, "--engine", engine]
        )
        assert result.exit_code == 2, result.output
        assert f"127.0.0.1:{port}" in result.stderr
        assert "cannot reach" in result.stderr


def test_an_update_that_does_not_end_is_abandoned_at_its_limit() -> None:
    """A runaway update must not hold the caller: past its time limit the wait ends with an
    error naming the endpoint (here an endpoint that accepts and never answers)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    try:
        store = RemoteStore(f"http://127.0.0.1:{port}/sparql", update_timeout_s=1.0)
        started = time.monotonic()
        with pytest.raises(StoreError, match=rf"127\.0\.0\.1:{port}.*no answer in 1 s"):
            store.update("DELETE WHERE { ?s ?p ?o }", prefixes={})
        assert time.monotonic() - started < 5
    finally:
        thread.join(timeout=5)
        for connection in accepted:
            connection.close()
        listener.close()
