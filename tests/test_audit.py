"""The fidelity audit: every relation, benchmark and rule with its basis and passages."""

import json
from pathlib import Path

import pytest

from servicekg.audit import audit_markdown, fidelity_audit
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.rules import load_rules


@pytest.fixture(scope="module")
def audit():
    return fidelity_audit()


def test_every_relation_benchmark_and_rule_is_audited_with_a_sound_basis(
    audit, kb: KnowledgeBase
) -> None:
    relations = kb.select("SELECT (COUNT(?r) AS ?n) WHERE { ?r a/rdfs:subClassOf skg:Relation }")
    counts = audit.counts()
    assert sum(counts["relation"].values()) == int(relations[0]["n"])
    assert sum(counts["rule"].values()) == len(load_rules(kb=kb))
    assert counts["benchmark"] == {"stated": 1}
    assert "missing" not in counts["relation"]
    assert "missing" not in counts["rule"]
    assert audit.problems() == []


def test_items_are_grouped_by_the_article_their_passages_come_from(audit) -> None:
    groups = audit.by_article()
    seeds = {meta["seed"]: iri for iri, meta in audit.articles.items()}
    latvian = {item.id for item in groups[seeds["000_244392f9df451672.txt"]]}
    second_dutch = {item.id for item in groups[seeds["002_93c4346bb934d540.txt"]]}
    assert {"problem-resolution-retention", "slow-service-fast-food"} <= latvian
    assert "loyalty-growth" in second_dutch
    assert "loyalty-growth" not in latvian


def test_the_markdown_quotes_each_passage_with_renderings_in_three_languages(audit) -> None:
    text = audit_markdown(audit)
    assert "## Labs Vs. Slikts klientu serviss" in text
    assert "## Waarom is kwaliteit in klantenservice belangrijk?" in text
    # a Latvian passage with a Dutch rendering, a Dutch one with a Latvian rendering
    assert "pakalpojumu izšķirtspēja ir vislielākā ietekme" in text
    assert "*nl:* Hoe medewerkers en managers grote meningsverschillen oplossen" in text
    assert "*lv:* Saskaņā ar Reichheld un Teal teikto" in text
    # an implied relation shows its reading, a rule its threshold basis and caveat
    assert "### relation `external-failure-cost-profit`" in text
    assert "threshold: servicekg's own judgement" in text
    assert "- caveat (lv-product-quality):" in text


def test_a_relation_without_basis_is_reported(tmp_path: Path) -> None:
    kb = KnowledgeBase.with_ontology()
    kb.update(
        f"WITH <{GRAPH.ontology}> DELETE {{ ?r skg:basis ?b }} WHERE {{ ?r skg:fromConcept "
        "skg:Loyalty ; skg:toConcept skg:Growth ; skg:basis ?b }"
    )
    audit = fidelity_audit(kb)
    assert audit.problems() == ["relation loyalty-growth: no basis"]


def test_cli_writes_markdown_or_json(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "audit.md"
    result = run_cli("audit-sources", "--out", str(out))
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# servicekg fidelity audit")
    data = json.loads(run_cli("audit-sources", "--format", "json").stdout)
    assert data["problems"] == []
    assert [a["language"] for a in data["articles"]] == ["lv", "nl", "nl"]
    item = next(i for a in data["articles"] for i in a["items"] if i["id"] == "loyalty-growth")
    assert item["basis"] == "stated"
    assert {p["id"] for p in item["passages"]} == {"nl2-reichheld-value-loyalty-growth"}
    assert set(item["passages"][0]["renderings"]) == {"en", "nl", "lv"}
