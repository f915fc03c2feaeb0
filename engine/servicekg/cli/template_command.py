"""``servicekg template``: the intake workbook a consultant fills in."""

from __future__ import annotations

from pathlib import Path

import click

from servicekg.cli.app import app, console, lang_option


@app.command()
@click.option(
    "--sector",
    required=True,
    help="The client's sector code (bakery, bank, hotel, retail, ...); its metrics come first.",
)
@lang_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("audit.xlsx"),
    show_default=True,
    help="Where to write the workbook (.xlsx).",
)
def template(sector: str, lang: str, out: Path) -> None:
    """Write an Excel workbook to fill in at a client: businesses, observations (the metrics
    that matter for SECTOR first, with unit, valid range and how to measure each) and
    instructions, in the chosen language. `servicekg assess` reads it back as filled in."""
    from servicekg.intake import write_template  # openpyxl and the rules load only when used

    written = write_template(out, sector.strip().lower(), lang)
    console.print(f"wrote {written}")
