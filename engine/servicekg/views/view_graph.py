"""The shape of a view's graph: a networkx ``MultiDiGraph`` whose nodes and edges carry what
the page draws and shows, in every language at once (the page switches language itself).

Node attributes: ``kind`` (a kind of ``viz/views.yaml``), ``labels`` (text per language),
``details`` (what the details panel shows), ``marks`` (``root-cause``, ``unknown``,
``strength``), and optionally ``size`` and ``group`` (the id of a group node the page draws
closed in its place until clicked; the graph's ``groups`` attribute gives each group's label
per language). Edge attributes: ``labels`` (hover text per language), ``style``
(``increases``, ``decreases``, ``other``), ``width``, ``emphasis`` and optionally ``sign``
(drawn on the edge).

>>> graph = new_graph("principles")
>>> add_node(graph, "a", "need", {"en": "A", "nl": "A", "lv": "A"})
>>> add_node(graph, "b", "outcome", {"en": "B", "nl": "B", "lv": "B"})
>>> raises = {"en": "raises", "nl": "verhoogt", "lv": "palielina"}
>>> _ = add_edge(graph, "a", "b", raises, "increases")
>>> graph.number_of_nodes(), graph.number_of_edges(), graph.nodes["a"]["kind"]
(2, 1, 'need')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from servicekg.namespace import LANGUAGES
from servicekg.views.spec import Texts

__all__ = ["Link", "add_edge", "add_node", "link", "new_graph", "same_text", "value"]

Link = dict[str, Any]
"""A link to another view: ``{"view", "business", "node", "label"}``; the page makes the URL."""


def new_graph(view: str) -> nx.MultiDiGraph:
    """An empty view graph, named after its view."""
    return nx.MultiDiGraph(view=view)


def add_node(
    graph: nx.MultiDiGraph,
    node: str,
    kind: str,
    labels: Texts,
    *,
    definition: Texts | None = None,
    quotes: Sequence[dict[str, Any]] = (),
    values: Iterable[tuple[Texts | str, Texts | str]] = (),
    links: Iterable[Link] = (),
    marks: Iterable[str] = (),
    iri: str | None = None,
    size: float | None = None,
) -> None:
    """Add (or replace) ``node`` with everything its details panel shows."""
    details = {
        "iri": iri if iri is not None else node,
        "definition": definition,
        "quotes": list(quotes),
        "values": [{"name": name, "value": text} for name, text in values],
        "links": list(links),
    }
    graph.add_node(node, kind=kind, labels=labels, details=details, marks=list(marks))
    if size is not None:
        graph.nodes[node]["size"] = size


def add_edge(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    labels: Texts,
    style: str = "other",
    *,
    width: float = 1.0,
    sign: str | None = None,
    dashes: bool = False,
    emphasis: bool = False,
) -> int:
    """Add an edge ``source -> target`` (both must be nodes already); ``emphasis`` draws it
    wider, on a path the view stresses (to the root cause, to growth and profit). Returns
    the edge's key."""
    for end in (source, target):
        if end not in graph:
            raise KeyError(f"edge {source} -> {target}: no node {end}")
    key: int = graph.add_edge(
        source,
        target,
        labels=labels,
        style=style,
        width=width,
        sign=sign,
        dashes=dashes,
        emphasis=emphasis,
    )
    return key


def same_text(text: str) -> Texts:
    """One text for every language (a name, a number, an identifier)."""
    return dict.fromkeys(LANGUAGES, text)


def value(name: Texts | str, text: object) -> tuple[Texts | str, Texts | str]:
    """A row of a node's values: ``name`` is a key of the page's words or a text per language;
    the value is a text per language or anything shown as it is."""
    if isinstance(text, dict):
        return name, text
    return name, "" if text is None else str(text)


def link(view: str, label: Texts, *, business: str | None = None, node: str | None = None) -> Link:
    """A link to ``view`` (for one business, focused on one node)."""
    return {"view": view, "business": business, "node": node, "label": label}
