"""Commands over the knowledge graph: validate, summary, concepts, show, paths (``query`` is in
sparql_commands)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape

from servicekg.cli.app import app, console, lang_option
from servicekg.cli.printing import print_concept, print_report, print_summary, print_table
from servicekg.errors import EXIT_NONCONFORMING, EXIT_OK, InputError
from servicekg.graph.causal import causal_graph, causal_paths
from servicekg.graph.concepts import describe_concept, list_concepts, resolve_concept
from servicekg.graph.shacl import validate_ontology
from servicekg.graph.summary import summarise
from servicekg.knowledge_base import KnowledgeBase

__all__ = ["concepts", "paths", "show", "summary", "validate"]


@app.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], output: str) -> None:
    """Check the knowledge graph against its SHACL shapes.

    FILES are ontology files or folders (default: the bundled ontology). Exits 0 when it
    conforms, 1 when it does not (each violation names the IRI at fault), 2 when a file cannot
    be read or parsed (file, line and what the parser expected).
    """
    report = validate_ontology(_expand(files) if files else None)
    if output == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        print_report(report)
    ctx.exit(EXIT_OK if report.conforms else EXIT_NONCONFORMING)


@app.command()
@lang_option
def summary(lang: str) -> None:
    """Load the knowledge graph and say what it holds."""
    print_summary(summarise(KnowledgeBase.with_ontology(), lang))


@app.command()
@lang_option
@click.option("--kind", help="Only this class, e.g. BasicNeed, ServiceFactor, Outcome.")
def concepts(lang: str, kind: str | None) -> None:
    """List every concept with its class and label."""
    rows = list_concepts(KnowledgeBase.with_ontology(), lang)
    if kind:
        known = sorted({r["kind"] for r in rows})
        rows = [r for r in rows if r["kind"].lower() == kind.lower()]
        if not rows:
            raise InputError(f"--kind {kind!r} matches no concept class; known: {', '.join(known)}")
    print_table(
        ["class", "name", "label"], [[r["kind_label"], r["name"], r["label"]] for r in rows]
    )


@app.command()
@click.argument("concept")
@lang_option
def show(concept: str, lang: str) -> None:
    """Show one CONCEPT: definition, labels, relations, metrics and the passages it rests on.

    CONCEPT is a name (Friendliness), a prefixed name (skg:Friendliness), an IRI or a label in
    any of the three languages (vriendelijkheid, laipnība).
    """
    print_concept(describe_concept(KnowledgeBase.with_ontology(), concept, lang))


@app.command()
@click.argument("source")
@click.argument("target")
@lang_option
@click.option("--most", default=10, show_default=True, help="Show at most this many paths.")
def paths(source: str, target: str, lang: str, most: int) -> None:
    """Walk the causal graph: every chain by which SOURCE drives TARGET, shortest first."""
    kb = KnowledgeBase.with_ontology()
    graph = causal_graph(kb, lang)
    start, end = resolve_concept(kb, source), resolve_concept(kb, target)
    found = 0
    for path in causal_paths(graph, start, end):
        if found == most:
            break
        found += 1
        sign = "raises" if path.sign > 0 else "lowers"
        console.print(
            f"{found}. {_path_text(graph, path.concepts)}  "
            f"[dim]({sign}, strength {path.strength:.2f})[/]"
        )
    if not found:
        console.print("no causal path")


def _path_text(graph: object, concepts: tuple[str, ...]) -> str:
    nodes = graph.nodes  # type: ignore[attr-defined]
    return " -> ".join(escape(nodes[c]["label"]) for c in concepts)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.ttl")))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    if not files:
        raise InputError(f"no .ttl files in {', '.join(map(str, paths))}")
    return files


def _term_text(term: object) -> str:
    return "" if term is None else str(getattr(term, "value", term))
