"""``servicekg audit-sources``: the fidelity audit of every relation, benchmark and rule."""

from __future__ import annotations

import json
from pathlib import Path

import click

from servicekg.audit import audit_markdown, fidelity_audit
from servicekg.cli.app import app

__all__ = ["audit_sources"]


@app.command("audit-sources")
@click.option(
    "--format",
    "output",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@click.option("--out", type=click.Path(path_type=Path), help="Write here instead of stdout.")
def audit_sources(output: str, out: Path | None) -> None:
    """Every relation, benchmark and rule with its basis (stated by the article, implied by it,
    or servicekg's own judgement), its note and its passages, quoted in the original language
    with renderings in en, nl and lv, grouped by article: a reviewer checks the graph against
    the articles with it. Exits 0 when every item has a sound basis, 1 when not, 2 on error.
    """
    audit = fidelity_audit()
    if output == "json":
        text = json.dumps(audit.as_dict(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = audit_markdown(audit)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
    if audit.problems():
        raise SystemExit(1)
