"""Texts from data are escaped in every report: a business named ``<script>alert(1)</script>``,
names and notes with ``|``, Markdown or rich markup, and line breaks, neither break the HTML and
Markdown reports nor inject anything into them (checked by parsing what they produce)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import Result
from markdown_it import MarkdownIt

from servicekg.assessment.pipeline import AssessmentRun, run_assessment
from servicekg.reports import html_report, markdown_report

SCRIPT = "<script>alert(1)</script>"
NAMES = {
    SCRIPT: "<img src=x onerror=alert(2)>",
    "pipes": "Bar | Grill | *Best* _in_ `town` [click](https://evil.example/)",
    "breaks": "Line one\n# Injected heading\n- injected item\n\n<b>bold</b>",
    "markup": "[bold red]Rich[/] &amp; &lt;script&gt; \\ ~~gone~~ ![i](https://evil.example/i.png)",
}


def _assessed(folder: Path, names: dict[str, str]) -> AssessmentRun:
    folder.mkdir()
    with (folder / "businesses.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["business", "name", "sector", "note"])
        for business, name in names.items():
            writer.writerow([business, name, "fast-food", f"note | {SCRIPT}"])
    with (folder / "observations.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["business", "metric", "value", "note", "source"])
        for business in names:
            writer.writerow([business, "service_time_seconds", 400, f"| {SCRIPT} |", SCRIPT])
            writer.writerow([business, "greeting_rate", 0.3, "*a* | b", "[x](y)"])
    return run_assessment([folder / "businesses.csv", folder / "observations.csv"])


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> AssessmentRun:
    return _assessed(tmp_path_factory.mktemp("escaping") / "data", NAMES)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> AssessmentRun:
    """The same businesses under plain names: the reports' structure without data in it."""
    names = {f"b{i}": f"Name {i}" for i in range(len(NAMES))}
    return _assessed(tmp_path_factory.mktemp("plain") / "data", names)


class _Elements(HTMLParser):
    """The start tags, attributes and text of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def test_the_html_report_shows_data_as_text_and_injects_nothing(
    run: AssessmentRun, plain: AssessmentRun
) -> None:
    page = _parsed(html_report(run.report))
    assert page.tags == _parsed(html_report(plain.report)).tags  # data added no element
    assert not [a for a in page.attributes if a.startswith("on") or a == "src"]
    text = "".join(page.text)
    for business, name in NAMES.items():
        assert name in text  # the name shows as it was written
        assert business not in page.tags
    assert page.tags.count("section") == len(NAMES)
    assert "<b>bold</b>" in text


def _rendered(markdown: str) -> _Elements:
    return _parsed(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))


def test_the_markdown_report_renders_data_as_text_and_injects_nothing(
    run: AssessmentRun, plain: AssessmentRun
) -> None:
    page = _rendered(markdown_report(run.report))
    assert page.tags == _rendered(markdown_report(plain.report)).tags  # data added no element
    text = " ".join("".join(page.text).split())
    for name in NAMES.values():
        assert " ".join(name.split()) in text  # line breaks in a name read as spaces


def test_the_json_report_keeps_names_exactly(
    run_cli: Callable[..., Result], run: AssessmentRun
) -> None:
    names = {b["name"] for b in json.loads(json.dumps(run.report.as_dict()))["businesses"]}
    assert names == set(NAMES.values())


def test_the_terminal_table_prints_rich_markup_in_names_literally(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    data = tmp_path / "obs.csv"
    data.write_text(
        "business,metric,value\n[bold red]Rich[/],service_time_seconds,400\n", encoding="utf-8"
    )
    result = run_cli("assess", str(data))
    assert result.exit_code == 0, result.output
    assert "[bold red]Rich[/]" in result.output
