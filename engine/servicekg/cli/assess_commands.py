"""Commands over assessments: assess, explain and demo.

What a command needs beyond click is imported when it runs (a cold start pays only for what the
command uses: ``servicekg.cli.app``).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click
from rich.markup import escape

from servicekg.cli.app import app, console, err_console, lang_option
from servicekg.cli.store_options import StoreChoice, open_store, store_options
from servicekg.errors import EXIT_NONCONFORMING, InputError, UnknownTermError
from servicekg.namespace import GRAPH, PREFIXES, local_name
from servicekg.resources import data_root

if TYPE_CHECKING:
    from servicekg.assessment.pipeline import AssessmentRun
    from servicekg.assessment.results import AssessmentReport
    from servicekg.knowledge_base import KnowledgeBase
    from servicekg.reports.client import ReportOptions

__all__ = ["assess", "demo", "explain"]

FORMATS = ("table", "json", "markdown", "html", "pdf", "docx", "turtle", "trig")
DEMO_CHAIN = "burgeru-baze"
DEMO_PROGRESS = "burgeru-baze-riga"
"""The example chain and branch whose reports ``demo`` writes (examples/chain/)."""

_RUN_GRAPHS = (
    GRAPH.rules,
    GRAPH.observations,
    GRAPH.assessments,
    GRAPH.engagement,
    GRAPH.history,
    GRAPH.follow_ups,
)
"""What a run writes (the rules too: a recommendation's title, text and sources are its
rule's; the visits and groups; earlier visits; follow-ups)."""
_FROM_THE_REPORT = ("table", "json")
"""Formats written from the report alone: with no store, such a run builds no RDF."""
_DEMO_REPORTS = (("report.md", "markdown"), ("report.html", "html"), ("report.json", "json"))


@app.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@lang_option
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="Write the report here.")
@click.option("--client", help="Client named on the report (default: a `client` column).")
@click.option("--consultant", help="Consultant named on the report (or a `consultant` column).")
@click.option("--title", help="Report title (or a `title` column; default: the audit's name).")
@click.option(
    "--period", help="Audit period as written on the report (default: the observations' dates)."
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    help="Processes to assess with. Worth it only with more cores than workers: one process "
    "already writes the store on a core of its own while it assesses.",
)
@click.option("--overrides", type=click.Path(path_type=Path), help="YAML of threshold overrides.")
@store_options
@click.option(
    "--stream",
    is_flag=True,
    help="With --store DIR: assess a chunk at a time into the on-disk store and write the JSON "
    "report as it goes (for more businesses than memory holds).",
)
@click.option(
    "--visit",
    metavar="N|DATE|latest",
    help="Assess each business as known at its N-th visit, or at the visit under way on DATE "
    "(default: the latest); businesses with no such visit are left out.",
)
@click.option(
    "--all-visits",
    is_flag=True,
    help="Also assess each earlier visit and keep it (graph .../graph/history), for "
    "`progress` and the visit queries.",
)
def assess(
    files: tuple[Path, ...],
    lang: str,
    output: str,
    out: Path | None,
    client: str | None,
    consultant: str | None,
    title: str | None,
    period: str | None,
    workers: int,
    overrides: Path | None,
    store_choice: StoreChoice,
    stream: bool,
    visit: str | None,
    all_visits: bool,
) -> None:
    """Assess the businesses observed in FILES (files or folders; CSV, XLSX, JSON, YAML,
    Turtle, JSON-LD) and report ranked, explained recommendations: each business as known at
    its latest visit (observation dates make the visits), or at --visit.

    --format html, pdf, markdown or docx writes the report for the client (title page,
    executive summary, one section per business) in --lang; pdf and docx need --out.

    With --store DIR or --endpoint URL the rules, observations and assessments are written
    into that store's graphs (replacing the ones there), where `query` and `explain` find them;
    --stream (with --store) assesses a chunk at a time, for more businesses than memory holds.
    """
    if workers < 1:
        raise InputError(f"--workers {workers}: give 1 or more")
    _warn_if_oversubscribed(workers)
    if stream:
        if store_choice.store is None:
            raise InputError("--stream writes into an on-disk store: give --store DIR too")
        if visit or all_visits:
            raise InputError("--visit and --all-visits need the in-memory run: leave out --stream")
        _stream(files, lang, workers, overrides, store_choice.store, output, out)
        return
    kb = open_store(store_choice, must_exist=False) if store_choice.named else None
    try:
        from servicekg.reports.client import CLIENT_FORMATS, ReportOptions

        # RDF is built only when something reads it: a store, an RDF format, a client report
        write = kb is not None or output not in _FROM_THE_REPORT
        run = _run(
            files, lang, workers, overrides, kb, write=write, visit=visit, all_visits=all_visits
        )
        if output in CLIENT_FORMATS:
            options = ReportOptions(client, consultant, title, period)
            _write_client(run, output, out, options, overrides)
        else:
            _write(run.report, run.kb, output, out)
    finally:
        if kb is not None:
            kb.close()


