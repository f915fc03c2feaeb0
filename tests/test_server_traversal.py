"""No path traversal through the routes that serve files or take a path (``/static/...``,
``/viz/...``, and the others for good measure), sent raw to a real server so that no client
tidies the path first: dot segments, percent-encoded and double-encoded, backslashes, absolute
paths, NUL bytes and overlong UTF-8. Each is a 404 in the one error shape, and nothing from
outside the static folder comes back."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator

import pytest

from live_server import LiveServer, live_server

pytestmark = pytest.mark.slow

TARGETS = [
    "/static/../app.py",
    "/static/%2e%2e/app.py",
    "/static/..%2fapp.py",
    "/static/%2e%2e%2fapp.py",
    "/static/.%2e/app.py",
    "/static/%252e%252e/app.py",
    "/static/..%5capp.py",
    "/static/..\\app.py",
    "/static/%2e%2e%5c%2e%2e%5cpyproject.toml",
    "/static/....//app.py",
    "/static/..;/app.py",
    "/static/%c0%ae%c0%ae/app.py",
    "/static/query.js%00.txt",
    "/static/query.js/..",
    "/static/../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/C:%5cWindows%5cwin.ini",
    "/static/",
    "/static/.",
    "/viz/../app.py",
    "/viz/%2e%2e",
    "/viz/..%2f..%2fapp.py",
    "/viz/..%5c..%5capp.py",
    "/viz//etc/passwd",
    "/viz/%2fetc%2fpasswd",
    "/viz/principles/../../app.py",
    "/api/../static/query.js",
    "/api/rules/..%2f..%2fetc%2fpasswd",
    "/api/businesses/..%2f..%2f/recommendations",
]
OUTSIDE = (b"create_app", b"root:", b"[project]", b"[fonts]", b"import ")


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server() as running:
        yield running


def _get(server: LiveServer, target: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", target)  # sent as written: http.client keeps dot segments
        response = connection.getresponse()
        return response.status, response.getheader("content-type") or "", response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("target", TARGETS)
def test_a_path_out_of_the_served_folders_is_not_found(server: LiveServer, target: str) -> None:
    status, media, body = _get(server, target)
    assert status == 404, (target, status, body[:200])
    assert media.startswith("application/json")
    error = json.loads(body)["error"]
    assert (error["status"], error["code"]) == (404, "not_found")
    for marker in OUTSIDE:
        assert marker not in body, (target, marker)


def test_the_static_files_themselves_are_served(server: LiveServer) -> None:
    status, media, body = _get(server, "/static/query.js")
    assert status == 200
    assert media.startswith(("text/javascript", "application/javascript"))
    assert b"textContent" in body
