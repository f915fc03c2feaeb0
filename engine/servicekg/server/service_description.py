"""The SPARQL 1.1 Service Description of the endpoint (answered on ``GET /sparql``).

It says which languages the endpoint speaks (update only when allowed), the result formats,
that the default graph is the union of the named graphs, and which named graphs it holds.
"""

from __future__ import annotations

import pyoxigraph as ox

from servicekg.server.negotiation import GRAPH_TYPES, RESULT_TYPES

__all__ = ["service_description"]

_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
}
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def service_description(
    endpoint: str,
    named_graphs: list[str],
    *,
    update: bool,
    union: bool = True,
) -> list[ox.Triple]:
    """The description of the endpoint at ``endpoint`` as triples.

    >>> triples = service_description("http://127.0.0.1/sparql", [], update=False)
    >>> any(t.object.value.endswith("#SPARQL11Query") for t in triples)
    True
    """
    service = ox.NamedNode(endpoint)
    sd = {name: ox.NamedNode(_SD + name) for name in ("endpoint", "supportedLanguage")}
    triples = [
        ox.Triple(service, _TYPE, ox.NamedNode(_SD + "Service")),
        ox.Triple(service, sd["endpoint"], service),
        ox.Triple(service, sd["supportedLanguage"], ox.NamedNode(_SD + "SPARQL11Query")),
    ]
    if update:
        triples.append(
            ox.Triple(service, sd["supportedLanguage"], ox.NamedNode(_SD + "SPARQL11Update"))
        )
    for media in (*RESULT_TYPES, *GRAPH_TYPES):
        triples.append(
            ox.Triple(
                service,
                ox.NamedNode(_SD + "resultFormat"),
                ox.NamedNode(_FORMATS + _FORMAT_IRIS[media]),
            )
        )
    if union:
        triples.append(
            ox.Triple(
                service, ox.NamedNode(_SD + "feature"), ox.NamedNode(_SD + "UnionDefaultGraph")
            )
        )
    dataset = ox.BlankNode()
    default = ox.BlankNode()
    triples += [
        ox.Triple(service, ox.NamedNode(_SD + "defaultDataset"), dataset),
        ox.Triple(dataset, _TYPE, ox.NamedNode(_SD + "Dataset")),
        ox.Triple(dataset, ox.NamedNode(_SD + "defaultGraph"), default),
        ox.Triple(default, _TYPE, ox.NamedNode(_SD + "Graph")),
    ]
    for name in named_graphs:
        node = ox.BlankNode()
        triples += [
            ox.Triple(dataset, ox.NamedNode(_SD + "namedGraph"), node),
            ox.Triple(node, _TYPE, ox.NamedNode(_SD + "NamedGraph")),
            ox.Triple(node, ox.NamedNode(_SD + "name"), ox.NamedNode(name)),
        ]
    return triples