def _warn_if_oversubscribed(workers: int) -> None:
    """Say so when ``workers`` processes leave no core for the store writer (measured on two
    cores: ``--workers 2`` ran at 0.64 x the speed of one process, which already keeps both
    cores busy)."""
    cores = os.cpu_count() or 1
    if workers > 1 and workers >= cores:
        err_console.print(
            f"[yellow]note:[/] --workers {workers} on {cores} cores is likely slower than one "
            "process: one process already writes the store on a core of its own while it "
            "assesses; --workers N pays off with more than N cores"
        )


def _stream(
    files: Sequence[Path],
    lang: str,
    workers: int,
    overrides: Path | None,
    store: Path,
    output: str,
    out: Path | None,
) -> None:
    """``assess --store DIR --stream``: JSON streamed to ``out`` (or stdout); ``table`` prints
    a summary."""
    from rich.progress import Progress

    from servicekg.assessment.pipeline import expand_inputs, stream_assessment

    if output not in ("json", "table") or (output == "table" and out is not None):
        raise InputError(
            f"--stream with --format {output}: a streamed run writes JSON (--format json, "
            "to --out or the terminal) or prints a summary (--format table)"
        )
    with ExitStack() as stack:
        stream: TextIO | None = None
        if output == "json":
            if out is None:
                stream = sys.stdout
            else:
                out.parent.mkdir(parents=True, exist_ok=True)
                stream = stack.enter_context(out.open("w", encoding="utf-8"))
        bar = stack.enter_context(
            Progress(console=err_console, transient=True, disable=not err_console.is_terminal)
        )
        task = bar.add_task("assessing", total=None)
        run = stream_assessment(
            list(expand_inputs(files)),
            store,
            stream,
            lang=lang,
            workers=workers,
            overrides=overrides,
            progress=lambda n: bar.advance(task, n),
        )
        if stream is not None and out is None:
            stream.write("\n")  # as the in-memory report ends on the terminal
    for business, error in run.failed:
        err_console.print(f"[red]{escape(business)}:[/] {escape(error)}")
    err_console.print(
        f"assessed {run.businesses} businesses ({len(run.failed)} failed); graphs in {store}"
        + (f"; wrote {out}" if out is not None else "")
    )


@app.command()
@click.argument("business")
@click.argument("recommendation", required=False)
@click.option(
    "--data",
    "files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Observation files or folders (default: the bundled examples).",
)
@lang_option
@store_options
def explain(
    business: str,
    recommendation: str | None,
    files: tuple[Path, ...],
    lang: str,
    store_choice: StoreChoice,
) -> None:
    """Show the chain from facts to quote behind BUSINESS's recommendations (or one of them:
    RECOMMENDATION is a rule id or a rank).

    With --store DIR or --endpoint URL the assessments stored there by `assess --store` are
    read back (nothing is assessed again, texts in --lang); otherwise the --data files are
    assessed now.
    """
    from servicekg.assessment.stored import stored_assessment
    from servicekg.reports.markdown import explain_markdown, findings_markdown

    if store_choice.named:
        if files:
            raise InputError("give either --data files or a store to explain from, not both")
        kb = open_store(store_choice, ontology=False)
        try:
            assessment = stored_assessment(kb, business, lang)
        finally:
            kb.close()
    else:
        run = _run(files or (data_root() / "examples",), lang, 1, None, write=False)
        try:
            assessment = run.report.business(business)
        except KeyError:
            known = [b.business for b in run.report.businesses]
            raise UnknownTermError("business", business, known) from None
    recs = assessment.chosen(recommendation)
    if not recs:
        console.print(f"{escape(business)}: no recommendation")
    for rec in recs:
        click.echo(explain_markdown(assessment, rec, lang))
        click.echo()
    findings = findings_markdown(assessment, lang) if recommendation is None else ""
    if findings:
        click.echo(findings)


@app.command()
@lang_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for the reports.",
)
@click.pass_context
def demo(ctx: click.Context, lang: str, out: Path) -> None:
    """The main job: validate the knowledge graph, assess the example businesses and write
    their report (Markdown, HTML, JSON) to OUT, the graph views to OUT/views, and the example
    chain's report and one branch's progress (Markdown) to OUT."""
    from servicekg.cli.printing import print_report, print_summary
    from servicekg.engagement.from_kb import Engagement
    from servicekg.engagement.render import chain_markdown, progress_markdown
    from servicekg.graph.shacl import validate_ontology
    from servicekg.graph.summary import summarise
    from servicekg.reports.client import ReportOptions
    from servicekg.views import write_views

    report = validate_ontology()
    print_report(report)
    if not report.conforms:
        ctx.exit(EXIT_NONCONFORMING)
    run = _run((data_root() / "examples",), lang, 1, None)
    print_summary(summarise(run.kb, lang))
    _print_tables(run.report)
    _write(run.report, run.kb, "json", out / "report.json")
    for name, output in (("report.md", "markdown"), ("report.html", "html")):
        _write_client(run, output, out / name, ReportOptions(), None)
    businesses = [b.business for b in run.report.businesses if not b.error]
    pages = write_views(run.kb, out / "views", businesses, lang=lang)
    err_console.print(f"wrote {len(pages)} graph views in {out / 'views'} (open principles.html)")
    engagement = Engagement(run.kb, lang)
    for name, text in (
        (f"chain-{DEMO_CHAIN}.md", chain_markdown(engagement.chain(DEMO_CHAIN), lang)),
        (
            f"progress-{DEMO_PROGRESS}.md",
            progress_markdown(engagement.progress(DEMO_PROGRESS), lang),
        ),
    ):
        (out / name).write_text(text, encoding="utf-8")
        err_console.print(f"wrote {out / name}")


