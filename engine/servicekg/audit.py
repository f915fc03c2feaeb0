"""The fidelity audit: every relation, benchmark and rule with its basis and its passages.

A reviewer who reads Dutch and Latvian checks the whole graph against the articles with it:
for each item, whether the article states it, implies it (with the one-line reading) or it is
servicekg's own judgement (with the rationale), and the passages it rests on, quoted in the
original language with renderings in English, Dutch and Latvian. Items are grouped by the
article their passages come from; own judgements that rest on no passage have a group of
their own. :func:`fidelity_audit` builds it, :func:`audit_markdown` and :meth:`Audit.as_dict`
write it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from servicekg.knowledge_base import KnowledgeBase
from servicekg.rules import RuleBook, load_rules

__all__ = [
    "BASIS_LABELS",
    "Audit",
    "AuditItem",
    "AuditPassage",
    "audit_markdown",
    "fidelity_audit",
]

_SKG = "https://w3id.org/servicekg/ns#"
LANGS = ("en", "nl", "lv")

BASIS_LABELS: dict[str, str] = {
    _SKG + "StatedByArticle": "stated",
    _SKG + "ImpliedByArticle": "implied",
    _SKG + "OwnJudgement": "judgement",
}
"""The basis individuals and the short names rule files use for them."""

_BASIS_WORDS = {
    "stated": "stated by the article",
    "implied": "implied by the article",
    "judgement": "servicekg's own judgement",
    "missing": "NO BASIS",
}

_PASSAGES = """
SELECT ?passage ?article ?quote ?ql ?section ?rendering ?rl WHERE {
  ?passage a skg:Passage ; dcterms:isPartOf ?article ; skg:quote ?quote .
  BIND (LANG(?quote) AS ?ql)
  OPTIONAL { ?passage skg:section ?section }
  OPTIONAL { ?passage skg:rendering ?rendering BIND (LANG(?rendering) AS ?rl) }
} ORDER BY ?passage"""

_ARTICLES = """
SELECT ?article ?title ?seed ?language WHERE {
  ?article a skg:Article ; dcterms:title ?title ; skg:seedFile ?seed ; dcterms:language ?language .
  FILTER (LANG(?title) = ?language)
} ORDER BY ?seed"""

_RELATIONS = """
SELECT ?item ?kind ?from ?to ?effect ?basis ?note ?passage ?condition WHERE {
  VALUES ?kind { skg:CausalLink skg:ChainLink skg:SectorNeed }
  ?item a ?kind ; skg:fromConcept/skos:prefLabel ?from ; skg:toConcept/skos:prefLabel ?to .
  FILTER (LANG(?from) = "en" && LANG(?to) = "en")
  OPTIONAL { ?item skg:polarity/rdfs:label ?effect FILTER (LANG(?effect) = "en") }
  OPTIONAL { ?item skg:basis ?basis }
  OPTIONAL { ?item skg:basisNote ?note }
  OPTIONAL { ?item skg:restsOn ?passage }
  OPTIONAL { ?item skg:condition ?condition FILTER (LANG(?condition) = "en") }
} ORDER BY ?item"""

_BENCHMARKS = """
SELECT ?item ?label ?basis ?note ?passage ?most ?least WHERE {
  ?item a skg:Benchmark ; rdfs:label ?label FILTER (LANG(?label) = "en")
  OPTIONAL { ?item skg:basis ?basis }
  OPTIONAL { ?item skg:basisNote ?note }
  OPTIONAL { ?item skg:restsOn ?passage }
  OPTIONAL { ?item skg:goodAtMost ?most }
  OPTIONAL { ?item skg:goodAtLeast ?least }
} ORDER BY ?item"""


@dataclass
class AuditPassage:
    """A passage: the quote in the article's language and its renderings per language."""

    iri: str
    article: str
    quote: str
    quote_language: str
    section: str
    renderings: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The passage's local name (``lv-greeting``)."""
        return self.iri.rsplit("/", 1)[-1]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "iri": self.iri,
            "section": self.section,
            "quote": self.quote,
            "quote_language": self.quote_language,
            "renderings": dict(self.renderings),
        }


@dataclass
class AuditItem:
    """A relation, benchmark or rule: what it says, its basis, its note and its passages."""

    kind: str  # "relation", "benchmark" or "rule"
    iri: str
    claim: str
    basis: str  # "stated", "implied", "judgement" or "missing"
    note: dict[str, str] = field(default_factory=dict)
    passages: list[str] = field(default_factory=list)
    threshold_basis: str | None = None
    caveats: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    def as_dict(self, passages: Mapping[str, AuditPassage]) -> dict[str, Any]:
        found: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "iri": self.iri,
            "claim": self.claim,
            "basis": self.basis,
            "note": dict(self.note),
            "passages": [passages[p].as_dict() for p in self.passages if p in passages],
        }
        if self.kind == "rule":
            found["threshold_basis"] = self.threshold_basis
            found["caveats"] = self.caveats
        return found


