"""SPARQL from the shell: query, update and load, on any store the user names."""

from __future__ import annotations

from pathlib import Path

import click

from servicekg.cli.app import app, err_console
from servicekg.cli.store_options import StoreChoice, open_store, store_options
from servicekg.errors import InputError, UpdateNotAllowed
from servicekg.querying.executor import Limits, QueryRunner
from servicekg.sparql.formats import (
    FORMATS,
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    ResultFormat,
    result_format,
)
from servicekg.sparql.query_text import query_form

__all__ = ["load", "query", "update"]

_FORMAT_NAMES = [name for name in FORMATS if name != "rdfxml"] + ["rdfxml"]


def _text(sparql: str | None, file: Path | None, what: str) -> str:
    if (sparql is None) == (file is None):
        raise InputError(f"give the {what} either as an argument or with --file")
    if file is None:
        return str(sparql)
    try:
        return file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{file}: cannot be read: {error}") from None


@app.command()
@click.argument("sparql", required=False)
@click.option("--file", "-f", "file", type=click.Path(path_type=Path), help="Read the query here.")
@click.option(
    "--format",
    "output",
    type=click.Choice(_FORMAT_NAMES),
    default="table",
    show_default=True,
    help="table, csv, tsv, json, xml for SELECT and ASK; turtle, ntriples, jsonld, rdfxml "
    "for CONSTRUCT and DESCRIBE (a graph asked for as a table comes as Turtle).",
)
@click.option("--out", type=click.Path(path_type=Path), help="Write the result here.")
@click.option(
    "--default-graph",
    "default_graphs",
    multiple=True,
    metavar="IRI",
    help="Query this graph as the default graph (repeatable; default: the union of all).",
)
@click.option(
    "--named-graph", "named_graphs", multiple=True, metavar="IRI", help="Limit GRAPH to these."
)
@click.option("--timeout", type=float, help="Stop the query after this many seconds.")
@click.option(
    "--max-bytes", type=int, help="Stop the query when its result grows past this many bytes."
)
@click.option(
    "--allow-remote", is_flag=True, help="Let SERVICE reach other endpoints over the network."
)
@store_options
def query(
    sparql: str | None,
    file: Path | None,
    output: str,
    out: Path | None,
    default_graphs: tuple[str, ...],
    named_graphs: tuple[str, ...],
    timeout: float | None,
    max_bytes: int | None,
    allow_remote: bool,
    store_choice: StoreChoice,
) -> None:
    """Ask a SPARQL 1.1 query (SPARQL, or --file FILE.rq) of the knowledge graph.

    Common prefixes (skg, skos, rdfs, prov, schema, ...) are predeclared. Without --store or
    --endpoint the query runs over a fresh in-memory graph of the ontology. Queries see the
    union of all graphs as their default graph; FROM, FROM NAMED and --default-graph choose
    graphs of the store (nothing is fetched from the network).
    """
    text = _text(sparql, file, "query")
    if timeout is not None and timeout <= 0:
        raise InputError(f"--timeout {timeout:g}: give a number of seconds above 0")
    if max_bytes is not None and max_bytes <= 0:
        raise InputError(f"--max-bytes {max_bytes}: give a number of bytes above 0")
    fmt = _suited(result_format(output), query_form(text))
    kb = open_store(store_choice)
    kb.allow_remote = allow_remote
    dataset = bool(default_graphs or named_graphs)
    try:
        with QueryRunner(kb, Limits(timeout_s=timeout, max_result_bytes=max_bytes)) as runner:
            result = runner.run(
                text,
                solutions_format=fmt if fmt.kind == "solutions" else "table",
                graph_format=fmt if fmt.kind == "graph" else "turtle",
                default_graph=list(default_graphs) if dataset else None,
                named_graphs=list(named_graphs) if dataset else None,
            )
    finally:
        kb.close()
    if out is None:
        click.echo(result.data.decode("utf-8"), nl=not result.data.endswith(b"\n"))
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(result.data)
    err_console.print(f"wrote {out} ({result.format.media_type})")


def _suited(fmt: ResultFormat, form: str | None) -> ResultFormat:
    """The format to write a query of ``form`` in: the one asked for, or an error naming the
    ones that suit (the table stands for Turtle when the result is a graph)."""
    if form is None:
        return fmt
    graph = form in ("CONSTRUCT", "DESCRIBE")
    if graph and fmt.name == "table":
        return FORMATS["turtle"]
    if graph != (fmt.kind == "graph"):
        suits = GRAPH_FORMATS if graph else SOLUTION_FORMATS
        raise InputError(
            f"--format {fmt.name} does not suit a {form} query; use one of: {', '.join(suits)}"
        )
    return fmt


@app.command()
@click.argument("sparql", required=False)
@click.option("--file", "-f", "file", type=click.Path(path_type=Path), help="Read the update here.")
@click.option("--allow-remote", is_flag=True, help="Let LOAD and SERVICE reach the network.")
@store_options
def update(
    sparql: str | None, file: Path | None, allow_remote: bool, store_choice: StoreChoice
) -> None:
    """Run a SPARQL 1.1 update (SPARQL, or --file FILE.ru) on the store named with --store
    DIR or --endpoint URL, as one transaction. Never runs without a named store."""
    text = _text(sparql, file, "update")
    if not store_choice.named:
        raise UpdateNotAllowed(
            "update changes a store, so name one: --store DIR (on disk) or --endpoint URL; "
            "without one it would change a throw-away in-memory graph"
        )
    kb = open_store(store_choice, ontology=False)
    kb.update(text, allow_remote=allow_remote)
    kb.close()
    err_console.print(f"updated {store_choice.describe()}")


@app.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--graph",
    metavar="IRI",
    help="Put the files' triples into this graph (default: a file's own graphs for TriG and "
    "N-Quads, the default graph otherwise).",
)
@click.option(
    "--ontology/--no-ontology",
    default=True,
    show_default=True,
    help="(Re)load the bundled ontology into its graph too.",
)
@store_options
def load(
    files: tuple[Path, ...], graph: str | None, ontology: bool, store_choice: StoreChoice
) -> None:
    """Load RDF FILES (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) and the ontology
    into the store named with --store DIR (created if missing) or --endpoint URL.

    All files load in one transaction: when one does not parse, none is loaded.
    """
    if not store_choice.named:
        raise UpdateNotAllowed("load into which store? give --store DIR or --endpoint URL")
    if not files and not ontology:
        raise InputError("nothing to load: give FILES, or leave out --no-ontology")
    kb = open_store(store_choice, ontology=False, must_exist=False)
    triples = kb.load_ontology() if ontology else 0
    if files:
        triples += kb.load_files(files, graph) if graph else kb.load_files(files)
    kb.close()
    err_console.print(f"loaded {triples} triples into {store_choice.describe()}")
