"""View 6, any SPARQL CONSTRUCT (or DESCRIBE) result as a graph: IRIs and blank nodes are
nodes, each triple between two of them an edge named by its predicate; literals are shown in
the details of their subject, and labels (``skos:prefLabel``, ``rdfs:label``, ``schema:name``,
``dcterms:title``) name the nodes in each language.

>>> from servicekg.knowledge_base import KnowledgeBase
>>> kb = KnowledgeBase.with_ontology()
>>> graph = construct_graph(kb, Lexicon.read(kb),
...     "CONSTRUCT { ?a skg:increases ?b } WHERE { ?a skg:increases ?b }")
>>> graph.number_of_edges() > 10
True
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import pyoxigraph as ox

from servicekg.errors import InputError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import LANGUAGES
from servicekg.sparql.query_text import query_form
from servicekg.views.lexicon import Lexicon, local_name
from servicekg.views.nodes import concept_links
from servicekg.views.principles import edge_labels
from servicekg.views.spec import Texts
from servicekg.views.view_graph import add_edge, add_node, new_graph, same_text

__all__ = ["construct_graph"]

_LABELS = {
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "https://schema.org/name",
    "http://purl.org/dc/terms/title",
}


def construct_graph(kb: KnowledgeBase, lexicon: Lexicon, query: str) -> nx.MultiDiGraph:
    """The triples ``query`` (a CONSTRUCT or DESCRIBE) builds, as a view graph."""
    # refused before it runs: a pyoxigraph result kept alive by the error's traceback would be
    # dropped on another thread in a server, which pyoxigraph does not allow
    form = query_form(query)
    if form in ("SELECT", "ASK"):
        kind = "an ASK" if form == "ASK" else "a SELECT"
        raise InputError(
            f"the query view draws CONSTRUCT or DESCRIBE results; this is {kind} query"
        )
    result = kb.query(query)
    links: list[tuple[str, str, str]] = []
    literals: dict[str, list[tuple[str, str]]] = defaultdict(list)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for triple in result:
        subject = _id(triple.subject)
        predicate = triple.predicate.value
        obj = triple.object
        if isinstance(obj, ox.Literal):
            text = obj.value
            if predicate in _LABELS:
                labels[subject].setdefault(obj.language or "", text)
            literals[subject].append((local_name(predicate), text))
        else:
            links.append((subject, predicate, _id(obj)))
    graph = new_graph("query")
    nodes = {s for s, _, _ in links} | {o for _, _, o in links} | set(literals)
    for node in sorted(nodes):
        concept_kind = lexicon.kind(node)
        add_node(
            graph,
            node,
            concept_kind or "resource",
            _labels(lexicon, node, labels.get(node, {})),
            definition=lexicon.field(node, "definition"),
            quotes=lexicon.quotes(node),
            values=literals.get(node, []),
            links=concept_links(lexicon, node, "query"),
        )
    for subject, predicate, obj in links:
        add_edge(graph, subject, obj, edge_labels(lexicon, predicate))
    return graph


def _id(term: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def _labels(lexicon: Lexicon, node: str, found: dict[str, str]) -> Texts:
    if not found:
        return lexicon.label(node)
    default = found.get("en") or found.get("") or next(iter(found.values()))
    return {lang: found.get(lang, default) for lang in LANGUAGES} if found else same_text(node)
