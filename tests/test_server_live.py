"""The real server: ``servicekg serve`` (uvicorn, started by the CLI) on 127.0.0.1. It survives
a client that disconnects mid-response, a query that times out and one whose result is over
the limit, serving the next request normally; it fetches nothing from the network for FROM,
FROM NAMED, SERVICE or LOAD (a listener on 127.0.0.1 sees no connection); its limits and
tokens work over real HTTP."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from live_server import LiveServer, live_server

TOKEN = "live-token"  # noqa: S105 (a test token)
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ASK = "ASK { skg:Friendliness a skg:BasicNeed }"

pytestmark = pytest.mark.slow


def _request(
    server: LiveServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _query(server: LiveServer, query: str, **params: str) -> tuple[int, bytes]:
    status, _, body = _request(server, "GET", "/sparql?" + urlencode({"query": query, **params}))
    return status, body


def _code(body: bytes) -> str:
    return str(json.loads(body)["error"]["code"])


@pytest.fixture(scope="module")
def sample() -> Iterator[LiveServer]:
    """The default server: the sample knowledge base, read-only, a short time limit."""
    with live_server("--query-timeout", "2") as server:
        yield server


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """An on-disk store, updates with the token from the environment, small limits."""
    store = tmp_path_factory.mktemp("store")
    with live_server(
        "--store",
        str(store),
        "--allow-update",
        "--result-limit",
        "4000",
        "--max-body",
        "3000",
        env={"SERVICEKG_TOKEN": TOKEN},
    ) as server:
        yield server


def test_the_cli_serves_page_endpoint_and_api(sample: LiveServer) -> None:
    status, headers, body = _request(sample, "GET", "/")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert b"/static/query.js" in body
    status, body = _query(sample, ASK)
    assert status == 200
    assert json.loads(body)["boolean"] is True
    status, _, body = _request(sample, "GET", "/api/businesses")
    assert len(json.loads(body)["businesses"]) >= 8


def test_a_client_that_disconnects_mid_response_does_not_stop_the_server(
    sample: LiveServer,
) -> None:
    target = "/sparql?" + urlencode({"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", sample.port), timeout=30) as sock:
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            first = sock.recv(4096)
            assert first.startswith(b"HTTP/1.1 200")
            # close at once with a reset, the body mostly unread
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    status, body = _query(sample, ASK)
    assert status == 200
    assert json.loads(body)["boolean"] is True
    assert sample.alive()


def test_a_query_over_the_time_limit_is_stopped_and_the_next_is_served(
    sample: LiveServer,
) -> None:
    started = time.monotonic()
    status, body = _query(sample, SLOW)
    elapsed = time.monotonic() - started
    assert status == 503
    assert _code(body) == "query_timeout"
    assert elapsed < 15, elapsed
    started = time.monotonic()
    status, body = _query(sample, ASK)
    assert status == 200
    assert time.monotonic() - started < 5
    assert sample.alive()


def test_a_result_over_the_limit_is_refused_and_the_next_is_served(writable: LiveServer) -> None:
    triples = "".join(f"<urn:ex:s{i}> <urn:ex:p> {i} .\n" for i in range(40))
    status, _, _ = _request(
        writable,
        "PUT",
        "/store?default",
        body=triples.encode(),
        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"},
    )
    assert status in (201, 204)
    small = "SELECT ?s WHERE { ?s <urn:ex:p> 1 }"
    wide = "SELECT ?s ?p ?o ?a ?b WHERE { ?s ?p ?o . ?a ?b 2 }"
    status, body = _query(writable, wide + " LIMIT 200")
    assert status == 413
    assert _code(body) == "result_too_large"
    status, body = _query(writable, small)
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 1


def test_a_body_over_the_limit_is_413(writable: LiveServer) -> None:
    status, _, body = _request(
        writable,
        "POST",
        "/sparql",
        body=b"ASK {} #" + b"x" * 5000,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 413
    assert _code(body) == "payload_too_large"


def test_the_token_from_the_environment_guards_updates(writable: LiveServer) -> None:
    update = b"INSERT DATA { <urn:ex:env> <urn:ex:p> 1 }"
    headers = {"Content-Type": "application/sparql-update"}
    assert _request(writable, "POST", "/sparql", update, headers)[0] == 401
    wrong = {**headers, "Authorization": "Bearer nope"}
    assert _request(writable, "POST", "/sparql", update, wrong)[0] == 403
    assert _query(writable, "ASK { <urn:ex:env> ?p ?o }")[1] == b'{"head":{},"boolean":false}'
    right = {**headers, "Authorization": f"Bearer {TOKEN}"}
    assert _request(writable, "POST", "/sparql", update, right)[0] == 204
    assert json.loads(_query(writable, "ASK { <urn:ex:env> ?p ?o }")[1])["boolean"] is True


class _Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it is offered."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    found = _Listener()
    yield found
    found.close()


def test_no_request_reaches_the_network(writable: LiveServer, listener: _Listener) -> None:
    remote = f"http://127.0.0.1:{listener.port}/data"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    status, _ = _query(writable, f"SELECT * FROM <{remote}> WHERE {{ ?s ?p ?o }}")  # noqa: S608
    assert status == 200
    status, _ = _query(
        writable,
        f"SELECT * FROM NAMED <{remote}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",  # noqa: S608
    )
    assert status == 200
    status, _ = _query(writable, "ASK { ?s ?p ?o }", **{"default-graph-uri": remote})
    assert status == 200
    status, body = _query(writable, f"SELECT * WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}")
    assert (status, _code(body)) == (403, "remote_not_allowed")
    status, body = _query(
        writable, f"SELECT * WHERE {{ SERVICE SILENT <{remote}> {{ ?s ?p ?o }} }}"
    )
    assert (status, _code(body)) == (403, "remote_not_allowed")
    for update in (f"LOAD <{remote}>", f"LOAD SILENT <{remote}> INTO GRAPH <urn:ex:g>"):
        status, _, body = _request(
            writable,
            "POST",
            "/sparql",
            update.encode(),
            {"Content-Type": "application/sparql-update", **auth},
        )
        assert (status, _code(body)) == (403, "remote_not_allowed"), update
    status, _, _ = _request(
        writable,
        "PUT",
        "/store?graph=" + quote(remote, safe=""),
        b"<urn:ex:a> <urn:ex:b> <urn:ex:c> .",
        {"Content-Type": "application/n-triples", **auth},
    )
    assert status == 201
    assert _request(writable, "GET", "/store?graph=" + quote(remote, safe=""))[0] == 200
    time.sleep(0.5)
    assert listener.connections == 0


def test_the_server_stops_cleanly(tmp_path: Path) -> None:
    with live_server("--store", str(tmp_path / "s")) as server:
        assert _query(server, "ASK {}")[0] == 200
    assert not server.alive()
    # uvicorn shuts down gracefully on SIGTERM, then ends by that signal (never SIGKILL)
    assert server.process.returncode in (0, -signal.SIGTERM)


def test_concurrent_clients_are_all_served(sample: LiveServer) -> None:
    paths = [
        "/sparql?" + urlencode({"query": ASK}),
        "/sparql?" + urlencode({"query": "SELECT ?n WHERE { skg:SixBasicNeeds skos:member ?n }"}),
        "/api/businesses",
        "/api/rules?lang=lv",
        "/store?graph=" + quote("https://w3id.org/servicekg/graph/derived", safe=""),
    ]
    statuses: list[int] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        for round_ in range(5):
            status, _, _ = _request(sample, "GET", paths[(index + round_) % len(paths)])
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 80
