"""Reading RDF files through pyoxigraph's parsers, with errors that name the file and line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib

from servicekg.errors import InputError, ParseError, SourceLocation

__all__ = ["RDF_FORMATS", "format_for", "read_quads", "to_rdflib_graph"]

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}

_BOM = b"\xef\xbb\xbf"
_LOCATION_PREFIX = re.compile(r"^Parser error (at|between) line[^:]*: ")


def format_for(path: Path) -> ox.RdfFormat:
    """The RDF format of a file, told by its extension."""
    try:
        return RDF_FORMATS[path.suffix.lower()]
    except KeyError:
        accepted = ", ".join(sorted(RDF_FORMATS))
        raise InputError(
            f"{path}: unknown RDF file extension {path.suffix!r}; accepted: {accepted}"
        ) from None


def read_quads(
    path: Path, graph: ox.NamedNode | ox.DefaultGraph | None = None, *, keep_graphs: bool = False
) -> list[ox.Quad]:
    """Parse one RDF file completely, putting its triples into ``graph`` (the default graph
    when None); with ``keep_graphs`` the quads of TriG and N-Quads files keep their graphs.

    Raises :class:`ParseError` with the file, line and column of the first syntax error and
    :class:`InputError` when the file cannot be read; nothing is returned half-parsed.
    """
    path = Path(path)
    rdf_format = format_for(path)
    try:
        with path.open("rb") as stream:
            if stream.read(len(_BOM)) != _BOM:  # Notepad's UTF-8 byte-order mark is skipped
                stream.seek(0)
            quads = ox.parse(input=stream, format=rdf_format, base_iri=path.resolve().as_uri())
            target = graph if graph is not None else ox.DefaultGraph()
            if keep_graphs:
                return [q if q.graph_name != ox.DefaultGraph() else _to(q, target) for q in quads]
            return [_to(q, target) for q in quads]
    except SyntaxError as error:
        detail = _LOCATION_PREFIX.sub("", str(error.msg if error.msg else error))
        location = SourceLocation(path, error.lineno, error.offset)
        raise ParseError(location, detail) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read: {error}") from None


def _to(quad: ox.Quad, graph: ox.NamedNode | ox.DefaultGraph) -> ox.Quad:
    return ox.Quad(quad.subject, quad.predicate, quad.object, graph)


def to_rdflib_graph(triples: Iterable[ox.Triple | ox.Quad]) -> rdflib.Graph:
    """Copy pyoxigraph triples into an rdflib graph (for pySHACL and rdflib users); rdflib's
    SPARQL engine will not fetch ``FROM`` graphs over the network
    (:mod:`servicekg.sparql.safety`)."""
    from servicekg.sparql.safety import forbid_rdflib_fetching

    forbid_rdflib_fetching()
    buffer = ox.serialize(
        (ox.Triple(t.subject, t.predicate, t.object) for t in triples),
        format=ox.RdfFormat.N_TRIPLES,
    )
    graph = rdflib.Graph()
    graph.parse(data=buffer.decode("utf-8") if buffer else "", format="nt")
    return graph
