"""Content negotiation: which media type answers a request, from its Accept header or a
``format`` parameter.

Solutions and booleans (SELECT, ASK) go out as SPARQL JSON, XML, CSV or TSV; graphs
(CONSTRUCT, DESCRIBE, Graph Store GET) as Turtle, N-Triples, JSON-LD or RDF/XML. With no
Accept header, or ``*/*``, the first of each list is chosen.

>>> choose(RESULT_TYPES, "text/csv;q=0.5, application/sparql-results+xml")
'application/sparql-results+xml'
>>> choose(GRAPH_TYPES, "*/*")
'text/turtle'
>>> choose(GRAPH_TYPES, "application/sparql-results+json") is None
True
"""

from __future__ import annotations

__all__ = [
    "FORMAT_NAMES",
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "choose",
    "media_type_of",
    "parse_accept",
]

RESULT_TYPES: tuple[str, ...] = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
"""Media types of solutions and booleans, the default first."""

GRAPH_TYPES: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
)
"""Media types of graphs, the default first."""

_ALIASES = {
    "application/json": ("application/sparql-results+json", "application/ld+json"),
    "application/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/plain": (None, "application/n-triples"),
    "application/x-turtle": (None, "text/turtle"),
}
"""Media types clients send for one of ours: (for results, for graphs)."""

FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "ntriples": (None, "application/n-triples"),
    "nt": (None, "application/n-triples"),
    "jsonld": (None, "application/ld+json"),
    "json-ld": (None, "application/ld+json"),
    "rdfxml": (None, "application/rdf+xml"),
    "rdf": (None, "application/rdf+xml"),
}
"""Values of the ``format`` parameter: (media type for results, for graphs)."""


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their quality, best first (stable order).

    >>> parse_accept("text/html, */*;q=0.1, text/csv;q=0.9")
    [('text/html', 1.0), ('text/csv', 0.9), ('*/*', 0.1)]
    """
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality))
    return sorted(ranges, key=lambda item: -item[1])


def choose(offered: tuple[str, ...], accept: str | None) -> str | None:
    """The best of ``offered`` for an Accept header (``None``: nothing acceptable).

    A missing or empty header accepts anything, so the first offered type is chosen.
    """
    if not accept or not accept.strip():
        return offered[0]
    is_graph = offered is GRAPH_TYPES
    for media, quality in parse_accept(accept):
        if quality <= 0:
            continue
        if media in ("*/*", "*"):
            return offered[0]
        if media.endswith("/*"):
            major = media[:-1]
            for candidate in offered:
                if candidate.startswith(major):
                    return candidate
            continue
        if media in offered:
            return media
        alias = _ALIASES.get(media)
        if alias is not None and alias[1 if is_graph else 0] is not None:
            return alias[1 if is_graph else 0]
    return None


def media_type_of(format_name: str, offered: tuple[str, ...]) -> str | None:
    """The media type a ``format`` parameter names for this kind of result (``None``: none).

    A full media type is accepted too (``format=text/csv``).
    """
    name = format_name.strip().lower()
    if name in offered:
        return name
    pair = FORMAT_NAMES.get(name)
    if pair is None:
        return None
    return pair[1] if offered is GRAPH_TYPES else pair[0]
