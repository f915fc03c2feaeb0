"""Result formats: names, media types and file extensions, and writing a result in one.

SELECT and ASK results are written as a text table, CSV, TSV, SPARQL JSON or SPARQL XML;
CONSTRUCT and DESCRIBE results (triples) as Turtle, N-Triples, JSON-LD or RDF/XML. Every
format but the table is written by pyoxigraph's own serialisers, streamed to the output.

>>> result_format("text/csv").name
'csv'
>>> result_format("ttl").media_type
'text/turtle'
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any, Literal

import pyoxigraph as ox

from servicekg.errors import InputError, ParseError, SourceLocation
from servicekg.namespace import PREFIXES

__all__ = [
    "FORMATS",
    "GRAPH_FORMATS",
    "SOLUTION_FORMATS",
    "ResultFormat",
    "default_format",
    "is_graph_result",
    "parse_rdf",
    "rdf_format_of",
    "result_format",
    "serialize_result",
    "write_result",
]


@dataclass(frozen=True)
class ResultFormat:
    """One way to write a query result.

    ``kind`` is ``"solutions"`` (SELECT, ASK) or ``"graph"`` (CONSTRUCT, DESCRIBE);
    ``oxigraph`` the pyoxigraph format that writes it (None for the text table).
    """

    name: str
    media_type: str
    extension: str
    kind: Literal["solutions", "graph"]
    oxigraph: ox.QueryResultsFormat | ox.RdfFormat | None
    aliases: tuple[str, ...] = ()


FORMATS: dict[str, ResultFormat] = {
    f.name: f
    for f in (
        ResultFormat("table", "text/plain", "txt", "solutions", None, ("text",)),
        ResultFormat("csv", "text/csv", "csv", "solutions", ox.QueryResultsFormat.CSV),
        ResultFormat(
            "tsv", "text/tab-separated-values", "tsv", "solutions", ox.QueryResultsFormat.TSV
        ),
        ResultFormat(
            "json",
            "application/sparql-results+json",
            "srj",
            "solutions",
            ox.QueryResultsFormat.JSON,
            ("application/json",),
        ),
        ResultFormat(
            "xml",
            "application/sparql-results+xml",
            "srx",
            "solutions",
            ox.QueryResultsFormat.XML,
            ("application/xml", "text/xml"),
        ),
        ResultFormat("turtle", "text/turtle", "ttl", "graph", ox.RdfFormat.TURTLE),
        ResultFormat("ntriples", "application/n-triples", "nt", "graph", ox.RdfFormat.N_TRIPLES),
        ResultFormat("jsonld", "application/ld+json", "jsonld", "graph", ox.RdfFormat.JSON_LD),
        ResultFormat("rdfxml", "application/rdf+xml", "rdf", "graph", ox.RdfFormat.RDF_XML),
    )
}
"""Every format by name: table, csv, tsv, json, xml (solutions); turtle, ntriples, jsonld,
rdfxml (graphs)."""

SOLUTION_FORMATS = tuple(n for n, f in FORMATS.items() if f.kind == "solutions")
GRAPH_FORMATS = tuple(n for n, f in FORMATS.items() if f.kind == "graph")


def result_format(name: str) -> ResultFormat:
    """A format by name (``json``), file extension (``srj``, ``ttl``) or media type
    (``application/sparql-results+json``; parameters such as ``charset`` are ignored)."""
    key = name.split(";", 1)[0].strip().lower()
    if key in FORMATS:
        return FORMATS[key]
    for fmt in FORMATS.values():
        if key in (fmt.extension, fmt.media_type):
            return fmt
    for fmt in FORMATS.values():
        if key in fmt.aliases:
            return fmt
    raise InputError(
        f"unknown result format {name!r}; accepted: {', '.join(FORMATS)}, their file "
        "extensions or media types"
    )


def is_graph_result(result: Any) -> bool:
    """Whether a query result is triples (CONSTRUCT, DESCRIBE) rather than solutions."""
    return not isinstance(result, ox.QuerySolutions | ox.QueryBoolean)


def default_format(result: Any, preferred: str = "table") -> ResultFormat:
    """``preferred`` when it suits the result, else the result kind's first format (the
    table for solutions, Turtle for graphs)."""
    fmt = result_format(preferred)
    wanted = "graph" if is_graph_result(result) else "solutions"
    if fmt.kind == wanted:
        return fmt
    return FORMATS["table" if wanted == "solutions" else "turtle"]


def write_result(result: Any, fmt: ResultFormat, output: IO[bytes]) -> None:
    """Write a query result to a binary output in ``fmt``, streaming.

    Raises :class:`~servicekg.errors.InputError` when the format does not suit the result
    (triples as CSV, solutions as Turtle), naming the formats that do.
    """
    graph = is_graph_result(result)
    if graph != (fmt.kind == "graph"):
        suits = GRAPH_FORMATS if graph else SOLUTION_FORMATS
        what = "CONSTRUCT and DESCRIBE results" if graph else "SELECT and ASK results"
        raise InputError(f"--format {fmt.name} does not suit {what}; accepted: {', '.join(suits)}")
    if fmt.oxigraph is None:
        output.write(text_table(result).encode("utf-8"))
    elif graph:
        prefixes = PREFIXES if fmt.name in ("turtle", "rdfxml") else None
        _triples(result, fmt.oxigraph, output, prefixes)  # type: ignore[arg-type]
    else:
        result.serialize(output, format=fmt.oxigraph)


def serialize_result(result: Any, fmt: ResultFormat | str) -> bytes:
    """A query result in ``fmt`` (a :class:`ResultFormat` or its name), as bytes."""
    buffer = io.BytesIO()
    write_result(result, fmt if isinstance(fmt, ResultFormat) else result_format(fmt), buffer)
    return buffer.getvalue()


def _triples(
    triples: Iterable[ox.Triple],
    rdf_format: ox.RdfFormat,
    output: IO[bytes],
    prefixes: dict[str, str] | None,
) -> None:
    if prefixes:
        ox.serialize(triples, output, format=rdf_format, prefixes=prefixes)
    else:
        ox.serialize(triples, output, format=rdf_format)


def text_table(result: Any) -> str:
    """Solutions as an aligned text table (IRIs, literal values), or ``true``/``false``.

    >>> kb_result = ox.parse_query_results('{"head":{"vars":["n"]},"results":{"bindings":'
    ...     '[{"n":{"type":"literal","value":"7"}}]}}', format=ox.QueryResultsFormat.JSON)
    >>> print(text_table(kb_result), end="")
    n
    -
    7
    """
    if isinstance(result, ox.QueryBoolean):
        return "true\n" if bool(result) else "false\n"
    names = [v.value for v in result.variables]
    rows = [[_cell(solution[n]) for n in names] for solution in result]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = [
        "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


def _cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value).replace("\n", " ")


def rdf_format_of(rdf_format: ox.RdfFormat | str) -> ox.RdfFormat:
    """A pyoxigraph RDF format from itself, a media type or a file extension.

    >>> rdf_format_of("application/n-triples; charset=utf-8")
    <RdfFormat N-Triples>
    >>> rdf_format_of("ttl")
    <RdfFormat Turtle>
    """
    if isinstance(rdf_format, ox.RdfFormat):
        return rdf_format
    text = rdf_format.strip().lower()
    found = (
        ox.RdfFormat.from_media_type(text)
        if "/" in text
        else ox.RdfFormat.from_extension(_ALIASES.get(text, text))
    )
    if found is None:
        raise InputError(
            f"unknown RDF format {rdf_format!r}; accepted: turtle, ntriples, nquads, trig, "
            "jsonld, rdfxml, or their media types"
        )
    return found


_ALIASES = {
    "turtle": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "nquads": "nq",
    "n-quads": "nq",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "rdfxml": "rdf",
    "rdf/xml": "rdf",
    "xml": "rdf",
}


def parse_rdf(
    data: bytes | str, rdf_format: ox.RdfFormat | str, *, base_iri: str | None = None
) -> list[ox.Triple]:
    """Parse RDF sent by a client (every triple, or :class:`~servicekg.errors.ParseError`
    with the line and column, nothing half-read). Quads formats keep only their triples."""
    fmt = rdf_format_of(rdf_format)
    try:
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(data, format=fmt, base_iri=base_iri)
        ]
    except SyntaxError as error:
        detail = str(error.msg or error)
        raise ParseError(
            SourceLocation("<request body>", error.lineno, error.offset), detail
        ) from None
