"""Texts from the data (business names, regions, notes with quotes and markup) reach the
server's pages and JSON as text: the /viz pages served over HTTP add no element for them, the
/api JSON returns them verbatim, and errors that repeat hostile input are JSON, never HTML.
(The query page is checked in test_server_page.py and in a browser in test_server_browser.py;
the pages as ``servicekg viz`` writes them in test_viz_page.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from server_client import assert_error, client_for
from servicekg.assessment.pipeline import run_assessment
from servicekg.resources import data_root

DATA = Path(__file__).parent / "data"
NAME = "<script>alert(1)</script>"
QUOTED = 'Bakkerij \'t "Hoekje" </script>'


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _tags(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    quoted = tmp_path_factory.mktemp("quoted")
    (quoted / "businesses.csv").write_text(
        f'business,name,sector,region\nquoted-shop,"{QUOTED.replace(chr(34), chr(34) * 2)}",'
        "retail,Rīga\n",
        encoding="utf-8",
    )
    (quoted / "observations.csv").write_text(
        'business,metric,value,note\nquoted-shop,greeting_rate,0.2,"she said ""hi"" & left <b>"\n',
        encoding="utf-8",
    )
    kb = run_assessment([data_root() / "examples", DATA / "viz", quoted]).kb
    with client_for(kb) as c:
        yield c


@pytest.mark.parametrize(
    "path",
    [
        "/viz/assessment?business=script-diner",
        "/viz/assessment?business=quoted-shop",
        "/viz/portfolio",
    ],
)
def test_view_pages_show_hostile_names_and_notes_as_text(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    for markup in ("<script>alert", "<img src=x", "<b>Rīga", "left <b>"):
        assert markup not in html, markup
    plain = client.get("/viz/assessment?business=burgeri-riga").text
    if "quoted-shop" in path:  # the name is there, escaped: in the title and as JSON data
        assert "&#34;Hoekje&#34; &lt;/script&gt;" in html
        assert '\\"Hoekje\\" \\u003c/script\\u003e' in html
    assert 'Hoekje" </script>' not in html
    assert 'Hoekje\\" </script>' not in html
    assert _tags(html).count("script") == _tags(plain).count("script")
    assert "img" not in _tags(html)


def test_the_json_routes_return_the_texts_verbatim(client: TestClient) -> None:
    rows = {r["business"]: r for r in client.get("/api/businesses").json()["businesses"]}
    assert rows["script-diner"]["name"] == NAME
    assert rows["quoted-shop"]["name"] == QUOTED
    report = client.get("/api/businesses/script-diner/recommendations").json()
    assert report["businesses"][0]["name"] == NAME


@pytest.mark.parametrize(
    "path",
    [
        f"/viz/assessment?business={NAME}",
        f"/viz/{NAME}",
        f"/api/rules/{NAME}",
        f"/api/businesses/{NAME}/recommendations",
        f"/no/{NAME}",
        f"/viz/principles?lang={NAME}",
    ],
)
def test_errors_repeating_hostile_input_are_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert_error(response, response.json()["error"]["code"])
    assert "text/html" not in response.headers["content-type"]