def _run(
    files: Sequence[Path],
    lang: str,
    workers: int,
    overrides: Path | None,
    kb: KnowledgeBase | None = None,
    *,
    visit: str | None = None,
    all_visits: bool = False,
    write: bool = True,
) -> AssessmentRun:
    """Assess ``files`` in memory; with ``write`` the graphs go into ``kb`` (a new in-memory
    one when None), without it no RDF is built at all."""
    from rich.progress import Progress

    from servicekg.engagement.runs import assess_visits

    with Progress(console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task("assessing", total=None)
        done = assess_visits(
            list(files),
            lang=lang,
            workers=workers,
            overrides=overrides,
            kb=kb,
            write=write,
            progress=lambda n: bar.advance(task, n),
            visit=visit,
            all_visits=all_visits,
        )
    if done.left_out:
        shown = ", ".join(done.left_out[:10]) + (", ..." if len(done.left_out) > 10 else "")
        err_console.print(
            f"[yellow]note:[/] {len(done.left_out)} businesses have no visit {visit}: "
            f"{escape(shown)}"
        )
    return done.run


def _write(report: AssessmentReport, kb: KnowledgeBase, output: str, out: Path | None) -> None:
    import pyoxigraph as ox

    if output != "table":  # the table shows them; a file's reader might not look
        for business in report.businesses:
            for warning in business.warnings:
                err_console.print(f"warning: {escape(warning)}")
    if output == "table":
        if out is not None:
            raise InputError(
                "--format table prints to the terminal; use markdown, html or json with --out"
            )
        _print_tables(report)
        return
    if output == "json":
        text = json.dumps(report.as_dict(), indent=2, ensure_ascii=False)
    elif output == "turtle":  # the three graphs' triples, merged (Turtle has no graph names)
        text = b"".join(kb.dump(g, ox.RdfFormat.TRIG) for g in _RUN_GRAPHS).decode()
    else:  # TriG: each quad in its own named graph, as the store holds them
        quads = (quad for graph in _RUN_GRAPHS for quad in kb.quads(graph))
        text = (ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b"").decode()
    if out is None:
        click.echo(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {out}")


def _write_client(
    run: AssessmentRun,
    output: str,
    out: Path | None,
    options: ReportOptions,
    overrides: Path | None,
) -> None:
    """The client report (html, pdf, markdown, docx) to ``out`` or the terminal."""
    from servicekg.reports.client import BINARY_FORMATS, client_report
    from servicekg.rules import load_rules

    if output in BINARY_FORMATS and out is None:
        raise InputError(f"--format {output} writes a file: give --out report.{output}")
    book = load_rules(kb=run.kb, overrides=overrides) if overrides else None
    content = client_report(run, output, options, book)
    if out is None:
        click.echo(content)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        out.write_bytes(content)
    else:
        out.write_text(content, encoding="utf-8")
    err_console.print(f"wrote {out}")


def _print_tables(report: AssessmentReport) -> None:
    from servicekg.cli.printing import print_table

    for business in report.businesses:
        title = business.name or business.business
        console.print(f"\n[bold]{escape(title)}[/] ({escape(business.sector or '-')})")
        for warning in business.warnings:
            console.print(f"[yellow]warning:[/] {escape(warning)}")
        if business.error:
            console.print(f"[red]error:[/] {escape(business.error)}")
            continue
        for cause in business.root_causes:
            state = "observed" if cause.observed else "suspected"
            console.print(f"root cause ({state}): {escape(cause.concept.label)}")
        if not business.recommendations:
            console.print("no recommendation")
        else:
            print_table(
                ["#", "score", "recommendation", "evidence"],
                [
                    [
                        r.rank,
                        f"{r.score:g}",
                        r.title,
                        "; ".join(f"{e.metric}={e.value}" for e in r.evidence),
                    ]
                    for r in business.recommendations
                ],
            )
        if business.unjudged:
            missing = sorted(
                {local_name(m.iri) for u in business.unjudged for m in u.missing_metrics}
            )
            console.print(
                f"could not judge {len(business.unjudged)} rule(s); measure: " + ", ".join(missing)
            )
