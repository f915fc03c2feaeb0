"""The query page in a real headless Chromium: results show as a table, and data that looks
like markup (a business named ``<script>alert(1)</script>``) shows as text, never as HTML.

Chromium is Debian's (``SERVICEKG_CHROMIUM``, default ``/usr/bin/chromium``), which the
Makefile's ``browser`` step installs for ``make test``, as for the graph views' browser tests."""

from __future__ import annotations

import http.client
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from browser.viz_pages import CHROMIUM, CHROMIUM_ARGS
from live_server import LiveServer, live_server

pytestmark = [pytest.mark.slow, pytest.mark.browser]

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
NAMES = "SELECT ?name WHERE { ?b <https://schema.org/name> ?name } ORDER BY ?name"


class _Dom(HTMLParser):
    """Tags and the text of table cells of a dumped DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[str] = []
        self.status = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "td":
            self._in = "td"
            self.cells.append("")
        elif tag == "p" and dict(attrs).get("id") == "status":
            self._in = "status"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "p"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "td":
            self.cells[-1] += data
        elif self._in == "status":
            self.status += data


def _rendered(server: LiveServer, query: str, tmp_path: Path) -> _Dom:
    url = server.url("/?query=" + quote(query, safe=""))
    if not CHROMIUM.is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make browser` (Debian's chromium package)")
    result = subprocess.run(
        [
            str(CHROMIUM),
            "--headless=new",
            *CHROMIUM_ARGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=15000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    dom = _Dom()
    dom.feed(result.stdout.decode("utf-8"))
    dom.close()
    return dom


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store = tmp_path_factory.mktemp("store")
    with live_server("--store", str(store), "--allow-update") as live:
        data = (
            f"<urn:ex:evil> <https://schema.org/name> {_turtle(HOSTILE)} .\n"
            '<urn:ex:good> <https://schema.org/name> "Ātrie Burgeri" .\n'
        )
        connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
        connection.request(
            "PUT", "/store?default", body=data.encode(), headers={"Content-Type": "text/turtle"}
        )
        assert connection.getresponse().status in (201, 204)
        connection.close()
        yield live


def _turtle(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_markup_in_the_data_shows_as_text(server: LiveServer, tmp_path: Path) -> None:
    dom = _rendered(server, NAMES, tmp_path)
    assert dom.cells == [HOSTILE, "Ātrie Burgeri"], dom.cells
    scripts = [attrs for tag, attrs in dom.tags if tag == "script"]
    assert [s.get("src") for s in scripts] == ["/static/query.js", None]
    assert not [attrs for tag, attrs in dom.tags if tag == "img"]
    assert "2 rows" in dom.status


def test_an_error_shows_its_message(server: LiveServer, tmp_path: Path) -> None:
    dom = _rendered(server, "SELECT ?x WHERE { ?x", tmp_path)
    assert dom.status.startswith("400: SPARQL syntax error (line 1"), dom.status
    assert dom.cells == []