@dataclass
class Audit:
    """Every relation, benchmark and rule, by article (``articles``: IRI -> title, seed)."""

    articles: dict[str, dict[str, str]]
    passages: dict[str, AuditPassage]
    items: list[AuditItem]

    def by_article(self) -> dict[str, list[AuditItem]]:
        """Items per article IRI (an item citing two articles is under both); items resting
        on no passage are under the key ``""``."""
        groups: dict[str, list[AuditItem]] = {iri: [] for iri in self.articles}
        groups[""] = []
        for item in self.items:
            articles = {self.passages[p].article for p in item.passages if p in self.passages}
            for article in sorted(articles) or [""]:
                groups.setdefault(article, []).append(item)
        return groups

    def counts(self) -> dict[str, dict[str, int]]:
        """How many items of each kind have each basis."""
        counts: dict[str, dict[str, int]] = {}
        for item in self.items:
            kind = counts.setdefault(item.kind, {})
            kind[item.basis] = kind.get(item.basis, 0) + 1
        return counts

    def problems(self) -> list[str]:
        """Items whose basis is missing, or stated/implied without a passage, or
        implied/judgement without a note in every language."""
        found = []
        for item in self.items:
            if item.basis == "missing":
                found.append(f"{item.kind} {item.id}: no basis")
            if item.basis in ("stated", "implied") and not item.passages:
                found.append(f"{item.kind} {item.id}: {item.basis} but rests on no passage")
            explained = {item.basis, item.threshold_basis} & {"implied", "judgement"}
            if explained and set(item.note) != set(LANGS):
                found.append(f"{item.kind} {item.id}: no note in {', '.join(LANGS)}")
        return found

    def as_dict(self) -> dict[str, Any]:
        groups = self.by_article()
        return {
            "counts": self.counts(),
            "problems": self.problems(),
            "articles": [
                {
                    "iri": iri,
                    "title": meta["title"],
                    "seed": meta["seed"],
                    "language": meta["language"],
                    "items": [item.as_dict(self.passages) for item in groups.get(iri, [])],
                }
                for iri, meta in self.articles.items()
            ],
            "not_from_the_articles": [item.as_dict(self.passages) for item in groups[""]],
        }


def fidelity_audit(kb: KnowledgeBase | None = None, rulebook: RuleBook | None = None) -> Audit:
    """The audit of ``kb`` (default: the bundled ontology) and ``rulebook`` (default: the
    bundled rules, checked against ``kb``)."""
    kb = kb or KnowledgeBase.with_ontology()
    rulebook = rulebook if rulebook is not None else load_rules(kb=kb)
    articles = {
        r["article"]: {"title": r["title"], "seed": r["seed"], "language": r["language"]}
        for r in kb.select(_ARTICLES)
    }
    passages: dict[str, AuditPassage] = {}
    for row in kb.select(_PASSAGES):
        passage = passages.setdefault(
            row["passage"],
            AuditPassage(
                row["passage"],
                row["article"],
                row["quote"],
                row["ql"],
                row.get("section", ""),
            ),
        )
        if "rendering" in row:
            passage.renderings[row["rl"]] = row["rendering"]
    items = _relations(kb) + _benchmarks(kb) + _rules(rulebook)
    return Audit(articles, passages, items)


def _collect(rows: list[dict[str, str]]) -> dict[str, dict[str, Any]]:
    grouped: dict[str, dict[str, Any]] = {}
    for row in rows:
        item = grouped.setdefault(row["item"], {"rows": [], "passages": [], "notes": set()})
        item["rows"].append(row)
        if "passage" in row and row["passage"] not in item["passages"]:
            item["passages"].append(row["passage"])
        if "note" in row:
            item["notes"].add(row["note"])
    return grouped


def _notes(kb: KnowledgeBase, iri: str) -> dict[str, str]:
    rows = kb.select(f"SELECT (LANG(?n) AS ?l) ?n WHERE {{ <{iri}> skg:basisNote ?n }}")
    return {row["l"]: row["n"] for row in rows}


