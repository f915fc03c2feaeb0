"""The README's "Assess your own client in three steps", run as written: the template, a
consultant filling it in, and the Dutch PDF report."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result

README = Path(__file__).resolve().parents[1] / "README.md"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext)"),
]


def _steps() -> list[list[str]]:
    """The commands of the README's three-steps block (comments and continuations joined)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Assess your own client in three steps", 1)[1].split("```sh", 1)[1]
    block = block.split("```", 1)[0].replace("\\\n", " ")
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    return [shlex.split(c) for c in commands if c.startswith("servicekg ")]


def test_the_readme_gives_the_template_and_the_report_commands() -> None:
    steps = _steps()
    assert [s[:2] for s in steps] == [["servicekg", "template"], ["servicekg", "assess"]]


def test_the_three_steps_end_in_a_dutch_pdf_for_the_client(
    run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    template, assess = _steps()
    result = run_cli(*template[1:])
    assert result.exit_code == 0, result.output
    # 2. the consultant fills it in: one branch, three observations, a percentage cell
    book = openpyxl.load_workbook(tmp_path / "audit.xlsx")
    book["Bedrijven"].append(("centrum", "Bakkerij Jansen Centrum", "bakery", "Utrecht"))
    sheet = book["Waarnemingen"]
    filled = {"greeting_rate": 0.38, "service_time_seconds": 200, "friendliness_score": 4.6}
    for row in sheet.iter_rows(min_row=2):
        if row[1].value in filled:
            row[0].value, row[2].value = "centrum", filled[row[1].value]
            row[4].value, row[5].value = "14-11-2026", "mystery shop"
            if row[1].value == "greeting_rate":
                row[2].number_format = "0%"
    book.save(tmp_path / "audit.xlsx")
    result = run_cli(*assess[1:])
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    first_page = text.split("\f", 1)[0]
    assert "Bakkerij Jansen B.V." in first_page
    assert "A. de Vries" in first_page
    assert "Bakkerij Jansen Centrum" in text
    assert re.search(r"38\s?%", text)  # the percentage as typed, never 0,38 or 0,0038
    assert "14 november 2026" in text  # the date in Dutch
