"""What the client report reads from the graph in one language, in bulk, by SPARQL."""

from __future__ import annotations

from pyoxigraph import Literal

__all__ = ["GraphTexts"]


class GraphTexts:
    """What the report reads from the graph in one language: labels, kinds of concept,
    sectors, definitions, renderings, how to observe each metric."""

    def __init__(self, kb: object, lang: str) -> None:
        select = kb.select  # type: ignore[attr-defined]
        lit = Literal(lang)
        self.labels = {
            r["c"]: r["l"]
            for r in select(
                "SELECT ?c ?l WHERE { ?c skos:prefLabel ?l FILTER (LANG(?l) = ?lang) }", lang=lit
            )
        }
        self.kinds = {
            r["c"]: "need" if r["k"].endswith("BasicNeed") else "factor"
            for r in select(
                "SELECT ?c ?k WHERE { VALUES ?k { skg:BasicNeed skg:ServiceFactor } ?c a ?k }"
            )
        }
        self.sectors = {
            r["code"]: r["l"]
            for r in select(
                "SELECT ?code ?l WHERE { ?s skg:sectorCode ?code ; skos:prefLabel ?l"
                " FILTER (LANG(?l) = ?lang) }",
                lang=lit,
            )
        }
        self.definitions = {
            r["c"]: r["d"]
            for r in select(
                "SELECT ?c ?d WHERE { ?c skos:definition ?d FILTER (LANG(?d) = ?lang) }", lang=lit
            )
        }
        self.renderings = {
            r["p"]: r["r"]
            for r in select(
                "SELECT ?p ?r WHERE { ?p skg:rendering ?r FILTER (LANG(?r) = ?lang) }", lang=lit
            )
        }
        self.quotes = {
            r["p"]: (r["q"], r["ql"])
            for r in select("SELECT ?p ?q (LANG(?q) AS ?ql) WHERE { ?p skg:quote ?q }")
        }
        self.english = {
            r["p"]: r["r"]
            for r in select("SELECT ?p ?r WHERE { ?p skg:rendering ?r FILTER (LANG(?r) = 'en') }")
        }
        self.articles = {
            r["p"]: r["t"]
            for r in select(
                "SELECT ?p ?t WHERE { ?p a skg:Passage ; dcterms:isPartOf ?a ."
                " ?a dcterms:title ?t }"
            )
        }
        self.rests_on: dict[str, str] = {}
        for r in select("SELECT ?c ?p WHERE { ?c skg:restsOn ?p } ORDER BY ?c ?p"):
            self.rests_on.setdefault(r["c"], r["p"])
        how: dict[str, str] = {}
        for prop in ("rdfs:comment", "skos:definition", "skg:howToObserve"):  # last one wins
            for r in select(
                f"SELECT ?m ?t WHERE {{ ?m a skg:Metric ; {prop} ?t FILTER (LANG(?t) = ?lang) }}",
                lang=lit,
            ):
                how[r["m"]] = r["t"]
        self.how_to_observe = how

    def first_sentence(self, concept: str) -> str | None:
        text = self.definitions.get(concept)
        if not text:
            return None
        end = text.find(". ")
        return text if end < 0 else text[: end + 1]

    def passage_text(self, passage: str, lang: str) -> str | None:
        """The passage in ``lang``: the quote when it is in ``lang``, else its rendering."""
        quote = self.quotes.get(passage)
        if quote and quote[1] == lang:
            return quote[0]
        return self.renderings.get(passage) or (self.english.get(passage) if lang == "en" else None)
