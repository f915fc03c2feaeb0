"""The query page: its HTML parsed, every asset served by the server itself with no external
URL, the example queries offered, and no way for data to become markup."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from server_client import assert_error, client_for
from servicekg.graph.example_queries import ExampleQuery, example_queries
from servicekg.knowledge_base import KnowledgeBase
from servicekg.server.query_page import STATIC_DIR, render_page

EXTERNAL = re.compile(r"(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}|@import|url\(")


class _Page(HTMLParser):
    """The parts of a page these tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _parse(text: str) -> _Page:
    parsed = _Page()
    parsed.feed(text)
    parsed.close()
    return parsed


@pytest.fixture(scope="module")
def client(sample_kb: KnowledgeBase) -> Iterator[TestClient]:
    with client_for(sample_kb) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/", "/query"])
def test_the_page_has_an_editor_examples_and_a_run_button(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    parsed = _parse(response.text)
    assert parsed.all("textarea")[0]["name"] == "query"
    options = [o["value"] for o in parsed.all("option")]
    assert [q.name for q in example_queries()] == [
        v
        for v in options
        if v
        and v
        not in (
            "table",
            "raw",
        )
    ]
    assert any(b.get("type") == "submit" for b in parsed.all("button"))
    examples = json.loads("".join(parsed.scripts))
    assert examples == {q.name: q.sparql for q in example_queries()}


def test_every_asset_is_ours_and_served_here(client: TestClient) -> None:
    response = client.get("/")
    parsed = _parse(response.text)
    sources = [s["src"] for s in parsed.all("script") if s.get("src")]
    sources += [link["href"] for link in parsed.all("link") if link.get("href")]
    assert sources
    for source in sources:
        assert source is not None
        assert source.startswith("/static/"), source
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert not EXTERNAL.search(asset.text), (source, EXTERNAL.search(asset.text))
    for attrs in parsed.all("a"):
        assert str(attrs["href"]).startswith("/")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert not EXTERNAL.search(response.text.replace("http://www.w3.org", ""))


def test_every_static_file_is_linked_or_used() -> None:
    names = sorted(p.name for p in STATIC_DIR.iterdir())
    assert names == ["query.css", "query.js"]


def test_the_script_never_writes_html() -> None:
    script = (STATIC_DIR / "query.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    assert "textContent" in script


def test_no_path_traversal_out_of_static(client: TestClient) -> None:
    for target in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py"):
        response = client.get(target)
        assert response.status_code == 404, target
        assert "create_app" not in response.text
    assert_error(client.get("/static/nothing.js"), "not_found")


def test_an_example_query_cannot_break_out_of_the_page() -> None:
    hostile = ExampleQuery(
        name='x"><script>alert(1)</script>',
        question="</option><script>alert(2)</script>",
        sparql="SELECT * WHERE { ?s ?p '</script><script>alert(3)</script>' }",
        path=STATIC_DIR / "none.rq",
    )
    parsed = _parse(render_page([hostile]))
    scripts = parsed.all("script")
    assert [s.get("src") for s in scripts] == ["/static/query.js", None]
    assert scripts[1]["type"] == "application/json"
    assert json.loads("".join(parsed.scripts)) == {hostile.name: hostile.sparql}
    assert [o["value"] for o in parsed.all("option")][1] == hostile.name
