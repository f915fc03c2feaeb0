"""``servicekg viz``: write one interactive graph view as a self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import click

from servicekg.assessment.pipeline import run_assessment
from servicekg.cli.app import app, err_console, lang_option
from servicekg.errors import InputError
from servicekg.knowledge_base import KnowledgeBase, QuerySyntaxError
from servicekg.resources import data_root
from servicekg.views import VIEWS, render_view

__all__ = ["viz"]

_NEEDS_ASSESSMENTS = ("assessment", "portfolio")


@app.command()
@click.argument("view", type=click.Choice(VIEWS))
@click.option("--business", help="The business to show (assessment view): its id.")
@lang_option
@click.option(
    "--data",
    "files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Observation files or folders to assess (default for assessment and portfolio: the"
    " bundled examples).",
)
@click.option(
    "--query",
    "query_file",
    type=click.Path(path_type=Path),
    help="A SPARQL CONSTRUCT query file (query view).",
)
@click.option(
    "--out", type=click.Path(path_type=Path), required=True, help="The HTML file to write."
)
def viz(
    view: str,
    business: str | None,
    lang: str,
    files: tuple[Path, ...],
    query_file: Path | None,
    out: Path,
) -> None:
    """Write VIEW (principles, value-chain, customer-chain, assessment, portfolio, query) as one
    HTML page that works offline: click a node for its details, search, switch language."""
    query = _read_query(query_file) if query_file is not None else None
    if view == "query" and query is None:
        raise InputError("the query view needs --query FILE.rq (a SPARQL CONSTRUCT query)")
    if view != "query" and query is not None:
        raise InputError(f"--query is for the query view, not {view}")
    if view == "assessment" and not business:
        raise InputError("the assessment view needs --business ID")
    if view != "assessment" and business:
        raise InputError(f"--business is for the assessment view, not {view}")
    if files or view in _NEEDS_ASSESSMENTS:
        kb = run_assessment(list(files) or [data_root() / "examples"], lang=lang).kb
    else:
        kb = KnowledgeBase.with_ontology()
    try:
        html = render_view(kb, view, lang=lang, business=business, query=query)
    except QuerySyntaxError as error:
        raise InputError(f"{query_file}: {error}") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    err_console.print(f"wrote {out}")


def _read_query(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the query: {error}") from None
