"""A real server under mixed concurrent work: SPARQL queries (each in a forked worker, a new one
after every write) while other requests read and write the store in the server's own process.

Regression: a query worker forked while another thread was inside the store (a Graph Store
GET dumping a graph, a JSON route's query) inherited the store's locks held and hung until its
time limit; under load with updates, one query in a few hundred was answered 503 after the
whole --query-timeout (see servicekg.concurrency.fork_gate).
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from live_server import LiveServer, live_server

pytestmark = pytest.mark.slow

SECONDS = 8.0
DERIVED = "/store?graph=" + quote("https://w3id.org/servicekg/graph/derived", safe="")


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server("--allow-update", "--query-timeout", "3") as running:
        yield running


def _loop(server: LiveServer, kind: str, statuses: list[tuple[str, int]], lock: Any) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    stop = time.monotonic() + SECONDS
    number = 0
    try:
        while time.monotonic() < stop:
            number += 1
            if kind == "query":
                query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
                connection.request("GET", "/sparql?" + urlencode({"query": query}))
            elif kind == "dump":
                connection.request("GET", DERIVED, headers={"Accept": "application/n-triples"})
            elif kind == "json":
                connection.request("GET", "/api/businesses")
            else:
                triple = f"<urn:x-test:{kind}> <urn:x-test:n> {number}"
                update = f"INSERT DATA {{ GRAPH <urn:x-test:c> {{ {triple} }} }}"
                connection.request(
                    "POST",
                    "/sparql",
                    body=update.encode(),
                    headers={"Content-Type": "application/sparql-update"},
                )
            response = connection.getresponse()
            response.read()
            with lock:
                statuses.append((kind, response.status))
    finally:
        connection.close()


def test_queries_are_answered_while_other_requests_read_and_write_the_store(
    server: LiveServer,
) -> None:
    statuses: list[tuple[str, int]] = []
    lock = threading.Lock()
    kinds = ["query", "query", "query", "dump", "dump", "json", "update-a", "update-b"]
    threads = [threading.Thread(target=_loop, args=(server, k, statuses, lock)) for k in kinds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = [(kind, status) for kind, status in statuses if status >= 300]
    assert failed == [], failed
    assert sum(1 for kind, _ in statuses if kind == "query") > 20
    assert sum(1 for kind, _ in statuses if kind.startswith("update")) > 20
