"""How the things every view shares are drawn: a concept of the knowledge graph (its label,
definition, the passages it rests on, links to the views it appears in) and a quoted passage.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from servicekg.namespace import LANGUAGES
from servicekg.views.lexicon import Lexicon
from servicekg.views.spec import Texts
from servicekg.views.view_graph import Link, add_node, link

__all__ = ["add_concept", "add_passage", "concept_links", "quote_label", "ui_text"]

_QUOTE_CHARS = 48


def add_concept(
    graph: nx.MultiDiGraph,
    lexicon: Lexicon,
    iri: str,
    *,
    here: str,
    marks: Iterable[str] = (),
    size: float | None = None,
) -> None:
    """Add the concept ``iri`` with its definition and quotes, linked to the other views it
    appears in (``here`` is the view being drawn)."""
    add_node(
        graph,
        iri,
        lexicon.kind(iri) or "resource",
        lexicon.label(iri),
        definition=lexicon.field(iri, "definition"),
        quotes=lexicon.quotes(iri),
        links=concept_links(lexicon, iri, here),
        marks=marks,
        size=size,
    )


def concept_links(lexicon: Lexicon, iri: str, here: str) -> list[Link]:
    """Links to the same concept in each other view that draws it."""
    views = [v for v in lexicon.views_of(iri) if v != here]
    return [link(v, ui_text(lexicon, f"see-{v}"), node=iri) for v in views]


def add_passage(graph: nx.MultiDiGraph, quote: dict[str, Any]) -> None:
    """Add a quoted passage, labelled with its first words (in the original language when the
    page reads in that language, else its rendering in the page's language)."""
    add_node(
        graph,
        quote["passage"],
        "passage",
        quote_label(quote),
        quotes=[quote],
    )


def quote_label(quote: dict[str, Any]) -> Texts:
    """The first words of a passage in each language (the original where the page reads in
    the article's language, else the rendering in the page's language).

    >>> rendering = {"en": "Good service", "nl": "Goede service", "lv": "Labs serviss"}
    >>> label = quote_label({"quote": "Labs serviss", "lang": "lv", "rendering": rendering})
    >>> label["lv"], label["nl"]
    ('“Labs serviss”', '“Goede service”')
    """

    def short(text: str) -> str:
        cut = text if len(text) <= _QUOTE_CHARS else text[:_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
        return f"“{cut}”"

    rendering = quote["rendering"]
    return {
        lang: short(quote["quote"] if lang == quote["lang"] else rendering[lang])
        for lang in LANGUAGES
    }


def ui_text(lexicon: Lexicon, key: str) -> Texts:
    """A word of the page (``viz/views.yaml`` ``ui``) in each language."""
    return lexicon.spec.ui[key]
