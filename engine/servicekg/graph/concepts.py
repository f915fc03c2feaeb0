"""Reading concepts out of the knowledge base: resolve a name, describe a concept, list them.

Everything here is answered by SPARQL over the store, in the language asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode

from servicekg.errors import UnknownTermError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import LANGUAGES, PREFIXES, SKG, local_name

__all__ = [
    "ConceptView",
    "PassageView",
    "RelationView",
    "all_passages",
    "check_language",
    "describe_concept",
    "list_concepts",
    "passages_of",
    "resolve_concept",
]

"""The languages every label and definition exists in."""


@dataclass(frozen=True)
class PassageView:
    """A source passage: where it stands, the original words and what they mean in English."""

    iri: str
    article: str
    article_title: str
    section: str
    quote: str
    quote_language: str
    rendering: str


@dataclass(frozen=True)
class RelationView:
    """A relation seen from one concept: its kind, the other end and its sign."""

    iri: str
    kind: str
    direction: str  # "out" (this concept -> other) or "in" (other -> this concept)
    other: str
    other_label: str
    polarity: str | None
    comment: str


@dataclass
class ConceptView:
    """What the knowledge graph says of one concept, in one language."""

    iri: str
    label: str
    definition: str
    kind: str
    kind_label: str
    labels: dict[str, str] = field(default_factory=dict)
    broader: list[str] = field(default_factory=list)
    passages: list[PassageView] = field(default_factory=list)
    relations: list[RelationView] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)


def check_language(lang: str) -> str:
    """Return ``lang`` if it is one of :data:`LANGUAGES`, else raise :class:`UnknownTermError`."""
    if lang not in LANGUAGES:
        raise UnknownTermError("language", lang, list(LANGUAGES))
    return lang


def resolve_concept(kb: KnowledgeBase, name: str) -> str:
    """The IRI of the concept called ``name``.

    ``name`` may be a full IRI, a prefixed name (``skg:Friendliness``), a local name
    (``Friendliness``) or a label in any of the three languages, case-insensitively
    (``vriendelijkheid``, ``laipnība``).
    """
    candidates = [name]
    if ":" in name and not name.startswith("http"):
        prefix, local = name.split(":", 1)
        if prefix in PREFIXES:
            candidates.append(PREFIXES[prefix] + local)
    else:
        candidates.append(str(SKG._NS) + name)
    rows = kb.select(
        """
        SELECT DISTINCT ?concept WHERE {
          ?concept a ?class . ?class rdfs:subClassOf* skg:Concept .
          OPTIONAL { ?concept skos:prefLabel|skos:altLabel ?label }
          FILTER (STR(?concept) IN (?a, ?b) || LCASE(STR(?label)) = LCASE(?a))
        }""",
        a=Literal(candidates[0]),
        b=Literal(candidates[-1]),
    )
    if len(rows) == 1:
        return str(rows[0]["concept"])
    if not rows:
        raise UnknownTermError("concept", name, [c["name"] for c in list_concepts(kb)])
    raise UnknownTermError("concept (ambiguous)", name, sorted(r["concept"] for r in rows))


def list_concepts(kb: KnowledgeBase, lang: str = "en") -> list[dict[str, str]]:
    """Every concept with its local name, class and label in ``lang``, grouped by class."""
    check_language(lang)
    rows = kb.select(
        """
        SELECT ?concept ?class ?classLabel ?label WHERE {
          ?concept a ?class . ?class rdfs:subClassOf+ skg:Concept .
          OPTIONAL { ?class rdfs:label ?classLabel FILTER (LANG(?classLabel) = ?lang) }
          OPTIONAL { ?concept skos:prefLabel ?label FILTER (LANG(?label) = ?lang) }
        } ORDER BY ?class ?label""",
        lang=Literal(lang),
    )
    return [
        {
            "iri": r["concept"],
            "name": local_name(r["concept"]),
            "kind": local_name(r["class"]),
            "kind_label": r.get("classLabel", local_name(r["class"])),
            "label": r.get("label", local_name(r["concept"])),
        }
        for r in rows
    ]


def describe_concept(kb: KnowledgeBase, name: str, lang: str = "en") -> ConceptView:
    """Everything the graph says of a concept: labels, definition, sources, relations, metrics."""
    check_language(lang)
    iri = resolve_concept(kb, name)
    node = NamedNode(iri)
    language = Literal(lang)
    head = kb.select(
        """
        SELECT ?label ?definition ?class ?classLabel WHERE {
          ?concept a ?class . ?class rdfs:subClassOf+ skg:Concept .
          OPTIONAL { ?class rdfs:label ?classLabel FILTER (LANG(?classLabel) = ?lang) }
          OPTIONAL { ?concept skos:prefLabel ?label FILTER (LANG(?label) = ?lang) }
          OPTIONAL { ?concept skos:definition ?definition FILTER (LANG(?definition) = ?lang) }
        } LIMIT 1""",
        concept=node,
        lang=language,
    )[0]
    view = ConceptView(
        iri=iri,
        label=head.get("label", local_name(iri)),
        definition=head.get("definition", ""),
        kind=local_name(head["class"]),
        kind_label=head.get("classLabel", local_name(head["class"])),
    )
    for row in kb.select(
        "SELECT ?label (LANG(?label) AS ?l) WHERE { ?concept skos:prefLabel ?label }", concept=node
    ):
        view.labels[row["l"]] = row["label"]
    view.broader = [
        r["label"]
        for r in kb.select(
            """SELECT ?label WHERE { ?concept skos:broader ?b .
                 ?b skos:prefLabel ?label FILTER (LANG(?label) = ?lang) } ORDER BY ?label""",
            concept=node,
            lang=language,
        )
    ]
    view.passages = passages_of(kb, iri)
    view.relations = _relations(kb, node, language)
    view.metrics = [
        r["id"]
        for r in kb.select(
            "SELECT ?id WHERE { ?m skg:measures ?concept ; skg:metricId ?id } ORDER BY ?id",
            concept=node,
        )
    ]
    return view


_PASSAGES = """
SELECT DISTINCT ?passage ?article ?title ?section ?quote ?qlang ?rendering WHERE {
  %s
  ?passage a skg:Passage ; dcterms:isPartOf ?article ; skg:quote ?quote ;
           skg:rendering ?rendering .
  FILTER (LANG(?rendering) = "en")
  BIND (LANG(?quote) AS ?qlang)
  OPTIONAL { ?passage skg:section ?section }
  OPTIONAL { ?article dcterms:title ?title FILTER (LANG(?title) = ?qlang) }
} ORDER BY ?article ?passage"""


def passages_of(kb: KnowledgeBase, iri: str) -> list[PassageView]:
    """The passages a concept, relation or rule rests on (or is refuted by), in text order."""
    rows = kb.select(
        _PASSAGES % "?subject skg:restsOn|skg:refutedBy ?passage .", subject=NamedNode(iri)
    )
    return _passage_views(rows)


def all_passages(kb: KnowledgeBase) -> list[PassageView]:
    """Every passage of the source articles, in text order."""
    return _passage_views(kb.select(_PASSAGES % ""))


def _passage_views(rows: list[dict[str, Any]]) -> list[PassageView]:
    return [
        PassageView(
            iri=r["passage"],
            article=r["article"],
            article_title=r.get("title", local_name(r["article"])),
            section=r.get("section", ""),
            quote=r["quote"],
            quote_language=r["qlang"],
            rendering=r["rendering"],
        )
        for r in rows
    ]


def _relations(kb: KnowledgeBase, node: NamedNode, language: Literal) -> list[RelationView]:
    rows = kb.select(
        """
        SELECT ?relation ?kind ?direction ?other ?otherLabel ?polarity ?comment WHERE {
          { ?relation skg:fromConcept ?concept ; skg:toConcept ?other . BIND ("out" AS ?direction) }
          UNION
          { ?relation skg:toConcept ?concept ; skg:fromConcept ?other . BIND ("in" AS ?direction) }
          ?relation a ?kind . ?kind rdfs:subClassOf skg:Relation .
          OPTIONAL { ?other skos:prefLabel ?otherLabel FILTER (LANG(?otherLabel) = ?lang) }
          OPTIONAL { ?relation skg:polarity ?p . ?p rdfs:label ?polarity
                     FILTER (LANG(?polarity) = ?lang) }
          OPTIONAL { ?relation rdfs:comment ?comment }
        } ORDER BY ?direction ?kind ?otherLabel""",
        concept=node,
        lang=language,
    )
    return [
        RelationView(
            iri=r["relation"],
            kind=local_name(r["kind"]),
            direction=r["direction"],
            other=r["other"],
            other_label=r.get("otherLabel", local_name(r["other"])),
            polarity=r.get("polarity"),
            comment=r.get("comment", ""),
        )
        for r in rows
    ]
