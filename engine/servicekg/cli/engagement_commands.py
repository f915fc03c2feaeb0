"""Commands over a consultant's engagement: progress, follow-up, chain, what-if.

Each reads a knowledge base: the store named by ``--store DIR`` / ``--endpoint URL`` (what
``assess --store`` wrote), or else the ``--data`` files (default: the bundled examples)
assessed now in memory. ``follow-up`` writes, so it needs a named store.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from servicekg.cli.app import app, err_console, lang_option
from servicekg.cli.store_options import StoreChoice, open_store, store_options
from servicekg.engagement.from_kb import Engagement, record_follow_up
from servicekg.engagement.render import chain_markdown, progress_markdown, what_if_markdown
from servicekg.engagement.runs import assess_visits
from servicekg.engagement.what_if import parse_changes
from servicekg.errors import InputError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations.follow_ups import STATUSES, FollowUp
from servicekg.resources import data_root
from servicekg.rules import load_rules

__all__ = ["chain", "follow_up", "progress", "what_if"]

REPORT_FORMATS = ("markdown", "json")

_data_option = click.option(
    "--data",
    "files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Observation files or folders to assess now (default: the bundled examples); "
    "not with a store.",
)
_format_option = click.option(
    "--format",
    "output",
    type=click.Choice(REPORT_FORMATS),
    default="markdown",
    show_default=True,
)
_out_option = click.option("--out", type=click.Path(path_type=Path), help="Write it here.")


@contextmanager
def _knowledge_base(
    choice: StoreChoice, files: Sequence[Path], lang: str
) -> Iterator[KnowledgeBase]:
    """The named store, or the files assessed now in memory (visits and groups written)."""
    if choice.named:
        if files:
            raise InputError("give either --data files or a store, not both")
        kb = open_store(choice, ontology=False)
        try:
            yield kb
        finally:
            kb.close()
        return
    yield assess_visits(list(files) or [data_root() / "examples"], lang=lang).run.kb


def _emit(text: str, data: dict[str, Any], output: str, out: Path | None) -> None:
    shown = text if output == "markdown" else json.dumps(data, indent=2, ensure_ascii=False)
    if out is None:
        click.echo(shown)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(shown + ("" if shown.endswith("\n") else "\n"), encoding="utf-8")
    err_console.print(f"wrote {out}")


@app.command()
@click.argument("business")
@_data_option
@lang_option
@_format_option
@_out_option
@store_options
def progress(
    business: str,
    files: tuple[Path, ...],
    lang: str,
    output: str,
    out: Path | None,
    store_choice: StoreChoice,
) -> None:
    """BUSINESS at each of its visits: each metric with its trend, each recommendation new,
    persisting, worse or resolved since the last visit, the score change, the metrics measured
    since, and whether each follow-up marked done moved its metric."""
    with _knowledge_base(store_choice, files, lang) as kb:
        found = Engagement(kb, lang).progress(business)
    _emit(progress_markdown(found, lang), found.as_dict(), output, out)


@app.command()
@click.argument("group")
@_data_option
@lang_option
@_format_option
@_out_option
@store_options
def chain(
    group: str,
    files: tuple[Path, ...],
    lang: str,
    output: str,
    out: Path | None,
    store_choice: StoreChoice,
) -> None:
    """The branches of GROUP (a chain, franchise or region) side by side: chain-level actions,
    root causes shared by branches, best and worst branch per metric, each branch's percentile
    among its sector."""
    with _knowledge_base(store_choice, files, lang) as kb:
        found = Engagement(kb, lang).chain(group)
    _emit(chain_markdown(found, lang), found.as_dict(), output, out)


@app.command("what-if")
@click.argument("business")
@click.argument("changes", nargs=-1)
@click.option(
    "--best",
    type=click.IntRange(min=1),
    help="Rank the single changes of each bad metric to its target; show the first N.",
)
@_data_option
@lang_option
@_format_option
@_out_option
@store_options
def what_if(
    business: str,
    changes: tuple[str, ...],
    best: int | None,
    files: tuple[Path, ...],
    lang: str,
    output: str,
    out: Path | None,
    store_choice: StoreChoice,
) -> None:
    """Assess BUSINESS again as if metric=value held for each change given (units allowed:
    greeting_rate=90%) and show what moves; nothing is written. With --best N: which single
    change would move loyalty, retention and growth most."""
    if not changes and best is None:
        raise InputError("give changes as metric=value, or --best N, or both")
    with _knowledge_base(store_choice, files, lang) as kb:
        engagement = Engagement(kb, lang)
        wanted = parse_changes(changes, engagement.context.catalogue)
        result = engagement.what_if(business, wanted) if wanted else None
        ranked = engagement.best(business, best) if best else []
        name = engagement.stored(business)[0]
    data: dict[str, Any] = {"business": business}
    if result is not None:
        data["what_if"] = result.as_dict()
    if best:
        data["best"] = [c.as_dict() for c in ranked]
    label = name.name if name and name.name else business
    _emit(what_if_markdown(result, ranked, lang, label), data, output, out)


@app.command("follow-up")
@click.argument("business")
@click.argument("rule")
@click.option("--status", type=click.Choice(STATUSES), required=True)
@click.option("--note", help="What was done, or why not.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="When it took effect (YYYY-MM-DD; default today).",
)
@store_options
def follow_up(
    business: str,
    rule: str,
    status: str,
    note: str | None,
    day: datetime.datetime | None,
    store_choice: StoreChoice,
) -> None:
    """Record what BUSINESS did about the recommendation of RULE (accepted, in-progress, done
    or declined); it supersedes the follow-up before. Needs --store DIR or --endpoint URL."""
    if not store_choice.named:
        raise InputError("follow-up writes into a store: give --store DIR or --endpoint URL")
    kb = open_store(store_choice, ontology=False)
    try:
        given = FollowUp(business, rule, status, day.date() if day else None, note)
        iri = record_follow_up(kb, given, [r.id for r in load_rules()])
        kb.flush()
    finally:
        kb.close()
    click.echo(iri)
