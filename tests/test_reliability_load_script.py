"""``bench/load_test.py`` against a small SPARQL server on 127.0.0.1 (the SPARQL 1.1 protocol
over a pyoxigraph store): it measures, finds no lost update on a sound server, finds the lost
updates of a server that acknowledges writes it drops, and refuses an address off this machine.

The servicekg server itself is load-tested with the same script (see the README).
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import json
import os
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest

SCRIPT = Path(__file__).parent.parent / "bench" / "load_test.py"


@functools.cache
def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("servicekg_load_test", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class _Sparql(BaseHTTPRequestHandler):
    """GET/POST /sparql (query or update), GET /api/businesses; drops every ``lossy``-th update."""

    store: ox.Store
    lock = threading.Lock()
    lossy = 0
    updates = itertools.count(1)

    def log_message(self, *_args: object) -> None:
        return None

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/api/businesses":
            self._send(200, b'[{"business": "A"}]', "application/json")
        else:
            self._answer(parse_qs(url.query).get("query", [""])[0], None)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if self.headers.get("Content-Type") == "application/sparql-query":
            self._answer(body, None)
            return
        form = parse_qs(body)
        self._answer(form.get("query", [""])[0], form.get("update", [None])[0])

    def _answer(self, query: str, update: str | None) -> None:
        try:
            if update is not None:
                if self.lossy and next(self.updates) % self.lossy == 0:
                    self._send(204, b"", "text/plain")  # acknowledged, never applied
                    return
                with self.lock:
                    self.store.update(update)
                self._send(204, b"", "text/plain")
                return
            with self.lock:
                result = self.store.query(query).serialize(format=ox.QueryResultsFormat.JSON)
            self._send(200, result, "application/sparql-results+json")
        except SyntaxError as error:
            self._send(400, str(error).encode(), "text/plain")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(params=[0, 7], ids=["sound", "drops every 7th write"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:
    handler = type("Handler", (_Sparql,), {"store": ox.Store(), "lossy": request.param})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", request.param
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_the_load_script_measures_and_checks_every_acknowledged_write(
    server: tuple[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, lossy = server
    report = tmp_path / "load.json"
    code = _script().main(
        ["--url", url, "--clients", "4", "--duration", "1.5", "--pid", str(os.getpid()),
         "--report", str(report), "--token", "secret"]
    )  # fmt: skip
    result = json.loads(report.read_text())
    assert set(result["kinds"]) == {"query-get", "query-form", "query-direct", "json", "update"}
    assert result["requests"] > 20
    assert result["p50_ms"] <= result["p99_ms"]
    assert result["server_rss_mb"]["samples"] >= 1
    assert {"first", "half", "last", "growth_second_half_percent"} <= set(result["server_rss_mb"])
    assert result["updates_acknowledged"] > 0
    assert "lost" in capsys.readouterr().out
    if lossy:
        assert code == 1
        assert 0 < result["updates_lost"] < result["updates_acknowledged"]
        assert result["lost_examples"]
    else:
        assert code == 0
        assert (result["errors"], result["updates_lost"]) == (0, 0)


@pytest.mark.parametrize("url", ["http://10.0.0.1:8000", "https://127.0.0.1:8000", "http://"])
def test_the_load_script_refuses_anything_but_plain_http_on_loopback(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        _script().main(["--url", url, "--duration", "1"])
    assert caught.value.code == 2
    assert "error" in capsys.readouterr().err
