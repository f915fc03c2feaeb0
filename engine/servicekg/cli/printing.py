"""Printing core results for people: tables, a concept page, a summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from servicekg.cli.app import console

if TYPE_CHECKING:
    from servicekg.graph.concepts import ConceptView
    from servicekg.graph.shacl import ValidationReport
    from servicekg.graph.summary import Summary

__all__ = ["print_concept", "print_report", "print_summary", "print_table"]


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Rows under headers, every cell escaped (data never becomes markup)."""
    table = Table(*headers, show_lines=False)
    for row in rows:
        table.add_row(*(escape(str(cell)) for cell in row))
    console.print(table)


def print_summary(summary: Summary) -> None:
    """The counts of :func:`servicekg.graph.summary.summarise`."""
    console.print(
        f"[bold]servicekg knowledge graph[/]: {summary.triples} triples, "
        f"{summary.concepts} concepts, {sum(summary.relations_by_kind.values())} relations, "
        f"{sum(summary.passages_by_article.values())} passages, {summary.metrics} metrics"
    )
    print_table(["concepts", "count"], list(summary.concepts_by_kind.items()))
    print_table(["relations", "count"], list(summary.relations_by_kind.items()))
    print_table(["source article", "passages"], list(summary.passages_by_article.items()))
    console.print(
        f"metrics: {summary.metrics}, units: {summary.units}, benchmarks: {summary.benchmarks}"
    )
    if summary.basic_needs:
        console.print("six basic needs: " + ", ".join(escape(n) for n in summary.basic_needs))


def print_concept(view: ConceptView) -> None:
    """One concept as a page: what it is, how it connects, and the words it rests on."""
    console.print(f"[bold]{escape(view.label)}[/]  [dim]{escape(view.kind_label)} · {view.iri}[/]")
    if view.definition:
        console.print(escape(view.definition))
    console.print(
        "labels: "
        + "; ".join(f"{lang}: {escape(text)}" for lang, text in sorted(view.labels.items()))
    )
    if view.broader:
        console.print("broader: " + ", ".join(escape(b) for b in view.broader))
    if view.relations:
        console.print("[bold]relations[/]")
        for rel in view.relations:
            arrow = "->" if rel.direction == "out" else "<-"
            sign = f" ({escape(rel.polarity)})" if rel.polarity else ""
            console.print(f"  {rel.kind}: {arrow} {escape(rel.other_label)}{sign}")
    if view.metrics:
        console.print("[bold]measured by[/]: " + ", ".join(view.metrics))
    for passage in view.passages:
        where = escape(passage.article_title) + (
            f" / {escape(passage.section)}" if passage.section else ""
        )
        console.print(f"[bold]source[/] {where}")
        console.print(f'  [italic]"{escape(passage.quote)}"[/] [dim]({passage.quote_language})[/]')
        console.print(f"  = {escape(passage.rendering)}")


def print_report(report: ValidationReport) -> None:
    """A SHACL report: conforms, or each violation with the IRI at fault."""
    if report.conforms:
        console.print(f"[green]conforms[/]: {report.triples} triples, no SHACL violation")
        return
    console.print(f"[red]does not conform[/]: {len(report.violations)} violation(s)")
    for violation in report.violations:
        console.print(f"  {escape(str(violation))}")