def _relations(kb: KnowledgeBase) -> list[AuditItem]:
    items = []
    for iri, found in _collect(kb.select(_RELATIONS)).items():
        row = found["rows"][0]
        kind = row["kind"].rsplit("#", 1)[-1]
        if kind == "CausalLink":
            claim = f"{row['from']} {row.get('effect', '?')} {row['to']}"
        elif kind == "ChainLink":
            claim = f"{row['from']} serves {row['to']}"
        else:
            claim = f"customers of {row['from']} need {row['to']}"
        if "condition" in row:
            claim += f" ({row['condition']})"
        items.append(
            AuditItem(
                "relation",
                iri,
                claim,
                BASIS_LABELS.get(row.get("basis", ""), "missing"),
                _notes(kb, iri),
                found["passages"],
            )
        )
    return items


def _benchmarks(kb: KnowledgeBase) -> list[AuditItem]:
    items = []
    for iri, found in _collect(kb.select(_BENCHMARKS)).items():
        row = found["rows"][0]
        bound = f"good at most {row['most']}" if "most" in row else f"good at least {row['least']}"
        items.append(
            AuditItem(
                "benchmark",
                iri,
                f"{row['label']}: {bound}",
                BASIS_LABELS.get(row.get("basis", ""), "missing"),
                _notes(kb, iri),
                found["passages"],
            )
        )
    return items


def _rules(rulebook: RuleBook) -> list[AuditItem]:
    items = []
    for rule in rulebook:
        basis = rule.basis
        items.append(
            AuditItem(
                "rule",
                f"https://w3id.org/servicekg/rule/{rule.id}",
                rule.title["en"],
                basis.advice if basis is not None else "missing",
                dict(basis.note) if basis is not None else {},
                list(rule.sources),
                threshold_basis=basis.threshold if basis is not None else None,
                caveats=[
                    {"passage": c.passage.rsplit("/", 1)[-1], "text": dict(c.text)}
                    for c in rule.caveats
                ],
            )
        )
    return items


# -- Markdown ---------------------------------------------------------------------------------


def audit_markdown(audit: Audit) -> str:
    """The audit as one Markdown document, grouped by article."""
    counts = audit.counts()
    lines = [
        "# servicekg fidelity audit",
        "",
        "Every relation, benchmark and rule of the knowledge graph with its basis: **stated** "
        "(the passage says it), **implied** (the passage implies it; the note gives the "
        "reading) or **judgement** (servicekg's own; the note gives the rationale). Each "
        "passage is quoted in the article's language, with renderings in en, nl and lv.",
        "",
        "| | stated | implied | judgement | missing |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind in ("relation", "benchmark", "rule"):
        row = counts.get(kind, {})
        lines.append(
            f"| {kind}s | "
            + " | ".join(str(row.get(b, 0)) for b in ("stated", "implied", "judgement", "missing"))
            + " |"
        )
    problems = audit.problems()
    lines += ["", f"Problems: {len(problems)}", *[f"- {p}" for p in problems], ""]
    groups = audit.by_article()
    for iri, meta in audit.articles.items():
        lines += [f"## {meta['title']} ({meta['language']}, {meta['seed']})", ""]
        lines += _markdown_items(groups.get(iri, []), audit.passages, iri)
    if groups[""]:
        lines += ["## Not from the articles (servicekg's own judgement)", ""]
        lines += _markdown_items(groups[""], audit.passages, "")
    return "\n".join(lines).rstrip() + "\n"


def _markdown_items(
    items: list[AuditItem], passages: Mapping[str, AuditPassage], article: str
) -> list[str]:
    lines: list[str] = []
    for item in items:
        basis = _BASIS_WORDS[item.basis]
        if item.threshold_basis:
            basis += f"; threshold: {_BASIS_WORDS[item.threshold_basis]}"
        lines += [f"### {item.kind} `{item.id}`: {item.claim}", "", f"Basis: **{basis}**", ""]
        for lang in LANGS:
            if lang in item.note:
                lines.append(f"- note ({lang}): {item.note[lang]}")
        for caveat in item.caveats:
            lines.append(f"- caveat ({caveat['passage']}): {caveat['text'].get('en', '')}")
        if item.note or item.caveats:
            lines.append("")
        for iri in item.passages:
            passage = passages.get(iri)
            if passage is None or (article and passage.article != article):
                continue
            lines.append(f"> `{passage.id}` ({passage.section}) [{passage.quote_language}]")
            lines.append(f"> {passage.quote}")
            for lang in LANGS:
                if lang in passage.renderings:
                    lines.append(f">  \n> *{lang}:* {passage.renderings[lang]}")
            lines.append("")
        others = [
            passages[p].id
            for p in item.passages
            if p in passages and article and passages[p].article != article
        ]
        if others:
            lines += [f"Also rests on: {', '.join(others)}", ""]
    return lines
