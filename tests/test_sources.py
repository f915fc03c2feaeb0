"""Every passage quotes its article word for word, and every article is described."""

import re
from pathlib import Path

import pytest

from servicekg.knowledge_base import KnowledgeBase

SEEDS = Path(__file__).parent / "data" / "seeds"


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _passages(kb: KnowledgeBase) -> list[dict]:
    return kb.select(
        """SELECT ?passage ?quote ?seed WHERE {
             ?passage a skg:Passage ; skg:quote ?quote ; dcterms:isPartOf ?article .
             ?article skg:seedFile ?seed } ORDER BY ?passage"""
    )


def test_there_are_passages_from_all_three_articles(kb: KnowledgeBase) -> None:
    seeds = {row["seed"] for row in _passages(kb)}
    assert seeds == {path.name for path in SEEDS.glob("*.txt")}


def test_every_quote_stands_verbatim_in_its_article(kb: KnowledgeBase) -> None:
    texts = {path.name: _collapse(path.read_text(encoding="utf-8")) for path in SEEDS.glob("*.txt")}
    misquoted = [
        row["passage"] for row in _passages(kb) if _collapse(row["quote"]) not in texts[row["seed"]]
    ]
    assert not misquoted


@pytest.mark.parametrize("debris", ["$config", "Dienas video", "Sapling", "Anonim"])
def test_no_page_debris_is_quoted(kb: KnowledgeBase, debris: str) -> None:
    assert not [row for row in _passages(kb) if debris in row["quote"]]


def test_articles_have_titles_in_their_language_and_in_english(kb: KnowledgeBase) -> None:
    rows = kb.select(
        """SELECT ?article ?language (GROUP_CONCAT(LANG(?title)) AS ?langs) WHERE {
             ?article a skg:Article ; dcterms:language ?language ; dcterms:title ?title }
           GROUP BY ?article ?language"""
    )
    assert len(rows) == 3
    for row in rows:
        assert row["language"] in row["langs"].split()
        assert "en" in row["langs"].split()


def test_the_works_the_articles_cite_are_resources(kb: KnowledgeBase) -> None:
    cited = kb.select(
        """SELECT DISTINCT ?name WHERE { ?a a skg:Article ; dcterms:references ?work .
             ?work schema:name|dcterms:title ?name }"""
    )
    names = " ".join(row["name"] for row in cited)
    assert "Reichheld and Teal (1996)" in names
    assert "Andreassen and Olsen (2008)" in names
    assert "Slecht behandeld medewerkers" in names


def test_cited_works_carry_no_bibliographic_detail_the_articles_do_not_give(
    kb: KnowledgeBase,
) -> None:
    # regression: full titles, journals, volumes, publishers and first names were added from
    # outside the articles, which give only surnames, years and pages
    text = " ".join(
        row["o"]
        for row in kb.select(
            "SELECT ?o WHERE { ?s ?p ?o FILTER (isLiteral(?o)) "
            "FILTER (STRSTARTS(STR(?s), 'https://w3id.org/servicekg/source/')) }"
        )
    )
    for invented in [
        "Loyalty Effect",
        "Frederick",
        "Thomas",
        "Tor Wallin",
        "Line Lervik",
        "Managing Service Quality",
        "Harvard",
        "hot-dog",
        "software company",
    ]:
        assert invented not in text
    assert not kb.select("SELECT ?w WHERE { ?w schema:isPartOf|schema:alternativeHeadline ?x }")
