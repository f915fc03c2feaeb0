"""What every view needs to say about a node, read from the knowledge base in bulk by SPARQL:
labels, definitions and texts in three languages, the passages things rest on, the kind of
each concept.

>>> from servicekg.knowledge_base import KnowledgeBase
>>> lexicon = Lexicon.read(KnowledgeBase.with_ontology())
>>> lexicon.label("https://w3id.org/servicekg/ns#Friendliness")["nl"]
'Vriendelijkheid'
>>> lexicon.kind("https://w3id.org/servicekg/ns#Friendliness")
'need'
>>> lexicon.views_of("https://w3id.org/servicekg/ns#Supplier")
['principles', 'customer-chain']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import LANGUAGES, local_name
from servicekg.views.spec import Texts, VizSpec, load_spec

__all__ = ["Lexicon", "local_name"]

_CHAIN_VIEWS = {"CausalLink": "value-chain", "ChainLink": "customer-chain"}


@dataclass
class Lexicon:
    """Texts, passages and concept kinds of one knowledge base, looked up by IRI."""

    spec: VizSpec
    texts: dict[str, dict[str, Texts]] = field(default_factory=dict)
    passages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    chains: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, kb: KnowledgeBase, spec: VizSpec | None = None) -> Lexicon:
        """Run the ``texts``, ``passages`` and ``concepts`` queries of the view specs once."""
        spec = spec or load_spec()
        lexicon = cls(spec)
        ranks: dict[tuple[str, str, str], int] = {}
        texts: dict[str, dict[str, Texts]] = defaultdict(lambda: defaultdict(dict))
        for row in kb.select(spec.query("texts")):
            key = (row["node"], row["field"], row["lang"])
            if key not in ranks or row["rank"] < ranks[key]:
                ranks[key] = row["rank"]
                texts[row["node"]][row["field"]][row["lang"]] = str(row["text"])
        lexicon.texts = {node: dict(fields) for node, fields in texts.items()}
        passages: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for row in kb.select(spec.query("passages")):  # one row per rendering's language
            quote = passages[row["subject"]].setdefault(row["passage"], _quote(row))
            quote["rendering"][str(row.get("rlang") or "en")] = str(row["rendering"])
        lexicon.passages = {
            subject: [_all_languages(q) for q in found.values()]
            for subject, found in passages.items()
        }
        for row in kb.select(spec.query("concepts")):
            kind = spec.kind_of_class(row["class"])
            if kind is not None and row["concept"] not in lexicon.kinds:
                lexicon.kinds[row["concept"]] = kind
        for row in kb.select(spec.query("chain-members")):
            view = _CHAIN_VIEWS[local_name(row["kind"])]
            lexicon.chains.setdefault(row["concept"], set()).add(view)
        return lexicon

    def label(self, iri: str, fallback: str | None = None) -> Texts:
        """The label of ``iri`` in each language (English, then any, then ``fallback`` or the
        IRI's local name where a language is missing)."""
        return self.field(iri, "label") or _same(fallback or local_name(iri))

    def field(self, iri: str, name: str) -> Texts | None:
        """A text field (``label``, ``definition``, ``text``, ``condition``) of ``iri`` in each
        language, or None when the graph has it in none."""
        found = self.texts.get(iri, {}).get(name)
        if not found:
            return None
        default = found.get("en") or next(iter(found.values()))
        return {lang: found.get(lang, default) for lang in LANGUAGES}

    def quotes(self, iri: str) -> list[dict[str, Any]]:
        """The passages ``iri`` rests on: quote, its language, its rendering in each language
        (``rendering``: language -> text), article."""
        return self.passages.get(iri, [])

    def views_of(self, iri: str) -> list[str]:
        """The views a concept appears in: the principles, and the chains that link it."""
        if iri not in self.kinds:
            return []
        return ["principles", *sorted(self.chains.get(iri, ()), reverse=True)]

    def kind(self, iri: str) -> str | None:
        """The kind of node the concept ``iri`` is drawn as; None when it is not a concept."""
        return self.kinds.get(iri)


def _same(text: str) -> Texts:
    return dict.fromkeys(LANGUAGES, text)


def _quote(row: dict[str, Any]) -> dict[str, Any]:
    quote = row["quote"]
    return {
        "passage": row["passage"],
        "quote": str(quote),
        "lang": _language(row),
        "rendering": {},
        "article": str(row.get("title") or local_name(row["article"])),
        "article_en": str(row.get("titleEn") or ""),
        "section": str(row.get("section") or ""),
    }


def _all_languages(quote: dict[str, Any]) -> dict[str, Any]:
    """``quote`` with a rendering in every page language (English where one is missing)."""
    found: dict[str, str] = quote["rendering"]
    default = found.get("en") or next(iter(found.values()))
    quote["rendering"] = {lang: found.get(lang, default) for lang in LANGUAGES}
    return quote


def _language(row: dict[str, Any]) -> str:
    return str(row.get("qlang", "")) or "und"
